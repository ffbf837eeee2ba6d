package orders

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/catalog"
	"wholesale/internal/clock"
	"wholesale/internal/credit"
	"wholesale/internal/customers"
	"wholesale/internal/mail"
	"wholesale/internal/money"
	"wholesale/internal/postgres"
	"wholesale/internal/stock"
	"wholesale/internal/users"

	"github.com/uptrace/bun/dialect/pgdialect"
)

// Service holds the use cases of orders.
type Service struct {
	DB      *bun.DB
	Clock   clock.Clock
	BaseURL string
}

// enterer checks that u may enter and amend orders for the company: its
// account manager, or an admin. Returns NotFound for others' customers.
func enterer(ctx context.Context, tx bun.IDB, u *users.User, companyID int64) (*customers.Company, error) {
	if err := mayEnter(u); err != nil {
		return nil, err
	}
	c, err := customers.ByID(ctx, tx, companyID)
	if err != nil || !customers.CanSee(u, c) {
		return nil, apperr.NotFoundf("Customer not found.")
	}
	return c, nil
}

// mayEnter checks the role that enters and changes orders.
func mayEnter(u *users.User) error {
	if !u.Is(users.RoleAccountManager, users.RoleAdmin) {
		return apperr.Forbiddenf("Account managers enter and change orders.")
	}
	return nil
}

// Create saves a draft order. Returns Invalid, NotFound, Forbidden, Conflict.
func (s *Service) Create(ctx context.Context, by *users.User, in Input) (*Order, error) {
	var o *Order
	err := postgres.RunInTx(ctx, s.DB, func(ctx context.Context, tx bun.IDB) error {
		var err error
		o, err = s.create(ctx, tx, by, in)
		return err
	})
	return o, err
}

