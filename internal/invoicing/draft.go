package invoicing

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"wholesale/internal/i18n"
)

// Shipped is what one shipment puts on its customer's draft invoice.
type Shipped struct {
	ShipmentID int64
	OrderID    int64
	Lines      []ShippedLine
}

// ShippedLine is a quantity of an order line that shipped.
type ShippedLine struct {
	OrderLineID int64
	Quantity    int
}

// AddShipped puts shipped goods on the customer's draft invoice of business
// day day (the calendar's BusinessDay of the moment they shipped), making
// the draft if there is none; the order's shipping cost goes on with its
// first shipment. Call it in the shipment's transaction, with the order
// locked. It returns the draft's id; 0 for a replacement of returned goods
// (orders.PlaceReplacement), which is never invoiced.
func AddShipped(ctx context.Context, tx bun.IDB, now, day time.Time, s Shipped) (int64, error) {
	var o struct {
		CompanyID     int64     `bun:"company_id"`
		VATMode       string    `bun:"vat_mode"`
		ShippingCents int64     `bun:"shipping_cents"`
		Language      i18n.Lang `bun:"language"`
		ShippingDone  bool      `bun:"shipping_done"`
		Replacement   bool      `bun:"replacement"`
	}
	err := tx.NewRaw(`SELECT o.company_id, o.vat_mode, o.shipping_cents, c.language,
		EXISTS (SELECT 1 FROM invoice_lines il JOIN invoices i ON i.id = il.invoice_id
			WHERE il.order_id = o.id AND il.sku = '' AND i.kind = 'invoice') AS shipping_done,
		(o.return_id IS NOT NULL OR o.complaint_id IS NOT NULL) AS replacement
		FROM orders o JOIN companies c ON c.id = o.company_id WHERE o.id = ?`, s.OrderID).Scan(ctx, &o)
	if err != nil {
		return 0, fmt.Errorf("invoicing: order %d: %w", s.OrderID, err)
	}
	if o.Replacement { // a replacement of returned goods costs nothing and is never invoiced
		return 0, nil
	}
	lang := o.Language.Or(i18n.Default)
	var draftID int64
	err = tx.NewRaw(`INSERT INTO invoices (company_id, business_day, language, vat_mode, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (company_id, business_day, vat_mode) WHERE state = 'draft' AND kind = 'invoice'
		DO UPDATE SET updated_at = EXCLUDED.updated_at
		RETURNING id`, o.CompanyID, day.Format(time.DateOnly), lang, o.VATMode, now, now).Scan(ctx, &draftID)
	if err != nil {
		return 0, fmt.Errorf("invoicing: draft of company %d: %w", o.CompanyID, err)
	}
	ids := make([]int64, len(s.Lines))
	qtys := make([]int64, len(s.Lines))
	for i, l := range s.Lines {
		ids[i], qtys[i] = l.OrderLineID, int64(l.Quantity)
	}
	_, err = tx.NewRaw(`WITH base AS (SELECT COALESCE(max(line_no), 0) AS n FROM invoice_lines WHERE invoice_id = ?0)
		INSERT INTO invoice_lines (invoice_id, line_no, order_id, order_line_id, shipment_id, sku, description,
			quantity, unit_price_cents, vat_rate, amount_cents)
		SELECT ?0, base.n + row_number() OVER (ORDER BY ol.line_no), ol.order_id, ol.id, ?1, p.sku, p.name,
			x.qty, ol.unit_price_cents, CASE WHEN ?5 = 'domestic' THEN ol.vat_rate ELSE 0 END, x.qty * ol.unit_price_cents
		FROM base, unnest(?2::bigint[], ?3::bigint[]) AS x(id, qty)
		JOIN order_lines ol ON ol.id = x.id AND ol.order_id = ?4
		JOIN products p ON p.id = ol.product_id`,
		draftID, s.ShipmentID, pgdialect.Array(ids), pgdialect.Array(qtys), s.OrderID, o.VATMode).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("invoicing: lines on draft %d: %w", draftID, err)
	}
	if !o.ShippingDone && o.ShippingCents > 0 {
		text := i18n.For(lang).Text(i18n.M("Shipping costs, order %d", s.OrderID))
		_, err = tx.NewRaw(`INSERT INTO invoice_lines (invoice_id, line_no, order_id, shipment_id, sku, description,
			quantity, unit_price_cents, vat_rate, amount_cents)
			SELECT ?0, COALESCE(max(line_no), 0) + 1, ?1, ?2, '', ?3, 1, ?4, ?5, ?4 FROM invoice_lines WHERE invoice_id = ?0`,
			draftID, s.OrderID, s.ShipmentID, text, o.ShippingCents, LineRate(o.VATMode, ShippingVATRate)).Exec(ctx)
		if err != nil {
			return 0, fmt.Errorf("invoicing: shipping on draft %d: %w", draftID, err)
		}
	}
	if err := retotal(ctx, tx, draftID, o.VATMode, now); err != nil {
		return 0, err
	}
	_, err = tx.NewRaw(`UPDATE orders SET invoice_state = 'draft' WHERE id = ?`, s.OrderID).Exec(ctx)
	return draftID, err
}

// ShippingVATRate is the VAT rate of shipping costs (orders.ShippingVATRate).
const ShippingVATRate = 21

// LineRate is the VAT rate an invoice line carries: the product's rate
// with Dutch VAT; 0 % when the VAT is reverse-charged or the goods are
// exported, with the invoice's note saying why (EN 16931's categories AE
// and G are at 0 %). A line at 21 % with no VAT would overstate the Dutch
// 21 % turnover in the books.
func LineRate(vatMode string, rate int) int {
	if vatMode == VATDomestic {
		return rate
	}
	return 0
}

// retotal sets a draft's totals from its lines.
func retotal(ctx context.Context, tx bun.IDB, id int64, vatMode string, now time.Time) error {
	var ls []DocLine
	err := tx.NewRaw(`SELECT vat_rate, sum(amount_cents) AS amount_cents FROM invoice_lines WHERE invoice_id = ? GROUP BY vat_rate`, id).
		Scan(ctx, &ls)
	if err != nil {
		return err
	}
	rates, excl, vat, incl := Totals(ls, vatMode)
	_, err = tx.NewRaw(`UPDATE invoices SET total_excl_cents = ?, vat_cents = ?, total_incl_cents = ?, per_rate = ?, updated_at = ? WHERE id = ?`,
		excl, vat, incl, jsonOf(rates), now, id).Exec(ctx)
	return err
}
