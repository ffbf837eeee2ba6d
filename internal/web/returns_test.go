package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"wholesale/internal/orders"
	"wholesale/internal/users"
)

// returnRows are the rows of the list at path as c sees them, cell texts joined by " | ".
func returnRows(t *testing.T, c *client, path string) []string {
	t.Helper()
	resp, body := c.get(path)
	wantStatus(t, resp, http.StatusOK)
	return cellRows(doc(t, body), "main table.returns")
}

// withText are the rows that contain text: the test's own among the
// demo's.
func withText(rows []string, text string) []string {
	var out []string
	for _, r := range rows {
		if strings.Contains(r, text) {
			out = append(out, r)
		}
	}
	return out
}

// queued is how many things the home page of c counts in the queue title.
func queued(t *testing.T, c *client, title string) int {
	t.Helper()
	_, body := c.get("/")
	w, ok := workOf(t, body)[title]
	if !ok {
		t.Fatalf("no queue %q on the home page", title)
	}
	return atoi(t, w.count)
}

// cellRows are the rows of the table sel, cell texts joined by " | ".
func cellRows(d *goquery.Document, sel string) []string {
	var rows []string
	d.Find(sel + " tbody tr").Each(func(_ int, tr *goquery.Selection) {
		var cells []string
		tr.Find("td").Each(func(_ int, td *goquery.Selection) {
			cells = append(cells, strings.Join(strings.Fields(td.Text()), " "))
		})
		rows = append(rows, strings.Join(cells, " | "))
	})
	return rows
}

// The account manager files a customer's DOA return from the order page,
// which waits on the home page; approving it issues the next RA number
// and mails the customer the instructions with the label as PDF; the list,
// the label and the audit trail show it.
func TestAccountManagerFilesAndApprovesAReturn(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.sellerDetails(t)
	order := a.shippedOrder(t, "RET-1", orders.LineInput{SKU: "KR-F3090", Quantity: 3})
	am := a.as(users.RoleAccountManager)
	waiting := queued(t, am, "Returns to approve")

	_, body := am.get(fmt.Sprintf("/orders/%d", order))
	link, _ := doc(t, body).Find("#returns a.button").Attr("href")
	if want := fmt.Sprintf("/returns/new?customer=%d&order=%d", a.companyID(t, "Bakkerij Jansen B.V."), order); link != want {
		t.Fatalf("the order page links to %q to return goods, want %q", link, want)
	}
	resp, body := am.get(link)
	wantStatus(t, resp, http.StatusOK)
	d := doc(t, body)
	line := a.returnLine(t, order, "KR-F3090")
	if radio := d.Find(fmt.Sprintf("input[name=line][value='%s']", line)); radio.Length() != 1 || radio.AttrOr("checked", "no") == "no" {
		t.Fatalf("the form offers no line %s chosen (%d)", line, radio.Length())
	}
	row := strings.Join(strings.Fields(d.Find("table.lines tbody tr").First().Text()), " ")
	for _, want := range []string{"KR-F3090", "3 on 24 Nov 2026", "26 Nov 2026", "ship date plus 2 working days", "11 Jan 2027"} {
		if !strings.Contains(row, want) {
			t.Errorf("the shipped line reads %q, without %q", row, want)
		}
	}

	page := fileReturn(t, am, a.returnForm(t, order, "KR-F3090", "quantity", "2", "serials", "SN-100\nSN-101", "remedy", "credit_note"))
	_, body = am.get(page)
	d = doc(t, body)
	fs := facts(d.Find("main dl.facts"))
	if !strings.Contains(mainText(d), "State: waiting for approval") || fs["Quantity"] != "2" || fs["Serial numbers"] != "SN-100 SN-101" ||
		fs["The customer would like"] != "a credit note" || fs["End of the DOA window"] != "11 Jan 2027" {
		t.Errorf("the return's page: %q", fs)
	}
	if n := queued(t, am, "Returns to approve"); n != waiting+1 {
		t.Errorf("the home page counts %d returns to approve, want %d", n, waiting+1)
	}

	returnAct(t, am, page, "approve", nil)
	_, body = am.get(page)
	d = doc(t, body)
	ra := strings.TrimSpace(d.Find("dd.ra").Text())
	if ra != a.raOf(t, page) || !strings.HasPrefix(ra, "RA-2026-") {
		t.Fatalf("RA number %q", ra)
	}
	if fs := facts(d.Find("main dl.facts")); fs["Must arrive by"] != "8 Dec 2026" {
		t.Errorf("the parcel must arrive by %q, want 14 days after approval", fs["Must arrive by"])
	}
	trail := historyRows(t, body, "#audit-trail")
	if !hasRow(trail, "request", "state: waiting for approval") || !hasRow(trail, "approve", "RA number: "+ra) {
		t.Errorf("audit trail %q", trail)
	}
	var mails []struct {
		To       string `bun:"to_address"`
		Subject  string `bun:"subject"`
		Filename string `bun:"filename"`
		Type     string `bun:"content_type"`
		Size     int    `bun:"size"`
	}
	if err := a.db.NewRaw(`SELECT o.to_address, o.subject, a.filename, a.content_type, length(a.content) AS size FROM outbox o
		JOIN outbox_attachments a ON a.outbox_id = o.id WHERE o.subject LIKE '%' || ? || '%'`, ra).Scan(context.Background(), &mails); err != nil {
		t.Fatal(err)
	}
	if len(mails) != 1 || mails[0].To != "buyer@bakkerij-jansen.test" || mails[0].Filename != ra+".pdf" || mails[0].Type != "application/pdf" || mails[0].Size < 1000 {
		t.Errorf("the approval mail: %+v", mails)
	}

	for _, role := range []users.Role{users.RoleAccountManager, users.RoleWarehouse, users.RoleSales, users.RoleFinance, users.RoleAdmin} {
		rows := withText(returnRows(t, a.as(role), "/returns?state=open"), "RET-1")
		if len(rows) != 1 || rows[0] != ra+" | Bakkerij Jansen B.V. | "+fmt.Sprint(order)+" RET-1 | KR-F3090 | 2 | RA issued, parcel on its way | 0 | 8 Dec 2026" {
			t.Errorf("%s: the open returns %q", role, rows)
		}
	}
	resp, body = am.get(page + "/label.pdf")
	wantStatus(t, resp, http.StatusOK)
	if ct, cd := resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"); ct != "application/pdf" || !strings.Contains(cd, ra+".pdf") {
		t.Errorf("label: %s, %s", ct, cd)
	}
	if text := documentText(t, "pdf", []byte(body)); !strings.Contains(text, ra) || !strings.Contains(text, "Groothandel BV") {
		t.Errorf("the label reads %q", text)
	}
	_, body = am.get(fmt.Sprintf("/orders/%d", order))
	if rows := cellRows(doc(t, body), "#returns"); len(rows) != 1 || rows[0] != ra+" | KR-F3090 | 2 | RA issued, parcel on its way | 24 Nov 2026" {
		t.Errorf("the order's returns: %q", rows)
	}
}

