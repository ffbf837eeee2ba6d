package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/credit"
	"wholesale/internal/i18n"
	"wholesale/internal/pgtest"
	"wholesale/internal/users"
)

// rowCounts counts the rows of the tables an order writes.
func (a *testApp) rowCounts(t *testing.T) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"orders", "order_lines", "demands", "outbox", "audit_log", "idempotency_keys"} {
		n, err := a.db.NewSelect().Table(table).Count(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		out[table] = int(n)
	}
	return out
}

// raw sends body as it is, with the content type and headers given.
func (c *client) raw(method, path, contentType, body string, headers map[string]string) (*http.Response, string) {
	c.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Authorization", "Bearer "+c.bearer)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, b := c.app.send(c.t, req)
	return resp, string(b)
}

// Bad input to the order API gets a 4xx that names the field, and writes
// nothing: no order, no mail, no audit entry, no claimed key.
func TestOrderAPIRefusesBadInputAtTheField(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	api := a.apiClient(t, users.RoleAccountManager)
	cid := a.companyID(t, "Bakkerij Jansen B.V.")
	good := fmt.Sprintf(`{"company_id": %d, "po_reference": "IN-1", "place": true, "lines": [{"sku": "KR-F3090", "quantity": 1}]}`, cid)
	with := func(field, value string) string {
		var m map[string]any
		json.Unmarshal([]byte(good), &m)
		var v any
		if err := json.Unmarshal([]byte(value), &v); err != nil {
			t.Fatalf("%s: %v", value, err)
		}
		m[field] = v
		b, _ := json.Marshal(m)
		return string(b)
	}
	line := func(l string) string {
		return fmt.Sprintf(`{"company_id": %d, "po_reference": "IN-1", "place": true, "lines": [%s]}`, cid, l)
	}
	cases := []struct {
		name, contentType, body string
		headers                 map[string]string
		status                  int
		field                   string // "" for a message without a field
	}{
		{"form-encoded body", "application/x-www-form-urlencoded", "CompanyID=1&POReference=X&Place=true", nil, 415, ""},
		{"XML body", "application/xml", "<Input><CompanyID>1</CompanyID></Input>", nil, 415, ""},
		{"no content type", "", good, nil, 415, ""},
		{"a line with an id", "application/json", line(`{"id": 5, "sku": "KR-F3090", "quantity": 1}`), nil, 422, "line_0"},
		{"quantity 2^31", "application/json", line(`{"sku": "KR-F3090", "quantity": 2147483648}`), nil, 422, "line_0"},
		{"quantity 2^63-1", "application/json", line(`{"sku": "KR-F3090", "quantity": 9223372036854775807}`), nil, 422, "line_0"},
		{"quantity 1e20", "application/json", line(`{"sku": "KR-F3090", "quantity": 1e20}`), nil, 422, "lines.quantity"},
		{"quantity as text", "application/json", line(`{"sku": "KR-F3090", "quantity": "3"}`), nil, 422, "lines.quantity"},
		{"unknown field", "application/json", with("shipping_cost", `"12"`), nil, 422, "shipping_cost"},
		{"NUL in the PO reference", "application/json", with("po_reference", `"IN\u00001"`), nil, 422, "po_reference"},
		{"PO of 36 characters", "application/json", with("po_reference", `"`+strings.Repeat("P", 36)+`"`), nil, 422, "po_reference"},
		{"a 10 MB note", "application/json", with("note", `"`+strings.Repeat("n", 10<<20)+`"`), nil, 422, "note"},
		{"ambiguous shipping", "application/json", with("shipping", `"12.50,0"`), nil, 422, "shipping"},
		{"not JSON", "application/json", `{"company_id": `, nil, 422, ""},
		{"two objects", "application/json", good + good, nil, 422, ""},
		{"control character in the key", "application/json", good, map[string]string{"Idempotency-Key": "key\x01one"}, 422, "Idempotency-Key"},
		{"a key of 201 characters", "application/json", good, map[string]string{"Idempotency-Key": strings.Repeat("k", 201)}, 422, "Idempotency-Key"},
	}
	before := a.rowCounts(t)
	for _, c := range cases {
		resp, body := api.raw(http.MethodPost, "/api/v1/orders", c.contentType, c.body, c.headers)
		if resp.StatusCode != c.status {
			t.Errorf("%s: %d %s, want %d", c.name, resp.StatusCode, body, c.status)
			continue
		}
		var e struct {
			Error struct {
				Message string            `json:"message"`
				Fields  map[string]string `json:"fields"`
			} `json:"error"`
		}
		if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error.Message == "" {
			t.Errorf("%s: not an error answer: %s", c.name, body)
		}
		if c.field != "" && e.Error.Fields[c.field] == "" {
			t.Errorf("%s: no message at %s: %s", c.name, c.field, body)
		}
	}
	if after := a.rowCounts(t); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Fatalf("refused requests wrote: %v → %v", before, after)
	}
	resp, body := api.raw(http.MethodPost, "/api/v1/orders", "application/json; charset=utf-8", good, map[string]string{"Idempotency-Key": "good-1"})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("the good request: %d %s", resp.StatusCode, body)
	}
}

