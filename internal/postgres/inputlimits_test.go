package postgres_test

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"wholesale/internal/pgtest"
	"wholesale/internal/validate"
	"wholesale/migrations"
)

// dbAccepts asks input_line or input_text of migration 0012.
func dbAccepts(t *testing.T, db bun.IDB, fn, s string, n int) bool {
	t.Helper()
	var ok bool
	if err := db.NewRaw("SELECT "+fn+"(?, ?)", s, n).Scan(context.Background(), &ok); err != nil {
		t.Fatalf("%s(%q, %d): %v", fn, s, n, err)
	}
	return ok
}

// The database's backstop and the Go rules agree: what Go accepts the
// database stores; what the database refuses Go refused first.
func TestInputLimitFunctionsAgreeWithValidate(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	for _, c := range []struct {
		s        string
		n        int
		line, tx bool // what the database says for one line, for text
	}{
		{"Bakkerij Jansen", 200, true, true},
		{"", 200, true, true},
		{strings.Repeat("é", 200), 200, true, true},
		{strings.Repeat("é", 201), 200, false, false},
		{"a\tb", 200, false, true},
		{"a\nb", 200, false, true},
		{"a\r\nb", 200, false, true},
		{strings.Repeat("a\r\n", 10), 20, false, true}, // 30 characters, 20 with each CRLF as one
		{strings.Repeat("a\r\n", 11), 20, false, false},
		{"a\x1bb", 200, false, false},
		{"a\x7fb", 200, false, false},
		{"a\u0085b", 200, false, false},
		{"a\u2028b", 200, false, true},
		{"a\x01b", 200, false, false},
	} {
		if got := dbAccepts(t, db, "input_line", c.s, c.n); got != c.line {
			t.Errorf("input_line(%.20q, %d) = %v", c.s, c.n, got)
		}
		if got := dbAccepts(t, db, "input_text", c.s, c.n); got != c.tx {
			t.Errorf("input_text(%.20q, %d) = %v", c.s, c.n, got)
		}
		if validate.CheckLine(c.s, c.n).IsZero() && !c.line {
			t.Errorf("Go accepts the line %.20q that the database refuses", c.s)
		}
		if validate.CheckText(c.s, c.n).IsZero() && !c.tx {
			t.Errorf("Go accepts the text %.20q that the database refuses", c.s)
		}
	}
}

// FuzzInputLimits: any text the Go rules accept, the CHECKs of 0012 accept.
func FuzzInputLimits(f *testing.F) {
	db := pgtest.New(f)
	for _, s := range []string{"Jansen", "a\r\nb", "a\rb", "\u2028", "\u0085", "é", "\x7f", strings.Repeat("x", 250)} {
		f.Add(s, 200)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		if n < 0 || n > 5000 || strings.IndexByte(s, 0) >= 0 || !utf8.ValidString(s) {
			return // PostgreSQL text holds neither; the rules refuse both
		}
		if validate.CheckLine(s, n).IsZero() && !dbAccepts(t, db, "input_line", s, n) {
			t.Fatalf("input_line refuses %q (%d) that CheckLine accepts", s, n)
		}
		if validate.CheckText(s, n).IsZero() && !dbAccepts(t, db, "input_text", s, n) {
			t.Fatalf("input_text refuses %q (%d) that CheckText accepts", s, n)
		}
	})
}

// The down migration of 0012 undoes it, and the up migration applies again.
func TestInputLimitsMigrationDownAndUp(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	constraints := func() int {
		n, err := db.NewSelect().TableExpr("pg_constraint").Where("conname LIKE '%\\_input' OR conname LIKE '%\\_max' OR conname IN ('change_requests_values_size', 'supplier_orders_expected_date_range')").
			Where("conrelid NOT IN ('orders'::regclass, 'order_lines'::regclass)").                                 // the orders' limits are 0010's
			Where("conname NOT IN ('products_unit_price_max', 'products_max_per_order_max', 'stock_on_hand_max')"). // 0011's
			Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return int(n)
	}
	up := constraints()
	if up < 20 {
		t.Fatalf("only %d constraints of 0012 found", up)
	}
	for _, name := range []string{"0012_input_limits.tx.down.sql", "0012_input_limits.tx.up.sql"} {
		sql, err := migrations.FS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, string(sql)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if name == "0012_input_limits.tx.down.sql" {
			if n := constraints(); n != 0 {
				t.Fatalf("%d constraints left after the down migration", n)
			}
			if _, err := db.ExecContext(ctx, "INSERT INTO suppliers (name) VALUES (?)", strings.Repeat("s", 300)); err != nil {
				t.Fatalf("without 0012 a long name is stored: %v", err)
			}
			if _, err := db.ExecContext(ctx, "DELETE FROM suppliers"); err != nil {
				t.Fatal(err)
			}
		}
	}
	if n := constraints(); n != up {
		t.Fatalf("%d constraints after down and up, want %d", n, up)
	}
	if _, err := db.ExecContext(ctx, "INSERT INTO suppliers (name) VALUES (?)", strings.Repeat("s", 201)); err == nil {
		t.Fatal("a supplier name of 201 characters was stored")
	}
}
