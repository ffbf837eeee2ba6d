package receivables

import (
	"context"
	"fmt"
	"sort"
	"strings"
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

// agingItem is one customer's open amount due on one day.
type agingItem struct {
	CompanyID   int64     `bun:"company_id"`
	CompanyName string    `bun:"company_name"`
	DueDate     time.Time `bun:"due_date,type:date"`
	OpenCents   int64     `bun:"open_cents"`
	Unallocated int64     `bun:"unallocated_cents"`
}

// AgingOf is the aging report on day today of the customers by may see
// (an account manager's own, every customer's for finance and admins):
// per customer, by name, the open amount of its issued invoices and
// credit notes in the buckets of BucketOf by days past due, and its
// unallocated payments; a customer with neither is left out. Returns
// Forbidden for other roles.
func AgingOf(ctx context.Context, db bun.IDB, by *users.User, today time.Time) (*Aging, error) {
	managerID, err := scope(by)
	if err != nil {
		return nil, err
	}
	var items []agingItem
	err = db.NewRaw(`SELECT c.id AS company_id, c.name AS company_name, x.due_date, x.open_cents, x.unallocated_cents
		FROM (
			SELECT i.company_id, i.due_date, sum(i.total_incl_cents - i.paid_cents) AS open_cents, 0 AS unallocated_cents
			FROM invoices i WHERE i.state = 'issued' AND i.total_incl_cents - i.paid_cents <> 0
			GROUP BY i.company_id, i.due_date
			UNION ALL
			SELECT p.company_id, NULL, 0, sum(p.unallocated_cents) FROM payments p WHERE p.unallocated_cents > 0
			GROUP BY p.company_id
		) x JOIN companies c ON c.id = x.company_id
		WHERE ?::bigint = 0 OR c.account_manager_id = ?`, managerID, managerID).Scan(ctx, &items)
	if err != nil {
		return nil, fmt.Errorf("receivables: aging: %w", err)
	}
	return agingFrom(items, today), nil
}

// agingFrom puts the items in their customers' rows and buckets.
func agingFrom(items []agingItem, today time.Time) *Aging {
	a := &Aging{Today: today}
	rows := map[int64]*AgingRow{}
	for _, it := range items {
		r := rows[it.CompanyID]
		if r == nil {
			r = &AgingRow{CompanyID: it.CompanyID, CompanyName: it.CompanyName}
			rows[it.CompanyID] = r
		}
		if it.Unallocated != 0 {
			r.Unallocated += it.Unallocated
			a.Total.Unallocated += it.Unallocated
		}
		if it.OpenCents != 0 {
			b := BucketOf(DaysPastDue(it.DueDate, today))
			r.Buckets[b] += it.OpenCents
			a.Total.Buckets[b] += it.OpenCents
		}
	}
	for _, r := range rows {
		a.Rows = append(a.Rows, *r)
	}
	sort.Slice(a.Rows, func(i, j int) bool {
		if x, y := strings.ToLower(a.Rows[i].CompanyName), strings.ToLower(a.Rows[j].CompanyName); x != y {
			return x < y
		}
		return a.Rows[i].CompanyID < a.Rows[j].CompanyID
	})
	return a
}
