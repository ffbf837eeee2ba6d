// Package returns holds returns of goods that arrived dead (DOA): the
// return form for one shipped line, the 45-day window from receipt, the
// RA number with its shipping instructions, the parcel received and each
// unit tested by the warehouse, and the settlement by the account manager
// with a replacement order or a credit note. A defect that is no DOA, or
// comes after the window, is referred to the brand's authorised service
// centre.
package returns

import (
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/catalog"
	"wholesale/internal/i18n"
)

// WindowDays is how long after receipt a DOA may be returned (seed 004).
const WindowDays = 45

// ReceiptWorkingDays is how many working days after its ship date a
// shipment counts as received when no delivery date was recorded.
const ReceiptWorkingDays = 2

// DefaultArriveDays is how many days after approval the parcel must have
// arrived, unless the admins set otherwise (settings.ra_arrive_days).
const DefaultArriveDays = 14

// State is where a return stands.
type State string

// The states of a return. Requested, approved, received and tested are
// open; the others are closed.
const (
	StateRequested State = "requested"
	StateApproved  State = "approved"
	StateReceived  State = "received"
	StateTested    State = "tested"
	StateSettled   State = "settled"
	StateReferred  State = "referred"
	StateRejected  State = "rejected"
	StateCancelled State = "cancelled"
)

// States lists the states in the order of a return's life.
var States = []State{StateRequested, StateApproved, StateReceived, StateTested, StateSettled,
	StateReferred, StateRejected, StateCancelled}

// WarehouseStates are the states of a return with an RA number, the only
// ones the warehouse sees (Filter.Warehouse): requested, referred and
// rejected returns never had one.
var WarehouseStates = []State{StateApproved, StateReceived, StateTested, StateSettled, StateCancelled}

// OpenStates are the states that still wait for someone.
var OpenStates = []State{StateRequested, StateApproved, StateReceived, StateTested}

// Open tells whether the return waits for someone.
func (s State) Open() bool {
	switch s {
	case StateRequested, StateApproved, StateReceived, StateTested:
		return true
	}
	return false
}

// Label names a state for people.
func (s State) Label() i18n.Message {
	switch s {
	case StateRequested:
		return i18n.M("waiting for approval")
	case StateApproved:
		return i18n.M("RA issued, parcel on its way")
	case StateReceived:
		return i18n.M("received, being tested")
	case StateTested:
		return i18n.M("tested, to be settled")
	case StateSettled:
		return i18n.M("settled")
	case StateReferred:
		return i18n.M("referred to the service centre")
	case StateRejected:
		return i18n.M("rejected")
	case StateCancelled:
		return i18n.M("cancelled")
	}
	return i18n.Raw(string(s))
}

// Remedies: what the customer gets for a unit whose fault is confirmed.
const (
	RemedyReplacement = "replacement"
	RemedyCreditNote  = "credit_note"
)

// RemedyLabel names a remedy for people.
func RemedyLabel(r string) i18n.Message {
	switch r {
	case RemedyReplacement:
		return i18n.M("a replacement unit")
	case RemedyCreditNote:
		return i18n.M("a credit note")
	}
	return i18n.Raw(r)
}

// Results of the test of a unit.
const (
	ResultFaultConfirmed = "fault_confirmed"
	ResultNoFaultFound   = "no_fault_found"
	ResultDamaged        = "damaged_by_customer"
)

// Results lists the test results.
var Results = []string{ResultFaultConfirmed, ResultNoFaultFound, ResultDamaged}

// ResultLabel names a test result for people.
func ResultLabel(r string) i18n.Message {
	switch r {
	case ResultFaultConfirmed:
		return i18n.M("fault confirmed")
	case ResultNoFaultFound:
		return i18n.M("no fault found")
	case ResultDamaged:
		return i18n.M("damaged by the customer")
	}
	return i18n.Raw(r)
}

