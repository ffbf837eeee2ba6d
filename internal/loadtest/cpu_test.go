package loadtest

import (
	"runtime"
	"testing"
	"time"
)

func TestCPUBetween(t *testing.T) {
	a := cpuSample{busy: 1000, all: 4000, ok: true}
	b := cpuSample{busy: 1300, all: 4400, ok: true} // 300 of 400 ticks busy
	u := cpuBetween(a, b, 600)
	if !u.OK || u.Busy != 0.75 || u.PerUnit != 5*time.Millisecond { // 3 s of CPU over 600 units
		t.Fatalf("cpuBetween = %+v, want 75%% busy and 5ms per unit", u)
	}
	for _, c := range []struct {
		name string
		a, b cpuSample
		n    float64
	}{
		{"unreadable start", cpuSample{}, b, 600},
		{"no time passed", a, a, 600},
		{"no work done", a, b, 0},
	} {
		if u := cpuBetween(c.a, c.b, c.n); u.OK {
			t.Errorf("%s: cpuBetween = %+v, want not OK", c.name, u)
		}
	}
}

func TestSampleCPU(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("/proc/stat is Linux's")
	}
	a := sampleCPU()
	deadline := time.Now().Add(50 * time.Millisecond)
	for time.Now().Before(deadline) { // keep a core busy for a few ticks
	}
	b := sampleCPU()
	if !a.ok || !b.ok {
		t.Fatal("sampleCPU could not read /proc/stat")
	}
	if a.busy <= 0 || a.busy > a.all || b.busy < a.busy || b.all < a.all {
		t.Fatalf("samples make no sense: %+v then %+v", a, b)
	}
}
