package scale_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/clock"
	"wholesale/internal/customers"
	"wholesale/internal/demo"
	"wholesale/internal/pgtest"
	"wholesale/internal/scale"
	"wholesale/internal/users"
)

// demoData loads the demo data, which the services themselves write:
// orders placed, confirmed, shipped, invoiced at the cutoff, credited,
// paid, returned and settled.
func demoData(t *testing.T) *bun.DB {
	t.Helper()
	ctx := context.Background()
	db := pgtest.New(t)
	clk := clock.NewFixed(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	us := users.NewService(db, clk, users.FastHasher)
	cs := &customers.Service{DB: db, Clock: clk, Users: us, BaseURL: "http://localhost", Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if d, err := demo.Load(ctx, db, us, cs); err != nil || d == nil {
		t.Fatalf("demo data: %v", err)
	}
	return db
}

// The invariants hold on what the app's own services write.
func TestChecksHoldOnTheDemoData(t *testing.T) {
	t.Parallel()
	db := demoData(t)
	failed, err := scale.Check(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range failed {
		t.Errorf("broken on the demo data: %s", f)
	}
}

// Each invariant catches what breaks it: a change the app never makes,
// made in a transaction that is rolled back, fails the check named.
func TestChecksCatchBreakage(t *testing.T) {
	t.Parallel()
	db := demoData(t)
	ctx := context.Background()
	for _, c := range []struct{ check, sql string }{
		{"order totals", `UPDATE orders SET total_excl_cents = total_excl_cents + 1, total_incl_cents = total_incl_cents + 1
			WHERE id = (SELECT min(id) FROM orders WHERE state = 'placed')`},
		{"an order's status", `UPDATE orders SET status = 'released' WHERE id = (SELECT min(id) FROM orders WHERE status = 'invoiced')`},
		{"a line's shipped quantity", `UPDATE order_lines SET shipped = shipped - 1 WHERE id = (SELECT min(id) FROM order_lines WHERE shipped > 0)`},
		{"stock reserved", `UPDATE stock SET reserved = reserved + 1, on_hand = on_hand + 1
			WHERE (product_id, warehouse_id) = (SELECT product_id, warehouse_id FROM stock ORDER BY product_id LIMIT 1)`},
		{"a demand's reservations", `UPDATE demand_reservations SET quantity = quantity + 1 WHERE demand_id = (SELECT min(demand_id) FROM demand_reservations)`},
		{"invoice and credit note numbers are gapless", `UPDATE invoice_series SET last_number = last_number + 1 WHERE kind = 'invoice'`},
		{"invoice totals", `UPDATE invoices SET total_excl_cents = total_excl_cents + 1, total_incl_cents = total_incl_cents + 1
			WHERE id = (SELECT min(id) FROM invoices WHERE state = 'draft')`},
		{"invoice totals", `UPDATE invoices SET per_rate = '[{"rate": 21, "base_cents": 1, "vat_cents": 0}]'
			WHERE id = (SELECT min(id) FROM invoices WHERE state = 'draft')`},
		{"what is paid of a document", `UPDATE allocations SET amount_cents = amount_cents + 1 WHERE id = (SELECT min(id) FROM allocations WHERE invoice_id IS NOT NULL)`},
		{"what is unallocated of a payment", `UPDATE payments SET unallocated_cents = unallocated_cents + 1 WHERE id = (SELECT min(id) FROM payments)`},
		{"a credit note credits lines", `SET LOCAL session_replication_role = replica;
			UPDATE invoices SET company_id = (SELECT max(id) FROM companies WHERE id <> invoices.company_id) WHERE kind = 'credit_note'`},
		{"every shipped unit", `SET LOCAL session_replication_role = replica;
			DELETE FROM invoice_lines WHERE (invoice_id, line_no) = (SELECT invoice_id, min(line_no) FROM invoice_lines
				WHERE invoice_id = (SELECT min(id) FROM invoices WHERE kind = 'invoice' AND state = 'issued') GROUP BY invoice_id)`},
		{"RA numbers are gapless", `UPDATE return_series SET last_number = last_number + 1`},
		{"every invoiced order has shipped", `SET LOCAL session_replication_role = replica;
			DELETE FROM shipments WHERE order_id = (SELECT min(order_id) FROM invoice_lines)`},
		{"nothing is free of a product", `UPDATE stock SET on_hand = on_hand + 5 WHERE product_id = (SELECT min(product_id) FROM demands
			WHERE status = 'open' AND reserved < quantity) AND warehouse_id = 1`},
	} {
		t.Run(c.check, func(t *testing.T) {
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback()
			if _, err := tx.ExecContext(ctx, c.sql); err != nil {
				t.Fatal(err)
			}
			failed, err := scale.Check(ctx, tx)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, f := range failed {
				names = append(names, f.Invariant)
				if strings.HasPrefix(f.Invariant, c.check) {
					return
				}
			}
			t.Errorf("%q did not fail; failed: %v", c.check, names)
		})
	}
}
