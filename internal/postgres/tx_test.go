package postgres_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"wholesale/internal/pgtest"
	"wholesale/internal/postgres"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func count(t *testing.T, db bun.IDB, table string) int {
	t.Helper()
	var n int
	if err := db.NewSelect().Table(table).ColumnExpr("count(*)").Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestBatchSendsStatementsInOrderAndScansTheLast(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "CREATE TABLE t (id int PRIMARY KEY, note text)"); err != nil {
		t.Fatal(err)
	}
	err := postgres.Run(ctx, db, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		b := postgres.NewBatch(tx)
		b.Raw("INSERT INTO t VALUES (?, ?)", 1, "it's a ? mark").Raw("INSERT INTO t VALUES (?, ?)", 2, "two")
		var notes []string
		if err := b.Raw("SELECT note FROM t ORDER BY id").Scan(ctx, tx, &notes); err != nil {
			return err
		}
		if len(notes) != 2 || notes[0] != "it's a ? mark" || notes[1] != "two" {
			t.Fatalf("notes %q", notes)
		}
		if b.Len() != 0 {
			t.Fatal("batch not emptied after sending")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// A failing statement stops the batch: what follows it does not run,
	// the error comes back and the transaction keeps nothing.
	err = postgres.Run(ctx, db, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		return postgres.NewBatch(tx).Raw("INSERT INTO t VALUES (3, 'three')").Raw("INSERT INTO t VALUES (1, 'again')").
			Raw("INSERT INTO t VALUES (4, 'four')").Exec(ctx, tx)
	})
	if !postgres.IsUniqueViolation(err, "t_pkey") {
		t.Fatalf("want the unique violation, got %v", err)
	}
	if n := count(t, db, "t"); n != 2 {
		t.Fatalf("%d rows after a failed batch, want 2", n)
	}
}

func TestRunCommitsWhatTheUseCaseDidOrNothing(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	db.SetMaxOpenConns(1) // the same connection serves every step: it must come back clean
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "CREATE TABLE t (id int PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	ins := postgres.NewStmt("tx_test_insert", "INSERT INTO t VALUES (?0)")
	insert := func(tx *postgres.Tx, ids ...int) error {
		for _, id := range ids {
			if err := postgres.NewBatch(tx).Stmt(ins, id).Exec(ctx, tx); err != nil {
				return err
			}
		}
		return nil
	}
	if err := postgres.Run(ctx, db, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		if err := insert(tx, 1); err != nil {
			return err
		}
		_, err := tx.NewInsert().Model(&struct {
			bun.BaseModel `bun:"table:t"`
			ID            int `bun:"id"`
		}{ID: 2}).Exec(ctx)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, "t"); n != 2 {
		t.Fatalf("%d rows after commit, want 2", n)
	}
	// BEGIN went with the first statement: a later failure takes it back.
	err := postgres.Run(ctx, db, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error { return insert(tx, 3, 1) })
	if !postgres.IsUniqueViolation(err, "t_pkey") || count(t, db, "t") != 2 {
		t.Fatalf("err %v, %d rows; want the unique violation and 2 rows", err, count(t, db, "t"))
	}
	// An error of the use case's own rolls back too.
	errOwn := errors.New("refused")
	err = postgres.Run(ctx, db, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		if err := insert(tx, 4); err != nil {
			return err
		}
		return errOwn
	})
	if err != errOwn || count(t, db, "t") != 2 {
		t.Fatalf("err %v, %d rows; want the use case's error and 2 rows", err, count(t, db, "t"))
	}
	// A use case that sends nothing commits nothing, and a panic rolls back:
	// either way the one connection comes back.
	if err := postgres.Run(ctx, db, postgres.Once, func(context.Context, *postgres.Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	func() {
		defer func() { _ = recover() }()
		_ = postgres.Run(ctx, db, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
			_ = insert(tx, 5)
			panic("boom")
		})
	}()
	if n := count(t, db, "t"); n != 2 {
		t.Fatalf("%d rows after a panic, want 2", n)
	}
	// A use case is one transaction: it cannot begin another, nor work in
	// its transaction after it ended.
	var kept *postgres.Tx
	err = postgres.Run(ctx, db, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		kept = tx
		return tx.RunInTx(ctx, nil, func(context.Context, bun.Tx) error { return nil })
	})
	if err == nil {
		t.Fatal("a nested transaction was begun")
	}
	if _, err := kept.ExecContext(ctx, "INSERT INTO t VALUES (9)"); err == nil || count(t, db, "t") != 2 {
		t.Fatalf("a statement ran after the transaction ended: %v", err)
	}
}

