package orders

import (
	"context"
	"fmt"
	"sort"

	"github.com/uptrace/bun/dialect/pgdialect"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/catalog"
	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/postgres"
	"wholesale/internal/stock"
	"wholesale/internal/users"
)

// Amend changes an order that is not invoiced: lines added, changed or
// removed, address, shipping, note; what the input leaves out stays as it
// is. It is a new revision; reservations and back orders follow the
// change; credit is checked again when the total rises; a confirmation
// given before a rise must be given again, and the customer is mailed the
// new revision to confirm. An amendment that would leave no line is
// refused: the order is cancelled instead. Returns NotFound, Forbidden,
// Invalid, Conflict.
func (s *Service) Amend(ctx context.Context, by *users.User, id int64, in AmendInput) (*Order, error) {
	return s.run(ctx, func(ctx context.Context, tx *postgres.Tx) (*Order, error) {
		fe := apperr.FieldErrors{}
		shipping, err := in.Validate()
		if ae, ok := apperr.As(err); ok {
			for f, m := range ae.Fields {
				fe.Add(f, m)
			}
		}
		o, c, err := s.lockOrder(ctx, tx, by, id)
		if err != nil {
			return nil, err
		}
		if err := s.openForAdditions(ctx, tx, o); err != nil {
			return nil, err
		}
		if !o.Amendable() {
			return nil, apperr.Conflictf("Order %d is %s: it cannot be amended.", o.ID, o.Status.Label())
		}
		if o.ShipState != ShipNone && in.Shipping != nil && shipping != o.ShippingCents {
			fe.Add("shipping", i18n.M("The shipping cost went on the invoice with the first shipment: it cannot change any more."))
		}
		a := &amendment{s: s, tx: tx, o: o, c: c, byID: map[int64]*Line{}, before: snapshot(o), oldTotal: o.TotalInclCents, oldStatus: o.Status}
		if err := a.checkLines(ctx, fe, in.Lines); err != nil {
			return nil, err
		}
		added, err := a.newLines(ctx, fe, in.Lines)
		if err != nil {
			return nil, err
		}
		if err := fe.Err(); err != nil {
			return nil, err
		}
		if a.liveAfter(in.Lines, len(added)) == 0 {
			return nil, apperr.FieldErrors{"lines": i18n.M("This would leave the order without lines: cancel the order instead.")}.Err()
		}
		if err := a.applyLines(ctx, in.Lines, added); err != nil {
			return nil, err
		}
		a.applyTerms(in, shipping)
		if len(a.changes) == 0 {
			return nil, apperr.Conflictf("Nothing changed.")
		}
		if err := a.finish(ctx, by); err != nil {
			return nil, err
		}
		return s.after(ctx, tx, id)
	})
}

// amendment is one amendment under way.
type amendment struct {
	s        *Service
	tx       *postgres.Tx
	o        *Order
	c        *customers.Company
	byID     map[int64]*Line
	before   map[string]any
	oldTotal int64
	changes  Changes
	// told are the changes the customer sees (all but the internal note).
	told Changes
	// oldStatus is the order's status before the amendment, for the audit trail.
	oldStatus Status
}

// changed records a change the customer sees.
func (a *amendment) changed(what i18n.Message) {
	a.changes = append(a.changes, what)
	a.told = append(a.told, what)
}

// checkLines checks the changed lines against the order and their
// products' maxima.
func (a *amendment) checkLines(ctx context.Context, fe apperr.FieldErrors, in []LineInput) error {
	for i := range a.o.Lines {
		a.byID[a.o.Lines[i].ID] = &a.o.Lines[i]
	}
	var products []int64
	for _, l := range in {
		if ol, ok := a.byID[l.ID]; ok && l.ID != 0 {
			products = append(products, ol.ProductID)
		}
	}
	maxima, err := maxPerOrder(ctx, a.tx, products)
	if err != nil {
		return err
	}
	for i, l := range in {
		if l.ID == 0 {
			continue
		}
		ol, ok := a.byID[l.ID]
		switch {
		case !ok || ol.Cancelled:
			fe.Add(lineField(i), i18n.M("This line is not on the order."))
		case ol.Shipped > 0 && l.Quantity != ol.Quantity:
			fe.Add(lineField(i), i18n.M("%d of this line have shipped: it cannot change any more; add a line instead.", ol.Shipped))
		case l.Quantity > 0 && maxima[ol.ProductID] > 0 && l.Quantity > maxima[ol.ProductID]:
			fe.Add(lineField(i), i18n.M("At most %d of %s per order.", maxima[ol.ProductID], ol.SKU))
		}
	}
	return nil
}

