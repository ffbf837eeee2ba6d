package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"wholesale/internal/users"

	"github.com/PuerkitoBio/goquery"
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

// The order page's audit trail says in English what was done, as the
// Dutch one does: "created", "placed", not the actions as stored.
func TestOrderAuditTrailReadsAsDoneInEnglish(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	var id int64
	if err := a.db.NewSelect().Table("orders").Column("id").Where("po_reference = 'BJ-2026-118'").Scan(context.Background(), &id); err != nil {
		t.Fatal(err)
	}
	resp, body := a.as(users.RoleAccountManager).get(fmt.Sprintf("/orders/%d", id))
	wantStatus(t, resp, http.StatusOK)
	d := doc(t, body)
	if lang, _ := d.Find("html").Attr("lang"); lang != "en" {
		t.Fatalf("the page is in %q", lang)
	}
	var what []string
	d.Find("#audit-heading + table tbody tr td:nth-child(3)").Each(func(_ int, s *goquery.Selection) { what = append(what, squashed(s)) })
	if got := strings.Join(what, " | "); got != "placed | created" {
		t.Errorf("the audit trail's actions: %q, want placed | created", got)
	}
}
