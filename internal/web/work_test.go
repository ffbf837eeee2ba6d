package web_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"wholesale/internal/mail"
	"wholesale/internal/users"
)

// workSeen is one queue as a home page shows it.
type workSeen struct {
	count, href, note string
	rows              []string
}

// workOf reads the queues of a home page, by title.
func workOf(t *testing.T, body string) map[string]workSeen {
	t.Helper()
	out := map[string]workSeen{}
	doc(t, body).Find("main li.work-item").Each(func(_ int, li *goquery.Selection) {
		a := li.Children().Filter("a").First()
		count := strings.TrimSpace(a.Find(".count").Text())
		title := strings.TrimSuffix(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(a.Text()), count)), ":")
		href, _ := a.Attr("href")
		w := workSeen{count: count, href: href, note: strings.Join(strings.Fields(li.Text()), " ")}
		li.Find("table.work-rows tbody tr").Each(func(_ int, tr *goquery.Selection) {
			var cells []string
			tr.Find("td").Each(func(_ int, td *goquery.Selection) {
				cells = append(cells, strings.Join(strings.Fields(td.Text()), " "))
			})
			w.rows = append(w.rows, strings.Join(cells, " | "))
		})
		out[title] = w
	})
	return out
}

// failingTransport refuses every mail, as an SMTP server that is down.
type failingTransport struct{}

func (failingTransport) Name() string { return "smtp" }
func (failingTransport) Send(context.Context, string, *mail.Message) error {
	return errors.New("dial tcp: connection refused")
}

