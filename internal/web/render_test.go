package web_test

import (
	"io/fs"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"wholesale/internal/users"
	"wholesale/internal/web"
	"wholesale/templates"

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
