// Package loadtest measures order entry through the JSON API: N orders of 5
// lines placed by C concurrent clients against a running server, reported
// as orders/s and latency percentiles beside pgbench's TPC-B-like tps on the
// same PostgreSQL, so that the ratio carries from machine to machine, and
// beside the machine's CPU time per order and per pgbench transaction, which
// says whether the CPU or something else (the disk's flushes, locks) limits
// either.
package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/pprof"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/uptrace/bun"

	"wholesale/internal/catalog"
	"wholesale/internal/clock"
	"wholesale/internal/customers"
	"wholesale/internal/money"
	"wholesale/internal/orders"
	"wholesale/internal/postgres"
	"wholesale/internal/stock"
	"wholesale/internal/users"
	"wholesale/internal/web"
)

// Options of a run.
type Options struct {
	Orders         int
	Clients        int
	Customers      int
	Products       int
	PgbenchSeconds int
	PgbenchClients int
	Dir            string // where the throwaway cluster lives
	CPUProfile     string // write a Go CPU profile of the placing phase here
	Statements     int    // print PostgreSQL's costliest statements of the placing phase, this many
	DBConns        int    // the app's connection pool
}

// Result of a run.
type Result struct {
	Orders        int
	Failed        int64
	Elapsed       time.Duration
	OrdersPerSec  float64
	P50, P95, P99 time.Duration
	PgbenchTPS    float64 // the mean of the runs before and after the orders
	PgbenchBefore float64
	PgbenchAfter  float64
	// The machine's CPU while the orders were placed and while pgbench ran
	// (Linux only): whether it was the limit, and what a unit of work cost.
	OrdersCPU, PgbenchCPU cpuUse
}

// Run starts a throwaway cluster and the app server on a loopback port,
// places the orders through the API, then runs pgbench on the same cluster.
func Run(ctx context.Context, o Options, out io.Writer) (*Result, error) {
	dir, err := os.MkdirTemp(o.Dir, "wholesale-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if err := os.Chmod(dir, 0o755); err != nil {
		return nil, err
	}
	copts := postgres.ClusterOptions{Dir: filepath.Join(dir, "pg"), Install: true, Log: out}
	if o.Statements > 0 {
		copts.Settings = []string{"shared_preload_libraries=pg_stat_statements", "pg_stat_statements.track_planning=on", "pg_stat_statements.track=all"}
	}
	cluster, err := postgres.StartCluster(ctx, copts)
	if err != nil {
		return nil, err
	}
	defer cluster.Stop()
	if err := cluster.CreateDatabase(ctx, "wholesale"); err != nil {
		return nil, err
	}
	db, err := postgres.Open(ctx, cluster.DSN("wholesale"), o.DBConns)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if _, err := postgres.Migrate(ctx, db); err != nil {
		return nil, err
	}
	token, companyIDs, skus, err := seed(ctx, db, o)
	if err != nil {
		return nil, err
	}
	url, stop, err := serve(db)
	if err != nil {
		return nil, err
	}
	defer stop()
	if o.Statements > 0 {
		if _, err := db.ExecContext(ctx, "CREATE EXTENSION pg_stat_statements"); err != nil {
			return nil, err
		}
	}
	// pgbench runs half its time right before the orders and half right
	// after, so that a change of the machine's pace during the run moves
	// both sides of the ratio.
	pgb, err := newPgbench(ctx, cluster, o, out)
	if err != nil {
		return nil, err
	}
	before, beforeTx, beforeCPU, err := pgb.run(ctx, "before the orders")
	if err != nil {
		return nil, err
	}
	if o.Statements > 0 { // only the orders' statements
		if _, err := db.ExecContext(ctx, "SELECT pg_stat_statements_reset()"); err != nil {
			return nil, err
		}
	}
	fmt.Fprintf(out, "placing %d orders of 5 lines with %d clients against %s\n", o.Orders, o.Clients, url)
	if o.CPUProfile != "" {
		f, err := os.Create(o.CPUProfile)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return nil, err
		}
	}
	c := sampleCPU()
	res, err := place(ctx, url, token, companyIDs, skus, o)
	ordersCPU := sampleCPU().since(c)
	if o.CPUProfile != "" {
		pprof.StopCPUProfile()
	}
	if err != nil {
		return nil, err
	}
	if o.Statements > 0 {
		if err := printStatements(ctx, db, o, out); err != nil {
			return nil, err
		}
	}
	after, afterTx, afterCPU, err := pgb.run(ctx, "after the orders")
	if err != nil {
		return nil, err
	}
	res.PgbenchBefore, res.PgbenchAfter, res.PgbenchTPS = before, after, (before+after)/2
	res.OrdersCPU = ordersCPU.use(float64(res.Orders))
	res.PgbenchCPU = beforeCPU.plus(afterCPU).use(float64(beforeTx + afterTx))
	return res, nil
}