// The warehouse refuses a parcel with an unknown or an expired RA (the
// message at the field, nothing written), receives one with a valid RA,
// which opens its test form, and records each unit's result.
func TestWarehouseRefusesReceivesAndTests(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	order := a.shippedOrder(t, "RET-2", orders.LineInput{SKU: "KR-F3090", Quantity: 2})
	am, wh := a.as(users.RoleAccountManager), a.as(users.RoleWarehouse)
	page := fileReturn(t, am, a.returnForm(t, order, "KR-F3090", "quantity", "2", "serials", "SN-7"))
	resp, _ := wh.get(page)
	wantStatus(t, resp, http.StatusNotFound) // no RA yet: nothing for the warehouse
	returnAct(t, am, page, "approve", nil)
	ra := a.raOf(t, page)

	written := func() string {
		var s string
		a.db.NewRaw(`SELECT (SELECT count(*) FROM return_units) || '/' || (SELECT count(*) FROM audit_log) || '/' ||
			(SELECT string_agg(state, ',') FROM returns)`).Scan(context.Background(), &s)
		return s
	}
	refused := func(typed, want string) {
		t.Helper()
		before := written()
		resp, body := wh.post("/returns/receive", form("ra", typed))
		wantStatus(t, resp, http.StatusUnprocessableEntity)
		d := doc(t, body)
		if msg := strings.TrimSpace(d.Find("p.refuse").Text()); !strings.Contains(msg, want) || fieldMessage(d, "", "ra") != msg {
			t.Errorf("%s: the refusal reads %q, want %q", typed, msg, want)
		}
		if after := written(); after != before {
			t.Errorf("%s: refused, yet %s became %s", typed, before, after)
		}
	}
	refused("RA-2026-000099", "No return has RA number RA-2026-000099: refuse the parcel.")
	a.clk.Advance(15 * 24 * time.Hour) // 9 Dec: the parcel was due by 8 Dec
	wh = a.as(users.RoleWarehouse)
	refused(ra, "RA "+ra+" expired on 8 Dec 2026: refuse the parcel.")
	rows := withText(returnRows(t, wh, "/returns?state=approved"), ra)
	if len(rows) != 1 || !strings.HasPrefix(rows[0], ra+" | Bakkerij Jansen B.V. | ") || !strings.Contains(rows[0], "RA expired: the parcel did not arrive by 8 Dec 2026 | ") ||
		!strings.HasSuffix(rows[0], " | 8 Dec 2026") {
		t.Errorf("the list shows the expired RA as %q", rows)
	}
	a.clk.Advance(-15 * 24 * time.Hour)
	wh = a.as(users.RoleWarehouse)

	expected, testing := queued(t, wh, "Return parcels expected"), queued(t, wh, "Returns to test")
	settling := queued(t, am, "Returns to settle")
	resp, _ = wh.post("/returns/receive", form("ra", " "+strings.ToLower(ra)+" "))
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || loc != page+"#test" {
		t.Fatalf("receiving: %d %s", resp.StatusCode, loc)
	}
	if e, n := queued(t, wh, "Return parcels expected"), queued(t, wh, "Returns to test"); e != expected-1 || n != testing+1 {
		t.Errorf("the warehouse's home page expects %d parcels and has %d returns to test, want %d and %d", e, n, expected-1, testing+1)
	}
	_, body := wh.get(page)
	d := doc(t, body)
	if n := d.Find("form.test-form select").Length(); n != 2 {
		t.Fatalf("the test form has %d result fields, want one per unit", n)
	}
	if legend := strings.TrimSpace(d.Find("form.test-form legend").First().Text()); legend != "Unit 1, serial number SN-7" {
		t.Errorf("first unit %q", legend)
	}
	returnAct(t, wh, page, "test", form("result_1", "fault_confirmed", "note_1", "No power at all."))
	_, body = wh.get(page)
	if !strings.Contains(mainText(doc(t, body)), "State: received, being tested") {
		t.Errorf("with one unit tested: %s", mainText(doc(t, body)))
	}
	returnAct(t, wh, page, "test", form("result_1", "fault_confirmed", "note_1", "No power at all.", "result_2", "damaged_by_customer", "note_2", "Dropped: cracked base."))
	_, body = wh.get(page)
	d = doc(t, body)
	units := cellRows(d, "table.units")
	if !strings.Contains(mainText(d), "State: tested, to be settled") || len(units) != 2 ||
		!strings.HasPrefix(units[0], "1 | SN-7 | fault confirmed | No power at all. | 24 Nov 2026") ||
		!strings.HasPrefix(units[1], "2 |  | damaged by the customer | Dropped: cracked base. | 24 Nov 2026") {
		t.Errorf("units %q", units)
	}
	if n := queued(t, am, "Returns to settle"); n != settling+1 {
		t.Errorf("the account manager's home page counts %d returns to settle, want %d", n, settling+1)
	}
}

