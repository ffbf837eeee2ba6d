package postgres_test

import (
	"context"
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
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
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
	err = db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
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

func TestConnTxCommitsWithItsLastStatementAndRollsBackOnError(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	db.SetMaxOpenConns(1) // the same connection serves every step: it must come back clean
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "CREATE TABLE t (id int PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	ins := postgres.NewStmt("tx_test_insert", "INSERT INTO t VALUES (?0)")
	tx, res, err := postgres.BeginWith(ctx, db, ins, 1)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("first statement affected %d rows", n)
	}
	// Work in between joins the transaction through the context.
	txctx := postgres.WithTx(ctx, tx.DB())
	if err := postgres.RunInTx(txctx, db, func(ctx context.Context, idb bun.IDB) error {
		_, err := idb.ExecContext(ctx, "INSERT INTO t VALUES (2)")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := tx.CommitWith(ctx, ins, 3); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, "t"); n != 3 {
		t.Fatalf("%d rows after commit, want 3", n)
	}

	// A failing last statement: nothing of the transaction is kept and the
	// connection is usable again.
	tx, _, err = postgres.BeginWith(ctx, db, ins, 4)
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.CommitWith(ctx, ins, 1); !postgres.IsUniqueViolation(err, "t_pkey") {
		t.Fatalf("want the unique violation, got %v", err)
	}
	if n := count(t, db, "t"); n != 3 {
		t.Fatalf("%d rows after a failed commit, want 3", n)
	}

	// A failing first statement, and an explicit rollback.
	if _, _, err := postgres.BeginWith(ctx, db, ins, 2); !postgres.IsUniqueViolation(err, "t_pkey") {
		t.Fatalf("want the unique violation, got %v", err)
	}
	tx, _, err = postgres.BeginWith(ctx, db, ins, 5)
	if err != nil {
		t.Fatal(err)
	}
	tx.Rollback(ctx)
	tx.Rollback(ctx)
	if n := count(t, db, "t"); n != 3 {
		t.Fatalf("%d rows after a rollback, want 3", n)
	}
	// Outside a carried transaction, RunInTx makes its own and rolls it back on error.
	err = postgres.RunInTx(ctx, db, func(ctx context.Context, idb bun.IDB) error {
		if _, err := idb.ExecContext(ctx, "INSERT INTO t VALUES (6)"); err != nil {
			return err
		}
		_, err := idb.ExecContext(ctx, "INSERT INTO t VALUES (1)")
		return err
	})
	if err == nil || count(t, db, "t") != 3 {
		t.Fatalf("own transaction: err %v, rows %d", err, count(t, db, "t"))
	}
}

func TestExecAtCommitTravelsWithTheCommit(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "CREATE TABLE t (id int PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	ins := postgres.NewStmt("tx_test_at_commit", "INSERT INTO t VALUES (?0)")
	inTx := func(tx bun.IDB) int {
		var n int
		if err := tx.NewSelect().Table("t").ColumnExpr("count(*)").Scan(ctx, &n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	// In a ConnTx: held back until the commit, then kept with it.
	tx, _, err := postgres.BeginWith(ctx, db, ins, 1)
	if err != nil {
		t.Fatal(err)
	}
	tctx := tx.With(ctx)
	if err := postgres.ExecAtCommit(tctx, tx.DB(), postgres.NewBatch(tx.DB()).Stmt(ins, 2).Raw("INSERT INTO t VALUES (3)")); err != nil {
		t.Fatal(err)
	}
	if n := inTx(tx.DB()); n != 1 {
		t.Fatalf("%d rows before the commit, want 1 (the deferred writes not sent yet)", n)
	}
	if err := tx.CommitWith(ctx, ins, 4); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, "t"); n != 4 {
		t.Fatalf("%d rows after the commit, want 4", n)
	}

	// A deferred write that fails fails the commit: nothing is kept.
	tx, _, err = postgres.BeginWith(ctx, db, ins, 5)
	if err != nil {
		t.Fatal(err)
	}
	if err := postgres.ExecAtCommit(tx.With(ctx), tx.DB(), postgres.NewBatch(tx.DB()).Stmt(ins, 1)); err != nil {
		t.Fatal(err)
	}
	if err := tx.CommitWith(ctx, ins, 6); !postgres.IsUniqueViolation(err, "t_pkey") {
		t.Fatalf("want the deferred write's unique violation at commit, got %v", err)
	}
	if n := count(t, db, "t"); n != 4 {
		t.Fatalf("%d rows after the failed commit, want 4", n)
	}

	// Anywhere else it runs at once.
	err = postgres.RunInTx(ctx, db, func(ctx context.Context, idb bun.IDB) error {
		if err := postgres.ExecAtCommit(ctx, idb, postgres.NewBatch(idb).Stmt(ins, 7)); err != nil {
			return err
		}
		if n := inTx(idb); n != 5 {
			t.Errorf("%d rows right after ExecAtCommit in a plain transaction, want 5", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestRunInTxRunsAgainPessimisticallyAfterASerializationFailure(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	var runs []bool
	err := postgres.RunInTx(ctx, db, func(ctx context.Context, tx bun.IDB) error {
		runs = append(runs, postgres.Pessimistic(ctx))
		if len(runs) == 1 {
			_, err := tx.ExecContext(ctx, `DO $$BEGIN RAISE EXCEPTION 'met another' USING ERRCODE = 'serialization_failure'; END$$`)
			return err
		}
		return nil
	})
	if err != nil || len(runs) != 2 || runs[0] || !runs[1] {
		t.Fatalf("err %v, runs (pessimistic?) %v", err, runs)
	}
	// It gives up after postgres.Attempts, and never runs again for other errors.
	runs = nil
	err = postgres.RunInTx(ctx, db, func(ctx context.Context, tx bun.IDB) error {
		runs = append(runs, postgres.Pessimistic(ctx))
		_, err := tx.ExecContext(ctx, `DO $$BEGIN RAISE EXCEPTION 'deadlock' USING ERRCODE = 'deadlock_detected'; END$$`)
		return err
	})
	if !postgres.Retryable(err) || len(runs) != postgres.Attempts {
		t.Fatalf("err %v after %d runs", err, len(runs))
	}
	runs = nil
	err = postgres.RunInTx(ctx, db, func(ctx context.Context, tx bun.IDB) error {
		runs = append(runs, postgres.Pessimistic(ctx))
		_, err := tx.ExecContext(ctx, "SELECT 1/0")
		return err
	})
	if err == nil || len(runs) != 1 {
		t.Fatalf("err %v after %d runs", err, len(runs))
	}
}
