package postgres

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// TryLocked runs fn while holding the PostgreSQL advisory lock key on one
// connection of db, when no other server holds it: every app server
// schedules a job, and the one that gets the lock does it. It reports
// whether fn ran.
func TryLocked(ctx context.Context, db *bun.DB, key int64, fn func(ctx context.Context) error) (ran bool, err error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock(?)", key).Scan(&ran); err != nil || !ran {
		return false, err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(?)", key)
	return true, fn(ctx)
}

// Every calls fn every interval until ctx ends.
func Every(ctx context.Context, interval time.Duration, fn func(ctx context.Context)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		fn(ctx)
	}
}