// Settled with a credit note: the units whose fault is confirmed are
// credited at the original invoice line's price, the good one back into
// stock; the return links the credit note, the units show where they went.
func TestAccountManagerSettlesWithACreditNote(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.sellerDetails(t)
	order := a.shippedOrder(t, "RET-3", orders.LineInput{SKU: "KR-F3090", Quantity: 3})
	a.invoiceNow(t)
	am := a.as(users.RoleAccountManager)
	page := fileReturn(t, am, a.returnForm(t, order, "KR-F3090", "quantity", "3", "remedy", "credit_note"))
	returnAct(t, am, page, "approve", nil)
	a.receiveAndTest(t, page, "fault_confirmed", "fault_confirmed", "no_fault_found")
	_, body := am.get(page)
	if checked := doc(t, body).Find("form.settle-form input[name=remedy][checked]").AttrOr("value", ""); checked != "credit_note" {
		t.Errorf("the settle form proposes %q, not the customer's choice", checked)
	}
	returnAct(t, am, page, "settle", form("remedy", "credit_note", "good_units", "restocked", "note", "Agreed with Joris."))
	var cn string
	var qty int
	if err := a.db.NewRaw(`SELECT i.number, il.quantity FROM returns r JOIN invoices i ON i.id = r.credit_note_id JOIN invoice_lines il ON il.invoice_id = i.id
		WHERE r.id = ?`, returnID(t, page)).Scan(context.Background(), &cn, &qty); err != nil {
		t.Fatal(err)
	}
	_, body = am.get(page)
	d := doc(t, body)
	if href := d.Find("a.credit-note").AttrOr("href", ""); href != "/invoices/"+cn || qty != -3 {
		t.Errorf("credit note %s of %d units, linked as %q", cn, qty, href)
	}
	fs := facts(d.Find("main dl.facts"))
	if !strings.HasPrefix(fs["Settlement"], "credit note issued") || fs["Note"] != "Agreed with Joris." {
		t.Errorf("settlement %q", fs)
	}
	var went []string
	d.Find("table.units tbody tr td:last-child").Each(func(_ int, td *goquery.Selection) { went = append(went, strings.TrimSpace(td.Text())) })
	if strings.Join(went, "|") != "quarantine|quarantine|back into stock" {
		t.Errorf("the units went to %q", went)
	}
	_, body = a.as(users.RoleWarehouse).get("/returns/quarantine")
	if rows := withText(cellRows(doc(t, body), "table.quarantine"), a.raOf(t, page)); len(rows) != 2 || !strings.HasPrefix(rows[0], "KR-F3090 |") {
		t.Errorf("quarantine: %s", mainText(doc(t, body)))
	}
}

