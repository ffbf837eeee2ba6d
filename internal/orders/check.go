package orders

import (
	"context"
	"strings"
	"time"

	"wholesale/internal/apperr"
	"wholesale/internal/catalog"
	"wholesale/internal/credit"
	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/stock"
	"wholesale/internal/users"
	"wholesale/internal/validate"
)

// CheckInput is an order being typed, to check: new or amended lines as
// Validate left them, and the terms that make its total.
type CheckInput struct {
	CompanyID     int64 // 0: no customer chosen yet
	POReference   string
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
	// Lines says, per line of the input (by index), what it costs and what
	// of it ships now; zero for a line that could not be priced.
	Lines []LineCheck
	// Fields holds what is wrong with a line: an unknown SKU, more than
	// the product's maximum per order.
	Fields apperr.FieldErrors
	// Totals are the order's amounts as typed (lines that can be priced).
	Totals Totals
	// Position is the customer's credit position without the order being
	// amended; nil when no customer of by's is chosen.
	Position *credit.Position
	// Hold says why the order would be held for credit approval; none
	// when it would not.
	Hold i18n.Message
	// Credit says what the order does to the customer's credit, in a
	// sentence: it fits (and what is left), it will be held (and by how
	// much it passes the limit), or it waits for a prepayment.
	Credit i18n.Message
}

// LineCheck is what the check says of one line.
type LineCheck struct {
	Product        *catalog.Product
	UnitPriceCents int64
	AmountCents    int64
	VATRate        int
	// ShipsNow is what stock serves now; the rest is back-ordered, expected
	// on Expected (nil: when ordered from the supplier).
	ShipsNow, BackOrdered int
	Expected              *time.Time
	Status                stock.Status
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
		if l.SKU != "" && validate.CheckLine(l.SKU, 40).IsZero() {
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
	out.shipping(in)
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
	} else if in.POReference != "" && validate.CheckLine(in.POReference, validate.POReferenceMax).IsZero() {
		taken, err := s.DB.NewSelect().Table("orders").Where("company_id = ? AND po_reference = ?", co.ID, in.POReference).Exists(ctx)
		if err != nil {
			return nil, err
		}
		if taken {
			out.Fields.Add("po_reference", poTakenMsg)
		}
	}
	pos, err := credit.Of(ctx, s.DB, co.ID, exclude, s.now())
	if err != nil {
		return nil, err
	}
	out.Position = &pos
	held, reason := credit.Decide(pos, out.Totals.InclCents)
	if held {
		out.Hold = reason
	}
	switch left := pos.AvailableCents() - out.Totals.InclCents; {
	case pos.Prepayment:
		out.Credit = i18n.M("Prepayment: %s before shipping.", i18n.Amount(out.Totals.InclCents))
	case pos.Overdue:
		out.Credit = i18n.M("Will be held: an invoice of the customer is past its due date.")
	case held:
		out.Credit = i18n.M("Will be held: %s over the credit limit.", i18n.Amount(-left))
	default:
		out.Credit = i18n.M("Fits: %s left under the credit limit after this order.", i18n.Amount(left))
	}
	return out, nil
}

// shipping works out, line by line in order, what ships now from the free
// stock (each line taking from what the lines before it left) and what is
// back-ordered until when; an amended line keeps what it reserved.
func (c *Checked) shipping(in CheckInput) {
	free := map[int64]int{}
	for id, st := range c.Statuses {
		free[id] = st.Available
	}
	reserved := map[int64]int{}
	if in.Order != nil {
		for _, l := range in.Order.Lines {
			if l.Reserved != nil && !l.Cancelled {
				reserved[l.ID] = *l.Reserved
			}
		}
	}
	for i := range c.Lines {
		lc := &c.Lines[i]
		if lc.Product == nil {
			continue
		}
		qty := in.Lines[i].Quantity
		have := reserved[in.Lines[i].ID]
		take := min(max(qty-have, 0), free[lc.Product.ID])
		free[lc.Product.ID] -= take
		lc.ShipsNow = min(qty, have+take)
		lc.BackOrdered = qty - lc.ShipsNow
		lc.Status = c.Statuses[lc.Product.ID]
		if lc.BackOrdered > 0 {
			lc.Expected = lc.Status.Date
		}
	}
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
	c.Lines = make([]LineCheck, len(in.Lines))
	for i, l := range in.Lines {
		p := c.Products[strings.ToUpper(strings.TrimSpace(l.SKU))]
		if l.Quantity <= 0 {
			continue
		}
		var line Line
		switch ol, ok := entered[l.ID]; {
		case l.ID != 0 && (!ok || ol.Cancelled):
			continue
		case l.ID != 0:
			line = ol
			line.Quantity = l.Quantity
		case p == nil:
			c.Fields.Add(lineField(i), i18n.M("No product has SKU %s.", l.SKU))
			continue
		case p.MaxPerOrder != nil && l.Quantity > *p.MaxPerOrder:
			c.Fields.Add(lineField(i), i18n.M("At most %d of %s per order.", *p.MaxPerOrder, p.SKU))
			continue
		default:
			line = Line{ProductID: p.ID, Quantity: l.Quantity, UnitPriceCents: c.Prices[p.ID], VATRate: p.VATRate}
		}
		out = append(out, line)
		c.Lines[i] = LineCheck{Product: p, UnitPriceCents: line.UnitPriceCents, AmountCents: line.AmountCents(), VATRate: line.VATRate}
	}
	return out
}
