package receivables_test

import (
	"context"
	"testing"

	"wholesale/internal/apperr"
	"wholesale/internal/receivables"
)

// TestStatement: a customer's open items, payments with what they went
// to, balance and credit position; another company's never.
func TestStatement(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	today := date(2026, 6, 30)
	e.at(today)
	overdueID, overdue := e.issue(e.nl, "invoice", 100_000, today.AddDate(0, 0, -10))
	_, current := e.issue(e.nl, "invoice", 50_000, today.AddDate(0, 0, 5))
	_, cn := e.issue(e.nl, "credit_note", -7_500, today)
	paidID, paid := e.issue(e.nl, "invoice", 20_000, today.AddDate(0, 0, -20))
	_, foreign := e.issue(e.other, "invoice", 99_900, today.AddDate(0, 0, -10))
	e.run() // the overdue invoices (10 days) get their first reminder
	var payment int64
	e.db.NewRaw(`INSERT INTO payments (company_id, amount_cents, unallocated_cents, received_on, reference, source, created_at)
		VALUES (?, 50000, 10000, '2026-06-25', 'FACTUUR 2026', 'manual', now()) RETURNING id`, e.nl.ID).Scan(context.Background(), &payment)
	e.exec(`INSERT INTO allocations (company_id, payment_id, invoice_id, amount_cents, reason, created_at) VALUES (?, ?, ?, 20000, 'chosen', now()),
		(?, ?, ?, 20000, 'oldest_first', now())`, e.nl.ID, payment, paidID, e.nl.ID, payment, overdueID)
	e.exec(`UPDATE invoices SET paid_cents = 20000 WHERE id IN (?, ?)`, paidID, overdueID)
	e.exec(`INSERT INTO payments (company_id, amount_cents, unallocated_cents, received_on, reference, source, created_at)
		VALUES (?, 99900, 99900, '2026-06-26', 'OTHER', 'manual', now())`, e.other.ID)

	st, err := receivables.StatementOf(context.Background(), e.db, e.buyer, e.clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]receivables.OpenItem{}
	for _, it := range st.Open {
		got[it.Number] = it
	}
	if len(st.Open) != 3 || got[overdue].OpenCents != 80_000 || !got[overdue].Overdue || len(got[overdue].Reminders) != 1 ||
		got[current].Overdue || got[cn].OpenCents != -7_500 || got[cn].Overdue {
		t.Errorf("open items: %+v", st.Open)
	}
	if _, ok := got[paid]; ok {
		t.Errorf("a paid invoice is open: %+v", st.Open)
	}
	if _, ok := got[foreign]; ok {
		t.Errorf("another company's invoice is on the statement")
	}
	if st.OpenCents != 122_500 || st.UnallocatedCents != 10_000 || st.BalanceCents() != 112_500 {
		t.Errorf("open %d, unallocated %d, balance %d", st.OpenCents, st.UnallocatedCents, st.BalanceCents())
	}
	if len(st.Payments) != 1 || st.Payments[0].Reference != "FACTUUR 2026" || len(st.Payments[0].Allocations) != 2 ||
		st.Payments[0].Allocations[0].InvoiceNumber != paid {
		t.Errorf("payments: %+v", st.Payments)
	}
	// The exposure counts the open items less the payment not yet allocated.
	if st.Credit.LimitCents != 1_000_000 || st.Credit.Receivables != 112_500 || !st.Credit.Overdue {
		t.Errorf("credit: %+v", st.Credit)
	}
	if _, err := receivables.StatementOf(context.Background(), e.db, e.fin, e.clk.Now()); apperr.KindOf(err) != apperr.Forbidden {
		t.Errorf("finance has a statement: %v", err)
	}
}
