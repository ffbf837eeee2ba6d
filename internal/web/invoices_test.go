package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/uptrace/bun"
	"github.com/xuri/excelize/v2"

	"wholesale/internal/catalog"
	"wholesale/internal/clock"
	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/invoicing"
	"wholesale/internal/orders"
	"wholesale/internal/stock"
	"wholesale/internal/users"
)

// cookbook adds a product at 9 % VAT with stock, so that an invoice has
// two rates.
func (a *testApp) cookbook(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	if _, err := (&catalog.Service{DB: a.db, Clock: a.clk}).Save(ctx, catalog.ProductInput{SKU: "BK-COOK", Name: "Baking book",
		UnitPrice: "10,05", VATRate: "9", DOAReturnable: "no", Supply: "normal"}); err != nil {
		t.Fatal(err)
	}
	if rep, err := (&stock.Service{DB: a.db, Clock: a.clk}).ImportStock(ctx, []byte("sku,warehouse,on_hand\nBK-COOK,MAIN,100\n")); err != nil || rep.Failed() {
		t.Fatal(err, rep.Errors)
	}
}

// invoiced places, ships and invoices (finance's "invoice now") an order
// of the demo customer: 2 kettles at 21 % and 3 baking books at 9 %, and
// shipping. It returns the order and the invoice as stored.
func (a *testApp) invoiced(t *testing.T, po string) (*orders.Order, *invoicing.Invoice) {
	t.Helper()
	a.sellerDetails(t)
	if n, _ := a.db.NewSelect().Table("products").Where("sku = 'BK-COOK'").Count(context.Background()); n == 0 {
		a.cookbook(t)
	}
	a.clearDrafts(t)
	o := a.releasedOrder(t, po, orders.LineInput{SKU: "KR-F3090", Quantity: 2}, orders.LineInput{SKU: "BK-COOK", Quantity: 3})
	a.ship(t, o.ID)
	numbers := a.invoiceNow(t)
	if len(numbers) != 1 {
		t.Fatalf("invoice now issued %v, want one invoice", numbers)
	}
	return o, a.stored(t, numbers[0])
}

// clearDrafts issues the demo customer's drafts (the demo ships an order
// today), so that the next invoice of the customer holds a test's order only.
func (a *testApp) clearDrafts(t *testing.T) {
	t.Helper()
	if n, _ := a.db.NewSelect().Table("invoices").Where("state = 'draft' AND company_id = ?", a.companyID(t, "Bakkerij Jansen B.V.")).
		Count(context.Background()); n > 0 {
		a.invoiceNow(t)
	}
}

// nextNumber is the number the next document of kind gets in 2026: the
// series has no gaps.
func (a *testApp) nextNumber(t *testing.T, kind string) string {
	t.Helper()
	var last int
	a.db.NewRaw("SELECT COALESCE(max(last_number), 0) FROM invoice_series WHERE kind = ? AND year = 2026", kind).Scan(context.Background(), &last)
	return invoicing.FormatNumber(kind, 2026, last+1)
}

