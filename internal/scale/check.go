package scale

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"
)

// Invariant is a rule every database of the app keeps, as SQL that
// selects the key (as text) of each row that breaks it.
type Invariant struct {
	Name string
	SQL  string
}

// Failure is an invariant broken: how many rows break it, and some.
type Failure struct {
	Invariant string
	Count     int64
	Examples  []string
}

func (f Failure) String() string {
	return fmt.Sprintf("%s: %d rows, e.g. %s", f.Invariant, f.Count, strings.Join(f.Examples, ", "))
}

// Checks are the invariants, of the orders and stock (checks_orders.go)
// and of invoices, payments, returns and complaints (checks_money.go).
var Checks = append(append([]Invariant(nil), orderChecks...), moneyChecks...)

// Check runs every invariant on db (a few at once; one after another in
// a transaction) and returns those broken, in the order of Checks.
func Check(ctx context.Context, db bun.IDB) ([]Failure, error) {
	return checkAll(ctx, db, nil)
}

// checkAll is Check, telling done (when set) of each invariant checked.
func checkAll(ctx context.Context, db bun.IDB, done func(Invariant)) ([]Failure, error) {
	results := make([]*Failure, len(Checks))
	at := 3
	if _, ok := db.(*bun.DB); !ok {
		at = 1
	}
	work := make(chan int)
	go func() {
		defer close(work)
		for i := range Checks {
			work <- i
		}
	}()
	fns := make([]func() error, at)
	for k := range fns {
		fns[k] = func() error {
			var first error
			for i := range work {
				if first != nil {
					continue
				}
				f, err := check(ctx, db, Checks[i])
				if err != nil {
					first = err
				}
				results[i] = f
				if done != nil {
					done(Checks[i])
				}
			}
			return first
		}
	}
	if err := parallel(fns...); err != nil {
		return nil, err
	}
	var out []Failure
	for _, f := range results {
		if f != nil {
			out = append(out, *f)
		}
	}
	return out, nil
}

func check(ctx context.Context, db bun.IDB, inv Invariant) (*Failure, error) {
	var row struct {
		N        int64    `bun:"n"`
		Examples []string `bun:"examples,array"`
	}
	q := `SELECT count(*) AS n, (array_agg(k ORDER BY k))[1:5] AS examples FROM (` + inv.SQL + `) AS broken(k)`
	if err := db.NewRaw(q).Scan(ctx, &row); err != nil {
		return nil, fmt.Errorf("scale: invariant %s: %w", inv.Name, err)
	}
	if row.N == 0 {
		return nil, nil
	}
	return &Failure{Invariant: inv.Name, Count: row.N, Examples: row.Examples}, nil
}
