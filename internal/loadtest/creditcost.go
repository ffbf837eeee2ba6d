package loadtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/clock"
	"wholesale/internal/credit"
	"wholesale/internal/customers"
	"wholesale/internal/postgres"
)

// CreditCost is what the credit check of a new order costs for one customer.
type CreditCost struct {
	Name string
	// OpenItems are the rows an exposure that reads only open items
	// reads: open orders, unpaid invoices (twice: the receivables and
	// the overdue test) and unallocated payments.
	OpenItems int64
	P50, P95  time.Duration
	Plan      planStats
}

// CreditResult compares the credit check of a new order for the busiest
// customer with one for a customer without history.
type CreditResult struct {
	Runs           int
	Busiest, Fresh CreditCost
	Orders         int64 // rows of the orders table
}

// Met says whether the busiest customer's check reads only its open items
// through indexes: no table read whole, no more rows than its open items.
func (r *CreditResult) Met() bool {
	return len(r.Busiest.Plan.SeqScans) == 0 && r.Busiest.Plan.RowsRead <= r.Busiest.OpenItems
}

// errRollback ends the measuring transaction without keeping the new customer.
var errRollback = errors.New("rolled back")

// positionSQL is the credit position as order entry reads it
// (credit.PositionSQL), as a statement to prepare and explain.
var positionSQL = `SELECT ` + credit.PositionSQL("c", "$1", "$3") + ` FROM companies c WHERE c.id = $2`

// CompareCredit measures the credit check (credit.Of, the position that
// placing an order reads) runs times for the busiest customer and for a
// new one, alternately, in one transaction that makes the new customer and
// is rolled back, and explains both with PostgreSQL's generic plan, the
// one the app's prepared statement runs.
func CompareCredit(ctx context.Context, db *bun.DB, runs int) (*CreditResult, error) {
	res := &CreditResult{Runs: runs}
	var busiest int64
	err := db.NewRaw(`SELECT company_id FROM orders GROUP BY company_id ORDER BY count(*) DESC, company_id LIMIT 1`).Scan(ctx, &busiest)
	if err != nil {
		return nil, fmt.Errorf("the busiest customer: %w", err)
	}
	if err := db.NewRaw(`SELECT count(*) FROM orders`).Scan(ctx, &res.Orders); err != nil {
		return nil, err
	}
	now := clock.System{}.Now()
	err = postgres.Run(ctx, db, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		addr := customers.Address{Street: "Nieuwe Weg 1", Postcode: "1000 AA", City: "Amsterdam", Country: "NL"}
		fresh := &customers.Company{Name: "Bench: a new customer", Visiting: addr, Invoice: addr, ContactEmail: "new@bench.test",
			PaymentTerms: customers.TermsCredit, CreditLimitCents: 1_000_000}
		if err := customers.Insert(ctx, tx, now, fresh); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `PREPARE bench_credit_position(bigint, bigint, date) AS `+positionSQL); err != nil {
			return err
		}
		ids := []int64{busiest, fresh.ID}
		costs := []*CreditCost{&res.Busiest, &res.Fresh}
		for i, id := range ids {
			if err := describe(ctx, tx, id, now, costs[i]); err != nil {
				return err
			}
		}
		lat := [][]time.Duration{make([]time.Duration, runs), make([]time.Duration, runs)}
		for r := 0; r < runs; r++ {
			for i, id := range ids {
				t0 := time.Now()
				if _, err := credit.Of(ctx, tx, id, 0, now); err != nil {
					return err
				}
				lat[i][r] = time.Since(t0)
			}
		}
		for i := range ids {
			costs[i].P50, costs[i].P95, _ = percentiles(lat[i])
		}
		if _, err := tx.ExecContext(ctx, `DEALLOCATE bench_credit_position`); err != nil {
			return err
		}
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		return nil, err
	}
	return res, nil
}

