package receivables_test

import (
	"context"
	"testing"
	"time"

	"wholesale/internal/apperr"
	"wholesale/internal/clock"
	"wholesale/internal/receivables"
	"wholesale/internal/users"
)

func TestBucketEdges(t *testing.T) {
	for days, want := range map[int]int{-30: receivables.Current, -1: receivables.Current, 0: receivables.Current,
		1: receivables.Days1To30, 30: receivables.Days1To30, 31: receivables.Days31To60, 60: receivables.Days31To60,
		61: receivables.Days61To90, 90: receivables.Days61To90, 91: receivables.Over90, 1000: receivables.Over90} {
		if got := receivables.BucketOf(days); got != want {
			t.Errorf("%d days past due: bucket %d, want %d", days, got, want)
		}
	}
}

// TestAgingEdgesWithTheClockMoved puts one invoice of 100,00 in the
// report with the clock on its due date and 1, 30, 31, 90 and 91 days
// after it, and checks the bucket it is in.
func TestAgingEdgesWithTheClockMoved(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	due := date(2026, 3, 2)
	e.issue(e.nl, "invoice", 10_000, due)
	for _, c := range []struct {
		days, bucket int
	}{{0, receivables.Current}, {1, receivables.Days1To30}, {30, receivables.Days1To30}, {31, receivables.Days31To60},
		{60, receivables.Days31To60}, {61, receivables.Days61To90}, {90, receivables.Days61To90}, {91, receivables.Over90}} {
		// Just after midnight in Amsterdam, still the day before in UTC:
		// the day is Amsterdam's.
		day := due.AddDate(0, 0, c.days)
		e.clk.Set(time.Date(day.Year(), day.Month(), day.Day(), 0, 30, 0, 0, clock.Amsterdam))
		a, err := receivables.AgingOf(context.Background(), e.db, e.fin, receivables.Today(e.clk.Now()))
		if err != nil {
			t.Fatal(err)
		}
		var want [receivables.NumBuckets]int64
		want[c.bucket] = 10_000
		if len(a.Rows) != 1 || a.Rows[0].Buckets != want || a.Total.Buckets != want {
			t.Errorf("day %d (%s): rows %+v, total %+v; want 100,00 in bucket %d", c.days, a.Today.Format(time.DateOnly), a.Rows, a.Total, c.bucket)
		}
	}
}

