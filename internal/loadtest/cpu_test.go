package loadtest

import (
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
