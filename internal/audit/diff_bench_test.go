package audit_test

import (
	"encoding/json"
	"testing"

	"wholesale/internal/audit"
	"wholesale/internal/i18n"
)

// An order's audit entry of one amendment, as the trail stores it on the
// scale data set: the order page with 50 revisions diffs ten of these.
const (
	benchBefore = `{"order": {"note": "Wijziging 49: afleveren na telefonisch contact.", "lines": [{"sku": "KR-BA1001", "line_no": 1, "quantity": 2, "cancelled": false, "unit_price_cents": 2151}, {"sku": "SI-CA1002", "line_no": 2, "quantity": 2, "cancelled": false, "unit_price_cents": 3757}, {"sku": "ZW-DA1003", "line_no": 3, "quantity": 2, "cancelled": false, "unit_price_cents": 7005}], "delivery": {"city": "Amersfoort", "name": "Hotel Smits Amersfoort B.V.", "street": "Havenstraat 224", "country": "NL", "postcode": "6847 ET"}, "po_reference": "SCALE-REVISIONS-50", "ship_complete": false, "shipping_cents": 1495, "shipping_method": "UPS", "total_incl_cents": 33058}, "status": "awaiting_credit", "revision": 49}`
	benchAfter  = `{"order": {"note": "Wijziging 49: afleveren na telefonisch contact.", "lines": [{"sku": "KR-BA1001", "line_no": 1, "quantity": 4, "cancelled": false, "unit_price_cents": 2151}, {"sku": "SI-CA1002", "line_no": 2, "quantity": 2, "cancelled": false, "unit_price_cents": 3757}, {"sku": "ZW-DA1003", "line_no": 3, "quantity": 2, "cancelled": false, "unit_price_cents": 7005}], "delivery": {"city": "Amersfoort", "name": "Hotel Smits Amersfoort B.V.", "street": "Havenstraat 224", "country": "NL", "postcode": "6847 ET"}, "po_reference": "SCALE-REVISIONS-50", "ship_complete": false, "shipping_cents": 1495, "shipping_method": "UPS", "total_incl_cents": 38264}, "status": "awaiting_credit", "summary": [{"id": "line %d (%s) %d → %d", "args": [{"t": "i", "v": 1}, {"t": "s", "v": "KR-BA1001"}, {"t": "i", "v": 2}, {"t": "i", "v": 4}]}], "revision": 50}`
)

// BenchmarkDiffAmendment diffs one amendment of an order, with the labels
// of its status codes.
func BenchmarkDiffAmendment(b *testing.B) {
	values := audit.Values{"status": func(s string) i18n.Message { return i18n.Raw(s) }}
	before, after := json.RawMessage(benchBefore), json.RawMessage(benchAfter)
	b.ReportAllocs()
	for b.Loop() {
		cs, err := audit.DiffWith(before, after, values)
		if err != nil || len(cs) != 4 {
			b.Fatalf("%d changes, %v", len(cs), err)
		}
	}
}
