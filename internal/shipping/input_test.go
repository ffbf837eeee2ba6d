package shipping_test

import (
	"strings"
	"testing"

	"wholesale/internal/apperr"
	"wholesale/internal/shipping"
)

func TestTrackingNumbersByCarrier(t *testing.T) {
	for _, c := range []struct {
		carrier, typed, want string
		ok                   bool
	}{
		{"UPS", "1Z999AA10123456784", "1Z999AA10123456784", true},
		{"UPS", " 1z 999 aa1 01234 5678 4 ", "1Z999AA10123456784", true},
		{"UPS", "1Z-999AA1-0123456784", "1Z999AA10123456784", true},
		{"UPS", "1Z999AA1012345678", "", false},   // 15 after 1Z
		{"UPS", "1Z999AA101234567845", "", false}, // 17
		{"UPS", "2Z999AA10123456784", "", false},
		{"UPS", "1Z999AA1012345678Ä", "", false},
		{"UPS", "", "", false},
		{"DHL", "1234567890", "1234567890", true},
		{"DHL", "JJD000390012345678901", "JJD000390012345678901", true},
		{"DHL", "jvgl 0599 1234 5678 9012", "JVGL0599123456789012", true},
		{"DHL", "00340434161094015902", "00340434161094015902", true},
		{"DHL", "123456789", "", false},
		{"DHL", "1Z999AA10123456784", "", false},
		{"PostNL", "3SDEVC123456789", "3SDEVC123456789", true},
		{"PostNL", "3s abcd 123456", "3SABCD123456", true},
		{"PostNL", "RR123456785NL", "RR123456785NL", true},
		{"PostNL", "RR123456784NL", "", false}, // check digit
		{"PostNL", "3SDEVC12345", "", false},
		{"PostNL", "3S1234123456789", "", false},
		{"own", "", "", true},
		{"own", " van 2, route Noord ", "van 2, route Noord", true},
	} {
		got, msg := shipping.NormalizeTracking(c.carrier, c.typed)
		if ok := msg.IsZero(); ok != c.ok || ok && got != c.want {
			t.Errorf("%s %q: %q, %q; want %q ok=%v", c.carrier, c.typed, got, msg.String(), c.want, c.ok)
		}
	}
	if _, msg := shipping.NormalizeTracking("UPS", "1Z99"); !strings.Contains(msg.String(), "1Z followed by 16 letters or digits") {
		t.Errorf("UPS help: %q", msg.String())
	}
}

func TestTrackingLinks(t *testing.T) {
	for _, c := range []struct{ carrier, number, want string }{
		{"UPS", "1Z999AA10123456784", "https://www.ups.com/track?tracknum=1Z999AA10123456784"},
		{"DHL", "JJD000390012345678901", "https://www.dhl.com/nl-en/home/tracking.html?tracking-id=JJD000390012345678901"},
		{"PostNL", "3SDEVC123456789", "https://jouw.postnl.nl/track-and-trace/3SDEVC123456789-NL-1000AA"},
		{"own", "van 2", ""},
		{"UPS", "a&b c", "https://www.ups.com/track?tracknum=a%26b+c"},
	} {
		if got := shipping.TrackingURL(c.carrier, c.number, "NL", "1000 aa"); got != c.want {
			t.Errorf("%s %s: %s, want %s", c.carrier, c.number, got, c.want)
		}
	}
}

func TestShipmentInputIsBounded(t *testing.T) {
	ok := shipping.Input{OrderID: 1, TrackingNumber: "1Z999AA10123456784", Lines: []shipping.LineInput{{OrderLineID: 7, Quantity: 2}}}
	if err := ok.Validate(); err != nil || ok.Carrier != "UPS" {
		t.Fatalf("a good shipment: %v, carrier %q", err, ok.Carrier)
	}
	many := make([]shipping.LineInput, shipping.LinesMax+1)
	for i := range many {
		many[i] = shipping.LineInput{OrderLineID: int64(i + 1), Quantity: 1}
	}
	for name, c := range map[string]struct {
		in    shipping.Input
		field string
	}{
		"unknown carrier":        {shipping.Input{Carrier: "FedEx", Lines: ok.Lines}, "carrier"},
		"carrier with NUL":       {shipping.Input{Carrier: "UPS\x00", Lines: ok.Lines}, "carrier"},
		"tracking with NUL":      {shipping.Input{TrackingNumber: "1Z999AA1\x000123456784", Lines: ok.Lines}, "tracking_number"},
		"tracking bad bytes":     {shipping.Input{TrackingNumber: "1Z999AA10123456784\xff", Lines: ok.Lines}, "tracking_number"},
		"no tracking for UPS":    {shipping.Input{Lines: ok.Lines}, "tracking_number"},
		"own reference of 41":    {shipping.Input{Carrier: "own", TrackingNumber: strings.Repeat("r", 41), Lines: ok.Lines}, "tracking_number"},
		"own with a line break":  {shipping.Input{Carrier: "own", TrackingNumber: "van\n2", Lines: ok.Lines}, "tracking_number"},
		"negative":               {shipping.Input{TrackingNumber: ok.TrackingNumber, Lines: []shipping.LineInput{{OrderLineID: 7, Quantity: -1}}}, "qty_7"},
		"over 1,000,000":         {shipping.Input{TrackingNumber: ok.TrackingNumber, Lines: []shipping.LineInput{{OrderLineID: 7, Quantity: 1_000_001}}}, "qty_7"},
		"nothing to ship":        {shipping.Input{TrackingNumber: ok.TrackingNumber, Lines: []shipping.LineInput{{OrderLineID: 7}}}, "lines"},
		"no lines":               {shipping.Input{TrackingNumber: ok.TrackingNumber}, "lines"},
		"a line without an id":   {shipping.Input{TrackingNumber: ok.TrackingNumber, Lines: []shipping.LineInput{{Quantity: 1}}}, "lines"},
		"a line twice":           {shipping.Input{TrackingNumber: ok.TrackingNumber, Lines: []shipping.LineInput{{OrderLineID: 7, Quantity: 1}, {OrderLineID: 7, Quantity: 1}}}, "qty_7"},
		"more lines than orders": {shipping.Input{TrackingNumber: ok.TrackingNumber, Lines: many}, "lines"},
	} {
		err := c.in.Validate()
		ae, isApp := apperr.As(err)
		if !isApp || ae.Kind != apperr.Invalid || ae.Fields[c.field].IsZero() {
			t.Errorf("%s: %v, want a message at %s", name, err, c.field)
		}
	}
}
