package stock

import (
	"fmt"
	"strings"
	"time"
	"wholesale/internal/i18n"

	"wholesale/internal/apperr"
	"wholesale/internal/validate"
)

// Bounds of supplier orders and deliveries.
const (
	// SupplierReferenceMax is the longest reference of a supplier order:
	// the supplier's order number, as long as a PO reference in EDI.
	SupplierReferenceMax = validate.POReferenceMax
	// SupplyLinesMax is the most lines one supplier order or delivery has.
	SupplyLinesMax = 5000
	// skuMax is the longest SKU (the products table holds the same bound).
	skuMax = 40
)

// SupplyLineInput is one line of a new supplier order: a product by ID, or
// by SKU when ProductID is 0.
type SupplyLineInput struct {
	ProductID int64
	SKU       string
	Quantity  int
}

// SupplierOrderInput is a new supplier order.
type SupplierOrderInput struct {
	Supplier      string
	Reference     string
	ExpectedDate  time.Time
	DateConfirmed bool
	Lines         []SupplyLineInput
}

// Validate normalises the input and returns a message per wrong field: the
// supplier a required line of at most validate.NameMax characters, the
// reference at most SupplierReferenceMax, the date within
// validate.MinYear..MaxYear, 1 to SupplyLinesMax lines of 1 to
// validate.QuantityMax pieces each.
func (in *SupplierOrderInput) Validate() apperr.FieldErrors {
	fe := apperr.FieldErrors{}
	in.Supplier, in.Reference = strings.TrimSpace(in.Supplier), strings.TrimSpace(in.Reference)
	if in.Supplier == "" {
		fe.Add("supplier", i18n.M("Enter the supplier."))
	}
	validate.Line(fe, "supplier", in.Supplier, validate.NameMax)
	validate.Line(fe, "reference", in.Reference, SupplierReferenceMax)
	switch y := in.ExpectedDate.Year(); {
	case in.ExpectedDate.IsZero():
		fe.Add("expected_date", i18n.M("Enter the expected delivery date."))
	case y < validate.MinYear || y > validate.MaxYear:
		fe.Add("expected_date", i18n.M("Enter a date from %d to %d.", validate.MinYear, validate.MaxYear))
	}
	switch {
	case len(in.Lines) == 0:
		fe.Add("lines", i18n.M("Add at least one line."))
	case len(in.Lines) > SupplyLinesMax:
		fe.Add("lines", i18n.M("A supplier order has at most %s lines.", i18n.Num(SupplyLinesMax)))
	}
	for i := range in.Lines {
		l := &in.Lines[i]
		l.SKU = validate.Upper(strings.TrimSpace(l.SKU))
		if l.ProductID <= 0 && (l.SKU == "" || !validate.Line(apperr.FieldErrors{}, "sku", l.SKU, skuMax)) {
			fe.Add("lines", i18n.M("Line %d: enter the SKU.", i+1))
		}
		if msg := validate.CheckQuantity(l.Quantity, 0); !msg.IsZero() {
			fe.Add("lines", i18n.M("Line %d: %s", i+1, msg))
		}
	}
	return fe
}

// SupplierOrderForm is the new supplier order form as typed: the lines are
// "SKU quantity", one per line.
type SupplierOrderForm struct {
	Supplier, Reference, ExpectedDate, Lines string
	DateConfirmed                            bool
}

// Input reads the form into a SupplierOrderInput and returns it with a
// message per wrong field: the reading's own, else its Validate's.
func (f SupplierOrderForm) Input() (SupplierOrderInput, apperr.FieldErrors) {
	in := SupplierOrderInput{Supplier: f.Supplier, Reference: f.Reference, DateConfirmed: f.DateConfirmed}
	fe := apperr.FieldErrors{}
	if strings.TrimSpace(f.ExpectedDate) != "" {
		var msg i18n.Message
		if in.ExpectedDate, msg = validate.ParseDate(f.ExpectedDate); !msg.IsZero() {
			fe.Add("expected_date", msg)
		}
	}
	var msg i18n.Message
	if in.Lines, msg = ParseSupplyLines(f.Lines); !msg.IsZero() {
		fe.Add("lines", msg)
	}
	for k, v := range in.Validate() {
		fe.Add(k, v) // a field with a message from the reading keeps it
	}
	return in, fe
}

// ParseSupplyLines reads "SKU quantity" lines, one per line (a comma may
// stand for the space; empty lines are skipped). It returns the lines by SKU
// and a message naming the first wrong line, or "".
func ParseSupplyLines(text string) ([]SupplyLineInput, i18n.Message) {
	if msg := validate.CheckText(text, SupplyLinesMax*(skuMax+10)); !msg.IsZero() {
		return nil, msg
	}
	var out []SupplyLineInput
	for i, line := range strings.Split(text, "\n") {
		f := strings.Fields(strings.ReplaceAll(line, ",", " "))
		if len(f) == 0 {
			continue
		}
		if len(out) == SupplyLinesMax {
			return nil, i18n.M("A supplier order has at most %s lines.", i18n.Num(SupplyLinesMax))
		}
		if len(f) != 2 {
			return nil, i18n.M("Line %d: write the SKU and the quantity, e.g. KR-100 24.", i+1)
		}
		if len(f[0]) > skuMax {
			return nil, i18n.M("Line %d: a SKU has at most %d characters.", i+1, skuMax)
		}
		q, msg := validate.ParseWhole(f[1])
		if msg.IsZero() {
			msg = validate.CheckQuantity(q, 0)
		}
		if !msg.IsZero() {
			return nil, i18n.M("Line %d: %s", i+1, msg)
		}
		out = append(out, SupplyLineInput{SKU: validate.Upper(f[0]), Quantity: q})
	}
	return out, i18n.Message{}
}

// Validate checks a delivery: 1 to SupplyLinesMax lines, each a line of the
// order with 0 (nothing arrived) to validate.QuantityMax pieces. Whether the
// pieces were ordered is Receive's to say.
func (r *Receipt) Validate() apperr.FieldErrors {
	fe := apperr.FieldErrors{}
	if len(r.Lines) > SupplyLinesMax {
		fe.Add("lines", i18n.M("A delivery has at most %s lines.", i18n.Num(SupplyLinesMax)))
		return fe
	}
	for _, l := range r.Lines {
		field := fmt.Sprintf("line_%d", l.LineID)
		switch {
		case l.LineID <= 0:
			fe.Add("lines", i18n.M("A line of this delivery is not on the supplier order."))
		case l.Quantity < 0:
			fe.Add(field, i18n.M("A quantity cannot be negative."))
		case l.Quantity > validate.QuantityMax:
			fe.Add(field, i18n.M("Enter at most %s.", i18n.Num(validate.QuantityMax)))
		}
	}
	return fe
}

// CheckConfirmedDate says what is wrong with a date a supplier confirmed, or "".
func CheckConfirmedDate(d time.Time) i18n.Message {
	if y := d.Year(); y < validate.MinYear || y > validate.MaxYear {
		return i18n.M("Enter a date from %d to %d.", validate.MinYear, validate.MaxYear)
	}
	return i18n.Message{}
}
