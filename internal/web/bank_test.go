package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"wholesale/internal/bank"
	"wholesale/internal/bank/camttest"
	"wholesale/internal/orders"
	"wholesale/internal/users"
)

// bankTx and bankStatement are statements built for a test (camttest,
// as internal/bank's tests build them).
type (
	bankTx        = camttest.Tx
	bankStatement = camttest.Statement
)

// openBankEntry imports, as finance, a statement with one credit nothing
// matches and returns the id of its entry, waiting in the queue.
func openBankEntry(t *testing.T, a *testApp) int64 {
	t.Helper()
	ctx, fin := a.user(t, users.RoleFinance)
	st := bankStatement{ID: "WALK-1", Account: "NL20INGB0001234567", Entries: []bankTx{
		{Ref: "WALK-E1", Amount: "77.70", Date: "2026-11-23", FreeText: "Teruggave borg", Name: "Verhuur Oost", IBAN: "NL02ABNA0123456789"}}}
	rep, err := (&bank.Service{DB: a.db, Clock: a.clk}).Import(ctx, fin, "walk.xml", camttest.XML(t, st))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Totals().Open != 1 {
		t.Fatalf("the walk's statement: %+v", rep.Totals())
	}
	return rep.Statements[0].Lines[0].EntryID
}

func (a *testApp) count(t *testing.T, query string) int {
	t.Helper()
	var n int
	if err := a.db.NewRaw(query).Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// squeezed is the text of the first element of sel in body, spaces squeezed.
func squeezed(t *testing.T, body, sel string) string {
	t.Helper()
	return strings.Join(strings.Fields(doc(t, body).Find(sel).First().Text()), " ")
}

// TestBankStatementImportAndQueue is finance's morning: import the bank's
// statement, see what was booked and why, import it again by mistake,
// try a broken file, and work the queue.
func TestBankStatementImportAndQueue(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.sellerDetails(t)
	a.ship(t, a.releasedOrder(t, "BANK-1", orders.LineInput{SKU: "KR-F3090", Quantity: 2}).ID)
	numbers := a.invoiceNow(t)
	if len(numbers) != 1 {
		t.Fatalf("invoice now issued %v", numbers)
	}
	invoice := numbers[0]
	var total int64
	if err := a.db.NewRaw("SELECT total_incl_cents FROM invoices WHERE number = ?", invoice).Scan(context.Background(), &total); err != nil {
		t.Fatal(err)
	}
	st := bankStatement{ID: "2026-11-24-01", Account: "NL20INGB0001234567", Entries: []bankTx{
		{Ref: "E-1", Amount: fmt.Sprintf("%d.%02d", total/100, total%100), Date: "2026-11-23", FreeText: "Betaling factuur " + invoice,
			Name: "Bakkerij Jansen B.V.", IBAN: "NL91ABNA0417164300"},
		{Ref: "E-2", Amount: "123.45", Date: "2026-11-23", FreeText: "bestelling november", Name: "Onbekende Koper", IBAN: "NL02ABNA0123456789"},
		{Ref: "E-3", Amount: "50.00", Debit: true, Date: "2026-11-23", FreeText: "Huur december", Name: "Verhuur Oost", IBAN: "NL02ABNA0123456789"},
	}}
	fin := a.as(users.RoleFinance)

	resp, body := fin.postFile("/bank/import", nil, "file", "ing-2026-11-24.xml", camttest.XML(t, st))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("import: %d %s\n%s", resp.StatusCode, squeezed(t, body, "main"), a.logs.String())
	}
	d := doc(t, body)
	for sel, want := range map[string]string{".totals .entries": "3", ".totals .matched": "1", ".totals .open": "1", ".totals .ignored": "1", ".totals .known": "0"} {
		if got := strings.TrimSpace(d.Find(sel).Text()); got != want {
			t.Errorf("%s: %q, want %s", sel, got, want)
		}
	}
	matched := squeezed(t, body, "tr.matched")
	for _, want := range []string{"matched to Bakkerij Jansen B.V.:", "Payment ", "the invoice number is in the description", invoice} {
		if !strings.Contains(matched, want) {
			t.Errorf("the matched line says %q, not %q", matched, want)
		}
	}
	if open := squeezed(t, body, "tr.open"); !strings.Contains(open, "Onbekende Koper") || !strings.Contains(open, "no open invoice or prepayment order matches") {
		t.Errorf("the open line says %q", open)
	}
	if ignored := squeezed(t, body, "tr.ignored"); !strings.Contains(ignored, "a debit") {
		t.Errorf("the debit says %q", ignored)
	}
	if n := a.count(t, "SELECT count(*) FROM payments WHERE source = 'bank'"); n != 1 {
		t.Errorf("%d payments booked, want 1", n)
	}

	// The queue and the list of statements.
	_, body = fin.get("/bank")
	entry := int64(a.count(t, "SELECT id FROM bank_entries WHERE state = 'open'"))
	card := squeezed(t, body, fmt.Sprintf("#entry-%d", entry))
	for _, want := range []string{"Onbekende Koper", "NL02ABNA0123456789", "bestelling november", "123.45"} {
		if !strings.Contains(card, want) {
			t.Errorf("the queue's entry says %q, not %q", card, want)
		}
	}
	if h := squeezed(t, body, "h2#queue"); h != "Credits to match: 1" {
		t.Errorf("queue heading %q", h)
	}
	if work := squeezed(t, mustGet(t, fin, "/"), ".work"); !strings.Contains(work, "Bank entries to match: 1") {
		t.Errorf("finance's work: %q", work)
	}
	if row := squeezed(t, body, "table.statements tbody tr"); !strings.Contains(row, "NL20INGB0001234567") || !strings.Contains(row, "2026-11-24-01") {
		t.Errorf("statement row %q", row)
	}

	// Imported again: nothing booked twice.
	resp, body = fin.postFile("/bank/import", nil, "file", "ing-2026-11-24.xml", camttest.XML(t, st))
	wantStatus(t, resp, http.StatusOK)
	if got := squeezed(t, body, ".totals .known"); got != "3" {
		t.Errorf("imported again: %q already imported, want 3", got)
	}
	if n := doc(t, body).Find("tr.known").Length(); n != 3 || !strings.Contains(squeezed(t, body, "tr.known"), "already imported") {
		t.Errorf("imported again: %d lines already imported: %q", n, squeezed(t, body, "tbody"))
	}
	if n := a.count(t, "SELECT count(*) FROM payments WHERE source = 'bank'"); n != 1 {
		t.Errorf("imported again: %d payments, want 1", n)
	}

	// A broken file: refused at the field, nothing written.
	entries := a.count(t, "SELECT count(*) FROM bank_entries")
	statements := a.count(t, "SELECT count(*) FROM bank_statements")
	resp, body = fin.postFile("/bank/import", nil, "file", "broken.xml", []byte(`<Document><BkToCstmrStmt>`))
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if msg := fieldError(t, body, "file"); !strings.Contains(msg, "This file was refused and nothing was booked") {
		t.Errorf("broken file: %q at the field", msg)
	}
	if v, _ := doc(t, body).Find("#file").Attr("aria-invalid"); v != "true" {
		t.Error("broken file: the field is not marked invalid")
	}
	if a.count(t, "SELECT count(*) FROM bank_entries") != entries || a.count(t, "SELECT count(*) FROM bank_statements") != statements {
		t.Error("the broken file wrote entries or statements")
	}
	resp, body = fin.postFile("/bank/import", nil, "file", "empty.xml", nil)
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if msg := fieldError(t, body, "file"); !strings.Contains(msg, "CAMT.053") {
		t.Errorf("no file: %q at the field", msg)
	}

	// Matching: an unknown customer is refused at that entry's field, with what was typed.
	scope := fmt.Sprintf("#entry-%d", entry)
	matchPath := fmt.Sprintf("/bank/entries/%d/match", entry)
	resp, body = fin.post(matchPath, url.Values{"customer": {"Nobody B.V."}, "invoice": {""}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if msg := fieldMessage(doc(t, body), scope, "customer"); !strings.Contains(msg, "There is no customer Nobody B.V.") {
		t.Errorf("unknown customer: %q", msg)
	}
	if v := typedValue(doc(t, body), scope, "customer"); v != "Nobody B.V." {
		t.Errorf("unknown customer: the field shows %q", v)
	}
	customer := a.companyID(t, "Bakkerij Jansen B.V.")
	resp, _ = fin.post(matchPath, url.Values{"customer": {fmt.Sprintf("%d — Bakkerij Jansen B.V.", customer)}})
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/bank#queue" {
		t.Fatalf("match: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body = fin.get("/bank")
	if flash := squeezed(t, body, ".flash"); !strings.Contains(flash, "is booked") {
		t.Errorf("after the match the flash says %q", flash)
	}
	if doc(t, body).Find(scope).Length() != 0 || squeezed(t, body, "h2#queue") != "Credits to match: 0" {
		t.Error("the matched entry is still in the queue")
	}
	_, body = fin.get(fmt.Sprintf("/payments?customer=%d", customer))
	if rows := squeezed(t, body, "table.payments tbody"); !strings.Contains(rows, "123.45") || !strings.Contains(rows, "bestelling november") {
		t.Errorf("/payments does not show the payment matched: %q", rows)
	}
	// The entry is no longer open: matching it again is refused.
	resp, _ = fin.post(matchPath, url.Values{"customer": {fmt.Sprint(customer)}})
	wantStatus(t, resp, http.StatusConflict)

	// Setting aside: a reason is required.
	aside := openBankEntry(t, a)
	asidePath := fmt.Sprintf("/bank/entries/%d/ignore", aside)
	resp, body = fin.post(asidePath, url.Values{"reason": {"  "}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if msg := fieldMessage(doc(t, body), fmt.Sprintf("#entry-%d", aside), "reason"); !strings.Contains(msg, "Say why") {
		t.Errorf("set aside without a reason: %q", msg)
	}
	if st := a.count(t, fmt.Sprintf("SELECT count(*) FROM bank_entries WHERE id = %d AND state = 'open'", aside)); st != 1 {
		t.Error("set aside without a reason changed the entry")
	}
	resp, _ = fin.post(asidePath, url.Values{"reason": {"deposit returned by our landlord"}})
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("set aside: %d", resp.StatusCode)
	}
	if st := a.count(t, fmt.Sprintf("SELECT count(*) FROM bank_entries WHERE id = %d AND state = 'ignored'", aside)); st != 1 {
		t.Error("the entry was not set aside")
	}
	_, body = fin.get("/bank")
	if flash := squeezed(t, body, ".flash"); !strings.Contains(flash, "deposit returned by our landlord") {
		t.Errorf("after setting aside the flash says %q", flash)
	}

	// Finance's home page counts the queue; the account manager may not come in.
	_, body = fin.get("/")
	if !strings.Contains(squeezed(t, body, ".work"), "Bank entries to match: 0") {
		t.Errorf("finance's work: %q", squeezed(t, body, ".work"))
	}
	am := a.as(users.RoleAccountManager)
	for _, p := range []string{"/bank"} {
		if resp, _ := am.get(p); resp.StatusCode != http.StatusForbidden {
			t.Errorf("GET %s as account manager: %d", p, resp.StatusCode)
		}
	}
	resp, _ = am.postFile("/bank/import", nil, "file", "ing.xml", camttest.XML(t, st))
	wantStatus(t, resp, http.StatusForbidden)
	if doc(t, mustGet(t, am, "/")).Find(`header nav a[href="/bank"]`).Length() != 0 {
		t.Error("the account manager's navigation links to /bank")
	}
	if doc(t, mustGet(t, fin, "/")).Find(`header nav a[href="/bank"]`).Length() != 1 {
		t.Error("finance's navigation has no link to /bank")
	}
}

func mustGet(t *testing.T, c *client, path string) string {
	t.Helper()
	resp, body := c.get(path)
	wantStatus(t, resp, http.StatusOK)
	return body
}

func bankMatchPath(f *badFixture) string  { return fmt.Sprintf("/bank/entries/%d/match", f.bankEntry) }
func bankIgnorePath(f *badFixture) string { return fmt.Sprintf("/bank/entries/%d/ignore", f.bankEntry) }

var bankTables = []string{"payments", "allocations", "bank_statements", "SELECT string_agg(state || coalesce(match_reason, ''), ',' ORDER BY id) FROM bank_entries"}

// bankBadCases are the bank pages' entries of the bad input table.
var bankBadCases = []badCase{
	{name: "bank import: no file", role: users.RoleFinance, path: path("/bank/import"), form: form(), field: "file", want: "CAMT.053", watch: bankTables},
	{name: "bank match: no customer", role: users.RoleFinance, path: bankMatchPath, form: form("customer", " ", "invoice", ""), field: "customer",
		want: "Choose the customer", scope: "#entry-{bankentry}", watch: bankTables},
	{name: "bank match: unknown customer", role: users.RoleAdmin, path: bankMatchPath, form: form("customer", "999999", "invoice", ""), field: "customer",
		want: "no customer 999999", scope: "#entry-{bankentry}", keep: true, watch: bankTables},
	{name: "bank match: customer with NUL", role: users.RoleFinance, path: bankMatchPath, form: form("customer", "Bakkerij\x00", "invoice", ""), field: "customer",
		want: "NUL", scope: "#entry-{bankentry}", watch: bankTables},
	{name: "bank match: customer of 201", role: users.RoleFinance, path: bankMatchPath, form: form("customer", long201, "invoice", ""), field: "customer",
		want: "at most 200", scope: "#entry-{bankentry}", keep: true, watch: bankTables},
	{name: "bank match: no such invoice", role: users.RoleFinance, path: bankMatchPath, form: form("customer", "{customer}", "invoice", "2026-999999"), field: "invoice",
		want: "no issued invoice 2026-999999", scope: "#entry-{bankentry}", keep: true, watch: bankTables},
	{name: "bank match: invoice of 41", role: users.RoleFinance, path: bankMatchPath, form: form("customer", "{customer}", "invoice", strings.Repeat("9", 41)), field: "invoice",
		want: "at most 40", scope: "#entry-{bankentry}", keep: true, watch: bankTables},
	{name: "bank set aside: no reason", role: users.RoleFinance, path: bankIgnorePath, form: form("reason", ""), field: "reason",
		want: "Say why", scope: "#entry-{bankentry}", watch: bankTables},
	{name: "bank set aside: reason with NUL", role: users.RoleFinance, path: bankIgnorePath, form: form("reason", "refund\x00"), field: "reason",
		want: "NUL", scope: "#entry-{bankentry}", watch: bankTables},
	{name: "bank set aside: reason of 201", role: users.RoleFinance, path: bankIgnorePath, form: form("reason", long201), field: "reason",
		want: "at most 200", scope: "#entry-{bankentry}", keep: true, watch: bankTables},
}
