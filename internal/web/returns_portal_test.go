package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"wholesale/internal/invoicing"
	"wholesale/internal/orders"
	"wholesale/internal/pdf"
	"wholesale/internal/returns"
	"wholesale/internal/stock"
	"wholesale/internal/users"
)

// returnsService is the returns service of a test app, for the steps the
// staff take (approve, receive, test, settle).
func (a *testApp) returnsService() *returns.Service {
	return &returns.Service{DB: a.db, Clock: a.clk, Invoicing: invoicingFor(a.db, a.clk),
		Orders:     &orders.Service{DB: a.db, Clock: a.clk, BaseURL: "http://localhost:8080", Calendar: invoicing.LoadCalendar},
		WriteLabel: pdf.WriteReturnLabel, BaseURL: "http://localhost:8080"}
}

// shippedLine releases and ships an order po of the demo customer of qty ×
// sku, and returns the order's id and how the return form names its line.
func (a *testApp) shippedLine(t *testing.T, po, sku string, qty int) (int64, string) {
	t.Helper()
	o := a.releasedOrder(t, po, orders.LineInput{SKU: sku, Quantity: qty})
	a.ship(t, o.ID)
	var l struct {
		Shipment int64 `bun:"shipment_id"`
		Line     int64 `bun:"order_line_id"`
	}
	if err := a.db.NewRaw(`SELECT sl.shipment_id, sl.order_line_id FROM shipment_lines sl JOIN shipments sh ON sh.id = sl.shipment_id
		WHERE sh.order_id = ?`, o.ID).Scan(context.Background(), &l); err != nil {
		t.Fatal(err)
	}
	return o.ID, returns.LineValue(l.Shipment, l.Line)
}

// filePortalReturn posts the portal's return form as c with line and the values
// given (quantity 1, a fault, dead on arrival unless set), and returns the
// new return's id.
func filePortalReturn(t *testing.T, c *client, line string, kv ...string) int64 {
	t.Helper()
	v := form("line", line, "quantity", "1", "fault", "No power when switched on.", "doa", "1", "remedy", "replacement")
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			v.Del(kv[i])
		} else {
			v.Set(kv[i], kv[i+1])
		}
	}
	resp, body := c.post("/portal/returns", v)
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("filing the return: %d %.500s", resp.StatusCode, text(t, body))
	}
	var id int64
	if _, err := fmt.Sscanf(resp.Header.Get("Location"), "/portal/returns/%d", &id); err != nil {
		t.Fatalf("filed, then sent to %q", resp.Header.Get("Location"))
	}
	return id
}

// wantOnPage gets path as c and fails unless the page's <main> says each of want.
func wantOnPage(t *testing.T, c *client, path string, want ...string) string {
	t.Helper()
	resp, body := c.get(path)
	wantStatus(t, resp, http.StatusOK)
	main := text(t, body)
	for _, w := range want {
		if !strings.Contains(main, w) {
			t.Errorf("%s does not say %q: %.1500s", path, w, main)
		}
	}
	return body
}

