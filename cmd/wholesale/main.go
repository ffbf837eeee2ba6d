// Command wholesale is the ordering system of the wholesaler.
//
//	wholesale [serve]   migrate, load demo data (locally), serve HTTP
//	wholesale migrate   apply the database migrations and exit
//	wholesale invoice-run [-customer N]   issue the due draft invoices now (what the servers do each minute)
//	wholesale invoice-ubl NUMBER [-o FILE]   write the e-invoice (UBL) of an issued invoice or credit note
//	wholesale reminders   send the payment reminders due today (what the servers do each minute)
//	wholesale seed-scale [-orders 1000000] [-seed 1] [-password P]   load ten years of data into an empty database
//	wholesale bench orders [-n 2000] [-c 16]   the order-entry load test (docs/BENCHMARKS.md)
//	wholesale bench pages [-n 200] [-c 8]   the page-speed load test (docs/BENCHMARKS.md)
//
// Without DATABASE_URL it runs the project's own PostgreSQL cluster in
// DATA_DIR/pg (default ./var/pg) for as long as it runs. As root, when the
// postgres user cannot reach DATA_DIR (a checkout under /root), the cluster
// lives in /var/lib/wholesale/<name of DATA_DIR>/pg and DATA_DIR/pg links to it.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/uptrace/bun"

	"wholesale/internal/catalog"
	"wholesale/internal/clock"
	"wholesale/internal/customers"
	"wholesale/internal/demo"
	"wholesale/internal/invoicing"
	"wholesale/internal/mail"
	"wholesale/internal/orders"
	"wholesale/internal/postgres"
	"wholesale/internal/privacy"
	"wholesale/internal/receivables"
	"wholesale/internal/sessions"
	"wholesale/internal/settings"
	"wholesale/internal/shipping"
	"wholesale/internal/stock"
	"wholesale/internal/users"
	"wholesale/internal/vies"
	"wholesale/internal/web"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "wholesale:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	cmd := "serve"
	if len(args) > 0 {
		cmd = args[0]
	}
	log := newLogger(cfg.LogFormat, stderr)
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	switch cmd {
	case "serve", "migrate", "invoice-run", "invoice-ubl", "reminders", "retention", "seed-scale":
	case "bench":
		return runBench(ctx, cfg, args[1:], stdout)
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, "usage: wholesale [serve|migrate|invoice-run [-customer N]|invoice-ubl NUMBER [-o FILE]|reminders|retention|seed-scale [-orders N] [-seed S]|bench orders|bench pages]")
		return nil
	default:
		return fmt.Errorf("unknown command %q (serve, migrate, invoice-run, invoice-ubl, reminders, retention, seed-scale, bench orders, bench pages)", cmd)
	}

	// What the local cluster says goes to stdout, except where stdout is
	// the document (invoice-ubl without -o).
	status := stdout
	if cmd == "invoice-ubl" {
		status = stderr
	}
	var settings []string
	if cmd == "seed-scale" {
		// A bulk load writes some 12 GB of WAL: checkpoints every 1 GB
		// (the default) would write most pages twice over.
		settings = []string{"max_wal_size=8GB", "checkpoint_timeout=30min"}
	}
	db, dsn, closeDB, err := openDatabase(ctx, cfg, status, settings...)
	if err != nil {
		return err
	}
	defer closeDB()
	applied, err := postgres.Migrate(ctx, db)
	if err != nil {
		return err
	}
	for _, name := range applied {
		log.Info("migration applied", "name", name)
	}
	if cmd == "seed-scale" {
		return runSeedScale(ctx, args[1:], db, dsn, stdout)
	}
	if cmd == "invoice-run" {
		return runInvoiceRun(ctx, args[1:], db, log, stdout)
	}
	if cmd == "invoice-ubl" {
		return runInvoiceUBL(ctx, args[1:], db, log, stdout)
	}
	if cmd == "reminders" {
		return runReminders(ctx, db, cfg, log, stdout)
	}
	if cmd == "retention" {
		return runRetention(ctx, db, cfg, log, stdout)
	}
	if cmd == "migrate" {
		fmt.Fprintf(stdout, "migrations: %d applied\n", len(applied))
		return nil
	}
	return serve(ctx, cfg, db, log, stdout)
}

