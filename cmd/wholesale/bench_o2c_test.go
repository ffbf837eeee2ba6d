package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"wholesale/internal/pgtest"
)

// `wholesale bench o2c` at a tiny size, on a new database: it fills in the
// wholesaler's details, sets up 2 users (an account manager with a
// customer and products, a warehouse clerk and a finance clerk each), runs
// 3 cycles each through the pages (order, confirm, display, ship, list,
// invoice) and reports the throughput in SAPS, each step's times, the CPU
// split, and a verification pass that holds: every cycle left a placed,
// confirmed, shipped and invoiced order, with gapless invoice numbers and
// the stock booked.
func TestBenchO2C(t *testing.T) {
	t.Setenv(asBinary, "1") // the app server the bench starts is this binary
	db := pgtest.New(t)
	getenv := env(map[string]string{"DATABASE_URL": pgtest.DSN(t, db)})
	var out bytes.Buffer
	err := run(context.Background(), []string{"bench", "o2c", "-users", "2", "-max-users", "2", "-cycles", "3", "-history", "41"}, getenv, &out, &out)
	if err != nil {
		t.Fatalf("bench o2c: %v\n%s", err, out.String())
	}
	report := out.String()
	t.Log(report)
	if !regexp.MustCompile(`(?m)^ +2 +6 +[0-9.]+ +[0-9]+ +[0-9]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +-?[0-9.]+ +[0-9]+% +[0-9.]+$`).MatchString(report) {
		t.Errorf("no line for the level of 2 users and 6 cycles:\n%s", report)
	}
	for _, step := range []string{`order \(VA01\) +3`, `confirm +1`, `display \(VA03\) +1`, `ship \(VL01N\+VL02N\) +2`, `list \(VA05\) +1`, `invoice \(VF01\) +2`} {
		if !regexp.MustCompile(`(?m)^` + step + ` +[0-9.]+ +[0-9.]+ +[0-9.]+$`).MatchString(report) {
			t.Errorf("no line for step %s:\n%s", step, report)
		}
	}
	for _, want := range []string{"the wholesaler's details were incomplete", "highest user count under an average dialog response time of 1s: 2 users (load average ",
		"SAPS equivalent: ", "CPU split of the machine's busy time", "app : PostgreSQL", "estimate with the cores to itself",
		"verification: 6 cycles, each left a placed, confirmed, shipped and invoiced order (its PDF stored); invoice numbers gapless; stock booked"} {
		if !strings.Contains(report, want) {
			t.Errorf("the report lacks %q:\n%s", want, report)
		}
	}
}