// A customer finds "Return goods" on a shipped order, reads the rules and
// the line's dates on the form, files a return, follows it through the
// approval (the RA number, where to send it, by when, the label), the
// tests and the settlement with a credit note.
func TestPortalReturnFromTheOrderToTheCreditNote(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.sellerDetails(t)
	orderID, line := a.shippedLine(t, "RET-1", "KR-F3090", 3)
	buyer := a.as(users.RoleCustomer)

	_, body := buyer.get(fmt.Sprintf("/portal/orders/%d", orderID))
	href, _ := doc(t, body).Find(`main a:contains("Return goods")`).Attr("href")
	if want := fmt.Sprintf("/portal/returns/new?order=%d", orderID); href != want {
		t.Fatalf("the shipped order's page links %q to return goods, want %q", href, want)
	}
	// Shipped on Tuesday 24 November, no delivery date: received Thursday
	// 26 November; day 45 is Sunday 10 January, so the window ends Monday.
	body = wantOnPage(t, buyer, href, "up to 45 days after you received it", "brand's authorised service centre",
		"KR-F3090 Kettle Pro Aroma 1.7 l", "RET-1", "24 Nov 2026", "26 Nov 2026", "no delivery date known: the ship date plus 2 working days",
		"11 Jan 2027", "3 of 3")
	if v, _ := doc(t, body).Find(`input[name=line]`).Attr("value"); v != line {
		t.Fatalf("the form offers line %q, want %q", v, line)
	}
	if _, checked := doc(t, body).Find(`input[name=line]`).Attr("checked"); !checked {
		t.Error("the only line of the order is not chosen")
	}

	id := filePortalReturn(t, buyer, line, "quantity", "2", "serials", "SN-001\nSN-002", "remedy", "credit_note", "order", fmt.Sprint(orderID))
	page := fmt.Sprintf("/portal/returns/%d", id)
	body = wantOnPage(t, buyer, page, "Your return request is sent", fmt.Sprintf("Return %d", id), "Status: waiting for approval",
		"2 × KR-F3090", "SN-001, SN-002", "No power when switched on.", "26 Nov 2026", "11 Jan 2027", "a credit note",
		"Your account manager checks the request", "No longer want to return the units? Cancel the request.")
	if strings.Contains(text(t, body), "RA number is then no longer valid") {
		t.Error("the cancel form of a request speaks of an RA number it does not have")
	}
	body = wantOnPage(t, buyer, "/portal/returns", fmt.Sprintf("return %d", id), "KR-F3090 Kettle Pro Aroma 1.7 l", "RET-1", "waiting for approval")
	if got, _ := doc(t, body).Find(fmt.Sprintf("#return-%d a", id)).Attr("href"); got != page {
		t.Errorf("the list links %q, want %q", got, page)
	}
	_, body = buyer.get("/")
	if doc(t, body).Find(`header nav a[href="/portal/returns"]`).Length() != 1 {
		t.Error("the portal's navigation has no link to the returns")
	}

	svc := a.returnsService()
	ctx, am := a.user(t, users.RoleAccountManager)
	approved, err := svc.Approve(ctx, am, id)
	if err != nil {
		t.Fatal(err)
	}
	ra := approved.RA()
	// Approved on 24 November: the parcel must arrive within 14 days. The
	// address is the label's, in the company's language (Dutch).
	body = wantOnPage(t, buyer, page, "Return "+ra, "Status: RA issued, parcel on its way",
		"Send the units back with RA number "+ra, "Put the RA number "+ra+" on the outside of the parcel",
		"Groothandel BV", "Afdeling retouren", "Havenweg 1", "3011 AA Rotterdam", "It must arrive by 8 December 2026")
	labelHref, _ := doc(t, body).Find(`main a:contains("Download the label (PDF)")`).Attr("href")
	if labelHref != page+"/label.pdf" {
		t.Fatalf("label link %q", labelHref)
	}
	resp, label := buyer.get(labelHref)
	wantStatus(t, resp, http.StatusOK)
	if !strings.HasPrefix(label, "%PDF") || resp.Header.Get("Content-Type") != "application/pdf" ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), ra+".pdf") {
		t.Fatalf("the label: %s %s %.20q", resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"), label)
	}
	if pdfText := documentText(t, "pdf", []byte(label)); !strings.Contains(pdfText, ra) || !strings.Contains(pdfText, "Havenweg 1") {
		t.Errorf("the label says: %.400s", pdfText)
	}
	wantOnPage(t, buyer, "/portal/returns", ra, "8 Dec 2026")

	ctx, wh := a.user(t, users.RoleWarehouse)
	if _, err := svc.Receive(ctx, wh, returns.ReceiveInput{RA: ra}); err != nil {
		t.Fatal(err)
	}
	wantOnPage(t, buyer, page, "Status: received, being tested", "We received the parcel on 24 Nov 2026")
	if _, err := svc.Test(ctx, wh, id, returns.TestInput{Units: []returns.UnitTest{
		{UnitNo: 1, Result: returns.ResultFaultConfirmed, Note: "Heating element open circuit."},
		{UnitNo: 2, Result: returns.ResultNoFaultFound, Note: "Heats normally."}}}); err != nil {
		t.Fatal(err)
	}
	wantOnPage(t, buyer, page, "Status: tested, to be settled", "SN-001", "fault confirmed", "Heating element open circuit.",
		"SN-002", "no fault found", "Heats normally.")

	numbers := a.invoiceNow(t) // the kettles' invoice, which the credit note corrects
	ctx, am = a.user(t, users.RoleAccountManager)
	r, err := svc.Settle(ctx, am, id, returns.SettleInput{Note: "Agreed by phone with Joris."})
	if err != nil {
		t.Fatal(err)
	}
	if r.CreditNote == nil || len(numbers) != 1 {
		t.Fatalf("settled without a credit note: %+v %v", r.Settlement, numbers)
	}
	body = wantOnPage(t, buyer, page, "Status: settled", "Settled on 24 Nov 2026", "credit note issued", "Credit note "+*r.CreditNote,
		"We send 1 unit back to you")
	if strings.Contains(text(t, body), "Agreed by phone") {
		t.Error("the customer reads the account manager's own note")
	}
	if _, j := a.apiClient(t, users.RoleCustomer).get(fmt.Sprintf("/api/v1/returns/%d", id)); strings.Contains(j, "Agreed by phone") || !strings.Contains(j, `"credit_note":"`+*r.CreditNote) {
		t.Errorf("the customer's API: %s", j)
	}
	if _, j := a.apiClient(t, users.RoleAccountManager).get(fmt.Sprintf("/api/v1/returns/%d", id)); !strings.Contains(j, `"settle_note":"Agreed by phone with Joris."`) {
		t.Errorf("the account manager's API: %s", j)
	}
	cn, _ := doc(t, body).Find(`main a:contains("Credit note")`).Attr("href")
	if cn != "/portal/invoices/"+*r.CreditNote {
		t.Fatalf("credit note link %q", cn)
	}
	wantOnPage(t, buyer, cn, *r.CreditNote, numbers[0])
	if doc(t, body).Find("form.cancel-return").Length() != 0 {
		t.Error("a settled return can still be cancelled")
	}
}