// seed makes an account manager with a token, customers with room on their
// credit limits and products with stock, and returns what the clients need.
func seed(ctx context.Context, db *bun.DB, o Options) (string, []int64, []string, error) {
	clk := clock.System{}
	us := users.NewService(db, clk, users.FastHasher)
	am, err := us.Create(ctx, users.NewUser{Email: "bench-am@wholesale.test", Name: "Bench AM", Role: users.RoleAccountManager, Password: "bench password"})
	if err != nil {
		return "", nil, nil, err
	}
	token, _, err := us.CreateToken(ctx, am.ID, "bench")
	if err != nil {
		return "", nil, nil, err
	}
	var ids []int64
	err = postgres.Run(ctx, db, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		for i := 0; i < o.Customers; i++ {
			addr := customers.Address{Street: "Benchstraat " + strconv.Itoa(i), Postcode: "1000 AA", City: "Amsterdam", Country: "NL"}
			// The largest credit limit there is: a run's orders (under € 2.000 each) stay far below it, so none is held.
			c := &customers.Company{Name: fmt.Sprintf("Bench customer %d", i), Visiting: addr, Invoice: addr, ContactEmail: fmt.Sprintf("c%d@bench.test", i),
				PaymentTerms: customers.TermsCredit, CreditLimitCents: money.MaxCents, AccountManagerID: &am.ID}
			if err := customers.Insert(ctx, tx, clk.Now(), c); err != nil {
				return err
			}
			ids = append(ids, c.ID)
		}
		return nil
	})
	if err != nil {
		return "", nil, nil, err
	}
	var csv bytes.Buffer
	csv.WriteString("sku,name,unit_price\n")
	var stockCSV bytes.Buffer
	stockCSV.WriteString("sku,warehouse,on_hand\n")
	var skus []string
	for i := 0; i < o.Products; i++ {
		sku := fmt.Sprintf("BENCH-%04d", i)
		skus = append(skus, sku)
		fmt.Fprintf(&csv, "%s,Bench product %d,%d\n", sku, i, 5+i%50)
		fmt.Fprintf(&stockCSV, "%s,MAIN,%d\n", sku, 1_000_000)
	}
	cat := &catalog.Service{DB: db, Clock: clk}
	if rep, err := cat.ImportProducts(ctx, csv.Bytes()); err != nil || len(rep.Errors) > 0 {
		return "", nil, nil, fmt.Errorf("bench products: %v %v", err, rep.Errors)
	}
	st := &stock.Service{DB: db, Clock: clk}
	if rep, err := st.ImportStock(ctx, stockCSV.Bytes()); err != nil || len(rep.Errors) > 0 {
		return "", nil, nil, fmt.Errorf("bench stock: %v %v", err, rep.Errors)
	}
	return token, ids, skus, nil
}

