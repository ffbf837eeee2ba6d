package loadtest

import (
	"fmt"
	"io"
	"runtime"

	"wholesale/internal/scale"
)

// dialogsPerStep is how many dialog steps (a page shown, or a form sent
// and the page it leads to) each step of the cycle takes.
var dialogsPerStep = [stepCount]int{3, 1, 1, 2, 1, 2}

// ReportO2C prints every level, then the figures of the most users under
// the target: throughput, SAPS, the time of each step, the CPU split; and
// the verification.
func ReportO2C(w io.Writer, r *O2CResult) {
	cores := runtime.NumCPU()
	fmt.Fprintf(w, "\n%6s %7s %9s %13s %15s %7s %14s %14s %10s %10s %10s %10s %8s %6s\n", "users", "cycles", "elapsed s", "line items/h",
		"dialog steps/h", "SAPS", "avg dialog ms", "p95 dialog ms", "app CPU s", "PG CPU s", "users CPU s", "other CPU s", "machine", "load")
	for _, l := range r.Levels {
		if l.Failed != nil {
			fmt.Fprintf(w, "%6d FAILED: %v\n", l.Users, l.Failed)
			continue
		}
		fmt.Fprintf(w, "%6d %7d %9.1f %13.0f %15.0f %7.1f %14.1f %14.1f %10s %10s %10.1f %10s %7.0f%% %6s\n", l.Users, l.Cycles, l.Elapsed.Seconds(),
			l.LineItemsPerHour(), l.DialogsPerHour(), l.SAPS(), ms(l.AvgDialog()), ms(p95(l.Dialogs)),
			seconds(l.CPU.App, l.CPU.AppOK), seconds(l.CPU.PG, l.CPU.PGOK), float64(l.CPU.Bench)/ticksPerSecond,
			seconds(l.CPU.others(), l.CPU.AppOK && l.CPU.PGOK && l.CPU.Machine.ok), 100*l.CPU.Machine.use(1).Busy, l.Load)
	}
	b := r.Best
	if b == nil {
		fmt.Fprintf(w, "no user count kept the average dialog response time under %s\n", r.Target)
	} else {
		fmt.Fprintf(w, "\nhighest user count under an average dialog response time of %s: %d users (load average %s when the level began, %d cores)\n",
			r.Target, b.Users, b.Load, cores)
		fmt.Fprintf(w, "throughput: %.0f fully processed line items/h, %.0f dialog steps/h\n", b.LineItemsPerHour(), b.DialogsPerHour())
		fmt.Fprintf(w, "SAPS equivalent: %.0f (line items/h ÷ 20), %.0f per CPU core (%d cores)\n", b.SAPS(), b.SAPS()/float64(cores), cores)
		fmt.Fprintf(w, "\n%-20s %12s %11s %11s %22s\n", "step", "dialog steps", "avg ms", "p95 ms", "avg ms per dialog step")
		for i, name := range StepNames {
			avg := mean(b.Steps[i])
			fmt.Fprintf(w, "%-20s %12d %11.1f %11.1f %22.1f\n", name, dialogsPerStep[i], ms(avg), ms(p95(b.Steps[i])), ms(avg)/float64(dialogsPerStep[i]))
		}
		reportSplit(w, b)
	}
	if len(r.Verify) == 0 {
		fmt.Fprintf(w, "\nverification: %d cycles, each left a placed, confirmed, shipped and invoiced order (its PDF stored); invoice numbers gapless; "+
			"stock booked; the %d invariants of seed-scale's check hold\n", len(r.Records), len(scale.Checks))
		return
	}
	fmt.Fprintf(w, "\nverification FAILED (%d cycles checked):\n", len(r.Records))
	for i, p := range r.Verify {
		if i == 20 {
			fmt.Fprintf(w, "  … and %d more\n", len(r.Verify)-i)
			break
		}
		fmt.Fprintf(w, "  %s\n", p)
	}
}

// reportSplit prints where the CPU time of a level went.
func reportSplit(w io.Writer, l *Level) {
	c := l.CPU
	busy := c.Machine.busy
	if !c.Machine.ok || busy <= 0 || !c.AppOK || !c.PGOK {
		fmt.Fprintf(w, "CPU split: not read (the server's process id, or PostgreSQL on this machine, unknown)\n")
		return
	}
	other := c.others()
	pct := func(t int64) float64 { return 100 * float64(t) / float64(busy) }
	perCycle := func(t int64) float64 { return 1000 * float64(t) / ticksPerSecond / float64(l.Cycles) }
	fmt.Fprintf(w, "CPU split of the machine's busy time (%.0f%% busy): app %.0f%%, PostgreSQL %.0f%%, simulated users %.0f%%, other processes %.0f%%\n",
		100*c.Machine.use(1).Busy, pct(c.App), pct(c.PG), pct(c.Bench), pct(other))
	fmt.Fprintf(w, "CPU per cycle: app %.1f ms, PostgreSQL %.1f ms (app : PostgreSQL = %.2f : 1), simulated users %.1f ms\n",
		perCycle(c.App), perCycle(c.PG), float64(c.App)/float64(max(c.PG, 1)), perCycle(c.Bench))
	// With the cores to itself and the CPU its only limit, the bench
	// would run as many cycles an hour as its CPU time per cycle fits in.
	items := float64(runtime.NumCPU()) * 3600 * 1000 / (perCycle(c.App) + perCycle(c.PG) + perCycle(c.Bench)) * o2cLines
	fmt.Fprintf(w, "estimate with the cores to itself, the CPU the only limit: %.0f line items/h, %.0f SAPS (not measured)\n", items, items/20)
}

func seconds(ticks int64, ok bool) string {
	if !ok {
		return "—"
	}
	return fmt.Sprintf("%.1f", float64(ticks)/ticksPerSecond)
}
