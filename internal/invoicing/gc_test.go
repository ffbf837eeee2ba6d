package invoicing

import (
	"runtime/debug"
	"testing"
)

func TestRunsRelaxTheCollectorAndTheLastPutsItBack(t *testing.T) {
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	a := relaxGC()
	b := relaxGC()
	if got := debug.SetGCPercent(runGCPercent); got != runGCPercent {
		t.Fatalf("GOGC %d during two runs", got)
	}
	a()
	if got := debug.SetGCPercent(runGCPercent); got != runGCPercent {
		t.Fatalf("GOGC %d while one run still lasts", got)
	}
	b()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Fatalf("GOGC %d after the runs, want 100 back", got)
	}
	debug.SetGCPercent(-1) // off: a run leaves it off
	c := relaxGC()
	if got := debug.SetGCPercent(-1); got != -1 {
		t.Errorf("a run turned a collector that was off on: %d", got)
	}
	c()
}
