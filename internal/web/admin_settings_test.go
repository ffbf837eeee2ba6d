package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"wholesale/internal/users"
)

// fieldValues reads what each named control of the page's first form shows.
func fieldValues(d *goquery.Document, names ...string) map[string]string {
	out := map[string]string{}
	for _, n := range names {
		out[n], _ = shownValue(d, "form[action='/admin/settings']", n)
	}
	return out
}

// The admin saves the company details and the cutoff; the page shows them
// back as stored (normalised), the audit trail names the change.
func TestAdminSavesTheCompanySettings(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	admin := a.as(users.RoleAdmin)
	_, body := admin.get("/")
	if !strings.Contains(body, `href="/admin/settings"`) {
		t.Error("the admin's navigation has no link to the settings")
	}
	form := settingsForm("vat_id", "nl 0044.95.445 b01")
	form.Set("iban", "nl91 abna 0417 1643 00")
	form.Set("name", "Groothandel Nieuw B.V.")
	form.Set("postcode", "1015aa")
	resp, _ := admin.post("/admin/settings", form)
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/admin/settings" {
		t.Fatalf("save: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body = admin.get("/admin/settings")
	wantStatus(t, resp, http.StatusOK)
	d := doc(t, body)
	if flash := strings.TrimSpace(d.Find(".flash").Text()); flash != "Settings saved." {
		t.Errorf("flash %q", flash)
	}
	got := fieldValues(d, "name", "street", "postcode", "city", "country", "vat_id", "kvk", "iban", "bic", "email", "phone", "website", "cutoff")
	want := map[string]string{"name": "Groothandel Nieuw B.V.", "street": "Keizersgracht 100", "postcode": "1015 AA", "city": "Amsterdam", "country": "NL",
		"vat_id": "NL004495445B01", "kvk": "30123456", "iban": "NL91ABNA0417164300", "bic": "ABNANL2A", "email": "factuur@test.nl",
		"phone": "+31 20 123 4567", "website": "https://www.test.nl", "cutoff": "16:30"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s shows %q, want %q", k, got[k], v)
		}
	}
	if d.Find(".error-box").Length() > 0 {
		t.Errorf("complete details, yet the page says: %s", d.Find(".error-box").Text())
	}
	_, body = admin.get("/admin/audit?entity=settings")
	if text := doc(t, body).Find("main").Text(); !strings.Contains(text, "Groothandel Nieuw B.V.") || !strings.Contains(text, "16:30") {
		t.Errorf("the audit trail does not show the change: %.500s", strings.Join(strings.Fields(text), " "))
	}

	// Emptied details are stored, and the page says what invoices lack.
	empty := settingsForm("vat_id", "")
	empty.Set("kvk", "")
	if resp, _ := admin.post("/admin/settings", empty); resp.StatusCode != http.StatusFound {
		t.Fatalf("save without VAT id: %d", resp.StatusCode)
	}
	_, body = admin.get("/admin/settings")
	if msg := doc(t, body).Find(".error-box").Text(); !strings.Contains(msg, "lack VAT id, KvK number.") {
		t.Errorf("missing details: %q", msg)
	}
}

// The admin changes the return days; the audit trail says so in words,
// not by the setting's column name.
func TestAdminChangesTheReturnDays(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	admin := a.as(users.RoleAdmin)
	resp, _ := admin.post("/admin/settings/returns", url.Values{"ra_arrive_days": {"10"}})
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("save: %d", resp.StatusCode)
	}
	_, body := admin.get("/admin/audit?entity=settings")
	text := strings.Join(strings.Fields(doc(t, body).Find("main").Text()), " ")
	for _, want := range []string{"return days changed", "days for a return parcel to arrive: 14 → 10"} {
		if !strings.Contains(text, want) {
			t.Errorf("the audit trail does not say %q: %.500s", want, text)
		}
	}
	if strings.Contains(text, "ra arrive days") {
		t.Error("the audit trail names the column")
	}
}