// A defect that is no DOA, a product that is not returned to us and a
// brand without a centre on file: each return is referred at once, and
// the customer reads where to go.
func TestPortalReturnReferredShowsTheServiceCentre(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	_, kettle := a.shippedLine(t, "RET-2", "KR-F3090", 1)
	_, kit := a.shippedLine(t, "RET-3", "KR-XS5300", 1)
	if rep, err := (&stock.Service{DB: a.db, Clock: a.clk}).ImportStock(context.Background(), []byte("sku,warehouse,on_hand\nMX-QA1,MAIN,2\n")); err != nil || len(rep.Errors) > 0 {
		t.Fatal(err, rep)
	}
	_, mixer := a.shippedLine(t, "RET-4", "MX-QA1", 1)
	buyer := a.as(users.RoleCustomer)

	id := filePortalReturn(t, buyer, kettle, "doa", "", "fault", "The lid no longer closes.")
	body := wantOnPage(t, buyer, fmt.Sprintf("/portal/returns/%d", id), "Your report is recorded",
		"Status: referred to the service centre", "The unit was not dead on arrival", "Service centre of Krups",
		"Groupe SEB Service Nederland", "Postbus 1, 3800 AA Amersfoort", "+31 33 000 0000", "service@groupeseb.test")
	d := doc(t, body)
	if web, _ := d.Find(`.service-centre a[href^="https://"]`).Attr("href"); web != "https://service.groupeseb.test" {
		t.Errorf("the centre's website links %q", web)
	}
	if mail, _ := d.Find(`.service-centre a[href^="mailto:"]`).Attr("href"); mail != "mailto:service@groupeseb.test" {
		t.Errorf("the centre's e-mail links %q", mail)
	}
	if d.Find("form.cancel-return").Length() != 0 || d.Find(`a[href$="/label.pdf"]`).Length() != 0 {
		t.Error("a referred return offers a cancel form or a label")
	}
	resp, _ := buyer.get(fmt.Sprintf("/portal/returns/%d/label.pdf", id))
	wantStatus(t, resp, http.StatusConflict)

	id = filePortalReturn(t, buyer, kit)
	wantOnPage(t, buyer, fmt.Sprintf("/portal/returns/%d", id), "This product is not returned to us", "Groupe SEB Service Nederland")

	id = filePortalReturn(t, buyer, mixer, "doa", "", "fault", "The bowl cracked after a month.")
	wantOnPage(t, buyer, fmt.Sprintf("/portal/returns/%d", id), "referred to the service centre",
		"Your account manager gives you the details of the authorised service centre of Moulinex.")
}