// CreateAndPlace saves and places an order in one transaction: the order
// entry of the JSON API and the busiest use case. It does what Create and
// Place do one after the other, with its statements sent in batches, so
// that after the customer lock it costs four round trips: products and
// prices, the credit position, the order's writes together with the stock
// locks, and the reservations, lines and audit entries. The stock rows stay
// locked only for the last of them and the commit.
// Returns Invalid, NotFound, Forbidden.
func (s *Service) CreateAndPlace(ctx context.Context, by *users.User, in Input) (*Order, error) {
	var o *Order
	err := postgres.RunInTx(ctx, s.DB, func(ctx context.Context, tx bun.IDB) error {
		ctx, trail := audit.WithBatch(ctx)
		fe, shipping := in.validate()
		if in.CompanyID == 0 {
			return fe.Err()
		}
		// The customer is locked first, so that its concurrent orders are
		// decided one after another; its credit position, the products and
		// prices are read under the lock, and the order's number and line
		// ids drawn, in the same round trip.
		e, err := enter(ctx, tx, by, in.CompanyID, newSKUs(in.Lines))
		if err != nil {
			return err
		}
		if len(fe) > 0 {
			return fe.Err()
		}
		c := e.Company
		now := s.Clock.Now()
		o = s.newOrder(by, in, c, shipping, now)
		o.ID = e.OrderID
		if o.Lines, err = linesFrom(in.Lines, 1, e.Products, e.Prices); err != nil {
			return err
		}
		for i := range o.Lines {
			o.Lines[i].ID, o.Lines[i].OrderID = e.LineIDs[i], o.ID
		}
		s.applyTotals(o)
		draft := snapshot(o)
		o.State, o.PlacedAt = StatePlaced, &now
		if o.Prepayment {
			ref := PaymentReference(o.ID)
			o.PaymentReference = &ref
		} else {
			decideCredit(o, e.Credit)
		}
		o.Status = DeriveStatus(o)

		b := postgres.NewBatch(tx)
		b.Insert(insertOrder, o)
		s.addRevision(b, by, o, "created", nil, draft)
		if err := s.mailPlaced(ctx, b, tx, o, c); err != nil {
			return err
		}
		if err := audit.RecordMany(ctx, tx, now, []audit.Change{
			{Entity: "order", EntityID: o.ID, Action: "create", After: draft},
			{Entity: "order", EntityID: o.ID, Action: "place", Before: map[string]any{"status": StatusDraft},
				After: map[string]any{"status": o.Status, "credit_hold": o.CreditHold, "credit_reason": o.CreditReason}},
		}); err != nil {
			return err
		}
		ds, err := stock.ReserveManyIn(ctx, tx, b, now, demandsOf(o, o.Lines, now))
		if postgres.IsUniqueViolation(err, "orders_po_reference_key") {
			return apperr.FieldErrors{"po_reference": "This customer has an order with this PO reference already."}.Err()
		}
		if err != nil {
			return err
		}
		linkDemands(o.Lines, ds)
		if err := trail.FlushIn(ctx, b, tx, now); err != nil {
			return err
		}
		// Every check is done: the last writes may travel with the commit.
		return postgres.ExecAtCommit(ctx, tx, addLines(b, o.Lines))
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

// create writes a draft.
func (s *Service) create(ctx context.Context, tx bun.IDB, by *users.User, in Input) (*Order, error) {
	fe, shipping := in.validate()
	var c *customers.Company
	if in.CompanyID != 0 {
		var err error
		if c, err = enterer(ctx, tx, by, in.CompanyID); err != nil {
			return nil, err
		}
	}
	if len(fe) > 0 {
		return nil, fe.Err()
	}
	now := s.Clock.Now()
	o := s.newOrder(by, in, c, shipping, now)
	lines, err := s.newLines(ctx, tx, c, in.Lines, 1)
	if err != nil {
		return nil, err
	}
	o.Lines = lines
	s.applyTotals(o)
	o.Status = DeriveStatus(o)
	_, err = tx.NewInsert().Model(o).ExcludeColumn("id").Returning("id").Exec(ctx)
	if postgres.IsUniqueViolation(err, "orders_po_reference_key") {
		return nil, apperr.FieldErrors{"po_reference": "This customer has an order with this PO reference already."}.Err()
	}
	if err != nil {
		return nil, err
	}
	for i := range o.Lines {
		o.Lines[i].OrderID = o.ID
	}
	if len(o.Lines) > 0 {
		if _, err := tx.NewInsert().Model(&o.Lines).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
			return nil, err
		}
	}
	if err := s.revision(ctx, tx, by, o, "created", nil, snapshot(o)); err != nil {
		return nil, err
	}
	return o, audit.Record(ctx, tx, now, audit.Change{Entity: "order", EntityID: o.ID, Action: "create", After: snapshot(o)})
}

// newOrder is a draft of in for customer c, without lines.
func (s *Service) newOrder(by *users.User, in Input, c *customers.Company, shippingCents int64, now time.Time) *Order {
	o := &Order{CompanyID: c.ID, POReference: in.POReference, State: StateDraft, CreditHold: HoldNone,
		ShipComplete: in.ShipComplete, ShippingMethod: in.ShippingMethod, ShippingCents: shippingCents, Note: in.Note,
		Revision: 1, CreatedBy: by.ID, CreatedAt: now, UpdatedAt: now, Prepayment: c.Prepayment()}
	o.Delivery = deliveryFrom(c, in.Address)
	o.VATMode = VATModeFor(c, o.Delivery.Country)
	return o
}

func deliveryFrom(c *customers.Company, which string) DeliveryTo {
	a := c.Visiting
	if which == "invoice" {
		a = c.Invoice
	}
	return DeliveryTo{Name: c.Name, Street: a.Street, Postcode: a.Postcode, City: a.City, Country: a.Country}
}

// newLines builds lines for SKUs at the customer's prices, numbered from
// next, looking the products and prices up in one query.
func (s *Service) newLines(ctx context.Context, tx bun.IDB, c *customers.Company, in []LineInput, next int) ([]Line, error) {
	skus := newSKUs(in)
	if len(skus) == 0 {
		return nil, nil
	}
	products, prices, err := catalog.PricedBySKUs(ctx, tx, c.ID, c.DiscountBP, skus)
	if err != nil {
		return nil, err
	}
	return linesFrom(in, next, products, prices)
}

// newSKUs are the SKUs of the new lines of in.
func newSKUs(in []LineInput) []string {
	var skus []string
	for _, l := range in {
		if l.ID == 0 && l.Quantity > 0 {
			skus = append(skus, l.SKU)
		}
	}
	return skus
}

// linesFrom builds the new lines of in from the products by SKU and their
// prices by product id, numbered from next.
func linesFrom(in []LineInput, next int, products map[string]*catalog.Product, prices map[int64]int64) ([]Line, error) {
	fe := apperr.FieldErrors{}
	var out []Line
	for i, l := range in {
		if l.ID != 0 || l.Quantity <= 0 {
			continue
		}
		p, ok := products[l.SKU]
		switch {
		case !ok:
			fe.Add(lineField(i), fmt.Sprintf("No product has SKU %s.", l.SKU))
			continue
		case p.MaxPerOrder != nil && l.Quantity > *p.MaxPerOrder:
			fe.Add(lineField(i), fmt.Sprintf("At most %d of %s per order.", *p.MaxPerOrder, p.SKU))
			continue
		}
		out = append(out, Line{LineNo: next, ProductID: p.ID, Quantity: l.Quantity, UnitPriceCents: prices[p.ID], VATRate: p.VATRate, SKU: p.SKU, Name: p.Name})
		next++
	}
	return out, fe.Err()
}

func (s *Service) applyTotals(o *Order) {
	t := ComputeTotals(o.Lines, o.ShippingCents, o.VATMode)
	o.TotalExclCents, o.VATCents, o.TotalInclCents = t.ExclCents, t.VATCents, t.InclCents
}

// snapshot is what an order's revision records of it.
func snapshot(o *Order) map[string]any {
	var lines []map[string]any
	for _, l := range o.Lines {
		lines = append(lines, map[string]any{"line_no": l.LineNo, "sku": l.SKU, "quantity": l.Quantity, "unit_price_cents": l.UnitPriceCents, "cancelled": l.Cancelled})
	}
	return map[string]any{"po_reference": o.POReference, "lines": lines, "delivery": o.Delivery, "ship_complete": o.ShipComplete,
		"shipping_method": o.ShippingMethod, "shipping_cents": o.ShippingCents, "total_incl_cents": o.TotalInclCents, "note": o.Note}
}

func (s *Service) revision(ctx context.Context, tx bun.IDB, by *users.User, o *Order, summary string, before, after any) error {
	return s.addRevision(postgres.NewBatch(tx), by, o, summary, before, after).Exec(ctx, tx)
}

// Order entry's own writes, prepared: every order entered runs them.
var (
	insertOrder    = postgres.NewInsertStmt("orders_insert")
	insertRevision = postgres.NewStmt("orders_insert_revision", `INSERT INTO order_revisions (order_id, revision, changed_by, changed_at, summary, before, after)
		VALUES (?0, ?1, ?2, ?3, ?4, ?5::jsonb, ?6::jsonb)`)
	insertLines = postgres.NewStmt("orders_insert_lines", `INSERT INTO order_lines (id, order_id, line_no, product_id, quantity, unit_price_cents, vat_rate, demand_id, cancelled)
		SELECT i, o, n, p, q, u, v, NULLIF(d, 0), c
		FROM unnest(?0::bigint[], ?1::bigint[], ?2::int[], ?3::bigint[], ?4::int[], ?5::bigint[], ?6::int[], ?7::bigint[], ?8::bool[]) AS x(i, o, n, p, q, u, v, d, c)`)
)

// addRevision adds the revision's insert to b.
func (s *Service) addRevision(b *postgres.Batch, by *users.User, o *Order, summary string, before, after any) *postgres.Batch {
	return b.Stmt(insertRevision, o.ID, o.Revision, by.ID, s.Clock.Now(), summary, jsonOrNil(before), jsonOrNil(after))
}

// addLines adds the insert of new lines, their ids drawn, to b.
func addLines(b *postgres.Batch, lines []Line) *postgres.Batch {
	n := len(lines)
	id, order, product, price, demand := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
	no, qty, vat := make([]int64, n), make([]int64, n), make([]int64, n)
	cancelled := make([]bool, n)
	for i, l := range lines {
		id[i], order[i], product[i], price[i] = l.ID, l.OrderID, l.ProductID, l.UnitPriceCents
		no[i], qty[i], vat[i], cancelled[i] = int64(l.LineNo), int64(l.Quantity), int64(l.VATRate), l.Cancelled
		if l.DemandID != nil {
			demand[i] = *l.DemandID
		}
	}
	A := pgdialect.Array
	return b.Stmt(insertLines, A(id), A(order), A(no), A(product), A(qty), A(price), A(vat), A(demand), A(cancelled))
}

// Place places a draft: it reserves stock and records back orders for each
// line, checks credit (a credit customer over the limit, or with an overdue
// invoice, is held for approval) and tells the customer what comes next,
// in one transaction. Concurrent orders of one customer are decided one
// after another (the customer row is locked). Returns NotFound, Forbidden, Conflict.
func (s *Service) Place(ctx context.Context, by *users.User, id int64) (*Order, error) {
	err := postgres.RunInTx(ctx, s.DB, func(ctx context.Context, tx bun.IDB) error { return s.place(ctx, tx, by, id) })
	if err != nil {
		return nil, err
	}
	return Get(ctx, postgres.DB(ctx, s.DB), id)
}

func (s *Service) place(ctx context.Context, tx bun.IDB, by *users.User, id int64) error {
	o, c, err := s.lockOrder(ctx, tx, by, id)
	if err != nil {
		return err
	}
	return s.placeLocked(ctx, tx, o, c)
}

// placeLocked places o; the caller holds the locks of the customer and the order.
func (s *Service) placeLocked(ctx context.Context, tx bun.IDB, o *Order, c *customers.Company) error {
	if o.State != StateDraft {
		return apperr.Conflictf("Order %d is placed already.", o.ID)
	}
	now := s.Clock.Now()
	before := o.Status
	o.State, o.PlacedAt, o.Prepayment = StatePlaced, &now, c.Prepayment()
	if err := s.reserveLines(ctx, tx, o, o.Lines, now); err != nil {
		return err
	}
	if o.Prepayment {
		ref := PaymentReference(o.ID)
		o.PaymentReference = &ref
	} else if err := s.checkCredit(ctx, tx, o, c); err != nil {
		return err
	}
	if err := s.save(ctx, tx, o, "state", "placed_at", "prepayment", "payment_reference", "credit_hold", "credit_reason"); err != nil {
		return err
	}
	if err := audit.Record(ctx, tx, now, audit.Change{Entity: "order", EntityID: o.ID, Action: "place",
		Before: map[string]any{"status": before}, After: map[string]any{"status": o.Status, "credit_hold": o.CreditHold, "credit_reason": o.CreditReason}}); err != nil {
		return err
	}
	b := postgres.NewBatch(tx)
	if err := s.mailPlaced(ctx, b, tx, o, c); err != nil {
		return err
	}
	return b.Exec(ctx, tx)
}

// reserveLines reserves stock for lines of o in one go and links each line
// to its demand.
func (s *Service) reserveLines(ctx context.Context, tx bun.IDB, o *Order, ls []Line, placedAt time.Time) error {
	if len(ls) == 0 {
		return nil
	}
	ds, err := stock.ReserveMany(ctx, tx, s.Clock.Now(), demandsOf(o, ls, placedAt))
	if err != nil {
		return err
	}
	linkDemands(ls, ds)
	lineIDs, demandIDs := make([]int64, len(ls)), make([]int64, len(ls))
	for i := range ls {
		lineIDs[i], demandIDs[i] = ls[i].ID, *ls[i].DemandID
	}
	_, err = tx.ExecContext(ctx, `UPDATE order_lines l SET demand_id = x.d FROM unnest(?::bigint[], ?::bigint[]) AS x(id, d) WHERE l.id = x.id`,
		pgdialect.Array(lineIDs), pgdialect.Array(demandIDs))
	return err
}

// demandsOf is what lines of o ask of stock.
func demandsOf(o *Order, ls []Line, placedAt time.Time) []stock.DemandInput {
	ins := make([]stock.DemandInput, len(ls))
	for i, l := range ls {
		ins[i] = stock.DemandInput{ProductID: l.ProductID, CompanyID: o.CompanyID, Quantity: l.Quantity, PlacedAt: placedAt,
			Reference: fmt.Sprintf("order %d (PO %s) line %d", o.ID, o.POReference, l.LineNo)}
	}
	return ins
}

// linkDemands sets each line's demand and what it got, from ds in line order.
func linkDemands(ls []Line, ds []stock.Demand) {
	for i := range ls {
		id, reserved := ds[i].ID, ds[i].Reserved
		ls[i].DemandID, ls[i].Reserved, ls[i].ExpectedDate = &id, &reserved, ds[i].ExpectedDate
	}
}

func (s *Service) reserveLine(ctx context.Context, tx bun.IDB, o *Order, l *Line, placedAt time.Time) error {
	ls := []Line{*l}
	if err := s.reserveLines(ctx, tx, o, ls, placedAt); err != nil {
		return err
	}
	*l = ls[0]
	return nil
}

// checkCredit holds the order when credit says so. An order whose hold was
// approved stays approved unless its total grew.
func (s *Service) checkCredit(ctx context.Context, tx bun.IDB, o *Order, c *customers.Company) error {
	pos, err := credit.Of(ctx, tx, c.ID, o.ID, s.Clock.Now())
	if err != nil {
		return err
	}
	decideCredit(o, pos)
	return nil
}

// decideCredit holds o for credit approval when its customer's position
// (without o) says so.
func decideCredit(o *Order, pos credit.Position) {
	if held, reason := credit.Decide(pos, o.TotalInclCents); held {
		o.CreditHold, o.CreditReason = HoldHeld, reason
	}
}

func (s *Service) save(ctx context.Context, tx bun.IDB, o *Order, cols ...string) error {
	o.Status, o.UpdatedAt = DeriveStatus(o), s.Clock.Now()
	_, err := tx.NewUpdate().Model(o).Column(append(cols, "status", "updated_at")...).WherePK().Exec(ctx)
	return err
}

// mailPlaced adds to b the mail that tells the customer the order is placed.
func (s *Service) mailPlaced(ctx context.Context, b *postgres.Batch, tx bun.IDB, o *Order, c *customers.Company) error {
	if c.ContactEmail == "" {
		return nil
	}
	var text strings.Builder
	fmt.Fprintf(&text, "Dear %s,\n\nWe have entered your order %d (your reference %s):\n\n", c.ContactName, o.ID, o.POReference)
	for _, l := range o.Lines {
		fmt.Fprintf(&text, "  %d × %s %s at %s\n", l.Quantity, l.SKU, l.Name, money.Format(l.UnitPriceCents))
	}
	fmt.Fprintf(&text, "\nShipping (%s): %s\nTotal incl. VAT: %s\n\n", o.ShippingMethod, money.Format(o.ShippingCents), money.Format(o.TotalInclCents))
	if o.Prepayment {
		fmt.Fprintf(&text, "Please transfer %s with payment reference %s. We ship as soon as the payment is in.\n", money.Format(o.TotalInclCents), *o.PaymentReference)
	} else {
		fmt.Fprintf(&text, "Please confirm the order in the customer portal (%s/portal/orders/%d) or reply to this mail to confirm it in writing. We ship once it is confirmed.\n", s.BaseURL, o.ID)
	}
	return mail.EnqueueIn(b, tx, s.Clock.Now(), c.ContactEmail, fmt.Sprintf("Order %d (PO %s)", o.ID, o.POReference), text.String())
}

// lockOrder locks the customer row, then the order, so that every use case
// touching a customer's orders takes its locks in one order; it loads the lines.
func (s *Service) lockOrder(ctx context.Context, tx bun.IDB, by *users.User, id int64) (*Order, *customers.Company, error) {
	return s.lockOrderFor(ctx, tx, id, func(c *customers.Company) error {
		_, err := enterer(ctx, tx, by, c.ID)
		return err
	})
}

// lockOrderFor locks like lockOrder, letting allow decide who may act; a
// NotFound from allow hides the order.
func (s *Service) lockOrderFor(ctx context.Context, tx bun.IDB, id int64, allow func(*customers.Company) error) (*Order, *customers.Company, error) {
	var companyID int64
	if err := tx.NewSelect().Table("orders").Column("company_id").Where("id = ?", id).Scan(ctx, &companyID); err != nil {
		return nil, nil, apperr.NotFoundf("Order not found.")
	}
	c, err := customers.LockByID(ctx, tx, companyID)
	if err != nil {
		return nil, nil, err
	}
	if err := allow(c); err != nil {
		if apperr.KindOf(err) == apperr.NotFound {
			return nil, nil, apperr.NotFoundf("Order not found.")
		}
		return nil, nil, err
	}
	o := new(Order)
	if err := tx.NewSelect().Model(o).Where("o.id = ?", id).For("UPDATE").Scan(ctx); err != nil {
		return nil, nil, err
	}
	if o.Lines, err = lines(ctx, tx, id); err != nil {
		return nil, nil, err
	}
	return o, c, nil
}