// maxPerOrder returns the maximum per order of the products that have one.
func maxPerOrder(ctx context.Context, tx *postgres.Tx, productIDs []int64) (map[int64]int, error) {
	out := map[int64]int{}
	if len(productIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		ID  int64 `bun:"id"`
		Max int   `bun:"max_per_order"`
	}
	err := tx.NewSelect().Table("products").Column("id", "max_per_order").
		Where("id = ANY(?) AND max_per_order IS NOT NULL", pgdialect.Array(productIDs)).Scan(ctx, &rows)
	for _, r := range rows {
		out[r.ID] = r.Max
	}
	return out, err
}

// newLines builds the added lines at the customer's prices, numbered after
// the order's last line.
func (a *amendment) newLines(ctx context.Context, fe apperr.FieldErrors, in []LineInput) ([]Line, error) {
	skus := newSKUs(in)
	if len(skus) == 0 {
		return nil, nil
	}
	next := 1
	for _, l := range a.o.Lines {
		next = max(next, l.LineNo+1)
	}
	products, prices, err := catalog.PricedBySKUs(ctx, a.tx, a.c.ID, a.c.DiscountBP, skus)
	if err != nil {
		return nil, err
	}
	return linesFrom(fe, in, next, products, prices), nil
}

// liveAfter counts the lines the order would have after the amendment.
func (a *amendment) liveAfter(in []LineInput, added int) int {
	removed := map[int64]bool{}
	for _, l := range in {
		if l.ID != 0 && l.Quantity == 0 {
			removed[l.ID] = true
		}
	}
	n := added
	for _, l := range a.o.Lines {
		if !l.Cancelled && !removed[l.ID] {
			n++
		}
	}
	return n
}

// applyLines removes, changes and adds lines; reservations follow.
func (a *amendment) applyLines(ctx context.Context, in []LineInput, added []Line) error {
	o := a.o
	for _, l := range in {
		if l.ID == 0 {
			continue
		}
		ol := a.byID[l.ID]
		switch {
		case l.Quantity == 0:
			if err := a.s.dropLine(ctx, a.tx, o, ol, fmt.Sprintf("removed in revision %d", o.Revision+1)); err != nil {
				return err
			}
			a.changed(i18n.M("line %d (%s) removed", ol.LineNo, ol.SKU))
		case l.Quantity != ol.Quantity:
			a.changed(i18n.M("line %d (%s) %d → %d", ol.LineNo, ol.SKU, ol.Quantity, l.Quantity))
			if err := a.s.requantify(ctx, a.tx, o, ol, l.Quantity); err != nil {
				return err
			}
		}
	}
	now := a.s.now()
	for i := range added {
		l := &added[i]
		l.OrderID = o.ID
		if _, err := a.tx.NewInsert().Model(l).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
			return err
		}
		if o.State == StatePlaced {
			if err := a.s.reserveLine(ctx, a.tx, o, l, now); err != nil {
				return err
			}
		}
		a.changed(i18n.M("line %d (%s) added: %d", l.LineNo, l.SKU, l.Quantity))
		o.Lines = append(o.Lines, *l)
	}
	return nil
}

// applyTerms applies the delivery, shipping and note fields that were given.
func (a *amendment) applyTerms(in AmendInput, shipping int64) {
	o := a.o
	if in.Address != nil {
		if d := deliveryFrom(a.c, *in.Address); d != o.Delivery {
			a.changed(i18n.M("delivery address %s, %s", d.Street, d.City))
			o.Delivery, o.VATMode = d, VATModeFor(a.c, d.Country)
		}
	}
	method, cents := o.ShippingMethod, o.ShippingCents
	if in.ShippingMethod != nil {
		method = *in.ShippingMethod
	}
	if in.Shipping != nil {
		cents = shipping
	}
	if method != o.ShippingMethod || cents != o.ShippingCents {
		a.changed(i18n.M("shipping %s %s → %s %s", ShippingMethodLabel(o.ShippingMethod), i18n.Amount(o.ShippingCents), ShippingMethodLabel(method), i18n.Amount(cents)))
		o.ShippingMethod, o.ShippingCents = method, cents
	}
	if in.ShipComplete != nil && *in.ShipComplete != o.ShipComplete {
		if *in.ShipComplete {
			a.changed(i18n.M("ship complete only: yes"))
		} else {
			a.changed(i18n.M("ship complete only: no"))
		}
		o.ShipComplete = *in.ShipComplete
	}
	if in.Note != nil && *in.Note != o.Note {
		a.changes = append(a.changes, i18n.M("note"))
		o.Note = *in.Note
	}
}

