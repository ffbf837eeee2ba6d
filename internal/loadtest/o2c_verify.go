package loadtest

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"wholesale/internal/scale"
)

// verify checks what every cycle left in the database: its order placed,
// confirmed, shipped in full with its tracking number and invoiced on the
// invoice the cycle issued, whose PDF is stored; every invoice series
// numbered without gaps; the stock of every bench product booked (what is
// on hand is what the setup put there less what the cycles shipped, and
// nothing stays reserved); and every invariant the seed-scale check knows.
// It returns the problems found.
func verify(ctx context.Context, db *bun.DB, us []*benchUser, recs []*cycleRecord) ([]string, error) {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	shipped := map[int64]int{}
	for _, rec := range recs {
		var o struct {
			State, Status, ShipState, InvoiceState string
			Confirmed, Tracked, Documents          bool
			Lines, LinesShipped, LinesInvoiced     int
			CompanyID                              int64
		}
		err := db.NewRaw(`SELECT o.state, o.status, o.ship_state, o.invoice_state, o.company_id, o.confirmed_at IS NOT NULL AS confirmed,
			EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.id AND s.tracking_number = ?) AS tracked,
			(SELECT count(*) FROM order_lines l WHERE l.order_id = o.id AND NOT l.cancelled) AS lines,
			(SELECT count(*) FROM order_lines l WHERE l.order_id = o.id AND l.shipped = l.quantity) AS lines_shipped,
			(SELECT count(*) FROM order_lines l JOIN invoice_lines il ON il.order_line_id = l.id JOIN invoices i ON i.id = il.invoice_id
				WHERE l.order_id = o.id AND i.number = ? AND i.state = 'issued' AND il.quantity = l.quantity) AS lines_invoiced,
			EXISTS (SELECT 1 FROM invoices i JOIN invoice_documents d ON d.invoice_id = i.id WHERE i.number = ? AND d.format = 'pdf') AS documents
			FROM orders o WHERE o.id = ?`, rec.Tracking, rec.Invoice, rec.Invoice, rec.OrderID).Scan(ctx,
			&o.State, &o.Status, &o.ShipState, &o.InvoiceState, &o.CompanyID, &o.Confirmed, &o.Tracked, &o.Lines, &o.LinesShipped, &o.LinesInvoiced, &o.Documents)
		if err != nil {
			return nil, fmt.Errorf("o2c verify: order %d: %w", rec.OrderID, err)
		}
		switch {
		case o.State != "placed" || o.CompanyID != rec.CompanyID:
			add("order %d (user %d): state %s of customer %d, want placed of %d", rec.OrderID, rec.User, o.State, o.CompanyID, rec.CompanyID)
		case !o.Confirmed:
			add("order %d: not confirmed", rec.OrderID)
		case o.Lines != o2cLines || o.LinesShipped != o2cLines || o.ShipState != "all" || !o.Tracked:
			add("order %d: %d of %d lines shipped in full, ship state %s, tracking number %s found: %v", rec.OrderID, o.LinesShipped, o.Lines, o.ShipState, rec.Tracking, o.Tracked)
		case o.LinesInvoiced != o2cLines || o.InvoiceState != "issued":
			add("order %d: %d of %d lines on invoice %s, invoice state %s", rec.OrderID, o.LinesInvoiced, o2cLines, rec.Invoice, o.InvoiceState)
		case !o.Documents:
			add("invoice %s: no PDF stored", rec.Invoice)
		}
		for _, l := range rec.Lines {
			shipped[l.ProductID] += l.Quantity
		}
	}
	var gaps []struct {
		Kind          string
		Year, Last, N int
		Max           int
	}
	err := db.NewRaw(`SELECT s.kind, s.year, s.last_number AS last, count(i.id) AS n, coalesce(max(i.seq), 0) AS max
		FROM invoice_series s LEFT JOIN invoices i ON i.kind = s.kind AND i.year = s.year AND i.state = 'issued'
		GROUP BY s.kind, s.year, s.last_number HAVING count(i.id) <> s.last_number OR coalesce(max(i.seq), 0) <> s.last_number`).Scan(ctx, &gaps)
	if err != nil {
		return nil, fmt.Errorf("o2c verify: invoice numbers: %w", err)
	}
	for _, g := range gaps {
		add("%s numbers of %d: %d issued, the highest %d, the series at %d: not gapless", g.Kind, g.Year, g.N, g.Max, g.Last)
	}
	for _, u := range us {
		for _, sku := range u.SKUs {
			id := u.ProductIDs[sku]
			var onHand, reserved int
			if err := db.NewRaw(`SELECT coalesce(sum(on_hand), 0), coalesce(sum(reserved), 0) FROM stock WHERE product_id = ?`, id).Scan(ctx, &onHand, &reserved); err != nil {
				return nil, fmt.Errorf("o2c verify: stock of %s: %w", sku, err)
			}
			if onHand != o2cStock-shipped[id] || reserved != 0 {
				add("stock of %s: %d on hand and %d reserved, want %d on hand (%d shipped) and none reserved", sku, onHand, reserved, o2cStock-shipped[id], shipped[id])
			}
		}
	}
	broken, err := scale.Check(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("o2c verify: %w", err)
	}
	for _, f := range broken {
		add("%s", f)
	}
	return problems, nil
}
