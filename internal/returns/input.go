package returns

import (
	"strconv"
	"strings"

	"wholesale/internal/apperr"
	"wholesale/internal/i18n"
	"wholesale/internal/validate"
)

// Bounds of what a return form takes.
const (
	// MaxQuantity is the most units one return takes (the column's bound).
	MaxQuantity = 10_000
	// SerialMax bounds one serial number; SerialsMax all of them.
	SerialMax  = 100
	SerialsMax = 2000
	// RAMax bounds an RA number as typed (RA-2026-000123 and room).
	RAMax = 30
	// MaxUnits is the most units one test form takes.
	MaxUnits = MaxQuantity
)

// RequestInput is a return form: which shipped line, how many units,
// their serial numbers where known, the fault, and whether the units were
// dead on arrival. A customer's user asks for its own company; an account
// manager for one of its customers (CompanyID).
type RequestInput struct {
	CompanyID int64 `json:"company_id,omitempty" form:"customer"`
	// Line names the shipped line in a form: "<shipment id>-<order line id>".
	Line        string `json:"-" form:"line"`
	ShipmentID  int64  `json:"shipment_id" form:"-"`
	OrderLineID int64  `json:"order_line_id" form:"-"`
	Quantity    int    `json:"quantity" form:"-"`
	// QuantityText is the quantity as typed; when set, Validate reads
	// Quantity from it.
	QuantityText string `json:"-" form:"quantity"`
	Serials      string `json:"serials" form:"serials"`
	Fault        string `json:"fault" form:"fault"`
	DOA          bool   `json:"dead_on_arrival" form:"doa"`
	// Remedy is what the customer would like for a confirmed fault:
	// "replacement" (the default) or "credit_note".
	Remedy string `json:"remedy" form:"remedy"`
}

// LineValue is how a form names a shipped line (RequestInput.Line).
func LineValue(shipmentID, orderLineID int64) string {
	return strconv.FormatInt(shipmentID, 10) + "-" + strconv.FormatInt(orderLineID, 10)
}

// Validate normalises the form and bounds every field. Returns Invalid
// with a message per field.
func (in *RequestInput) Validate() error {
	fe := apperr.FieldErrors{}
	if in.Line != "" {
		s, l, ok := strings.Cut(in.Line, "-")
		sid, err1 := strconv.ParseInt(s, 10, 64)
		lid, err2 := strconv.ParseInt(l, 10, 64)
		if !ok || err1 != nil || err2 != nil || len(in.Line) > 41 {
			fe.Add("line", i18n.M("Choose the shipped line the return concerns."))
		} else {
			in.ShipmentID, in.OrderLineID = sid, lid
		}
	}
	if _, bad := fe["line"]; !bad && (in.ShipmentID <= 0 || in.OrderLineID <= 0) {
		fe.Add("line", i18n.M("Choose the shipped line the return concerns."))
	}
	if in.QuantityText != "" || in.Quantity == 0 {
		n, msg := validate.ParseWhole(in.QuantityText)
		if msg.IsZero() {
			in.Quantity = n
		} else {
			fe.Add("quantity", msg)
		}
	}
	if _, bad := fe["quantity"]; !bad && (in.Quantity < 1 || in.Quantity > MaxQuantity) {
		fe.Add("quantity", i18n.M("Enter a quantity from 1 to %s.", i18n.Num(MaxQuantity)))
	}
	in.Serials = strings.TrimSpace(in.Serials)
	if validate.Text(fe, "serials", in.Serials, SerialsMax) {
		serials := SplitSerials(in.Serials)
		for _, s := range serials {
			if len([]rune(s)) > SerialMax {
				fe.Add("serials", i18n.M("A serial number has at most %d characters.", SerialMax))
				break
			}
		}
		if _, bad := fe["quantity"]; !bad && len(serials) > in.Quantity {
			fe.Add("serials", i18n.N(in.Quantity, "%d serial numbers for %d units: give one per unit.", len(serials), in.Quantity))
		}
	}
	in.Fault = strings.TrimSpace(in.Fault)
	if in.Fault == "" {
		fe.Add("fault", i18n.M("Describe the fault: what the unit does, or does not do."))
	}
	validate.Text(fe, "fault", in.Fault, validate.NoteMax)
	switch in.Remedy {
	case "":
		in.Remedy = RemedyReplacement
	case RemedyReplacement, RemedyCreditNote:
	default:
		fe.Add("remedy", i18n.M("Choose a replacement or a credit note."))
	}
	return fe.Err()
}

// SplitSerials reads serial numbers typed one per line, or separated by
// commas, semicolons or spaces.
func SplitSerials(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == '\n' || r == '\r' || r == ',' || r == ';' || r == ' ' || r == '\t'
	})
}

// reason reads a required reason or note of at most validate.NoteMax
// characters into field.
func reason(fe apperr.FieldErrors, field string, s *string, required bool, msg i18n.Message) {
	*s = strings.TrimSpace(*s)
	if *s == "" && required {
		fe.Add(field, msg)
		return
	}
	validate.Text(fe, field, *s, validate.NoteMax)
}

