package privacy_test

import (
	"bytes"
	"context"
	"encoding/gob"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/audit"
	"wholesale/internal/clock"
	"wholesale/internal/customers"
	"wholesale/internal/demo"
	"wholesale/internal/pgtest"
	"wholesale/internal/privacy"
	"wholesale/internal/users"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// fixture is the demo data with the services of this package's tests.
type fixture struct {
	ctx context.Context
	db  *bun.DB
	clk *clock.Fixed
	us  *users.Service
	cs  *customers.Service
	svc *privacy.Service
	d   *demo.Data
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{ctx: context.Background(), db: pgtest.New(t), clk: clock.NewFixed(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	f.us = users.NewService(f.db, f.clk, users.FastHasher)
	f.cs = &customers.Service{DB: f.db, Clock: f.clk, Users: f.us, BaseURL: "https://wholesale.example.nl", Log: log}
	f.svc = &privacy.Service{DB: f.db, Clock: f.clk, Log: log}
	d, err := demo.Load(f.ctx, f.db, f.us, f.cs)
	if err != nil || d == nil {
		t.Fatalf("demo data: %v", err)
	}
	f.d = d
	return f
}

// as returns a context whose audit actor is u, as the web layer makes it.
func (f *fixture) as(u *users.User) context.Context {
	return audit.WithActor(f.ctx, audit.Actor{UserID: u.ID, Label: u.Email})
}

func (f *fixture) user(role users.Role) *users.User { return f.d.Users[role] }

// count runs a count query.
func (f *fixture) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := f.db.QueryRowContext(f.ctx, query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// addSession stores a session as Fiber's session middleware does (a
// gob-encoded map), expiring at exp.
func (f *fixture) addSession(t *testing.T, key string, values map[string]any, exp time.Time) {
	t.Helper()
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(values); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.ExecContext(f.ctx, "INSERT INTO kv_store (namespace, key, value, expires_at) VALUES ('session', ?, ?, ?)",
		key, b.Bytes(), exp); err != nil {
		t.Fatal(err)
	}
}

// hit is a row of a table that holds one of the needles.
type hit struct{ table, column, value string }

// findEverywhere scans every text and JSON column of every table of the
// database, read from information_schema (so that a table added later is
// scanned too), for the needles in any case and anywhere in the value,
// and returns where it found them; rows of issued invoices and their
// lines are left out (they stay as issued).
func findEverywhere(t *testing.T, f *fixture, needles ...string) []hit {
	t.Helper()
	var cols []struct {
		Table  string `bun:"table_name"`
		Column string `bun:"column_name"`
	}
	err := f.db.NewRaw(`SELECT c.table_name, c.column_name FROM information_schema.columns c
		JOIN information_schema.tables t USING (table_schema, table_name)
		WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
		  AND c.data_type IN ('text', 'character varying', 'json', 'jsonb', 'character')
		ORDER BY 1, 2`).Scan(f.ctx, &cols)
	if err != nil {
		t.Fatal(err)
	}
	if len(cols) < 100 {
		t.Fatalf("only %d text and JSON columns found: the scan is not reading the schema", len(cols))
	}
	issued := map[string]string{
		"invoices":      "state = 'issued'",
		"invoice_lines": "invoice_id IN (SELECT id FROM invoices WHERE state = 'issued')",
	}
	var out []hit
	for _, c := range cols {
		for _, n := range needles {
			q := `SELECT "` + c.Column + `"::text FROM "` + c.Table + `" WHERE strpos(lower("` + c.Column + `"::text), lower(?)) > 0`
			if cond, ok := issued[c.Table]; ok {
				q += " AND NOT (" + cond + ")"
			}
			var vals []string
			if err := f.db.NewRaw(q, n).Scan(f.ctx, &vals); err != nil {
				t.Fatalf("%s.%s: %v", c.Table, c.Column, err)
			}
			for _, v := range vals {
				out = append(out, hit{c.Table, c.Column, v})
			}
		}
	}
	return out
}

func cut(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

func hitsString(hs []hit) string {
	var b strings.Builder
	for _, h := range hs {
		b.WriteString("\n  " + h.table + "." + h.column + ": " + cut(h.value, 200))
	}
	return b.String()
}