// The API's amend changes what it is sent and nothing else.
func TestOrderAPIAmendChangesOnlyWhatIsSent(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	api := a.apiClient(t, users.RoleAccountManager)
	cid := a.companyID(t, "Bakkerij Jansen B.V.")
	resp, body := api.postJSON("/api/v1/orders", "", map[string]any{"company_id": cid, "po_reference": "AM-1", "place": true,
		"shipping": "12,50", "note": "ring twice", "ship_complete": true, "shipping_method": "UPS Express",
		"lines": []map[string]any{{"sku": "KR-F3090", "quantity": 2}, {"sku": "KR-XS5300", "quantity": 3}}})
	wantStatus(t, resp, http.StatusCreated)
	var o struct {
		ID             int64  `json:"id"`
		Note           string `json:"note"`
		ShipComplete   bool   `json:"ship_complete"`
		ShippingMethod string `json:"shipping_method"`
		ShippingCents  int64  `json:"shipping_cents"`
		Lines          []struct {
			ID        int64 `json:"id"`
			Quantity  int   `json:"quantity"`
			Cancelled bool  `json:"cancelled"`
		} `json:"lines"`
	}
	json.Unmarshal([]byte(body), &o)
	resp, body = api.postJSON(fmt.Sprintf("/api/v1/orders/%d/amend", o.ID), "amend-1", map[string]any{
		"lines": []map[string]any{{"id": o.Lines[0].ID, "quantity": 5}, {"id": o.Lines[1].ID, "quantity": 0}}})
	wantStatus(t, resp, http.StatusOK)
	json.Unmarshal([]byte(body), &o)
	if o.Note != "ring twice" || !o.ShipComplete || o.ShippingMethod != "UPS Express" || o.ShippingCents != 1250 {
		t.Fatalf("fields not sent changed: %s", body)
	}
	if o.Lines[0].Quantity != 5 || o.Lines[0].Cancelled || !o.Lines[1].Cancelled {
		t.Fatalf("lines: %s", body)
	}
	resp, body = api.postJSON(fmt.Sprintf("/api/v1/orders/%d/amend", o.ID), "", map[string]any{
		"lines": []map[string]any{{"id": o.Lines[0].ID, "quantity": 0}}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if !strings.Contains(body, "cancel the order instead") {
		t.Fatalf("leaving no line: %s", body)
	}
	_, spec := a.client().get("/api/v1/openapi.json")
	if !strings.Contains(spec, "not sent stay as they are") || !strings.Contains(spec, "Idempotency-Key") {
		t.Fatal("openapi.json does not say what an amendment leaves alone, or does not declare the Idempotency-Key")
	}
}

// The order form refuses a line id on a new order at the line.
func TestOrderFormRefusesLineIDsOnCreate(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	am := a.as(users.RoleAccountManager)
	before := a.rowCounts(t)
	form := url.Values{"company_id": {fmt.Sprint(a.companyID(t, "Bakkerij Jansen B.V."))}, "po_reference": {"ID-1"}, "id_0": {"12"},
		"sku_0": {"KR-F3090"}, "qty_0": {"1"}, "address": {"visiting"}, "shipping_method": {"UPS"}, "shipping": {"0"}, "action": {"place"}}
	resp, body := am.post("/orders", form)
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if msg := doc(t, body).Find(".field-error").Text(); !strings.Contains(msg, "no id") {
		t.Fatalf("no message at the line:\n%s", doc(t, body).Find("form").Text())
	}
	if after := a.rowCounts(t); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Fatalf("written: %v → %v", before, after)
	}
}

// Sales deciding on a held order see the position as it will be after
// approval.
func TestHeldOrderPageShowsThePositionAfterApproval(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	am := a.as(users.RoleAccountManager)
	form := url.Values{"company_id": {fmt.Sprint(a.companyID(t, "Bakkerij Jansen B.V."))}, "po_reference": {"HOLD-1"}, "sku_0": {"TF-GC7148"}, "qty_0": {"60"},
		"address": {"visiting"}, "shipping_method": {"UPS"}, "shipping": {"0"}, "action": {"place"}}
	resp, _ := am.post("/orders", form)
	wantStatus(t, resp, http.StatusFound)
	path := resp.Header.Get("Location")
	resp, body := a.as(users.RoleSales).get(path)
	wantStatus(t, resp, http.StatusOK)
	var total, exposure, limit int64
	ctx := context.Background()
	a.db.NewSelect().Table("orders").Column("total_incl_cents").Where("po_reference = 'HOLD-1'").Scan(ctx, &total)
	pos, err := credit.Of(ctx, a.db, a.companyID(t, "Bakkerij Jansen B.V."), 0, a.clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	// The demo customer owes its invoice (less the credit note) and its
	// open orders; the held order counts once approved.
	if pos.Receivables <= 0 || pos.OpenOrders <= 0 {
		t.Fatalf("the demo customer's position %+v", pos)
	}
	limit, exposure = pos.LimitCents, pos.ExposureCents()
	text := doc(t, body).Find("main .credit-after").Text()
	for _, want := range []string{"after approval", i18n.For(i18n.EN).Amount(exposure + total), i18n.For(i18n.EN).Amount(limit - exposure - total)} {
		if !strings.Contains(text, want) {
			t.Fatalf("the decision does not show %q (exposure %d, order %d, limit %d):\n%s", want, exposure, total, limit, text)
		}
	}
}

// queryLog records the queries a database runs.
type queryLog struct {
	mu      sync.Mutex
	queries []string
}

func (l *queryLog) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }

func (l *queryLog) AfterQuery(_ context.Context, e *bun.QueryEvent) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.queries = append(l.queries, e.Query)
}

