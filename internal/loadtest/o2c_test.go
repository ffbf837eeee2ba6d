package loadtest

import (
	"os"
	"testing"
	"time"
)

// The ramp doubles the users while the average dialog response time
// stays under the target (or adds -step), then halves the gap between the
// most users under it and the fewest over it until the gap is at most an
// eighth of the users under it (from none, when the first level is over).
func TestNextUsers(t *testing.T) {
	double, step := O2COptions{}, O2COptions{Step: 5}
	for _, c := range []struct {
		name   string
		o      O2COptions
		lo, hi int
		want   int
	}{
		{"under the target: double", double, 4, 0, 8},
		{"under the target: add the step", step, 4, 0, 9},
		{"the first level over the target: half", double, 0, 4, 2},
		{"one user over the target: done", double, 0, 1, 0},
		{"between: halve the gap", double, 32, 64, 48},
		{"a gap of an eighth: done", double, 48, 54, 0},
		{"a gap of one: done", double, 5, 6, 0},
	} {
		if got := nextUsers(c.o, c.lo, c.hi); got != c.want {
			t.Errorf("%s: nextUsers(lo %d, hi %d) = %d, want %d", c.name, c.lo, c.hi, got, c.want)
		}
	}
}

func TestParseProcStat(t *testing.T) {
	// A command with a space and a parenthesis; fields 14 to 17 are the times.
	line := "4242 (post gres) x) S 17 4242 4242 0 -1 4194560 100 0 0 0 250 75 30 12 20 0 1 0 100 0 0\n"
	got, err := parseProcStat(line)
	if err != nil || got.PPID != 17 || got.UTime != 250 || got.STime != 75 || got.CUTime != 30 || got.CSTime != 12 || got.own() != 325 {
		t.Fatalf("parseProcStat = %+v, %v; want parent 17, times 250 75 30 12", got, err)
	}
	for _, bad := range []string{"4242 no command S 1", "4242 (x) S 1 2", "4242 (x) S 1 2 3 4 5 6 7 8 9 10 ten 12 13 14 15"} {
		if _, err := parseProcStat(bad); err == nil {
			t.Errorf("parseProcStat(%q) succeeded", bad)
		}
	}
	if got, err := readProcStat(os.Getpid()); err != nil || got.PPID <= 0 {
		t.Fatalf("readProcStat(self) = %+v, %v", got, err)
	}
}

// A level's figures: line items of 5 lines a cycle per hour, SAPS their
// twentieth, dialog steps per hour, and the average dialog response time.
func TestLevelFigures(t *testing.T) {
	l := &Level{Users: 2, Cycles: 10, Elapsed: time.Minute, Dialogs: []time.Duration{time.Second, 3 * time.Second}}
	if l.LineItemsPerHour() != 3000 || l.SAPS() != 150 || l.DialogsPerHour() != 120 || l.AvgDialog() != 2*time.Second {
		t.Fatalf("line items/h %v, SAPS %v, dialog steps/h %v, average %v; want 3000, 150, 120, 2s",
			l.LineItemsPerHour(), l.SAPS(), l.DialogsPerHour(), l.AvgDialog())
	}
}
