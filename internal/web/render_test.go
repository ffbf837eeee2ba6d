package web_test

import (
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
	if len(inReason) != 3 || inReason[2] != "€ 10.000,00" || !strings.Contains(reason.Text(), "passes the credit limit € 10.000,00") {
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
