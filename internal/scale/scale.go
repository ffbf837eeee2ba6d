// Package scale loads a data set of a wholesaler that has run on this
// system for ten years (wholesale seed-scale): customers, products, a
// million orders in every state with their shipments, invoices, credit
// notes, payments, returns and complaints, with the skew of real trade.
// It builds the data set in memory, then streams it into an empty
// database with COPY, and checks it with the invariants of check.go.
package scale

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/calendar"
	"wholesale/internal/clock"
	"wholesale/internal/postgres"
	"wholesale/internal/settings"
	"wholesale/internal/users"
)

// Options say how big a data set to load, and how.
type Options struct {
	// Orders is how many orders; customers, products and the rest follow.
	Orders int
	// Seed makes the random choices: the same seed (and Now) gives the
	// same data set.
	Seed uint64
	// Password is the password of the fixed logins (Logins).
	Password string
	// Now is the moment the data set ends; zero: the clock's now.
	Now time.Time
	// Clock times the steps (and gives Now when it is zero).
	Clock clock.Clock
	// Hasher hashes the password once; every user gets that hash.
	Hasher users.Hasher
	// Out gets the progress.
	Out io.Writer
	// Workers is how many connections load at once (default 3).
	Workers int
	// RowChecks keeps the triggers on, foreign keys checked row by row,
	// even for a superuser (who otherwise loads without them: see Seed).
	RowChecks bool
}

// DefaultPassword is the password of the fixed logins unless told otherwise.
const DefaultPassword = "scale-pass-2026"

// Logins are the e-mail addresses of the fixed logins, by role, for the
// load tool: the account manager is the busiest customer's (and many
// others'), the customer a user of the busiest customer.
var Logins = []struct{ Role, Email string }{
	{"admin", "admin@scale.test"}, {"sales", "sales@scale.test"}, {"account_manager", "am@scale.test"},
	{"warehouse", "warehouse@scale.test"}, {"finance", "finance@scale.test"}, {"customer_service", "service@scale.test"},
	{"board", "board@scale.test"}, {"customer", "buyer@scale.test"},
}

// Sizes are the counts a number of orders brings, with floors so that a
// small data set still has every kind of row.
type Sizes struct {
	Orders, Customers, Products, Managers, Suppliers int
}

// SizesFor returns the sizes of a data set of n orders: 10,000 customers
// and 50,000 products for a million.
func SizesFor(n int) Sizes {
	s := Sizes{Orders: n, Customers: max(n/100, 12), Products: max(n/20, 60)}
	s.Managers = max(s.Customers/250, 3)
	s.Suppliers = max(s.Products/2000, 4)
	return s
}

// Result is what Seed did.
type Result struct {
	Sizes Sizes
	Steps []Step
	Total time.Duration
	// Busiest is the id of the customer with the most orders.
	Busiest int64
	// Revised is the id of the order with 50 revisions.
	Revised int64
	// Failed lists the invariants the data set breaks (none, or a bug).
	Failed []Failure
}

// seeder is one run of Seed.
type seeder struct {
	db   *bun.DB // the app's own connections, for its services
	bulk *bun.DB // plain connections for COPY
	o    Options
	w    *world
	p    *progress
	// trusted: the bulk connections run with triggers off (replica).
	trusted bool
}

