package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"wholesale/internal/customers"
	"wholesale/internal/invoicing"
	"wholesale/internal/money"
	"wholesale/internal/users"
)

// TestFinanceBooksAPayment: finance registers a payment with an invoice's
// number as reference; the payment's page says where it went and why, the
// invoice shows it paid; an over-payment stays as balance and is
// allocated later; an allocation is undone with a reason; bad input is
// refused at its field and books nothing.
func TestFinanceBooksAPayment(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	_, inv := a.invoiced(t, "BJ-PAY-1")
	n := inv.NumberOr()
	id := a.companyID(t, "Bakkerij Jansen B.V.")
	fin := a.as(users.RoleFinance)
	payments := func() int {
		var c int
		a.db.NewRaw("SELECT count(*) FROM payments").Scan(context.Background(), &c)
		return c
	}
	demo := payments() // the demo's own

	// Bad input: the message at the field, what was typed kept, nothing booked.
	resp, body := fin.post("/payments", url.Values{"customer": {fmt.Sprint(id)}, "amount": {"tien euro"}, "received_on": {"2026-11-24"}, "reference": {n}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	d := doc(t, body)
	if msg := fieldError(t, body, "amount"); !strings.Contains(msg, "Enter an amount in euros") || d.Find("input[name=amount]").AttrOr("value", "") != "tien euro" ||
		d.Find("input[name=amount][aria-invalid=true]").Length() != 1 {
		t.Errorf("a bad amount: message %q", msg)
	}
	if payments() != demo {
		t.Fatal("a refused payment was booked")
	}

	// Part of the invoice, by its number.
	resp, _ = fin.post("/payments", url.Values{"customer": {fmt.Sprint(id)}, "amount": {"50,00"}, "received_on": {"2026-11-24"}, "reference": {n}})
	wantStatus(t, resp, http.StatusFound)
	_, body = fin.get(resp.Header.Get("Location"))
	d = doc(t, body)
	row := squeeze(d.Find("table.allocations tbody tr").First())
	if !strings.Contains(row, "Invoice "+n) || !strings.Contains(row, enAmount(5000)) || !strings.Contains(row, "the payment reference is the invoice's") {
		t.Errorf("the payment's allocation reads %q", row)
	}
	_, body = fin.get("/invoices/" + n)
	d = doc(t, body)
	if got := squeeze(d.Find("table.allocations tbody tr").First()); !strings.Contains(got, enAmount(5000)) || !strings.Contains(got, "Payment ") {
		t.Errorf("the invoice's payments read %q", got)
	}
	if !strings.Contains(squeeze(d.Find("main")), "partly paid") {
		t.Errorf("the invoice does not say partly paid")
	}
	if _, body := fin.get("/invoices?state=partly_paid"); !strings.Contains(squeeze(doc(t, body).Find("table")), n) {
		t.Errorf("the list of partly paid invoices lacks %s", n)
	}
	if _, body := fin.get("/invoices?state=paid"); strings.Contains(squeeze(doc(t, body).Find("main")), n) {
		t.Errorf("the list of paid invoices holds %s", n)
	}

	// Too much: the rest stays as the customer's balance, visible on the payment.
	var rest int64 // everything the customer owes now
	a.db.NewRaw("SELECT sum(total_incl_cents - paid_cents) FROM invoices WHERE company_id = ? AND kind = 'invoice' AND state = 'issued'", id).
		Scan(context.Background(), &rest)
	resp, _ = fin.post("/payments", url.Values{"customer": {fmt.Sprint(id)}, "amount": {money.Input(money.Cents(rest + 1000))}, "received_on": {"2026-11-24"}})
	wantStatus(t, resp, http.StatusFound)
	over := resp.Header.Get("Location")
	_, body = fin.get(over)
	d = doc(t, body)
	if got := squeeze(d.Find("dd.unallocated")); got != enAmount(1000) {
		t.Errorf("the over-payment leaves %q unallocated, want %s", got, enAmount(1000))
	}
	if got := squeeze(d.Find("table.allocations tbody tr").First()); !strings.Contains(got, "oldest invoice first") {
		t.Errorf("the rest of the invoice was paid %q", got)
	}
	// Allocating the balance to a paid invoice is refused at the field.
	resp, body = fin.post(over+"/allocate", url.Values{"invoice": {n}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if msg := fieldError(t, body, "invoice"); msg != fmt.Sprintf("Invoice %s is paid.", n) {
		t.Errorf("allocating to a paid invoice: %q", msg)
	}

	// Undo: a reason is needed; then the invoice is open by that much again.
	var alloc int64
	a.db.NewRaw("SELECT id FROM allocations WHERE invoice_id = ? ORDER BY id LIMIT 1", inv.ID).Scan(context.Background(), &alloc)
	resp, body = fin.post(fmt.Sprintf("/allocations/%d/undo", alloc), url.Values{"reason": {"  "}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if msg := fieldError(t, body, "reason"); msg != "Say why the allocation is undone." {
		t.Errorf("undo without a reason: %q", msg)
	}
	resp, _ = fin.post(fmt.Sprintf("/allocations/%d/undo", alloc), url.Values{"reason": {"Booked on the wrong customer"}})
	wantStatus(t, resp, http.StatusFound)
	_, body = fin.get(resp.Header.Get("Location"))
	if got := squeeze(doc(t, body).Find("table.allocations tr.undone")); !strings.Contains(got, "Booked on the wrong customer") {
		t.Errorf("the undone allocation reads %q", got)
	}
	var paid int64
	a.db.NewRaw("SELECT paid_cents FROM invoices WHERE id = ?", inv.ID).Scan(context.Background(), &paid)
	if paid != inv.TotalInclCents-5000 {
		t.Errorf("after the undo the invoice has %d paid, want %d", paid, inv.TotalInclCents-5000)
	}
	// The account manager reads payments, books none.
	am := a.as(users.RoleAccountManager)
	if _, body := am.get("/payments"); !strings.Contains(squeeze(doc(t, body).Find("table.payments")), "Bakkerij Jansen B.V.") ||
		doc(t, body).Find("form[method=post][action^='/payments']").Length() != 0 {
		t.Error("the account manager's payment list")
	}
	if resp, _ := am.post("/payments", url.Values{"customer": {fmt.Sprint(id)}, "amount": {"1"}, "received_on": {"2026-11-24"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("the account manager booked: %d", resp.StatusCode)
	}
}

// TestACreditNoteIsSetOffOnItsPage: finance sets a credit note off against
// an open invoice from the credit note's page.
func TestACreditNoteIsSetOffOnItsPage(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	_, inv := a.invoiced(t, "BJ-SETOFF")
	ctx, fin := a.user(t, users.RoleFinance)
	cn, err := invoicingFor(a.db, a.clk).CreditNote(ctx, fin, invoicing.CreditNoteInput{Invoice: inv.NumberOr(), Quantities: map[int]int{1: 1}, Reason: "Dented."})
	if err != nil {
		t.Fatal(err)
	}
	finance := a.as(users.RoleFinance)
	page := "/invoices/" + cn.NumberOr()
	_, body := finance.get(page)
	if got := squeeze(doc(t, body).Find("section[aria-labelledby=setoff-heading] p")); !strings.Contains(got, enAmount(money.Cents(-cn.TotalInclCents))) {
		t.Errorf("the credit note offers %q", got)
	}
	resp, body := finance.post(page+"/set-off", url.Values{"invoice": {"2026-999999"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if msg := fieldError(t, body, "invoice"); msg != "2026-999999 is not an invoice of this customer." {
		t.Errorf("a wrong invoice: %q", msg)
	}
	resp, _ = finance.post(page+"/set-off", url.Values{"invoice": {inv.NumberOr()}, "amount": {""}}) // empty: as much as fits
	wantStatus(t, resp, http.StatusFound)
	_, body = finance.get("/invoices/" + inv.NumberOr())
	if got := squeeze(doc(t, body).Find("table.allocations")); !strings.Contains(got, "Credit note "+cn.NumberOr()) || !strings.Contains(got, "credit note set off") {
		t.Errorf("the invoice's payments read %q", got)
	}
	// The credit note, set off, is no open item any more, and counts once in what is still to pay.
	if got := squeeze(doc(t, body).Find("table.totals")); strings.Contains(got, "not yet set off") {
		t.Errorf("the set-off credit note is still listed as open: %q", got)
	}
	cust := a.apiClient(t, users.RoleCustomer)
	if _, open := cust.raw(http.MethodGet, "/api/v1/invoices?state=open", "", "", nil); strings.Contains(open, cn.NumberOr()) || !strings.Contains(open, `"invoices"`) {
		t.Errorf("the customer's open items hold the used credit note: %.400s", open)
	}
	if got := squeeze(doc(t, body).Find("tr.still-to-pay td")); got != enAmount(money.Cents(inv.TotalInclCents+cn.TotalInclCents)) {
		t.Errorf("still to pay %q, want %s", got, enAmount(money.Cents(inv.TotalInclCents+cn.TotalInclCents)))
	}
}

// TestPaymentsAPI: finance registers through the API once per
// Idempotency-Key; a customer lists its own payments and not another's.
func TestPaymentsAPI(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	_, inv := a.invoiced(t, "BJ-API-PAY")
	api := a.apiClient(t, users.RoleFinance)
	body := fmt.Sprintf(`{"customer": %d, "amount": "10,00", "received_on": "2026-11-24", "reference": %q}`, a.companyID(t, "Bakkerij Jansen B.V."), inv.NumberOr())
	resp, first := api.raw(http.MethodPost, "/api/v1/payments", "application/json", body, map[string]string{"Idempotency-Key": "pay-1"})
	wantStatus(t, resp, http.StatusCreated)
	resp, again := api.raw(http.MethodPost, "/api/v1/payments", "application/json", body, map[string]string{"Idempotency-Key": "pay-1"})
	if resp.StatusCode != http.StatusCreated || resp.Header.Get("Idempotent-Replayed") != "true" || again != first {
		t.Errorf("the retry: %d %q\n%s\n%s", resp.StatusCode, resp.Header.Get("Idempotent-Replayed"), first, again)
	}
	var p struct {
		ID          int64 `json:"id"`
		Allocations []struct {
			Invoice string `json:"invoice"`
			Reason  string `json:"reason"`
		} `json:"allocations"`
	}
	json.Unmarshal([]byte(first), &p)
	var n int
	a.db.NewRaw("SELECT count(*) FROM payments WHERE reference = ?", inv.NumberOr()).Scan(context.Background(), &n)
	if n != 1 || p.ID == 0 {
		t.Fatalf("%d payments after a retry, answer %s", n, first)
	}
	resp, bad := api.raw(http.MethodPost, "/api/v1/payments", "application/json", `{"customer": 1, "amount": "-5", "received_on": "2026-11-24"}`, nil)
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if !strings.Contains(bad, "amount") {
		t.Errorf("a negative amount: %s", bad)
	}
	// The open items: the invoice, partly paid, is one of them.
	resp, open := api.raw(http.MethodGet, "/api/v1/invoices?state=open", "", "", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(open, fmt.Sprintf(`"number":%q`, inv.NumberOr())) {
		t.Errorf("open items: %d %.500s", resp.StatusCode, open)
	}
	// The customer sees its own payment; another company's user does not.
	cust := a.apiClient(t, users.RoleCustomer)
	resp, list := cust.raw(http.MethodGet, "/api/v1/payments", "", "", nil)
	wantStatus(t, resp, http.StatusOK)
	if !strings.Contains(list, fmt.Sprintf(`"id":%d`, p.ID)) {
		t.Errorf("the customer's list: %s", list)
	}
	other := a.otherCustomerAPI(t)
	if resp, body := other.raw(http.MethodGet, fmt.Sprintf("/api/v1/payments/%d", p.ID), "", "", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another company read the payment: %d %s", resp.StatusCode, body)
	}
	if resp, body := other.raw(http.MethodGet, "/api/v1/payments", "", "", nil); resp.StatusCode != http.StatusOK || strings.Contains(body, fmt.Sprintf(`"id":%d`, p.ID)) {
		t.Errorf("another company lists: %d %s", resp.StatusCode, body)
	}
}

// otherCustomerAPI is an API client of a customer user of another company.
func (a *testApp) otherCustomerAPI(t *testing.T) *client {
	t.Helper()
	ctx := context.Background()
	var companyID int64
	if err := a.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		c, err := customers.Create(ctx, tx, a.clk.Now(), "Andere B.V.")
		companyID = c.ID
		return err
	}); err != nil {
		t.Fatal(err)
	}
	u, err := a.users.Create(ctx, users.NewUser{Email: "y@andere.test", Name: "Y", Role: users.RoleCustomer, CompanyID: companyID, Password: "long enough pw"})
	if err != nil {
		t.Fatal(err)
	}
	plain, _, err := a.users.CreateToken(ctx, u.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	return &client{t: t, app: a, cookies: map[string]string{}, bearer: plain}
}
