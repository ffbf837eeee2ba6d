package orders_test

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"wholesale/internal/money"
	"wholesale/internal/orders"
	"wholesale/internal/validate"
)

// fits says whether s is text the database takes for a field of max
// characters: valid UTF-8, no NUL or (unless multi-line) control characters.
func fits(s string, max int, multiline bool) bool {
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > max {
		return false
	}
	for _, r := range s {
		if r == 0 || unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\r' || r == '\t')) {
			return false
		}
	}
	return true
}

// An order's input that Validate accepts fits every bound and the database's
// checks; whatever the bytes, Validate never panics.
func FuzzOrderInput(f *testing.F) {
	f.Add("PO-1", "A", "3", "12,50", "UPS", "visiting", "note", int64(0))
	f.Add("PO\x00", "A\x00", "2147483648", "12.50,0", "Drone", "moon", strings.Repeat("n", 2001), int64(7))
	f.Add(strings.Repeat("P", 36), "", "9223372036854775807", "99999999999", "", "", "bell\x07", int64(-1))
	f.Add("\xff\xfe", "KR-F3090", "-1", "1.250,50", "UPS Express", "invoice", "line\nbreak\ttab", int64(0))
	f.Add("PO 2", "sku", "0001000000", "€ 1 250,5", "Collect", "", "\u2028", int64(0))
	f.Fuzz(func(t *testing.T, po, sku, qty, shipping, method, address, note string, id int64) {
		in := orders.Input{CompanyID: 1, POReference: po, ShippingMethod: method, Address: address, Shipping: shipping, Note: note,
			Lines: []orders.LineInput{{ID: id, SKU: sku, QuantityText: qty}}}
		cents, err := in.Validate()
		if err != nil {
			return
		}
		l := in.Lines[0]
		switch {
		case in.POReference == "" || !fits(in.POReference, validate.POReferenceMax, false):
			t.Fatalf("accepted PO %q", in.POReference)
		case !fits(in.Note, validate.NoteMax, true):
			t.Fatalf("accepted note %q", in.Note)
		case l.ID != 0 || l.SKU == "" || !fits(l.SKU, 40, false) || l.Quantity < 1 || l.Quantity > validate.QuantityMax:
			t.Fatalf("accepted line %+v", l)
		case cents < 0 || cents > money.MaxCents:
			t.Fatalf("accepted shipping %d", cents)
		case !slices.Contains(orders.ShippingMethods, in.ShippingMethod) || in.Address != "visiting" && in.Address != "invoice":
			t.Fatalf("accepted method %q, address %q", in.ShippingMethod, in.Address)
		}
	})
}

// An amendment that Validate accepts fits every bound; quantity 0 only
// removes an existing line.
func FuzzAmendInput(f *testing.F) {
	f.Add(int64(3), "", "0", "x", true)
	f.Add(int64(0), "A\x00", "1000001", strings.Repeat("n", 2001), false)
	f.Add(int64(-4), "B", "2", "ok", true)
	f.Fuzz(func(t *testing.T, id int64, sku, qty, note string, withNote bool) {
		in := orders.AmendInput{Lines: []orders.LineInput{{ID: id, SKU: sku, QuantityText: qty}}}
		if withNote {
			in.Note = &note
		}
		if _, err := in.Validate(); err != nil {
			return
		}
		l := in.Lines[0]
		switch {
		case in.Note != nil && !fits(*in.Note, validate.NoteMax, true):
			t.Fatalf("accepted note %q", *in.Note)
		case l.ID < 0 || l.Quantity < 0 || l.Quantity > validate.QuantityMax:
			t.Fatalf("accepted line %+v", l)
		case l.ID == 0 && l.SKU != "" && l.Quantity == 0:
			t.Fatalf("accepted a new line of 0: %+v", l)
		case l.ID == 0 && l.Quantity > 0 && (l.SKU == "" || !fits(l.SKU, 40, false)):
			t.Fatalf("accepted a new line without a good SKU: %+v", l)
		}
	})
}