// TestHomePagesShowEachRolesWork opens each role's home page on the demo
// data (with the walk's held order and second application) and checks each
// queue's count and link, and that the link shows as many things as the
// count says.
func TestHomePagesShowEachRolesWork(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	newPageFixture(t, a)
	a.clk.Advance(50 * time.Hour)
	ctx := context.Background()

	type queue struct {
		title, count, href string
		// items is what the linked list shows one of per waiting thing.
		items string
		// also is a text the queue must show.
		also string
	}
	check := func(role users.Role, want []queue) map[string]workSeen {
		t.Helper()
		c := a.as(role)
		_, body := c.get("/")
		work := workOf(t, body)
		if len(work) != len(want) {
			t.Errorf("%s sees %d queues, want %d: %v", role, len(work), len(want), work)
		}
		for _, q := range want {
			w, ok := work[q.title]
			if !ok {
				t.Errorf("%s has no queue %q: %v", role, q.title, work)
				continue
			}
			if w.count != q.count || w.href != q.href || !strings.Contains(w.note, q.also) {
				t.Errorf("%s, %q: %s at %s (%q), want %s at %s with %q", role, q.title, w.count, w.href, w.note, q.count, q.href, q.also)
			}
			resp, list := c.get(w.href)
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s follows %s: %d", role, w.href, resp.StatusCode)
				continue
			}
			if n := doc(t, list).Find("main " + q.items).Length(); n != atoi(t, q.count) {
				t.Errorf("%s follows %s: %d there, the home page says %s", role, w.href, n, q.count)
			}
		}
		return work
	}
	orderRows := "table tbody a[href^='/orders/']"
	sales := check(users.RoleSales, []queue{
		{"Applications waiting", "2", "/applications", "table tbody a[href^='/applications/']", "the oldest received 2 d 2 h ago"},
		{"Account changes confirmed in writing, to approve", "1", "/changes?status=awaiting_approval", "table tbody a[href^='/changes/']",
			"1 more wait for the customer's written confirmation."},
		{"Orders held for credit approval", "1", "/credit-holds", orderRows, "the oldest placed 2 d 2 h ago"},
	})
	if rows := sales["Applications waiting"].rows; len(rows) != 2 || rows[0] != "A-1 Koffiebranderij De Boon B.V. (new) | 2 d 2 h" ||
		rows[1] != "A-2 Groente Groothandel Pieters (waiting for the applicant) | 2 d 2 h" {
		t.Errorf("applications, oldest first: %q", rows)
	}
	check(users.RoleAccountManager, []queue{
		{"Orders awaiting the customer's confirmation", "1", "/orders?status=awaiting_confirmation", orderRows, "placed"},
		{"Orders held for credit approval", "1", "/orders?status=awaiting_credit", orderRows, "placed"},
		{"Back orders whose expected date moved", "2", "/backorders?moved=1", "table tbody .flag", "the oldest moved 2 d 2 h ago"},
		{"Overdue invoices of your customers", "0", "/reminders", "table.reminders tbody a[href^='/invoices/']", ""},
		// The page walk's returns: the staff's fixture and the portal's, one each.
		{"Returns to approve", "2", "/returns?state=requested", "table.returns tbody tr", "the oldest has waited 2 d 2 h"},
		{"Returns to settle", "2", "/returns?state=tested", "table.returns tbody tr", "settle with a replacement or a credit note"},
		// The walk's complaints (the staff's fixture and the portal's): received, overdue and the portal's received; acknowledged.
		{"Complaints to acknowledge", "3", "/complaints?state=received", "table.complaints tbody tr", "overdue by"},
		{"Complaints to answer", "2", "/complaints?state=acknowledged", "table.complaints tbody tr", "resolution or progress report"},
	})
	check(users.RoleCustomerService, []queue{
		{"Complaints unresolved after a week", "1", "/complaints?flagged=1&unassigned=1", "table.complaints tbody tr", "Assign an investigator."},
		{"Overdue complaints", "1", "/complaints?overdue=1", "table.complaints tbody tr", "overdue by"},
	})
	check(users.RoleBoard, []queue{
		{"Complaints escalated to the board", "2", "/complaints?state=escalated", "table.complaints tbody tr", "the board's answer by"},
	})
	check(users.RoleWarehouse, []queue{
		// The demo's, the walk's partly shipped order and the replacement of a return.
		{"Orders released to ship", "4", "/warehouse/ship", "table tbody tr", "placed"},
		{"Return parcels expected", "2", "/returns?state=approved", "table.returns tbody tr", "the oldest has waited 2 d 2 h"},
		{"Returns to test", "0", "/returns?state=received", "table.returns tbody tr", ""},
		{"Returned units to send back", "0", "/returns/quarantine#send-back", "table.send-back tbody tr", ""},
		{"Supplier deliveries due by 3 Dec 2026 (late ones included)", "1", "/supplier-orders?due=1", "section.card",
			"The first is expected on 28 Nov 2026."},
	})
	// The customer's: its orders to confirm, its invoices to pay, its returns to send.
	check(users.RoleCustomer, []queue{
		{"Orders that wait for your confirmation", "1", "/portal/orders?status=awaiting_confirmation", "table tbody a[href^='/portal/orders/']", "They ship once you confirm them."},
		// The demo's invoice and the walk's.
		{"Invoices to pay", "2", "/portal/invoices?state=unpaid", "table tbody a[href^='/portal/invoices/']", "a credit note lowers what is owed"},
		// The page walk's approved returns: the staff's fixture and the portal's.
		{"Returns to send to us", "2", "/portal/returns?state=approved", "table.returns tbody tr", "the first must arrive by 8 Dec 2026"},
	})
	if _, body := a.as(users.RoleCustomer).get("/"); !strings.Contains(body, `href="/portal/orders"`) {
		t.Error("the customer's home page has no way to the orders")
	}

	// The admin's: a mail the SMTP server refused, a login locked out.
	sender := &mail.Sender{DB: a.db, Transport: failingTransport{}, Clock: a.clk, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if _, err := sender.DeliverPending(ctx, 1); err != nil {
		t.Fatal(err)
	}
	thief := a.client()
	for i := 0; i < 5; i++ {
		thief.post("/login", url.Values{"email": {"buyer@bakkerij-jansen.test"}, "password": {"not the password at all"}})
	}
	check(users.RoleAdmin, []queue{
		{"Mail that failed to send", "1", "/admin/mail?failed=1", "table tbody a[href^='/admin/mail/']", "Each is tried again"},
		{"Accounts locked after failed logins", "1", "/admin/users?locked=1", "table tbody a[href^='/admin/users/']", ""},
	})
	_, body := a.as(users.RoleAdmin).get("/admin/users?locked=1")
	if rows := doc(t, body).Find("main tbody tr"); !strings.Contains(rows.Text(), "buyer@bakkerij-jansen.test") || !strings.Contains(rows.Text(), "locked until") {
		t.Errorf("locked users: %q", rows.Text())
	}
}

