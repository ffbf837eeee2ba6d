package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"wholesale/internal/mail"
	"wholesale/internal/users"
)

// receiptTo is the subject and body of the newest mail to the address.
func (a *testApp) receiptTo(to string) (subject, body string) {
	a.t.Helper()
	msgs, err := mail.List(context.Background(), a.db, 50)
	if err != nil {
		a.t.Fatal(err)
	}
	for _, m := range msgs {
		if m.To == to {
			return m.Subject, m.Body
		}
	}
	a.t.Fatalf("no mail to %s", to)
	return "", ""
}

// applicationOf is the id and language of the application mailed to the address.
func (a *testApp) applicationOf(email string) (id int64, lang string) {
	a.t.Helper()
	if err := a.db.NewSelect().Table("applications").Column("id", "language").Where("contact_email = ?", email).Scan(context.Background(), &id, &lang); err != nil {
		a.t.Fatalf("no application of %s: %v", email, err)
	}
	return id, lang
}

// factOf is the text of the dd after the dt of a facts list that says dt.
func factOf(d *goquery.Document, dt string) string {
	out := ""
	d.Find("dl.facts dt").Each(func(_ int, s *goquery.Selection) {
		if s.Text() == dt {
			out = s.Next().Text()
		}
	})
	return out
}

// TestApplyInTheBrowsersLanguage: /apply follows Accept-Language, and its
// switch (?lang=) overrides it; the application keeps the language it was
// sent in, and the receipt mail is in it.
func TestApplyInTheBrowsersLanguage(t *testing.T) {
	t.Parallel()
	a := newApp(t)

	// A Dutch browser: Dutch labels, a Dutch message at the VAT id, a Dutch receipt.
	nl := a.client()
	nl.lang = "nl-NL,nl;q=0.9,en;q=0.8"
	_, body := nl.get("/apply")
	d := doc(t, body)
	if lang, _ := d.Find("html").Attr("lang"); lang != "nl" || d.Find("main h1").Text() != "Vraag een klantaccount aan" {
		t.Fatalf("Dutch browser: <html lang=%q>, heading %q", lang, d.Find("main h1").Text())
	}
	for id, want := range map[string]string{"vat_id": "Btw-nummer", "kvk": "KvK-nummer", "contact_phone": "Telefoon", "doc_kvk_extract": "Uittreksel Kamer van Koophandel (KvK)"} {
		if got := d.Find("label[for=" + id + "]").Text(); got != want {
			t.Errorf("label of %s: %q, want %q", id, got, want)
		}
	}
	f := applyFields()
	f.Set("vat_id", "NL123456789B90")
	resp, body := nl.postMultipart("/apply", f, allDocs())
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	d = doc(t, body)
	if got := d.Find("#vat_id ~ .field-error").First().Text(); got != "De controlecijfers van dit Nederlandse btw-nummer kloppen niet: controleer het op typefouten." {
		t.Errorf("message at the VAT id: %q", got)
	}
	stash, _ := d.Find("input[name=stash]").Attr("value")
	f.Set("vat_id", "NL004495445B01")
	f.Set("stash", stash)
	resp, _ = nl.postMultipart("/apply", f, nil)
	wantStatus(t, resp, http.StatusFound)
	id, lang := a.applicationOf("piet@pieters.test")
	subject, mailBody := a.receiptTo("piet@pieters.test")
	if lang != "nl" || subject != fmt.Sprintf("Uw aanvraag A-%d", id) ||
		!strings.Contains(mailBody, "Wij hebben de aanvraag van Groente Groothandel Pieters om klant te worden ontvangen") {
		t.Errorf("Dutch application (%q): receipt %q\n%s", lang, subject, mailBody)
	}
	_, body = nl.get(resp.Header.Get("Location"))
	if got := doc(t, body).Find(".flash").Text(); !strings.HasPrefix(got, fmt.Sprintf("Dank u wel: wij hebben uw aanvraag ontvangen (kenmerk A-%d)", id)) {
		t.Errorf("flash after the Dutch application: %q", got)
	}

	// An English browser: an English receipt.
	en := a.client()
	f = applyFields()
	f.Set("kvk", "41234568")
	f.Set("contact_email", "pete@pieters.test")
	resp, _ = en.postMultipart("/apply", f, allDocs())
	wantStatus(t, resp, http.StatusFound)
	id, lang = a.applicationOf("pete@pieters.test")
	subject, mailBody = a.receiptTo("pete@pieters.test")
	if lang != "en" || subject != fmt.Sprintf("Your application A-%d", id) ||
		!strings.Contains(mailBody, "We received the application of Groente Groothandel Pieters to become a customer") {
		t.Errorf("English application (%q): receipt %q\n%s", lang, subject, mailBody)
	}

	// A Dutch browser that switched to English: the switch wins, and stays.
	switched := a.client()
	switched.lang = "nl"
	_, body = switched.get("/apply?lang=en")
	if h := doc(t, body).Find("main h1").Text(); h != "Apply for a customer account" {
		t.Fatalf("after the switch to English: %q", h)
	}
	f.Set("kvk", "41234569")
	f.Set("contact_email", "petra@pieters.test")
	resp, _ = switched.postMultipart("/apply", f, allDocs())
	wantStatus(t, resp, http.StatusFound)
	if _, lang := a.applicationOf("petra@pieters.test"); lang != "en" {
		t.Errorf("sent after switching to English, recorded in %q", lang)
	}
}

