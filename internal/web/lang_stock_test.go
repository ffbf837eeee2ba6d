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

// readingIn logs in the demo user of role after setting the language
// they read in ("nl" or "en"), with a browser asking for that language.
func (a *testApp) readingIn(role users.Role, lang string) *client {
	a.t.Helper()
	if _, err := a.db.ExecContext(context.Background(), "UPDATE users SET language = ? WHERE email = ?", lang, loginOf(role).Email); err != nil {
		a.t.Fatal(err)
	}
	c := a.as(role)
	c.lang = lang
	return c
}

// productPath is the page of the product with the SKU.
func (a *testApp) productPath(t *testing.T, sku string) string {
	t.Helper()
	var id int64
	if err := a.db.NewSelect().Table("products").Column("id").Where("sku = ?", sku).Scan(context.Background(), &id); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("/products/%d", id)
}

// squash is the text of s with its spaces and line breaks collapsed.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

// cells is the text of each th or td in sel, squashed, joined by " | ".
func cells(sel *goquery.Selection) string {
	var out []string
	sel.Find("th, td").Each(func(_ int, c *goquery.Selection) { out = append(out, squash(c.Text())) })
	return strings.Join(out, " | ")
}

// TestDutchStaffSeeBackOrdersAndAProductInDutch: an account manager who
// reads Dutch sees the back-order page and the page of the Krups espresso
// machine in Dutch: the headings, the expected date of the demo customer's
// line (SEB-2026-114, confirmed for 28 November 2026) as 28-11-2026, and
// the product's stock status in Dutch with that date.
func TestDutchStaffSeeBackOrdersAndAProductInDutch(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	am := a.readingIn(users.RoleAccountManager, "nl")

	resp, body := am.get("/backorders")
	wantStatus(t, resp, http.StatusOK)
	d := doc(t, body)
	if h := squash(d.Find("main h1").Text()); h != "Naleveringen" {
		t.Errorf("back orders heading %q", h)
	}
	if th := cells(d.Find("main thead")); th != "Artikelnummer | Product | Klant | Referentie | Aantal wachtend | Geplaatst | Verwacht | Voorrang" {
		t.Errorf("back orders columns %q", th)
	}
	var row string
	d.Find("main tbody tr").Each(func(_ int, tr *goquery.Selection) {
		if strings.HasPrefix(cells(tr), "KR-XP3440 |") {
			row = cells(tr)
		}
	})
	for _, want := range []string{"4 van 4", "28-11-2026 (bevestigd)", "verschoven van 01-12-2026", "klant is over de nieuwe datum geïnformeerd", "voorrang geven"} {
		if !strings.Contains(row, want) {
			t.Errorf("the espresso machine's back order lacks %q: %q", want, row)
		}
	}

	_, body = am.get(a.productPath(t, "KR-XP3440"))
	d = doc(t, body)
	if status := squash(d.Find("main p.status-ordered_confirmed").Text()); status != "Besteld bij de leverancier, leverdatum bevestigd: 28-11-2026" {
		t.Errorf("product page status %q", status)
	}
	if h := squash(d.Find("main h2").First().Text()); h != "Voorraad" {
		t.Errorf("product page heading %q", h)
	}
	if back := squash(d.Find("main table").Eq(1).Find("tbody").Text()); !strings.Contains(back, "28-11-2026 (bevestigd)") || !strings.Contains(back, "4 van 4") {
		t.Errorf("product page back orders %q", back)
	}
	if lang, _ := d.Find("html").Attr("lang"); lang != "nl" {
		t.Errorf("html lang %q", lang)
	}
}

// TestEnglishStaffSeeTheStockStatusInEnglish: the same product page read in
// English shows the status in English with the date as 28 Nov 2026, and no
// Dutch status beside it.
func TestEnglishStaffSeeTheStockStatusInEnglish(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	am := a.readingIn(users.RoleAccountManager, "en")
	_, body := am.get(a.productPath(t, "KR-XP3440"))
	d := doc(t, body)
	if status := squash(d.Find("main p.status-ordered_confirmed").Text()); status != "Ordered from the supplier, delivery date confirmed: 28 Nov 2026" {
		t.Errorf("product page status %q", status)
	}
	if strings.Contains(body, "Besteld bij de leverancier") {
		t.Error("the English product page shows the Dutch status")
	}
	_, body = am.get("/backorders")
	if !strings.Contains(doc(t, body).Find("main tbody").Text(), "28 Nov 2026 (confirmed)") {
		t.Errorf("back orders: %q", squash(doc(t, body).Find("main tbody").Text()))
	}
}

// TestDutchAdminGetsTheImportReportInDutch: a product import with two bad
// rows, read by an admin who reads Dutch, answers with the report in
// Dutch: its summary and each row's reason.
func TestDutchAdminGetsTheImportReportInDutch(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	admin := a.readingIn(users.RoleAdmin, "nl")
	bad := "sku,name,unit_price,colour\nNEW-1,Good,1,red\nNEW-2,,2,blue\n"
	resp, body := admin.postMultipart("/products/import", nil, map[string][]byte{"file": []byte(bad)})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	box := doc(t, body).Find(".error-box")
	if p := squash(box.Find("p").Text()); p != "Er is niets geïmporteerd: eerst moeten 2 problemen worden opgelost." {
		t.Errorf("summary %q", p)
	}
	rows := box.Find("tbody tr")
	if got := cells(rows.Eq(0)); got != `1 | onbekende kolom "colour" (bekend: sku, name, brand, description, unit_price, vat_rate, ean, max_per_order, doa_returnable, supply)` {
		t.Errorf("row 1: %q", got)
	}
	if got := cells(rows.Eq(1)); got != "3 | name: Vul de productnaam in." {
		t.Errorf("row 3: %q", got)
	}
	if th := cells(box.Find("thead")); th != "Rij | Reden" {
		t.Errorf("report columns %q", th)
	}
}