// Settlements of a return: the remedy for confirmed faults, or the units
// sent back when no fault was confirmed.
const (
	SettledReplacement = "replacement"
	SettledCreditNote  = "credit_note"
	SettledSentBack    = "sent_back"
)

// SettlementLabel names a settlement for people.
func SettlementLabel(s string) i18n.Message {
	switch s {
	case SettledReplacement:
		return i18n.M("replacement order placed")
	case SettledCreditNote:
		return i18n.M("credit note issued")
	case SettledSentBack:
		return i18n.M("units sent back to the customer")
	}
	return i18n.Raw(s)
}

// What happens to units tested good (no fault found).
const (
	GoodSentBack  = "sent_back"
	GoodRestocked = "restocked"
)

// Dispositions: where a unit went when its return was settled.
const (
	ToStock      = "stock"
	ToQuarantine = "quarantine"
	ToCustomer   = "customer"
)

// DispositionLabel names where a unit went.
func DispositionLabel(d string) i18n.Message {
	switch d {
	case ToStock:
		return i18n.M("back into stock")
	case ToQuarantine:
		return i18n.M("quarantine")
	case ToCustomer:
		return i18n.M("back to the customer")
	}
	return i18n.Raw(d)
}

// Why a return has no RA.
const (
	ClosedNotDOA         = "not_doa"
	ClosedWindow         = "window"
	ClosedNotReturnable  = "not_returnable"
	ClosedRejected       = "rejected"
	ClosedCancelled      = "cancelled"
	receivedDelivered    = "delivered"
	receivedShippedPlus2 = "shipped_plus_2"
)

// ClosedLabel says why a return has no RA.
func ClosedLabel(reason string, windowEnds time.Time) i18n.Message {
	switch reason {
	case ClosedNotDOA:
		return i18n.M("The unit was not dead on arrival: a defect under warranty is repaired by the brand's authorised service centre.")
	case ClosedWindow:
		return i18n.M("The DOA window ended on %s: a defect under warranty is repaired by the brand's authorised service centre.", i18n.D(windowEnds))
	case ClosedNotReturnable:
		return i18n.M("This product is not returned to us: the brand's authorised service centre handles its defects.")
	case ClosedRejected:
		return i18n.M("The account manager turned the return down.")
	case ClosedCancelled:
		return i18n.M("The return was cancelled.")
	}
	return i18n.Message{}
}

