package postgres_test

import (
	"context"
	"testing"

	"wholesale/internal/pgtest"
)

// Every GIN index merges its pending list at 64 kB (migration 0025): each
// search reads the whole list, which at the default 4 MB made a PO
// reference search on a million orders fifteen times slower.
func TestGINIndexesKeepShortPendingLists(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	var rows []struct {
		Name    string `bun:"name"`
		Options string `bun:"options"`
	}
	err := db.NewRaw(`SELECT c.relname AS name, coalesce(array_to_string(c.reloptions, ','), '') AS options
		FROM pg_class c JOIN pg_am am ON am.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE am.amname = 'gin' AND n.nspname = current_schema() ORDER BY 1`).Scan(context.Background(), &rows)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 3 {
		t.Fatalf("%d GIN indexes, want the trigram indexes of orders, companies and products: %+v", len(rows), rows)
	}
	for _, r := range rows {
		if r.Options != "gin_pending_list_limit=64" {
			t.Errorf("GIN index %s has options %q, want gin_pending_list_limit=64", r.Name, r.Options)
		}
	}
}
