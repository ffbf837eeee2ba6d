package receivables_test

import (
	"context"
	"testing"

	"wholesale/internal/apperr"
	"wholesale/internal/receivables"
	"wholesale/internal/users"
)

// The pages of the report (AgingPageOf) are the whole report (AgingOf, no
// limit) cut in pages: the same customers in the same order with the same
// buckets, the total over all on every page, on every day of the bucket
// edges and for an account manager's customers; a page past the last
// gives the first, and other roles are refused.
func TestAgingPagesAgreeWithTheWholeReport(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	today := date(2026, 6, 30)
	e.at(today)
	e.issue(e.nl, "invoice", 100_000, today)
	e.issue(e.nl, "invoice", 20_000, today.AddDate(0, 0, -45))
	e.issue(e.nl, "credit_note", -5_000, today.AddDate(0, 0, -10))
	part, _ := e.issue(e.de, "invoice", 30_000, today.AddDate(0, 0, -95))
	e.exec(`UPDATE invoices SET paid_cents = 10000 WHERE id = ?`, part)
	e.issue(e.other, "invoice", 40_000, today.AddDate(0, 0, -70))
	e.issue(e.other, "invoice", 7_000, today.AddDate(0, 0, -30))
	e.exec(`INSERT INTO payments (company_id, amount_cents, unallocated_cents, received_on, reference, source, created_at)
		VALUES (?, 15000, 12500, '2026-06-20', 'overpaid', 'manual', now())`, e.nl.ID)
	ctx := context.Background()
	for _, by := range []*users.User{e.fin, e.am} {
		for _, shift := range []int{0, 1, 30, 31, 60, 61, 90, 91, 200} {
			day := today.AddDate(0, 0, shift)
			whole, err := receivables.AgingOf(ctx, e.db, by, day)
			if err != nil {
				t.Fatal(err)
			}
			var got []receivables.AgingRow
			for offset := 0; offset < len(whole.Rows)+2; offset += 2 {
				p, err := receivables.AgingPageOf(ctx, e.db, by, day, offset, 2)
				if err != nil {
					t.Fatal(err)
				}
				if p.Customers != len(whole.Rows) || p.Total != whole.Total {
					t.Fatalf("%s, day +%d, offset %d: %d customers, total %+v; want %d, %+v", by.Email, shift, offset, p.Customers, p.Total, len(whole.Rows), whole.Total)
				}
				if offset >= len(whole.Rows) {
					if p.Offset != 0 || len(p.Rows) != min(2, len(whole.Rows)) {
						t.Errorf("a page past the last: offset %d, %d rows; want the first page", p.Offset, len(p.Rows))
					}
					continue
				}
				got = append(got, p.Rows...)
			}
			if len(got) != len(whole.Rows) {
				t.Fatalf("%s, day +%d: %d rows over the pages, want %d", by.Email, shift, len(got), len(whole.Rows))
			}
			for i := range got {
				if got[i] != whole.Rows[i] {
					t.Errorf("%s, day +%d, row %d: %+v, want %+v", by.Email, shift, i, got[i], whole.Rows[i])
				}
			}
		}
	}
	if _, err := receivables.AgingPageOf(ctx, e.db, e.buyer, today, 0, 2); apperr.KindOf(err) != apperr.Forbidden {
		t.Errorf("a customer's user reads the aging report: %v", err)
	}
}
