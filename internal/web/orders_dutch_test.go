package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"wholesale/internal/users"
)

// dutch returns a client logged in with the demo login of role, for a user
// who reads the application in Dutch (users.language 'nl').
func (a *testApp) dutch(t *testing.T, role users.Role) *client {
	t.Helper()
	if _, err := a.db.NewUpdate().Table("users").Set("language = 'nl'").Where("email = ?", loginOf(role).Email).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	c := a.as(role)
	c.lang = "" // the user's own language decides, not the browser's
	return c
}

// squash is the text of s with its white space made single spaces.
func squashed(s *goquery.Selection) string { return strings.Join(strings.Fields(s.Text()), " ") }

// texts is the text of each of s, squashed, joined by " | ".
func texts(s *goquery.Selection) string {
	var out []string
	s.Each(func(_ int, e *goquery.Selection) { out = append(out, squashed(e)) })
	return strings.Join(out, " | ")
}

// A Dutch account manager reads the order page and the order form in
// Dutch: headings, labels, the stock statuses and the credit sentences,
// and the amounts as Dutch write them ("€ 1.245,03").
func TestOrderPagesInDutch(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	am := a.dutch(t, users.RoleAccountManager)
	var id int64
	if err := a.db.NewSelect().Table("orders").Column("id").Where("po_reference = 'BJ-2026-118'").Scan(context.Background(), &id); err != nil {
		t.Fatal(err)
	}
	resp, body := am.get(fmt.Sprintf("/orders/%d", id))
	wantStatus(t, resp, http.StatusOK)
	d := doc(t, body)
	if lang, _ := d.Find("html").Attr("lang"); lang != "nl" {
		t.Errorf("the order page is marked %q, want nl", lang)
	}
	for sel, want := range map[string]string{
		"main h1":                             fmt.Sprintf("Order %d · PO BJ-2026-118", id),
		"main > p:first-of-type":              "Status: wacht op bevestiging · Bakkerij Jansen B.V. · revisie 1",
		"dl.facts dd strong":                  "€ 1.245,03",
		"dl.facts dd:nth-of-type(1)":          "UPS: € 14,95 · verzenden wat op voorraad is",
		"form[action$='/confirm-written'] h2": "Schriftelijke bevestiging ontvangen",
		"#revisions-heading":                  "Revisies",
		"#audit-heading":                      "Audittrail",
	} {
		if got := squashed(d.Find(sel).First()); got != want {
			t.Errorf("%s: %q, want %q", sel, got, want)
		}
	}
	if th := texts(d.Find("main table.stack thead th")); th != "# | Artikelnummer | Product | Aantal | Stukprijs | Btw | Bedrag | Gereserveerd | Nalevering | Verzonden | " {
		t.Errorf("the lines' headings are %q", th)
	}
	if total := d.Find("dl.facts dd strong span.amount").Text(); total != "€ 1.245,03" {
		t.Errorf("the total is %q, want € 1.245,03 in an amount's span", total)
	}
	if back := squashed(d.Find("td[data-label='Nalevering']").Eq(1)); !regexp.MustCompile(`^4 in nalevering, verwacht \d\d-\d\d-\d{4}( \(niet bevestigd\))?$`).MatchString(back) {
		t.Errorf("the back-ordered line says %q", back)
	}
	if what := squashed(d.Find("#revisions tbody tr td").Eq(2)); !strings.Contains(what, "aangemaakt") {
		t.Errorf("the first revision says %q, want aangemaakt", what)
	}

	// The order form, and what its check says.
	resp, body = am.get("/orders/new")
	wantStatus(t, resp, http.StatusOK)
	d = doc(t, body)
	for sel, want := range map[string]string{
		"main h1": "Nieuwe order", "label[for=company_id]": "Klant", "label[for=po_reference]": "PO-referentie van de klant",
		"details.paste summary": "Een PO plakken uit een mail of spreadsheet", "table.lines thead th:nth-child(4)": "Stukprijs excl. btw",
		"button[value=check]": "Voorraad en krediet controleren", "button[value=place]": "Order plaatsen",
	} {
		if got := squashed(d.Find(sel).First()); got != want {
			t.Errorf("form: %s: %q, want %q", sel, got, want)
		}
	}
	cid := fmt.Sprint(a.companyID(t, "Bakkerij Jansen B.V."))
	resp, body = am.post("/orders", url.Values{"company_id": {cid}, "po_reference": {"BJ-NL-1"}, "sku_0": {"KR-F3090"}, "qty_0": {"2"},
		"sku_1": {"MX-QA1"}, "qty_1": {"1"}, "sku_2": {"NOPE-1"}, "qty_2": {"1"}, "address": {"visiting"}, "shipping_method": {"UPS"}, "shipping": {"14,95"}, "action": {"check"}})
	wantStatus(t, resp, http.StatusOK)
	d = doc(t, body)
	if pos := squashed(d.Find("p.note").First()); !strings.HasPrefix(pos, "Kredietpositie: limiet € 10.000,00, openstaand saldo € ") || !strings.Contains(pos, ", beschikbaar € ") {
		t.Errorf("the credit position says %q", pos)
	}
	rows := d.Find("table.lines tbody tr")
	for i, want := range [][]string{
		{"Kettle Pro Aroma 1.7 l", "€ 44,95", "€ 89,90", "21%", "Op voorraad"},
		{"Food processor", "€ 219,00", "1, zodra besteld bij de leverancier"},
		{"Geen product met artikelnummer NOPE-1."},
	} {
		for _, part := range want {
			if row := squashed(rows.Eq(i)); !strings.Contains(row, part) {
				t.Errorf("line %d says %q, want %q in it", i+1, row, part)
			}
		}
	}
	total := texts(d.Find(".order-total").Children())
	for _, part := range []string{"Totaal excl. btw | € 323,85", "Btw 21% over € 323,85 | € 68,01", "Totaal incl. btw | € 391,86",
		"Krediet | Past: na deze order is er nog € "} {
		if !strings.Contains(total, part) {
			t.Errorf("the totals say %q, want %q in them", total, part)
		}
	}
}

