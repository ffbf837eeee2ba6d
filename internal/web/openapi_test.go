package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/getkin/kin-openapi/openapi3"

	"wholesale/internal/idempotency"
	"wholesale/internal/validate"
)

// loadOpenAPI fetches openapi.json without a token and loads it.
func loadOpenAPI(t *testing.T, a *testApp) *openapi3.T {
	t.Helper()
	resp, body := a.client().get("/api/v1/openapi.json")
	wantStatus(t, resp, http.StatusOK)
	doc, err := openapi3.NewLoader().LoadFromData([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.json is not valid OpenAPI: %v", err)
	}
	return doc
}

// The document says what an integrator needs: the public document needs
// no token, every other operation the bearer scheme; every POST takes the
// Idempotency-Key header; query parameters are typed; request bodies carry
// the bounds of Validate(); errors share one schema with field messages.
func TestOpenAPIDescribesTheContract(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	doc := loadOpenAPI(t, a)
	if s := doc.Components.SecuritySchemes["bearer"]; s == nil || s.Value.Type != "http" || s.Value.Scheme != "bearer" {
		t.Fatal("no bearer security scheme")
	}
	if len(doc.Security) != 1 || doc.Security[0]["bearer"] == nil {
		t.Fatal("the document does not require the bearer token by default")
	}
	self := doc.Paths.Value("/openapi.json").Get
	if self == nil || self.Security == nil || len(*self.Security) != 0 {
		t.Fatal("GET /openapi.json does not declare security: []")
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.OperationID == "" || op.Responses.Value("400") == nil || op.Responses.Value("503") == nil {
				t.Errorf("%s %s: no operationId, 400 or 503", method, path)
			}
			if op != self && (op.Responses.Value("401") == nil || op.Responses.Value("403") == nil) {
				t.Errorf("%s %s: no 401 or 403", method, path)
			}
			if method != http.MethodPost {
				continue
			}
			key := false
			for _, p := range op.Parameters {
				key = key || p.Value.Name == idempotency.Field && p.Value.In == "header" && p.Value.Schema.Value.MaxLength != nil &&
					*p.Value.Schema.Value.MaxLength == idempotency.MaxLen
			}
			if !key || op.Responses.Value("409") == nil || op.Responses.Value("415") == nil || op.Responses.Value("422") == nil {
				t.Errorf("POST %s: no Idempotency-Key header, 409, 415 or 422", path)
			}
		}
	}
	limit := doc.Paths.Value("/invoices").Get.Parameters.GetByInAndName("query", "limit")
	if limit == nil || !limit.Schema.Value.Type.Is("integer") {
		t.Fatal("limit is not an integer")
	}
	create := doc.Paths.Value("/orders").Post
	body := create.RequestBody.Value.Content.Get("application/json")
	po := body.Schema.Value.Properties["po_reference"].Value
	if po.MaxLength == nil || *po.MaxLength != validate.POReferenceMax || body.Example == nil {
		t.Fatalf("po_reference has no maxLength of %d, or the body no example", validate.POReferenceMax)
	}
	if create.Responses.Value("201") == nil {
		t.Fatal("POST /orders does not answer 201")
	}
	e := doc.Components.Schemas["Error"].Value.Properties["error"].Value
	if e.Properties["fields"] == nil || e.Properties["message"] == nil || !strings.Contains(strings.Join(e.Required, ","), "kind") {
		t.Fatalf("the Error schema has no fields, message or required kind: %+v", e.Properties)
	}
}

// GET /api/docs is the reference for people, without a login: each
// operation with its parameters, its body's fields and their bounds, and
// its answers; no script, nothing from another site.
func TestAPIDocsShowTheReference(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	resp, body := a.client().get("/api/docs")
	wantStatus(t, resp, http.StatusOK)
	d := doc(t, body)
	create := d.Find("article#createOrder")
	if create.Length() != 1 || !strings.Contains(create.Find("h3").Text(), "POST /api/v1/orders") {
		t.Fatalf("no createOrder operation: %s", d.Find("main").Text())
	}
	row := create.Find("tr:contains('po_reference')")
	if !strings.Contains(row.Text(), "at most 35 characters") || !strings.Contains(row.Text(), "required") {
		t.Fatalf("po_reference's row: %q", row.Text())
	}
	if !strings.Contains(create.Text(), "Idempotency-Key") || !strings.Contains(create.Text(), "201 application/json: Order") ||
		!strings.Contains(create.Text(), "422") {
		t.Fatalf("createOrder: %q", create.Text())
	}
	if !strings.Contains(d.Find("article#listInvoices").Text(), "limit") || d.Find("article#fileComplaint").Length() != 1 ||
		d.Find("article#registerPayment").Length() != 1 || d.Find("article#createReturn").Length() != 1 {
		t.Fatal("invoices, payments, returns or complaints are missing")
	}
	d.Find("script[src], link[href]").Each(func(_ int, s *goquery.Selection) {
		for _, attr := range []string{"src", "href"} {
			if v, _ := s.Attr(attr); strings.Contains(v, "//") {
				t.Errorf("fetches %s from elsewhere", v)
			}
		}
	})
}
