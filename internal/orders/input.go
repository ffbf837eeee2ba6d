package orders

import (
	"strconv"
	"strings"

	"wholesale/internal/apperr"
	"wholesale/internal/i18n"
	"wholesale/internal/validate"
)

// MaxLines is the most lines an order takes in one go.
const MaxLines = 500

// SKUMax is the longest SKU a line takes.
const SKUMax = 40

// LineInput is one line as typed: a new line by SKU, or (in an amendment)
// an existing line by ID, whose quantity 0 removes it.
type LineInput struct {
	ID       int64  `json:"id,omitempty"`
	SKU      string `json:"sku,omitempty"`
	Quantity int    `json:"quantity"`
	// QuantityText is the quantity as typed in a form; when it is set,
	// Validate reads Quantity from it.
	QuantityText string `json:"-"`
}

// Input is a new order.
type Input struct {
	CompanyID      int64       `json:"company_id"`
	POReference    string      `json:"po_reference"`
	Lines          []LineInput `json:"lines"`
	Address        string      `json:"address"` // "visiting" or "invoice": one of the customer's addresses
	ShipComplete   bool        `json:"ship_complete"`
	ShippingMethod string      `json:"shipping_method"`
	Shipping       string      `json:"shipping"` // euros, e.g. "12,50"
	Note           string      `json:"note"`
}

// AmendInput is an amendment. Lines lists the lines that change: an
// existing line by ID with its new quantity (0 removes it), or a new line
// by SKU; lines not listed stay as they are. A field left nil stays as it
// is too.
type AmendInput struct {
	Lines          []LineInput `json:"lines,omitempty"`
	Address        *string     `json:"address,omitempty"`
	ShipComplete   *bool       `json:"ship_complete,omitempty"`
	ShippingMethod *string     `json:"shipping_method,omitempty"`
	Shipping       *string     `json:"shipping,omitempty"`
	Note           *string     `json:"note,omitempty"`
}

// ShippingMethods are the shipping methods offered, as orders store them.
var ShippingMethods = []string{"UPS", "UPS Express", "Pallet (freight)", "Collect"}

// ShippingMethodLabel names a shipping method for people.
func ShippingMethodLabel(method string) i18n.Message {
	switch method {
	case "Pallet (freight)":
		return i18n.M("Pallet (freight)")
	case "Collect":
		return i18n.M("Collect")
	}
	return i18n.Raw(method) // UPS and UPS Express are names
}

// Validate normalises the new order and bounds every field; it returns the
// shipping cost in cents and Invalid with a message per field. Lines are
// checked as typed here; whether their SKUs exist and their products'
// maxima are checked when the order is entered.
func (in *Input) Validate() (int64, error) {
	fe := apperr.FieldErrors{}
	shipping := in.validate(fe)
	return shipping, fe.Err()
}

func (in *Input) validate(fe apperr.FieldErrors) int64 {
	in.POReference = strings.TrimSpace(in.POReference)
	if in.POReference == "" {
		fe.Add("po_reference", i18n.M("Enter the customer's PO reference."))
	} else {
		validate.Line(fe, "po_reference", in.POReference, validate.POReferenceMax)
	}
	if in.CompanyID <= 0 {
		fe.Add("company_id", i18n.M("Choose the customer."))
	}
	if in.Address == "" {
		in.Address = "visiting"
	}
	if in.ShippingMethod == "" {
		in.ShippingMethod = "UPS"
	}
	shipping := validateTerms(fe, &in.Address, &in.ShippingMethod, &in.Shipping, &in.Note)
	live := 0
	if len(in.Lines) > MaxLines {
		fe.Add("lines", i18n.M("An order takes at most %d lines at a time.", MaxLines))
		return shipping
	}
	for i := range in.Lines {
		l := &in.Lines[i]
		if l.ID != 0 {
			fe.Add(lineField(i), i18n.M("A new order's lines have no id: give the SKU and the quantity."))
			continue
		}
		if validateLine(fe, i, l, 1) {
			live++
		}
	}
	if live == 0 {
		fe.Add("lines", i18n.M("Add at least one line."))
	}
	return shipping
}

