package shipping

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/clock"
	"wholesale/internal/i18n"
	"wholesale/internal/invoicing"
	"wholesale/internal/orders"
	"wholesale/internal/postgres"
	"wholesale/internal/stock"
	"wholesale/internal/users"
)

// Service holds the use cases of shipping.
type Service struct {
	DB    *bun.DB
	Clock clock.Clock
	// BusinessDay is the invoicing calendar's business day of a moment:
	// the day whose draft invoice goods shipped then go on (after the
	// day's cutoff, the next working day's).
	BusinessDay func(ctx context.Context, db bun.IDB, t time.Time) (time.Time, error)
	// BaseURL is where customers reach the portal, for links in mails.
	BaseURL string
}

// now is the clock's time to the microsecond, as PostgreSQL keeps it.
func (s *Service) now() time.Time { return s.Clock.Now().Truncate(time.Microsecond) }

// mayShip checks the role that ships: the warehouse, or an admin.
func mayShip(u *users.User) error {
	if !u.Is(users.RoleWarehouse, users.RoleAdmin) {
		return apperr.Forbiddenf("The warehouse records shipments.")
	}
	return nil
}

// Ship records a shipment of an order, in one transaction: the customer
// and the order are locked; the order must be released (placed, not held,
// confirmed by a credit customer or paid by a prepayment one) and not
// shipped in full; each line ships at most what is reserved for it and not
// shipped yet, and a ship-complete order only when every live line is
// wholly reserved, and then all of it. The goods come out of their
// reservations (main warehouse first) and the stock, the lines and the
// order count them as shipped, they go on the customer's draft invoice of
// the business day (the order's shipping cost with its first shipment),
// the customer is mailed the tracking link in the company's language, and
// the audit trail records it. Warehouse and admins only. Returns
// Forbidden, Invalid (per field; nothing is written), NotFound, Conflict
// (the order may not ship now).
func (s *Service) Ship(ctx context.Context, by *users.User, in Input) (*Shipment, error) {
	if err := mayShip(by); err != nil {
		return nil, err
	}
	// A shipment whose fields are wrong is still checked against the
	// order, so that everything wrong is said at once; nothing is written.
	invalid := in.Validate()
	if invalid != nil && apperr.KindOf(invalid) != apperr.Invalid {
		return nil, invalid
	}
	var sh *Shipment
	err := postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		var err error
		sh, err = s.ship(ctx, tx, by, in, invalid)
		return err
	})
	return sh, err
}

// joinInvalid is one Invalid error holding the field messages of a and b,
// both Invalid or nil (a field's first message is kept); nil when both are.
func joinInvalid(a, b error) error {
	fe := apperr.FieldErrors{}
	for _, err := range []error{a, b} {
		if ae, ok := apperr.As(err); ok {
			for f, m := range ae.Fields {
				fe.Add(f, m)
			}
		}
	}
	return fe.Err()
}

func (s *Service) ship(ctx context.Context, tx *postgres.Tx, by *users.User, in Input, invalid error) (*Shipment, error) {
	o, c, err := orders.LockForShipping(ctx, tx, in.OrderID)
	if err != nil {
		return nil, err
	}
	if !orders.MaySee(by, o) {
		return nil, apperr.NotFoundf("Order not found.")
	}
	if why := WhyNot(o); !why.IsZero() {
		return nil, apperr.Of(apperr.Conflict, why)
	}
	plan, err := Plan(o, in)
	if err != nil && apperr.KindOf(err) != apperr.Invalid {
		return nil, err
	}
	if err := joinInvalid(invalid, err); err != nil {
		return nil, err
	}
	now := s.now()
	sh := &Shipment{OrderID: o.ID, CompanyID: o.CompanyID, Carrier: in.Carrier, TrackingNumber: in.TrackingNumber,
		TrackingURL: TrackingURL(in.Carrier, in.TrackingNumber, o.Delivery.Country, o.Delivery.Postcode),
		ShippedOn:   stock.BusinessDay(now), CreatedBy: by.ID, CreatedAt: now}
	if _, err := tx.NewInsert().Model(sh).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
		return nil, err
	}
	byID := map[int64]*orders.Line{}
	for i := range o.Lines {
		byID[o.Lines[i].ID] = &o.Lines[i]
	}
	shipped := map[int64]int{}
	var takes []stock.ShipLine
	var invoiced []invoicing.ShippedLine
	var told []map[string]any
	for _, p := range plan {
		l := byID[p.OrderLineID]
		sh.Lines = append(sh.Lines, Line{ShipmentID: sh.ID, OrderLineID: l.ID, Quantity: p.Quantity, LineNo: l.LineNo, SKU: l.SKU, Name: l.Name})
		shipped[l.ID] = p.Quantity
		takes = append(takes, stock.ShipLine{DemandID: *l.DemandID, Quantity: p.Quantity})
		invoiced = append(invoiced, invoicing.ShippedLine{OrderLineID: l.ID, Quantity: p.Quantity})
		told = append(told, map[string]any{"line_no": l.LineNo, "sku": l.SKU, "quantity": p.Quantity})
	}
	if _, err := tx.NewInsert().Model(&sh.Lines).Exec(ctx); err != nil {
		return nil, err
	}
	if _, err := stock.TakeShipped(ctx, tx, now, takes); err != nil {
		return nil, err
	}
	day, err := s.BusinessDay(ctx, tx, now)
	if err != nil {
		return nil, err
	}
	invoiceID, err := invoicing.AddShipped(ctx, tx, now, day, invoicing.Shipped{ShipmentID: sh.ID, OrderID: o.ID, Lines: invoiced})
	if err != nil {
		return nil, err
	}
	before := map[string]any{"status": o.Status, "ship_state": o.ShipState}
	if err := orders.MarkShipped(ctx, tx, o, shipped, now); err != nil {
		return nil, err
	}
	if err := s.mailShipped(ctx, tx, o, c, sh, now); err != nil {
		return nil, err
	}
	return sh, audit.Record(ctx, tx, now, audit.Change{Entity: "order", EntityID: o.ID, Action: "ship", Before: before,
		After: map[string]any{"shipment_id": sh.ID, "carrier": sh.Carrier, "tracking_number": sh.TrackingNumber,
			"shipped_on": sh.ShippedOn.Format(time.DateOnly), "lines": told, "status": o.Status, "ship_state": o.ShipState, "invoice_id": invoiceID}})
}

