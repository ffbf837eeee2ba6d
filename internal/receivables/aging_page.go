package receivables

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/users"
)

// AgingPage is one page of the aging report: Rows are its customers, in
// the report's order; Total and Customers are over the whole report.
type AgingPage struct {
	Aging
	// Customers is how many customers the whole report has.
	Customers int
	// Offset is how many customers come before the page's first.
	Offset int
}

// agingPageRow is a customer's row as the page's query returns it, with
// the report's total and size on every row.
type agingPageRow struct {
	CompanyID   int64  `bun:"company_id"`
	CompanyName string `bun:"company_name"`
	B0          int64  `bun:"b0"`
	B1          int64  `bun:"b1"`
	B2          int64  `bun:"b2"`
	B3          int64  `bun:"b3"`
	B4          int64  `bun:"b4"`
	Unallocated int64  `bun:"unallocated"`
	T0          int64  `bun:"t0"`
	T1          int64  `bun:"t1"`
	T2          int64  `bun:"t2"`
	T3          int64  `bun:"t3"`
	T4          int64  `bun:"t4"`
	TUnalloc    int64  `bun:"t_unallocated"`
	Customers   int    `bun:"customers"`
}

// agingPageSQL sums each customer's open items into the buckets of
// BucketOf (days past due counted as ?today − due date) in PostgreSQL, and
// returns one page of the customers by name, each row with the totals of
// the whole report (window sums, taken before the limit). Its arguments:
// today, the account manager (0: all) twice, limit, offset.
const agingPageSQL = `WITH items AS (
	SELECT i.company_id, ?0::date - i.due_date AS days, i.total_incl_cents - i.paid_cents AS open_cents, 0::bigint AS unallocated_cents
	FROM invoices i WHERE i.state = 'issued' AND i.total_incl_cents - i.paid_cents <> 0
	UNION ALL
	SELECT p.company_id, NULL, 0, p.unallocated_cents FROM payments p WHERE p.unallocated_cents > 0
), per AS (
	SELECT x.company_id, c.name AS company_name,
		COALESCE(sum(x.open_cents) FILTER (WHERE x.days <= 0), 0) AS b0,
		COALESCE(sum(x.open_cents) FILTER (WHERE x.days BETWEEN 1 AND 30), 0) AS b1,
		COALESCE(sum(x.open_cents) FILTER (WHERE x.days BETWEEN 31 AND 60), 0) AS b2,
		COALESCE(sum(x.open_cents) FILTER (WHERE x.days BETWEEN 61 AND 90), 0) AS b3,
		COALESCE(sum(x.open_cents) FILTER (WHERE x.days > 90), 0) AS b4,
		sum(x.unallocated_cents) AS unallocated
	FROM items x JOIN companies c ON c.id = x.company_id
	WHERE ?1::bigint = 0 OR c.account_manager_id = ?1
	GROUP BY x.company_id, c.name
)
SELECT per.*, sum(b0) OVER () AS t0, sum(b1) OVER () AS t1, sum(b2) OVER () AS t2, sum(b3) OVER () AS t3,
	sum(b4) OVER () AS t4, sum(unallocated) OVER () AS t_unallocated, count(*) OVER () AS customers
FROM per ORDER BY lower(company_name) COLLATE "C", company_id LIMIT ?2 OFFSET ?3`

// AgingPageOf is the aging report of AgingOf on day today, of the
// customers by may see, summed in the database: the size customers (all
// when size is 0) from place offset (from 0) on, with the total over all
// of them. A page past the last gives the first. Returns Forbidden for
// other roles.
func AgingPageOf(ctx context.Context, db bun.IDB, by *users.User, today time.Time, offset, size int) (*AgingPage, error) {
	managerID, err := scope(by)
	if err != nil {
		return nil, err
	}
	var rows []agingPageRow
	var limit any // NULL: no limit
	if size > 0 {
		limit = size
	}
	query := func(offset int) error {
		rows = rows[:0]
		return db.NewRaw(agingPageSQL, today.Format(time.DateOnly), managerID, limit, offset).Scan(ctx, &rows)
	}
	if err := query(max(offset, 0)); err != nil {
		return nil, fmt.Errorf("receivables: aging page: %w", err)
	}
	p := &AgingPage{Aging: Aging{Today: today}, Offset: max(offset, 0)}
	if len(rows) == 0 && p.Offset > 0 {
		if err := query(0); err != nil {
			return nil, fmt.Errorf("receivables: aging page: %w", err)
		}
		p.Offset = 0
	}
	for _, r := range rows {
		p.Rows = append(p.Rows, AgingRow{CompanyID: r.CompanyID, CompanyName: r.CompanyName,
			Buckets: [NumBuckets]int64{r.B0, r.B1, r.B2, r.B3, r.B4}, Unallocated: r.Unallocated})
		p.Total = AgingRow{Buckets: [NumBuckets]int64{r.T0, r.T1, r.T2, r.T3, r.T4}, Unallocated: r.TUnalloc}
		p.Customers = r.Customers
	}
	return p, nil
}
