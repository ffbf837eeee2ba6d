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

	"github.com/PuerkitoBio/goquery"

	"wholesale/internal/customers"
	"wholesale/internal/users"
)

func (a *testApp) companyID(t *testing.T, name string) int64 {
	var id int64
	a.db.NewSelect().Table("companies").Column("id").Where("name = ?", name).Scan(context.Background(), &id)
	if id == 0 {
		t.Fatalf("no company %s", name)
	}
	return id
}

func TestOrderEntryPortalConfirmationAndCredit(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	am := a.as(users.RoleAccountManager)
	cid := fmt.Sprint(a.companyID(t, "Bakkerij Jansen B.V."))
	form := url.Values{"company_id": {cid}, "po_reference": {"BJ-100"}, "sku_0": {"KR-EA8108"}, "qty_0": {"2"}, "sku_1": {"TF-FR4016"}, "qty_1": {"3"},
		"address": {"visiting"}, "shipping_method": {"UPS"}, "shipping": {"15"}, "action": {"check"}}
	resp, body := am.post("/orders", form)
	wantStatus(t, resp, http.StatusOK)
	if text := doc(t, body).Find("main").Text(); !strings.Contains(text, "In stock") || !strings.Contains(text, "delivery date not confirmed") || !strings.Contains(text, "limit €10,000.00, exposure €") {
		t.Fatalf("check shows no stock status or credit position:\n%s", doc(t, body).Find("form").Text())
	}
	form.Set("action", "place")
	resp, _ = am.post("/orders", form)
	wantStatus(t, resp, http.StatusFound)
	orderPath := resp.Header.Get("Location")
	_, body = am.get(orderPath)
	if !strings.Contains(body, "awaiting confirmation") || !strings.Contains(body, "3 waiting, expected") {
		t.Fatalf("order page: %s", doc(t, body).Find("main").Text())
	}
	id := strings.TrimPrefix(orderPath, "/orders/")

	// The customer confirms in the portal; another company's user cannot see it.
	buyer := a.as(users.RoleCustomer)
	_, body = buyer.get("/portal/orders/" + id)
	if strings.Contains(body, "Internal note") || doc(t, body).Find("form[action$='/confirm']").Length() != 1 {
		t.Fatal("portal page")
	}
	resp, _ = buyer.post("/portal/orders/"+id+"/confirm", nil)
	wantStatus(t, resp, http.StatusFound)
	_, body = am.get(orderPath)
	if !strings.Contains(body, "released to the warehouse") {
		t.Fatal("not released after confirmation")
	}
	stranger := a.client()
	other := a.companyID(t, "Bakkerij Jansen B.V.")
	_ = other
	a.db.ExecContext(context.Background(), "INSERT INTO companies (name) VALUES ('Stranger BV')")
	a.users.Create(context.Background(), users.NewUser{Email: "s@stranger.test", Name: "S", Role: users.RoleCustomer, CompanyID: a.companyID(t, "Stranger BV"), Password: "long enough pw"})
	a.db.ExecContext(context.Background(), "UPDATE users SET language = 'en' WHERE email = 's@stranger.test'")
	stranger.post("/login", url.Values{"email": {"s@stranger.test"}, "password": {"long enough pw"}})
	resp, _ = stranger.get("/portal/orders/" + id)
	wantStatus(t, resp, http.StatusNotFound)
	resp, _ = stranger.post("/portal/orders/"+id+"/confirm", nil)
	wantStatus(t, resp, http.StatusNotFound)
	resp, body = stranger.get("/portal/orders")
	wantStatus(t, resp, http.StatusOK)
	if strings.Contains(body, "BJ-100") || doc(t, body).Find("main h1").Text() != "Our orders" {
		t.Fatalf("stranger's list shows the order, or no list:\n%s", doc(t, body).Find("main").Text())
	}

	// The lists show the order with its number, PO reference and total, to
	// the account manager and to the customer.
	var total int64
	a.db.NewSelect().Table("orders").Column("total_incl_cents").Where("id = ?", id).Scan(context.Background(), &total)
	for _, l := range []struct {
		c    *client
		path string
	}{{am, "/orders"}, {buyer, "/portal/orders"}} {
		resp, body := l.c.get(l.path)
		wantStatus(t, resp, http.StatusOK)
		row := doc(t, body).Find("tbody tr").FilterFunction(func(_ int, r *goquery.Selection) bool {
			return r.Find(fmt.Sprintf("a[href='%s/%s']", strings.TrimSuffix(l.path, "/orders")+"/orders", id)).Text() == id
		})
		if row.Length() != 1 || !strings.Contains(row.Text(), "BJ-100") || !strings.Contains(row.Text(), enAmount(total)) || total == 0 {
			t.Fatalf("%s does not list order %s with PO BJ-100 and total %s:\n%s", l.path, id, enAmount(total), doc(t, body).Find("main").Text())
		}
	}
	for _, l := range []struct {
		c    *client
		path string
	}{{am, "/orders/" + id}, {buyer, "/portal/orders/" + id}} {
		resp, body := l.c.get(l.path)
		wantStatus(t, resp, http.StatusOK)
		if main := doc(t, body).Find("main").Text(); !strings.Contains(main, "BJ-100") || !strings.Contains(main, enAmount(total)) {
			t.Fatalf("%s does not show PO BJ-100 and the total %s:\n%s", l.path, enAmount(total), main)
		}
	}

	// An order over the limit is held; sales approve it from the queue.
	big := url.Values{"company_id": {cid}, "po_reference": {"BJ-101"}, "sku_0": {"KR-EA8108"}, "qty_0": {"5"}, "sku_1": {"TF-GC7148"}, "qty_1": {"60"},
		"address": {"visiting"}, "shipping_method": {"UPS"}, "shipping": {"0"}, "action": {"place"}}
	resp, _ = am.post("/orders", big)
	wantStatus(t, resp, http.StatusFound)
	held := resp.Header.Get("Location")
	sales := a.as(users.RoleSales)
	_, body = sales.get("/credit-holds")
	if !strings.Contains(body, "BJ-101") {
		t.Fatal("not in the credit queue")
	}
	resp, body = sales.post(held+"/credit/approve", url.Values{"note": {""}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if !strings.Contains(body, "Note why the order may go over the limit") {
		t.Fatal("no message at the note field")
	}
	resp, _ = sales.post(held+"/credit/approve", url.Values{"note": {"known customer, paid on time"}})
	wantStatus(t, resp, http.StatusFound)
	_, body = sales.get(held)
	if !strings.Contains(body, "awaiting confirmation") || !strings.Contains(body, "known customer") {
		t.Fatal("approval not shown")
	}
}

func (c *client) postJSON(path, key string, body any) (*http.Response, string) {
	c.t.Helper()
	b, _ := json.Marshal(body)
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(string(b)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.bearer)
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, b := c.app.send(c.t, req)
	return resp, string(b)
}

func (a *testApp) apiClient(t *testing.T, role users.Role) *client {
	u, err := a.users.Login(context.Background(), loginOf(role).Email, loginOf(role).Password)
	if err != nil {
		t.Fatal(err)
	}
	plain, _, err := a.users.CreateToken(context.Background(), u.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	return &client{t: t, app: a, cookies: map[string]string{}, bearer: plain}
}

func TestAPIOrdersIdempotentCreate(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	api := a.apiClient(t, users.RoleAccountManager)
	body := map[string]any{"company_id": a.companyID(t, "Bakkerij Jansen B.V."), "po_reference": "API-1", "place": true,
		"lines": []map[string]any{{"sku": "KR-F3090", "quantity": 4}, {"sku": "KR-XS5300", "quantity": 10}}}
	r1, b1 := api.postJSON("/api/v1/orders", "key-1", body)
	wantStatus(t, r1, http.StatusCreated)
	r2, b2 := api.postJSON("/api/v1/orders", "key-1", body)
	wantStatus(t, r2, http.StatusCreated)
	if b1 != b2 || r2.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("retry answered differently:\n%s\n%s", b1, b2)
	}
	var n int
	a.db.NewSelect().Table("orders").ColumnExpr("count(*)").Where("po_reference = 'API-1'").Scan(context.Background(), &n)
	if n != 1 {
		t.Fatalf("%d orders after a retry", n)
	}
	var o struct {
		ID     int64  `json:"id"`
		Status string `json:"status"`
		Lines  []struct {
			SKU      string `json:"sku"`
			Reserved *int   `json:"reserved"`
		} `json:"lines"`
	}
	json.Unmarshal([]byte(b1), &o)
	if o.Status != "awaiting_confirmation" || len(o.Lines) != 2 || o.Lines[0].Reserved == nil || *o.Lines[0].Reserved != 4 {
		t.Fatalf("created: %s", b1)
	}
	// The same key with another body is refused; without a key a second create is a conflict at the PO reference.
	body["po_reference"] = "API-2"
	r3, _ := api.postJSON("/api/v1/orders", "key-1", body)
	wantStatus(t, r3, http.StatusUnprocessableEntity)
	body["po_reference"] = "API-1"
	r4, b4 := api.postJSON("/api/v1/orders", "", body)
	wantStatus(t, r4, http.StatusUnprocessableEntity)
	if !strings.Contains(b4, "po_reference") {
		t.Fatalf("duplicate PO: %s", b4)
	}
	// The customer confirms over the API; the order is released.
	cust := a.apiClient(t, users.RoleCustomer)
	r5, b5 := cust.postJSON(fmt.Sprintf("/api/v1/orders/%d/confirm", o.ID), "", map[string]any{})
	wantStatus(t, r5, http.StatusOK)
	if !strings.Contains(b5, `"status":"released"`) {
		t.Fatalf("confirm: %s", b5)
	}
	// Customers see no internal notes; the warehouse has no access to orders.
	r6, _ := a.apiClient(t, users.RoleWarehouse).get(fmt.Sprintf("/api/v1/orders/%d", o.ID))
	wantStatus(t, r6, http.StatusForbidden)
	r7, b7 := cust.get("/api/v1/orders")
	wantStatus(t, r7, http.StatusOK)
	if !strings.Contains(b7, "API-1") {
		t.Fatal("customer list")
	}
}

func TestOrderDraftPlaceAndAmendOverHTTP(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	am := a.as(users.RoleAccountManager)
	cid := fmt.Sprint(a.companyID(t, "Bakkerij Jansen B.V."))
	form := url.Values{"company_id": {cid}, "po_reference": {"BJ-200"}, "sku_0": {"KR-F3090"}, "qty_0": {"2"},
		"sku_1": {"NOPE-1"}, "qty_1": {"1"}, "address": {"invoice"}, "shipping_method": {"UPS"}, "shipping": {"0"}, "action": {"draft"}}
	resp, body := am.post("/orders", form)
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	d := doc(t, body)
	if v, _ := d.Find("input[name=sku_1]").Attr("value"); v != "NOPE-1" || !strings.Contains(d.Find(".field-error").Text(), "No product has SKU NOPE-1") {
		t.Fatal("bad line not kept or not explained")
	}
	form.Del("sku_1")
	form.Del("qty_1")
	resp, _ = am.post("/orders", form)
	wantStatus(t, resp, http.StatusFound)
	path := resp.Header.Get("Location")
	_, body = am.get(path)
	if !strings.Contains(body, "draft") {
		t.Fatal("not a draft")
	}
	resp, _ = am.post(path+"/place", nil)
	wantStatus(t, resp, http.StatusFound)
	// The amendment form lists the live lines; raise the quantity and add a line.
	_, body = am.get(path + "/edit")
	d = doc(t, body)
	lineID, _ := d.Find("input[name=id_0]").Attr("value")
	if lineID == "" {
		t.Fatal("edit form lacks the line")
	}
	amend := url.Values{"id_0": {lineID}, "sku_0": {"KR-F3090"}, "qty_0": {"3"}, "sku_1": {"KR-XS5300"}, "qty_1": {"10"},
		"address": {"invoice"}, "shipping_method": {"UPS"}, "shipping": {"0"}, "action": {"amend"}}
	resp, _ = am.post(path, amend)
	wantStatus(t, resp, http.StatusFound)
	_, body = am.get(path)
	if !strings.Contains(body, "line 1 (KR-F3090) 2 → 3") || !strings.Contains(body, "line 2 (KR-XS5300) added: 10") {
		t.Fatalf("revision not shown:\n%s", doc(t, body).Find("table").Eq(2).Text())
	}
}

// withoutRequestID is an API error answer without its request id, which
// is each request's own.
func withoutRequestID(t *testing.T, body string) string {
	t.Helper()
	var e map[string]map[string]any
	if err := json.Unmarshal([]byte(body), &e); err != nil || e["error"] == nil {
		t.Fatalf("not an error answer: %s", body)
	}
	delete(e["error"], "request_id")
	b, _ := json.Marshal(e)
	return string(b)
}

func TestAPIIdempotencyUnderConcurrentRetriesAndRefusals(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	api := a.apiClient(t, users.RoleAccountManager)
	ctx := context.Background()
	body := map[string]any{"company_id": a.companyID(t, "Bakkerij Jansen B.V."), "po_reference": "RETRY-1", "place": true,
		"lines": []map[string]any{{"sku": "KR-F3090", "quantity": 1}}}
	// Eight copies of one request at once: one order, one answer.
	const n = 8
	var wg sync.WaitGroup
	statuses, bodies, replayed := make([]int, n), make([]string, n), make([]bool, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			r, b := api.postJSON("/api/v1/orders", "same-key", body)
			statuses[i], bodies[i], replayed[i] = r.StatusCode, b, r.Header.Get("Idempotent-Replayed") == "true"
		}(i)
	}
	wg.Wait()
	firsts := 0
	for i := 0; i < n; i++ {
		if statuses[i] != http.StatusCreated || bodies[i] != bodies[0] {
			t.Fatalf("answer %d: %d %s, want 201 %s", i, statuses[i], bodies[i], bodies[0])
		}
		if !replayed[i] {
			firsts++
		}
	}
	var orders, demands int
	a.db.NewSelect().Table("orders").ColumnExpr("count(*)").Where("po_reference = 'RETRY-1'").Scan(ctx, &orders)
	a.db.NewSelect().Table("demands").ColumnExpr("count(*)").Where("reference LIKE '%RETRY-1%'").Scan(ctx, &demands)
	if firsts != 1 || orders != 1 || demands != 1 {
		t.Fatalf("%d first answers, %d orders, %d demands; want 1 each", firsts, orders, demands)
	}

	// A refusal writes nothing of the request, and a retry gets the same refusal.
	refused := map[string]any{"company_id": body["company_id"], "po_reference": "RETRY-2", "place": true,
		"lines": []map[string]any{{"sku": "KR-F3090", "quantity": 1}, {"sku": "NO-SUCH-SKU", "quantity": 1}}}
	r1, b1 := api.postJSON("/api/v1/orders", "refused-key", refused)
	wantStatus(t, r1, http.StatusUnprocessableEntity)
	r2, b2 := api.postJSON("/api/v1/orders", "refused-key", refused)
	wantStatus(t, r2, http.StatusUnprocessableEntity)
	if withoutRequestID(t, b1) != withoutRequestID(t, b2) || r2.Header.Get("Idempotent-Replayed") != "true" || !strings.Contains(b1, "NO-SUCH-SKU") {
		t.Fatalf("refusal not kept:\n%s\n%s", b1, b2)
	}
	// The same PO reference a second time: refused at the very last moment
	// (the order's insert), after the stock was looked at; nothing of it stays.
	dup := map[string]any{"company_id": body["company_id"], "po_reference": "RETRY-1", "place": true,
		"lines": []map[string]any{{"sku": "KR-F3090", "quantity": 2}}}
	r3, b3 := api.postJSON("/api/v1/orders", "dup-key", dup)
	wantStatus(t, r3, http.StatusUnprocessableEntity)
	if !strings.Contains(b3, "po_reference") {
		t.Fatalf("duplicate PO: %s", b3)
	}
	var demandsAfter, mails int
	a.db.NewSelect().Table("demands").ColumnExpr("count(*)").Where("reference LIKE '%RETRY-%'").Scan(ctx, &demandsAfter)
	a.db.NewSelect().Table("outbox").ColumnExpr("count(*)").Where("subject LIKE '%RETRY-%'").Scan(ctx, &mails)
	if demandsAfter != 1 || mails != 1 {
		t.Fatalf("after refusals: %d demands and %d mails, want 1 each", demandsAfter, mails)
	}
	var pending int
	a.db.NewSelect().Table("idempotency_keys").ColumnExpr("count(*)").Where("result IS NULL AND error IS NULL").Scan(ctx, &pending)
	if pending != 0 {
		t.Fatalf("%d keys left without an answer", pending)
	}

	// The key is claimed with the token's authentication: a bad token
	// claims nothing, and a revoked one no longer replays.
	var keysBefore, keysAfter int
	a.db.NewSelect().Table("idempotency_keys").ColumnExpr("count(*)").Scan(ctx, &keysBefore)
	// A key too long to store is refused at its field, and nothing is claimed.
	r5, b5 := api.postJSON("/api/v1/orders", strings.Repeat("k", 201), body)
	wantStatus(t, r5, http.StatusUnprocessableEntity)
	if !strings.Contains(b5, "Idempotency-Key") || !strings.Contains(b5, "200 characters") {
		t.Fatalf("long key: %s", b5)
	}
	bad := &client{t: t, app: a, cookies: map[string]string{}, bearer: "whs_nope"}
	r6, _ := bad.postJSON("/api/v1/orders", "bad-token-key", body)
	wantStatus(t, r6, http.StatusUnauthorized)
	notToken := &client{t: t, app: a, cookies: map[string]string{}, bearer: "nope"}
	r7, _ := notToken.postJSON("/api/v1/orders", "bad-token-key", body)
	wantStatus(t, r7, http.StatusUnauthorized)
	a.db.NewSelect().Table("idempotency_keys").ColumnExpr("count(*)").Scan(ctx, &keysAfter)
	if keysAfter != keysBefore {
		t.Fatalf("a too long key or a bad token left %d keys", keysAfter-keysBefore)
	}
	if _, err := a.db.NewUpdate().Table("api_tokens").Set("revoked_at = now()").Where("revoked_at IS NULL").Exec(ctx); err != nil {
		t.Fatal(err)
	}
	r8, _ := api.postJSON("/api/v1/orders", "same-key", body)
	wantStatus(t, r8, http.StatusUnauthorized)
}

// Orders entered through the API at once for a product with little stock:
// the ones whose stock was taken meanwhile run again (the middleware's
// retry, pessimistically), every one is answered 201, and exactly the
// stock is reserved.
func TestAPIOrdersAtOnceForScarceStock(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	api := a.apiClient(t, users.RoleAccountManager)
	ctx := context.Background()
	var productID int64
	if err := a.db.NewSelect().Table("products").Column("id").Where("sku = 'KR-F3090'").Scan(ctx, &productID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.db.ExecContext(ctx, `UPDATE demands SET status = 'cancelled', reserved = 0 WHERE product_id = ?0;
		DELETE FROM demand_reservations r USING demands d WHERE d.id = r.demand_id AND d.product_id = ?0;
		UPDATE stock SET on_hand = 0, reserved = 0 WHERE product_id = ?0;
		UPDATE stock SET on_hand = 7 WHERE product_id = ?0 AND warehouse_id = (SELECT id FROM warehouses WHERE is_main)`, productID); err != nil {
		t.Fatal(err)
	}
	// Orders of different customers (one customer's orders are decided one
	// after another).
	var amID int64
	a.db.NewSelect().Table("companies").Column("account_manager_id").Where("id = ?", a.companyID(t, "Bakkerij Jansen B.V.")).Scan(ctx, &amID)
	const n = 8
	companies := make([]int64, n)
	for i := range companies {
		addr := customers.Address{Street: "Schaarsteweg " + fmt.Sprint(i+1), Postcode: "1000 AA", City: "Amsterdam", Country: "NL"}
		c := &customers.Company{Name: fmt.Sprint("Schaars ", i, " B.V."), Visiting: addr, Invoice: addr, ContactEmail: fmt.Sprint("s", i, "@schaars.test"),
			PaymentTerms: customers.TermsCredit, CreditLimitCents: 1_000_000, AccountManagerID: &amID}
		if err := customers.Insert(ctx, a.db, time.Now(), c); err != nil {
			t.Fatal(err)
		}
		companies[i] = c.ID
	}
	// Hold the stock row until every order has read it: all of them see 7
	// free and book last, one after another.
	blocker, err := a.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer blocker.Rollback()
	if _, err := blocker.ExecContext(ctx, "SELECT 1 FROM stock WHERE product_id = ? FOR UPDATE", productID); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	statuses := make([]int, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			r, _ := api.postJSON("/api/v1/orders", fmt.Sprint("scarce-", i), map[string]any{"company_id": companies[i],
				"po_reference": fmt.Sprint("SCARCE-", i), "place": true, "lines": []map[string]any{{"sku": "KR-F3090", "quantity": 3}}})
			statuses[i] = r.StatusCode
		}(i)
	}
	for waiting := 0; waiting < n; {
		time.Sleep(20 * time.Millisecond)
		if err := a.db.QueryRowContext(ctx, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND wait_event_type = 'Lock'").Scan(&waiting); err != nil {
			t.Fatal(err)
		}
	}
	if err := blocker.Commit(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	for i, s := range statuses {
		if s != http.StatusCreated {
			t.Fatalf("order %d: HTTP %d", i, s)
		}
	}
	var reserved, demandReserved, waiting int
	a.db.QueryRowContext(ctx, "SELECT sum(reserved) FROM stock WHERE product_id = ?", productID).Scan(&reserved)
	a.db.QueryRowContext(ctx, "SELECT sum(reserved), sum(quantity - reserved) FROM demands WHERE product_id = ? AND status = 'open'", productID).Scan(&demandReserved, &waiting)
	if reserved != 7 || demandReserved != 7 || waiting != n*3-7 {
		t.Fatalf("stock reserved %d, demands reserved %d, waiting %d", reserved, demandReserved, waiting)
	}
}
