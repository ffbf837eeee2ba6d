package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/uptrace/bun"
	"github.com/xuri/excelize/v2"

	"wholesale/internal/clock"
	"wholesale/internal/demo"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
)

// The helpers of the tests that run the binary's own `serve` (run) against
// servers set up as in docs/SCALING.md, and use it over HTTP as people and
// programs do.

// startServer runs `wholesale serve` with the environment vars on a free
// loopback port until the test ends, and returns its address once it
// answers. It fails the test when the server cannot start or stops with
// an error.
func startServer(t *testing.T, vars map[string]string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	m := maps.Clone(vars)
	m["HTTP_ADDR"] = addr
	ctx, cancel := context.WithCancel(context.Background())
	logFile, err := os.Create(filepath.Join(t.TempDir(), "server.log"))
	if err != nil {
		t.Fatal(err)
	}
	logs := func() string { b, _ := os.ReadFile(logFile.Name()); return string(b) }
	var runErr error
	done := make(chan struct{})
	go func() {
		runErr = run(ctx, []string{"serve"}, env(m), io.Discard, logFile)
		close(done)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		if runErr != nil {
			t.Errorf("the server on %s: %v\n%s", addr, runErr, logs())
		}
		logFile.Close()
	})
	base := "http://" + addr
	wait, stop := context.WithTimeout(ctx, 2*time.Minute) // migrating and loading the demo data take seconds
	defer stop()
	for {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base
			}
		}
		select {
		case <-done:
			t.Fatalf("the server on %s stopped at start: %v\n%s", addr, runErr, logs())
		case <-wait.Done():
			t.Fatalf("the server on %s did not answer: %v\n%s", addr, err, logs())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// browser is a person's browser: one cookie jar for every app server, as
// behind a load balancer that sends each request where it likes (cookies
// are not kept apart by port).
type browser struct {
	t      *testing.T
	client *http.Client
}

func newBrowser(t *testing.T) *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	b := &browser{t: t, client: &http.Client{Jar: jar, Timeout: time.Minute}}
	t.Cleanup(b.client.CloseIdleConnections)
	return b
}

// do sends req and returns the body, failing the test unless the answer
// (after redirects) is 200.
func (b *browser) do(req *http.Request) (*http.Response, []byte) {
	b.t.Helper()
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		b.t.Fatalf("%s %s: HTTP %d\n%.2000s", req.Method, req.URL, resp.StatusCode, body)
	}
	return resp, body
}

// page gets the page at base+path.
func (b *browser) page(base, path string) *goquery.Document {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	_, body := b.do(req)
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		b.t.Fatal(err)
	}
	return doc
}

// download gets the file at base+path.
func (b *browser) download(base, path string) []byte {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	_, body := b.do(req)
	return body
}

// submit opens the page at from, as a person does before filling in its
// form, and posts vals with that page's CSRF token to action; it returns
// the page answered (after redirects) and its path.
func (b *browser) submit(base, from, action string, vals url.Values) (*goquery.Document, string) {
	b.t.Helper()
	return b.post(base, action, b.csrf(base, from), vals)
}

// csrf is the CSRF token of the form on the page at base+path.
func (b *browser) csrf(base, path string) string {
	b.t.Helper()
	token, ok := b.page(base, path).Find(`input[name="_csrf"]`).First().Attr("value")
	if !ok {
		b.t.Fatalf("%s has no form with a CSRF token", path)
	}
	return token
}

// post posts vals with the CSRF token to base+action.
func (b *browser) post(base, action, token string, vals url.Values) (*goquery.Document, string) {
	b.t.Helper()
	vals = maps.Clone(vals)
	vals.Set("_csrf", token)
	req, err := http.NewRequest(http.MethodPost, base+action, strings.NewReader(vals.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, body := b.do(req)
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		b.t.Fatal(err)
	}
	return doc, resp.Request.URL.Path
}

// login logs in and switches the user's pages to English, the language
// the tests read them in.
func (b *browser) login(base, email, password string) {
	b.t.Helper()
	doc, path := b.submit(base, "/login", "/login", url.Values{"email": {email}, "password": {password}})
	if path == "/login" {
		b.t.Fatalf("login of %s refused: %s", email, strings.TrimSpace(doc.Find("main").Text()))
	}
	b.submit(base, "/profile", "/profile/language", url.Values{"language": {"en"}})
}

// apiToken creates an API token on the profile page and returns it.
func (b *browser) apiToken(base, name string) string {
	b.t.Helper()
	doc, _ := b.submit(base, "/profile", "/profile/tokens", url.Values{"name": {name}})
	token := strings.TrimSpace(doc.Find("code.token").Text())
	if token == "" {
		b.t.Fatal("the profile page shows no new token")
	}
	return token
}

// apiPost posts body as JSON to the API with the token and an
// Idempotency-Key, and returns the answer's status, headers and body.
func apiPost(t *testing.T, base, path, token, key string, body any) (int, http.Header, []byte) {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, base+path, bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, out
}

// workbookText is every cell of every sheet of an .xlsx file, one line a row.
func workbookText(t *testing.T, file []byte) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(file))
	if err != nil {
		t.Fatalf("not an .xlsx file: %v", err)
	}
	defer f.Close()
	var b strings.Builder
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			b.WriteString(strings.Join(r, "\t") + "\n")
		}
	}
	return b.String()
}

// migrateAndLoadDemo runs `wholesale migrate` on the database at dsn and
// loads the demo data into it, with passwords hashed cheaply so that logging
// in costs the tests little.
func migrateAndLoadDemo(t *testing.T, dsn string) {
	t.Helper()
	ctx := context.Background()
	var out bytes.Buffer
	if err := run(ctx, []string{"migrate"}, env(map[string]string{"DATABASE_URL": dsn}), &out, &out); err != nil {
		t.Fatalf("wholesale migrate: %v\n%s", err, out.String())
	}
	db, err := postgres.Open(ctx, dsn, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := demo.Load(ctx, db, users.NewService(db, clock.System{}, users.FastHasher), nil); err != nil {
		t.Fatalf("demo data: %v", err)
	}
}

// emptyDatabase creates a database with nothing in it on the server of db,
// dropped when the test ends, and returns its name.
func emptyDatabase(t *testing.T, db *bun.DB, name string) string {
	t.Helper()
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+postgres.QuoteIdent(name)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := db.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+postgres.QuoteIdent(name)+" WITH (FORCE)"); err != nil {
			t.Logf("drop %s: %v", name, err)
		}
	})
	return name
}

// withParams returns dsn with the query parameters of kv (name, value, …) added.
func withParams(t *testing.T, dsn string, kv ...string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	for i := 0; i+1 < len(kv); i += 2 {
		q.Set(kv[i], kv[i+1])
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// text is the text of the selection with runs of white space made one space.
func text(s *goquery.Selection) string { return strings.Join(strings.Fields(s.Text()), " ") }
