package web_test

import (
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"

	"wholesale/internal/users"
	"wholesale/internal/web"
	"wholesale/templates"

	"github.com/PuerkitoBio/goquery"
	"github.com/gofiber/fiber/v2"
)

// templatesWith is the embedded templates with one file replaced.
func templatesWith(t *testing.T, name, text string) fs.FS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(templates.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templates.FS, p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	m[name] = &fstest.MapFile{Data: []byte(text)}
	return m
}

// A page whose template fails answers 500 with the error page, never 200
// with the error's text, and the error is logged with the request id.
func TestTemplateErrorAnswers500(t *testing.T) {
	t.Parallel()
	a := newApp(t, func(c *web.Config) {
		c.Templates = templatesWith(t, "home/index.html", `<h1>Welcome</h1>{{.NoSuchField}}`)
	})
	resp, body := a.as(users.RoleAdmin).get("/")
	wantStatus(t, resp, http.StatusInternalServerError)
	if !strings.Contains(body, "Something went wrong on our side") || strings.Contains(body, "Welcome") || strings.Contains(body, "NoSuchField") {
		t.Fatalf("error page:\n%s", body)
	}
	id := resp.Header.Get("X-Request-ID")
	if id == "" || !strings.Contains(a.logs.String(), "id="+id) || !strings.Contains(a.logs.String(), "NoSuchField") {
		t.Fatalf("the error is not logged with request id %q:\n%s", id, a.logs.String())
	}
}

// A handler that panics answers 500 with the error page, is logged with
// its request id, and the server goes on serving.
func TestAPanicAnswers500AndTheServerGoesOn(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.srv.App.Get("/test-panic", func(*fiber.Ctx) error { panic("boom in a handler") })
	resp, body := a.client().get("/test-panic")
	wantStatus(t, resp, http.StatusInternalServerError)
	if !strings.Contains(body, "Something went wrong on our side") {
		t.Fatalf("page: %s", body)
	}
	id := resp.Header.Get("X-Request-ID")
	if logs := a.logs.String(); !strings.Contains(logs, "id="+id) || !strings.Contains(logs, "boom in a handler") {
		t.Fatalf("the panic is not logged with request id %s:\n%s", id, logs)
	}
	resp, _ = a.client().get("/healthz")
	wantStatus(t, resp, http.StatusOK)
}

// Every amount on a page, printed by the template or inside a message
// written in Go (a credit reason), is one unbreakable span "€ 1.234,56",
// and a message around it stays escaped.
func TestAmountsStayWithTheirEuroSign(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	am := a.as(users.RoleAccountManager)
	form := url.Values{"company_id": {fmt.Sprint(a.companyID(t, "Bakkerij Jansen B.V."))}, "po_reference": {"BJ-HELD"},
		"sku_0": {"KR-EA8108"}, "qty_0": {"5"}, "sku_1": {"TF-GC7148"}, "qty_1": {"60"}, "shipping": {"0"}, "action": {"place"}}
	resp, _ := am.post("/orders", form)
	wantStatus(t, resp, http.StatusFound)
	_, body := a.as(users.RoleSales).get(resp.Header.Get("Location"))
	d := doc(t, body)
	reason := d.Find("p.flag")
	var inReason []string
	reason.Find("span.amount").Each(func(_ int, s *goquery.Selection) { inReason = append(inReason, s.Text()) })
	if len(inReason) != 3 || inReason[2] != "€10,000.00" || !strings.Contains(reason.Text(), "passes the credit limit €10,000.00") {
		t.Errorf("the credit reason %q has the amounts %q, want three, the limit last", reason.Text(), inReason)
	}
	if total := d.Find("dl.facts dd strong span.amount").Text(); total != "€12,081.85" {
		t.Errorf("the total is %q, want it in an amount's span", total)
	}

	form.Set("po_reference", "BJ-CHECK")
	form.Set("sku_0", "<b>KR")
	form.Set("action", "check")
	_, body = am.post("/orders", form)
	if msg := doc(t, body).Find(".field-error").First().Text(); msg != "No product has SKU <B>KR." || strings.Contains(body, "<B>KR") {
		t.Errorf("the message at the line is %q, escaped: %v", msg, !strings.Contains(body, "<B>KR"))
	}
}

