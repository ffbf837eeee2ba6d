// Package shipping is the warehouse's work: the released orders to ship,
// oldest first; shipments with their carrier and tracking number, taken
// out of stock, put on the customer's draft invoice and mailed to the
// customer; and their delivery.
package shipping

import (
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/i18n"
	"wholesale/internal/orders"
)

// The carriers a shipment goes with; "own" is the wholesaler's own transport.
const (
	CarrierUPS    = "UPS"
	CarrierDHL    = "DHL"
	CarrierPostNL = "PostNL"
	CarrierOwn    = "own"
)

// Carriers lists the carriers, the default first.
var Carriers = []string{CarrierUPS, CarrierDHL, CarrierPostNL, CarrierOwn}

// CarrierLabel names a carrier for people (UPS, DHL and PostNL are names).
func CarrierLabel(carrier string) i18n.Message {
	if carrier == CarrierOwn {
		return i18n.M("own transport")
	}
	return i18n.Raw(carrier)
}

// DefaultCarrier is the carrier the ship form proposes for an order: UPS,
// or own transport for goods that go by pallet or are collected.
func DefaultCarrier(o *orders.Order) string {
	switch o.ShippingMethod {
	case "Pallet (freight)", "Collect":
		return CarrierOwn
	}
	return CarrierUPS
}

// Shipment is goods of one order that left the warehouse together.
type Shipment struct {
	bun.BaseModel `bun:"table:shipments,alias:sh"`

	ID             int64      `bun:"id,pk,autoincrement" json:"id"`
	OrderID        int64      `bun:"order_id" json:"order_id"`
	CompanyID      int64      `bun:"company_id" json:"-"`
	Carrier        string     `bun:"carrier" json:"carrier"`
	TrackingNumber string     `bun:"tracking_number" json:"tracking_number,omitempty"`
	TrackingURL    string     `bun:"tracking_url" json:"tracking_url,omitempty"`
	ShippedOn      time.Time  `bun:"shipped_on,type:date" json:"shipped_on"`
	DeliveredOn    *time.Time `bun:"delivered_on,type:date" json:"delivered_on,omitempty"`
	CreatedBy      int64      `bun:"created_by" json:"-"`
	CreatedAt      time.Time  `bun:"created_at" json:"created_at"`

	Lines []Line `bun:"-" json:"lines"`
}

// CarrierLabel names the shipment's carrier for people.
func (s *Shipment) CarrierLabel() i18n.Message { return CarrierLabel(s.Carrier) }

// Line is a quantity of an order line in a shipment.
type Line struct {
	bun.BaseModel `bun:"table:shipment_lines,alias:sl"`

	ShipmentID  int64 `bun:"shipment_id,pk" json:"-"`
	OrderLineID int64 `bun:"order_line_id,pk" json:"order_line_id"`
	Quantity    int   `bun:"quantity" json:"quantity"`

	LineNo int    `bun:"line_no,scanonly" json:"line_no"`
	SKU    string `bun:"sku,scanonly" json:"sku"`
	Name   string `bun:"name,scanonly" json:"name"`
}

// Ready is what of a line may ship now: reserved for it and not yet
// shipped (0 for a cancelled line).
func Ready(l *orders.Line) int {
	if l.Cancelled || l.Reserved == nil {
		return 0
	}
	return max(*l.Reserved-l.Shipped, 0)
}

// CompleteReady tells whether every live line of o is wholly reserved: a
// ship-complete order ships only then, and all of it.
func CompleteReady(o *orders.Order) bool {
	for i := range o.Lines {
		l := &o.Lines[i]
		if !l.Cancelled && (l.Reserved == nil || *l.Reserved < l.Quantity) {
			return false
		}
	}
	return true
}

// WhyNot is why o may not ship (more) now, zero when it may: the reason
// the warehouse reads.
func WhyNot(o *orders.Order) i18n.Message {
	if o.Shippable() {
		return i18n.Message{}
	}
	switch o.DeriveReleaseStatus() {
	case orders.StatusAwaitingCredit:
		return i18n.M("Order %d is held for credit approval: it ships once sales approve it.", o.ID)
	case orders.StatusAwaitingConfirmation:
		return i18n.M("Order %d awaits the customer's confirmation: it ships once it is confirmed.", o.ID)
	case orders.StatusAwaitingPayment:
		return i18n.M("Order %d awaits its prepayment: it ships once the payment is in.", o.ID)
	case orders.StatusShipped:
		return i18n.M("Order %d has shipped in full.", o.ID)
	}
	return i18n.M("Order %d is %s: it does not ship.", o.ID, o.Status.Label())
}

// OrderToShip is a released order on the warehouse's list, with what of it is
// ready to ship.
type OrderToShip struct {
	ID           int64         `bun:"id" json:"id"`
	CompanyName  string        `bun:"company_name" json:"company_name"`
	POReference  string        `bun:"po_reference" json:"po_reference"`
	PlacedAt     time.Time     `bun:"placed_at" json:"placed_at"`
	Status       orders.Status `bun:"status" json:"status"`
	ShipComplete bool          `bun:"ship_complete" json:"ship_complete"`
	// Lines counts the live lines not yet shipped in full, LinesReady those
	// of them with something ready; UnitsReady is what is ready in all.
	Lines      int `bun:"lines" json:"lines"`
	LinesReady int `bun:"lines_ready" json:"lines_ready"`
	UnitsReady int `bun:"units_ready" json:"units_ready"`
	// CompleteReady: every live line is wholly reserved.
	CompleteReady bool `bun:"complete_ready" json:"complete_ready"`
}

// CanShipNow tells whether something of the order may ship now: something
// is ready, and a ship-complete order is ready in full.
func (t *OrderToShip) CanShipNow() bool {
	return t.UnitsReady > 0 && (!t.ShipComplete || t.CompleteReady)
}
