package web_test

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
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
			if confirmed != tc.want+", 24 Nov 2026 10:00" {
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

// TestAccountHistorySaysHowEachChangeWasConfirmed reads the history table of
// /account and of the customer page: the confirmation column says how, in
// words, and stays empty for a change not confirmed yet.
func TestAccountHistorySaysHowEachChangeWasConfirmed(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	buyer := a.as(users.RoleCustomer)
	var inPortal int64
	a.db.NewSelect().Table("change_requests").Column("id").Where("kind = 'contact'").Scan(context.Background(), &inPortal)
	want := map[string]string{fmt.Sprint(inPortal): ""}
	for _, c := range []*client{buyer, a.as(users.RoleAccountManager)} {
		page := "/account"
		if c != buyer {
			page = fmt.Sprintf("/customers/%d", a.companyID(t, "Bakkerij Jansen B.V."))
		}
		confirmations := func() map[string]string {
			_, body := c.get(page)
			got := map[string]string{}
			doc(t, body).Find("table tbody tr").Each(func(_ int, tr *goquery.Selection) {
				if tr.Find("td").Length() == 6 {
					got[tr.Find("td").Eq(0).Text()] = tr.Find("td").Eq(4).Text()
				}
			})
			return got
		}
		got := confirmations()
		if len(got) != 2 || got[fmt.Sprint(inPortal)] != want[fmt.Sprint(inPortal)] || !slices.Contains(slices.Collect(maps.Values(got)), "by a written document") {
			t.Errorf("%s: confirmations %q", page, got)
		}
		if c == buyer {
			resp, _ := buyer.post(fmt.Sprintf("/changes/%d/confirm", inPortal), nil)
			wantStatus(t, resp, http.StatusFound)
			want[fmt.Sprint(inPortal)] = "by the customer in the portal"
			if got := confirmations(); got[fmt.Sprint(inPortal)] != "by the customer in the portal" {
				t.Errorf("after the portal confirmation: %q", got)
			}
		}
	}
}

// TestApplicationPageLinksTheAuditTrailOnlyForAdmins: sales may not open
// the audit trail, so their application page offers no link to it.
func TestApplicationPageLinksTheAuditTrailOnlyForAdmins(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	var id int64
	a.db.NewSelect().Table("applications").Column("id").Limit(1).Scan(context.Background(), &id)
	page := fmt.Sprintf("/applications/%d", id)
	for role, links := range map[users.Role]int{users.RoleAdmin: 1, users.RoleSales: 0} {
		c := a.as(role)
		_, body := c.get(page)
		d := doc(t, body)
		if d.Find("h1").Text() != "Application A-1: Koffiebranderij De Boon B.V." {
			t.Fatalf("%s: no application page: %q", role, d.Find("h1").Text())
		}
		audit := d.Find("main a[href^='/admin/audit?']")
		if audit.Length() != links {
			t.Errorf("%s sees %d audit links, want %d", role, audit.Length(), links)
		}
		audit.Each(func(_ int, l *goquery.Selection) {
			href, _ := l.Attr("href")
			if resp, _ := c.get(href); resp.StatusCode != http.StatusOK {
				t.Errorf("%s follows %s: %d", role, href, resp.StatusCode)
			}
		})
	}
}