// TestMovedBackOrderIsToldOnce: the account manager tells the customer of a
// moved date and marks the line; it leaves the queue and the list, and the
// mark is in the audit trail.
func TestMovedBackOrderIsToldOnce(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	am := a.as(users.RoleAccountManager)
	_, body := am.get("/backorders?moved=1")
	d := doc(t, body)
	forms := d.Find("main form[action$='/promise']")
	if forms.Length() != 2 || !strings.Contains(d.Find("main tbody").Text(), "moved from") {
		t.Fatalf("moved lines: %d forms\n%s", forms.Length(), d.Find("main tbody").Text())
	}
	action, _ := forms.First().Attr("action")
	resp, _ := am.post(action, nil)
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/backorders?moved=1" {
		t.Fatalf("telling: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body = am.get("/")
	if w := workOf(t, body)["Back orders whose expected date moved"]; w.count != "1" {
		t.Errorf("after telling one: %+v", w)
	}
	_, body = am.get("/backorders?moved=1")
	if n := doc(t, body).Find("main form[action$='/promise']").Length(); n != 1 {
		t.Errorf("%d moved lines left, want 1", n)
	}
	_, body = am.get("/backorders")
	if n := doc(t, body).Find("main tbody tr").Length(); n < 3 {
		t.Errorf("every waiting line: %d rows", n)
	}
	promises := func() int {
		var n int
		a.db.NewSelect().Table("audit_log").ColumnExpr("count(*)").Where("entity = 'demand' AND action = 'promise' AND actor = 'am@wholesale.test'").
			Scan(context.Background(), &n)
		return n
	}
	if n := promises(); n != 1 {
		t.Errorf("%d promise entries in the audit trail", n)
	}
	// Telling again (a second click) changes nothing.
	if resp, _ := am.post(action, nil); resp.StatusCode != http.StatusFound || promises() != 1 {
		t.Errorf("telling again: %d, %d entries", resp.StatusCode, promises())
	}
	if resp, _ := am.post("/backorders/999999/promise", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown line: %d", resp.StatusCode)
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return n
}

// TestHomePageInDutch: a Dutch account manager's home page names the work
// and its queues in Dutch, with the waited time the Dutch way.
func TestHomePageInDutch(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.clk.Advance(50 * time.Hour)
	_, body := a.asDutch(users.RoleAccountManager).get("/")
	d := doc(t, body)
	if h := d.Find("main h1").Text(); h != "Welkom, Mila Accountmanager" {
		t.Errorf("heading %q", h)
	}
	if h := d.Find("main #work-heading").Text(); h != "Te doen" {
		t.Errorf("work heading %q", h)
	}
	work := workOf(t, body)
	for _, title := range []string{"Orders die wachten op bevestiging door de klant", "Orders die wachten op kredietgoedkeuring",
		"Naleveringen waarvan de verwachte datum is verschoven"} {
		if _, ok := work[title]; !ok {
			t.Errorf("no queue %q: %v", title, work)
		}
	}
	if w := work["Naleveringen waarvan de verwachte datum is verschoven"]; !strings.Contains(w.note, "de oudste 2 d 2 u geleden verschoven") ||
		!strings.Contains(w.note, "Geef de klant de nieuwe datum door") {
		t.Errorf("moved back orders: %q", w.note)
	}
}
