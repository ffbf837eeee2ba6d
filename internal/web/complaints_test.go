package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"wholesale/internal/i18n"
	"wholesale/internal/users"
)

// shownDate says whether text holds day as the English or the Dutch pages
// write it.
func shownDate(text string, day time.Time) bool {
	return strings.Contains(text, i18n.For(i18n.EN).Date(day)) || strings.Contains(text, i18n.For(i18n.NL).Date(day))
}

// TestComplaintListPutsOverdueFirstAndMarksThem: the customer service
// manager's list starts with the overdue complaint, marked overdue and
// flagged, each with its reference, customer, what it waits for and by
// when; the filters keep the overdue ones, or one state.
func TestComplaintListPutsOverdueFirstAndMarksThem(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	f := addComplaints(t, a)
	var order int64
	if err := a.db.NewRaw(`SELECT id FROM orders WHERE company_id = ? AND state <> 'draft' ORDER BY id LIMIT 1`,
		a.companyID(t, "Bakkerij Jansen B.V.")).Scan(context.Background(), &order); err != nil {
		t.Fatal(err)
	}
	withOrder := a.fileComplaint(t, order, "The kettles came in the wrong colour.")
	cs := a.as(users.RoleCustomerService)

	_, body := cs.get("/complaints")
	rows := doc(t, body).Find("table.complaints tbody tr")
	if rows.Length() != 7 {
		t.Fatalf("%d complaints listed, want 7: %s", rows.Length(), mainText(doc(t, body)))
	}
	first := rows.First()
	if ref := strings.TrimSpace(first.Find("td").First().Find("a").Text()); ref != fmt.Sprintf("complaint %d", f.overdue) {
		t.Errorf("the first row is %q, want the overdue complaint %d", ref, f.overdue)
	}
	if !first.HasClass("overdue") || !strings.Contains(first.Text(), "overdue by 7 days") || first.Find(".flagged").Text() != "unresolved after a week: assign an investigator" {
		t.Errorf("the overdue complaint is not marked overdue by 7 days and flagged: %q", strings.Join(strings.Fields(first.Text()), " "))
	}
	if !strings.Contains(first.Text(), "Bakkerij Jansen B.V.") || !strings.Contains(first.Text(), "acknowledgement") {
		t.Errorf("the row lacks the customer or what it waits for: %q", strings.Join(strings.Fields(first.Text()), " "))
	}
	found := false
	rows.Each(func(_ int, r *goquery.Selection) {
		if strings.Contains(r.Text(), fmt.Sprintf("order %d", order)) {
			found = true
			if !strings.Contains(r.Text(), "3 days left") || r.HasClass("overdue") {
				t.Errorf("the complaint about order %d: %q, want 3 days left to acknowledge", order, strings.Join(strings.Fields(r.Text()), " "))
			}
		}
	})
	if !found {
		t.Errorf("the complaint %d is not listed by its order number %d", withOrder, order)
	}

	_, body = cs.get("/complaints?overdue=1")
	if n := doc(t, body).Find("table.complaints tbody tr").Length(); n != 1 {
		t.Errorf("overdue only: %d rows, want 1", n)
	}
	_, body = cs.get("/complaints?state=escalated")
	d := doc(t, body)
	if n := d.Find("table.complaints tbody tr").Length(); n != 1 || !strings.Contains(d.Find("table.complaints").Text(), "the board's answer") {
		t.Errorf("escalated: %d rows, want 1 waiting for the board's answer: %s", n, mainText(d))
	}
	// The account manager sees no flags: those are the manager's.
	_, body = a.as(users.RoleAccountManager).get("/complaints")
	if doc(t, body).Find(".flagged").Length() != 0 {
		t.Error("the account manager's list shows the flags of the customer service manager")
	}
}

