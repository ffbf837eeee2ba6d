package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"wholesale/internal/mail"
	"wholesale/internal/users"
	"wholesale/internal/web"
)

func TestLoginPageKeepsWhatWasTyped(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.client()
	resp, body := c.post("/login", url.Values{"email": {"admin@wholesale.test"}, "password": {"wrong"}})
	wantStatus(t, resp, http.StatusUnauthorized)
	d := doc(t, body)
	if v, _ := d.Find("input[name=email]").Attr("value"); v != "admin@wholesale.test" {
		t.Fatalf("typed e-mail lost: %q", v)
	}
	if !strings.Contains(d.Find(".error-box").Text(), "do not match") {
		t.Fatalf("no message: %q", d.Find("main").Text())
	}
	resp, body = c.post("/login", url.Values{"email": {""}, "password": {""}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if n := doc(t, body).Find(".field-error").Length(); n != 2 {
		t.Fatalf("%d field messages, want 2", n)
	}
}

func TestLoginLogoutAndSessionInPostgres(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	c := a.as(users.RoleSales)
	sid := c.cookies["wholesale_session"]
	if sid == "" {
		t.Fatal("no session cookie")
	}
	var n int
	a.db.NewSelect().Table("kv_store").ColumnExpr("count(*)").Where("namespace = 'session' AND key = ?", sid).Scan(ctx, &n)
	if n != 1 {
		t.Fatalf("session %s is not stored in PostgreSQL", sid)
	}
	resp, body := c.get("/")
	wantStatus(t, resp, http.StatusOK)
	if !strings.Contains(body, "Sam Sales") {
		t.Fatal("not logged in")
	}

	// A second app server on the same database knows the session.
	b := newAppOn(t, a.db)
	other := &client{t: t, app: b, cookies: c.cookies}
	if resp, body := other.get("/"); resp.StatusCode != http.StatusOK || !strings.Contains(body, "Sam Sales") {
		t.Fatalf("second server: %d", resp.StatusCode)
	}

	resp, _ = c.post("/logout", nil)
	wantStatus(t, resp, http.StatusFound)
	if n, _ := a.db.NewSelect().Table("audit_log").Where("entity = 'user' AND action = 'logout'").Count(ctx); n != 1 {
		t.Fatalf("%d logout entries in the audit trail", n)
	}
	a.db.NewSelect().Table("kv_store").ColumnExpr("count(*)").Where("namespace = 'session' AND key = ?", sid).Scan(ctx, &n)
	if n != 0 {
		t.Fatal("session row survives logout")
	}
	// Even with the old cookie replayed, the session is gone.
	replay := &client{t: t, app: a, cookies: map[string]string{"wholesale_session": sid}}
	resp, _ = replay.get("/")
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("old session still works: %d", resp.StatusCode)
	}
}

func TestSessionCookieFlags(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		base   string
		secure bool
	}{{"http://localhost:8080", false}, {"https://wholesale.example.nl", true}} {
		a := newApp(t, func(c *web.Config) { c.BaseURL = tc.base })
		c := a.client()
		l := loginOf(users.RoleAdmin)
		resp, _ := c.post("/login", url.Values{"email": {l.Email}, "password": {l.Password}})
		var found bool
		for _, ck := range resp.Cookies() {
			if ck.Name == "wholesale_session" {
				found = true
				if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure != tc.secure {
					t.Errorf("%s: cookie HttpOnly=%v SameSite=%v Secure=%v", tc.base, ck.HttpOnly, ck.SameSite, ck.Secure)
				}
			}
		}
		if !found {
			t.Fatalf("%s: no session cookie", tc.base)
		}
	}
}

func TestSessionIDChangesAtLogin(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.client()
	c.post("/password/forgot", url.Values{"email": {"x@y.nl"}}) // an anonymous session with a flash
	before := c.cookies["wholesale_session"]
	l := loginOf(users.RoleAdmin)
	c.post("/login", url.Values{"email": {l.Email}, "password": {l.Password}})
	if after := c.cookies["wholesale_session"]; after == "" || after == before {
		t.Fatalf("session id kept across login: %q → %q", before, after)
	}
}

