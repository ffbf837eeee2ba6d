// Package postgres opens the database, runs the migrations, starts the
// project's own local cluster and translates PostgreSQL errors into apperr kinds.
package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/driver/pgdriver"
)

// Open connects to the database at dsn and checks that it answers.
func Open(ctx context.Context, dsn string, maxConns int) (*bun.DB, error) {
	if u, err := url.Parse(dsn); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		// pgdriver panics on anything else, e.g. psql's "host=… dbname=…".
		return nil, fmt.Errorf("postgres: the database address must be a URL, postgres://user:password@host:port/database?sslmode=…; got %.20q…", dsn)
	}
	sqldb := sql.OpenDB(connector{pgdriver.NewConnector(
		pgdriver.WithDSN(dsn),
		pgdriver.WithTimeout(10*time.Second),
		pgdriver.WithReadTimeout(60*time.Second),
		pgdriver.WithWriteTimeout(60*time.Second),
		// The prepared statements of hot use cases (Stmt) look rows up by
		// key or by a short array of keys: a generic plan serves every
		// call, where PostgreSQL would otherwise keep planning calls with
		// array arguments one by one.
		// JIT compiling a page's query costs more than the query itself: on
		// ten years of data the planner's cost of a report passes
		// jit_above_cost, and compiling took 0.4 s of a 3.6 s AR aging.
		// A row read by index costs about as much as one read in turn when
		// the data is in memory or on SSD, as a wholesaler's is: with the
		// default random_page_cost of 4, meant for spinning disks, the
		// back-order list joined 215 demands to their customers by reading
		// all 10,000 customers (14 ms), rather than looking 215 up (3.5 ms).
		pgdriver.WithConnParams(map[string]any{"plan_cache_mode": "force_generic_plan", "jit": "off", "random_page_cost": "1.1"}),
	)})
	return pool(ctx, sqldb, maxConns)
}

// OpenBulk connects to the database at dsn for bulk loading: pgdriver's
// own connections (pgdriver.CopyFrom takes no other; Open's remember
// their prepared statements), with the session settings given, and no
// read or write timeout, since one COPY may stream for minutes.
func OpenBulk(ctx context.Context, dsn string, maxConns int, params map[string]any) (*bun.DB, error) {
	if u, err := url.Parse(dsn); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return nil, fmt.Errorf("postgres: the database address must be a URL; got %.20q…", dsn)
	}
	sqldb := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(dsn), pgdriver.WithTimeout(10*time.Second),
		pgdriver.WithReadTimeout(0), pgdriver.WithWriteTimeout(0), pgdriver.WithConnParams(params)))
	return pool(ctx, sqldb, maxConns)
}

// pool sizes the pool of sqldb and checks that the database answers.
func pool(ctx context.Context, sqldb *sql.DB, maxConns int) (*bun.DB, error) {
	if maxConns <= 0 {
		maxConns = 20
	}
	sqldb.SetMaxOpenConns(maxConns)
	sqldb.SetMaxIdleConns(maxConns)
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	// A column it does not know is passed over when a row is read: a
	// migration adds a column while servers of the build before it still
	// run (several app servers share the database and are restarted one
	// by one), and their selects of alias.* would fail on it.
	db := bun.NewDB(sqldb, pgdialect.New(), bun.WithDiscardUnknownColumns())
	pingCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	return db, nil
}

// SocketDSN is the DSN of database name on a local cluster listening on the
// unix socket in dir. pgdriver wants the socket file, not the folder.
func SocketDSN(dir, user, name string) string {
	return fmt.Sprintf("postgres://%s@/%s?host=%s/.s.PGSQL.5432&sslmode=disable", user, name, dir)
}