func (l *queryLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	q := l.queries
	l.queries = nil
	return q
}

// The form's check costs the same few queries however many lines it has,
// and the list of product suggestions is not read on every render.
func TestOrderFormCheckQueriesDoNotGrowWithTheLines(t *testing.T) {
	t.Parallel()
	log := &queryLog{}
	a := newAppOn(t, pgtest.New(t).WithQueryHook(log))
	am := a.as(users.RoleAccountManager)
	skus := []string{"KR-F3090", "KR-XS5300", "KR-EA8108", "TF-FR4016", "TF-GC7148", "MX-QA1"}
	check := func(n int) int {
		form := url.Values{"company_id": {fmt.Sprint(a.companyID(t, "Bakkerij Jansen B.V."))}, "po_reference": {"Q-1"},
			"address": {"visiting"}, "shipping_method": {"UPS"}, "shipping": {"0"}, "action": {"check"}}
		for i := 0; i < n; i++ {
			form.Set(fmt.Sprint("sku_", i), skus[i%len(skus)])
			form.Set(fmt.Sprint("qty_", i), "1")
		}
		log.take()
		resp, body := am.post("/orders", form)
		wantStatus(t, resp, http.StatusOK)
		if !strings.Contains(body, "In stock") {
			t.Fatalf("the check shows no stock status:\n%s", doc(t, body).Find("form").Text())
		}
		return len(log.take())
	}
	two, twelve := check(2), check(12)
	// The check names an unknown SKU, a line over the product's maximum and
	// a PO reference too long, shows the customer's price, and says the
	// order's total and that it would be held.
	resp, body := am.post("/orders", url.Values{"company_id": {fmt.Sprint(a.companyID(t, "Bakkerij Jansen B.V."))}, "po_reference": {strings.Repeat("P", 40)},
		"sku_0": {"NOPE-9"}, "qty_0": {"1"}, "sku_1": {"KR-F3090"}, "qty_1": {"1"}, "sku_2": {"KR-EA8108"}, "qty_2": {"7"},
		"sku_3": {"TF-GC7148"}, "qty_3": {"60"}, "action": {"check"}})
	wantStatus(t, resp, http.StatusOK)
	d := doc(t, body)
	rows := d.Find("table.lines tbody tr")
	if !strings.Contains(rows.Eq(0).Text(), "No product has SKU NOPE-9") || !strings.Contains(rows.Eq(1).Text(), "€44.95") ||
		!strings.Contains(rows.Eq(2).Text(), "At most 5 of KR-EA8108 per order") {
		t.Fatalf("check rows:\n%s", rows.Text())
	}
	if msg := fieldMessage(d, "", "po_reference"); !strings.Contains(msg, "at most 35") {
		t.Fatalf("PO reference: %q", msg)
	}
	if total := d.Find(".order-total").Text(); !strings.Contains(total, "Total incl. VAT") || !strings.Contains(total, "VAT 21% over") || !strings.Contains(total, "Will be held: €") {
		t.Fatalf("the check does not say the total and the hold: %q", total)
	}
	if n, _ := a.db.NewSelect().Table("orders").Where("po_reference LIKE 'PPP%'").Count(context.Background()); n != 0 {
		t.Fatal("the check wrote an order")
	}
	if twelve > two {
		t.Fatalf("the check ran %d queries for 2 lines and %d for 12", two, twelve)
	}
	log.take()
	for i := 0; i < 3; i++ {
		resp, _ := am.get("/orders/new")
		wantStatus(t, resp, http.StatusOK)
	}
	reads := 0
	for _, q := range log.take() {
		if strings.Contains(q, `FROM "products" AS "p"`) && strings.Contains(q, "LIMIT 5000") {
			reads++
		}
	}
	if reads > 1 {
		t.Fatalf("the product suggestions were read %d times for 3 renders", reads)
	}
}

