package postgres_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"wholesale/internal/i18n"

	"wholesale/internal/apperr"
	"wholesale/internal/pgtest"
	"wholesale/internal/postgres"
)

// Only a missing row is NotFound; a failing query is whatever it is.
func TestOnlyNoRowsIsNotFound(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	var n int
	missing := db.NewRaw("SELECT 1 WHERE false").Scan(ctx, &n)
	broken := db.NewRaw("SELECT no_such_column FROM pg_class LIMIT 1").Scan(ctx, &n)
	if !errors.Is(missing, sql.ErrNoRows) || broken == nil {
		t.Fatalf("setup: %v, %v", missing, broken)
	}
	for name, c := range map[string]struct {
		err  error
		want apperr.Kind
	}{
		"NoRows, no row":     {postgres.NoRows(missing, "Gone."), apperr.NotFound},
		"NoRows, broken":     {postgres.NoRows(broken, "Gone."), apperr.Internal},
		"Translate, no row":  {postgres.Translate(missing, i18n.M(i18n.M("Thing").String())), apperr.NotFound},
		"Translate, broken":  {postgres.Translate(broken, i18n.M(i18n.M("Thing").String())), apperr.Internal},
		"Translate, unknown": {postgres.Translate(errors.New("connection reset"), i18n.M("Thing")), apperr.Internal},
	} {
		if c.err == nil || apperr.KindOf(c.err) != c.want {
			t.Errorf("%s: %v (%v), want %v", name, apperr.KindOf(c.err), c.err, c.want)
		}
	}
	if postgres.NoRows(nil, "x") != nil {
		t.Error("NoRows(nil) is not nil")
	}
}
