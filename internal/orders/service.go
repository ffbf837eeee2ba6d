package orders

import (
	"context"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/catalog"
	"wholesale/internal/clock"
	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/idempotency"
	"wholesale/internal/invoicing"
	"wholesale/internal/postgres"
	"wholesale/internal/stock"
	"wholesale/internal/users"
	"wholesale/internal/validate"
)

// Service holds the use cases of orders.
type Service struct {
	DB      *bun.DB
	Clock   clock.Clock
	BaseURL string
	// Calendar loads the invoicing calendar: an order on a draft invoice
	// whose cutoff passed takes no more additions. Without it only issued
	// invoices stop them.
	Calendar func(ctx context.Context, db bun.IDB) (invoicing.Calendar, error)

	// key makes the use cases of this copy of the service idempotent (Keyed).
	key *idempotency.Key
}

// Keyed returns the service for one request that carries an idempotency
// key: each use case of it runs once per key, and a retry gets the first
// answer (idempotency.Run). A nil key gives the service itself.
func (s *Service) Keyed(k *idempotency.Key) *Service {
	if k == nil {
		return s
	}
	c := *s
	c.key = k
	return &c
}

// run runs a use case in one transaction, once per key when the service is
// Keyed, and again, pessimistically, when it meets another transaction.
func (s *Service) run(ctx context.Context, fn func(ctx context.Context, tx *postgres.Tx) (*Order, error)) (*Order, error) {
	if s.key != nil {
		return idempotency.Run(ctx, s.DB, s.now(), s.key, fn)
	}
	var o *Order
	err := postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		var err error
		o, err = fn(ctx, tx)
		return err
	})
	return o, err
}

// now is the clock's time to the microsecond, as PostgreSQL keeps it: an
// order answered from memory reads as the same order read back.
func (s *Service) now() time.Time { return s.Clock.Now().Truncate(time.Microsecond) }

// mayEnter checks the role that enters and changes orders.
func mayEnter(u *users.User) error {
	if !u.Is(users.RoleAccountManager, users.RoleAdmin) {
		return apperr.Forbiddenf("Account managers enter and change orders.")
	}
	return nil
}

// Create saves a draft order. Returns Invalid, NotFound, Forbidden.
func (s *Service) Create(ctx context.Context, by *users.User, in Input) (*Order, error) {
	return s.run(ctx, func(ctx context.Context, tx *postgres.Tx) (*Order, error) {
		return s.enterOrder(ctx, tx, by, in, false)
	})
}

// CreateAndPlace saves and places an order in one transaction: the order
// entry of the form's place button and of the JSON API, and the busiest use
// case. After the customer's lock it costs three round trips: the read of
// the customer, its credit position, the products and prices; the order's
// writes with the stock read; and the stock booking, lines and audit
// entries with the commit. Returns Invalid, NotFound, Forbidden.
func (s *Service) CreateAndPlace(ctx context.Context, by *users.User, in Input) (*Order, error) {
	return s.run(ctx, func(ctx context.Context, tx *postgres.Tx) (*Order, error) { return s.enterOrder(ctx, tx, by, in, true) })
}

// enterOrder builds a new order from in under the customer's lock and
// writes it as a draft, or places it.
func (s *Service) enterOrder(ctx context.Context, tx *postgres.Tx, by *users.User, in Input, place bool) (*Order, error) {
	fe := apperr.FieldErrors{}
	shipping := in.validate(fe)
	if in.CompanyID <= 0 {
		return nil, fe.Err()
	}
	// The customer is locked first, so that its concurrent orders are
	// decided one after another; its credit position, the products and
	// prices are read under the lock, and the order's number and line ids
	// drawn, in the same round trip.
	po := in.POReference
	if _, bad := fe["po_reference"]; bad {
		po = "" // what the database cannot hold is not sent to it
	}
	e, err := enter(ctx, tx, s.now(), by, in.CompanyID, po, newSKUs(in.Lines))
	if err != nil {
		return nil, err
	}
	if e.POTaken {
		fe.Add("po_reference", poTakenMsg)
	}
	now := s.now()
	o := s.newOrder(by, in, e.Company, shipping, now)
	o.ID = e.OrderID
	o.Lines = linesFrom(fe, in.Lines, 1, e.Products, e.Prices)
	if err := fe.Err(); err != nil {
		return nil, err
	}
	for i := range o.Lines {
		o.Lines[i].ID, o.Lines[i].OrderID = e.LineIDs[i], o.ID
	}
	s.applyTotals(o)
	o.Status = DeriveStatus(o)
	if place {
		return o, s.place(ctx, tx, by, o, e, true)
	}
	b := postgres.NewBatch(tx).Insert(insertOrder, o)
	s.addRevision(b, by, o, Changes{i18n.M("created")}, nil, snapshot(o))
	if err := b.Exec(ctx, tx); err != nil {
		return nil, poTaken(err)
	}
	if err := tx.AtCommit(ctx, addLines(postgres.NewBatch(tx), o.Lines)); err != nil {
		return nil, err
	}
	return o, audit.Record(ctx, tx, now, audit.Change{Entity: "order", EntityID: o.ID, Action: "create", After: snapshot(o)})
}

