package stock_test

import (
	"context"
	"testing"

	"wholesale/internal/stock"
)

// BenchmarkAllocDelivery books one supplier delivery of 1,000 products that
// serves 10,000 waiting back-order lines (10 per product), with every
// allocation audited, the expected dates recomputed and the account
// manager mailed. Run it in this package with:
//
//	go test -run '^$' -bench Alloc -benchtime 5x -benchmem
//
// `make test` runs it once (-benchtime 1x), so a benchmark broken by a
// change of the schema fails the suite.
func BenchmarkAllocDelivery(b *testing.B) {
	e := newEnv(b)
	ctx := context.Background()
	const products, perProduct = 1000, 10
	mustExec := func(q string, args ...any) {
		if _, err := e.db.ExecContext(ctx, q, args...); err != nil {
			b.Fatal(err)
		}
	}
	mustExec(`INSERT INTO products (sku, name, unit_price_cents, vat_rate, created_at, updated_at)
		SELECT 'P-' || g, 'Product ' || g, 1000, 21, now(), now() FROM generate_series(1, ?) g`, products)
	mustExec(`INSERT INTO companies (name, account_manager_id) SELECT 'Customer ' || g, ? FROM generate_series(1, 100) g`, e.am.ID)
	// Every product has its stock rows already, made with it (migration 0005).
	mustExec(`INSERT INTO demands (product_id, company_id, reference, quantity, placed_at)
		SELECT p.id, c.id, 'PO-' || g, 2, now() + g * interval '1 second'
		FROM generate_series(1, ?) g
		JOIN products p ON p.sku = 'P-' || ((g - 1) % ? + 1)
		JOIN companies c ON c.name = 'Customer ' || ((g - 1) % 100 + 1)`, products*perProduct, products)
	var orderID int64
	if err := e.db.QueryRowContext(ctx, `WITH s AS (INSERT INTO suppliers (name) VALUES ('Bench') RETURNING id)
		INSERT INTO supplier_orders (supplier_id, expected_date, date_confirmed, created_at) SELECT id, '2026-12-01', true, now() FROM s RETURNING id`).Scan(&orderID); err != nil {
		b.Fatal(err)
	}
	mustExec(`INSERT INTO supplier_order_lines (supplier_order_id, product_id, quantity) SELECT ?, id, ? FROM products`, orderID, 2*perProduct)
	var lineIDs []int64
	if err := e.db.NewSelect().Table("supplier_order_lines").Column("id").Where("supplier_order_id = ?", orderID).Scan(ctx, &lineIDs); err != nil {
		b.Fatal(err)
	}
	receipt := stock.Receipt{SupplierOrderID: orderID}
	for _, id := range lineIDs {
		receipt.Lines = append(receipt.Lines, stock.ReceiptLine{LineID: id, Quantity: 2 * perProduct})
	}
	reset := func() {
		mustExec(`DELETE FROM demand_reservations`)
		mustExec(`UPDATE demands SET reserved = 0, expected_date = NULL`)
		mustExec(`UPDATE stock SET on_hand = 0, reserved = 0`)
		mustExec(`UPDATE supplier_order_lines SET received = 0`)
		mustExec(`UPDATE supplier_orders SET status = 'open'`)
		mustExec(`VACUUM ANALYZE demands`)
		mustExec(`VACUUM ANALYZE stock`)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		reset()
		b.StartTimer()
		res, err := e.stock.Receive(ctx, receipt)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Allocations) != products*perProduct {
			b.Fatalf("%d allocations, want %d", len(res.Allocations), products*perProduct)
		}
	}
	b.StopTimer()
	var waiting int
	e.db.QueryRowContext(ctx, "SELECT count(*) FROM demands WHERE reserved < quantity").Scan(&waiting)
	if waiting != 0 {
		b.Fatalf("%d lines still waiting", waiting)
	}
}
