package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"wholesale/internal/pgtest"
	"wholesale/internal/users"
)

// TestDemoComplaintsGiveEachRoleWork opens the pages on the demo's
// complaints, as `make run` loads them (the other tests start with an
// empty log): each role's home page has its complaint queues and the list
// behind each shows as many; the customer service manager has one flagged
// complaint to assign, and sees another flagged one Sam Sales investigates,
// with his note; the customer sees its four complaints in the portal and may
// escalate the one resolved with an apology.
func TestDemoComplaintsGiveEachRoleWork(t *testing.T) {
	t.Parallel()
	a := newAppDemo(t, pgtest.New(t), nil)
	for role, want := range map[users.Role]map[string]string{
		users.RoleCustomerService: {"Complaints unresolved after a week": "1", "Overdue complaints": "1"},
		users.RoleBoard:           {"Complaints escalated to the board": "1"},
		users.RoleAccountManager:  {"Complaints to acknowledge": "2", "Complaints to answer": "2"},
	} {
		c := a.as(role)
		_, body := c.get("/")
		work := workOf(t, body)
		for title, n := range want {
			w, ok := work[title]
			if !ok || w.count != n {
				t.Errorf("%s, %q: %+v, want %s", role, title, w, n)
				continue
			}
			_, list := c.get(w.href)
			if got := doc(t, list).Find("main table.complaints tbody tr").Length(); strconv.Itoa(got) != n {
				t.Errorf("%s follows %s: %d complaints there, the home page says %s", role, w.href, got, n)
			}
		}
	}
	cs := a.as(users.RoleCustomerService)
	_, body := cs.get("/complaints?overdue=1")
	if row := strings.Join(strings.Fields(doc(t, body).Find("main table.complaints tbody tr").Text()), " "); !strings.Contains(row, "ООО «Кухня-Опт»") ||
		!strings.Contains(row, "overdue by 1 day") {
		t.Errorf("the overdue complaint: %q", row)
	}
	_, body = cs.get("/complaints?flagged=1")
	var flags []string
	doc(t, body).Find("main .flagged").Each(func(_ int, s *goquery.Selection) { flags = append(flags, strings.TrimSpace(s.Text())) })
	if strings.Join(flags, "|") != "unresolved after a week: assign an investigator|unresolved after a week" {
		t.Errorf("the flags: %q, want one to assign and one with its investigator", flags)
	}

	var all []struct {
		ID      int64
		Company string
	}
	if err := a.db.NewRaw(`SELECT cp.id, co.name AS company FROM complaints cp JOIN companies co ON co.id = cp.company_id ORDER BY cp.id`).
		Scan(context.Background(), &all); err != nil || len(all) != 7 {
		t.Fatalf("%d demo complaints, want 7: %v", len(all), err)
	}
	buyer := a.as(users.RoleCustomer)
	for _, cp := range all {
		resp, body := cs.get(fmt.Sprintf("/complaints/%d", cp.ID))
		if resp.StatusCode != http.StatusOK {
			t.Errorf("complaint %d: %d", cp.ID, resp.StatusCode)
		}
		if d := doc(t, body); d.Find(".investigator").Text() == "Sam Sales" && !strings.Contains(d.Find("#notes").Text(), "agreements' discounts") {
			t.Errorf("the investigated complaint %d has no note of Sam Sales: %s", cp.ID, d.Find("#notes").Text())
		}
		if cp.Company != "Bakkerij Jansen B.V." {
			continue
		}
		if resp, _ := buyer.get(fmt.Sprintf("/portal/complaints/%d", cp.ID)); resp.StatusCode != http.StatusOK {
			t.Errorf("the customer opens complaint %d: %d", cp.ID, resp.StatusCode)
		}
	}
	_, body = buyer.get("/portal/complaints")
	d := doc(t, body)
	if n := d.Find("main table.complaints tbody tr[id^='complaint-']").Length(); n != 4 {
		t.Errorf("the customer sees %d complaints, want 4", n)
	}
	escalable := 0
	d.Find("main table.complaints tbody a").Each(func(_ int, s *goquery.Selection) {
		href, _ := s.Attr("href")
		if _, page := buyer.get(href); doc(t, page).Find("form.escalate").Length() == 1 {
			escalable++
		}
	})
	if escalable != 2 {
		t.Errorf("%d complaints the customer may escalate, want 2 (the apology and the refund)", escalable)
	}
}