// Validate normalises the amendment and bounds every field it carries; it
// returns the shipping cost in cents (when given) and Invalid with a
// message per field.
func (in *AmendInput) Validate() (int64, error) {
	fe := apperr.FieldErrors{}
	shipping := validateTerms(fe, in.Address, in.ShippingMethod, in.Shipping, in.Note)
	if len(in.Lines) > MaxLines {
		fe.Add("lines", i18n.M("An order takes at most %d lines at a time.", MaxLines))
		return shipping, fe.Err()
	}
	seen := map[int64]int{}
	for i := range in.Lines {
		l := &in.Lines[i]
		switch {
		case l.ID < 0:
			fe.Add(lineField(i), i18n.M("This line is not on the order."))
		case l.ID > 0:
			if first, dup := seen[l.ID]; dup {
				fe.Add(lineField(i), i18n.M("This line is changed in row %d already.", first+1))
				continue
			}
			seen[l.ID] = i
			if l.SKU = strings.TrimSpace(l.SKU); l.SKU != "" {
				l.SKU = strings.ToUpper(l.SKU)
			}
			validateLine(fe, i, l, 0)
		default:
			validateLine(fe, i, l, 1)
		}
	}
	return shipping, fe.Err()
}

// validateLine reads and bounds one line; least is 0 where 0 removes an
// existing line. It reports whether the line asks for something.
func validateLine(fe apperr.FieldErrors, i int, l *LineInput, least int) bool {
	field := lineField(i)
	if l.ID == 0 {
		l.SKU = strings.ToUpper(strings.TrimSpace(l.SKU))
		if l.SKU == "" && strings.TrimSpace(l.QuantityText) == "" && l.Quantity == 0 {
			return false // an empty row of the form
		}
		if l.SKU == "" {
			fe.Add(field, i18n.M("Enter the SKU."))
			return false
		}
		if !validate.Line(fe, field, l.SKU, SKUMax) {
			return false
		}
	}
	if l.QuantityText != "" {
		q, msg := validate.ParseWhole(l.QuantityText)
		if !msg.IsZero() {
			fe.Add(field, msg)
			return false
		}
		l.Quantity = q
	}
	if least == 0 && l.Quantity == 0 {
		return false
	}
	return validate.Quantity(fe, field, l.Quantity, 0)
}

// validateTerms normalises and bounds the delivery and shipping fields an
// input carries (nil: not given) and returns the shipping cost in cents.
func validateTerms(fe apperr.FieldErrors, address, method, shipping, note *string) int64 {
	if address != nil && *address != "visiting" && *address != "invoice" {
		fe.Add("address", i18n.M("Choose one of the customer's addresses."))
	}
	if method != nil {
		*method = strings.TrimSpace(*method)
		ok := false
		for _, m := range ShippingMethods {
			ok = ok || m == *method
		}
		if !ok {
			fe.Add("shipping_method", i18n.M("Choose a shipping method."))
		}
	}
	var cents int64
	if shipping != nil {
		if s := strings.TrimSpace(*shipping); s != "" {
			cents, _ = validate.Money(fe, "shipping", s)
		}
	}
	if note != nil {
		*note = strings.TrimSpace(*note)
		validate.Text(fe, "note", *note, validate.NoteMax)
	}
	return cents
}

// reason checks a reason or note that must be given: one to NoteMax
// characters of text. Returns Invalid with msg when it is empty.
func reason(field, s string, msg i18n.Message) (string, error) {
	s = strings.TrimSpace(s)
	fe := apperr.FieldErrors{}
	if s == "" {
		fe.Add(field, msg)
	}
	validate.Text(fe, field, s, validate.NoteMax)
	return s, fe.Err()
}

func lineField(i int) string { return "line_" + strconv.Itoa(i) }
