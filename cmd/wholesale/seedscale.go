package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/clock"
	"wholesale/internal/scale"
	"wholesale/internal/users"
)

// runSeedScale runs `wholesale seed-scale`: ten years of a wholesaler's
// data loaded into the empty database db (address dsn).
func runSeedScale(ctx context.Context, args []string, db *bun.DB, dsn string, stdout io.Writer) error {
	fs := flag.NewFlagSet("seed-scale", flag.ContinueOnError)
	fs.SetOutput(stdout)
	o := scale.Options{Clock: clock.System{}, Hasher: users.DefaultHasher, Out: stdout}
	fs.IntVar(&o.Orders, "orders", 1_000_000, "orders to load; customers, products and the rest follow")
	fs.Uint64Var(&o.Seed, "seed", 1, "seed of the random choices: the same seed and -end give the same data set")
	fs.StringVar(&o.Password, "password", scale.DefaultPassword, "password of the fixed logins (admin@scale.test, am@scale.test, buyer@scale.test, …)")
	fs.IntVar(&o.Workers, "workers", 3, "connections that load at once")
	end := fs.String("end", "", "the moment the data set ends, e.g. 2026-11-30T17:00:00Z (default: now); with -seed it fixes the data set")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *end != "" {
		t, err := time.Parse(time.RFC3339, *end)
		if err != nil {
			return fmt.Errorf("seed-scale: -end %q: %w", *end, err)
		}
		o.Now = t
	}
	_, err := scale.Seed(ctx, db, dsn, o)
	return err
}
