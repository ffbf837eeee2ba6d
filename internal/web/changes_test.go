package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"wholesale/internal/users"
)

// TestChangePageSaysHowTheChangeWasConfirmed opens the demo's two account
// changes once confirmed: one by a signed letter, one by the customer in
// the portal. Each page says how and links the letter.
func TestChangePageSaysHowTheChangeWasConfirmed(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	var byLetter, inPortal int64
	a.db.NewSelect().Table("change_requests").Column("id").Where("kind = 'invoice_email'").Scan(ctx, &byLetter)
	a.db.NewSelect().Table("change_requests").Column("id").Where("kind = 'contact'").Scan(ctx, &inPortal)
	buyer, sales := a.as(users.RoleCustomer), a.as(users.RoleSales)
	resp, _ := buyer.post(fmt.Sprintf("/changes/%d/confirm", inPortal), nil)
	wantStatus(t, resp, http.StatusFound)

	for _, tc := range []struct {
		id   int64
		want string
	}{{byLetter, "by a written document"}, {inPortal, "by the customer in the portal"}} {
		for _, c := range []*client{buyer, sales} {
			resp, body := c.get(fmt.Sprintf("/changes/%d", tc.id))
			wantStatus(t, resp, http.StatusOK)
			confirmed := doc(t, body).Find("dl.facts dt").FilterFunction(func(_ int, s *goquery.Selection) bool {
				return s.Text() == "Confirmed"
			}).Next().Text()
			if confirmed != tc.want+", 2026-11-24 10:00" {
				t.Errorf("change %d: confirmed %q, want %q", tc.id, confirmed, tc.want)
			}
			if strings.Contains(body, "template:") {
				t.Errorf("change %d: template error on the page", tc.id)
			}
		}
	}
	_, body := sales.get(fmt.Sprintf("/changes/%d", byLetter))
	if link := doc(t, body).Find("a[href^='/documents/']"); link.Text() != "brief-factuuradres.pdf" {
		t.Errorf("the letter is not linked: %q", link.Text())
	}
}