// TestComplaintPageShowsDeadlinesAndTheLetterToComplete: a received
// complaint's page shows its deadlines with the time left, the internal
// notes, and the acknowledgement prefilled with the handler and the date
// an answer can be expected.
func TestComplaintPageShowsDeadlinesAndTheLetterToComplete(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	f := addComplaints(t, a)
	_, body := a.as(users.RoleAccountManager).get(fmt.Sprintf("/complaints/%d", f.received))
	d := doc(t, body)
	deadlines := strings.Join(strings.Fields(d.Find("#deadlines").Text()), " ")
	ack, resolve := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)
	if !shownDate(deadlines, ack) || !shownDate(deadlines, resolve) || !strings.Contains(deadlines, "3 days left") || !strings.Contains(deadlines, "14 days left") {
		t.Errorf("deadlines: %q, want 27 November (3 days left) and 8 December (14 days left)", deadlines)
	}
	if v, _ := d.Find("#ack-date").Attr("value"); v != "2026-12-08" {
		t.Errorf("the answer is expected by %q, want the resolve date 2026-12-08", v)
	}
	// The letter is in the language of the customer's mail (Bakkerij
	// Jansen's is Dutch), whatever the language of the handler's pages.
	letter := d.Find("#ack-text").Text()
	if !strings.Contains(letter, "Mila Accountmanager behandelt hem") || !strings.Contains(letter, fmt.Sprintf("klacht %d", f.received)) {
		t.Errorf("the letter to complete: %q", letter)
	}
	if !strings.Contains(d.Find("#notes").Text(), "INTERNAL-NOTE-0") {
		t.Errorf("the internal note is not on the staff's page: %s", d.Find("#notes").Text())
	}

	_, body = a.as(users.RoleAccountManager).get(fmt.Sprintf("/complaints/%d", f.overdue))
	if due := strings.Join(strings.Fields(doc(t, body).Find("p.due").Text()), " "); !strings.Contains(due, "overdue by 7 days") {
		t.Errorf("the overdue complaint says %q", due)
	}
	_, body = a.as(users.RoleBoard).get(fmt.Sprintf("/complaints/%d", f.escalated))
	d = doc(t, body)
	if !shownDate(d.Find(".board-due").Text(), time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)) || d.Find("#board form").Length() != 1 {
		t.Errorf("the board's page: due %q, board form %d", d.Find(".board-due").Text(), d.Find("#board form").Length())
	}
}

// TestComplaintStepsThroughThePages: an account manager records a
// complaint received by phone, acknowledges it, adds a note; the customer
// service manager assigns an investigator; the account manager sends a
// progress report and resolves it. The customer is mailed each letter,
// never the note.
func TestComplaintStepsThroughThePages(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	am, cs := a.as(users.RoleAccountManager), a.as(users.RoleCustomerService)
	var lastMail int64
	a.db.NewRaw(`SELECT COALESCE(max(id), 0) FROM outbox`).Scan(context.Background(), &lastMail)
	resp, body := am.post("/complaints", complaintFormFor(a, t))
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("recording: %d %s", resp.StatusCode, mainText(doc(t, body)))
	}
	page := resp.Header.Get("Location")
	step := func(c *client, action string, kv ...string) {
		t.Helper()
		resp, body := c.post(page+"/"+action, form(kv...))
		if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != page {
			t.Fatalf("%s: %d %s", action, resp.StatusCode, mainText(doc(t, body)))
		}
	}
	step(am, "acknowledge", "date", "2026-12-04", "text", "Dear Joris, Mila handles it.")
	step(am, "notes", "note", "SECRET-FINDING: the driver dropped the pallet.")
	var investigator int64
	a.db.NewRaw(`SELECT id FROM users WHERE role = 'sales' LIMIT 1`).Scan(context.Background(), &investigator)
	step(cs, "assign", "investigator", fmt.Sprint(investigator))
	step(am, "progress", "date", "2026-12-15", "text", "We need until 15 December.")
	step(am, "resolve", "outcome", "apology", "explanation", "We spoke to the carrier.")
	_, body = am.get(page)
	d := doc(t, body)
	text := mainText(d)
	for _, want := range []string{"resolved", "Sam Sales", "SECRET-FINDING", "We spoke to the carrier."} {
		if !strings.Contains(text, want) {
			t.Errorf("the page lacks %q: %s", want, text)
		}
	}
	var mails []string
	a.db.NewRaw(`SELECT subject || ' ' || body FROM outbox WHERE to_address = 'buyer@bakkerij-jansen.test' AND id > ? ORDER BY id`, lastMail).Scan(context.Background(), &mails)
	if len(mails) != 3 {
		t.Errorf("%d mails to the contact, want the acknowledgement, the progress report and the answer", len(mails))
	}
	for _, m := range mails {
		if strings.Contains(m, "SECRET-FINDING") {
			t.Errorf("an internal note reached the customer: %s", m)
		}
	}
}

