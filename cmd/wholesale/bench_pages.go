package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"wholesale/internal/clock"
	"wholesale/internal/customers"
	"wholesale/internal/demo"
	"wholesale/internal/loadtest"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
)

// loginFlags name the flag of each role's user.
var loginFlags = map[users.Role]string{
	users.RoleAdmin: "admin", users.RoleSales: "sales", users.RoleAccountManager: "am", users.RoleWarehouse: "warehouse",
	users.RoleFinance: "finance", users.RoleCustomerService: "service", users.RoleBoard: "board", users.RoleCustomer: "buyer",
}

// runBenchPages runs `wholesale bench pages`, the page-speed load test of
// issue 19, on the database of DATABASE_URL or the local cluster: against
// `wholesale serve` started on a free port (or the server of -url), it
// logs in as each role and reports p50, p95 and p99 per page, the server's
// memory, and the credit check for the busiest customer beside a new one.
// A page that fails makes it return an error, after the report.
func runBenchPages(ctx context.Context, cfg Config, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench pages", flag.ContinueOnError)
	o := loadtest.PagesOptions{}
	fs.IntVar(&o.Requests, "n", 200, "requests per page")
	fs.IntVar(&o.Clients, "c", 8, "requests at a time")
	fs.StringVar(&o.URL, "url", "", "an app server already running on DATABASE_URL (default: start `wholesale serve` on a free port)")
	fs.StringVar(&o.Only, "page", "", "measure only the pages whose name holds this (\"order page\", \"AR aging\")")
	fs.IntVar(&o.PID, "pid", 0, "with -url: the server's process id, whose memory is read")
	creditRuns := fs.Int("credit-runs", 200, "credit checks per customer (0: none)")
	dbConns := fs.Int("db-conns", 10, "the started server's connection pool (DB_MAX_CONNS)")
	useDemo := fs.Bool("demo", false, "log in as the demo data's users (make run) instead of seed-scale's")
	password := fs.String("password", loadtest.ScalePassword, "the password of seed-scale's users")
	scale := loadtest.ScaleLogins("")
	emails := make([]*string, len(scale))
	for i, l := range scale {
		emails[i] = fs.String(loginFlags[l.Role], l.Email, fmt.Sprintf("the %s user of seed-scale", l.Role))
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case o.Requests < 1 || o.Clients < 1:
		return errors.New("bench pages: -n and -c must be at least 1")
	case o.PID != 0 && o.URL == "":
		return errors.New("bench pages: -pid goes with -url")
	case o.URL != "" && cfg.DatabaseURL == "":
		return errors.New("bench pages: with -url, set DATABASE_URL to the server's database (the pages' subjects are found there)")
	}
	if *useDemo {
		for _, l := range demo.Logins() {
			o.Logins = append(o.Logins, loadtest.Login{Role: l.Role, Email: l.Email, Password: l.Password})
		}
	} else {
		for i, l := range scale {
			o.Logins = append(o.Logins, loadtest.Login{Role: l.Role, Email: *emails[i], Password: *password})
		}
	}

	db, dsn, closeDB, err := openDatabase(ctx, cfg, stdout)
	if err != nil {
		return err
	}
	defer closeDB()
	if _, err := postgres.Migrate(ctx, db); err != nil {
		return err
	}
	if cfg.DemoData { // as `wholesale serve` does: into an empty database only
		us := users.NewService(db, clock.System{}, users.DefaultHasher)
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		if _, err := demo.Load(ctx, db, us, &customers.Service{DB: db, Clock: clock.System{}, Users: us, BaseURL: cfg.BaseURL, Log: log}); err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
	}
	if o.URL == "" {
		stop, err := startBenchServer(ctx, dsn, *dbConns, &o.URL, &o.PID, stdout)
		if err != nil {
			return err
		}
		defer stop()
	}
	res, pagesErr := loadtest.RunPages(ctx, db, o, stdout)
	if res == nil {
		return pagesErr
	}
	loadtest.ReportPages(stdout, res)
	if *creditRuns > 0 {
		cr, err := loadtest.CompareCredit(ctx, db, *creditRuns)
		if err != nil {
			return err
		}
		loadtest.ReportCredit(stdout, cr)
	}
	return pagesErr
}