func TestCSRFRejection(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.as(users.RoleAdmin)
	form := url.Values{"email": {"new@wholesale.test"}, "name": {"New"}, "role": {"sales"}, "password": {"long enough password"}}

	for name, token := range map[string]string{"missing": "", "wrong": "not-the-token"} {
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		f.Set("_csrf", token)
		resp, body := c.post("/admin/users", f)
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "expired or did not come from this site") {
			t.Fatalf("%s token: %d", name, resp.StatusCode)
		}
	}
	// Another site's page posting with the victim's cookies has no token either.
	var n int
	a.db.NewSelect().Table("users").ColumnExpr("count(*)").Where("email = 'new@wholesale.test'").Scan(context.Background(), &n)
	if n != 0 {
		t.Fatal("a user was created without a valid token")
	}
	resp, _ := c.post("/admin/users", form)
	wantStatus(t, resp, http.StatusFound)
	// The token also works in the X-CSRF-Token header, for scripts on our own pages.
	body := strings.NewReader(url.Values{"name": {"tok"}}.Encode())
	req := httptest.NewRequest(http.MethodPost, "/profile/tokens", body)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", c.csrf())
	for k, v := range c.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	r2, err := a.srv.App.Test(req, -1)
	if err != nil || r2.StatusCode != http.StatusOK {
		t.Fatalf("token in header: %v %v", r2.StatusCode, err)
	}
}

func TestLockoutOverHTTP(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	for _, email := range []string{"sales@wholesale.test", "nobody@wholesale.test"} {
		c := a.client()
		var body string
		for i := 0; i < 5; i++ {
			_, body = c.post("/login", url.Values{"email": {email}, "password": {"wrong"}})
		}
		if !strings.Contains(body, "locked for 15 minutes") {
			t.Fatalf("%s: no lock message after 5 failures", email)
		}
	}
	// The admin sees the lock and lifts it.
	admin := a.as(users.RoleAdmin)
	_, body := admin.get("/admin/users")
	if !strings.Contains(body, "locked until") {
		t.Fatal("the user list does not show the lock")
	}
	var id int64
	a.db.NewSelect().Table("users").Column("id").Where("email = 'sales@wholesale.test'").Scan(context.Background(), &id)
	resp, _ := admin.post("/admin/users/"+itoa(id)+"/unlock", nil)
	wantStatus(t, resp, http.StatusFound)
	a.as(users.RoleSales)
}

func TestLoginRateLimitPerIP(t *testing.T) {
	t.Parallel()
	a := newApp(t, func(c *web.Config) { c.LoginRateLimit = 3 })
	c := a.client()
	for i := 0; i < 3; i++ {
		resp, _ := c.post("/login", url.Values{"email": {"a@b.nl"}, "password": {"x"}})
		if resp.StatusCode == http.StatusTooManyRequests {
			t.Fatalf("limited at attempt %d", i+1)
		}
	}
	resp, body := c.post("/login", url.Values{"email": {"a@b.nl"}, "password": {"x"}})
	wantStatus(t, resp, http.StatusTooManyRequests)
	if !strings.Contains(body, "Wait a minute") {
		t.Fatal("no message")
	}
}

var sixDigits = regexp.MustCompile(`\b\d{6}\b`)

