package loadtest

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"time"
)

// cpuSample is the machine's CPU time so far, from /proc/stat: busy is the
// time spent running (user, nice, system, irq, softirq), all adds idle,
// iowait and the time the hypervisor gave to others (steal). Units are the kernel's
// clock ticks (USER_HZ, 100 per second on Linux).
type cpuSample struct {
	busy, all int64
	ok        bool
}

const ticksPerSecond = 100

func sampleCPU() cpuSample {
	f, err := os.Open("/proc/stat")
	if err != nil {
		return cpuSample{}
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	if !sc.Scan() {
		return cpuSample{}
	}
	fields := strings.Fields(sc.Text())
	if len(fields) < 6 || fields[0] != "cpu" {
		return cpuSample{}
	}
	var s cpuSample
	for i, f := range fields[1:] {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return cpuSample{}
		}
		if i >= 8 { // guest time is already counted in user time
			break
		}
		s.all += n
		if i != 3 && i != 4 && i != 7 { // idle, iowait, steal
			s.busy += n
		}
	}
	s.ok = true
	return s
}

// since is the CPU time spent between an earlier sample and s.
func (s cpuSample) since(earlier cpuSample) cpuSample {
	return cpuSample{busy: s.busy - earlier.busy, all: s.all - earlier.all, ok: s.ok && earlier.ok && s.all > earlier.all}
}

// plus adds up the CPU time of two phases.
func (s cpuSample) plus(t cpuSample) cpuSample {
	return cpuSample{busy: s.busy + t.busy, all: s.all + t.all, ok: s.ok && t.ok}
}

// cpuUse is the machine's CPU use over a phase of the run: how busy it was
// and how much CPU time it spent per unit of work (an order, a pgbench
// transaction), all processes together.
type cpuUse struct {
	Busy    float64       // fraction of all cores busy
	PerUnit time.Duration // CPU time per unit of work
	OK      bool
}

// use is the CPU use of a phase, d being the CPU time it spent (see since),
// over units of work.
func (d cpuSample) use(units float64) cpuUse {
	if !d.ok || d.all <= 0 || units <= 0 {
		return cpuUse{}
	}
	return cpuUse{
		Busy:    float64(d.busy) / float64(d.all),
		PerUnit: time.Duration(float64(d.busy) / ticksPerSecond / units * float64(time.Second)),
		OK:      true,
	}
}