// Settled with a replacement: a zero-priced order linked to the return,
// whose page says what it replaces.
func TestAccountManagerSettlesWithAReplacement(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	order := a.shippedOrder(t, "RET-4", orders.LineInput{SKU: "KR-F3090", Quantity: 1})
	am := a.as(users.RoleAccountManager)
	page := fileReturn(t, am, a.returnForm(t, order, "KR-F3090"))
	returnAct(t, am, page, "approve", nil)
	ra := a.raOf(t, page)
	a.receiveAndTest(t, page, "fault_confirmed")
	returnAct(t, am, page, "settle", form("remedy", "replacement"))
	_, body := am.get(page)
	d := doc(t, body)
	href := d.Find("a.replacement").AttrOr("href", "")
	var replacement int64
	if _, err := fmt.Sscanf(href, "/orders/%d", &replacement); err != nil {
		t.Fatalf("no link to the replacement order: %q", href)
	}
	if fs := facts(d.Find("main dl.facts")); !strings.HasPrefix(fs["Settlement"], "replacement order placed") {
		t.Errorf("settlement %q", fs["Settlement"])
	}
	_, body = am.get(href)
	d = doc(t, body)
	link := d.Find("p.replacement-of a")
	if link.AttrOr("href", "") != page || strings.TrimSpace(link.Text()) != ra {
		t.Errorf("the replacement order links to %q %q", link.AttrOr("href", ""), link.Text())
	}
	if fs := facts(d.Find("main dl.facts")); !strings.Contains(fs["Confirmed"], "a replacement: it needs no confirmation") || fs["Total incl. VAT"] != enAmount(0) {
		t.Errorf("the replacement order: %q", fs)
	}
	if trail := historyRows(t, body, "#audit-trail"); !hasRow(trail, "create", "po reference: "+ra, "total incl. VAT: "+enAmount(0)) {
		t.Errorf("the replacement's trail %q", trail)
	}
}

// A defect that is no DOA is referred to the brand's service centre at
// once: the page names the centre with its contact details and why, and
// the customer is mailed them.
func TestReferredReturnShowsTheServiceCentre(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	order := a.shippedOrder(t, "RET-5", orders.LineInput{SKU: "KR-F3090", Quantity: 1})
	am := a.as(users.RoleAccountManager)
	page := fileReturn(t, am, a.returnForm(t, order, "KR-F3090", "doa", "", "fault", "Stopped heating after a month."))
	resp, body := am.get(page)
	wantStatus(t, resp, http.StatusOK)
	d := doc(t, body)
	centre := strings.Join(strings.Fields(d.Find("section.service-centre").Text()), " ")
	for _, want := range []string{"Authorised service centre of Krups", "Groupe SEB Service Nederland", "Postbus 1, 3800 AA Amersfoort", "+31 33 000 0000",
		"service@groupeseb.test", "https://service.groupeseb.test"} {
		if !strings.Contains(centre, want) {
			t.Errorf("the service centre reads %q, without %q", centre, want)
		}
	}
	if text := mainText(d); !strings.Contains(text, "State: referred to the service centre") || !strings.Contains(text, "not dead on arrival") ||
		d.Find("form.approve-form").Length() != 0 {
		t.Errorf("the referred return: %s", text)
	}
	var n int
	a.db.NewRaw("SELECT count(*) FROM outbox WHERE to_address = 'buyer@bakkerij-jansen.test' AND body LIKE '%Groupe SEB Service Nederland%' AND body LIKE '%RET-5%'").Scan(context.Background(), &n)
	if n != 1 {
		t.Errorf("%d mails with the service centre", n)
	}
	_, body = a.as(users.RoleSales).get("/returns?state=referred")
	if rows := withText(cellRows(doc(t, body), "table.returns"), "RET-5"); len(rows) != 1 || !strings.HasPrefix(rows[0], "return "+strings.TrimPrefix(page, "/returns/")+" |") {
		t.Errorf("the referred list: %s", mainText(doc(t, body)))
	}
}

