package main

import (
	"context"
	"errors"
	"flag"
	"io"

	"wholesale/internal/loadtest"
)

const benchUsage = "usage: wholesale bench orders [-n orders] [-c clients] … | wholesale bench pages [-n requests] [-c clients] [-url URL -pid PID] [-demo] … | wholesale bench o2c [-users n] [-cycles n] [-max-users n] …"

// runBench runs `wholesale bench orders`, `wholesale bench pages` and
// `wholesale bench o2c`.
func runBench(ctx context.Context, cfg Config, args []string, stdout io.Writer) error {
	if len(args) > 0 && args[0] == "pages" {
		return runBenchPages(ctx, cfg, args[1:], stdout)
	}
	if len(args) > 0 && args[0] == "o2c" {
		return runBenchO2C(ctx, cfg, args[1:], stdout)
	}
	if len(args) == 0 || args[0] != "orders" {
		return errors.New(benchUsage)
	}
	fs := flag.NewFlagSet("bench orders", flag.ContinueOnError)
	o := loadtest.Options{}
	fs.IntVar(&o.Orders, "n", 2000, "orders to place")
	fs.IntVar(&o.Clients, "c", 16, "concurrent clients")
	fs.IntVar(&o.Customers, "customers", 50, "customers the orders are spread over")
	fs.IntVar(&o.Products, "products", 200, "products in the catalogue")
	fs.IntVar(&o.PgbenchSeconds, "pgbench-seconds", 20, "how long pgbench runs, half before the orders and half after")
	fs.IntVar(&o.PgbenchClients, "pgbench-clients", 8, "pgbench clients")
	fs.StringVar(&o.Dir, "dir", "", "folder for the throwaway cluster (default: the system's temp folder)")
	fs.IntVar(&o.DBConns, "db-conns", 10, "the app's database connection pool (DB_MAX_CONNS, default 10)")
	fs.IntVar(&o.Statements, "statements", 0, "print PostgreSQL's n costliest statements of the run (pg_stat_statements)")
	fs.StringVar(&o.CPUProfile, "cpuprofile", "", "write a Go CPU profile of the order placing to this file")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	res, err := loadtest.Run(ctx, o, stdout)
	if err != nil {
		return err
	}
	loadtest.Report(stdout, res)
	return nil
}
