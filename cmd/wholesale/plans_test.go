package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/clock"
	"wholesale/internal/loadtest"
	"wholesale/internal/pgtest"
	"wholesale/internal/postgres"
	"wholesale/internal/scale"
	"wholesale/internal/users"
)

// planOrders is the size of the data set the plans are read on: big enough
// that a sequential scan of orders, lines, invoices or the audit trail
// costs the planner more than an index, small enough for make test.
const planOrders = 50_000

// bigRows is from how many rows on planOrders a table is big: 5,000 here
// are 100,000 on a million orders (orders, lines, revisions, shipments,
// invoices, payments, allocations, demands, stock, the audit trail).
// Smaller tables (2,500 products here, 50,000 at full size) the planner
// rightly reads whole at this size, so their plans are judged on the full
// data set: docs/BENCHMARKS.md, "Plans at full size".
const bigRows = 5_000

// recorder keeps the distinct reading statements the app server runs, and
// of its prepared statements (postgres.Stmt) the PREPARE and one EXECUTE.
type recorder struct {
	mu   sync.Mutex
	seen map[string]bool
	all  []string
	// prepares and executes are by the statement's name.
	prepares, executes map[string]string
}

func (r *recorder) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }

func (r *recorder) AfterQuery(_ context.Context, e *bun.QueryEvent) {
	q := strings.TrimSpace(e.Query)
	if e.Err == nil && strings.Contains(q, "EXECUTE ") {
		r.prepared(q)
		return
	}
	op := strings.ToUpper(strings.SplitN(q, " ", 2)[0])
	if (op != "SELECT" && op != "WITH") || e.Err != nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.seen[q] {
		r.seen[q] = true
		r.all = append(r.all, q)
	}
}

// prepared records the PREPAREs and EXECUTEs of a batch (postgres.Batch:
// statements joined by ";\n", the PREPAREs a connection lacks first).
func (r *recorder) prepared(batch string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, part := range strings.Split(batch, ";\n") {
		p := strings.TrimSpace(part)
		switch {
		case strings.HasPrefix(p, "PREPARE "):
			r.prepares[strings.Fields(p)[1]] = p
		case strings.HasPrefix(p, "EXECUTE "):
			name, _, _ := strings.Cut(strings.TrimPrefix(p, "EXECUTE "), "(")
			if _, ok := r.executes[name]; !ok {
				r.executes[name] = p
			}
		}
	}
}

// explainPrepared returns, for each prepared statement recorded, its
// statement and the JSON of its generic plan, as the app's connections
// plan it (plan_cache_mode = force_generic_plan), with the arguments of
// one EXECUTE.
func explainPrepared(t *testing.T, db *bun.DB, r *recorder) map[string]string {
	t.Helper()
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SET plan_cache_mode = force_generic_plan"); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for name, execute := range r.executes {
		prepare, ok := r.prepares[name]
		if !ok {
			t.Errorf("statement %s was executed but its PREPARE was not recorded", name)
			continue
		}
		// Under a name of its own: the connection may hold the app's.
		own := "plans_test_" + name
		var raw string
		if _, err := conn.ExecContext(ctx, strings.Replace(prepare, "PREPARE "+name, "PREPARE "+own, 1)); err != nil {
			t.Errorf("%s: %v", prepare, err)
			continue
		}
		err := conn.QueryRowContext(ctx, "EXPLAIN (FORMAT JSON) "+strings.Replace(execute, "EXECUTE "+name, "EXECUTE "+own, 1)).Scan(&raw)
		if _, derr := conn.ExecContext(ctx, "DEALLOCATE "+own); err == nil {
			err = derr
		}
		if err != nil {
			t.Errorf("EXPLAIN %s: %v", execute, err)
			continue
		}
		out[prepare] = raw
	}
	return out
}

// planNode is a node of EXPLAIN (FORMAT JSON).
type planNode struct {
	NodeType string     `json:"Node Type"`
	Relation string     `json:"Relation Name"`
	Rows     float64    `json:"Plan Rows"`
	Plans    []planNode `json:"Plans"`
}

// seqScans lists the tables a plan reads whole.
func seqScans(n planNode, out []string) []string {
	if n.NodeType == "Seq Scan" {
		out = append(out, n.Relation)
	}
	for _, c := range n.Plans {
		out = seqScans(c, out)
	}
	return out
}