// TestSalesChooseTheLanguageOfAnApplicationByEMail: an application sales
// enter for a business that mailed it goes in the language they choose,
// not in the one sales read the page in.
func TestSalesChooseTheLanguageOfAnApplicationByEMail(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	sales := a.as(users.RoleSales)
	_, body := sales.get("/applications/new")
	if n := doc(t, body).Find("select[name=language] option").Length(); n != 3 {
		t.Fatalf("%d choices of language", n)
	}
	f := applyFields()
	f.Set("language", "nl")
	resp, _ := sales.postMultipart("/applications", f, allDocs())
	wantStatus(t, resp, http.StatusFound)
	id, lang := a.applicationOf("piet@pieters.test")
	if subject, _ := a.receiptTo("piet@pieters.test"); lang != "nl" || subject != fmt.Sprintf("Uw aanvraag A-%d", id) {
		t.Errorf("recorded in %q, receipt %q", lang, subject)
	}
	_, body = sales.get(fmt.Sprintf("/applications/%d", id))
	if got := factOf(doc(t, body), "Language of mail"); got != "Dutch" {
		t.Errorf("the application page says its mail goes in %q", got)
	}
}

// TestSalesSetTheLanguageOfACustomersMail on the customer's page: the
// choice is shown, audited, and offered to sales and admins only.
func TestSalesSetTheLanguageOfACustomersMail(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	id := a.companyID(t, "Bakkerij Jansen B.V.")
	page := fmt.Sprintf("/customers/%d", id)
	fact := func(c *client, dt string) string {
		_, body := c.get(page)
		return factOf(doc(t, body), dt)
	}
	sales := a.as(users.RoleSales)
	if got := fact(sales, "Language of mail"); got != "Dutch" {
		t.Fatalf("a Dutch customer's mail is in %q", got)
	}
	resp, _ := sales.post(page+"/language", url.Values{"language": {"en"}})
	wantStatus(t, resp, http.StatusFound)
	_, body := sales.get(resp.Header.Get("Location"))
	if got := doc(t, body).Find(".flash").Text(); got != "Mail to Bakkerij Jansen B.V. goes in English from now on." {
		t.Errorf("flash %q", got)
	}
	if got := fact(sales, "Language of mail"); got != "English" {
		t.Errorf("after the change: %q", got)
	}
	var lang string
	a.db.NewSelect().Table("companies").Column("language").Where("id = ?", id).Scan(context.Background(), &lang)
	var audited int
	a.db.NewSelect().Table("audit_log").ColumnExpr("count(*)").Where("entity = 'company' AND entity_id = ? AND action = 'language'", fmt.Sprint(id)).Scan(context.Background(), &audited)
	if lang != "en" || audited != 1 {
		t.Errorf("stored %q, %d audit entries", lang, audited)
	}

	// Staff who read Dutch see it in Dutch; an account manager sees it but cannot change it.
	if _, err := a.db.NewUpdate().Table("users").Set("language = 'nl'").Where("role = 'sales'").Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := fact(sales, "Taal van de mail"); got != "Engels" {
		t.Errorf("for a Dutch reader: %q", got)
	}
	am := a.as(users.RoleAccountManager)
	_, body = am.get(page)
	if doc(t, body).Find("form[action$='/language']").Length() != 0 || fact(am, "Language of mail") != "English" {
		t.Error("the account manager is offered the language form, or not shown the language")
	}
}

// TestTermsInDutch: the general terms read in Dutch, the original, with
// their title, version and date the Dutch way.
func TestTermsInDutch(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.client()
	c.lang = "nl"
	_, body := c.get("/terms")
	d := doc(t, body)
	main := strings.Join(strings.Fields(d.Find("main").Text()), " ")
	if h := d.Find("main h1").Text(); h != "Algemene voorwaarden wholesale" {
		t.Errorf("heading %q", h)
	}
	for _, want := range []string{"versie 2026-01 van 1 januari 2026", "Er geldt geen minimale afname", "tot 45 dagen na ontvangst retourneren",
		"binnen 3 werkdagen", "8. Eigendomsvoorbehoud", "‘Ondertekende algemene voorwaarden’", "is de Nederlandse tekst bepalend"} {
		if !strings.Contains(main, want) {
			t.Errorf("the Dutch terms do not say %q", want)
		}
	}
}
