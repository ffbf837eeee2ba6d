package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/uptrace/bun"

	"wholesale/internal/catalog"
	"wholesale/internal/clock"
	"wholesale/internal/customers"
	"wholesale/internal/demo"
	"wholesale/internal/i18n"
	"wholesale/internal/invoicing"
	"wholesale/internal/money"
	"wholesale/internal/orders"
	"wholesale/internal/pgtest"
	"wholesale/internal/settings"
	"wholesale/internal/shipping"
	"wholesale/internal/stock"
	"wholesale/internal/users"
	"wholesale/internal/web"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

type testApp struct {
	t     *testing.T
	logs  *syncBuffer
	srv   *web.Server
	db    *bun.DB
	clk   *clock.Fixed
	users *users.Service
	cust  *customers.Service
}

type option func(*web.Config)

// newApp is a server over a fresh database holding the demo data, with
// an empty complaints log: the complaint tests file and count their own
// (demo_complaints_test.go reads the demo's).
func newApp(t *testing.T, opts ...option) *testApp {
	t.Helper()
	db := pgtest.New(t)
	return newAppOn(t, db, opts...)
}

// newAppOn is a server over an existing database, as a second app server would be.
func newAppOn(t *testing.T, db *bun.DB, opts ...option) *testApp {
	t.Helper()
	return newAppDemo(t, db, []demo.Option{demo.WithoutComplaints()}, opts...)
}

// newAppDemo is a server over db, with the demo data of opts loaded when
// db has none yet.
func newAppDemo(t *testing.T, db *bun.DB, demoOpts []demo.Option, opts ...option) *testApp {
	t.Helper()
	clk := clock.NewFixed(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	us := users.NewService(db, clk, users.FastHasher)
	cfg := web.Config{BaseURL: "http://localhost:8080", LoginRateLimit: 1000}
	for _, o := range opts {
		o(&cfg)
	}
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	cs := &customers.Service{DB: db, Clock: clk, Users: us, BaseURL: cfg.BaseURL, Log: log}
	if _, err := demo.Load(context.Background(), db, us, cs, demoOpts...); err != nil {
		t.Fatal(err)
	}
	// The tests read the pages in English, the language their assertions
	// are written in; lang_test.go reads them in Dutch, the default.
	if _, err := db.NewRaw("UPDATE users SET language = 'en'").Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(web.Deps{DB: db, Clock: clk, Log: log,
		Users: us, Customers: cs, Registry: prometheus.NewRegistry(), Config: cfg,
		Catalog: &catalog.Service{DB: db, Clock: clk}, Stock: &stock.Service{DB: db, Clock: clk},
		Orders:    &orders.Service{DB: db, Clock: clk, BaseURL: cfg.BaseURL, Calendar: invoicing.LoadCalendar},
		Invoicing: invoicingFor(db, clk), Settings: &settings.Service{DB: db, Clock: clk},
		Shipping: &shipping.Service{DB: db, Clock: clk, BusinessDay: invoicing.BusinessDay, BaseURL: cfg.BaseURL}})
	if err != nil {
		t.Fatal(err)
	}
	return &testApp{t: t, logs: logs, srv: srv, db: db, clk: clk, users: us, cust: cs}
}

// syncBuffer keeps what the server logs, for tests that check the log.
type syncBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func loginOf(role users.Role) demo.Login {
	for _, l := range demo.Logins() {
		if l.Role == role {
			return l
		}
	}
	panic("no demo login for " + role)
}

// client is a browser: it keeps cookies and sends the CSRF token with forms.
type client struct {
	t       *testing.T
	app     *testApp
	cookies map[string]string
	bearer  string
	// lang is the browser's Accept-Language ("" for none).
	lang string
}

func (a *testApp) client() *client {
	return &client{t: a.t, app: a, cookies: map[string]string{}, lang: "en"}
}

// as returns a client logged in with the demo login of role.
func (a *testApp) as(role users.Role) *client {
	c := a.client()
	l := loginOf(role)
	resp, _ := c.post("/login", url.Values{"email": {l.Email}, "password": {l.Password}})
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/" {
		a.t.Fatalf("login as %s: %d %s", role, resp.StatusCode, resp.Header.Get("Location"))
	}
	return c
}

func (c *client) do(method, path string, body io.Reader, contentType string) (*http.Response, string) {
	c.t.Helper()
	req := httptest.NewRequest(method, path, body)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range c.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	if c.lang != "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	resp, b := c.app.send(c.t, req)
	for _, ck := range resp.Cookies() {
		if ck.MaxAge < 0 || (!ck.Expires.IsZero() && ck.Expires.Before(time.Now())) || ck.Value == "" {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck.Value
		}
	}
	return resp, string(b)
}

func (c *client) get(path string) (*http.Response, string) {
	c.t.Helper()
	return c.do(http.MethodGet, path, nil, "")
}

// csrf returns the token of the client's CSRF cookie, visiting a page for one first.
func (c *client) csrf() string {
	if c.cookies["wholesale_csrf"] == "" {
		c.get("/login")
	}
	return c.cookies["wholesale_csrf"]
}

// post sends a form with the CSRF token, unless the form sets _csrf itself.
func (c *client) post(path string, form url.Values) (*http.Response, string) {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["_csrf"]; !ok {
		form.Set("_csrf", c.csrf())
	}
	return c.do(http.MethodPost, path, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
}

func doc(t *testing.T, body string) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func wantStatus(t *testing.T, resp *http.Response, want int) {
	t.Helper()
	if resp.StatusCode != want {
		t.Fatalf("status %d, want %d", resp.StatusCode, want)
	}
}

// enAmount prints an amount as the English pages do: "€1,250.50".
func enAmount(c money.Cents) string { return i18n.For(i18n.EN).Amount(c) }
