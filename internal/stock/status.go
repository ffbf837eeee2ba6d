// Package stock keeps stock per product per warehouse, supplier orders and
// deliveries, and the demands of order lines: reserved from stock where it
// is available, waiting as back orders where not, and served first come,
// first served (unless given priority) when goods arrive.
package stock

import (
	"fmt"
	"time"

	"wholesale/internal/catalog"
)

// StatusKind is the stock status of a product, derived from stock and
// supply, never typed by hand (seed 003).
type StatusKind string

// The stock statuses.
const (
	InStock            StatusKind = "in_stock"
	AtRemote           StatusKind = "remote"
	OrderedConfirmed   StatusKind = "ordered_confirmed"
	OrderedUnconfirmed StatusKind = "ordered_unconfirmed"
	MustOrder          StatusKind = "must_order"
	Unconfirmed        StatusKind = "unconfirmed"
)

// Status is a product's stock status with the date where one applies.
type Status struct {
	Kind StatusKind
	// Date is the delivery date of the supply an order placed now would get.
	Date *time.Time
	// LeadDays is the extra delivery time from the remote warehouse.
	LeadDays int
	// Available is what an order placed now gets from stock (main and remote).
	Available int
}

// Facts are what a status is derived from.
type Facts struct {
	AvailableMain   int
	AvailableRemote int
	RemoteLeadDays  int
	// FreeSupplyDate is the date of the earliest supply not promised to
	// waiting back orders, with whether the supplier confirmed it.
	FreeSupplyDate      *time.Time
	FreeSupplyConfirmed bool
	Supply              string
}

// Derive returns the stock status the facts give.
func Derive(f Facts) Status {
	avail := f.AvailableMain + f.AvailableRemote
	switch {
	case f.AvailableMain > 0:
		return Status{Kind: InStock, Available: avail}
	case f.AvailableRemote > 0:
		return Status{Kind: AtRemote, LeadDays: f.RemoteLeadDays, Available: avail}
	case f.Supply != "" && f.Supply != catalog.SupplyNormal:
		return Status{Kind: Unconfirmed}
	case f.FreeSupplyDate != nil && f.FreeSupplyConfirmed:
		return Status{Kind: OrderedConfirmed, Date: f.FreeSupplyDate}
	case f.FreeSupplyDate != nil:
		return Status{Kind: OrderedUnconfirmed, Date: f.FreeSupplyDate}
	}
	return Status{Kind: MustOrder}
}

func day(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format("02-01-2006")
}

// English is the status as the English pages show it.
func (s Status) English() string {
	switch s.Kind {
	case InStock:
		return "In stock"
	case AtRemote:
		return fmt.Sprintf("At the remote warehouse (ships %d days later)", s.LeadDays)
	case OrderedConfirmed:
		return "Ordered from the supplier, delivery date confirmed: " + day(s.Date)
	case OrderedUnconfirmed:
		return "Ordered from the supplier, delivery date not confirmed (expected " + day(s.Date) + ")"
	case MustOrder:
		return "Must be ordered from the supplier"
	}
	return "Unconfirmed: contact your account manager"
}

// Dutch is the status in Dutch.
func (s Status) Dutch() string {
	switch s.Kind {
	case InStock:
		return "Op voorraad"
	case AtRemote:
		return fmt.Sprintf("Op ons externe magazijn (levering %d dagen later)", s.LeadDays)
	case OrderedConfirmed:
		return "Besteld bij de leverancier, leverdatum bevestigd: " + day(s.Date)
	case OrderedUnconfirmed:
		return "Besteld bij de leverancier, leverdatum nog niet bevestigd (verwacht " + day(s.Date) + ")"
	case MustOrder:
		return "Moet bij de leverancier besteld worden"
	}
	return "Onbevestigd: neem contact op met uw accountmanager"
}