func TestPasswordResetOverHTTP(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.client()
	resp, _ := c.post("/password/forgot", url.Values{"email": {"Warehouse@Wholesale.test"}})
	wantStatus(t, resp, http.StatusFound)
	if loc := resp.Header.Get("Location"); loc != "/password/reset" {
		t.Fatalf("redirect %q: the address must not be in it", loc)
	}
	_, body := c.get(resp.Header.Get("Location"))
	if !strings.Contains(body, "a 6-digit code is on its way") {
		t.Fatal("no flash")
	}
	if v, _ := doc(t, body).Find("input[name=email]").Attr("value"); v != "warehouse@wholesale.test" {
		t.Fatalf("the reset form shows %q, want the address the code was asked for", v)
	}
	msgs, _ := mail.List(context.Background(), a.db, 5)
	code := sixDigits.FindString(msgs[0].Body)
	resp, body = c.post("/password/reset", url.Values{"email": {"warehouse@wholesale.test"}, "code": {code}, "password": {"short"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if v, _ := doc(t, body).Find("input[name=code]").Attr("value"); v != code {
		t.Fatal("typed code lost")
	}
	resp, _ = c.post("/password/reset", url.Values{"email": {"warehouse@wholesale.test"}, "code": {code}, "password": {"my new warehouse pw"}})
	wantStatus(t, resp, http.StatusFound)
	resp, _ = c.post("/login", url.Values{"email": {"warehouse@wholesale.test"}, "password": {"my new warehouse pw"}})
	if resp.Header.Get("Location") != "/" {
		t.Fatal("cannot log in with the new password")
	}
}

func TestAdminUserFormKeepsInputAndShowsFieldErrors(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.as(users.RoleAdmin)
	resp, body := c.post("/admin/users", url.Values{"email": {"bad"}, "name": {"Piet"}, "role": {"customer"}, "password": {"long enough password"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	d := doc(t, body)
	if v, _ := d.Find("input[name=name]").Attr("value"); v != "Piet" {
		t.Fatalf("name lost: %q", v)
	}
	if v, _ := d.Find("select[name=role] option[selected]").Attr("value"); v != "customer" {
		t.Fatalf("role lost: %q", v)
	}
	if d.Find(".field-error").Length() != 2 {
		t.Fatalf("want messages at email and company: %q", d.Find(".field-error").Text())
	}
}

func TestDeactivatedUserIsLoggedOut(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	victim := a.as(users.RoleWarehouse)
	admin := a.as(users.RoleAdmin)
	var id int64
	a.db.NewSelect().Table("users").Column("id").Where("email = 'warehouse@wholesale.test'").Scan(context.Background(), &id)
	resp, _ := admin.post("/admin/users/"+itoa(id)+"/deactivate", nil)
	wantStatus(t, resp, http.StatusFound)
	resp, _ = victim.get("/")
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Fatalf("deactivated user still in: %d", resp.StatusCode)
	}
	// An admin cannot lock themself out.
	var adminID int64
	a.db.NewSelect().Table("users").Column("id").Where("email = 'admin@wholesale.test'").Scan(context.Background(), &adminID)
	resp, _ = admin.post("/admin/users/"+itoa(adminID)+"/deactivate", nil)
	wantStatus(t, resp, http.StatusConflict)
}

func TestAPIWithBearerToken(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.as(users.RoleCustomer)
	_, body := c.post("/profile/tokens", url.Values{"name": {"ERP"}})
	token := doc(t, body).Find("code.token").Text()
	if !strings.HasPrefix(token, "whs_") {
		t.Fatalf("token not shown: %q", token)
	}
	api := &client{t: t, app: a, cookies: map[string]string{}, bearer: token}
	resp, body := api.get("/api/v1/me")
	wantStatus(t, resp, http.StatusOK)
	var me users.User
	json.Unmarshal([]byte(body), &me)
	if me.Email != "buyer@bakkerij-jansen.test" || strings.Contains(body, "argon2") {
		t.Fatalf("me: %s", body)
	}
	resp, body = api.get("/api/v1/users")
	wantStatus(t, resp, http.StatusForbidden)
	var e struct {
		Error struct{ Kind, Message string }
	}
	json.Unmarshal([]byte(body), &e)
	if e.Error.Kind != "forbidden" {
		t.Fatalf("error body: %s", body)
	}
	bad := &client{t: t, app: a, cookies: map[string]string{}, bearer: "whs_nope"}
	resp, _ = bad.get("/api/v1/me")
	wantStatus(t, resp, http.StatusUnauthorized)
}

func TestHealthReadyMetricsAndRequestID(t *testing.T) {
	t.Parallel()
	a := newApp(t, withMetricsToken("scrape-secret"))
	c := a.client()
	resp, _ := c.get("/healthz")
	wantStatus(t, resp, http.StatusOK)
	if resp.Header.Get("X-Request-ID") == "" {
		t.Fatal("no request id")
	}
	resp, _ = c.get("/readyz")
	wantStatus(t, resp, http.StatusOK)
	c.get("/login")
	_, body := a.metrics(bearer("scrape-secret"))
	if !strings.Contains(body, `wholesale_http_requests_total{method="GET",route="/login",status="200"} 1`) ||
		!strings.Contains(body, `wholesale_http_request_duration_seconds_bucket{method="GET",route="/login"`) {
		t.Fatalf("metrics lack the login request:\n%s", body)
	}
	resp, body = c.get("/no/such/page")
	wantStatus(t, resp, http.StatusNotFound)
	if !strings.Contains(body, "does not exist") {
		t.Fatal("no error page")
	}
}

func TestReadyzFailsWithoutDatabase(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.db.Close()
	resp, _ := a.client().get("/readyz")
	wantStatus(t, resp, http.StatusServiceUnavailable)
}

func TestAuditPageFilters(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.as(users.RoleAdmin)
	a.as(users.RoleSales)
	_, body := c.get("/admin/audit?entity=user&action=login")
	d := doc(t, body)
	if d.Find("table.audit tbody tr").Length() < 2 {
		t.Fatal("no entries")
	}
	var salesID int64
	a.db.NewSelect().Table("users").Column("id").Where("email = 'sales@wholesale.test'").Scan(context.Background(), &salesID)
	_, body = c.get("/admin/audit?user=" + itoa(salesID))
	// Sales' own entries only: the login, and the demo's e-invoice setting of a customer.
	rows := doc(t, body).Find("table.audit tbody tr")
	rows.Each(func(_ int, r *goquery.Selection) {
		if !strings.Contains(r.Text(), "sales@wholesale.test") {
			t.Errorf("filter by user shows another's entry: %q", r.Text())
		}
	})
	if rows.Length() != 2 || !strings.Contains(rows.Text(), "user "+itoa(salesID)+": logged in") || !strings.Contains(rows.Text(), "einvoice") {
		t.Fatalf("filter by user: %q", rows.Text())
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// The password reset mail is in the language of the user it is for, not
// of the browser that asked for it: Dutch for a Dutch user, and its
// code still works.
func TestPasswordResetMailInTheUsersLanguage(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.userReads(t, users.RoleWarehouse, "nl")
	c := a.client() // an English browser
	for _, email := range []string{"warehouse@wholesale.test", "sales@wholesale.test"} {
		resp, _ := c.post("/password/forgot", url.Values{"email": {email}})
		wantStatus(t, resp, http.StatusFound)
	}
	msgs, _ := mail.List(context.Background(), a.db, 5)
	byTo := map[string]mail.Message{}
	for _, m := range msgs {
		byTo[m.To] = m
	}
	nl, en := byTo["warehouse@wholesale.test"], byTo["sales@wholesale.test"]
	if nl.Subject != "Uw code voor een nieuw wachtwoord" || !strings.HasPrefix(nl.Body, "Beste ") ||
		!strings.Contains(nl.Body, "Uw code om een nieuw wachtwoord in te stellen is:") ||
		!strings.Contains(nl.Body, "De code werkt één keer, 15 minuten lang (tot 10:15 uur).") {
		t.Errorf("the Dutch user's mail:\n%s\n%s", nl.Subject, nl.Body)
	}
	if en.Subject != "Your password reset code" || !strings.Contains(en.Body, "Your code to set a new password is:") ||
		!strings.Contains(en.Body, "It works once, for 15 minutes (until 10:15).") {
		t.Errorf("the English user's mail:\n%s\n%s", en.Subject, en.Body)
	}
	code := sixDigits.FindString(nl.Body)
	resp, _ := c.post("/password/reset", url.Values{"email": {"warehouse@wholesale.test"}, "code": {code}, "password": {"mijn nieuwe wachtwoord"}})
	wantStatus(t, resp, http.StatusFound)
}

// The login form speaks the visitor's language, its messages too.
func TestLoginMessagesInDutch(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.client()
	c.lang = "nl"
	resp, body := c.post("/login", url.Values{"email": {""}, "password": {""}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	d := doc(t, body)
	if got := d.Find(".field-error").First().Text(); got != "Vul uw e-mailadres in." {
		t.Errorf("message at the e-mail address: %q", got)
	}
	resp, body = c.post("/login", url.Values{"email": {"admin@wholesale.test"}, "password": {"wrong"}})
	wantStatus(t, resp, http.StatusUnauthorized)
	if got := doc(t, body).Find(".error-box").Text(); !strings.HasPrefix(got, "Dit e-mailadres en wachtwoord horen niet bij elkaar.") {
		t.Errorf("failed login: %q", got)
	}
}