// poTakenMsg says a customer's PO reference is taken.
var poTakenMsg = i18n.M("This customer has an order with this PO reference already.")

// poTaken turns the unique violation of a customer's PO reference into a
// message at the field.
func poTaken(err error) error {
	if postgres.IsUniqueViolation(err, "orders_po_reference_key") {
		return apperr.FieldErrors{"po_reference": poTakenMsg}.Err()
	}
	return err
}

// Place places a draft. Returns NotFound, Forbidden, Invalid, Conflict.
func (s *Service) Place(ctx context.Context, by *users.User, id int64) (*Order, error) {
	return s.run(ctx, func(ctx context.Context, tx *postgres.Tx) (*Order, error) {
		companyID, err := companyOf(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		e, err := enter(ctx, tx, s.now(), by, companyID, "", nil)
		if apperr.KindOf(err) == apperr.NotFound {
			return nil, apperr.NotFoundf("Order not found.")
		}
		if err != nil {
			return nil, err
		}
		o, err := lockedOrder(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		if o.State != StateDraft {
			return nil, apperr.Conflictf("Order %d is placed already.", o.ID)
		}
		return o, s.place(ctx, tx, by, o, e, false)
	})
}

// place places o, a draft new or written before (isNew false), with the
// customer locked and e read under the lock. It is the one way an order is
// placed: it reserves stock for each line and records back orders, decides
// credit (a credit customer over the limit is held for approval) or gives
// a prepayment order its payment reference, and tells the customer what
// comes next. Returns Invalid.
func (s *Service) place(ctx context.Context, tx *postgres.Tx, by *users.User, o *Order, e *entry, isNew bool) error {
	live := liveLines(o.Lines)
	if len(live) == 0 {
		return apperr.FieldErrors{"lines": i18n.M("Add at least one line.")}.Err()
	}
	now := s.now()
	draft := snapshot(o)
	o.State, o.PlacedAt, o.Prepayment = StatePlaced, &now, e.Company.Prepayment()
	if o.Prepayment {
		ref := PaymentReference(o.ID)
		o.PaymentReference = &ref
	} else if !o.Replacement() { // a replacement costs nothing: no credit to decide
		decideCredit(o, e.Credit)
	}
	o.Status, o.UpdatedAt = DeriveStatus(o), now

	b := postgres.NewBatch(tx)
	// The reason is the message (stored as JSON), so that the history
	// prints it in its reader's language.
	var reason any = ""
	if !o.HoldReason.IsZero() {
		reason = o.HoldReason.Message
	}
	changes := []audit.Change{{Entity: "order", EntityID: o.ID, Action: "place", Before: map[string]any{"status": StatusDraft},
		After: map[string]any{"status": o.Status, "credit_hold": o.CreditHold, "credit_reason": reason}}}
	if isNew {
		b.Insert(insertOrder, o)
		s.addRevision(b, by, o, Changes{i18n.M("created")}, nil, draft)
		changes = append([]audit.Change{{Entity: "order", EntityID: o.ID, Action: "create", After: draft}}, changes...)
	} else {
		b.Add(tx.NewUpdate().Model(o).Column("state", "placed_at", "prepayment", "payment_reference", "credit_hold", "credit_reason", "status", "updated_at").
			WherePK())
	}
	if !o.Replacement() { // the return's settlement mail tells of a replacement
		if err := s.mailPlaced(b, tx, o, e.Company); err != nil {
			return err
		}
	}
	if err := audit.RecordMany(ctx, tx, now, changes); err != nil {
		return err
	}
	ds, err := stock.ReserveManyIn(ctx, tx, b, now, demandsOf(o, live, now))
	if err != nil {
		return poTaken(err)
	}
	linkDemands(live, ds)
	// Every check is done: the last writes, with those ReserveManyIn left
	// in b, travel with the commit.
	if isNew {
		return tx.AtCommit(ctx, addLines(b, o.Lines))
	}
	return tx.AtCommit(ctx, setDemands(b, live))
}

// liveLines are the lines of ls that are not cancelled, as pointers into ls.
func liveLines(ls []Line) []*Line {
	var out []*Line
	for i := range ls {
		if !ls[i].Cancelled {
			out = append(out, &ls[i])
		}
	}
	return out
}

// newOrder is a draft of in for customer c, without lines.
func (s *Service) newOrder(by *users.User, in Input, c *customers.Company, shippingCents int64, now time.Time) *Order {
	o := &Order{CompanyID: c.ID, POReference: in.POReference, State: StateDraft, CreditHold: HoldNone,
		ShipComplete: in.ShipComplete, ShippingMethod: in.ShippingMethod, ShippingCents: shippingCents, Note: in.Note,
		Revision: 1, CreatedBy: by.ID, CreatedAt: now, UpdatedAt: now, Prepayment: c.Prepayment(), CompanyName: c.Name,
		ShipState: ShipNone, InvoiceState: InvoiceNone}
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

// newSKUs are the SKUs of the new lines of in that can be SKUs at all
// (the others are refused at their lines, never sent to the database).
func newSKUs(in []LineInput) []string {
	var skus []string
	for _, l := range in {
		if l.ID == 0 && l.SKU != "" && validate.CheckLine(l.SKU, 40).IsZero() {
			skus = append(skus, l.SKU)
		}
	}
	return skus
}

// linesFrom builds the new lines of in from the products by SKU and their
// prices by product id, numbered from next; what is wrong with a line goes
// into fe under its field.
func linesFrom(fe apperr.FieldErrors, in []LineInput, next int, products map[string]*catalog.Product, prices map[int64]int64) []Line {
	var out []Line
	for i, l := range in {
		if l.ID != 0 || l.SKU == "" || l.Quantity <= 0 {
			continue
		}
		p, ok := products[l.SKU]
		switch {
		case !ok:
			fe.Add(lineField(i), i18n.M("No product has SKU %s.", l.SKU))
			continue
		case p.MaxPerOrder != nil && l.Quantity > *p.MaxPerOrder:
			fe.Add(lineField(i), i18n.M("At most %d of %s per order.", *p.MaxPerOrder, p.SKU))
			continue
		}
		out = append(out, Line{LineNo: next, ProductID: p.ID, Quantity: l.Quantity, UnitPriceCents: prices[p.ID], VATRate: p.VATRate, SKU: p.SKU, Name: p.Name})
		next++
	}
	return out
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

// Order entry's own writes, prepared: every order entered runs them.
var (
	insertOrder    = postgres.NewInsertStmt("orders_insert")
	insertRevision = postgres.NewStmt("orders_insert_revision", `INSERT INTO order_revisions (order_id, revision, changed_by, changed_at, summary, before, after)
		VALUES (?0, ?1, ?2, ?3, ?4, ?5::jsonb, ?6::jsonb)`)
	insertLines = postgres.NewStmt("orders_insert_lines", `INSERT INTO order_lines (id, order_id, line_no, product_id, quantity, unit_price_cents, vat_rate, demand_id, cancelled)
		SELECT i, o, n, p, q, u, v, NULLIF(d, 0), c
		FROM unnest(?0::bigint[], ?1::bigint[], ?2::int[], ?3::bigint[], ?4::int[], ?5::bigint[], ?6::int[], ?7::bigint[], ?8::bool[]) AS x(i, o, n, p, q, u, v, d, c)`)
	updateDemands = postgres.NewStmt("orders_set_demands", `UPDATE order_lines l SET demand_id = x.d
		FROM unnest(?0::bigint[], ?1::bigint[]) AS x(id, d) WHERE l.id = x.id`)
)

// addRevision adds the revision's insert to b: what changed, and the order
// before and after.
func (s *Service) addRevision(b *postgres.Batch, by *users.User, o *Order, changes Changes, before, after any) *postgres.Batch {
	summary, _ := changes.Value()
	return b.Stmt(insertRevision, o.ID, o.Revision, by.ID, s.now(), summary, jsonOrNil(before), jsonOrNil(after))
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

// setDemands adds to b the update of the lines' demands.
func setDemands(b *postgres.Batch, ls []*Line) *postgres.Batch {
	ids, demands := make([]int64, len(ls)), make([]int64, len(ls))
	for i, l := range ls {
		ids[i], demands[i] = l.ID, *l.DemandID
	}
	return b.Stmt(updateDemands, pgdialect.Array(ids), pgdialect.Array(demands))
}

// demandsOf is what lines of o ask of stock.
func demandsOf(o *Order, ls []*Line, placedAt time.Time) []stock.DemandInput {
	ins := make([]stock.DemandInput, len(ls))
	for i, l := range ls {
		ins[i] = stock.DemandInput{ProductID: l.ProductID, CompanyID: o.CompanyID, Quantity: l.Quantity, PlacedAt: placedAt,
			Message: i18n.M("order %d (PO %s) line %d", o.ID, o.POReference, l.LineNo)}
	}
	return ins
}

// linkDemands sets each line's demand and what it got, from ds in line order.
func linkDemands(ls []*Line, ds []stock.Demand) {
	for i, l := range ls {
		id, reserved, confirmed := ds[i].ID, ds[i].Reserved, ds[i].ExpectedConfirmed
		l.DemandID, l.Reserved, l.ExpectedDate, l.ExpectedConfirmed = &id, &reserved, ds[i].ExpectedDate, &confirmed
	}
}

// reserveLine reserves stock for one line of a placed order and links the
// line to its demand, written at once.
func (s *Service) reserveLine(ctx context.Context, tx *postgres.Tx, o *Order, l *Line, placedAt time.Time) error {
	ds, err := stock.ReserveMany(ctx, tx, s.now(), demandsOf(o, []*Line{l}, placedAt))
	if err != nil {
		return err
	}
	linkDemands([]*Line{l}, ds)
	return setDemands(postgres.NewBatch(tx), []*Line{l}).Exec(ctx, tx)
}