// The admin adds a closing day, sees it listed with the demo's days between
// Christmas and New Year, and removes it again.
func TestAdminAddsAndRemovesAClosingDay(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	admin := a.as(users.RoleAdmin)
	resp, _ := admin.post("/admin/closing-days", url.Values{"day": {"2026-12-24"}, "reason": {"Stock count"}})
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("add: %d", resp.StatusCode)
	}
	_, body := admin.get("/admin/settings")
	d := doc(t, body)
	if flash := strings.TrimSpace(d.Find(".flash").Text()); flash != "24 December 2026 is a closing day: no invoicing cutoff on it." {
		t.Errorf("flash %q", flash)
	}
	var rows []string
	d.Find("#closing-days + p + table tbody tr").Each(func(_ int, tr *goquery.Selection) { rows = append(rows, cells(tr)) })
	if got, want := strings.Join(rows, "\n"), strings.Join([]string{"24 December 2026 | Stock count | Anna Admin | Remove",
		"28 December 2026 | Gesloten tussen Kerst en Oud en Nieuw | Anna Admin | Remove", "29 December 2026 | Gesloten tussen Kerst en Oud en Nieuw | Anna Admin | Remove",
		"30 December 2026 | Gesloten tussen Kerst en Oud en Nieuw | Anna Admin | Remove", "31 December 2026 | Gesloten tussen Kerst en Oud en Nieuw | Anna Admin | Remove"}, "\n"); got != want {
		t.Errorf("closing days:\n%s\nwant\n%s", got, want)
	}
	var holidays []string
	d.Find("table").Last().Find("tbody tr").Each(func(_ int, tr *goquery.Selection) { holidays = append(holidays, cells(tr)) })
	list := strings.Join(holidays, "\n")
	for _, h := range []string{"6 April 2026 | Easter Monday", "27 April 2026 | King's Day", "5 May 2026 | Liberation Day", "5 May 2027 | Liberation Day"} {
		if !strings.Contains(list, h) {
			t.Errorf("the holidays do not list %q:\n%s", h, list)
		}
	}
	if strings.Contains(list, "3 April 2026") || len(holidays) != 16 {
		t.Errorf("the holidays of 2026 and 2027 are not the 16 of the law:\n%s", list)
	}

	resp, _ = admin.post("/admin/closing-days/2026-12-24/delete", nil)
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("remove: %d", resp.StatusCode)
	}
	_, body = admin.get("/admin/settings")
	d = doc(t, body)
	if flash := strings.TrimSpace(d.Find(".flash").Text()); flash != "24 December 2026 is an ordinary day again." {
		t.Errorf("flash %q", flash)
	}
	if d.Find("form[action='/admin/closing-days/2026-12-24/delete']").Length() != 0 || d.Find("form[action='/admin/closing-days/2026-12-28/delete']").Length() != 1 {
		t.Error("the removed closing day is still listed, or another one went with it")
	}
	if resp, _ := admin.post("/admin/closing-days/2026-12-24/delete", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("removing it twice: %d", resp.StatusCode)
	}
}

// Nobody but an admin sees or changes the settings.
func TestOnlyAnAdminKeepsTheSettings(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	var before string
	a.db.NewRaw("SELECT concat_ws('|', name, cutoff_minutes, updated_at, (SELECT count(*) FROM closing_days)) FROM settings").Scan(t.Context(), &before)
	for _, role := range []users.Role{users.RoleSales, users.RoleAccountManager, users.RoleWarehouse, users.RoleCustomer} {
		c := a.as(role)
		resp, body := c.get("/admin/settings")
		wantStatus(t, resp, http.StatusForbidden)
		if strings.Contains(body, "Industrieweg") || strings.Contains(body, `name="cutoff"`) {
			t.Errorf("%s sees the settings", role)
		}
		if strings.Contains(body, `href="/admin/settings"`) {
			t.Errorf("%s has a link to the settings", role)
		}
		if resp, _ := c.post("/admin/settings", settingsForm("name", "Overgenomen B.V.")); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s saves the settings: %d", role, resp.StatusCode)
		}
		if resp, _ := c.post("/admin/closing-days", url.Values{"day": {"2026-12-28"}, "reason": {"Dicht"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s adds a closing day: %d", role, resp.StatusCode)
		}
	}
	var after string
	a.db.NewRaw("SELECT concat_ws('|', name, cutoff_minutes, updated_at, (SELECT count(*) FROM closing_days)) FROM settings").Scan(t.Context(), &after)
	if after != before || !strings.HasPrefix(before, "Wholesale Demo B.V.|1020|") {
		t.Errorf("settings and closing days %q → %q", before, after)
	}
}