// userReads sets the language the demo user of role reads in (the
// fixtures set 'en' for everyone).
func (a *testApp) userReads(t *testing.T, role users.Role, lang string) {
	t.Helper()
	if _, err := a.db.NewRaw("UPDATE users SET language = ? WHERE email = ?", lang, loginOf(role).Email).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// A Dutch user (users.language 'nl') sees the layout and their profile in
// Dutch, whatever their browser asks for: the page is marked Dutch, the
// navigation, the role, the log-out button and the footer are Dutch, and
// there is no language switch (their profile decides).
func TestDutchUserSeesLayoutAndProfileInDutch(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.userReads(t, users.RoleCustomer, "nl")
	c := a.as(users.RoleCustomer) // the browser asks for English
	resp, body := c.get("/profile")
	wantStatus(t, resp, http.StatusOK)
	d := doc(t, body)
	if lang, _ := d.Find("html").Attr("lang"); lang != "nl" || resp.Header.Get("Content-Language") != "nl" {
		t.Errorf("the page is marked %q (Content-Language %q), want nl", lang, resp.Header.Get("Content-Language"))
	}
	var nav []string
	d.Find("header nav a").Each(func(_ int, s *goquery.Selection) { nav = append(nav, s.Text()) })
	if got := strings.Join(nav, "|"); got != "Start|Onze orders|Onze facturen|Rekeningoverzicht|Onze retouren|Onze klachten|Ons account|Profiel" {
		t.Errorf("navigation %q", got)
	}
	checks := map[string]string{
		"title":                                 "Uw profiel · wholesale",
		"main h1":                               "Uw profiel",
		"header .who":                           "Joris Jansen · Klant",
		"header button":                         "Uitloggen",
		"footer":                                "Wij vragen nooit om uw wachtwoord of betaalgegevens per e-mail of telefoon.",
		"label[for=language]":                   "Taal van de pagina's en van e-mail aan u persoonlijk",
		"select[name=language] [selected]":      "Nederlands",
		"form[action='/profile/tokens'] button": "Token aanmaken",
	}
	for sel, want := range checks {
		if got := strings.TrimSpace(d.Find(sel).First().Text()); !strings.HasSuffix(got, want) {
			t.Errorf("%s: %q, want %q", sel, got, want)
		}
	}
	if d.Find(".langs").Length() != 0 {
		t.Error("a signed-in user's page has the language switch")
	}
}

// The language is chosen on /profile: the choice is stored with an audit
// entry, and the next page, with its flash, is in the new language.
func TestLanguageChosenOnTheProfile(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.as(users.RoleWarehouse)
	_, body := c.get("/profile")
	if got := doc(t, body).Find("select[name=language] option[selected]").AttrOr("value", ""); got != "en" {
		t.Fatalf("the form shows %q chosen, want en", got)
	}
	resp, _ := c.post("/profile/language", url.Values{"language": {"nl"}})
	wantStatus(t, resp, http.StatusFound)
	if loc := resp.Header.Get("Location"); loc != "/profile" {
		t.Fatalf("redirect to %q", loc)
	}
	var lang string
	a.db.NewRaw("SELECT language FROM users WHERE email = ?", loginOf(users.RoleWarehouse).Email).Scan(context.Background(), &lang)
	if lang != "nl" {
		t.Fatalf("users.language = %q, want nl", lang)
	}
	var entry struct {
		Before, After string
	}
	a.db.NewRaw(`SELECT before::text, after::text FROM audit_log WHERE entity = 'user' AND action = 'language'`).Scan(context.Background(), &entry.Before, &entry.After)
	if !strings.Contains(entry.Before, `"en"`) || !strings.Contains(entry.After, `"nl"`) {
		t.Fatalf("audit entry %+v", entry)
	}
	_, body = c.get("/profile")
	d := doc(t, body)
	if h, flash := d.Find("main h1").Text(), d.Find(".flash").Text(); h != "Uw profiel" ||
		flash != "Taal opgeslagen: onze pagina's en e-mail aan u persoonlijk zijn voortaan in deze taal." {
		t.Fatalf("after choosing Dutch: heading %q, flash %q", h, flash)
	}
	c.post("/profile/language", url.Values{"language": {"en"}})
	_, body = c.get("/profile")
	d = doc(t, body)
	if h, flash := d.Find("main h1").Text(), d.Find(".flash").Text(); h != "Your profile" || !strings.HasPrefix(flash, "Language saved") {
		t.Fatalf("after choosing English: heading %q, flash %q", h, flash)
	}
}

// An anonymous visitor reads the public pages in their browser's language
// until they pick the other one with the switch, which works without
// JavaScript: a link to the same page with ?lang=, kept in a cookie.
func TestPublicPagesFollowTheBrowserAndTheSwitch(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	dutch, english := a.client(), a.client()
	dutch.lang, english.lang = "nl-NL,nl;q=0.9,en;q=0.5", "en-GB,en;q=0.9"
	for _, tc := range []struct {
		c                    *client
		lang, heading, label string
	}{{dutch, "nl", "Inloggen", "Wachtwoord vergeten?"}, {english, "en", "Log in", "Forgot your password?"}} {
		_, body := tc.c.get("/login?next=/orders")
		d := doc(t, body)
		if lang, _ := d.Find("html").Attr("lang"); lang != tc.lang {
			t.Errorf("%s: <html lang=%q>", tc.lang, lang)
		}
		if h, link := d.Find("main h1").Text(), d.Find("a[href='/password/forgot']").Text(); h != tc.heading || link != tc.label {
			t.Errorf("%s: heading %q, link %q", tc.lang, h, link)
		}
	}

	// The Dutch visitor switches to English: the link keeps the page and its query.
	_, body := dutch.get("/login?next=/orders")
	links := doc(t, body).Find(".langs a")
	if links.Length() != 2 || links.Eq(0).Text() != "Nederlands" || links.Eq(1).Text() != "English" {
		t.Fatalf("the switch: %q", links.Text())
	}
	href := links.Eq(1).AttrOr("href", "")
	if href != "/login?lang=en&next=%2Forders" {
		t.Fatalf("the English link is %q", href)
	}
	_, body = dutch.get(href)
	d := doc(t, body)
	if h := d.Find("main h1").Text(); h != "Log in" || d.Find("input[name=next]").AttrOr("value", "") != "/orders" {
		t.Fatalf("after the switch: heading %q", h)
	}
	// The choice stays: other pages are English now, an error page too.
	_, body = dutch.get("/password/forgot")
	if h := doc(t, body).Find("main h1").Text(); h != "Forgot your password" {
		t.Fatalf("the next page: %q", h)
	}
	resp, body := dutch.get("/no/such/page")
	wantStatus(t, resp, http.StatusNotFound)
	if h := doc(t, body).Find("main h1").Text(); h != "Not found" {
		t.Fatalf("the error page: %q", h)
	}
	// And back to Dutch.
	_, body = dutch.get("/no/such/page?lang=nl")
	d = doc(t, body)
	if h, msg := d.Find("main h1").Text(), d.Find(".error-box").Text(); h != "Niet gevonden" || msg != "Deze pagina bestaat niet." {
		t.Fatalf("the Dutch error page: %q, %q", h, msg)
	}
	if d.Find(".langs a[aria-current]").Text() != "Nederlands" {
		t.Fatalf("the switch does not mark Dutch: %q", d.Find(".langs").Text())
	}
}

// The navigation bar lists the role's pages in the user's language and
// marks the one the user is on, page after page: each bar is drawn once
// per language, role and current link, and kept.
func TestNavigationBarMarksThePageTheUserIsOn(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	admin, wh := a.as(users.RoleAdmin), a.as(users.RoleWarehouse)
	dutch := a.dutch(t, users.RoleAccountManager)
	for _, c := range []struct {
		who, path, current, has, lacks string
	}{
		{"admin", "/orders", "Orders", "Audit trail", ""},
		{"admin", "/admin/audit", "Audit trail", "Orders", ""},
		{"admin", "/orders?status=draft", "Orders", "Users", ""},
		{"admin", "/orders", "Orders", "Settings", ""}, // again: the bar kept
		{"admin", "/profile", "Profile", "Customers", ""},
		{"warehouse", "/", "Home", "Supplier orders", "Audit trail"},
		{"warehouse", "/orders", "Orders", "To ship", "Users"},
		{"dutch", "/customers", "Klanten", "Orders", "Audit trail"},
		{"dutch", "/orders", "Orders", "Klanten", "Customers"},
		{"dutch", "/", "Start", "Klanten", "Home"},
	} {
		who := map[string]*client{"admin": admin, "warehouse": wh, "dutch": dutch}[c.who]
		resp, body := who.get(c.path)
		wantStatus(t, resp, http.StatusOK)
		nav := doc(t, body).Find("header nav")
		if got := texts(nav.Find("a[aria-current=page]")); got != c.current {
			t.Errorf("%s on %s: the bar marks %q, want %q", c.who, c.path, got, c.current)
		}
		links := texts(nav.Find("a"))
		if !strings.Contains(links, c.has) || (c.lacks != "" && strings.Contains(links, c.lacks)) {
			t.Errorf("%s on %s: the bar's links %q, want %q and not %q", c.who, c.path, links, c.has, c.lacks)
		}
	}
	// A page that is none of the bar's links marks none.
	_, body := admin.get("/orders/1")
	if n := doc(t, body).Find("header nav a").Length(); n < 10 || doc(t, body).Find("header nav a[aria-current]").Length() != 0 {
		t.Errorf("the order page's bar: %d links, %q marked", n, texts(doc(t, body).Find("header nav a[aria-current]")))
	}
}
