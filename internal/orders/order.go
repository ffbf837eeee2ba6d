// Package orders holds purchase orders entered by account managers: drafts,
// placing with stock reservation and credit check, customer confirmation,
// prepayment, amendments as revisions, cancellation.
package orders

import (
	"context"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/customers"
	"wholesale/internal/i18n"
)

// States an order is in; the status people see is derived from them.
const (
	StateDraft     = "draft"
	StatePlaced    = "placed"
	StateCancelled = "cancelled"
)

// Credit hold states.
const (
	HoldNone     = "none"
	HoldHeld     = "held"
	HoldApproved = "approved"
	HoldRejected = "rejected"
)

// Status is the status of an order as lists and filters show it.
type Status string

// The statuses. Shipping and invoicing add theirs in later areas.
const (
	StatusDraft                Status = "draft"
	StatusAwaitingCredit       Status = "awaiting_credit"
	StatusAwaitingConfirmation Status = "awaiting_confirmation"
	StatusAwaitingPayment      Status = "awaiting_payment"
	StatusReleased             Status = "released"
	StatusPartlyShipped        Status = "partly_shipped"
	StatusShipped              Status = "shipped"
	StatusInvoiced             Status = "invoiced"
	StatusCancelled            Status = "cancelled"
)

// Statuses lists every status, in the order of an order's life.
var Statuses = []Status{StatusDraft, StatusAwaitingCredit, StatusAwaitingConfirmation, StatusAwaitingPayment,
	StatusReleased, StatusPartlyShipped, StatusShipped, StatusInvoiced, StatusCancelled}

// Label names a status for people.
func (s Status) Label() i18n.Message {
	switch s {
	case StatusDraft:
		return i18n.M("draft")
	case StatusAwaitingCredit:
		return i18n.M("awaiting credit approval")
	case StatusAwaitingConfirmation:
		return i18n.M("awaiting confirmation")
	case StatusAwaitingPayment:
		return i18n.M("awaiting payment")
	case StatusReleased:
		return i18n.M("released to the warehouse")
	case StatusPartlyShipped:
		return i18n.M("partly shipped")
	case StatusShipped:
		return i18n.M("shipped")
	case StatusInvoiced:
		return i18n.M("invoiced")
	case StatusCancelled:
		return i18n.M("cancelled")
	}
	return i18n.Raw(string(s))
}

// VAT treatments of an order.
const (
	VATDomestic      = "domestic"
	VATReverseCharge = "reverse_charge"
	VATExport        = "export"
)

