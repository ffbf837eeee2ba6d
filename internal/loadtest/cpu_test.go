package loadtest

import (
	"os"
	"runtime"
	"testing"
	"time"
)

func TestCPUUse(t *testing.T) {
	a := cpuSample{busy: 1000, all: 4000, ok: true}
	b := cpuSample{busy: 1300, all: 4400, ok: true} // 300 of 400 ticks busy
	u := b.since(a).use(600)
	if !u.OK || u.Busy != 0.75 || u.PerUnit != 5*time.Millisecond { // 3 s of CPU over 600 units
		t.Fatalf("use = %+v, want 75%% busy and 5ms per unit", u)
	}
	// Two phases add up: 300+100 busy of 400+400 ticks over 800 units.
	c, d := cpuSample{busy: 5000, all: 9000, ok: true}, cpuSample{busy: 5100, all: 9400, ok: true}
	if u := b.since(a).plus(d.since(c)).use(800); !u.OK || u.Busy != 0.5 || u.PerUnit != 5*time.Millisecond {
		t.Fatalf("two phases: use = %+v, want 50%% busy and 5ms per unit", u)
	}
	for _, c := range []struct {
		name string
		d    cpuSample
		n    float64
	}{
		{"unreadable start", b.since(cpuSample{}), 600},
		{"unreadable end", cpuSample{}.since(a), 600},
		{"no time passed", a.since(a), 600},
		{"one phase unreadable", b.since(a).plus(cpuSample{}), 600},
		{"no work done", b.since(a), 0},
	} {
		if u := c.d.use(c.n); u.OK {
			t.Errorf("%s: use = %+v, want not OK", c.name, u)
		}
	}
}

// sampleCPU reads /proc/stat on Linux and says it cannot elsewhere.
func TestSampleCPU(t *testing.T) {
	a := sampleCPU()
	deadline := time.Now().Add(50 * time.Millisecond)
	for time.Now().Before(deadline) { // keep a core busy for a few ticks
	}
	b := sampleCPU()
	if runtime.GOOS != "linux" {
		if a.ok || b.ok {
			t.Fatalf("sampleCPU read something on %s: %+v", runtime.GOOS, a)
		}
		return
	}
	if !a.ok || !b.ok {
		t.Fatal("sampleCPU could not read /proc/stat")
	}
	if a.busy <= 0 || a.busy > a.all || b.busy < a.busy || b.all < a.all {
		t.Fatalf("samples make no sense: %+v then %+v", a, b)
	}
}

// processCPU reads a process's user and system time: this process's grows
// while it computes, and a process that is not there reads as unknown.
func TestProcessCPU(t *testing.T) {
	a, ok := processCPU(0)
	if runtime.GOOS != "linux" {
		if ok {
			t.Fatalf("processCPU read something on %s: %d", runtime.GOOS, a)
		}
		return
	}
	if !ok {
		t.Fatal("processCPU(0) could not read /proc/self/stat")
	}
	// Keep a core busy until the process has run two ticks more: on a
	// machine busy with other tests that takes longer than 20 ms of wall
	// time, so the bound is wide; a reading that does not grow fails it.
	start := time.Now()
	b := a
	for ok && b-a < 2 && time.Since(start) < 20*time.Second {
		for spin := time.Now(); time.Since(spin) < 5*time.Millisecond; {
		}
		b, ok = processCPU(os.Getpid())
	}
	if !ok || b-a < 2 {
		t.Fatalf("processCPU: %d ticks, then %d (ok %v) after %v of work", a, b, ok, time.Since(start))
	}
	if _, ok := processCPU(1 << 30); ok {
		t.Fatal("processCPU of a process that does not exist read something")
	}
}

// perRequest splits a page's CPU time: the app server's, this process's,
// and the rest of the machine's (the machine's busy time less both).
func TestPerRequestSplitsTheMachinesCPU(t *testing.T) {
	before := cpuOf{machine: cpuSample{busy: 1000, all: 4000, steal: 10, ok: true}, app: 500, self: 100, machineOK: true, appOK: true, selfOK: true}
	after := cpuOf{machine: cpuSample{busy: 1200, all: 4400, steal: 50, ok: true}, app: 620, self: 110, machineOK: true, appOK: true, selfOK: true}
	p := after.since(before).perRequest(100) // 200 ticks busy: 120 app, 10 bench, 70 rest, over 100 requests
	if !p.OK || !p.AppOK || p.App != 12*time.Millisecond || p.Bench != time.Millisecond || p.Rest != 7*time.Millisecond || p.Steal != 0.1 {
		t.Fatalf("perRequest = %+v, want app 12 ms, bench 1 ms, rest 7 ms, steal 10 %%", p)
	}
	// Without the app's process, the rest holds the app's time too.
	before.appOK, after.appOK = false, false
	if p := after.since(before).perRequest(100); !p.OK || p.AppOK || p.Rest != 19*time.Millisecond {
		t.Fatalf("without the app: perRequest = %+v, want rest 19 ms", p)
	}
	if p := after.since(cpuOf{}).perRequest(100); p.OK {
		t.Fatalf("from an unread sample: perRequest = %+v, want not OK", p)
	}
	// A few requests within one clock tick: no time counted, zero (a
	// report's column of numbers, not "-").
	before.appOK, after.appOK = true, true
	if p := before.since(before).perRequest(4); !p.OK || !p.AppOK || p.App != 0 || p.Rest != 0 || p.Bench != 0 || p.Steal != 0 {
		t.Fatalf("within a tick: perRequest = %+v, want OK and zero", p)
	}
}