// Plan checks a shipment against the order, locked, and returns its lines
// with something to ship, in the order's line order. A line ships at most
// what is reserved for it and not yet shipped (Ready); a ship-complete
// order ships only when every live line is wholly reserved (CompleteReady),
// and then all of it. Returns Invalid (a message at each line's field),
// Conflict (a ship-complete order not ready in full).
func Plan(o *orders.Order, in Input) ([]LineInput, error) {
	fe := apperr.FieldErrors{}
	want := map[int64]int{}
	for _, l := range in.Lines {
		want[l.OrderLineID] = l.Quantity
	}
	known := map[int64]bool{}
	var out []LineInput
	for i := range o.Lines {
		l := &o.Lines[i]
		known[l.ID] = true
		q, field := want[l.ID], LineField(l.ID)
		reserved := 0
		if l.Reserved != nil {
			reserved = *l.Reserved
		}
		switch {
		case q == 0:
		case l.Cancelled:
			fe.Add(field, i18n.M("This line is cancelled: nothing of it ships."))
		case q > Ready(l):
			fe.Add(field, i18n.M("At most %s of this line can ship now: %s ordered, %s reserved, %s shipped.",
				i18n.Num(Ready(l)), i18n.Num(l.Quantity), i18n.Num(reserved), i18n.Num(l.Shipped)))
		}
		if o.ShipComplete && !l.Cancelled && l.Shipped < l.Quantity && q != l.Quantity-l.Shipped && CompleteReady(o) {
			fe.Add(field, i18n.M("This order ships complete: ship all %s of this line.", i18n.Num(l.Quantity-l.Shipped)))
		}
		if q > 0 {
			out = append(out, LineInput{OrderLineID: l.ID, Quantity: q})
		}
	}
	for id, q := range want {
		if !known[id] && q > 0 {
			fe.Add("lines", i18n.M("A line of this shipment is not on the order."))
		}
	}
	if o.ShipComplete && !CompleteReady(o) {
		for i := range o.Lines {
			if l := &o.Lines[i]; !l.Cancelled && (l.Reserved == nil || *l.Reserved < l.Quantity) {
				return nil, apperr.Conflictf("Order %d ships complete only, and line %d (%s) is not all in stock yet: %s of %s reserved.",
					o.ID, l.LineNo, l.SKU, i18n.Num(Ready(l)+l.Shipped), i18n.Num(l.Quantity))
			}
		}
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// MarkDelivered records the day a shipment was delivered: not before it
// shipped, not in the future; a later call corrects it. Warehouse and
// admins only; audited on the shipment's order. Returns Forbidden,
// NotFound, Invalid (at delivered_on).
func (s *Service) MarkDelivered(ctx context.Context, by *users.User, shipmentID int64, day time.Time) (*Shipment, error) {
	if err := mayShip(by); err != nil {
		return nil, err
	}
	day = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
	var sh *Shipment
	err := postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		sh = new(Shipment)
		if err := tx.NewSelect().Model(sh).Where("sh.id = ?", shipmentID).For("UPDATE").Scan(ctx); err != nil {
			return postgres.Translate(err, i18n.M("Shipment"))
		}
		now := s.now()
		switch {
		case day.Before(sh.ShippedOn):
			return apperr.FieldErrors{"delivered_on": i18n.M("The delivery date cannot be before the day it shipped (%s).", i18n.D(sh.ShippedOn))}.Err()
		case day.After(stock.BusinessDay(now)):
			return apperr.FieldErrors{"delivered_on": i18n.M("The delivery date cannot be in the future.")}.Err()
		case sh.DeliveredOn != nil && sh.DeliveredOn.Equal(day):
			return nil
		}
		var before any
		if sh.DeliveredOn != nil {
			before = sh.DeliveredOn.Format(time.DateOnly)
		}
		sh.DeliveredOn = &day
		if _, err := tx.NewUpdate().Model(sh).Column("delivered_on").WherePK().Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Change{Entity: "order", EntityID: sh.OrderID, Action: "deliver",
			Before: map[string]any{"shipment_id": sh.ID, "delivered_on": before},
			After:  map[string]any{"shipment_id": sh.ID, "delivered_on": day.Format(time.DateOnly)}})
	})
	if err != nil {
		return nil, err
	}
	return ByID(ctx, s.DB, sh.ID)
}