// Order is a purchase order.
type Order struct {
	bun.BaseModel `bun:"table:orders,alias:o"`

	ID          int64  `bun:"id,pk,autoincrement" json:"id"`
	CompanyID   int64  `bun:"company_id" json:"company_id"`
	POReference string `bun:"po_reference" json:"po_reference"`
	State       string `bun:"state" json:"state"`
	Status      Status `bun:"status" json:"status"`
	Prepayment  bool   `bun:"prepayment" json:"prepayment"`
	CreditHold  string `bun:"credit_hold" json:"credit_hold"`
	CreditNote  string `bun:"credit_note" json:"credit_note,omitempty"`
	// HoldReason is why the order is (or was, before sales decided) held
	// for credit approval, shown in the reader's language; CreditReason is
	// it in English, for the log (the API prints it in its reader's
	// language).
	HoldReason          Text       `bun:"credit_reason" json:"-"`
	CreditReason        string     `bun:"-" json:"credit_reason,omitempty"`
	ConfirmedAt         *time.Time `bun:"confirmed_at" json:"confirmed_at,omitempty"`
	ConfirmedBy         *int64     `bun:"confirmed_by" json:"confirmed_by,omitempty"`
	ConfirmationKind    *string    `bun:"confirmation_kind" json:"confirmation_kind,omitempty"`
	ConfirmationNote    string     `bun:"confirmation_note" json:"confirmation_note,omitempty"`
	ConfirmationDate    *time.Time `bun:"confirmation_received_on,type:date" json:"confirmation_received_on,omitempty"`
	ConfirmedTotalCents *int64     `bun:"confirmed_total_cents" json:"confirmed_total_cents,omitempty"`
	PaymentReference    *string    `bun:"payment_reference" json:"payment_reference,omitempty"`
	PaidCents           int64      `bun:"paid_cents" json:"paid_cents"`
	Delivery            DeliveryTo `bun:"embed:delivery_" json:"delivery"`
	ShipComplete        bool       `bun:"ship_complete" json:"ship_complete"`
	ShippingMethod      string     `bun:"shipping_method" json:"shipping_method"`
	ShippingCents       int64      `bun:"shipping_cents" json:"shipping_cents"`
	Note                string     `bun:"note" json:"note,omitempty"`
	VATMode             string     `bun:"vat_mode" json:"vat_mode"`
	TotalExclCents      int64      `bun:"total_excl_cents" json:"total_excl_cents"`
	VATCents            int64      `bun:"vat_cents" json:"vat_cents"`
	TotalInclCents      int64      `bun:"total_incl_cents" json:"total_incl_cents"`
	Revision            int        `bun:"revision" json:"revision"`
	// CancelReason is why the order was cancelled, in the words of who
	// cancelled it (of sales, when they turned it down for credit).
	CancelReason string `bun:"cancel_reason" json:"cancel_reason,omitempty"`
	// ShipState is what of the order's live lines has shipped (Ship*);
	// InvoiceState whether shipped goods wait on a draft invoice or are all
	// on issued ones (Invoice*); InvoicedCents the order's part, incl. VAT,
	// of issued invoices.
	ShipState       string     `bun:"ship_state" json:"ship_state"`
	InvoiceState    string     `bun:"invoice_state" json:"invoice_state"`
	InvoicedCents   int64      `bun:"invoiced_cents" json:"invoiced_cents"`
	FirstInvoicedAt *time.Time `bun:"first_invoiced_at" json:"first_invoiced_at,omitempty"`
	// PrepaymentReceived* say who recorded by hand that a prepayment
	// customer's payment is in, until payments are registered.
	PrepaymentReceivedBy *int64     `bun:"prepayment_received_by" json:"-"`
	PrepaymentReceivedAt *time.Time `bun:"prepayment_received_at" json:"prepayment_received_at,omitempty"`
	// ReturnID is the return a replacement order replaces goods of
	// (PlaceReplacement); nil for every other order.
	ReturnID *int64 `bun:"return_id" json:"return_id,omitempty"`
	// ComplaintID is the complaint a replacement order settles (an
	// exchange); nil for every other order.
	ComplaintID *int64     `bun:"complaint_id" json:"complaint_id,omitempty"`
	CreatedBy   int64      `bun:"created_by" json:"created_by"`
	CreatedAt   time.Time  `bun:"created_at" json:"created_at"`
	PlacedAt    *time.Time `bun:"placed_at" json:"placed_at,omitempty"`
	UpdatedAt   time.Time  `bun:"updated_at" json:"updated_at"`

	Lines       []Line `bun:"-" json:"lines"`
	CompanyName string `bun:"company_name,scanonly" json:"company_name,omitempty"`
	// CompanyManagerID is the customer's account manager, read by Get.
	CompanyManagerID *int64 `bun:"company_manager_id,scanonly" json:"-"`
}

var _ bun.AfterScanRowHook = (*Order)(nil)

// AfterScanRow fills in CreditReason, the English of HoldReason, as bun
// reads an order.
func (o *Order) AfterScanRow(context.Context) error {
	o.CreditReason = o.HoldReason.String()
	return nil
}

// hold sets why the order is held for credit approval (none: not held).
func (o *Order) hold(why i18n.Message) {
	o.HoldReason = Text{why}
	o.CreditReason = why.String()
}

// CancelledWhy is why the order was cancelled, for people: the words of
// who cancelled it, after "credit rejected" when sales turned it down.
func (o *Order) CancelledWhy() i18n.Message {
	if o.CreditHold == HoldRejected {
		// Before reasons were messages, the words were stored after
		// "credit rejected: ".
		return i18n.M("credit rejected: %s", i18n.Raw(strings.TrimPrefix(o.CancelReason, "credit rejected: ")))
	}
	return i18n.Raw(o.CancelReason)
}

// ShippingMethodLabel is the order's shipping method for people.
func (o *Order) ShippingMethodLabel() i18n.Message { return ShippingMethodLabel(o.ShippingMethod) }