// clusterFallback holds the local clusters of checkouts that the postgres
// user cannot reach; `make clean` and `make db-stop` know it too.
const clusterFallback = "/var/lib/wholesale"

// openDatabase connects to DATABASE_URL, or starts the local cluster
// (with the server settings given, for this run) and connects to its
// wholesale database. It returns the database, its address, and a func
// that closes both.
func openDatabase(ctx context.Context, cfg Config, stdout io.Writer, settings ...string) (*bun.DB, string, func(), error) {
	if cfg.DatabaseURL != "" {
		db, err := postgres.Open(ctx, cfg.DatabaseURL, cfg.DBMaxConns)
		if err != nil {
			return nil, "", nil, err
		}
		return db, cfg.DatabaseURL, func() { db.Close() }, nil
	}
	cluster, err := postgres.StartCluster(ctx, postgres.ClusterOptions{
		Dir: filepath.Join(cfg.DataDir, "pg"), Install: true, Log: stdout, Fallback: clusterFallback, Settings: settings,
	})
	if err != nil {
		return nil, "", nil, err
	}
	if err := cluster.CreateDatabase(ctx, "wholesale"); err != nil {
		cluster.Stop()
		return nil, "", nil, err
	}
	dsn := cluster.DSN("wholesale")
	db, err := postgres.Open(ctx, dsn, cfg.DBMaxConns)
	if err != nil {
		cluster.Stop()
		return nil, "", nil, err
	}
	fmt.Fprintf(stdout, "postgres: psql \"%s\"\n", cluster.PsqlDSN("wholesale"))
	return db, dsn, func() {
		db.Close()
		if err := cluster.Stop(); err != nil {
			fmt.Fprintln(stdout, err)
		} else {
			fmt.Fprintln(stdout, "postgres: stopped")
		}
	}, nil
}

// openReplica connects to DATABASE_REPLICA_URL, when set, for the
// reports; nil without it, and the reports read from the primary.
func openReplica(ctx context.Context, cfg Config, log *slog.Logger) (*bun.DB, error) {
	if cfg.DatabaseReplicaURL == "" {
		return nil, nil
	}
	db, err := postgres.Open(ctx, cfg.DatabaseReplicaURL, cfg.DBMaxConns)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_REPLICA_URL: %w", err)
	}
	var standby bool
	if err := db.QueryRowContext(ctx, "SELECT pg_is_in_recovery()").Scan(&standby); err != nil {
		db.Close()
		return nil, fmt.Errorf("DATABASE_REPLICA_URL: %w", err)
	}
	if standby {
		log.Info("the reports read from the replica (DATABASE_REPLICA_URL)")
	} else {
		log.Warn("DATABASE_REPLICA_URL is not a standby (pg_is_in_recovery() is false); the reports read from it all the same")
	}
	return db, nil
}

// jobs are what runs beside the app server: the invoicing service's
// schedule, and the AR aging cache's listener (nil with a replica, which
// the reports read from and which cannot notify).
type jobs struct {
	inv   *invoicing.Service
	aging *receivables.AgingCache
}