// A held order's reason is shown to a Dutch member of sales in Dutch, its
// amounts Dutch and each in its span; the customer reads its order and
// confirms it in Dutch.
func TestCreditHoldAndPortalInDutch(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	cid := fmt.Sprint(a.companyID(t, "Bakkerij Jansen B.V."))
	resp, _ := a.as(users.RoleAccountManager).post("/orders", url.Values{"company_id": {cid}, "po_reference": {"BJ-HELD"},
		"sku_0": {"KR-EA8108"}, "qty_0": {"5"}, "sku_1": {"TF-GC7148"}, "qty_1": {"60"}, "shipping": {"0"}, "action": {"place"}})
	wantStatus(t, resp, http.StatusFound)
	held := resp.Header.Get("Location")
	sales := a.dutch(t, users.RoleSales)
	_, body := sales.get(held)
	d := doc(t, body)
	const reason = "Openstaand saldo € 2.648,02 + deze order € 12.081,85 overschrijdt de kredietlimiet van € 10.000,00."
	if got := squashed(d.Find("p.flag")); got != "Kredietblokkade, wacht op goedkeuring: "+reason {
		t.Errorf("the hold says %q", got)
	}
	var amounts []string
	d.Find("p.flag span.amount").Each(func(_ int, s *goquery.Selection) { amounts = append(amounts, s.Text()) })
	if strings.Join(amounts, "|") != "€ 2.648,02|€ 12.081,85|€ 10.000,00" {
		t.Errorf("the amounts of the reason are %q", amounts)
	}
	if after := squashed(d.Find("p.credit-after")); !strings.HasPrefix(after, "Kredietlimiet € 10.000,00 · openstaand saldo nu € 2.648,02 (geblokkeerde orders tellen niet mee) · deze order € 12.081,85") {
		t.Errorf("the credit after approval says %q", after)
	}
	_, body = sales.get("/credit-holds")
	if row := squashed(doc(t, body).Find("tbody tr").FilterFunction(func(_ int, r *goquery.Selection) bool { return strings.Contains(r.Text(), "BJ-HELD") })); !strings.Contains(row, reason) {
		t.Errorf("the held orders list says %q", row)
	}

	// The API says why in English, or in Dutch when asked.
	api := a.apiClient(t, users.RoleSales)
	for lang, want := range map[string]string{"": "Exposure €2,648.02 + this order €12,081.85 passes the credit limit €10,000.00.", "nl": reason} {
		api.lang = lang
		_, body := api.get("/api/v1" + held)
		var o struct {
			CreditReason string `json:"credit_reason"`
		}
		if err := json.Unmarshal([]byte(body), &o); err != nil || o.CreditReason != want {
			t.Errorf("the API in %q says %q (%v), want %q", lang, o.CreditReason, err, want)
		}
	}

	buyer := a.dutch(t, users.RoleCustomer)
	var id int64
	a.db.NewSelect().Table("orders").Column("id").Where("po_reference = 'BJ-2026-118'").Scan(context.Background(), &id)
	_, body = buyer.get(fmt.Sprintf("/portal/orders/%d", id))
	d = doc(t, body)
	if got := squashed(d.Find("form[action$='/confirm'] p")); got != "Met uw bevestiging bestelt u de bovenstaande goederen tegen deze prijzen en voorwaarden, geleverd zoals aangegeven." {
		t.Errorf("the portal's confirmation says %q", got)
	}
	if got := squashed(d.Find("form[action$='/confirm'] button")); got != fmt.Sprintf("Order %d bevestigen", id) {
		t.Errorf("the confirm button says %q", got)
	}
	resp, _ = buyer.post(fmt.Sprintf("/portal/orders/%d/confirm", id), nil)
	wantStatus(t, resp, http.StatusFound)
	_, body = buyer.get(resp.Header.Get("Location"))
	if flash := squashed(doc(t, body).Find(".flash")); flash != "Dank u: de order is bevestigd." {
		t.Errorf("the flash says %q", flash)
	}
}

// The order list's date filter is on the day an order was entered, as its
// column "Ingevoerd" and the API's from/to: its labels say so.
func TestOrderListFiltersOnTheDayEntered(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	am := a.dutch(t, users.RoleAccountManager)
	resp, body := am.get("/orders?to=2099-12-31")
	wantStatus(t, resp, http.StatusOK)
	d := doc(t, body)
	if got := texts(d.Find(`label[for="from"], label[for="to"]`)); got != "Ingevoerd vanaf | Ingevoerd tot en met" {
		t.Errorf("the date filter's labels: %q", got)
	}
	if !strings.Contains(texts(d.Find("thead th")), "Ingevoerd") || !strings.Contains(squashed(d.Find("tbody")), "BJ-2026-118") {
		t.Errorf("until 2099 the list lacks BJ-2026-118 or its column Ingevoerd:\n%s", squashed(d.Find("table")))
	}
	_, body = am.get("/orders?from=2099-01-01")
	if got := squashed(doc(t, body).Find("tbody")); got != "Geen orders." {
		t.Errorf("orders entered from 2099: %q", got)
	}
}
