package web_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"wholesale/internal/users"
)

// The order page offers to cancel an order only while it may be cancelled
// (orders.Order.Cancellable): not once anything shipped, which the
// cancellation would refuse.
func TestOrderPageOffersCancellingOnlyWhileNothingShipped(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	am := a.as(users.RoleAccountManager)
	idOf := func(po string) int64 {
		var id int64
		if err := a.db.NewSelect().Table("orders").Column("id").Where("po_reference = ?", po).Scan(context.Background(), &id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	open, shipped := idOf("BJ-2026-118"), idOf("INK-4471")

	resp, body := am.get(fmt.Sprintf("/orders/%d", open))
	wantStatus(t, resp, http.StatusOK)
	form := doc(t, body).Find(fmt.Sprintf("form[action='/orders/%d/cancel']", open))
	if got := squashed(form.Find("h2")); got != "Cancel the order" {
		t.Errorf("the open order's page has the cancel form's heading %q", got)
	}

	resp, body = am.get(fmt.Sprintf("/orders/%d", shipped))
	wantStatus(t, resp, http.StatusOK)
	d := doc(t, body)
	if d.Find(fmt.Sprintf("form[action='/orders/%d/cancel']", shipped)).Length() != 0 {
		t.Error("the shipped order's page offers to cancel it")
	}
	if got := squashed(d.Find("main h1")); got != fmt.Sprintf("Order %d · PO INK-4471", shipped) {
		t.Errorf("the shipped order's page is %q", got)
	}
	if d.Find("a[href^='/invoices/']").Length() == 0 {
		t.Error("the shipped order's page lists no invoice")
	}
}