// Every statement the pages of `wholesale bench pages` run, on a data set
// of seed-scale, is planned without a sequential scan of a table that
// grows with the orders: the app server runs on a connection pool that
// records its reading statements while the bench requests each page once
// as each role; each is then explained.
func TestPagesPlanWithoutSequentialScansOfBigTables(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	res, err := scale.Seed(ctx, db, pgtest.DSN(t, db), scale.Options{Orders: planOrders, Seed: 3,
		Now: time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC), Clock: clock.System{}, Hasher: users.FastHasher, Out: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Failed) > 0 {
		t.Fatalf("the data set breaks invariants: %v", res.Failed)
	}
	big := bigTables(t, db)
	for _, want := range []string{"orders", "order_lines", "invoices", "audit_log"} {
		if !big[want] {
			t.Fatalf("%s is not among the big tables %v: the data set is too small to read plans on", want, big)
		}
	}

	appDB, err := postgres.Open(ctx, pgtest.DSN(t, db), 8)
	if err != nil {
		t.Fatal(err)
	}
	defer appDB.Close()
	rec := &recorder{seen: map[string]bool{}, prepares: map[string]string{}, executes: map[string]string{}}
	recorded := appDB.WithQueryHook(rec)
	cfg, err := loadConfig(env(map[string]string{"BASE_URL": "http://127.0.0.1"}))
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, _, err := newServer(ctx, cfg, recorded, nil, clock.System{}, log)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.App.Listener(ln) //nolint:errcheck // ends with Shutdown
	defer srv.Shutdown(ctx) //nolint:errcheck

	run, err := loadtest.RunPages(ctx, db, loadtest.PagesOptions{URL: "http://" + ln.Addr().String(), Requests: 1, Clients: 1,
		Logins: loadtest.ScaleLogins(scale.DefaultPassword)}, io.Discard)
	if err != nil {
		t.Fatalf("the pages: %v", err)
	}
	if len(run.Pages) < 20 {
		t.Fatalf("only %d pages requested", len(run.Pages))
	}
	rec.mu.Lock()
	queries := rec.all
	rec.mu.Unlock()
	if len(queries) < 40 {
		t.Fatalf("only %d statements recorded", len(queries))
	}
	plans := map[string]string{}
	for _, q := range queries {
		var raw string
		if err := db.QueryRowContext(ctx, "EXPLAIN (FORMAT JSON) "+q).Scan(&raw); err != nil {
			t.Errorf("EXPLAIN %s: %v", q, err)
			continue
		}
		plans[q] = raw
	}
	rec.mu.Lock()
	prepared := explainPrepared(t, db, rec)
	rec.mu.Unlock()
	// The order page reads its order, lines, revisions and audit entries
	// prepared, the back-order page its lines, the invoice list (as
	// finance) its documents: they must be among the plans read.
	for _, name := range []string{"orders_by_id", "orders_lines_of", "orders_newest_revisions", "audit_history_of", "stock_back_orders", "invoicing_list_all"} {
		if _, ok := rec.executes[name]; !ok {
			t.Errorf("the prepared statement %s was not recorded", name)
		}
	}
	for q, raw := range prepared {
		plans[q] = raw
	}
	for q, raw := range plans {
		var plan []struct{ Plan planNode }
		if err := json.Unmarshal([]byte(raw), &plan); err != nil || len(plan) != 1 {
			t.Fatalf("reading the plan of %s: %v", q, errors.Join(err, fmt.Errorf("%d plans", len(plan))))
		}
		for _, table := range seqScans(plan[0].Plan, nil) {
			if big[table] {
				t.Errorf("a sequential scan of %s:\n%s", table, q)
			}
		}
	}
	t.Logf("%d statements of %d pages explained, %d of them prepared (generic plans)", len(plans), len(run.Pages), len(prepared))
}

// bigTables are the tables of at least bigRows rows.
func bigTables(t *testing.T, db *bun.DB) map[string]bool {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), `SELECT relname FROM pg_class
		WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace AND reltuples >= ?`, bigRows)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	big := map[string]bool{}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		big[n] = true
		names = append(names, n)
	}
	sort.Strings(names)
	t.Logf("big tables: %s", strings.Join(names, ", "))
	return big
}