// Return is a return asked for one line of one shipment.
type Return struct {
	bun.BaseModel `bun:"table:returns,alias:r"`

	ID           int64     `bun:"id,pk,autoincrement" json:"id"`
	CompanyID    int64     `bun:"company_id" json:"company_id"`
	OrderID      int64     `bun:"order_id" json:"order_id"`
	OrderLineID  int64     `bun:"order_line_id" json:"order_line_id"`
	ShipmentID   int64     `bun:"shipment_id" json:"shipment_id"`
	ProductID    int64     `bun:"product_id" json:"-"`
	Quantity     int       `bun:"quantity" json:"quantity"`
	Serials      string    `bun:"serials" json:"serials,omitempty"`
	Fault        string    `bun:"fault" json:"fault"`
	DOA          bool      `bun:"doa" json:"dead_on_arrival"`
	Remedy       string    `bun:"remedy" json:"remedy"`
	ReceivedOn   time.Time `bun:"received_on,type:date" json:"received_on"`
	ReceivedRule string    `bun:"received_rule" json:"received_rule"`
	WindowEnds   time.Time `bun:"window_ends,type:date" json:"window_ends"`
	State        State     `bun:"state" json:"state"`
	ClosedReason string    `bun:"closed_reason" json:"closed_reason,omitempty"`
	ClosedNote   string    `bun:"closed_note" json:"closed_note,omitempty"`
	// ServiceCentre is the brand's centre a referred return was sent to,
	// as it was then.
	ServiceCentre    *catalog.ServiceCentre `bun:"service_centre,type:jsonb" json:"service_centre,omitempty"`
	RANumber         *string                `bun:"ra_number" json:"ra_number,omitempty"`
	RAYear           *int                   `bun:"ra_year" json:"-"`
	RASeq            *int                   `bun:"ra_seq" json:"-"`
	ArriveBy         *time.Time             `bun:"arrive_by,type:date" json:"arrive_by,omitempty"`
	ApprovedBy       *int64                 `bun:"approved_by" json:"-"`
	ApprovedAt       *time.Time             `bun:"approved_at" json:"approved_at,omitempty"`
	ParcelReceivedAt *time.Time             `bun:"parcel_received_at" json:"parcel_received_at,omitempty"`
	ParcelReceivedBy *int64                 `bun:"parcel_received_by" json:"-"`
	TestedAt         *time.Time             `bun:"tested_at" json:"tested_at,omitempty"`
	Settlement       *string                `bun:"settlement" json:"settlement,omitempty"`
	GoodUnits        *string                `bun:"good_units" json:"good_units,omitempty"`
	SettleNote       string                 `bun:"settle_note" json:"settle_note,omitempty"`
	ReplacementID    *int64                 `bun:"replacement_order_id" json:"replacement_order_id,omitempty"`
	CreditNoteID     *int64                 `bun:"credit_note_id" json:"-"`
	SettledBy        *int64                 `bun:"settled_by" json:"-"`
	SettledAt        *time.Time             `bun:"settled_at" json:"settled_at,omitempty"`
	BackCarrier      *string                `bun:"back_carrier" json:"back_carrier,omitempty"`
	BackTracking     string                 `bun:"back_tracking" json:"back_tracking,omitempty"`
	BackTrackingURL  string                 `bun:"back_tracking_url" json:"back_tracking_url,omitempty"`
	SentBackAt       *time.Time             `bun:"sent_back_at" json:"sent_back_at,omitempty"`
	SentBackBy       *int64                 `bun:"sent_back_by" json:"-"`
	// SendsBack tells that some units go back to the customer, from when
	// the return is settled (dispose): the warehouse's queue reads it.
	SendsBack bool      `bun:"sends_back" json:"-"`
	CreatedBy int64     `bun:"created_by" json:"-"`
	CreatedAt time.Time `bun:"created_at" json:"created_at"`
	UpdatedAt time.Time `bun:"updated_at" json:"updated_at"`

	// Read with the return (scanonly).
	CompanyName      string  `bun:"company_name,scanonly" json:"company_name"`
	CompanyManagerID *int64  `bun:"company_manager_id,scanonly" json:"-"`
	POReference      string  `bun:"po_reference,scanonly" json:"po_reference"`
	SKU              string  `bun:"sku,scanonly" json:"sku"`
	ProductName      string  `bun:"product_name,scanonly" json:"product_name"`
	Brand            string  `bun:"brand,scanonly" json:"brand"`
	CreditNote       *string `bun:"credit_note_number,scanonly" json:"credit_note,omitempty"`
	CreatedByName    string  `bun:"created_by_name,scanonly" json:"-"`

	Units []Unit `bun:"-" json:"units,omitempty"`
}

// Unit is one unit of a return that arrived, with its test.
type Unit struct {
	bun.BaseModel `bun:"table:return_units,alias:u"`

	ReturnID    int64      `bun:"return_id,pk" json:"-"`
	UnitNo      int        `bun:"unit_no,pk" json:"unit_no"`
	Serial      string     `bun:"serial" json:"serial,omitempty"`
	Result      *string    `bun:"result" json:"result,omitempty"`
	Note        string     `bun:"note" json:"note,omitempty"`
	TestedBy    *int64     `bun:"tested_by" json:"-"`
	TestedAt    *time.Time `bun:"tested_at" json:"tested_at,omitempty"`
	Disposition *string    `bun:"disposition" json:"disposition,omitempty"`
}