// serve starts the app on a loopback port.
func serve(db *bun.DB) (string, func(), error) {
	clk := clock.System{}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	us := users.NewService(db, clk, users.FastHasher)
	srv, err := web.New(web.Deps{DB: db, Clock: clk, Log: log, Users: us, Registry: prometheus.NewRegistry(),
		Customers: &customers.Service{DB: db, Clock: clk, Users: us, Log: log},
		Catalog:   &catalog.Service{DB: db, Clock: clk}, Stock: &stock.Service{DB: db, Clock: clk},
		Orders: &orders.Service{DB: db, Clock: clk}, Config: web.Config{BaseURL: "http://127.0.0.1"}})
	if err != nil {
		return "", nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	go srv.App.Listener(ln)
	return "http://" + ln.Addr().String(), func() { srv.App.Shutdown() }, nil
}

func place(ctx context.Context, url, token string, companyIDs []int64, skus []string, o Options) (*Result, error) {
	tr := &http.Transport{MaxIdleConnsPerHost: o.Clients, MaxConnsPerHost: o.Clients}
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	var next, failed atomic.Int64
	lat := make([]time.Duration, o.Orders)
	var firstErr atomic.Value
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < o.Clients; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for {
				i := int(next.Add(1)) - 1
				if i >= o.Orders || ctx.Err() != nil {
					return
				}
				lines := make([]map[string]any, 5)
				perm := rng.Perm(len(skus))[:5]
				for k, p := range perm {
					lines[k] = map[string]any{"sku": skus[p], "quantity": 1 + rng.IntN(5)}
				}
				body, _ := json.Marshal(map[string]any{"company_id": companyIDs[i%len(companyIDs)], "po_reference": fmt.Sprintf("BENCH-%d", i),
					"place": true, "shipping": "9,95", "lines": lines})
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url+"/api/v1/orders", bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Idempotency-Key", fmt.Sprintf("bench-%d", i))
				t0 := time.Now()
				resp, err := client.Do(req)
				lat[i] = time.Since(t0)
				if err != nil {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
					continue
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusCreated {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, fmt.Sprintf("HTTP %d: %s", resp.StatusCode, b))
				}
			}
		}(w)
	}
	wg.Wait()
	elapsed := time.Since(start)
	if e := firstErr.Load(); e != nil {
		return nil, fmt.Errorf("loadtest: %d of %d orders failed; first: %v", failed.Load(), o.Orders, e)
	}
	res := &Result{Orders: o.Orders, Elapsed: elapsed, OrdersPerSec: float64(o.Orders) / elapsed.Seconds()}
	res.P50, res.P95, res.P99 = percentiles(lat)
	return res, nil
}

// printStatements prints what pg_stat_statements saw while the orders were
// placed: per statement its calls and PostgreSQL's time executing and planning
// it, costliest first (wall time, so lock waits count too). Statements run
// inside procedures and foreign-key checks are listed too (track=all).
func printStatements(ctx context.Context, db *bun.DB, o Options, out io.Writer) error {
	var rows []struct {
		Calls int64   `bun:"calls"`
		Exec  float64 `bun:"exec"`
		Plan  float64 `bun:"plan"`
		Query string  `bun:"query"`
	}
	err := db.NewRaw(`SELECT calls, total_exec_time AS exec, total_plan_time AS plan, left(regexp_replace(query, '\s+', ' ', 'g'), 140) AS query
		FROM pg_stat_statements WHERE calls >= ? ORDER BY total_exec_time + total_plan_time DESC LIMIT ?`, o.Orders/2, o.Statements).Scan(ctx, &rows)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\n%8s %10s %10s %9s  %s\n", "calls", "exec ms", "plan ms", "per call", "statement")
	for _, r := range rows {
		fmt.Fprintf(out, "%8d %10.0f %10.0f %9.3f  %s\n", r.Calls, r.Exec, r.Plan, (r.Exec+r.Plan)/float64(r.Calls), r.Query)
	}
	fmt.Fprintln(out)
	return nil
}

var (
	tpsRE = regexp.MustCompile(`tps = ([0-9.]+) \(without initial connection time\)`)
	txRE  = regexp.MustCompile(`number of transactions actually processed: ([0-9]+)`)
)

