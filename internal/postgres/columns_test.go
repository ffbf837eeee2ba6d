package postgres_test

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"wholesale/internal/pgtest"
)

type oldRow struct {
	bun.BaseModel `bun:"table:rolling,alias:r"`
	ID            int64  `bun:"id,pk"`
	Name          string `bun:"name"`
	Owner         string `bun:"owner,scanonly"`
}

// A server reads past a column a later migration added (the build before
// it, while app servers are restarted one by one): its selects of alias.*
// keep working, and read what they know.
func TestServersReadPastColumnsTheyDoNotKnow(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	for _, q := range []string{
		"CREATE TABLE rolling (id bigint PRIMARY KEY, name text NOT NULL)",
		"INSERT INTO rolling VALUES (1, 'first'), (2, 'second')",
		"ALTER TABLE rolling ADD COLUMN added_later boolean NOT NULL DEFAULT true", // the new build's migration
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	var rows []oldRow
	if err := db.NewSelect().Model(&rows).ColumnExpr("r.*, 'owner ' || r.id AS owner").OrderExpr("r.id").Scan(ctx); err != nil {
		t.Fatalf("reading rows with a column the model lacks: %v", err)
	}
	if len(rows) != 2 || rows[1] != (oldRow{ID: 2, Name: "second", Owner: "owner 2"}) {
		t.Fatalf("rows %+v", rows)
	}
	var one oldRow
	if err := db.NewSelect().Model(&one).ColumnExpr("r.*").Where("r.id = 1").Scan(ctx); err != nil || one.Name != "first" {
		t.Fatalf("one row: %+v, %v", one, err)
	}
}
