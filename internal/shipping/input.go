package shipping

import (
	"fmt"
	"strings"

	"wholesale/internal/apperr"
	"wholesale/internal/i18n"
	"wholesale/internal/validate"
)

// LinesMax is the most lines a shipment names (an order takes at most
// 500 lines at a time).
const LinesMax = 500

// Input is a shipment the warehouse records: which order, the carrier and
// its tracking number, and how much of each order line goes.
type Input struct {
	OrderID        int64       `json:"order_id"`
	Carrier        string      `json:"carrier"`
	TrackingNumber string      `json:"tracking_number"`
	Lines          []LineInput `json:"lines"`
}

// LineInput is how much of an order line a shipment takes; 0 leaves the
// line for later.
type LineInput struct {
	OrderLineID int64 `json:"order_line_id"`
	Quantity    int   `json:"quantity"`
}

// LineField is the form field of an order line's quantity to ship, where
// its message goes.
func LineField(orderLineID int64) string { return fmt.Sprintf("qty_%d", orderLineID) }

// Validate normalises the shipment and bounds every field: a carrier of
// Carriers (UPS when none is given); its tracking number in the carrier's
// format (upper case, without spaces), optional and at most TrackingMax
// characters for own transport; 1 to LinesMax lines, each an order line
// once with 0 to validate.QuantityMax pieces, at least one more than 0.
// Whether the lines are the order's and their pieces ready is Ship's to
// say. Returns Invalid with a message per field.
func (in *Input) Validate() error {
	fe := apperr.FieldErrors{}
	validateTracking(fe, &in.Carrier, &in.TrackingNumber)
	if len(in.Lines) > LinesMax {
		fe.Add("lines", i18n.M("A shipment has at most %s lines.", i18n.Num(LinesMax)))
		return fe.Err()
	}
	seen := map[int64]bool{}
	some := false
	for _, l := range in.Lines {
		switch {
		case l.OrderLineID <= 0:
			fe.Add("lines", i18n.M("A line of this shipment is not on the order."))
		case seen[l.OrderLineID]:
			fe.Add(LineField(l.OrderLineID), i18n.M("This line is in the shipment twice."))
		case validate.Count(fe, LineField(l.OrderLineID), l.Quantity, 0, validate.QuantityMax):
			some = some || l.Quantity > 0
		}
		seen[l.OrderLineID] = true
	}
	if !some && len(fe) == 0 {
		fe.Add("lines", i18n.M("Enter a quantity to ship on at least one line."))
	}
	return fe.Err()
}

// ValidateTracking is validateTracking for other areas that send goods
// with a carrier (returns sends units back).
func ValidateTracking(fe apperr.FieldErrors, carrier, tracking *string) {
	validateTracking(fe, carrier, tracking)
}

// validateTracking normalises a carrier and its tracking number and says
// what is wrong with them at "carrier" and "tracking_number": a carrier of
// Carriers (UPS when none is given); its tracking number in the carrier's
// format (upper case, without spaces), optional and at most TrackingMax
// characters for own transport.
func validateTracking(fe apperr.FieldErrors, carrier, tracking *string) {
	*carrier = strings.TrimSpace(*carrier)
	if validate.Line(fe, "carrier", *carrier, 20) {
		if *carrier == "" {
			*carrier = CarrierUPS
		}
		known := false
		for _, c := range Carriers {
			if strings.EqualFold(*carrier, c) {
				*carrier, known = c, true
			}
		}
		if !known {
			fe.Add("carrier", i18n.M("Choose UPS, DHL, PostNL or own transport."))
		}
	}
	if validate.Line(fe, "tracking_number", *tracking, 100) && fe["carrier"].IsZero() {
		n, msg := NormalizeTracking(*carrier, *tracking)
		*tracking = n
		fe.Add("tracking_number", msg)
		validate.Line(fe, "tracking_number", n, TrackingMax)
	}
}
