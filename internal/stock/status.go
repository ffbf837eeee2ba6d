// Package stock keeps stock per product per warehouse, supplier orders and
// deliveries, and the demands of order lines: reserved from stock where it
// is available, waiting as back orders where not, and served first come,
// first served (unless given priority) when goods arrive.
package stock

import (
	"fmt"
	"time"

	"wholesale/internal/catalog"
	"wholesale/internal/clock"
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
	FromSupplierStock  StatusKind = "supplier_stock"
	MustOrder          StatusKind = "must_order"
	Unconfirmed        StatusKind = "unconfirmed"
)

// Status is a product's stock status with the date where one applies.
type Status struct {
	Kind StatusKind
	// Date is the delivery date of the supply an order placed now would
	// get: of a supplier order, or today plus the supplier's lead time.
	Date *time.Time
	// LeadDays is the extra delivery time from the remote warehouse, or
	// the supplier's lead time from its own stock.
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
	// SupplierStockFree is what our supplier holds in its own stock that
	// waiting back orders beyond our open supply have not counted on yet,
	// and SupplierLeadDays the calendar days it delivers from there in.
	SupplierStockFree int
	SupplierLeadDays  int
	// Today is the business date (Europe/Amsterdam) the status is for.
	Today time.Time
}

// Derive returns the stock status the facts give, the first that applies:
// in stock (main warehouse), at the remote warehouse, unconfirmed
// (discontinued or the supplier is silent), ordered with a confirmed date,
// ordered with a date not confirmed, ordered from our supplier's stock
// (expected today plus its lead time, in calendar days), must be ordered.
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
	case f.SupplierStockFree > 0:
		d := BusinessDay(f.Today).AddDate(0, 0, f.SupplierLeadDays)
		return Status{Kind: FromSupplierStock, Date: &d, LeadDays: f.SupplierLeadDays}
	}
	return Status{Kind: MustOrder}
}

// BusinessDay returns the date of t in Europe/Amsterdam, as a date at
// midnight UTC (how dates come from PostgreSQL).
func BusinessDay(t time.Time) time.Time {
	y, m, d := t.In(clock.Amsterdam).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
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
	case FromSupplierStock:
		return "Ordered from our supplier's stock (expected " + day(s.Date) + ")"
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
	case FromSupplierStock:
		return "Wordt besteld uit de voorraad van onze leverancier (verwacht " + day(s.Date) + ")"
	case MustOrder:
		return "Moet bij de leverancier besteld worden"
	}
	return "Onbevestigd: neem contact op met uw accountmanager"
}
