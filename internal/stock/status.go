// Package stock keeps stock per product per warehouse, supplier orders and
// deliveries, and the demands of order lines: reserved from stock where it
// is available, waiting as back orders where not, and served first come,
// first served (unless given priority) when goods arrive.
package stock

import (
	"time"

	"wholesale/internal/catalog"
	"wholesale/internal/clock"
	"wholesale/internal/i18n"
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

// Label is the status for people: a message with an English ID and a
// Dutch text, its date printed in the reader's language (i18n.D).
func (s Status) Label() i18n.Message {
	switch s.Kind {
	case InStock:
		return i18n.M("In stock")
	case AtRemote:
		return i18n.N(s.LeadDays, "At the remote warehouse (ships %d days later)", s.LeadDays)
	case OrderedConfirmed:
		return i18n.M("Ordered from the supplier, delivery date confirmed: %s", day(s.Date))
	case OrderedUnconfirmed:
		return i18n.M("Ordered from the supplier, delivery date not confirmed (expected %s)", day(s.Date))
	case FromSupplierStock:
		return i18n.M("Ordered from our supplier's stock (expected %s)", day(s.Date))
	case MustOrder:
		return i18n.M("Must be ordered from the supplier")
	}
	return i18n.M("Unconfirmed: contact your account manager")
}

// day is the date of t as a message argument, printed in the reader's
// language; no date prints as "".
func day(t *time.Time) i18n.Date {
	if t == nil {
		return i18n.Date{}
	}
	return i18n.D(*t)
}

// English is the status in English, for the API and the log. Pages print
// Label in the reader's language.
func (s Status) English() string { return i18n.For(i18n.EN).Text(s.Label()) }

// Dutch is the status in Dutch, for the API.
func (s Status) Dutch() string { return i18n.For(i18n.NL).Text(s.Label()) }