// The customer cancels a return with a reason; without one the form says
// so, and a cancelled return cannot be cancelled again.
func TestPortalReturnCancel(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	_, line := a.shippedLine(t, "RET-5", "KR-F3090", 2)
	buyer := a.as(users.RoleCustomer)
	id := filePortalReturn(t, buyer, line)
	page := fmt.Sprintf("/portal/returns/%d", id)
	ctx, am := a.user(t, users.RoleAccountManager)
	approved, err := a.returnsService().Approve(ctx, am, id)
	if err != nil {
		t.Fatal(err)
	}

	resp, body := buyer.post(page+"/cancel", url.Values{"reason": {"  "}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if msg := fieldMessage(doc(t, body), "form.cancel-return", "reason"); msg != "Say why you cancel the return." {
		t.Errorf("message at the reason (the customer reads it, not about the customer): %q", msg)
	}
	if !strings.Contains(text(t, body), approved.RA()) {
		t.Error("the page came back without its RA")
	}
	resp, _ = buyer.post(page+"/cancel", url.Values{"reason": {"We repaired it ourselves."}})
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != page {
		t.Fatalf("cancel: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	body = wantOnPage(t, buyer, page, "The return is cancelled.", "Status: cancelled", "The return was cancelled.",
		"Reason: We repaired it ourselves.")
	if doc(t, body).Find("form.cancel-return").Length() != 0 {
		t.Error("a cancelled return still has the cancel form")
	}
	resp, body = buyer.post(page+"/cancel", url.Values{"reason": {"Twice."}})
	wantStatus(t, resp, http.StatusConflict)
	if !strings.Contains(text(t, body), "it can no longer be cancelled") {
		t.Errorf("cancelling twice: %.300s", text(t, body))
	}
	// The units it held can be returned again.
	wantOnPage(t, buyer, "/portal/returns/new", "2 of 2")
}

// addPortalReturns gives the walk the demo's returns (settled with a credit
// note, approved, waiting for approval, referred to a service centre) and,
// of the order the walk invoiced, one whose units are tested and one
// cancelled.
func (f *pageFixture) addPortalReturns(t *testing.T, a *testApp) {
	t.Helper()
	ctx := context.Background()
	lines, err := returns.ShippedLines(ctx, a.db, f.customer, f.invoiced, 10)
	if err != nil || len(lines) == 0 {
		t.Fatalf("the walk's invoiced order has no shipped lines: %v", err)
	}
	svc := a.returnsService()
	bctx, buyer := a.user(t, users.RoleCustomer)
	in := returns.RequestInput{ShipmentID: lines[0].ShipmentID, OrderLineID: lines[0].OrderLineID, Quantity: 1, Serials: "SN-WALK-1",
		Fault: "Dead on arrival.", DOA: true}
	tested, err := svc.Request(bctx, buyer, in)
	if err != nil {
		t.Fatal(err)
	}
	actx, am := a.user(t, users.RoleAccountManager)
	if tested, err = svc.Approve(actx, am, tested.ID); err != nil {
		t.Fatal(err)
	}
	wctx, wh := a.user(t, users.RoleWarehouse)
	if _, err := svc.Receive(wctx, wh, returns.ReceiveInput{RA: tested.RA()}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Test(wctx, wh, tested.ID, returns.TestInput{Units: []returns.UnitTest{{UnitNo: 1, Result: returns.ResultDamaged, Note: "Dropped."}}}); err != nil {
		t.Fatal(err)
	}
	cancelled, err := svc.Request(bctx, buyer, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Cancel(bctx, buyer, cancelled.ID, returns.ReasonInput{Reason: "Found the fault ourselves."}); err != nil {
		t.Fatal(err)
	}
	if err := a.db.NewRaw("SELECT id FROM returns ORDER BY id DESC").Scan(ctx, &f.portalReturns); err != nil {
		t.Fatal(err)
	}
	if err := a.db.NewRaw("SELECT id FROM returns WHERE ra_number IS NOT NULL ORDER BY id").Scan(ctx, &f.portalWithRA); err != nil {
		t.Fatal(err)
	}
	var states []string
	a.db.NewRaw("SELECT DISTINCT state FROM returns ORDER BY state").Scan(ctx, &states)
	if got := strings.Join(states, ","); got != "approved,cancelled,referred,requested,settled,tested" {
		t.Fatalf("the walk's returns are %s", got)
	}
}

// badPortalReturn is the return form's name of the line of 2 kettles that
// BAD-INV-1 shipped, and a return of one of them the customer asked for.
func badPortalReturn(t *testing.T, a *testApp) (string, int64) {
	t.Helper()
	ctx, buyer := a.user(t, users.RoleCustomer)
	lines, err := returns.ShippedLines(ctx, a.db, *buyer.CompanyID, a.orderID(t, "BAD-INV-1"), 10)
	if err != nil || len(lines) != 1 {
		t.Fatalf("BAD-INV-1 shipped %d lines: %v", len(lines), err)
	}
	r, err := a.returnsService().Request(ctx, buyer, returns.RequestInput{ShipmentID: lines[0].ShipmentID, OrderLineID: lines[0].OrderLineID,
		Quantity: 1, Fault: "Dead on arrival.", DOA: true})
	if err != nil {
		t.Fatal(err)
	}
	return lines[0].Value(), r.ID
}

// portalReturnValues is a good return of 1 kettle of BAD-INV-1 (1 is left to
// return), with one field replaced.
func portalReturnValues(field, value string) url.Values {
	v := form("line", "{portalline}", "quantity", "1", "serials", "SN-1", "fault", "No power.", "doa", "1", "remedy", "replacement")
	v.Set(field, value)
	return v
}

var (
	portalReturnTables = []string{"returns", "return_units"}
	portalReturnStates = []string{"SELECT string_agg(state || '|' || closed_note, ',' ORDER BY id) FROM returns"}
)

func portalCancelPath(f *badFixture) string {
	return fmt.Sprintf("/portal/returns/%d/cancel", f.portalReturn)
}

// portalReturnBadCases are the portal's return forms in the bad input table.
var portalReturnBadCases = []badCase{
	{name: "return: 2^31 units", role: users.RoleCustomer, path: path("/portal/returns"), form: portalReturnValues("quantity", "2147483648"), field: "quantity",
		want: "at most", keep: true, watch: portalReturnTables},
	{name: "return: negative units", role: users.RoleCustomer, path: path("/portal/returns"), form: portalReturnValues("quantity", "-1"), field: "quantity",
		want: "minus", keep: true, watch: portalReturnTables},
	{name: "return: units in words", role: users.RoleCustomer, path: path("/portal/returns"), form: portalReturnValues("quantity", "two"), field: "quantity",
		want: "digits only", keep: true, watch: portalReturnTables},
	{name: "return: no units", role: users.RoleCustomer, path: path("/portal/returns"), form: portalReturnValues("quantity", "0"), field: "quantity",
		want: "from 1 to 10,000", keep: true, watch: portalReturnTables},
	{name: "return: more than is left", role: users.RoleCustomer, path: path("/portal/returns"), form: portalReturnValues("quantity", "2"), field: "quantity",
		want: "At most 1 of this line can still be returned: 2 shipped, 1 in returns already.", keep: true, watch: portalReturnTables},
	{name: "return: no fault", role: users.RoleCustomer, path: path("/portal/returns"), form: portalReturnValues("fault", " "), field: "fault",
		want: "Describe the fault", watch: portalReturnTables},
	{name: "return: fault with NUL", role: users.RoleCustomer, path: path("/portal/returns"), form: portalReturnValues("fault", "dead\x00"), field: "fault",
		want: "NUL", watch: portalReturnTables},
	{name: "return: fault of 2,001", role: users.RoleCustomer, path: path("/portal/returns"), form: portalReturnValues("fault", long2001), field: "fault",
		want: "at most 2,000", keep: true, watch: portalReturnTables},
	{name: "return: serial with NUL", role: users.RoleCustomer, path: path("/portal/returns"), form: portalReturnValues("serials", "SN\x001"), field: "serials",
		want: "NUL", watch: portalReturnTables},
	{name: "return: serials bad bytes", role: users.RoleCustomer, path: path("/portal/returns"), form: portalReturnValues("serials", "SN-1\xff"), field: "serials",
		want: "UTF-8", watch: portalReturnTables},
	{name: "return: serial of 101", role: users.RoleCustomer, path: path("/portal/returns"), form: portalReturnValues("serials", strings.Repeat("S", 101)), field: "serials",
		want: "at most 100 characters", keep: true, watch: portalReturnTables},
	{name: "return: three serials for one unit", role: users.RoleCustomer, path: path("/portal/returns"), form: portalReturnValues("serials", "SN-1\nSN-2\nSN-3"), field: "serials",
		want: "3 serial numbers for 1 unit:", keep: true, watch: portalReturnTables},
	{name: "return cancel: no reason", role: users.RoleCustomer, path: portalCancelPath, form: form("reason", " "), field: "reason",
		want: "Say why", scope: "form.cancel-return", watch: portalReturnStates},
	{name: "return cancel: reason with NUL", role: users.RoleCustomer, path: portalCancelPath, form: form("reason", "no\x00"), field: "reason",
		want: "NUL", scope: "form.cancel-return", watch: portalReturnStates},
	{name: "return cancel: reason of 2,001", role: users.RoleCustomer, path: portalCancelPath, form: form("reason", long2001), field: "reason",
		want: "at most 2,000", scope: "form.cancel-return", keep: true, watch: portalReturnStates},
}

// The return form the table spoils is good but for the field it spoils,
// and a choice that is no shipped line of the customer's is refused at
// the lines.
func TestReturnFormOfTheBadInputTableIsGood(t *testing.T) {
	t.Parallel()
	f := newBadFixture(t)
	buyer := f.clients[users.RoleCustomer]
	var german string
	lines, err := returns.ShippedLines(context.Background(), f.app.db, f.app.companyID(t, "Küchenwelt Müller GmbH"), 0, 10)
	if err != nil || len(lines) == 0 {
		t.Fatalf("Küchenwelt's shipped lines: %v", err)
	}
	german = lines[0].Value()
	before := f.app.count(t, "SELECT count(*) FROM returns")
	for _, line := range []string{"", "12-", "x-y", german} {
		resp, body := buyer.post("/portal/returns", portalReturnValues("line", line))
		wantStatus(t, resp, http.StatusUnprocessableEntity)
		d := doc(t, body)
		if msg := strings.TrimSpace(d.Find("fieldset .field-error").First().Text()); msg != "Choose the shipped line the return concerns." {
			t.Errorf("line %q: message %q", line, msg)
		}
		if d.Find("input[name=line]:checked").Length() != 0 && line != "" {
			t.Errorf("line %q: a line is chosen on the form again", line)
		}
		if typed := typedValue(d, "", "fault"); typed != "No power." {
			t.Errorf("line %q: the fault typed is lost: %q", line, typed)
		}
	}
	if after := f.app.count(t, "SELECT count(*) FROM returns"); after != before {
		t.Fatalf("refused forms wrote %d returns", after-before)
	}
	values := url.Values{}
	for k, v := range portalReturnValues("remedy", "credit_note") {
		values.Set(k, f.resolve(v[0]))
	}
	if resp, body := buyer.post("/portal/returns", values); resp.StatusCode != http.StatusFound {
		t.Errorf("%d %.300s", resp.StatusCode, text(t, body))
	}
	resp, _ := buyer.post(fmt.Sprintf("/portal/returns/%d/cancel", f.portalReturn), url.Values{"reason": {"fine"}})
	wantStatus(t, resp, http.StatusFound)
}

// A customer of another company finds none of the demo customer's returns:
// not in its lists, not by their addresses, not by the API.
func TestReturnsOfAnotherCompanyAreNotFound(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	orderID, line := a.shippedLine(t, "RET-6", "KR-F3090", 1)
	id := filePortalReturn(t, a.as(users.RoleCustomer), line)
	ctx, am := a.user(t, users.RoleAccountManager)
	if _, err := a.returnsService().Approve(ctx, am, id); err != nil {
		t.Fatal(err)
	}
	page := fmt.Sprintf("/portal/returns/%d", id)

	other := a.otherBuyer(t)
	for _, p := range []string{page, page + "/label.pdf"} {
		if resp, _ := other.get(p); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s as another company: %d, want 404", p, resp.StatusCode)
		}
	}
	if resp, _ := other.post(page+"/cancel", url.Values{"reason": {"mine now"}}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("cancel as another company: %d, want 404", resp.StatusCode)
	}
	body := wantOnPage(t, other, "/portal/returns", "You have not returned anything yet.")
	if strings.Contains(body, "KR-F3090") || strings.Contains(body, page) {
		t.Error("another company's list shows the return")
	}
	resp, body := other.get(fmt.Sprintf("/portal/returns/new?order=%d", orderID))
	if resp.StatusCode != http.StatusNotFound || doc(t, body).Find("input[name=line]").Length() != 0 {
		t.Errorf("another company's order in the return form: %d, want 404 without its shipped lines", resp.StatusCode)
	}
	resp, body = other.post("/portal/returns", form("line", line, "quantity", "1", "fault", "Mine.", "doa", "1"))
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if !strings.Contains(text(t, body), "Choose the shipped line the return concerns.") {
		t.Errorf("filing another company's line: %.300s", text(t, body))
	}

	api := a.otherCustomerAPI(t)
	resp, body = api.get(fmt.Sprintf("/api/v1/returns/%d", id))
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, `"kind":"not_found"`) {
		t.Errorf("the API's return for another company: %d %s", resp.StatusCode, body)
	}
	for _, p := range []string{"/api/v1/returns", fmt.Sprintf("/api/v1/returns?customer=%d", a.companyID(t, "Bakkerij Jansen B.V.")),
		"/api/v1/returns/shipped-lines"} {
		resp, body = api.get(p)
		wantStatus(t, resp, http.StatusOK)
		if !strings.Contains(body, `"returns":[]`) && !strings.Contains(body, `"shipped_lines":[]`) {
			t.Errorf("%s for another company: %s", p, body)
		}
	}
	if resp, body = api.get(fmt.Sprintf("/api/v1/returns/shipped-lines?order=%d", orderID)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the shipped lines of another company's order: %d %s", resp.StatusCode, body)
	}
	// The demo customer's own API finds it.
	resp, body = a.apiClient(t, users.RoleCustomer).get(fmt.Sprintf("/api/v1/returns/%d", id))
	wantStatus(t, resp, http.StatusOK)
	if !strings.Contains(body, `"ra_number":"RA-2026-`) || !strings.Contains(body, `"sku":"KR-F3090"`) {
		t.Errorf("the customer's own return: %s", body)
	}
}

// apiReturn is a return as the API answers it.
type apiReturn struct {
	ID            int64  `json:"id"`
	State         string `json:"state"`
	Quantity      int    `json:"quantity"`
	SKU           string `json:"sku"`
	RANumber      string `json:"ra_number"`
	SettleNote    string `json:"settle_note"`
	ServiceCentre *struct {
		Name string `json:"name"`
	} `json:"service_centre"`
}

// A customer's system finds its shipped lines, files a return once however
// often it sends the same request with its Idempotency-Key, and lists its
// returns by pages; the account manager files one for the customer.
func TestAPIReturnsFileOncePerKeyAndList(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	orderID, _ := a.shippedLine(t, "RET-7", "KR-F3090", 3)
	api := a.apiClient(t, users.RoleCustomer)

	resp, body := api.get(fmt.Sprintf("/api/v1/returns/shipped-lines?order=%d", orderID))
	wantStatus(t, resp, http.StatusOK)
	var lines struct {
		Lines []struct {
			ShipmentID  int64  `json:"shipment_id"`
			OrderLineID int64  `json:"order_line_id"`
			SKU         string `json:"sku"`
			Shipped     int    `json:"shipped"`
			Left        int    `json:"left"`
			WindowEnds  string `json:"window_ends"`
			ReceivedOn  string `json:"received_on"`
		} `json:"shipped_lines"`
	}
	if err := json.Unmarshal([]byte(body), &lines); err != nil || len(lines.Lines) != 1 {
		t.Fatalf("shipped lines: %v %s", err, body)
	}
	l := lines.Lines[0]
	if l.SKU != "KR-F3090" || l.Shipped != 3 || l.Left != 3 || !strings.HasPrefix(l.ReceivedOn, "2026-11-26") || !strings.HasPrefix(l.WindowEnds, "2027-01-11") {
		t.Fatalf("the shipped line: %+v", l)
	}

	req := fmt.Sprintf(`{"shipment_id": %d, "order_line_id": %d, "quantity": 2, "serials": "A1\nA2", "fault": "Dead.", "dead_on_arrival": true, "remedy": "credit_note"}`,
		l.ShipmentID, l.OrderLineID)
	var first, again apiReturn
	resp, body = api.raw(http.MethodPost, "/api/v1/returns", "application/json", req, map[string]string{"Idempotency-Key": "ret-7-a"})
	if resp.StatusCode != http.StatusCreated || json.Unmarshal([]byte(body), &first) != nil || first.State != "requested" || first.Quantity != 2 {
		t.Fatalf("first request: %d %s", resp.StatusCode, body)
	}
	if loc := resp.Header.Get("Location"); loc != fmt.Sprintf("/api/v1/returns/%d", first.ID) {
		t.Errorf("Location %q", loc)
	}
	resp, body = api.raw(http.MethodPost, "/api/v1/returns", "application/json", req, map[string]string{"Idempotency-Key": "ret-7-a"})
	if resp.StatusCode != http.StatusCreated || resp.Header.Get("Idempotent-Replayed") != "true" || json.Unmarshal([]byte(body), &again) != nil || again.ID != first.ID {
		t.Fatalf("the retry: %d %s %s", resp.StatusCode, resp.Header.Get("Idempotent-Replayed"), body)
	}
	if n := a.count(t, fmt.Sprintf("SELECT count(*) FROM returns WHERE order_id = %d", orderID)); n != 1 {
		t.Fatalf("the same key made %d returns", n)
	}
	// Another key is another return: 1 left of 3.
	resp, _ = api.raw(http.MethodPost, "/api/v1/returns", "application/json", strings.Replace(req, `"quantity": 2, "serials": "A1\nA2"`, `"quantity": 1`, 1),
		map[string]string{"Idempotency-Key": "ret-7-b"})
	wantStatus(t, resp, http.StatusCreated)
	resp, body = api.get(fmt.Sprintf("/api/v1/returns/shipped-lines?order=%d", orderID))
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `"left":0`) {
		t.Errorf("after two returns: %s", body)
	}

	// The account manager files a defect that is no DOA for the customer: referred.
	amAPI := a.apiClient(t, users.RoleAccountManager)
	o2, _ := a.shippedLine(t, "RET-8", "TF-XA5105", 1)
	resp, body = amAPI.get(fmt.Sprintf("/api/v1/returns/shipped-lines?customer=%d&order=%d", a.companyID(t, "Bakkerij Jansen B.V."), o2))
	wantStatus(t, resp, http.StatusOK)
	lines.Lines = nil
	json.Unmarshal([]byte(body), &lines)
	if len(lines.Lines) != 1 {
		t.Fatalf("the account manager's shipped lines: %s", body)
	}
	var referred apiReturn
	resp, body = amAPI.raw(http.MethodPost, "/api/v1/returns", "application/json", fmt.Sprintf(`{"company_id": %d, "shipment_id": %d, "order_line_id": %d, "quantity": 1, "fault": "Coating peels."}`,
		a.companyID(t, "Bakkerij Jansen B.V."), lines.Lines[0].ShipmentID, lines.Lines[0].OrderLineID), nil)
	if resp.StatusCode != http.StatusCreated || json.Unmarshal([]byte(body), &referred) != nil || referred.State != "referred" ||
		referred.ServiceCentre == nil || referred.ServiceCentre.Name != "Groupe SEB Service Nederland" {
		t.Fatalf("the account manager's return: %d %s", resp.StatusCode, body)
	}

	// The list, newest first, by pages of one.
	var page struct {
		Returns    []apiReturn `json:"returns"`
		More       bool        `json:"more"`
		NextBefore int64       `json:"next_before"`
	}
	resp, body = api.get(fmt.Sprintf("/api/v1/returns?order=%d&limit=1", orderID))
	wantStatus(t, resp, http.StatusOK)
	if err := json.Unmarshal([]byte(body), &page); err != nil || len(page.Returns) != 1 || !page.More || page.Returns[0].ID <= first.ID {
		t.Fatalf("first page: %v %s", err, body)
	}
	_, body = api.get(fmt.Sprintf("/api/v1/returns?order=%d&limit=1&before=%d", orderID, page.NextBefore))
	page.Returns, page.More = nil, false
	if err := json.Unmarshal([]byte(body), &page); err != nil || len(page.Returns) != 1 || page.More || page.Returns[0].ID != first.ID {
		t.Fatalf("second page: %v %s", err, body)
	}
	_, body = api.get("/api/v1/returns?state=referred")
	if !strings.Contains(body, fmt.Sprintf(`"id":%d,`, referred.ID)) || strings.Contains(body, fmt.Sprintf(`"id":%d,`, first.ID)) {
		t.Errorf("the referred returns: %s", body)
	}
}

// Bad input to the returns API gets a 4xx with the message at the field,
// never a 5xx, and writes nothing.
func TestAPIReturnsRefuseBadInputAtTheField(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	_, line := a.shippedLine(t, "RET-9", "KR-F3090", 1)
	var sh, ol int64
	fmt.Sscanf(line, "%d-%d", &sh, &ol)
	api := a.apiClient(t, users.RoleCustomer)
	good := fmt.Sprintf(`{"shipment_id": %d, "order_line_id": %d, "quantity": 1, "fault": "Dead.", "dead_on_arrival": true}`, sh, ol)
	with := func(field, value string) string {
		var m map[string]any
		json.Unmarshal([]byte(good), &m)
		var v any
		if err := json.Unmarshal([]byte(value), &v); err != nil {
			t.Fatalf("%s: %v", value, err)
		}
		m[field] = v
		b, _ := json.Marshal(m)
		return string(b)
	}
	german, err := returns.ShippedLines(context.Background(), a.db, a.companyID(t, "Küchenwelt Müller GmbH"), 0, 1)
	if err != nil || len(german) == 0 {
		t.Fatalf("Küchenwelt's lines: %v", err)
	}
	cases := []struct {
		name, method, path, contentType, body string
		status                                int
		field                                 string
	}{
		{"form-encoded body", "POST", "/api/v1/returns", "application/x-www-form-urlencoded", "quantity=1", 415, ""},
		{"not JSON", "POST", "/api/v1/returns", "application/json", `{"quantity": `, 422, ""},
		{"unknown field", "POST", "/api/v1/returns", "application/json", with("line", `"1-2"`), 422, "line"},
		{"quantity as text", "POST", "/api/v1/returns", "application/json", with("quantity", `"1"`), 422, "quantity"},
		{"quantity 1e20", "POST", "/api/v1/returns", "application/json", with("quantity", `1e20`), 422, "quantity"},
		{"no quantity", "POST", "/api/v1/returns", "application/json", with("quantity", `0`), 422, "quantity"},
		{"quantity 2^63-1", "POST", "/api/v1/returns", "application/json", with("quantity", `9223372036854775807`), 422, "quantity"},
		{"more than shipped", "POST", "/api/v1/returns", "application/json", with("quantity", `2`), 422, "quantity"},
		{"no line", "POST", "/api/v1/returns", "application/json", with("shipment_id", `0`), 422, "line"},
		{"no such shipment", "POST", "/api/v1/returns", "application/json", with("shipment_id", `999999`), 422, "line"},
		{"another company's line", "POST", "/api/v1/returns", "application/json", with("order_line_id", fmt.Sprint(german[0].OrderLineID)), 422, "line"},
		{"another company's shipment", "POST", "/api/v1/returns", "application/json",
			fmt.Sprintf(`{"shipment_id": %d, "order_line_id": %d, "quantity": 1, "fault": "x"}`, german[0].ShipmentID, german[0].OrderLineID), 422, "line"},
		{"no fault", "POST", "/api/v1/returns", "application/json", with("fault", `"  "`), 422, "fault"},
		{"NUL in the fault", "POST", "/api/v1/returns", "application/json", with("fault", `"dead\u0000"`), 422, "fault"},
		{"a 1 MB fault", "POST", "/api/v1/returns", "application/json", with("fault", `"`+strings.Repeat("f", 1<<20)+`"`), 422, "fault"},
		{"an unknown remedy", "POST", "/api/v1/returns", "application/json", with("remedy", `"refund"`), 422, "remedy"},
		{"dead on arrival as text", "POST", "/api/v1/returns", "application/json", with("dead_on_arrival", `"yes"`), 422, "dead_on_arrival"},
		{"unknown state", "GET", "/api/v1/returns?state=lost", "", "", 422, "state"},
		{"limit in words", "GET", "/api/v1/returns?limit=ten", "", "", 422, "limit"},
		{"before negative", "GET", "/api/v1/returns?before=-3", "", "", 422, "before"},
		{"order in words", "GET", "/api/v1/returns/shipped-lines?order=first", "", "", 422, "order"},
		{"no such return", "GET", "/api/v1/returns/999999", "", "", 404, ""},
		{"a return id in words", "GET", "/api/v1/returns/first", "", "", 404, ""},
	}
	written := func() int {
		return a.count(t, "SELECT count(*) FROM returns") + a.count(t, "SELECT count(*) FROM outbox") + a.count(t, "SELECT count(*) FROM audit_log")
	}
	for _, c := range cases {
		before := written()
		resp, body := api.raw(c.method, c.path, c.contentType, c.body, nil)
		if after := written(); after != before {
			t.Errorf("%s wrote %d rows", c.name, after-before)
		}
		if resp.StatusCode != c.status {
			t.Errorf("%s: %d %.300s, want %d", c.name, resp.StatusCode, body, c.status)
			continue
		}
		var e struct {
			Error struct {
				Message string            `json:"message"`
				Fields  map[string]string `json:"fields"`
			} `json:"error"`
		}
		if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error.Message == "" {
			t.Errorf("%s: not an error answer: %.300s", c.name, body)
		}
		if c.field != "" && e.Error.Fields[c.field] == "" {
			t.Errorf("%s: no message at %s: %.300s", c.name, c.field, body)
		}
	}
	// Staff name the customer whose lines they want.
	resp, body := a.apiClient(t, users.RoleAdmin).get("/api/v1/returns/shipped-lines")
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `"customer":"Choose the customer."`) {
		t.Errorf("shipped lines without a customer: %d %s", resp.StatusCode, body)
	}
	resp, body = api.raw(http.MethodPost, "/api/v1/returns", "application/json; charset=utf-8", good, nil)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("the good request: %d %s", resp.StatusCode, body)
	}
}