// DeliveryTo is where an order goes.
type DeliveryTo struct {
	Name     string `bun:"name" json:"name"`
	Street   string `bun:"street" json:"street"`
	Postcode string `bun:"postcode" json:"postcode"`
	City     string `bun:"city" json:"city"`
	Country  string `bun:"country" json:"country"`
}

// Line is one product of an order.
type Line struct {
	bun.BaseModel `bun:"table:order_lines,alias:ol"`

	ID             int64  `bun:"id,pk,autoincrement" json:"id"`
	OrderID        int64  `bun:"order_id" json:"-"`
	LineNo         int    `bun:"line_no" json:"line_no"`
	ProductID      int64  `bun:"product_id" json:"product_id"`
	Quantity       int    `bun:"quantity" json:"quantity"`
	UnitPriceCents int64  `bun:"unit_price_cents" json:"unit_price_cents"`
	VATRate        int    `bun:"vat_rate" json:"vat_rate"`
	DemandID       *int64 `bun:"demand_id" json:"-"`
	Cancelled      bool   `bun:"cancelled" json:"cancelled"`
	Shipped        int    `bun:"shipped" json:"shipped"`

	SKU               string     `bun:"sku,scanonly" json:"sku"`
	Name              string     `bun:"name,scanonly" json:"name"`
	Reserved          *int       `bun:"reserved,scanonly" json:"reserved,omitempty"`
	ExpectedDate      *time.Time `bun:"expected_date,scanonly,type:date" json:"expected_date,omitempty"`
	ExpectedConfirmed *bool      `bun:"expected_confirmed,scanonly" json:"expected_confirmed,omitempty"`
}

// AmountCents is quantity times unit price, excluding VAT.
func (l *Line) AmountCents() int64 { return int64(l.Quantity) * l.UnitPriceCents }

// BackOrdered is the part of the line still waiting for goods.
func (l *Line) BackOrdered() int {
	if l.Reserved == nil || l.Cancelled {
		return 0
	}
	return l.Quantity - *l.Reserved
}

// ShippingVATRate is the VAT rate of shipping costs.
const ShippingVATRate = 21

// Totals are an order's amounts.
type Totals struct {
	ExclCents int64
	VATCents  int64
	InclCents int64
	// PerRate is the VAT base and amount per rate.
	PerRate map[int][2]int64
}

// ComputeTotals adds up the lines that are not cancelled and the shipping
// cost. VAT is computed per rate over the sum of the amounts at that rate,
// rounded half up to the cent (the invoice-level rounding Dutch invoices
// use); with reverse charge or export it is 0.
func ComputeTotals(lines []Line, shippingCents int64, vatMode string) Totals {
	t := Totals{PerRate: map[int][2]int64{}}
	add := func(rate int, amount int64) {
		r := t.PerRate[rate]
		r[0] += amount
		t.PerRate[rate] = r
		t.ExclCents += amount
	}
	for i := range lines {
		if !lines[i].Cancelled {
			add(lines[i].VATRate, lines[i].AmountCents())
		}
	}
	if shippingCents > 0 {
		add(ShippingVATRate, shippingCents)
	}
	for rate, r := range t.PerRate {
		if vatMode == VATDomestic {
			r[1] = (r[0]*int64(rate) + 50) / 100
		}
		t.PerRate[rate] = r
		t.VATCents += r[1]
	}
	t.InclCents = t.ExclCents + t.VATCents
	return t
}

// euMembers are the EU member states by ISO code.
var euMembers = map[string]bool{"AT": true, "BE": true, "BG": true, "CY": true, "CZ": true, "DE": true, "DK": true, "EE": true,
	"ES": true, "FI": true, "FR": true, "GR": true, "HR": true, "HU": true, "IE": true, "IT": true, "LT": true, "LU": true,
	"LV": true, "MT": true, "NL": true, "PL": true, "PT": true, "RO": true, "SE": true, "SI": true, "SK": true}

