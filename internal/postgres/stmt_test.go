package postgres_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"wholesale/internal/pgtest"
	"wholesale/internal/postgres"
)

// prepared lists the statements the one connection of db has prepared.
func prepared(t *testing.T, db *bun.DB) []string {
	t.Helper()
	var names []string
	if err := db.NewRaw("SELECT name FROM pg_prepared_statements ORDER BY name").Scan(context.Background(), &names); err != nil {
		t.Fatal(err)
	}
	return names
}

// inTx runs fn in a transaction of its own, rolled back when it fails.
func inTx(ctx context.Context, db *bun.DB, fn func(tx *postgres.Tx) error) error {
	return postgres.Run(ctx, db, postgres.Once, func(_ context.Context, tx *postgres.Tx) error { return fn(tx) })
}

func TestStmtIsPreparedOnceOnATransactionsConnectionAndInlineElsewhere(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	db.SetMaxOpenConns(1) // one connection: what it prepared is visible to the next step
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "CREATE TABLE t (id int PRIMARY KEY, note text)"); err != nil {
		t.Fatal(err)
	}
	ins := postgres.NewStmt("stmt_test_insert", "INSERT INTO t (id, note) VALUES (?0, ?1)")
	get := postgres.NewStmt("stmt_test_get", "SELECT id, note FROM t WHERE id = ANY(?0::int[]) ORDER BY id")

	// In a use case's transaction: executed prepared, prepared in the same
	// round trip.
	var rows []struct {
		ID   int    `bun:"id"`
		Note string `bun:"note"`
	}
	err := postgres.Run(ctx, db, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		if err := postgres.NewBatch(tx).Stmt(ins, 1, "it's one").Exec(ctx, tx); err != nil {
			return err
		}
		b := postgres.NewBatch(tx).Stmt(ins, 2, "two").Stmt(get, pgdialect.Array([]int{1, 2}))
		if err := b.Scan(ctx, tx, &rows); err != nil {
			return err
		}
		if err := tx.AtCommit(ctx, postgres.NewBatch(tx).Stmt(ins, 3, "three")); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Note != "it's one" || rows[1].Note != "two" {
		t.Fatalf("rows %+v", rows)
	}
	if got := strings.Join(prepared(t, db), ","); got != "stmt_test_get,stmt_test_insert" {
		t.Fatalf("prepared %q", got)
	}

	// On the pool (no known connection): sent as plain SQL, same result.
	rows = nil
	if err := postgres.NewBatch(db).Stmt(ins, 4, "four").Stmt(get, pgdialect.Array([]int{3, 4})).Scan(ctx, db, &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Note != "three" || rows[1].Note != "four" {
		t.Fatalf("inline rows %+v", rows)
	}

	// A failed batch leaves the connection unsure of what it prepared: the
	// next one deallocates and prepares again, and works.
	err = inTx(ctx, db, func(tx *postgres.Tx) error { return postgres.NewBatch(tx).Stmt(ins, 1, "duplicate").Exec(ctx, tx) })
	if !postgres.IsUniqueViolation(err, "t_pkey") {
		t.Fatalf("want the unique violation, got %v", err)
	}
	if err := inTx(ctx, db, func(tx *postgres.Tx) error {
		if err := tx.AtCommit(ctx, postgres.NewBatch(tx).Stmt(ins, 5, "five").Stmt(get, pgdialect.Array([]int{5}))); err != nil {
			return err
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, "t"); n != 5 {
		t.Fatalf("%d rows, want 5", n)
	}

	// A migration that changes a table under a prepared statement costs
	// that statement one failure on each connection, not more.
	if _, err := db.ExecContext(ctx, "ALTER TABLE t ADD COLUMN extra int"); err != nil {
		t.Fatal(err)
	}
	all := postgres.NewStmt("stmt_test_all", "SELECT * FROM t WHERE id = ?0")
	var before, after map[string]any
	if err := inTx(ctx, db, func(tx *postgres.Tx) error {
		return postgres.NewBatch(tx).Stmt(ins, 6, "six").Stmt(all, 6).Scan(ctx, tx, &before)
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "ALTER TABLE t ADD COLUMN more int"); err != nil {
		t.Fatal(err)
	}
	attempt := func() error {
		return inTx(ctx, db, func(tx *postgres.Tx) error {
			return postgres.NewBatch(tx).Stmt(ins, 7, "seven").Stmt(all, 7).Scan(ctx, tx, &after)
		})
	}
	if err := attempt(); err == nil || !strings.Contains(err.Error(), "cached plan must not change result type") {
		t.Fatalf("want PostgreSQL to refuse the stale plan once, got %v", err)
	}
	if err := attempt(); err != nil {
		t.Fatalf("after the refusal the statement is prepared again: %v", err)
	}
	if _, ok := after["more"]; !ok || len(after) != len(before)+1 {
		t.Fatalf("before %v, after %v", before, after)
	}

	// A statement that lists its columns (postgres.Columns) is planned again
	// without a word.
	type row struct {
		ID   int    `bun:"id"`
		Note string `bun:"note"`
	}
	listed := postgres.NewStmt("stmt_test_listed", "SELECT "+postgres.Columns((*row)(nil), "t")+" FROM t WHERE t.id = ?0")
	var r row
	read := func() error {
		errUndo := errors.New("undo")
		err := inTx(ctx, db, func(tx *postgres.Tx) error {
			if err := postgres.NewBatch(tx).Stmt(ins, 8, "eight").Stmt(listed, 8).Scan(ctx, tx, &r); err != nil {
				return err
			}
			return errUndo // leave no row 8 behind
		})
		if err == errUndo {
			return nil
		}
		return err
	}
	if err := read(); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "ALTER TABLE t ADD COLUMN yet_more int"); err != nil {
		t.Fatal(err)
	}
	if err := read(); err != nil || r.Note != "eight" {
		t.Fatalf("after a new column: %v %+v", err, r)
	}
}

func TestNewStmtWantsPositionalPlaceholders(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("a bare ? was accepted")
		}
	}()
	postgres.NewStmt("bad", "SELECT 1 WHERE x = ?")
}

func TestInsertStmtWritesWhatBunWould(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `CREATE TABLE things (id bigserial PRIMARY KEY, name text NOT NULL, at timestamptz NOT NULL,
		maybe bigint, doc jsonb, home_city text NOT NULL, home_zip text NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	type place struct {
		City string `bun:"city"`
		Zip  string `bun:"zip"`
	}
	type thing struct {
		bun.BaseModel `bun:"table:things"`
		ID            int64          `bun:"id,pk,autoincrement"`
		Name          string         `bun:"name"`
		At            time.Time      `bun:"at"`
		Maybe         *int64         `bun:"maybe"`
		Doc           map[string]any `bun:"doc,type:jsonb"`
		Home          place          `bun:"embed:home_"`
		Label         string         `bun:"label,scanonly"`
	}
	ins := postgres.NewInsertStmt("stmt_test_things", "id")
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	seven := int64(7)
	a := &thing{Name: "it's", At: at, Maybe: &seven, Doc: map[string]any{"k": "v"}, Home: place{"Utrecht", "3511"}}
	b := &thing{Name: "b", At: at, Home: place{"Gouda", "2801"}}
	if err := inTx(ctx, db, func(tx *postgres.Tx) error {
		return postgres.NewBatch(tx).Insert(ins, a).Insert(ins, b).Exec(ctx, tx)
	}); err != nil {
		t.Fatal(err)
	}
	if err := postgres.NewBatch(db).Insert(ins, b).Exec(ctx, db); err != nil { // inline too
		t.Fatal(err)
	}
	var got []thing
	if err := db.NewSelect().Model(&got).Order("id").Scan(ctx); err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].Name != "it's" || !got[0].At.Equal(at) || got[0].Maybe == nil || *got[0].Maybe != 7 ||
		got[0].Doc["k"] != "v" || got[0].Home != a.Home || got[1].Maybe != nil || got[2].Home.City != "Gouda" {
		t.Fatalf("%+v", got)
	}
}

func TestStmtNamesAreUnique(t *testing.T) {
	postgres.NewStmt("stmt_test_unique", "SELECT 1")
	postgres.NewStmt("stmt_test_unique", "SELECT 1") // the same query again: fine
	defer func() {
		if recover() == nil {
			t.Fatal("one name was given to two queries")
		}
	}()
	postgres.NewStmt("stmt_test_unique", "SELECT 2")
}

// The app's connections plan prepared statements generically: calls with
// array arguments are not planned one by one; they compile no query just
// in time; and they cost a row read by index as rows in memory cost.
func TestConnectionsPlanPreparedStatementsGenerically(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	var mode string
	if err := db.QueryRowContext(context.Background(), "SHOW plan_cache_mode").Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if mode != "force_generic_plan" {
		t.Fatalf("plan_cache_mode %q", mode)
	}
	var jit string
	if err := db.QueryRowContext(context.Background(), "SHOW jit").Scan(&jit); err != nil || jit != "off" {
		t.Fatalf("jit %q (%v): JIT compiling costs a page more than its query", jit, err)
	}
	var cost string
	if err := db.QueryRowContext(context.Background(), "SHOW random_page_cost").Scan(&cost); err != nil || cost != "1.1" {
		t.Fatalf("random_page_cost %q (%v): the planner reads whole tables to avoid index lookups that cost little in memory", cost, err)
	}
}

// ScanStmtIn prepares a statement on a connection of the pool, and runs it
// as a batch would elsewhere: inline in a bun.Tx, with the same rows.
func TestScanStmtInPreparesOnThePool(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	db.SetMaxOpenConns(1) // one connection: what it prepared is visible to the next step
	ctx := context.Background()
	get := postgres.NewStmt("stmt_test_scan_in", "SELECT ?0::int + 1 AS n")
	var n int
	if err := postgres.ScanStmtIn(ctx, db, get, []any{41}, &n); err != nil || n != 42 {
		t.Fatalf("on the pool: %d, %v", n, err)
	}
	if got := strings.Join(prepared(t, db), ","); got != "stmt_test_scan_in" {
		t.Fatalf("prepared %q, want the statement, prepared on the pool's connection", got)
	}
	n = 0
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return postgres.ScanStmtIn(ctx, tx, get, []any{1}, &n)
	})
	if err != nil || n != 2 {
		t.Fatalf("in a bun.Tx: %d, %v", n, err)
	}
}