// In the portal a held order says it awaits credit approval, without the
// internal figures or notes, and can be confirmed; a confirmation sent from
// a page of an older revision is refused with the reason.
func TestPortalShowsAHeldOrderWithoutInternalsAndRefusesStaleConfirmations(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	am := a.as(users.RoleAccountManager)
	form := url.Values{"company_id": {fmt.Sprint(a.companyID(t, "Bakkerij Jansen B.V."))}, "po_reference": {"PORTAL-HELD"}, "sku_0": {"TF-GC7148"}, "qty_0": {"60"},
		"address": {"visiting"}, "shipping_method": {"UPS"}, "shipping": {"0"}, "note": {"internal: call Joris"}, "action": {"place"}}
	resp, _ := am.post("/orders", form)
	wantStatus(t, resp, http.StatusFound)
	id := strings.TrimPrefix(resp.Header.Get("Location"), "/orders/")
	buyer := a.as(users.RoleCustomer)
	resp, body := buyer.get("/portal/orders/" + id)
	wantStatus(t, resp, http.StatusOK)
	main := doc(t, body).Find("main").Text()
	if !strings.Contains(main, "Awaiting our credit approval") || strings.Contains(main, "credit limit") || strings.Contains(main, "Exposure") || strings.Contains(main, "call Joris") {
		t.Fatalf("portal page of a held order:\n%s", main)
	}
	rev, _ := doc(t, body).Find("form[action$='/confirm'] input[name=revision]").Attr("value")
	if rev != "1" {
		t.Fatalf("the confirmation form carries revision %q", rev)
	}
	// The account manager amends it meanwhile; the old page's confirmation is refused.
	_, edit := am.get("/orders/" + id + "/edit")
	lineID, _ := doc(t, edit).Find("input[name=id_0]").Attr("value")
	resp, _ = am.post("/orders/"+id, url.Values{"id_0": {lineID}, "sku_0": {"TF-GC7148"}, "qty_0": {"61"}, "address": {"visiting"},
		"shipping_method": {"UPS"}, "shipping": {"0"}, "note": {"internal: call Joris"}, "action": {"amend"}})
	wantStatus(t, resp, http.StatusFound)
	resp, body = buyer.post("/portal/orders/"+id+"/confirm", url.Values{"revision": {rev}})
	wantStatus(t, resp, http.StatusConflict)
	if !strings.Contains(doc(t, body).Find("main").Text(), "has changed since you opened it") {
		t.Fatalf("stale confirmation:\n%s", doc(t, body).Find("main").Text())
	}
	resp, _ = buyer.post("/portal/orders/"+id+"/confirm", url.Values{"revision": {"2"}})
	wantStatus(t, resp, http.StatusFound)
}