func TestAtCommitTravelsWithTheCommit(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "CREATE TABLE t (id int PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	ins := postgres.NewStmt("tx_test_at_commit", "INSERT INTO t VALUES (?0)")
	err := postgres.Run(ctx, db, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		if err := postgres.NewBatch(tx).Stmt(ins, 1).Exec(ctx, tx); err != nil {
			return err
		}
		if err := tx.AtCommit(ctx, postgres.NewBatch(tx).Stmt(ins, 2).Raw("INSERT INTO t VALUES (3)")); err != nil {
			return err
		}
		if n := count(t, tx, "t"); n != 1 {
			t.Errorf("%d rows before the commit, want 1 (the deferred writes not sent yet)", n)
		}
		return nil
	})
	if err != nil || count(t, db, "t") != 3 {
		t.Fatalf("err %v, %d rows after the commit, want 3", err, count(t, db, "t"))
	}
	// A deferred write that fails fails the commit: nothing is kept.
	err = postgres.Run(ctx, db, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		if err := postgres.NewBatch(tx).Stmt(ins, 4).Exec(ctx, tx); err != nil {
			return err
		}
		if err := tx.AtCommit(ctx, postgres.NewBatch(tx).Stmt(ins, 1)); err != nil {
			return err
		}
		return nil
	})
	if !postgres.IsUniqueViolation(err, "t_pkey") || count(t, db, "t") != 3 {
		t.Fatalf("want the deferred write's unique violation at commit and 3 rows, got %v and %d", err, count(t, db, "t"))
	}
	// Deferred writes of a use case that sent nothing else begin and
	// commit with them.
	if err := postgres.Run(ctx, db, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		if err := tx.AtCommit(ctx, postgres.NewBatch(tx).Stmt(ins, 5)); err != nil {
			return err
		}
		return nil
	}); err != nil || count(t, db, "t") != 4 {
		t.Fatalf("err %v, %d rows, want 4", err, count(t, db, "t"))
	}
}

func TestFirstTravelsWithBeginAndItsErrorIsKept(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "CREATE TABLE claims (k text PRIMARY KEY); CREATE TABLE t (id int)"); err != nil {
		t.Fatal(err)
	}
	claim := postgres.NewStmt("tx_test_claim", "INSERT INTO claims VALUES (?0)")
	use := func(key string) (useErr, firstErr error) {
		useErr = postgres.Run(ctx, db, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
			if err := tx.First(ctx, postgres.NewBatch(tx).Stmt(claim, key)); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, "INSERT INTO t VALUES (1)")
			firstErr = tx.FirstErr()
			return err
		})
		return useErr, firstErr
	}
	if u, f := use("a"); u != nil || f != nil {
		t.Fatalf("first claim: %v, %v", u, f)
	}
	u, f := use("a")
	if !postgres.IsUniqueViolation(f, "claims_pkey") || !postgres.IsUniqueViolation(u, "claims_pkey") {
		t.Fatalf("second claim of a: use case %v, first %v; want the claim's unique violation", u, f)
	}
	if count(t, db, "claims") != 1 || count(t, db, "t") != 1 {
		t.Fatal("the refused claim's use case was kept")
	}
}

func TestRunRetriesPessimisticallyOnlyWhenAsked(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	fail := func(code string) func(context.Context, *postgres.Tx) error {
		return func(ctx context.Context, tx *postgres.Tx) error {
			_, err := tx.ExecContext(ctx, `DO $$BEGIN RAISE EXCEPTION 'met another' USING ERRCODE = '`+code+`'; END$$`)
			return err
		}
	}
	var runs []bool
	err := postgres.Run(ctx, db, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		runs = append(runs, tx.Optimistic())
		if len(runs) == 1 {
			return fail("serialization_failure")(ctx, tx)
		}
		return nil
	})
	if err != nil || len(runs) != 2 || !runs[0] || runs[1] {
		t.Fatalf("err %v, runs (optimistic?) %v; want an optimistic run, then a pessimistic one", err, runs)
	}
	// It gives up after postgres.Attempts, and never runs again for other errors.
	runs = nil
	err = postgres.Run(ctx, db, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		runs = append(runs, tx.Optimistic())
		return fail("deadlock_detected")(ctx, tx)
	})
	if !postgres.Retryable(err) || len(runs) != postgres.Attempts {
		t.Fatalf("err %v after %d runs", err, len(runs))
	}
	runs = nil
	err = postgres.Run(ctx, db, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		runs = append(runs, tx.Optimistic())
		_, err := tx.ExecContext(ctx, "SELECT 1/0")
		return err
	})
	if err == nil || len(runs) != 1 {
		t.Fatalf("err %v after %d runs", err, len(runs))
	}
	// Once runs once, and is never optimistic: nobody would run it again.
	runs = nil
	err = postgres.Run(ctx, db, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		runs = append(runs, tx.Optimistic())
		return fail("serialization_failure")(ctx, tx)
	})
	if !postgres.Retryable(err) || len(runs) != 1 || runs[0] {
		t.Fatalf("err %v, runs %v", err, runs)
	}
	if err := postgres.Run(ctx, db, 0, func(context.Context, *postgres.Tx) error { return nil }); err == nil {
		t.Fatal("Run without a retry mode ran")
	}
}

// A use case queueing more than AtCommitMax bytes of last writes has them
// sent once past it, so it never holds them all in memory; all are kept.
func TestAtCommitSendsWhatPassesItsMaximum(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "CREATE TABLE t (id int PRIMARY KEY, doc text)"); err != nil {
		t.Fatal(err)
	}
	doc := strings.Repeat("d", 100_000)
	const n = 25 // 2.5 MB of SQL
	err := postgres.Run(ctx, db, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		for i := 1; i <= n; i++ {
			if err := tx.AtCommit(ctx, postgres.NewBatch(tx).Raw("INSERT INTO t VALUES (?, ?)", i, doc)); err != nil {
				return err
			}
		}
		if sent := count(t, tx, "t"); sent < n-postgres.AtCommitMax/len(doc)-1 || sent == n {
			t.Errorf("%d of %d rows sent before the commit, want all but at most %d KB of them", sent, n, postgres.AtCommitMax>>10)
		}
		return nil
	})
	if err != nil || count(t, db, "t") != n {
		t.Fatalf("err %v, %d rows, want %d", err, count(t, db, "t"), n)
	}
}
