package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"wholesale/internal/users"
)

// TestFailedDeliveryBookingKeepsWhatWasTyped books the demo's supplier order
// SEB-2026-114 wrongly twice: the form comes back with every quantity typed,
// the message next to the line at fault, and nothing booked.
func TestFailedDeliveryBookingKeepsWhatWasTyped(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	var orderID, espresso, mixer int64
	a.db.QueryRowContext(ctx, `SELECT o.id, l1.id, l2.id FROM supplier_orders o
		JOIN supplier_order_lines l1 ON l1.supplier_order_id = o.id JOIN products p1 ON p1.id = l1.product_id AND p1.sku = 'KR-XP3440'
		JOIN supplier_order_lines l2 ON l2.supplier_order_id = o.id JOIN products p2 ON p2.id = l2.product_id AND p2.sku = 'MX-HZ4'
		WHERE o.reference = 'SEB-2026-114'`).Scan(&orderID, &espresso, &mixer)
	wh := a.as(users.RoleWarehouse)
	path := fmt.Sprintf("/supplier-orders/%d/receive", orderID)
	for _, tc := range []struct{ espresso, mixer, msg string }{
		{"11", "7", "Only 10 more were ordered; book the rest on a new supplier order."},
		{"lots", "7", "Enter a whole number with digits only, e.g. 12."},
	} {
		resp, body := wh.post(path, url.Values{fmt.Sprintf("line_%d", espresso): {tc.espresso}, fmt.Sprintf("line_%d", mixer): {tc.mixer}})
		wantStatus(t, resp, http.StatusUnprocessableEntity)
		d := doc(t, body)
		for id, want := range map[int64]string{espresso: tc.espresso, mixer: tc.mixer} {
			if got, _ := d.Find(fmt.Sprintf("input[name=line_%d]", id)).Attr("value"); got != want {
				t.Errorf("%s: line %d shows %q, want %q as typed", tc.espresso, id, got, want)
			}
		}
		cell := d.Find(fmt.Sprintf("input[name=line_%d]", espresso)).Parent()
		if got := cell.Find(".field-error").Text(); got != tc.msg {
			t.Errorf("%s: message at the line %q, want %q", tc.espresso, got, tc.msg)
		}
	}
	var received int
	a.db.QueryRowContext(ctx, "SELECT coalesce(sum(received), 0) FROM supplier_order_lines WHERE supplier_order_id = $1", orderID).Scan(&received)
	if received != 0 {
		t.Fatalf("%d booked by failed attempts", received)
	}
}