// finish re-checks credit and the confirmation, and writes the order, its
// revision, the audit entry and the customer's mail.
func (a *amendment) finish(ctx context.Context, by *users.User) error {
	s, o, tx := a.s, a.o, a.tx
	s.applyTotals(o)
	rose := o.TotalInclCents > a.oldTotal
	// Credit is decided again when the total rises, and for a held order
	// whenever it changes: its hold and its reason follow the new total.
	held := o.CreditHold == HoldHeld
	if o.State == StatePlaced && !o.Prepayment && (rose && !held || held && o.TotalInclCents != a.oldTotal) {
		o.CreditHold = HoldNone
		o.hold(i18n.Message{})
		if err := s.checkCredit(ctx, tx, o); err != nil {
			return err
		}
		if held && o.CreditHold == HoldNone {
			a.changed(i18n.M("now within the credit limit: no longer held"))
		}
	}
	reconfirm := o.ConfirmedAt != nil && rose
	if reconfirm {
		o.ConfirmedAt, o.ConfirmedBy, o.ConfirmationKind, o.ConfirmedTotalCents, o.ConfirmationDate = nil, nil, nil, nil, nil
		o.ConfirmationNote = ""
		a.changes = append(a.changes, i18n.M("the total rose: the customer must confirm again"))
	}
	o.Revision++
	if err := s.save(ctx, tx, o, "delivery_name", "delivery_street", "delivery_postcode", "delivery_city", "delivery_country",
		"vat_mode", "shipping_cents", "shipping_method", "ship_complete", "note", "total_excl_cents", "vat_cents", "total_incl_cents",
		"credit_hold", "credit_reason", "confirmed_at", "confirmed_by", "confirmation_kind", "confirmation_note", "confirmed_total_cents", "confirmation_received_on", "revision"); err != nil {
		return err
	}
	b := postgres.NewBatch(tx)
	s.addRevision(b, by, o, a.changes, a.before, snapshot(o))
	if o.State == StatePlaced && len(a.told) > 0 {
		if err := s.mailRevision(b, tx, o, a.c, a.told, reconfirm, o.TotalInclCents != a.oldTotal); err != nil {
			return err
		}
	}
	if err := b.Exec(ctx, tx); err != nil {
		return err
	}
	return audit.Record(ctx, tx, s.now(), audit.Change{Entity: "order", EntityID: o.ID, Action: "amend",
		Before: map[string]any{"revision": o.Revision - 1, "order": a.before, "status": a.oldStatus},
		After:  map[string]any{"revision": o.Revision, "summary": a.changes, "order": snapshot(o), "status": o.Status}})
}

// dropLine cancels a line and releases its reservation.
func (s *Service) dropLine(ctx context.Context, tx *postgres.Tx, o *Order, l *Line, reason string) error {
	if l.DemandID != nil {
		if err := stock.Release(ctx, tx, s.now(), *l.DemandID, fmt.Sprintf("order %d: %s", o.ID, reason)); err != nil {
			return err
		}
	}
	l.Cancelled = true
	_, err := tx.ExecContext(ctx, "UPDATE order_lines SET cancelled = true WHERE id = ?", l.ID)
	return err
}

// requantify changes a line's quantity; a placed line gets a new demand
// that keeps the line's place in the queue.
func (s *Service) requantify(ctx context.Context, tx *postgres.Tx, o *Order, l *Line, qty int) error {
	l.Quantity = qty
	if _, err := tx.ExecContext(ctx, "UPDATE order_lines SET quantity = ? WHERE id = ?", qty, l.ID); err != nil {
		return err
	}
	if o.State != StatePlaced || l.DemandID == nil {
		return nil
	}
	if err := stock.Release(ctx, tx, s.now(), *l.DemandID, fmt.Sprintf("order %d line %d: quantity changed to %d", o.ID, l.LineNo, qty)); err != nil {
		return err
	}
	placed := s.now()
	if o.PlacedAt != nil {
		placed = *o.PlacedAt
	}
	return s.reserveLine(ctx, tx, o, l, placed)
}

// Cancel cancels an order while nothing of it is invoiced; its reservations
// go back to stock and to waiting back orders. Returns NotFound, Forbidden,
// Invalid, Conflict.
func (s *Service) Cancel(ctx context.Context, by *users.User, id int64, why string) (*Order, error) {
	why, err := reason("reason", why, i18n.M("Say why the order is cancelled."))
	if err != nil {
		return nil, err
	}
	return s.onOrder(ctx, id, s.forDesk(by), func(ctx context.Context, tx *postgres.Tx, o *Order) error {
		return s.cancel(ctx, tx, o, why, "cancel")
	})
}