// Rejecting and cancelling take a reason, which the page shows; the
// export lists the returns as filtered, with the RA number.
func TestRejectCancelAndExport(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	order := a.shippedOrder(t, "RET-6", orders.LineInput{SKU: "KR-F3090", Quantity: 3})
	am := a.as(users.RoleAccountManager)
	rejected := fileReturn(t, am, a.returnForm(t, order, "KR-F3090"))
	cancelled := fileReturn(t, am, a.returnForm(t, order, "KR-F3090"))
	approved := fileReturn(t, am, a.returnForm(t, order, "KR-F3090"))
	returnAct(t, am, rejected, "reject", form("reason", "The photo shows a broken plug: damage in use."))
	returnAct(t, am, cancelled, "cancel", form("reason", "The customer found the fuse."))
	returnAct(t, am, approved, "approve", nil)
	for page, want := range map[string]string{rejected: "The account manager turned the return down. Reason: The photo shows a broken plug",
		cancelled: "The return was cancelled. Reason: The customer found the fuse."} {
		_, body := am.get(page)
		if note := strings.Join(strings.Fields(doc(t, body).Find("main p.note").Text()), " "); !strings.Contains(note, want) {
			t.Errorf("%s: %q", page, note)
		}
	}
	resp, body := am.get("/returns.xlsx?state=approved")
	wantStatus(t, resp, http.StatusOK)
	text := documentText(t, "xlsx", []byte(body))
	if !strings.Contains(text, a.raOf(t, approved)) || !strings.Contains(text, "RA issued, parcel on its way") || strings.Contains(text, "rejected") {
		t.Errorf("the export reads %q", text)
	}
	resp, body = a.as(users.RoleFinance).get("/returns.xlsx")
	wantStatus(t, resp, http.StatusOK)
	if text := documentText(t, "xlsx", []byte(body)); strings.Count(text, "RET-6") != 3 {
		t.Errorf("finance's export of every return: %q", text)
	}
}