// VATModeFor returns the VAT treatment of goods delivered to country for a
// customer: Dutch VAT at home; reverse charge to another EU state with a
// VAT id there; 0 % export outside the EU.
func VATModeFor(c *customers.Company, country string) string {
	switch {
	case country == "" || country == "NL":
		return VATDomestic
	case euMembers[country]:
		if c.VATID != "" && len(c.VATID) > 2 && c.VATID[:2] != "NL" {
			return VATReverseCharge
		}
		return VATDomestic
	}
	return VATExport
}

// What of an order has shipped, and how its shipped goods are invoiced.
const (
	ShipNone      = "none"
	ShipPartly    = "partly"
	ShipAll       = "all"
	InvoiceNone   = "none"
	InvoiceDraft  = "draft"
	InvoiceIssued = "issued"
)

// ShipStateOf is what of the live lines has shipped.
func ShipStateOf(lines []Line) string {
	some, all := false, true
	for i := range lines {
		l := &lines[i]
		if l.Shipped > 0 {
			some = true
		}
		if !l.Cancelled && l.Shipped < l.Quantity {
			all = false
		}
	}
	switch {
	case some && all:
		return ShipAll
	case some:
		return ShipPartly
	}
	return ShipNone
}

// DeriveStatus is the status an order's state, credit hold, confirmation,
// payments, shipments and invoices give.
func DeriveStatus(o *Order) Status {
	switch {
	case o.State == StateDraft:
		return StatusDraft
	case o.State == StateCancelled:
		return StatusCancelled
	case o.ShipState == ShipAll && o.InvoiceState == InvoiceIssued:
		return StatusInvoiced
	case o.ShipState == ShipAll:
		return StatusShipped
	case o.CreditHold == HoldHeld:
		return StatusAwaitingCredit
	case o.Prepayment && o.PaidCents < o.TotalInclCents:
		return StatusAwaitingPayment
	case !o.Prepayment && !o.Confirmed():
		return StatusAwaitingConfirmation
	case o.ShipState == ShipPartly:
		return StatusPartlyShipped
	}
	return StatusReleased
}

// Shippable tells whether the warehouse may ship goods of the order: placed,
// not held, confirmed by a credit customer or paid by a prepayment one,
// and not all shipped.
func (o *Order) Shippable() bool {
	switch o.DeriveReleaseStatus() {
	case StatusReleased, StatusPartlyShipped:
		return true
	}
	return false
}

// DeriveReleaseStatus is DeriveStatus without the shipped and invoiced
// states: what the order waits for before (more of) it may ship.
func (o *Order) DeriveReleaseStatus() Status {
	if o.ShipState == ShipAll {
		return StatusShipped
	}
	return DeriveStatus(o)
}

// Confirmed tells whether the customer confirmed the order at its current total or more.
func (o *Order) Confirmed() bool {
	return o.ConfirmedAt != nil && o.ConfirmedTotalCents != nil && *o.ConfirmedTotalCents >= o.TotalInclCents
}

// Released tells whether the warehouse may ship the order.
func (o *Order) Released() bool { return DeriveStatus(o) == StatusReleased }

// Amendable tells whether lines, address or shipping may still change:
// until goods of the order are on an issued invoice. (Goods on a draft
// whose cutoff has passed are refused by the service, which knows the
// calendar.) A replacement of returned goods never changes: it is what
// the return settled.
func (o *Order) Amendable() bool {
	return (o.State == StateDraft || o.State == StatePlaced) && o.FirstInvoicedAt == nil && !o.Replacement()
}

// Cancellable tells whether the whole order may be cancelled: while
// nothing of it has shipped (shipped goods come back as a return; its
// unshipped lines can still be cancelled one by one). A replacement of
// returned goods is not cancelled: it is how its return was settled.
func (o *Order) Cancellable() bool {
	return (o.State == StateDraft || o.State == StatePlaced) && o.ShipState == ShipNone && !o.Replacement()
}

// PaymentReference makes the reference a prepayment customer pays with: the
// order number with two mod-97 check digits, so typing errors are caught.
func PaymentReference(orderID int64) string {
	n := orderID % 1_000_000_000
	check := 98 - (n*100)%97
	return "WS" + pad(n, 9) + pad(check, 2)
}

func pad(n int64, width int) string {
	s := ""
	for i := 0; i < width; i++ {
		s = string(rune('0'+n%10)) + s
		n /= 10
	}
	return s
}