// A line cancelled without a reason gets its message next to that line,
// not at the order's own cancel form.
func TestLineCancelMessageStandsAtTheLine(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	am := a.as(users.RoleAccountManager)
	var orderID, lineID int64
	a.db.NewRaw(`SELECT o.id, min(l.id) FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE o.po_reference = 'BJ-2026-118' GROUP BY o.id`).
		Scan(context.Background(), &orderID, &lineID)
	resp, body := am.post(fmt.Sprintf("/orders/%d/lines/%d/cancel", orderID, lineID), url.Values{"reason": {""}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	d := doc(t, body)
	if msg := d.Find(fmt.Sprintf("form[action='/orders/%d/lines/%d/cancel'] .field-error", orderID, lineID)).Text(); !strings.Contains(msg, "Say why the line is cancelled") {
		t.Fatalf("no message at the line: %q", msg)
	}
	if msg := d.Find("form.form[action$='/cancel'] .field-error").Text(); msg != "" {
		t.Fatalf("the order's cancel form shows %q", msg)
	}
}

// The answer of an order's entry is the order as it reads back.
func TestAPIOrderEntryAnswersTheOrderAsItReadsBack(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.clk.Advance(1_234_567 * time.Nanosecond) // PostgreSQL keeps microseconds
	api := a.apiClient(t, users.RoleAccountManager)
	resp, created := api.postJSON("/api/v1/orders", "", map[string]any{"company_id": a.companyID(t, "Bakkerij Jansen B.V."), "po_reference": "READBACK-1",
		"place": true, "shipping": "9,95", "lines": []map[string]any{{"sku": "KR-F3090", "quantity": 2}, {"sku": "TF-GC7148", "quantity": 40}}})
	wantStatus(t, resp, http.StatusCreated)
	resp, read := api.get(resp.Header.Get("Location"))
	wantStatus(t, resp, http.StatusOK)
	var c, r map[string]any
	if err := json.Unmarshal([]byte(created), &c); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(read), &r); err != nil {
		t.Fatal(err)
	}
	cb, _ := json.Marshal(c)
	rb, _ := json.Marshal(r)
	if string(cb) != string(rb) {
		t.Fatalf("entry answered\n%s\nread back\n%s", cb, rb)
	}
}

// Reloading or bookmarking the address a form posted to shows the page the
// form is on, never 405.
func TestReloadingAFormsAddressShowsItsPage(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	for role, paths := range map[users.Role]map[string]string{
		users.RoleSales:          {"/applications/1/approve": "/applications/1", "/applications/1/checks": "/applications/1"},
		users.RoleWarehouse:      {"/supplier-orders/1/receive": "/supplier-orders"},
		users.RoleAccountManager: {"/orders/1/lines/1/cancel": "/orders/1", "/orders/1/place": "/orders/1", "/customers/1/changes": "/customers/1"},
		users.RoleAdmin:          {"/profile/tokens": "/profile", "/admin/users/1/unlock": "/admin/users/1"},
	} {
		c := a.as(role)
		for path, want := range paths {
			resp, _ := c.get(path)
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
				t.Errorf("GET %s as %s: %d → %q, want 303 → %s", path, role, resp.StatusCode, resp.Header.Get("Location"), want)
			}
		}
	}
	if resp, _ := a.as(users.RoleAdmin).get("/no/such/page"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("an unknown address: %d, want 404", resp.StatusCode)
	}
}