// The admin sets the days a parcel has to arrive; the next RA gets them.
func TestAdminSetsTheDaysAReturnParcelHasToArrive(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	admin := a.as(users.RoleAdmin)
	resp, _ := admin.post("/admin/settings/returns", form("ra_arrive_days", "21"))
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/admin/settings#returns" {
		t.Fatalf("saving: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body := admin.get("/admin/settings")
	if v := typedValue(doc(t, body), "", "ra_arrive_days"); v != "21" {
		t.Errorf("the form shows %q", v)
	}
	order := a.shippedOrder(t, "RET-7", orders.LineInput{SKU: "KR-F3090", Quantity: 1})
	am := a.as(users.RoleAccountManager)
	page := fileReturn(t, am, a.returnForm(t, order, "KR-F3090"))
	returnAct(t, am, page, "approve", nil)
	_, body = am.get(page)
	if by := facts(doc(t, body).Find("main dl.facts"))["Must arrive by"]; by != "15 Dec 2026" {
		t.Errorf("must arrive by %q, want 21 days after 24 Nov", by)
	}
}

// Units that go back to the customer wait on the warehouse's home page and
// quarantine page until they are sent with a tracking number; the return's
// page and the portal then show how they went.
func TestReturnUnitsSentBack(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	order := a.shippedOrder(t, "RET-BACK", orders.LineInput{SKU: "KR-F3090", Quantity: 1})
	am, wh := a.as(users.RoleAccountManager), a.as(users.RoleWarehouse)
	page := fileReturn(t, am, a.returnForm(t, order, "KR-F3090"))
	returnAct(t, am, page, "approve", nil)
	a.receiveAndTest(t, page, "damaged_by_customer")
	waiting := queued(t, wh, "Returned units to send back")
	returnAct(t, am, page, "settle", nil)
	if n := queued(t, wh, "Returned units to send back"); n != waiting+1 {
		t.Fatalf("the warehouse's home page has %d returns to send back, want %d", n, waiting+1)
	}
	ra := a.raOf(t, page)
	_, body := wh.get("/returns/quarantine")
	if rows := withText(cellRows(doc(t, body), "table.send-back"), ra); len(rows) != 1 || !strings.Contains(rows[0], "KR-F3090 | 1") {
		t.Fatalf("the quarantine page's list to send back: %q", rows)
	}

	resp, body := wh.post(page+"/send-back", form("carrier", "UPS", "tracking_number", "not a number"))
	d := doc(t, body)
	if resp.StatusCode != http.StatusUnprocessableEntity || d.Find("#back-tracking").AttrOr("value", "") != "not a number" ||
		!strings.Contains(d.Find("form.send-back-form").Text(), "UPS") {
		t.Fatalf("a bad tracking number: %d, form %q", resp.StatusCode, d.Find("form.send-back-form").Text())
	}
	if n := queued(t, wh, "Returned units to send back"); n != waiting+1 {
		t.Fatal("a refused send-back changed the list")
	}
	returnAct(t, wh, page, "send-back", form("carrier", "UPS", "tracking_number", "1z999aa10123456784"))
	_, body = wh.get(page)
	if got := strings.Join(strings.Fields(doc(t, body).Find("dd.sent-back").Text()), " "); !strings.Contains(got, "UPS · 1Z999AA10123456784") ||
		doc(t, body).Find("form.send-back-form").Length() != 0 {
		t.Fatalf("the return's page after sending back: %q", got)
	}
	if n := queued(t, wh, "Returned units to send back"); n != waiting {
		t.Fatalf("%d returns to send back after sending, want %d", n, waiting)
	}
	wantOnPage(t, a.as(users.RoleCustomer), fmt.Sprintf("/portal/returns/%d", returnID(t, page)), "with UPS.", "Track the parcel 1Z999AA10123456784")
}

// The returns list shows fifty returns a page, newest first, and links to
// the older ones, whose page goes on where the first stopped.
func TestReturnListPages(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	f := addReturns(t, a)
	// Fifty more requests like the first, filed later, each with its fault.
	if _, err := a.db.ExecContext(context.Background(), `INSERT INTO returns (company_id, order_id, order_line_id, shipment_id, product_id, quantity,
		serials, fault, doa, remedy, received_on, received_rule, window_ends, state, created_by, created_at, updated_at)
		SELECT company_id, order_id, order_line_id, shipment_id, product_id, quantity, serials, 'Copy ' || n, doa, remedy, received_on,
			received_rule, window_ends, state, created_by, created_at, updated_at
		FROM returns, generate_series(1, 50) AS n WHERE id = ? ORDER BY n`, f.requested); err != nil {
		t.Fatal(err)
	}
	var newest int64
	if err := a.db.NewRaw("SELECT max(id) FROM returns").Scan(context.Background(), &newest); err != nil {
		t.Fatal(err)
	}
	am := a.as(users.RoleAccountManager)
	resp, body := am.get("/returns")
	wantStatus(t, resp, http.StatusOK)
	d := doc(t, body)
	rows := cellRows(d, "main table.returns")
	if len(rows) != 50 || !strings.HasPrefix(rows[0], fmt.Sprintf("return %d |", newest)) || !strings.HasPrefix(rows[49], fmt.Sprintf("return %d |", newest-49)) {
		t.Fatalf("first page: %d rows, want returns %d to %d: %q", len(rows), newest, newest-49, rows)
	}
	next, ok := d.Find(`main a:contains("Older returns")`).Attr("href")
	if !ok {
		t.Fatal("no link to the older returns")
	}
	if d.Find(`main a:contains("Newest returns")`).Length() != 0 {
		t.Error("the first page links to itself as the newest")
	}
	_, body = am.get(next)
	if first, _ := doc(t, body).Find(`main a:contains("Newest returns")`).Attr("href"); first != "/returns?customer=&state=" {
		t.Errorf("the older page's link to the newest: %q", first)
	}
	rows = returnRows(t, am, next)
	if len(rows) == 0 || !strings.HasPrefix(rows[0], fmt.Sprintf("return %d |", newest-50)) || len(withText(rows, fmt.Sprintf("return %d |", f.requested))) != 1 {
		t.Fatalf("second page (%s), want it from return %d, with %d: %q", next, newest-50, f.requested, rows)
	}
}