// complaintFormFor is a good complaint form of the demo customer.
func complaintFormFor(a *testApp, t *testing.T) url.Values {
	t.Helper()
	return badComplaintForm("customer", fmt.Sprint(a.companyID(t, "Bakkerij Jansen B.V.")))
}

// TestInternalNotesNeverReachTheCustomer: a customer's user cannot open
// the staff's complaint pages, and no mail holds a note.
func TestInternalNotesNeverReachTheCustomer(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	f := addComplaints(t, a)
	buyer := a.as(users.RoleCustomer)
	for _, id := range f.all() {
		resp, body := buyer.get(fmt.Sprintf("/complaints/%d", id))
		if resp.StatusCode != http.StatusForbidden || strings.Contains(body, "INTERNAL-NOTE") {
			t.Errorf("complaint %d as the customer: %d", id, resp.StatusCode)
		}
	}
	var n int
	a.db.NewRaw(`SELECT count(*) FROM outbox WHERE body LIKE '%INTERNAL-NOTE%' OR subject LIKE '%INTERNAL-NOTE%'`).Scan(context.Background(), &n)
	if n != 0 {
		t.Errorf("%d mails hold an internal note", n)
	}
}

// TestComplaintHomePages: the customer service manager's home page lists
// the flagged and the overdue complaints, the board's the escalated ones
// with their deadline, an account manager's those to acknowledge.
func TestComplaintHomePages(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	f := addComplaints(t, a)
	cases := []struct {
		role  users.Role
		title string
		count string
		row   string
	}{
		{users.RoleCustomerService, "Complaints unresolved after a week", "1", fmt.Sprintf("complaint %d", f.overdue)},
		{users.RoleCustomerService, "Overdue complaints", "1", "overdue by 7 days"},
		{users.RoleBoard, "Complaints escalated to the board", "1", fmt.Sprintf("complaint %d", f.escalated)},
		{users.RoleAccountManager, "Complaints to acknowledge", "2", fmt.Sprintf("complaint %d", f.received)},
	}
	for _, c := range cases {
		_, body := a.as(c.role).get("/")
		found := false
		doc(t, body).Find("li.work-item").Each(func(_ int, li *goquery.Selection) {
			if !strings.Contains(li.Find("a").First().Text(), c.title) {
				return
			}
			found = true
			if got := li.Find(".count").Text(); got != c.count || !strings.Contains(li.Find(".work-rows").Text(), c.row) {
				t.Errorf("%s, %s: count %s, rows %q; want %s and %q", c.role, c.title, got, strings.Join(strings.Fields(li.Find(".work-rows").Text()), " "), c.count, c.row)
			}
		})
		if !found {
			t.Errorf("the home page of %s has no %q", c.role, c.title)
		}
	}
	_, body := a.as(users.RoleBoard).get("/")
	if !strings.Contains(doc(t, body).Find("header nav").Text(), "Complaints") {
		t.Error("the board's menu has no complaints")
	}
}