// newServer builds the app server of `wholesale serve` on db (and the
// replica for reports, or nil), loading the demo data first when the
// configuration asks for it. It returns the jobs too, which serve runs.
func newServer(ctx context.Context, cfg Config, db, reports *bun.DB, clk clock.Clock, log *slog.Logger) (*web.Server, jobs, error) {
	us := users.NewService(db, clk, users.DefaultHasher)
	cs := &customers.Service{DB: db, Clock: clk, Users: us, BaseURL: cfg.BaseURL, Log: log}
	if cfg.VIESURL != "" {
		cs.VIES = vies.New(cfg.VIESURL)
	}
	if cfg.DemoData {
		loaded, err := demo.Load(ctx, db, us, cs)
		if err != nil {
			return nil, jobs{}, fmt.Errorf("demo data: %w", err)
		}
		if loaded != nil {
			log.Info("demo data loaded")
		}
	}
	j := jobs{inv: newInvoicing(db, clk, log)}
	if reports == nil {
		j.aging = receivables.NewAgingCache(db, log)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	srv, err := web.New(web.Deps{DB: db, Reports: reports, Clock: clk, Log: log, Users: us, Customers: cs, Registry: reg,
		Catalog: &catalog.Service{DB: db, Clock: clk}, Stock: &stock.Service{DB: db, Clock: clk},
		Orders: &orders.Service{DB: db, Clock: clk, BaseURL: cfg.BaseURL, Calendar: invoicing.LoadCalendar}, Settings: &settings.Service{DB: db, Clock: clk},
		Invoicing: j.inv, Aging: j.aging,
		Shipping: &shipping.Service{DB: db, Clock: clk, BusinessDay: invoicing.BusinessDay, BaseURL: cfg.BaseURL}, Config: web.Config{
			BaseURL: cfg.BaseURL, LoginRateLimit: cfg.LoginRateLimit, TrustedProxies: cfg.TrustedProxies,
			MetricsToken: cfg.MetricsToken,
		}})
	if err != nil {
		return nil, jobs{}, err
	}
	return srv, j, nil
}

func serve(ctx context.Context, cfg Config, db *bun.DB, log *slog.Logger, stdout io.Writer) error {
	reports, err := openReplica(ctx, cfg, log)
	if err != nil {
		return err
	}
	if reports != nil {
		defer reports.Close()
	}
	if cfg.MemoryLimitMB > 0 {
		debug.SetMemoryLimit(int64(cfg.MemoryLimitMB) << 20)
	}
	if cfg.GCPercent > 0 {
		debug.SetGCPercent(cfg.GCPercent)
	}
	if cfg.CPUProfile != "" {
		stopProfile, err := startCPUProfile(cfg.CPUProfile)
		if err != nil {
			return err
		}
		defer stopProfile()
	}
	clk := clock.System{}
	srv, j, err := newServer(ctx, cfg, db, reports, clk, log)
	if err != nil {
		return err
	}

	var transport mail.Transport = mail.LogTransport{Log: log}
	if cfg.SMTPURL != "" {
		if transport, err = mail.NewSMTPTransport(cfg.SMTPURL); err != nil {
			return err
		}
	}
	bg, stopBG := context.WithCancel(context.WithoutCancel(ctx))
	defer stopBG()
	sender := &mail.Sender{DB: db, Transport: transport, From: cfg.MailFrom, Clock: clk, Log: log}
	go sender.Run(bg, 5*time.Second)
	go sweepExpired(bg, db, clk, log)
	go j.inv.Schedule(bg, time.Minute)
	if j.aging != nil {
		go j.aging.Run(bg)
	}
	go (&receivables.Service{DB: db, Clock: clk, Log: log, BaseURL: cfg.BaseURL}).Schedule(bg, time.Minute)
	go (&privacy.Service{DB: db, Clock: clk, Log: log, Periods: cfg.Retention}).Schedule(bg, privacy.Day)

	errc := make(chan error, 1)
	go func() { errc <- srv.App.Listen(cfg.HTTPAddr) }()
	fmt.Fprintf(stdout, "\nwholesale is serving %s\n", cfg.BaseURL)
	if cfg.DemoData {
		fmt.Fprintln(stdout, "demo logins:")
		for _, l := range demo.Logins() {
			fmt.Fprintf(stdout, "  %-16s %-28s %s\n", l.Role, l.Email, l.Password)
		}
	}
	fmt.Fprintln(stdout, "Ctrl-C stops it.")
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	stopBG()
	return nil
}

// startCPUProfile writes the process's CPU profile to path until the
// returned function is called.
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("CPU_PROFILE: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("CPU_PROFILE: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// sweepExpired deletes expired sessions, CSRF tokens and rate-limit counters.
func sweepExpired(ctx context.Context, db *bun.DB, clk clock.Clock, log *slog.Logger) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		if _, err := sessions.DeleteExpired(ctx, db, clk.Now()); err != nil && ctx.Err() == nil {
			log.Warn("sweeping expired sessions", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func newLogger(format string, w io.Writer) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}