// describe reads a customer's name and open items, and explains its
// credit position.
func describe(ctx context.Context, tx *postgres.Tx, id int64, now time.Time, c *CreditCost) error {
	err := tx.NewRaw(`SELECT c.name,
		(SELECT count(*) FROM orders o WHERE o.company_id = c.id AND o.state = 'placed' AND o.status <> 'invoiced')
		+ 2 * (SELECT count(*) FROM invoices i WHERE i.company_id = c.id AND i.state = 'issued' AND i.total_incl_cents - i.paid_cents <> 0)
		+ (SELECT count(*) FROM payments p WHERE p.company_id = c.id AND p.unallocated_cents > 0)
		FROM companies c WHERE c.id = ?`, id).Scan(ctx, &c.Name, &c.OpenItems)
	if err != nil {
		return err
	}
	var plan string
	if err := tx.QueryRowContext(ctx, `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE bench_credit_position(0, ?, ?::date)`,
		id, credit.Today(now)).Scan(&plan); err != nil {
		return err
	}
	c.Plan, err = readPlan([]byte(plan))
	return err
}

// planStats is what an EXPLAIN (ANALYZE, BUFFERS) says of the tables a
// credit position sums.
type planStats struct {
	Buffers  int64    // shared blocks hit and read
	RowsRead int64    // rows of orders, invoices and payments returned or filtered out by their scans
	SeqScans []string // those of them read whole
}

type planNode struct {
	NodeType string     `json:"Node Type"`
	Relation string     `json:"Relation Name"`
	Rows     float64    `json:"Actual Rows"`
	Loops    float64    `json:"Actual Loops"`
	Filtered float64    `json:"Rows Removed by Filter"`
	Rechecks float64    `json:"Rows Removed by Index Recheck"`
	Hit      int64      `json:"Shared Hit Blocks"`
	Read     int64      `json:"Shared Read Blocks"`
	Plans    []planNode `json:"Plans"`
}

// summed are the tables a credit position sums.
var summed = map[string]bool{"orders": true, "invoices": true, "payments": true}

// readPlan reads EXPLAIN's JSON.
func readPlan(b []byte) (planStats, error) {
	var plans []struct {
		Plan planNode `json:"Plan"`
	}
	if err := json.Unmarshal(b, &plans); err != nil || len(plans) != 1 {
		return planStats{}, fmt.Errorf("EXPLAIN's plan: %v\n%s", err, b)
	}
	s := planStats{Buffers: plans[0].Plan.Hit + plans[0].Plan.Read}
	var walk func(n planNode)
	walk = func(n planNode) {
		if summed[n.Relation] {
			// Actual rows and rows removed are per loop.
			s.RowsRead += int64((n.Rows + n.Filtered + n.Rechecks) * n.Loops)
			if n.NodeType == "Seq Scan" {
				s.SeqScans = append(s.SeqScans, n.Relation)
			}
		}
		for _, c := range n.Plans {
			walk(c)
		}
	}
	walk(plans[0].Plan)
	return s, nil
}

// ReportCredit prints the two customers' credit checks side by side.
func ReportCredit(w io.Writer, r *CreditResult) {
	fmt.Fprintf(w, "\ncredit check of a new order (credit.Of, the position placing reads), %d times each, alternately:\n", r.Runs)
	fmt.Fprintf(w, "%-44s %10s %9s %8s %-10s %7s %7s\n", "customer", "open items", "rows read", "buffers", "seq scans", "p50 ms", "p95 ms")
	for _, c := range []struct {
		label string
		c     CreditCost
	}{{"busiest: " + r.Busiest.Name, r.Busiest}, {"a new customer", r.Fresh}} {
		seq := strings.Join(c.c.Plan.SeqScans, ",")
		if seq == "" {
			seq = "none"
		}
		label := []rune(c.label)
		if len(label) > 44 {
			label = append(label[:43], '…')
		}
		fmt.Fprintf(w, "%-44s %10d %9d %8d %-10s %7.3f %7.3f\n", string(label), c.c.OpenItems, c.c.Plan.RowsRead, c.c.Plan.Buffers, seq, ms(c.c.P50), ms(c.c.P95))
	}
	ratio := 0.0
	if r.Fresh.P50 > 0 {
		ratio = float64(r.Busiest.P50) / float64(r.Fresh.P50)
	}
	fmt.Fprintf(w, "target: the busiest customer's check reads only its open items, through indexes: %s (p50 %.2f× a new customer's)\n", verdict(r.Met()), ratio)
	if r.Orders < 10_000 {
		fmt.Fprintf(w, "(%d orders: on tables this small PostgreSQL may rightly read a table whole; judge on the scale data set)\n", r.Orders)
	}
}