// ToSendBack is how many units of a settled return wait to go back to
// the customer: 0 once they were sent.
func (r *Return) ToSendBack() int {
	if r.State != StateSettled || r.SentBackAt != nil {
		return 0
	}
	n := 0
	for _, u := range r.Units {
		if u.Disposition != nil && *u.Disposition == ToCustomer {
			n++
		}
	}
	return n
}

// ResultOr is the unit's result, or "".
func (u *Unit) ResultOr() string {
	if u.Result == nil {
		return ""
	}
	return *u.Result
}

// RA is the return's RA number, or "".
func (r *Return) RA() string {
	if r.RANumber == nil {
		return ""
	}
	return *r.RANumber
}

// Ref is how people name the return: its RA number once it has one, else
// "return 12".
func (r *Return) Ref() i18n.Message {
	if r.RANumber != nil {
		return i18n.Raw(*r.RANumber)
	}
	return i18n.M("return %d", r.ID)
}

// Expired tells whether an approved return's parcel is late on day (the
// warehouse's date in Amsterdam): it no longer has a valid RA.
func (r *Return) Expired(day time.Time) bool {
	return r.State == StateApproved && r.ArriveBy != nil && day.After(*r.ArriveBy)
}

// StatusLabel is the state as lists show it, "RA expired" for a parcel
// that did not arrive in time.
func (r *Return) StatusLabel(day time.Time) i18n.Message {
	if r.Expired(day) {
		return i18n.M("RA expired: the parcel did not arrive by %s", i18n.D(*r.ArriveBy))
	}
	return r.State.Label()
}

// Counts are how many units had each result.
type Counts struct{ Confirmed, NoFault, Damaged, Untested int }

// CountResults counts the units by result.
func CountResults(units []Unit) Counts {
	var c Counts
	for _, u := range units {
		switch u.ResultOr() {
		case ResultFaultConfirmed:
			c.Confirmed++
		case ResultNoFaultFound:
			c.NoFault++
		case ResultDamaged:
			c.Damaged++
		default:
			c.Untested++
		}
	}
	return c
}

// ReceiptOf is the day the customer received a shipment, and the rule
// that gave it: the delivered date when recorded, else the ship date plus
// ReceiptWorkingDays working days.
func ReceiptOf(shippedOn time.Time, deliveredOn *time.Time, cal Calendar) (time.Time, string) {
	if deliveredOn != nil {
		return *deliveredOn, receivedDelivered
	}
	return cal.AddWorkingDays(shippedOn, ReceiptWorkingDays), receivedShippedPlus2
}

// ReceiptRuleLabel states how the receipt date was found.
func ReceiptRuleLabel(rule string) i18n.Message {
	if rule == receivedDelivered {
		return i18n.M("the delivery date the carrier reported")
	}
	return i18n.M("no delivery date known: the ship date plus %d working days", ReceiptWorkingDays)
}

// WindowEnd is the last day a DOA received on receivedOn may be reported:
// 45 days after receipt, or the next working day when that is a Saturday,
// Sunday or public holiday.
func WindowEnd(receivedOn time.Time, cal Calendar) time.Time {
	return cal.DeadlineAfter(receivedOn, WindowDays)
}

// Calendar is what returns ask of the working-day calendar
// (calendar.Calendar).
type Calendar interface {
	AddWorkingDays(day time.Time, n int) time.Time
	DeadlineAfter(day time.Time, n int) time.Time
}

// Eligibility is whether a return gets an RA, or why not.
func Eligibility(doa, returnable bool, today, windowEnds time.Time) string {
	switch {
	case !returnable:
		return ClosedNotReturnable
	case !doa:
		return ClosedNotDOA
	case today.After(windowEnds):
		return ClosedWindow
	}
	return ""
}

// FormatRA makes the RA number of seq in year: RA-2026-000123.
func FormatRA(year, seq int) string { return fmt.Sprintf("RA-%04d-%06d", year, seq) }