// stored is the document with number as finance reads it.
func (a *testApp) stored(t *testing.T, number string) *invoicing.Invoice {
	t.Helper()
	ctx, fin := a.user(t, users.RoleFinance)
	inv, err := invoicingFor(a.db, a.clk).Get(ctx, fin, number)
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

// text is the page's main content with its white space collapsed.
func text(t *testing.T, body string) string {
	t.Helper()
	return strings.Join(strings.Fields(doc(t, body).Find("main").Text()), " ")
}

// squeeze is s's text with its white space collapsed.
func squeeze(s *goquery.Selection) string { return strings.Join(strings.Fields(s.Text()), " ") }

// rows are the rows of the tables s holds, each as its cells' texts
// joined by " | ".
func rows(s *goquery.Selection) []string {
	var out []string
	s.Find("tr").AddSelection(s.Filter("tr")).Each(func(_ int, tr *goquery.Selection) {
		var cells []string
		tr.Find("th, td").Each(func(_ int, c *goquery.Selection) { cells = append(cells, squeeze(c)) })
		out = append(out, strings.Join(cells, " | "))
	})
	return out
}

// hasExactRow tells whether rows holds want.
func hasExactRow(rows []string, want string) bool {
	for _, r := range rows {
		if r == want {
			return true
		}
	}
	return false
}

// facts maps each <dt> of the lists s selects to its <dd>.
func facts(s *goquery.Selection) map[string]string {
	out := map[string]string{}
	s.Find("dt").Each(func(_ int, dt *goquery.Selection) {
		out[squeeze(dt)] = squeeze(dt.NextFiltered("dd"))
	})
	return out
}

func TestInvoiceListPageAndCopies(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.sellerDetails(t)
	a.clearDrafts(t)
	next := a.nextNumber(t, invoicing.KindInvoice)
	o, inv := a.invoiced(t, "BJ-INV-1")
	n := inv.NumberOr()
	if len(inv.Lines) != 3 || len(inv.PerRate) != 2 {
		t.Fatalf("invoiced %s with %d lines and %d rates", n, len(inv.Lines), len(inv.PerRate))
	}
	if n != next {
		t.Errorf("issued %s, want the next of the series, %s", n, next)
	}
	fin := a.as(users.RoleFinance)

	// The list: the number links the page, with the customer, the total and the state.
	resp, body := fin.get("/invoices")
	wantStatus(t, resp, http.StatusOK)
	row := doc(t, body).Find("table.invoices tbody tr").First()
	if link, _ := row.Find("a").Attr("href"); link != "/invoices/"+n || row.Find("a").Text() != n {
		t.Errorf("first row links %q as %q", link, row.Find("a").Text())
	}
	if got, want := rows(row)[0], n+" | Invoice | Bakkerij Jansen B.V. | 24 Nov 2026 | 24 Dec 2026 | "+enAmount(inv.TotalInclCents)+" | unpaid"; got != want {
		t.Errorf("the row reads %q, want %q", got, want)
	}
	if link, _ := doc(t, body).Find("a[href^='/invoices/export.xlsx']").Attr("href"); link != "/invoices/export.xlsx" {
		t.Errorf("export link %q", link)
	}

	// The page: parties, the order with its PO, the lines, the totals per rate.
	resp, body = fin.get("/invoices/" + n)
	wantStatus(t, resp, http.StatusOK)
	d := doc(t, body)
	if h1 := squeeze(d.Find("h1")); h1 != "Invoice "+n {
		t.Errorf("heading %q", h1)
	}
	seller, buyer, f := facts(d.Find("dl.party").Eq(0)), facts(d.Find("dl.party").Eq(1)), facts(d.Find("main > dl.facts"))
	if seller["From"] != "Groothandel BV, Havenweg 1, 3011 AA Rotterdam (NL)" || seller["VAT id"] != "NL123456782B01" || seller["KvK"] != "12345678" {
		t.Errorf("the seller: %v", seller)
	}
	if buyer["To"] != "Bakkerij Jansen B.V., Bakkersweg 12, 3511 AB Utrecht (NL)" || buyer["VAT id"] != "NL004495445B01" {
		t.Errorf("the buyer: %v", buyer)
	}
	for dt, want := range map[string]string{"Invoice date": "24 Nov 2026", "Due date": "24 Dec 2026", "Date of supply": "24 Nov 2026",
		"Payment reference": n, "Orders": fmt.Sprintf("%d (PO BJ-INV-1)", o.ID)} {
		if f[dt] != want {
			t.Errorf("%s: %q, want %q", dt, f[dt], want)
		}
	}
	lines := rows(d.Find("table.lines tbody"))
	l := inv.Lines
	for i, want := range []string{
		fmt.Sprintf("1 | %d | KR-F3090 | %s | 2 | %s | 21%% | %s", o.ID, l[0].Description, enAmount(l[0].UnitPriceCents), enAmount(l[0].AmountCents)),
		fmt.Sprintf("2 | %d | BK-COOK | Baking book | 3 | %s | 9%% | %s", o.ID, enAmount(1005), enAmount(3015)),
		fmt.Sprintf("3 | %d |  | Verzendkosten, order %d | 1 | %s | 21%% | %s", o.ID, o.ID, enAmount(1495), enAmount(1495)),
	} {
		if i >= len(lines) || lines[i] != want {
			t.Errorf("line %d: %q, want %q", i+1, lines, want)
		}
	}
	totals := rows(d.Find("table.totals"))
	for _, rt := range inv.PerRate {
		if want := fmt.Sprintf("VAT %d%% over %s | %s", rt.Rate, enAmount(rt.BaseCents), enAmount(rt.VATCents)); !hasExactRow(totals, want) {
			t.Errorf("the totals %q lack %q", totals, want)
		}
	}
	if want := "Total incl. VAT | " + enAmount(inv.TotalInclCents); !hasExactRow(totals, want) {
		t.Errorf("the totals %q lack %q", totals, want)
	}
	if inv.PerRate[0].Rate != 21 || inv.PerRate[1].Rate != 9 || inv.TotalInclCents != o.TotalInclCents {
		t.Errorf("rates %+v, total %d (the order's %d)", inv.PerRate, inv.TotalInclCents, o.TotalInclCents)
	}

	// Both downloads are the copy, under the customer's (Dutch) name.
	for format, want := range map[string][2]string{
		"pdf":  {"application/pdf", "factuur-" + n + "-kopie.pdf"},
		"xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "factuur-" + n + "-kopie.xlsx"},
	} {
		if href, _ := d.Find("a[href$='/" + format + "']").Attr("href"); href != "/invoices/"+n+"/"+format {
			t.Errorf("%s link %q", format, href)
		}
		resp, file := fin.get("/invoices/" + n + "/" + format)
		wantStatus(t, resp, http.StatusOK)
		if ct := resp.Header.Get("Content-Type"); ct != want[0] {
			t.Errorf("%s: Content-Type %q", format, ct)
		}
		if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename=`+want[1] {
			t.Errorf("%s: Content-Disposition %q", format, cd)
		}
		// The customer reads Dutch: the copy says KOPIE, with the invoice's number and total.
		got := documentText(t, format, []byte(file))
		for _, want := range []string{"KOPIE", n, "Bakkerij Jansen B.V.", nlAmount(inv.TotalInclCents)} {
			if format == "xlsx" && want == nlAmount(inv.TotalInclCents) {
				want = fmt.Sprintf("%.2f", float64(inv.TotalInclCents)/100) // a number the cell's format prints
			}
			if !strings.Contains(got, want) {
				t.Errorf("%s: the download lacks %q: %.400s", format, want, got)
			}
		}
	}

	// The account manager sees their customer's invoice; sales and the warehouse no invoice at all.
	if _, body := a.as(users.RoleAccountManager).get("/invoices"); !strings.Contains(text(t, body), n) {
		t.Error("the account manager's list lacks the invoice")
	}
	for _, role := range []users.Role{users.RoleSales, users.RoleWarehouse} {
		resp, _ := a.as(role).get("/invoices/" + n)
		wantStatus(t, resp, http.StatusForbidden)
	}
}

// otherBuyer is a customer user of another company.
func (a *testApp) otherBuyer(t *testing.T) *client {
	t.Helper()
	ctx := context.Background()
	var companyID int64
	err := a.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		c, err := customers.Create(ctx, tx, a.clk.Now(), "Other B.V.")
		companyID = c.ID
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	u, err := a.users.Create(ctx, users.NewUser{Email: "x@other.test", Name: "X", Role: users.RoleCustomer, CompanyID: companyID, Password: "long enough pw"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.db.NewRaw("UPDATE users SET language = 'en' WHERE id = ?", u.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	c := a.client()
	c.post("/login", url.Values{"email": {"x@other.test"}, "password": {"long enough pw"}})
	return c
}

func TestCustomersSeeTheirOwnInvoicesOnly(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	_, inv := a.invoiced(t, "BJ-INV-2")
	n := inv.NumberOr()
	draft := a.ship(t, a.releasedOrder(t, "BJ-INV-3", orders.LineInput{SKU: "KR-F3090", Quantity: 1}).ID)

	buyer := a.as(users.RoleCustomer)
	resp, body := buyer.get("/portal/invoices")
	wantStatus(t, resp, http.StatusOK)
	list := text(t, body)
	if !strings.Contains(list, n) || !strings.Contains(list, enAmount(inv.TotalInclCents)) || strings.Contains(list, "draft") {
		t.Errorf("the portal list: %.400s", list)
	}
	if href, _ := doc(t, body).Find("table.invoices a").Attr("href"); href != "/portal/invoices/"+n {
		t.Errorf("the portal links %q", href)
	}
	if nav := doc(t, body).Find("header nav").Text(); !strings.Contains(nav, "Our invoices") {
		t.Errorf("the portal's navigation: %q", nav)
	}
	resp, body = buyer.get("/portal/invoices/" + n)
	wantStatus(t, resp, http.StatusOK)
	if d := doc(t, body); !hasExactRow(rows(d.Find("table.totals")), "Total incl. VAT | "+enAmount(inv.TotalInclCents)) || d.Find("a[href$='/credit-note']").Length() != 0 {
		t.Errorf("the portal's invoice page: %.400s", text(t, body))
	}
	resp, file := buyer.get("/portal/invoices/" + n + "/pdf")
	wantStatus(t, resp, http.StatusOK)
	if got := documentText(t, "pdf", []byte(file)); !strings.Contains(got, "KOPIE") || !strings.Contains(got, "Factuur "+n) ||
		resp.Header.Get("Content-Disposition") != "attachment; filename=factuur-"+n+"-kopie.pdf" {
		t.Errorf("the buyer's download %q: %.300s", resp.Header.Get("Content-Disposition"), got)
	}
	// A draft is no document of the customer's yet.
	resp, _ = buyer.get("/portal/invoices/" + draft)
	wantStatus(t, resp, http.StatusNotFound)

	// Another company's user: the same addresses do not exist.
	other := a.otherBuyer(t)
	resp, body = other.get("/portal/invoices")
	wantStatus(t, resp, http.StatusOK)
	if list := text(t, body); !strings.Contains(list, "No invoices.") || strings.Contains(list, n) {
		t.Errorf("the other company's list: %.300s", list)
	}
	for _, p := range []string{"/portal/invoices/" + n, "/portal/invoices/" + n + "/pdf", "/portal/invoices/" + n + "/xlsx"} {
		resp, body := other.get(p)
		wantStatus(t, resp, http.StatusNotFound)
		if strings.Contains(body, enAmount(inv.TotalInclCents)) {
			t.Errorf("%s shows the total", p)
		}
	}
	var token string
	_, body = other.post("/profile/tokens", url.Values{"name": {"ERP"}})
	token = doc(t, body).Find("code.token").Text()
	api := &client{t: t, app: a, cookies: map[string]string{}, bearer: token}
	for _, p := range []string{"/api/v1/invoices/" + n, "/api/v1/invoices/" + n + "/pdf", "/api/v1/invoices/" + n + "/xlsx"} {
		resp, body := api.get(p)
		wantStatus(t, resp, http.StatusNotFound)
		if !strings.Contains(body, `"kind":"not_found"`) {
			t.Errorf("%s: %s", p, body)
		}
	}
	_, body = api.get("/api/v1/invoices")
	if body != `{"invoices":[]}` {
		t.Errorf("the other company's API list: %s", body)
	}
}

func TestInvoiceAPI(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	o, inv := a.invoiced(t, "BJ-INV-4")
	n, cnNo := inv.NumberOr(), a.nextNumber(t, invoicing.KindCreditNote)
	ctx, fin := a.user(t, users.RoleFinance)
	if _, err := invoicingFor(a.db, a.clk).CreditNote(ctx, fin, invoicing.CreditNoteInput{Invoice: inv.NumberOr(), Quantities: map[int]int{2: 1},
		Reason: "A book was torn."}); err != nil {
		t.Fatal(err)
	}

	buyer := a.apiClient(t, users.RoleCustomer)
	var list struct {
		Invoices []struct {
			Number, Ref, Kind, Standing string
			InclCents                   int64 `json:"total_incl_cents"`
		}
		NextBefore int64 `json:"next_before"`
	}
	resp, body := buyer.get("/api/v1/invoices?limit=1")
	wantStatus(t, resp, http.StatusOK)
	if err := json.Unmarshal([]byte(body), &list); err != nil || len(list.Invoices) != 1 || list.NextBefore == 0 {
		t.Fatalf("first page: %v %s", err, body)
	}
	// One book at 10,05 and 9 %: 10,05 + 0,90.
	if got := list.Invoices[0]; got.Number != cnNo || got.Kind != "credit_note" || got.Standing != "issued" || got.InclCents != -1095 {
		t.Errorf("newest first is the credit note: %+v", got)
	}
	_, body = buyer.get(fmt.Sprintf("/api/v1/invoices?limit=1&before=%d", list.NextBefore))
	list.Invoices, list.NextBefore = nil, 0
	json.Unmarshal([]byte(body), &list)
	if len(list.Invoices) != 1 || list.Invoices[0].Number != n || list.Invoices[0].Standing != "unpaid" ||
		list.Invoices[0].InclCents != inv.TotalInclCents {
		t.Errorf("second page: %s", body)
	}

	// One invoice with its lines; a credit note under /credit-notes, never an invoice there.
	var got struct {
		Number, Ref string
		Lines       []struct {
			SKU      string `json:"sku"`
			Quantity int    `json:"quantity"`
			OrderID  int64  `json:"order_id"`
		}
		PerRate []invoicing.RateTotal `json:"per_rate"`
	}
	resp, body = buyer.get("/api/v1/invoices/" + n)
	wantStatus(t, resp, http.StatusOK)
	if err := json.Unmarshal([]byte(body), &got); err != nil || got.Ref != n || len(got.Lines) != 3 || got.Lines[0].SKU != "KR-F3090" ||
		got.Lines[0].Quantity != 2 || got.Lines[0].OrderID != o.ID || len(got.PerRate) != 2 {
		t.Errorf("invoice: %v %s", err, body)
	}
	resp, body = buyer.get("/api/v1/credit-notes/" + cnNo)
	wantStatus(t, resp, http.StatusOK)
	if !strings.Contains(body, `"credits":"`+n+`"`) || !strings.Contains(body, `"reason":"A book was torn."`) {
		t.Errorf("credit note: %s", body)
	}
	resp, _ = buyer.get("/api/v1/credit-notes/" + n)
	wantStatus(t, resp, http.StatusNotFound)
	resp, body = buyer.get("/api/v1/credit-notes")
	wantStatus(t, resp, http.StatusOK)
	if !strings.Contains(body, `"credit_notes":[{"kind":"credit_note","number":"`+cnNo+`"`) || strings.Contains(body, `"kind":"invoice"`) {
		t.Errorf("credit notes: %s", body)
	}
	resp, file := buyer.get("/api/v1/credit-notes/" + cnNo + "/xlsx")
	wantStatus(t, resp, http.StatusOK)
	if got := documentText(t, "xlsx", []byte(file)); resp.Header.Get("Content-Disposition") != "attachment; filename=creditnota-"+cnNo+"-kopie.xlsx" ||
		!strings.Contains(got, "KOPIE") || !strings.Contains(got, cnNo) || !strings.Contains(got, "A book was torn.") {
		t.Errorf("credit note download %q: %.300s", resp.Header.Get("Content-Disposition"), got)
	}

	// Staff see drafts by their ref; a bad filter is named.
	draft := a.ship(t, a.releasedOrder(t, "BJ-INV-5", orders.LineInput{SKU: "KR-F3090", Quantity: 1}).ID)
	finAPI := a.apiClient(t, users.RoleFinance)
	resp, body = finAPI.get("/api/v1/invoices?state=draft")
	wantStatus(t, resp, http.StatusOK)
	if !strings.Contains(body, `"ref":"`+draft+`"`) || !strings.Contains(body, `"standing":"draft"`) {
		t.Errorf("drafts: %s", body)
	}
	resp, _ = finAPI.get("/api/v1/invoices/" + draft)
	wantStatus(t, resp, http.StatusOK)
	resp, body = finAPI.get("/api/v1/invoices?state=lost&from=2026-13-01")
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	var e struct {
		Error struct{ Fields map[string]string }
	}
	json.Unmarshal([]byte(body), &e)
	if !strings.Contains(e.Error.Fields["state"], "overdue") || !strings.Contains(e.Error.Fields["from"], "24 Nov 2026") {
		t.Errorf("bad filter: %s", body)
	}
}

func TestCreditNoteForm(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	_, inv := a.invoiced(t, "BJ-INV-6")
	n, cnNo := inv.NumberOr(), a.nextNumber(t, invoicing.KindCreditNote)
	fin := a.as(users.RoleFinance)
	resp, body := fin.get("/invoices/" + n)
	wantStatus(t, resp, http.StatusOK)
	if href, _ := doc(t, body).Find("a.button[href$='/credit-note']").Attr("href"); href != "/invoices/"+n+"/credit-note" {
		t.Fatalf("the invoice page offers the credit note at %q", href)
	}
	resp, body = fin.get("/invoices/" + n + "/credit-note")
	wantStatus(t, resp, http.StatusOK)
	d := doc(t, body)
	if c := d.Find("input[name^='qty_']").Length(); c != 3 {
		t.Errorf("%d quantity fields, want one per line", c)
	}
	if row := rows(d.Find("table.credit-lines tbody"))[0]; row != "1 | KR-F3090 | Kettle Pro Aroma 1.7 l | 2 | 0 | "+enAmount(inv.Lines[0].UnitPriceCents)+" | " {
		t.Errorf("the first line %q", row)
	}
	count := func() (c int) {
		a.db.NewRaw("SELECT count(*) FROM invoices WHERE kind = 'credit_note'").Scan(context.Background(), &c)
		return c
	}
	before := count()

	// More than was invoiced: refused at the line, as typed, nothing written.
	resp, body = fin.post("/invoices/"+n+"/credit-note", url.Values{"qty_1": {"3"}, "qty_2": {"1"}, "reason": {"Broken on arrival."}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	d = doc(t, body)
	if msg := fieldMessage(d, "", "qty_1"); msg != "At most 2 of this line can still be credited." {
		t.Errorf("message at qty_1: %q", msg)
	}
	if typedValue(d, "", "qty_1") != "3" || typedValue(d, "", "qty_2") != "1" || typedValue(d, "", "reason") != "Broken on arrival." {
		t.Error("the form lost what was typed")
	}
	if c := count(); c != before {
		t.Fatalf("%d credit notes written", c-before)
	}

	// One kettle: the credit note's page, with its number and negative total.
	resp, _ = fin.post("/invoices/"+n+"/credit-note", url.Values{"qty_1": {"1"}, "qty_2": {""}, "reason": {"Broken on arrival."}})
	wantStatus(t, resp, http.StatusFound)
	if loc := resp.Header.Get("Location"); loc != "/invoices/"+cnNo {
		t.Fatalf("redirected to %q", loc)
	}
	cn := a.stored(t, cnNo)
	if cn.TotalInclCents >= 0 || cn.TotalInclCents != -(inv.Lines[0].UnitPriceCents+invoicing.VATOf(inv.Lines[0].UnitPriceCents, 21)) {
		t.Errorf("credit note total %d for one kettle of %d", cn.TotalInclCents, inv.Lines[0].UnitPriceCents)
	}
	resp, body = fin.get("/invoices/" + cnNo)
	wantStatus(t, resp, http.StatusOK)
	d = doc(t, body)
	if flash, want := squeeze(d.Find(".flash")), fmt.Sprintf("Credit note "+cnNo+" of %s issued for invoice "+n+" and mailed to the customer.",
		enAmount(cn.TotalInclCents)); flash != want {
		t.Errorf("flash %q, want %q", flash, want)
	}
	f := facts(d.Find("dl.facts"))
	if squeeze(d.Find("h1")) != "Credit note "+cnNo || f["Corrects invoice"] != n || f["Reason"] != "Broken on arrival." {
		t.Errorf("the credit note page: %q %v", squeeze(d.Find("h1")), f)
	}
	if want := "Total incl. VAT | " + enAmount(cn.TotalInclCents); !hasExactRow(rows(d.Find("table.totals")), want) {
		t.Errorf("the credit note's totals %q lack %q", rows(d.Find("table.totals")), want)
	}
	if href, _ := d.Find("dl.facts a").Attr("href"); href != "/invoices/"+n {
		t.Errorf("the credit note links the invoice at %q", href)
	}
	// The invoice lists its credit note and what is still to pay; the
	// form says what was credited before.
	_, body = fin.get("/invoices/" + n)
	totals := rows(doc(t, body).Find("table.totals"))
	if !hasExactRow(totals, "Credit note "+cnNo+" of 24 Nov 2026, not yet set off | "+enAmount(cn.TotalInclCents)) ||
		!hasExactRow(totals, "Still to pay | "+enAmount(inv.TotalInclCents+cn.TotalInclCents)) {
		t.Errorf("the invoice's totals after the credit note: %q", totals)
	}
	_, body = fin.get("/invoices/" + n + "/credit-note")
	if row := rows(doc(t, body).Find("table.credit-lines tbody"))[0]; !strings.HasPrefix(row, "1 | KR-F3090 | Kettle Pro Aroma 1.7 l | 2 | 1 | ") {
		t.Errorf("the first line after a credit note of one: %q", row)
	}
	// The rest of the line: at most 1 more.
	resp, body = fin.post("/invoices/"+n+"/credit-note", url.Values{"qty_1": {"2"}, "reason": {"Again."}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if msg := fieldMessage(doc(t, body), "", "qty_1"); msg != "At most 1 of this line can still be credited." {
		t.Errorf("message at qty_1 after the first credit note: %q", msg)
	}
	// No quantity and no reason: both said at once.
	resp, body = fin.post("/invoices/"+n+"/credit-note", url.Values{"qty_1": {"0"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	d = doc(t, body)
	if !strings.Contains(d.Find("form .field-error").First().Text(), "Credit at least one line.") || !strings.Contains(fieldMessage(d, "", "reason"), "Say why") {
		t.Errorf("messages: %q", d.Find(".field-error").Text())
	}
	if c := count(); c != before+1 {
		t.Errorf("%d credit notes written, want 1", c-before)
	}
	// A credit note has no credit note; the account manager makes none.
	resp, _ = fin.get("/invoices/" + cnNo + "/credit-note")
	wantStatus(t, resp, http.StatusNotFound)
	resp, _ = a.as(users.RoleAccountManager).get("/invoices/" + n + "/credit-note")
	wantStatus(t, resp, http.StatusForbidden)
}

func TestInvoiceNowIssuesTheCustomersDrafts(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.sellerDetails(t)
	o := a.releasedOrder(t, "BJ-INV-7", orders.LineInput{SKU: "KR-F3090", Quantity: 1})
	draft := a.ship(t, o.ID)
	customer := fmt.Sprintf("/customers/%d", o.CompanyID)

	fin := a.as(users.RoleFinance)
	resp, body := fin.get(customer)
	wantStatus(t, resp, http.StatusOK)
	d := doc(t, body)
	if action, _ := d.Find("form.invoice-now").Attr("action"); action != customer+"/invoice-now" || !strings.Contains(d.Find("form.invoice-now").Text(), "Invoice now") {
		t.Fatalf("the customer page's invoice-now form posts to %q", action)
	}
	if d.Find("form[action$='/changes']").Length() > 0 || d.Find("form[action$='/prices']").Length() > 0 {
		t.Error("finance is offered the account change and price forms")
	}
	if _, body := a.as(users.RoleAccountManager).get(customer); doc(t, body).Find("form.invoice-now").Length() != 0 {
		t.Error("the account manager is offered invoice now")
	}

	n := a.nextNumber(t, invoicing.KindInvoice)
	resp, _ = fin.post(customer+"/invoice-now", nil)
	wantStatus(t, resp, http.StatusFound)
	_, body = fin.get(resp.Header.Get("Location"))
	if flash := doc(t, body).Find(".flash").Text(); flash != "Issued for Bakkerij Jansen B.V. and mailed: "+n+"." {
		t.Errorf("flash %q", flash)
	}
	if inv := a.stored(t, n); inv.Ref() != n || inv.IssueDate.Format("2006-01-02") != "2026-11-24" {
		t.Errorf("issued %+v", inv)
	}
	var mails int
	a.db.NewRaw("SELECT count(*) FROM outbox WHERE subject LIKE '%"+n+"%'").Scan(context.Background(), &mails)
	if mails != 1 {
		t.Errorf("%d mails of the invoice", mails)
	}
	resp, _ = fin.get("/invoices/" + draft)
	wantStatus(t, resp, http.StatusNotFound)

	resp, _ = fin.post(customer+"/invoice-now", nil)
	_, body = fin.get(resp.Header.Get("Location"))
	if flash := doc(t, body).Find(".flash").Text(); flash != "Nothing to invoice for Bakkerij Jansen B.V.: no shipped goods wait on a draft invoice." {
		t.Errorf("second flash %q", flash)
	}
	resp, _ = a.as(users.RoleAccountManager).post(customer+"/invoice-now", nil)
	wantStatus(t, resp, http.StatusForbidden)
}

func TestOrderPageShowsItsInvoices(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.sellerDetails(t)
	a.clearDrafts(t)
	o := a.releasedOrder(t, "BJ-INV-8", orders.LineInput{SKU: "KR-F3090", Quantity: 1})
	draft := a.ship(t, o.ID)
	am := a.as(users.RoleAccountManager)
	page := fmt.Sprintf("/orders/%d", o.ID)

	_, body := am.get(page)
	section := doc(t, body).Find("section#invoices")
	if href, _ := section.Find("a").Attr("href"); href != "/invoices/"+draft || !strings.Contains(section.Text(), "draft of 24 Nov 2026") {
		t.Errorf("the order's draft: %q links %q", strings.Join(strings.Fields(section.Text()), " "), href)
	}
	if strings.Contains(section.Text(), "on an issued invoice") {
		t.Error("a draft is called an issued invoice")
	}

	n := a.invoiceNow(t)[0]
	_, body = am.get(page)
	d := doc(t, body)
	section = d.Find("section#invoices")
	if href, _ := section.Find("tbody a").Attr("href"); href != "/invoices/"+n || !hasExactRow(rows(section.Find("tbody")), n+" | Invoice | 24 Nov 2026 | "+enAmount(o.TotalInclCents)) {
		t.Errorf("the order's invoice: %q links %q", rows(section.Find("tbody")), href)
	}
	if note := strings.Join(strings.Fields(section.Find("p.note").Text()), " "); !strings.Contains(note, fmt.Sprintf("Order %d is on an issued invoice: additions go on a new order.", o.ID)) {
		t.Errorf("note %q", note)
	}
	link := section.Find("a.button")
	if href, _ := link.Attr("href"); href != fmt.Sprintf("/orders/new?customer=%d", o.CompanyID) || link.Text() != "New order for Bakkerij Jansen B.V." {
		t.Errorf("new order link %q: %q", href, link.Text())
	}
	if d.Find(fmt.Sprintf("a[href='/orders/%d/edit']", o.ID)).Length() != 0 {
		t.Error("an invoiced order still offers Amend")
	}
	// Its amend form, opened by its address, sends the account manager to the order page and says why.
	resp, _ := am.get(fmt.Sprintf("/orders/%d/edit", o.ID))
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != page {
		t.Errorf("the invoiced order's amend form answers %d, to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body = am.get(page)
	if flash := doc(t, body).Find(".flash").Text(); !strings.Contains(flash, "additions go on a new order") {
		t.Errorf("the order page after the amend form says %q", flash)
	}
	_, body = am.get(fmt.Sprintf("/orders/new?customer=%d", o.CompanyID))
	if sel, _ := doc(t, body).Find("select[name=company_id] option[selected]").Attr("value"); sel != fmt.Sprint(o.CompanyID) {
		t.Errorf("the new order form picks customer %q", sel)
	}
	// The customer follows the invoice from the order in the portal.
	_, body = a.as(users.RoleCustomer).get(fmt.Sprintf("/portal/orders/%d", o.ID))
	if href, _ := doc(t, body).Find("section#invoices tbody a").Attr("href"); href != "/portal/invoices/"+n {
		t.Errorf("the portal order links the invoice at %q", href)
	}
}

func TestFinanceHomeAndOverdueInvoices(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	_, inv := a.invoiced(t, "BJ-INV-9")
	n := inv.NumberOr()
	a.ship(t, a.releasedOrder(t, "BJ-INV-10", orders.LineInput{SKU: "KR-F3090", Quantity: 1}).ID)
	a.clk.Set(a.clk.Now().AddDate(0, 0, 35)) // 29 December: this invoice is 5 days overdue, the demo's more
	var overdue struct {
		Count  int       `bun:"n"`
		Unpaid int64     `bun:"unpaid"`
		Oldest time.Time `bun:"oldest"`
	}
	if err := a.db.NewRaw(`SELECT count(*) AS n, sum(total_incl_cents - paid_cents) AS unpaid, min(due_date) AS oldest FROM invoices
		WHERE kind = 'invoice' AND state = 'issued' AND paid_cents < total_incl_cents AND due_date < '2026-12-29'`).Scan(context.Background(), &overdue); err != nil {
		t.Fatal(err)
	}
	due := time.Date(overdue.Oldest.Year(), overdue.Oldest.Month(), overdue.Oldest.Day(), 0, 0, 0, 0, clock.Amsterdam)
	days := int(a.clk.Now().Sub(due).Hours()) / 24

	fin := a.as(users.RoleFinance)
	_, body := fin.get("/")
	d := doc(t, body)
	items := map[string]string{}
	d.Find(".work-item").Each(func(_ int, s *goquery.Selection) {
		href, _ := s.Find("a").First().Attr("href")
		items[href] = strings.Join(strings.Fields(s.Text()), " ")
	})
	if got := items["/invoices?state=overdue"]; !strings.Contains(got, fmt.Sprintf("Invoices past their due date: %d", overdue.Count)) ||
		!strings.Contains(got, enAmount(overdue.Unpaid)+" unpaid") || !strings.Contains(got, fmt.Sprintf("the oldest due %d d", days)) || overdue.Count < 2 {
		t.Errorf("overdue: %q", got)
	}
	if got := items["/invoices?state=draft"]; !strings.Contains(got, "Draft invoices, issued at the cutoff: 1") {
		t.Errorf("drafts: %q", got)
	}
	if nav := d.Find("header nav").Text(); !strings.Contains(nav, "Invoices") || strings.Contains(nav, "Back orders") {
		t.Errorf("finance's navigation: %q", nav)
	}
	_, body = fin.get("/invoices?state=overdue")
	list := doc(t, body).Find("table.invoices tbody tr")
	row := list.FilterFunction(func(_ int, s *goquery.Selection) bool { return s.Find("a").Text() == n })
	if list.Length() != overdue.Count || !row.HasClass("overdue") || !strings.Contains(row.Find(".flag").Text(), "overdue") {
		t.Errorf("overdue list: %q", rows(list))
	}
	// The day's draft has no number yet: its row names its day and links it.
	_, body = fin.get("/invoices?state=draft")
	drafts := doc(t, body).Find("table.invoices tbody tr")
	if href, _ := drafts.Find("a").Attr("href"); drafts.Length() != 1 || !strings.HasPrefix(href, "/invoices/draft-") ||
		!strings.HasPrefix(rows(drafts)[0], "draft of 24 Nov 2026 | Invoice | Bakkerij Jansen B.V. |  |  | ") || drafts.HasClass("overdue") {
		t.Errorf("drafts list: %q, linked %q", rows(drafts), href)
	}
	_, body = fin.get("/invoices/" + n)
	if flag := doc(t, body).Find("main p.flag").Text(); flag != fmt.Sprintf("Overdue: due 24 Dec 2026, %s of %s paid.", enAmount(0), enAmount(inv.TotalInclCents)) {
		t.Errorf("the invoice page says %q", flag)
	}
}

func TestInvoiceListFilters(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	_, first := a.invoiced(t, "BJ-INV-11")
	_, second := a.invoiced(t, "BJ-INV-16")
	fin := a.as(users.RoleFinance)
	// A page at a time, newest first; the next page keeps the filter.
	_, body := fin.get("/invoices?kind=invoice&limit=1")
	d := doc(t, body)
	next, _ := d.Find("a:contains('Older invoices')").Attr("href")
	if got := d.Find("table.invoices tbody a").Text(); got != second.NumberOr() || !strings.HasPrefix(next, "/invoices?") ||
		!strings.Contains(next, "kind=invoice") || !strings.Contains(next, "limit=1") || !strings.Contains(next, "before=") {
		t.Fatalf("first page %q, next %q", got, next)
	}
	_, body = fin.get(next)
	d = doc(t, body)
	if got := d.Find("table.invoices tbody a").Text(); got != first.NumberOr() {
		t.Errorf("second page %q", got)
	}
	if href, _ := d.Find("a[href^='/invoices/export.xlsx']").Attr("href"); href != "/invoices/export.xlsx?kind=invoice" {
		t.Errorf("the export of the list: %q", href)
	}
	resp, body := fin.get("/invoices?from=2026-12-01")
	wantStatus(t, resp, http.StatusOK)
	if page := text(t, body); !strings.Contains(page, "No invoices.") {
		t.Errorf("December: %.300s", page)
	}
	_, body = fin.get("/invoices?from=24-11-2026&to=2026-11-24&kind=invoice&state=unpaid")
	if page := text(t, body); !strings.Contains(page, first.NumberOr()) || !strings.Contains(page, second.NumberOr()) {
		t.Errorf("24 November: %.300s", page)
	}
	resp, body = fin.get("/invoices?from=2026-02-30&kind=bills&customer=x")
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	d = doc(t, body)
	for field, want := range map[string]string{"from": "Enter the date", "kind": "Choose invoices, credit notes or both.", "customer": "digits only"} {
		if msg := fieldMessage(d, "", field); !strings.Contains(msg, want) {
			t.Errorf("message at %s: %q", field, msg)
		}
	}
	if typedValue(d, "", "from") != "2026-02-30" || !strings.Contains(text(t, body), "Correct the filter to see the list.") {
		t.Error("the bad filter is not shown again")
	}
}

// nlAmount prints an amount as Dutch documents do: "€ 1.250,50".
func nlAmount(c int64) string { return i18n.For(i18n.NL).Amount(c) }

func TestInvoiceExportForTheBookkeeper(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	_, inv := a.invoiced(t, "BJ-INV-12")
	ctx, fin := a.user(t, users.RoleFinance)
	cn, err := invoicingFor(a.db, a.clk).CreditNote(ctx, fin, invoicing.CreditNoteInput{Invoice: inv.NumberOr(), Quantities: map[int]int{1: 2},
		Reason: "Returned."})
	if err != nil {
		t.Fatal(err)
	}
	a.ship(t, a.releasedOrder(t, "BJ-INV-13", orders.LineInput{SKU: "KR-F3090", Quantity: 1}).ID) // a draft: no document for the bookkeeper

	admin := a.as(users.RoleAdmin)
	_, body := admin.get("/invoices")
	form := doc(t, body).Find("section.bookkeeper form")
	if action, _ := form.Attr("action"); action != "/invoices/export.xlsx" || !strings.Contains(squeeze(doc(t, body).Find("section.bookkeeper h2")), "For the bookkeeper: all invoices of a period") {
		t.Fatalf("the bookkeeper's form posts to %q", action)
	}
	if state, _ := form.Find("input[name=state]").Attr("value"); state != "issued" {
		t.Errorf("the bookkeeper's export asks for state %q", state)
	}
	resp, file := admin.get("/invoices/export.xlsx?state=issued&from=2026-11-01&to=2026-11-30")
	wantStatus(t, resp, http.StatusOK)
	if ct, cd := resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" ||
		cd != "attachment; filename=invoices-from-2026-11-01-until-2026-11-30.xlsx" {
		t.Errorf("Content-Type %q, Content-Disposition %q", ct, cd)
	}
	f, err := excelize.OpenReader(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := f.GetRows("Invoices", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	// One row per document issued in November, newest first: the credit note, the invoice, then the demo's.
	var issued []string
	a.db.NewRaw("SELECT number FROM invoices WHERE state = 'issued' AND issue_date BETWEEN '2026-11-01' AND '2026-11-30' ORDER BY id DESC").
		Scan(context.Background(), &issued)
	var numbers []string
	for _, r := range got[1:] {
		numbers = append(numbers, r[0])
	}
	if got[0][0] != "Number" || strings.Join(numbers, " ") != strings.Join(issued, " ") || len(issued) < 4 ||
		numbers[0] != cn.NumberOr() || numbers[1] != inv.NumberOr() {
		t.Fatalf("numbers %q, want %q: the credit note %s and the invoice %s first", numbers, issued, cn.NumberOr(), inv.NumberOr())
	}
	// The invoice's row: its base and VAT at 21 % and at 9 %, its total.
	head := map[string]int{}
	for i, h := range got[0] {
		head[h] = i
	}
	cents := func(row []string, col string) int64 {
		i, ok := head[col]
		if !ok || i >= len(row) {
			t.Fatalf("no column %q in %q", col, got[0])
		}
		var euros float64
		fmt.Sscan(row[i], &euros)
		return int64(math.Round(euros * 100))
	}
	for _, rt := range inv.PerRate {
		if b, v := cents(got[2], fmt.Sprintf("Excl. VAT at %d%%", rt.Rate)), cents(got[2], fmt.Sprintf("VAT %d%%", rt.Rate)); b != rt.BaseCents || v != rt.VATCents {
			t.Errorf("at %d%%: %d and %d, want %d and %d", rt.Rate, b, v, rt.BaseCents, rt.VATCents)
		}
	}
	if c := cents(got[2], "Total incl. VAT"); c != inv.TotalInclCents {
		t.Errorf("the invoice's total %d, want %d", c, inv.TotalInclCents)
	}
	if c := cents(got[1], "Total incl. VAT"); c != cn.TotalInclCents || c >= 0 {
		t.Errorf("the credit note's total %d, want %d", c, cn.TotalInclCents)
	}
	// The list's own export link carries its filter; October has nothing.
	_, body = admin.get("/invoices?kind=credit_note")
	if href, _ := doc(t, body).Find("a[href^='/invoices/export.xlsx']").Attr("href"); href != "/invoices/export.xlsx?kind=credit_note" {
		t.Errorf("the export link %q", href)
	}
	_, file = admin.get("/invoices/export.xlsx?to=2026-10-31")
	f2, _ := excelize.OpenReader(strings.NewReader(file))
	if rows, _ := f2.GetRows("Invoices"); len(rows) != 1 {
		t.Errorf("October: %d rows, want the header only", len(rows))
	}
	resp, body = admin.get("/invoices/export.xlsx?from=31-31-2026")
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if msg := fieldMessage(doc(t, body), "form[action='/invoices']", "from"); !strings.Contains(msg, "Enter the date") {
		t.Errorf("a bad period: %q", msg)
	}
}

// A Dutch buyer reads their invoices in Dutch: the list, the page with its
// totals per rate, the state, amounts and dates the Dutch way.
func TestInvoicesReadInDutch(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	o, inv := a.invoiced(t, "BJ-INV-14")
	n := inv.NumberOr()
	buyer := a.asDutch(users.RoleCustomer)
	_, body := buyer.get("/portal/invoices")
	d := doc(t, body)
	if h1 := squeeze(d.Find("h1")); h1 != "Onze facturen" {
		t.Errorf("heading %q", h1)
	}
	if got, want := rows(d.Find("table.invoices tbody"))[0], n+" | Factuur | 24-11-2026 | 24-12-2026 | "+nlAmount(inv.TotalInclCents)+" | onbetaald"; got != want {
		t.Errorf("the row reads %q, want %q", got, want)
	}
	_, body = buyer.get("/portal/invoices/" + n)
	d = doc(t, body)
	if h1 := squeeze(d.Find("h1")); h1 != "Factuur "+n {
		t.Errorf("heading %q", h1)
	}
	totals := rows(d.Find("table.totals"))
	for _, want := range []string{
		fmt.Sprintf("Btw 9%% over %s | %s", nlAmount(inv.PerRate[1].BaseCents), nlAmount(inv.PerRate[1].VATCents)),
		"Totaal incl. btw | " + nlAmount(inv.TotalInclCents),
	} {
		if !hasExactRow(totals, want) {
			t.Errorf("the totals %q lack %q", totals, want)
		}
	}
	if f := facts(d.Find("main > dl.facts")); f["Vervaldatum"] != "24-12-2026" || f["Orders"] != fmt.Sprintf("%d (PO BJ-INV-14)", o.ID) {
		t.Errorf("facts %v", f)
	}
	if link := squeeze(d.Find("a[href$='/pdf']")); link != "Pdf downloaden (kopie)" {
		t.Errorf("the download reads %q", link)
	}
}

// Without the wholesaler's details no invoice is issued: invoice now says
// what is missing on the customer's page and issues nothing.
func TestInvoiceNowWithoutTheCompanyDetails(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	o := a.releasedOrder(t, "BJ-INV-15", orders.LineInput{SKU: "KR-F3090", Quantity: 1})
	draft := a.ship(t, o.ID)
	if _, err := a.db.NewRaw("UPDATE settings SET vat_id = '', iban = ''").Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	fin := a.as(users.RoleFinance)
	resp, body := fin.post(fmt.Sprintf("/customers/%d/invoice-now", o.CompanyID), nil)
	wantStatus(t, resp, http.StatusConflict)
	d := doc(t, body)
	if msg := squeeze(d.Find(".error-box")); msg != "Invoices cannot be issued yet: the company details lack VAT id, IBAN. An admin fills them in under Settings." {
		t.Errorf("message %q", msg)
	}
	if h1 := squeeze(d.Find("h1")); h1 != "Bakkerij Jansen B.V." {
		t.Errorf("shown on %q, not the customer's page", h1)
	}
	resp, _ = fin.get("/invoices/" + draft)
	wantStatus(t, resp, http.StatusOK)
}
