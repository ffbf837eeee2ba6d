package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"wholesale/internal/clock"
	"wholesale/internal/loadtest"
	"wholesale/internal/postgres"
)

// runBenchO2C runs `wholesale bench o2c`, the order-to-cash benchmark of
// issue 23 in the shape of SAP's SD benchmark, on the database of
// DATABASE_URL or the local cluster: against `wholesale serve` started on
// a free port (or the server of -url), simulated users each order, confirm,
// display, ship, list and invoice through the pages, more users at each
// level until the average dialog response time reaches -target. It
// reports every level, the throughput in SAPS of the most users under the
// target, and the verification of every cycle; a failed cycle or a failed
// verification makes it return an error, after the report.
func runBenchO2C(ctx context.Context, cfg Config, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench o2c", flag.ContinueOnError)
	o := loadtest.O2COptions{}
	fs.IntVar(&o.Users, "users", 1, "simulated users at the first level")
	fs.IntVar(&o.MaxUsers, "max-users", 512, "the most simulated users tried")
	fs.IntVar(&o.Step, "step", 0, "users added per level (0: doubled, then the gap to the first level over the target halved)")
	fs.IntVar(&o.Cycles, "cycles", 3, "cycles per user at each level")
	fs.DurationVar(&o.Think, "think", 0, "each user's pause after a dialog step (SAP's benchmark: 10s)")
	fs.DurationVar(&o.Target, "target", time.Second, "the average dialog response time to stay under")
	fs.IntVar(&o.CustomersPerUser, "customers", 1, "customers of each user")
	fs.IntVar(&o.ProductsPerUser, "products", 10, "products of each user (at least 5)")
	fs.IntVar(&o.History, "history", 40, "orders each customer has before the run, for the list of 40")
	fs.StringVar(&o.URL, "url", "", "an app server already running on DATABASE_URL (default: start `wholesale serve` on a free port)")
	fs.IntVar(&o.PID, "pid", 0, "with -url: the server's process id, whose CPU time is read")
	dbConns := fs.Int("db-conns", 10, "the started server's connection pool (DB_MAX_CONNS)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case o.Users < 1 || o.MaxUsers < o.Users || o.Cycles < 1 || o.Step < 0 || o.Target <= 0 || o.Think < 0:
		return errors.New("bench o2c: -users, -cycles at least 1, -max-users at least -users, -step, -think at least 0, -target more than 0")
	case o.CustomersPerUser < 1 || o.ProductsPerUser < 5 || o.History < 0:
		return errors.New("bench o2c: -customers at least 1, -products at least 5, -history at least 0")
	case o.PID != 0 && o.URL == "":
		return errors.New("bench o2c: -pid goes with -url")
	case o.URL != "" && cfg.DatabaseURL == "":
		return errors.New("bench o2c: with -url, set DATABASE_URL to the server's database (the bench sets up its users there)")
	}
	o.Tag = strings.ToUpper(strconv.FormatInt(clock.System{}.Now().Unix()%(36*36*36*36*36), 36))

	db, dsn, closeDB, err := openDatabase(ctx, cfg, stdout)
	if err != nil {
		return err
	}
	defer closeDB()
	if _, err := postgres.Migrate(ctx, db); err != nil {
		return err
	}
	if o.URL == "" {
		stop, err := startBenchServer(ctx, dsn, *dbConns, &o.URL, &o.PID, stdout)
		if err != nil {
			return err
		}
		defer stop()
	}
	res, err := loadtest.RunO2C(ctx, db, o, stdout)
	if res != nil {
		loadtest.ReportO2C(stdout, res)
	}
	return err
}

// startBenchServer runs this binary as `wholesale serve` on dsn, on a free
// loopback port, for a bench to measure; it sets url and pid to the
// server's and returns how to stop it.
func startBenchServer(ctx context.Context, dsn string, dbConns int, url *string, pid *int, stdout io.Writer) (func(), error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	srv, err := loadtest.StartServer(ctx, loadtest.ServerOptions{Exe: exe, DSN: dsn, DBConns: dbConns})
	if err != nil {
		return nil, err
	}
	*url, *pid = srv.URL, srv.PID
	fmt.Fprintf(stdout, "app server: %s serve on %s, pid %d, DB_MAX_CONNS=%d\n", exe, srv.URL, srv.PID, dbConns)
	return srv.Stop, nil
}
