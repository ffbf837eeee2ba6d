package orders

import (
	"context"
	"fmt"
	"strings"

	"wholesale/internal/apperr"
	"wholesale/internal/catalog"
	"wholesale/internal/credit"
	"wholesale/internal/customers"
	"wholesale/internal/stock"
	"wholesale/internal/users"
)

// CheckInput is an order being typed, to check: new or amended lines as
// Validate left them, and the terms that make its total.
type CheckInput struct {
	CompanyID     int64 // 0: no customer chosen yet
	Lines         []LineInput
	ShippingCents int64
	Address       string
	// Order is the order being amended, nil for a new one.
	Order *Order
}

// Checked is what the order form's check shows: the products of the typed
// SKUs with their stock status and the customer's price, what is wrong
// with a line, the order's total, and the customer's credit position with
// whether the order would be held.
type Checked struct {
	Products map[string]*catalog.Product // by SKU; unknown SKUs are missing
	Prices   map[int64]int64             // the customer's price by product id
	Statuses map[int64]stock.Status      // by product id
	// Fields holds what is wrong with a line: an unknown SKU, more than
	// the product's maximum per order.
	Fields apperr.FieldErrors
	// Totals are the order's amounts as typed (lines that can be priced).
	Totals Totals
	// Position is the customer's credit position without the order being
	// amended; nil when no customer of by's is chosen.
	Position *credit.Position
	// Hold says why the order would be held for credit approval, "" when
	// it would not.
	Hold string
}

// Check looks up the lines of an order being typed, in two queries however
// many lines there are, works out its total and whether the customer's
// credit position (without the order being amended) would hold it: the
// order form's "check stock and credit". Returns Forbidden.
func (s *Service) Check(ctx context.Context, by *users.User, in CheckInput) (*Checked, error) {
	if err := mayEnter(by); err != nil {
		return nil, err
	}
	var co *customers.Company
	if in.CompanyID > 0 {
		c, err := customers.CompanyFor(ctx, s.DB, by, in.CompanyID)
		switch {
		case err == nil:
			co = c
		case apperr.KindOf(err) != apperr.NotFound:
			return nil, err
		}
	}
	out := &Checked{Fields: apperr.FieldErrors{}}
	var companyID int64
	discount := 0
	if co != nil {
		companyID, discount = co.ID, co.DiscountBP
	}
	var skus []string
	for _, l := range in.Lines {
		if l.SKU != "" {
			skus = append(skus, l.SKU)
		}
	}
	var err error
	if out.Products, out.Prices, err = catalog.PricedBySKUs(ctx, s.DB, companyID, discount, skus); err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(out.Products))
	for _, p := range out.Products {
		ids = append(ids, p.ID)
	}
	if out.Statuses, err = stock.Statuses(ctx, s.DB, s.now(), ids); err != nil {
		return nil, err
	}
	lines := out.lines(in)
	vatMode := VATDomestic
	if co != nil {
		vatMode = VATModeFor(co, deliveryFrom(co, in.Address).Country)
	}
	out.Totals = ComputeTotals(lines, in.ShippingCents, vatMode)
	if co == nil {
		return out, nil
	}
	exclude := int64(0)
	if in.Order != nil {
		exclude = in.Order.ID
	}
	pos, err := credit.Of(ctx, s.DB, co.ID, exclude, s.now())
	if err != nil {
		return nil, err
	}
	out.Position = &pos
	if held, reason := credit.Decide(pos, out.Totals.InclCents); held {
		out.Hold = reason
	}
	return out, nil
}

// lines prices the lines of in that can be priced, noting what is wrong
// with the others: a new line at the customer's price, an amended one at
// the price it was entered with.
func (c *Checked) lines(in CheckInput) []Line {
	entered := map[int64]Line{}
	if in.Order != nil {
		for _, l := range in.Order.Lines {
			entered[l.ID] = l
		}
	}
	var out []Line
	for i, l := range in.Lines {
		if l.Quantity <= 0 {
			continue
		}
		if l.ID != 0 {
			if ol, ok := entered[l.ID]; ok && !ol.Cancelled {
				ol.Quantity = l.Quantity
				out = append(out, ol)
			}
			continue
		}
		p := c.Products[strings.ToUpper(strings.TrimSpace(l.SKU))]
		switch {
		case p == nil:
			c.Fields.Add(lineField(i), fmt.Sprintf("No product has SKU %s.", l.SKU))
		case p.MaxPerOrder != nil && l.Quantity > *p.MaxPerOrder:
			c.Fields.Add(lineField(i), fmt.Sprintf("At most %d of %s per order.", *p.MaxPerOrder, p.SKU))
		default:
			out = append(out, Line{ProductID: p.ID, Quantity: l.Quantity, UnitPriceCents: c.Prices[p.ID], VATRate: p.VATRate})
		}
	}
	return out
}