// pgbench initialises its tables in a database of their own on the cluster
// and runs the TPC-B-like script.
// pgbench runs pgbench's TPC-B-like script on the cluster, on a database
// of its own initialised at scale 10.
type pgbench struct {
	bin     string
	args    []string
	clients int
	seconds int
	out     io.Writer
}

func newPgbench(ctx context.Context, cluster *postgres.Cluster, o Options, out io.Writer) (*pgbench, error) {
	bin, err := postgres.FindBinaries(false, out)
	if err != nil {
		return nil, err
	}
	if err := cluster.CreateDatabase(ctx, "pgbench"); err != nil {
		return nil, err
	}
	p := &pgbench{bin: filepath.Join(bin, "pgbench"), args: []string{"-h", cluster.SockDir, "-p", "5432", "-U", postgres.Superuser},
		clients: o.PgbenchClients, seconds: max(1, o.PgbenchSeconds/2), out: out}
	initCmd := exec.CommandContext(ctx, p.bin, append(append([]string{"-i", "-q", "-s", "10"}, p.args...), "pgbench")...)
	if b, err := initCmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("pgbench -i: %w\n%s", err, b)
	}
	return p, nil
}

// run runs it once, saying when, and returns its tps, the transactions it
// made and the machine's CPU time while it ran.
func (p *pgbench) run(ctx context.Context, when string) (tps float64, tx int64, cpu cpuSample, err error) {
	fmt.Fprintf(p.out, "running pgbench (TPC-B-like, -c %d -j 2 -T %d) on the same cluster, %s\n", p.clients, p.seconds, when)
	cmd := exec.CommandContext(ctx, p.bin, append(append([]string{"-c", strconv.Itoa(p.clients), "-j", "2",
		"-T", strconv.Itoa(p.seconds)}, p.args...), "pgbench")...)
	c := sampleCPU()
	b, err := cmd.CombinedOutput()
	cpu = sampleCPU().since(c)
	if err != nil {
		return 0, 0, cpu, fmt.Errorf("pgbench: %w\n%s", err, b)
	}
	m, n := tpsRE.FindSubmatch(b), txRE.FindSubmatch(b)
	if m == nil || n == nil {
		return 0, 0, cpu, fmt.Errorf("pgbench: no tps or transaction count in its output:\n%s", b)
	}
	if tps, err = strconv.ParseFloat(string(m[1]), 64); err != nil {
		return 0, 0, cpu, err
	}
	tx, err = strconv.ParseInt(string(n[1]), 10, 64)
	return tps, tx, cpu, err
}

// Report prints the figures and the targets.
func Report(w io.Writer, r *Result) {
	fmt.Fprintf(w, "\norders:       %d in %.2f s, %.1f orders/s (%d failed)\n", r.Orders, r.Elapsed.Seconds(), r.OrdersPerSec, r.Failed)
	fmt.Fprintf(w, "latency:      p50 %.1f ms, p95 %.1f ms, p99 %.1f ms\n", ms(r.P50), ms(r.P95), ms(r.P99))
	fmt.Fprintf(w, "pgbench:      %.0f tps (TPC-B-like) on the same cluster: %.0f before the orders, %.0f after\n", r.PgbenchTPS, r.PgbenchBefore, r.PgbenchAfter)
	if r.OrdersCPU.OK && r.PgbenchCPU.OK {
		fmt.Fprintf(w, "machine CPU:  %.0f%% busy while placing, %.2f ms per order; %.0f%% busy under pgbench, %.2f ms per transaction\n",
			100*r.OrdersCPU.Busy, ms(r.OrdersCPU.PerUnit), 100*r.PgbenchCPU.Busy, ms(r.PgbenchCPU.PerUnit))
	}
	ratio := r.OrdersPerSec / r.PgbenchTPS
	fmt.Fprintf(w, "ratio:        %.2f orders/s per pgbench tps (target ≥ 0.30: %s); p99 target ≤ 100 ms: %s\n",
		ratio, verdict(ratio >= 0.3), verdict(r.P99 <= 100*time.Millisecond))
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}