// NormalizeRA reads an RA number as typed: spaces around it dropped, upper
// case, "RA 2026 123" and "ra-2026-123" alike read as RA-2026-000123.
// It returns "" for what is no RA number.
func NormalizeRA(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) > RAMax {
		return ""
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == ' ' || r == '/' })
	if len(parts) == 2 && strings.HasPrefix(parts[0], "RA") && len(parts[0]) == 6 { // "RA2026-123"
		parts = []string{"RA", parts[0][2:], parts[1]}
	}
	if len(parts) != 3 || parts[0] != "RA" {
		return ""
	}
	year, err1 := strconv.Atoi(parts[1])
	seq, err2 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil || year < 2000 || year > 9999 || seq < 1 || seq > 999_999 || len(parts[2]) > 6 {
		return ""
	}
	return FormatRA(year, seq)
}

// UnitTest is the test of one unit: its result and what was found.
type UnitTest struct {
	UnitNo int    `json:"unit_no"`
	Result string `json:"result"`
	Note   string `json:"note"`
}

// TestInput are the tests of some or all units of a return that arrived.
type TestInput struct {
	Units []UnitTest `json:"units"`
}

// ResultField and NoteField are the form fields of unit no's test.
func ResultField(no int) string { return "result_" + strconv.Itoa(no) }

// NoteField is the form field of unit no's test note.
func NoteField(no int) string { return "note_" + strconv.Itoa(no) }

// Validate bounds every unit's test: a known result and a note saying what
// was found. Returns Invalid with a message per field.
func (in *TestInput) Validate() error {
	fe := apperr.FieldErrors{}
	if len(in.Units) > MaxUnits {
		fe.Add("units", i18n.M("A return has at most %s units.", i18n.Num(MaxUnits)))
		return fe.Err()
	}
	seen := map[int]bool{}
	some := false
	for i := range in.Units {
		u := &in.Units[i]
		if u.UnitNo < 1 || u.UnitNo > MaxUnits || seen[u.UnitNo] {
			fe.Add("units", i18n.M("Each unit is tested once, by its number."))
			continue
		}
		seen[u.UnitNo] = true
		u.Note = strings.TrimSpace(u.Note)
		if u.Result == "" && u.Note == "" {
			continue // not tested yet
		}
		some = true
		switch u.Result {
		case ResultFaultConfirmed, ResultNoFaultFound, ResultDamaged:
		default:
			fe.Add(ResultField(u.UnitNo), i18n.M("Choose the result of the test."))
		}
		reason(fe, NoteField(u.UnitNo), &u.Note, true, i18n.M("Say what the test found."))
	}
	if !some && len(fe) == 0 {
		fe.Add("units", i18n.M("Record the test of at least one unit."))
	}
	return fe.Err()
}

// SettleInput is how the account manager settles a tested return. Remedy
// is for units whose fault is confirmed (empty: the customer's choice on
// the form; another value records that the customer changed its mind).
// GoodUnits is for units where no fault was found: sent back to the
// customer (the default), or taken back into stock against a credit note.
type SettleInput struct {
	Remedy    string `json:"remedy,omitempty" form:"remedy"`
	GoodUnits string `json:"good_units,omitempty" form:"good_units"`
	Note      string `json:"note,omitempty" form:"note"`
}

// Validate bounds the settlement. Returns Invalid with a message per field.
func (in *SettleInput) Validate() error {
	fe := apperr.FieldErrors{}
	switch in.Remedy {
	case "", RemedyReplacement, RemedyCreditNote:
	default:
		fe.Add("remedy", i18n.M("Choose a replacement or a credit note."))
	}
	switch in.GoodUnits {
	case "":
		in.GoodUnits = GoodSentBack
	case GoodSentBack, GoodRestocked:
	default:
		fe.Add("good_units", i18n.M("Choose whether the units without fault go back to the customer or into stock."))
	}
	reason(fe, "note", &in.Note, false, i18n.Message{})
	return fe.Err()
}

// ReasonInput is why a return is turned down or cancelled.
type ReasonInput struct {
	Reason string `json:"reason" form:"reason"`
}

// Validate requires the reason, as staff give it. Returns Invalid.
func (in *ReasonInput) Validate() error {
	return in.validate(i18n.M("Say why: the customer reads it."))
}

// ValidateOwn requires the reason a customer's user gives for cancelling
// its own return. Returns Invalid.
func (in *ReasonInput) ValidateOwn() error {
	return in.validate(i18n.M("Say why you cancel the return."))
}

// validate requires the reason, with missing as the message when it is
// empty.
func (in *ReasonInput) validate(missing i18n.Message) error {
	fe := apperr.FieldErrors{}
	reason(fe, "reason", &in.Reason, true, missing)
	return fe.Err()
}

// ReceiveInput is a parcel at the warehouse's door, by the RA number on it.
type ReceiveInput struct {
	RA string `json:"ra_number" form:"ra"`
}

// Validate reads the RA number. Returns Invalid.
func (in *ReceiveInput) Validate() error {
	fe := apperr.FieldErrors{}
	typed := strings.TrimSpace(in.RA)
	switch {
	case typed == "":
		fe.Add("ra", i18n.M("Enter the RA number on the parcel."))
	case !validate.CheckLine(typed, RAMax).IsZero():
		fe.Add("ra", validate.CheckLine(typed, RAMax))
	default:
		if in.RA = NormalizeRA(typed); in.RA == "" {
			fe.Add("ra", i18n.M("%s is no RA number (they read RA-2026-000123): refuse the parcel.", typed))
		}
	}
	return fe.Err()
}
