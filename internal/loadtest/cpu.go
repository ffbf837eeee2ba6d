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
	busy, all, steal int64
	ok               bool
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
		if i == 7 {
			s.steal = n
		}
	}
	s.ok = true
	return s
}

// since is the CPU time spent between an earlier sample and s.
func (s cpuSample) since(earlier cpuSample) cpuSample {
	return cpuSample{busy: s.busy - earlier.busy, all: s.all - earlier.all, steal: s.steal - earlier.steal, ok: s.ok && earlier.ok && s.all > earlier.all}
}

// plus adds up the CPU time of two phases.
func (s cpuSample) plus(t cpuSample) cpuSample {
	return cpuSample{busy: s.busy + t.busy, all: s.all + t.all, steal: s.steal + t.steal, ok: s.ok && t.ok}
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

// stealShare is the share of the phase's CPU time the hypervisor gave to
// other machines while this one had work to run: a busy host shows here,
// not in the load average.
func (d cpuSample) stealShare() (float64, bool) {
	if !d.ok || d.all <= 0 {
		return 0, false
	}
	return float64(d.steal) / float64(d.all), true
}

// processCPU is the CPU time (user and system, in clock ticks) a process
// has spent so far, from /proc/PID/stat; pid 0 is this process.
func processCPU(pid int) (int64, bool) {
	path := "/proc/self/stat"
	if pid > 0 {
		path = "/proc/" + strconv.Itoa(pid) + "/stat"
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	// The command name (field 2) is in parentheses and may hold spaces:
	// the fields counted are those after its closing one.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 { // state is f[0]; utime and stime are fields 14 and 15 of the line
		return 0, false
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return utime + stime, true
}