func (s *Service) cancel(ctx context.Context, tx *postgres.Tx, o *Order, why, action string) error {
	if o.Replacement() {
		return replacementStays(o)
	}
	if !o.Cancellable() {
		return apperr.Conflictf("Order %d is %s: it cannot be cancelled.", o.ID, o.Status.Label())
	}
	before := o.Status
	sort.Slice(o.Lines, func(i, j int) bool { return o.Lines[i].ProductID < o.Lines[j].ProductID })
	for i := range o.Lines {
		if !o.Lines[i].Cancelled && o.Lines[i].DemandID != nil {
			if err := stock.Release(ctx, tx, s.now(), *o.Lines[i].DemandID, fmt.Sprintf("order %d %s: %s", o.ID, action, why)); err != nil {
				return err
			}
		}
	}
	o.State, o.CancelReason = StateCancelled, why
	if err := s.save(ctx, tx, o, "state", "cancel_reason", "credit_hold", "credit_note"); err != nil {
		return err
	}
	return audit.Record(ctx, tx, s.now(), audit.Change{Entity: "order", EntityID: o.ID, Action: action,
		Before: map[string]any{"status": before}, After: map[string]any{"status": o.Status, "reason": why}})
}

// replacementStays refuses to cancel (part of) a replacement order: the
// customer's return was settled with it, and would be left with neither
// goods nor credit.
func replacementStays(o *Order) error {
	return apperr.Conflictf("Order %d is a replacement (%s) that settled a return or a complaint: it is not cancelled.", o.ID, o.POReference)
}

// CancelLine cancels one line (a back-ordered one, typically) until it
// ships; its reservation is released. The last line is not cancelled: the
// order is. Returns NotFound, Forbidden, Invalid, Conflict.
func (s *Service) CancelLine(ctx context.Context, by *users.User, orderID, lineID int64, why string) (*Order, error) {
	why, err := reason("line_reason", why, i18n.M("Say why the line is cancelled."))
	if err != nil {
		return nil, err
	}
	return s.onOrder(ctx, orderID, s.forDesk(by), func(ctx context.Context, tx *postgres.Tx, o *Order) error {
		if o.State != StatePlaced {
			return apperr.Conflictf("Only lines of a placed order are cancelled one by one.")
		}
		if o.Replacement() {
			return replacementStays(o)
		}
		var l *Line
		live := 0
		for i := range o.Lines {
			if o.Lines[i].ID == lineID && !o.Lines[i].Cancelled {
				l = &o.Lines[i]
			}
			if !o.Lines[i].Cancelled {
				live++
			}
		}
		if l == nil {
			return apperr.NotFoundf("Line not found.")
		}
		if l.Shipped >= l.Quantity {
			return apperr.Conflictf("Line %d has shipped: it cannot be cancelled.", l.LineNo)
		}
		if live == 1 && l.Shipped == 0 {
			return apperr.Conflictf("This is the last line: cancel the order instead.")
		}
		before := snapshot(o)
		if l.Shipped > 0 {
			return s.cancelRest(ctx, tx, by, o, l, why, before)
		}
		if err := s.dropLine(ctx, tx, o, l, why); err != nil {
			return err
		}
		s.applyTotals(o)
		o.Revision++
		if err := s.save(ctx, tx, o, "total_excl_cents", "vat_cents", "total_incl_cents", "revision"); err != nil {
			return err
		}
		summary := Changes{i18n.M("line %d (%s) cancelled: %s", l.LineNo, l.SKU, why)}
		if err := s.addRevision(postgres.NewBatch(tx), by, o, summary, before, snapshot(o)).Exec(ctx, tx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, s.now(), audit.Change{Entity: "order", EntityID: o.ID, Action: "cancel_line",
			After: map[string]any{"line": l.LineNo, "reason": why}})
	})
}

func (s *Service) save(ctx context.Context, tx *postgres.Tx, o *Order, cols ...string) error {
	if o.Lines != nil {
		o.ShipState = ShipStateOf(o.Lines)
		cols = append(cols, "ship_state")
	}
	o.Status, o.UpdatedAt = DeriveStatus(o), s.now()
	_, err := tx.NewUpdate().Model(o).Column(append(cols, "status", "updated_at")...).WherePK().Exec(ctx)
	return err
}
