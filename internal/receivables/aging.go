package receivables

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/users"
)

// AgingRow is one customer's line of the aging report, or the total.
type AgingRow struct {
	CompanyID   int64
	CompanyName string
	// Buckets are the open amounts of issued invoices and credit notes
	// (total − paid; a credit note's is negative) by days past due.
	Buckets [NumBuckets]int64
	// Unallocated is what the customer paid that is on no invoice yet.
	Unallocated int64
}

// OpenCents is the open amount of the row's invoices and credit notes.
func (r AgingRow) OpenCents() int64 {
	var sum int64
	for _, c := range r.Buckets {
		sum += c
	}
	return sum
}

// BalanceCents is what the customer owes: the open amount less its
// unallocated payments (negative when it paid more).
func (r AgingRow) BalanceCents() int64 { return r.OpenCents() - r.Unallocated }

// Aging is the accounts-receivable aging report on a day.
type Aging struct {
	Today time.Time
	Rows  []AgingRow
	Total AgingRow
}

// AgingOf is the aging report on day today of the customers by may see
// (an account manager's own, every customer's for finance and admins):
// per customer, by name, the open amount of its issued invoices and
// credit notes in the buckets of BucketOf by days past due, and its
// unallocated payments; a customer with neither is left out. It is
// AgingPageOf without a limit, for the download. Returns Forbidden for
// other roles.
func AgingOf(ctx context.Context, db bun.IDB, by *users.User, today time.Time) (*Aging, error) {
	p, err := AgingPageOf(ctx, db, by, today, 0, 0)
	if err != nil {
		return nil, err
	}
	return &p.Aging, nil
}
