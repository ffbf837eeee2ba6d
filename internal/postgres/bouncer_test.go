package postgres_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/uptrace/bun"

	"wholesale/internal/pgtest"
	"wholesale/internal/postgres"
)

// What the app keeps on a connection beyond one transaction: the
// statements Stmt prepares, the advisory locks of TryLocked and Migrate,
// and plan_cache_mode, set when a connection is opened.
var bouncerGet = postgres.NewStmt("bouncer_test_get", "SELECT ?0::int + 1")

// startBouncer runs a PgBouncer in mode in front of the test's own
// database, with pool server connections, and returns the database's name.
func startBouncer(t *testing.T, mode string, pool int) (*postgres.Bouncer, string) {
	t.Helper()
	db := pgtest.New(t)
	var name string
	if err := db.QueryRowContext(context.Background(), "SELECT current_database()").Scan(&name); err != nil {
		t.Fatal(err)
	}
	b, err := postgres.StartBouncer(context.Background(), postgres.BouncerOptions{Dir: filepath.Join(pgtest.ServerDir(t), "pgbouncer"),
		Server: pgtest.DSN(t, db), PoolMode: mode, PoolSize: pool, Password: "bouncer test password"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Stop() })
	return b, name
}

// client is one connection through the bouncer, as an app server with
// DB_MAX_CONNS=1 holds it.
func client(t *testing.T, b *postgres.Bouncer, name string) *bun.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), b.DSN(name), 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func runStmt(ctx context.Context, db *bun.DB) (int, error) {
	var n int
	err := postgres.Run(ctx, db, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		return postgres.NewBatch(tx).Stmt(bouncerGet, 41).Scan(ctx, tx, &n)
	})
	return n, err
}

func backendPID(t *testing.T, db *bun.DB) int {
	t.Helper()
	var pid int
	if err := db.QueryRowContext(context.Background(), "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		t.Fatal(err)
	}
	return pid
}

func TestSessionModeKeepsWhatTheAppHoldsOnAConnection(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b, name := startBouncer(t, "session", 2)

	first := client(t, b, name)
	var mode string
	if err := first.QueryRowContext(ctx, "SHOW plan_cache_mode").Scan(&mode); err != nil || mode != "force_generic_plan" {
		t.Fatalf("plan_cache_mode through PgBouncer: %q, %v", mode, err)
	}
	if n, err := runStmt(ctx, first); err != nil || n != 42 {
		t.Fatalf("a prepared statement: %d, %v", n, err)
	}
	pid := backendPID(t, first)
	first.Close()

	// A client that comes later gets the same server connection, reset
	// (DISCARD ALL): it prepares its statements afresh without a clash.
	later := client(t, b, name)
	if got := backendPID(t, later); got != pid {
		t.Fatalf("the later client has server connection %d, not the first one's %d: the test proves nothing", got, pid)
	}
	var left int
	if err := later.QueryRowContext(ctx, "SELECT count(*) FROM pg_prepared_statements").Scan(&left); err != nil || left != 0 {
		t.Fatalf("prepared statements left for the next client: %d, %v", left, err)
	}
	for i := 0; i < 2; i++ { // prepared, then executed prepared
		if n, err := runStmt(ctx, later); err != nil || n != 42 {
			t.Fatalf("the later client's prepared statement, run %d: %d, %v", i+1, n, err)
		}
	}

	// An advisory lock held by one app server keeps the other out until
	// it is released, as the schedulers need.
	other := client(t, b, name)
	ran, err := postgres.TryLocked(ctx, later, 4242, func(ctx context.Context) error {
		inner, err := postgres.TryLocked(ctx, other, 4242, func(context.Context) error { return nil })
		if err != nil || inner {
			t.Errorf("the other server ran the locked job while the first held the lock: %v, %v", inner, err)
		}
		return nil
	})
	if err != nil || !ran {
		t.Fatalf("the first server did not run the locked job: %v, %v", ran, err)
	}
	if ran, err := postgres.TryLocked(ctx, other, 4242, func(context.Context) error { return nil }); err != nil || !ran {
		t.Fatalf("the lock was not free once released: %v, %v", ran, err)
	}

	pools, err := b.Pools(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var seen bool
	for _, p := range pools {
		if p.Database == name {
			seen = true
			if p.Mode != "session" || p.ClientsActive != 2 {
				t.Errorf("PgBouncer's pool of %s: %+v, want session mode and the two connected clients", name, p)
			}
		}
	}
	if !seen {
		t.Errorf("PgBouncer has no pool of %s: %+v", name, pools)
	}
}

// Transaction mode hands the server connection to another client after
// each transaction: what the app keeps on its connection then meets other
// clients. This is why docs/SCALING.md asks for session mode.
func TestTransactionModeWouldBreakPreparedStatementsAndLocks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b, name := startBouncer(t, "transaction", 1) // one server connection for every client

	one, two := client(t, b, name), client(t, b, name)
	if _, err := runStmt(ctx, one); err != nil {
		t.Fatal(err)
	}
	// The second client prepares the statement it has not prepared, on
	// the server connection where the first one already did.
	if _, err := runStmt(ctx, two); postgres.Code(err) != "42P05" {
		t.Fatalf("the second client's PREPARE: %v, want duplicate_prepared_statement (42P05)", err)
	}

	// Both "hold" the same advisory lock: it belongs to the server
	// connection, which both use.
	ran, err := postgres.TryLocked(ctx, one, 4343, func(ctx context.Context) error {
		inner, err := postgres.TryLocked(ctx, two, 4343, func(context.Context) error { return nil })
		if err != nil || !inner {
			t.Errorf("expected the lock to let the second client in too in transaction mode: %v, %v", inner, err)
		}
		return nil
	})
	if err != nil || !ran {
		t.Fatalf("the first client did not get the lock: %v, %v", ran, err)
	}
}