// TestAgingPerCustomerAndTotal: credit notes lower the open amount,
// paid invoices are left out, part-paid ones count with what is open,
// unallocated payments are a column of their own, and an account manager
// sees their own customers only.
func TestAgingPerCustomerAndTotal(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.at(date(2026, 6, 30))
	today := date(2026, 6, 30)
	e.issue(e.nl, "invoice", 100_000, today)                       // current
	e.issue(e.nl, "invoice", 20_000, today.AddDate(0, 0, -45))     // 31–60
	e.issue(e.nl, "credit_note", -5_000, today.AddDate(0, 0, -10)) // 1–30, lowers
	paid, _ := e.issue(e.nl, "invoice", 70_000, today.AddDate(0, 0, -100))
	e.exec(`UPDATE invoices SET paid_cents = total_incl_cents WHERE id = ?`, paid) // left out
	part, _ := e.issue(e.de, "invoice", 30_000, today.AddDate(0, 0, -95))
	e.exec(`UPDATE invoices SET paid_cents = 10000 WHERE id = ?`, part) // 200,00 over 90
	e.issue(e.other, "invoice", 40_000, today.AddDate(0, 0, -70))       // 61–90, another manager's
	e.exec(`INSERT INTO payments (company_id, amount_cents, unallocated_cents, received_on, reference, source, created_at)
		VALUES (?, 15000, 12500, '2026-06-20', 'BJ overpaid', 'manual', now())`, e.nl.ID)

	a, err := receivables.AgingOf(context.Background(), e.db, e.fin, today)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Rows) != 3 {
		t.Fatalf("rows: %+v", a.Rows)
	}
	// By name: Andere Klant, Bakkerij Jansen, Küchenwelt.
	want := map[string][receivables.NumBuckets]int64{
		"Andere Klant B.V.":      {0, 0, 0, 40_000, 0},
		"Bakkerij Jansen B.V.":   {100_000, -5_000, 20_000, 0, 0},
		"Küchenwelt Müller GmbH": {0, 0, 0, 0, 20_000},
	}
	for _, r := range a.Rows {
		if r.Buckets != want[r.CompanyName] {
			t.Errorf("%s: %v, want %v", r.CompanyName, r.Buckets, want[r.CompanyName])
		}
	}
	jansen := a.Rows[1]
	if jansen.CompanyName != "Bakkerij Jansen B.V." || jansen.OpenCents() != 115_000 || jansen.Unallocated != 12_500 || jansen.BalanceCents() != 102_500 {
		t.Errorf("Jansen: open %d, unallocated %d, balance %d", jansen.OpenCents(), jansen.Unallocated, jansen.BalanceCents())
	}
	if a.Total.Buckets != [receivables.NumBuckets]int64{100_000, -5_000, 20_000, 40_000, 20_000} || a.Total.Unallocated != 12_500 || a.Total.BalanceCents() != 162_500 {
		t.Errorf("total: %+v, balance %d", a.Total, a.Total.BalanceCents())
	}

	mine, err := receivables.AgingOf(context.Background(), e.db, e.am, today)
	if err != nil {
		t.Fatal(err)
	}
	if len(mine.Rows) != 2 || mine.Total.Buckets[receivables.Days61To90] != 0 {
		t.Errorf("the account manager sees another's customer: %+v", mine.Rows)
	}
	if _, err := receivables.AgingOf(context.Background(), e.db, e.buyer, today); apperr.KindOf(err) != apperr.Forbidden {
		t.Errorf("a customer's user reads the aging report: %v", err)
	}
	if _, err := receivables.AgingOf(context.Background(), e.db, &users.User{Role: users.RoleWarehouse}, today); apperr.KindOf(err) != apperr.Forbidden {
		t.Errorf("the warehouse reads the aging report: %v", err)
	}
}

// TestOverdueList: the reminder list's invoices, orders and scope.
func TestOverdueList(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	today := date(2026, 6, 30)
	e.at(today)
	_, dueToday := e.issue(e.nl, "invoice", 1_000, today)
	_, old := e.issue(e.nl, "invoice", 2_000, today.AddDate(0, 0, -40))
	_, recent := e.issue(e.de, "invoice", 3_000, today.AddDate(0, 0, -1))
	_, others := e.issue(e.other, "invoice", 4_000, today.AddDate(0, 0, -8))
	e.run() // the first reminder of the other customer's invoice (8 days), the second of the old one (40)
	list, n, err := receivables.Overdue(context.Background(), e.db, e.fin, today, receivables.MostOverdue)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, inv := range list {
		got = append(got, inv.Number)
	}
	if n != 3 || len(got) != 3 || got[0] != old || got[1] != others || got[2] != recent {
		t.Errorf("most overdue first: %v (%d), want %s %s %s and not %s (due today)", got, n, old, others, recent, dueToday)
	}
	if list[0].DaysOverdue != 40 || len(list[0].Reminders) != 1 || list[0].Reminders[0].Level != 2 || list[1].OpenCents != 4_000 {
		t.Errorf("the rows: %+v", list)
	}
	mine, n, err := receivables.Overdue(context.Background(), e.db, e.am, today, receivables.Newest)
	if err != nil || n != 2 || mine[0].Number != recent || mine[1].Number != old {
		t.Errorf("the account manager's, newest first: %+v %d %v", mine, n, err)
	}
	if c, earliest, err := receivables.CountOverdue(context.Background(), e.db, e.am, today); err != nil || c != 2 || !earliest.Equal(today.AddDate(0, 0, -40)) {
		t.Errorf("count: %d %v %v", c, earliest, err)
	}
}