// Seed loads the data set into the database behind db, whose address is
// dsn (COPY runs on connections of its own). The database must be
// migrated and empty: Seed refuses one that holds users or orders. It
// prints the time each step took, ends with VACUUM (ANALYZE), what the app's own
// services add (showcase) and the invariant checks, and returns what it
// did; a broken invariant is an error.
func Seed(ctx context.Context, db *bun.DB, dsn string, o Options) (*Result, error) {
	if o.Orders < 1 {
		return nil, errors.New("scale: at least one order")
	}
	if o.Clock == nil {
		o.Clock = clock.System{}
	}
	if o.Out == nil {
		o.Out = io.Discard
	}
	if o.Password == "" {
		o.Password = DefaultPassword
	}
	if o.Workers <= 0 {
		o.Workers = 3
	}
	if o.Now.IsZero() {
		o.Now = o.Clock.Now()
	}
	var busy struct {
		Users  bool `bun:"users"`
		Orders bool `bun:"orders"`
	}
	if err := db.NewRaw(`SELECT EXISTS (SELECT 1 FROM users) AS users, EXISTS (SELECT 1 FROM orders) AS orders`).Scan(ctx, &busy); err != nil {
		return nil, err
	}
	switch {
	case busy.Orders:
		return nil, errors.New("scale: the database holds orders already: seed-scale loads into an empty database (make clean, another DATA_DIR, or a new DATABASE_URL)")
	case busy.Users:
		return nil, errors.New("scale: the database holds users already: seed-scale loads into an empty database (one migrated, without demo data)")
	}
	// A superuser loads with the session's triggers off (replica): the
	// foreign keys are then checked once, set-based, after the load
	// (foreignKeys) instead of row by row, and what the triggers do the
	// load does itself. Any other user loads with every trigger on.
	var trusted bool
	if err := db.NewRaw(`SELECT rolsuper FROM pg_roles WHERE rolname = current_user`).Scan(ctx, &trusted); err != nil {
		return nil, err
	}
	trusted = trusted && !o.RowChecks
	params := map[string]any{"synchronous_commit": "off", "work_mem": "256MB", "maintenance_work_mem": "512MB"}
	if trusted {
		params["session_replication_role"] = "replica"
	}
	bulk, err := postgres.OpenBulk(ctx, dsn, o.Workers+1, params)
	if err != nil {
		return nil, err
	}
	defer bulk.Close()
	s := &seeder{db: db, bulk: bulk, o: o, p: &progress{out: o.Out, now: o.Clock.Now}, trusted: trusted}
	started := o.Clock.Now()
	sizes := SizesFor(o.Orders)
	fmt.Fprintf(o.Out, "seed-scale: %s orders, %s customers, %s products, seed %d, ending %s\n",
		thousands(int64(sizes.Orders)), thousands(int64(sizes.Customers)), thousands(int64(sizes.Products)), o.Seed, o.Now.UTC().Format(time.RFC3339))
	if err := s.build(ctx, sizes); err != nil {
		return nil, err
	}
	if err := s.write(ctx); err != nil {
		return nil, err
	}
	// The statistics come before the app's services read the data; the
	// visibility map lets the reports read open items from their indexes
	// alone (autovacuum would set it too, some time later).
	if err := s.exec(ctx, "VACUUM (ANALYZE)", "VACUUM (ANALYZE)"); err != nil {
		return nil, err
	}
	revised, err := s.showcase(ctx)
	if err != nil {
		return nil, err
	}
	res := &Result{Sizes: sizes, Busiest: s.w.busiest.id, Revised: revised}
	start := o.Clock.Now()
	last := start
	var mu sync.Mutex
	// The bulk connections have no read timeout: a check may take minutes.
	res.Failed, err = checkAll(ctx, bulk, func(inv Invariant) {
		mu.Lock()
		defer mu.Unlock()
		if now := o.Clock.Now(); now.Sub(last) > 10*time.Second {
			fmt.Fprintf(o.Out, "    checked by %.0fs: %.60s…\n", now.Sub(start).Seconds(), inv.Name)
			last = now
		}
	})
	if err != nil {
		return nil, err
	}
	s.p.done("invariant checks", int64(len(Checks)), start)
	res.Steps, res.Total = s.p.Steps, o.Clock.Now().Sub(started)
	fmt.Fprintf(o.Out, "seed-scale: done in %.1fs; busiest customer %d (am@scale.test, buyer@scale.test); order %d has 50 revisions\n",
		res.Total.Seconds(), res.Busiest, res.Revised)
	if len(res.Failed) > 0 {
		for _, f := range res.Failed {
			fmt.Fprintln(o.Out, "  broken:", f)
		}
		return res, fmt.Errorf("scale: %d invariants broken", len(res.Failed))
	}
	return res, nil
}

// build makes the data set in memory.
func (s *seeder) build(ctx context.Context, sizes Sizes) error {
	start := s.o.Clock.Now()
	hash, err := s.o.Hasher.Hash(s.o.Password)
	if err != nil {
		return err
	}
	now := s.o.Now.UTC().Truncate(time.Second)
	cal := calendar.New(settings.DefaultCutoffMinutes, nil)
	w := &world{now: now, today: cal.LocalDay(now), start: now.AddDate(-10, 0, 0), cal: cal, roles: map[string]*user{}}
	s.w = w
	w.hash = hash
	g := newGen(s.o.Seed)
	for _, step := range []struct {
		name string
		do   func()
		n    func() int
	}{
		{"build: customers, products", func() { g.people(w, sizes); g.catalog(w, sizes) }, func() int { return len(w.companies) + len(w.products) }},
		{"build: orders, shipments", func() { g.orders(w, sizes.Orders) }, func() int { return len(w.orders) }},
		{"build: invoices", func() { g.fulfil(w) }, func() int { return len(w.invoices) }},
		{"build: returns, complaints", func() { g.aftercare(w) }, func() int { return len(w.returns) + len(w.complaint) }},
		{"build: payments", func() { g.money(w) }, func() int { return len(w.payments) }},
		{"build: ids, states, stock", func() { g.number(w); g.settle(w) }, func() int { return len(w.orders) }},
	} {
		if err := ctx.Err(); err != nil {
			return err
		}
		t := s.o.Clock.Now()
		step.do()
		s.p.done(step.name, int64(step.n()), t)
	}
	s.p.done("build in memory", 0, start)
	return nil
}
