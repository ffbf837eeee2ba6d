package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/uptrace/bun"

	"wholesale/internal/customers"
	"wholesale/internal/invoicing"
	"wholesale/internal/mail"
	"wholesale/internal/orders"
	"wholesale/internal/users"
)

// badCase is one bad input posted to a route as the role that uses it. The
// table below is meant to grow: a route's cases name the form values, the
// field whose message must be on the page (or in the JSON "fields"), and the
// rows that must not change.
type badCase struct {
	name string
	role users.Role // "" posts without logging in
	// path gives the address, with ids looked up in the demo data.
	path  func(f *badFixture) string
	form  url.Values
	files []testFile // sent with the form as multipart/form-data
	// field must carry a message; want, if set, is a part of it.
	field, want string
	// scope is a CSS selector of the part of the page holding the field,
	// when several forms on it share field names.
	scope string
	// status is the answer expected; 422 when 0.
	status int
	// keep: the form shows what was typed in field again.
	keep bool
	// watch lists tables whose row counts, or queries (with a space) whose
	// single value, must be the same after the post; audit_log and outbox
	// are always watched.
	watch []string
}

// badFixture is the demo data the cases post to, with ids looked up once.
type badFixture struct {
	// complaints are one of each state (complaints_fixture_test.go).
	complaints            complaintFixture
	app                   *testApp
	clients               map[users.Role]*client
	application, customer int64
	change, supplierOrder int64
	supplierLine, adminID int64
	accountManager        int64 // the customer's
	order, orderLine      int64
	inviteToken           string
	// erasure is the customer's request to be erased, open.
	erasure int64
	// released is the demo's released order, releasedLine its line of
	// KR-F3090 (6 ordered and reserved); shipment ships 1 of its KR-XS5300.
	released, releasedLine, shipment int64
	// invoice is the number of an issued invoice, cnLine its line of 2
	// kettles (of the order BAD-INV-1).
	invoice string
	cnLine  int
	// bankEntry is an open credit of an imported statement.
	bankEntry int64
	// portalLine is how the portal's return form names the shipped line
	// of 2 kettles of BAD-INV-1; portalReturn is a return of one of them,
	// waiting for approval.
	portalLine   string
	portalReturn int64
	// returns are one of each state (returns_fixture_test.go), retOrder
	// their order and retLine its shipped line of KR-F3090 (as the return
	// form names it); testedRA is the RA number of the one tested.
	returns  returnFixture
	retOrder int64
	retLine  string
	testedRA string
}

func (f *badFixture) id(query string) int64 {
	f.app.t.Helper()
	var id int64
	if err := f.app.db.NewRaw(query).Scan(context.Background(), &id); err != nil {
		f.app.t.Fatalf("%s: %v", query, err)
	}
	return id
}

func newBadFixture(t *testing.T) *badFixture {
	a := newApp(t)
	f := &badFixture{app: a, clients: map[users.Role]*client{"": a.client()}}
	for _, r := range users.Roles {
		f.clients[r] = a.as(r)
	}
	f.application = f.id("SELECT id FROM applications WHERE status = 'new' ORDER BY id LIMIT 1")
	f.customer = f.id("SELECT id FROM companies WHERE name LIKE 'Bakkerij Jansen%'")
	f.supplierOrder = f.id("SELECT id FROM supplier_orders WHERE reference = 'SEB-2026-114'")
	f.supplierLine = f.id(fmt.Sprintf("SELECT min(id) FROM supplier_order_lines WHERE supplier_order_id = %d", f.supplierOrder))
	f.adminID = f.id("SELECT id FROM users WHERE role = 'admin' LIMIT 1")
	f.order = f.id("SELECT id FROM orders WHERE po_reference = 'BJ-2026-118'")
	f.orderLine = f.id(fmt.Sprintf("SELECT min(id) FROM order_lines WHERE order_id = %d", f.order))
	f.released = f.id("SELECT id FROM orders WHERE po_reference = 'BJ-2026-119'")
	f.releasedLine = f.id(fmt.Sprintf("SELECT l.id FROM order_lines l JOIN products p ON p.id = l.product_id WHERE l.order_id = %d AND p.sku = 'KR-F3090'", f.released))
	other := f.id(fmt.Sprintf("SELECT l.id FROM order_lines l JOIN products p ON p.id = l.product_id WHERE l.order_id = %d AND p.sku = 'KR-XS5300'", f.released))
	if resp, _ := f.clients[users.RoleWarehouse].post(fmt.Sprintf("/orders/%d/ship", f.released),
		url.Values{fmt.Sprintf("qty_%d", other): {"1"}, "tracking_number": {"1Z999AA10123456784"}}); resp.StatusCode != http.StatusFound {
		t.Fatalf("shipping: %d", resp.StatusCode)
	}
	f.shipment = f.id(fmt.Sprintf("SELECT id FROM shipments WHERE order_id = %d", f.released))
	am, err := users.ByID(context.Background(), a.db, f.id("SELECT account_manager_id FROM companies WHERE id = "+fmt.Sprint(f.customer)))
	if err != nil {
		t.Fatal(err)
	}
	r, err := a.cust.RequestChange(context.Background(), am, f.customer, customers.ChangeInput{Kind: customers.ChangeInvoiceEmail,
		Values: map[string]string{"invoice_email": "nieuw@bakkerij-jansen.test"}})
	if err != nil {
		t.Fatal(err)
	}
	f.change = r.ID
	f.accountManager = am.ID
	err = a.db.RunInTx(context.Background(), nil, func(ctx context.Context, tx bun.Tx) error {
		_, err := a.users.Invite(ctx, tx, users.NewUser{Email: "nieuw@bakkerij-jansen.test", Name: "Nieuw", Role: users.RoleCustomer, CompanyID: f.customer},
			"http://localhost:8080", "Welcome.")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := mail.List(context.Background(), a.db, 1)
	if err != nil || len(msgs) == 0 {
		t.Fatal("no invitation mail", err)
	}
	f.inviteToken = regexp.MustCompile(`/invite/([0-9a-f]+)`).FindStringSubmatch(msgs[0].Body)[1]
	a.sellerDetails(t)
	a.ship(t, a.releasedOrder(t, "BAD-INV-1", orders.LineInput{SKU: "KR-F3090", Quantity: 2}).ID)
	ctx, fin := a.user(t, users.RoleFinance)
	numbers, err := invoicingFor(a.db, a.clk).Run(ctx, fin, f.customer)
	if err != nil || len(numbers) != 1 {
		t.Fatalf("invoicing: %v %v", numbers, err)
	}
	f.invoice = numbers[0]
	f.bankEntry = openBankEntry(t, a)
	f.returns = addReturns(t, a)
	f.complaints = addComplaints(t, a)
	f.retOrder = f.id("SELECT id FROM orders WHERE po_reference = 'RET-WALK'")
	f.retLine = a.returnLine(t, f.retOrder, "KR-F3090")
	f.testedRA = a.raOf(t, fmt.Sprintf("/returns/%d", f.returns.tested))
	f.cnLine = int(f.id(fmt.Sprintf(`SELECT il.line_no FROM invoice_lines il JOIN invoices i ON i.id = il.invoice_id JOIN orders o ON o.id = il.order_id
		WHERE i.number = '%s' AND o.po_reference = 'BAD-INV-1' AND il.sku = 'KR-F3090'`, f.invoice)))
	f.portalLine, f.portalReturn = badPortalReturn(t, a)
	if resp, _ := f.clients[users.RoleCustomer].post("/profile/erasure", nil); resp.StatusCode != http.StatusFound {
		t.Fatalf("asking for erasure: %d", resp.StatusCode)
	}
	f.erasure = f.id("SELECT id FROM erasure_requests WHERE status = 'requested'")
	return f
}

func (f *badFixture) watched(c badCase) map[string]string {
	out := map[string]string{}
	for _, w := range append([]string{"audit_log", "outbox"}, c.watch...) {
		q := w
		if !strings.Contains(w, " ") {
			q = "SELECT count(*)::text FROM " + w
		}
		var v string
		if err := f.app.db.NewRaw(q).Scan(context.Background(), &v); err != nil {
			f.app.t.Fatalf("%s: %v", q, err)
		}
		out[w] = v
	}
	return out
}

// fieldMessage returns the message shown next to the form control named
// field inside scope: the first .field-error among the control's following
// siblings before the next control.
func fieldMessage(d *goquery.Document, scope, field string) string {
	msg := ""
	d.Find(strings.TrimSpace(scope + " [name=\"" + field + "\"]")).EachWithBreak(func(_ int, in *goquery.Selection) bool {
		for s := in.Next(); s.Length() > 0; s = s.Next() {
			if s.HasClass("field-error") {
				msg = strings.TrimSpace(s.Text())
				return false
			}
			if s.Is("input, select, textarea") || s.Find("input, select, textarea").Length() > 0 {
				break
			}
		}
		// A radio button's message stands in its fieldset, after the choices.
		if in.Is(`[type="radio"]`) {
			if e := in.Closest("fieldset").Find(".field-error"); e.Length() > 0 {
				msg = strings.TrimSpace(e.First().Text())
				return false
			}
		}
		return true
	})
	return msg
}

// typedValue returns what the control named field inside scope shows.
func typedValue(d *goquery.Document, scope, field string) string {
	s := d.Find(strings.TrimSpace(scope + " [name=\"" + field + "\"]")).First()
	if s.Is("textarea") {
		return strings.TrimPrefix(s.Text(), "\n")
	}
	v, _ := s.Attr("value")
	return v
}

// shownValue is what the form control named field in scope shows: the
// text of an input or textarea, the selected option of a select. ok is
// false where there is no such control a person types into or picks from
// (hidden, password, file, checkbox and radio inputs, disabled controls).
func shownValue(d *goquery.Document, scope, field string) (v string, ok bool) {
	s := d.Find(strings.TrimSpace(scope + " [name=\"" + field + "\"]")).First()
	if s.Length() == 0 || s.AttrOr("disabled", "x") != "x" {
		return "", false
	}
	switch {
	case s.Is("textarea"):
		return strings.TrimPrefix(s.Text(), "\n"), true
	case s.Is("select"):
		o := s.Find("option[selected]").First()
		if o.Length() == 0 {
			o = s.Find("option").First()
		}
		if v, has := o.Attr("value"); has {
			return v, true
		}
		return o.Text(), true
	case s.Is("input"):
		switch s.AttrOr("type", "text") {
		case "hidden", "password", "file", "checkbox", "radio", "submit":
			return "", false
		}
		return s.AttrOr("value", ""), true
	}
	return "", false
}

func path(s string) func(*badFixture) string { return func(*badFixture) string { return s } }

func form(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

// applyForm is a valid application form with one field replaced.
func applyForm(field, value string) url.Values {
	v := form("company_name", "Koffie B.V.", "kvk", "87654321", "vat_id", "NL004495445B01", "visiting_street", "Kade 1",
		"visiting_postcode", "1000 AA", "visiting_city", "Amsterdam", "visiting_country", "NL", "invoice_same", "1",
		"contact_name", "Eva", "contact_email", "eva@koffie.nl", "contact_phone", "+31 20 123 4567", "iban", "NL91ABNA0417164300",
		"account_holder", "Koffie B.V.", "terms", "1")
	v.Set(field, value)
	return v
}

var (
	long201  = strings.Repeat("é", 201)
	long2001 = strings.Repeat("x", 2001)
	email3KB = strings.Repeat("a", 3000) + "@example.nl"
)

var appTables = []string{"applications", "documents", "blobs"}

// einvoiceForm is a good e-invoice setting of a customer with one field replaced.
func einvoiceForm(field, value string) url.Values {
	v := form("einvoice_profile", "peppol", "peppol_id", "0106:30123456", "buyer_reference", "Kostenplaats 12", "ubl_in_mail", "1")
	v.Set(field, value)
	return v
}

func einvoicePath(f *badFixture) string { return fmt.Sprintf("/customers/%d/einvoice", f.customer) }

var einvoiceWatch = []string{"SELECT string_agg(concat_ws('|', einvoice_profile, peppol_id, buyer_reference, ubl_in_mail), ',' ORDER BY id) FROM companies"}

var settingsTables = []string{"closing_days", "SELECT concat_ws('|', name, street, vat_id, kvk, iban, email, website, cutoff_minutes, updated_at) FROM settings"}

var reminderSettings = []string{"SELECT concat_ws('|', reminder_1_days, reminder_2_days, updated_at) FROM settings"}

// settingsForm is a valid settings form with one field replaced.
func settingsForm(field, value string) url.Values {
	v := form("name", "Groothandel Test B.V.", "street", "Keizersgracht 100", "postcode", "1015 AA", "city", "Amsterdam", "country", "NL",
		"vat_id", "NL004495445B01", "kvk", "30123456", "iban", "NL91ABNA0417164300", "bic", "ABNANL2A", "email", "factuur@test.nl",
		"phone", "+31 20 123 4567", "website", "https://www.test.nl", "cutoff", "16:30")
	v.Set(field, value)
	return v
}

var badCases = []badCase{
	// The public application form and its copy for sales.
	{name: "apply: company name with NUL", path: path("/apply"), form: applyForm("company_name", "Koffie\x00"), field: "company_name", want: "NUL", watch: appTables},
	{name: "apply: company name of 201", path: path("/apply"), form: applyForm("company_name", long201), field: "company_name", want: "at most 200", keep: true, watch: appTables},
	{name: "apply: KvK with escape", path: path("/apply"), form: applyForm("kvk", "8765\x1b4321"), field: "kvk", watch: appTables},
	{name: "apply: VAT id bad bytes", path: path("/apply"), form: applyForm("vat_id", "NL004495445B01\xff"), field: "vat_id", want: "UTF-8", watch: appTables},
	{name: "apply: German VAT id with a wrong check digit", path: path("/apply"), form: applyForm("vat_id", "DE136695978"), field: "vat_id", want: "check digits of this VAT id do not add up", keep: true, watch: appTables},
	{name: "apply: Dutch VAT id B00", path: path("/apply"), form: applyForm("vat_id", "NL004495445B00"), field: "vat_id", want: "never ends in B00", keep: true, watch: appTables},
	{name: "apply: branch number of 11 digits", path: path("/apply"), form: applyForm("branch_number", "0000 1234 567"), field: "branch_number", want: "exactly 12 digits", keep: true, watch: appTables},
	{name: "apply: KvK all zeros", path: path("/apply"), form: applyForm("kvk", "0000 0000"), field: "kvk", want: "never all zeros", watch: appTables},
	{name: "apply: IBAN with a letter in the account", path: path("/apply"), form: applyForm("iban", "NL56 3003 0A17 1643 00"), field: "iban", want: "is a letter, not a digit", watch: appTables},
	{name: "apply: Belgian IBAN with wrong national check digits", path: path("/apply"), form: applyForm("iban", "BE41539007547035"), field: "iban", want: "bank's own check digits", keep: true, watch: appTables},
	{name: "apply: street with line break", path: path("/apply"), form: applyForm("visiting_street", "Kade 1\r\nBcc: x"), field: "visiting_street", watch: appTables},
	{name: "apply: postcode too long", path: path("/apply"), form: applyForm("visiting_postcode", "1000 AA 1000 AA"), field: "visiting_postcode", keep: true, watch: appTables},
	{name: "apply: 3 KB e-mail", path: path("/apply"), form: applyForm("contact_email", email3KB), field: "contact_email", want: "at most 254", keep: true, watch: appTables},
	{name: "apply: phone with NUL", path: path("/apply"), form: applyForm("contact_phone", "020 123\x00 4567"), field: "contact_phone", watch: appTables},
	{name: "apply: IBAN with NUL", path: path("/apply"), form: applyForm("iban", "NL91ABNA0417164300\x00"), field: "iban", watch: appTables},
	{name: "apply: account holder of 201", path: path("/apply"), form: applyForm("account_holder", long201), field: "account_holder", keep: true, watch: appTables},
	{name: "applications: city with NUL", role: users.RoleSales, path: path("/applications"), form: applyForm("visiting_city", "Amsterdam\x00"), field: "visiting_city", watch: appTables},
	{name: "applications: mail in French", role: users.RoleSales, path: path("/applications"), form: applyForm("language", "fr"), field: "language", want: "Dutch or English", watch: appTables},

	// Vetting.
	{name: "check note of 2,001", role: users.RoleSales, path: func(f *badFixture) string { return fmt.Sprintf("/applications/%d/checks", f.application) },
		form: form("item", "names_consistent", "result", "fail", "note", long2001), field: "note", want: "at most 2,000", scope: "#check-names_consistent", keep: true,
		watch: []string{"application_checks"}},
	{name: "check note with NUL", role: users.RoleSales, path: func(f *badFixture) string { return fmt.Sprintf("/applications/%d/checks", f.application) },
		form: form("item", "names_consistent", "result", "fail", "note", "unreadable\x00"), field: "note", scope: "#check-names_consistent", watch: []string{"application_checks"}},
	{name: "document request of 2,001", role: users.RoleSales, path: func(f *badFixture) string { return fmt.Sprintf("/applications/%d/request-documents", f.application) },
		form: form("request_note", long2001), field: "request_note", keep: true, watch: []string{"SELECT status FROM applications ORDER BY id LIMIT 1"}},
	{name: "approve: ambiguous limit", role: users.RoleSales, path: func(f *badFixture) string { return fmt.Sprintf("/applications/%d/approve", f.application) },
		form: form("payment_terms", "credit", "credit_limit", "12.50,0", "payment_term_days", "30", "account_manager_id", "{am}"), field: "credit_limit",
		want: "at most 2 decimals", keep: true, watch: []string{"companies", "users"}},
	{name: "approve: negative limit", role: users.RoleSales, path: func(f *badFixture) string { return fmt.Sprintf("/applications/%d/approve", f.application) },
		form: form("payment_terms", "credit", "credit_limit", "-5000", "account_manager_id", "{am}"), field: "credit_limit", want: "minus", keep: true, watch: []string{"companies"}},
	{name: "approve: huge limit", role: users.RoleSales, path: func(f *badFixture) string { return fmt.Sprintf("/applications/%d/approve", f.application) },
		form: form("payment_terms", "credit", "credit_limit", "92233720368547758,07", "account_manager_id", "{am}"), field: "credit_limit", want: "above €10,000,000.00", keep: true, watch: []string{"companies"}},
	{name: "approve: 2^31 days", role: users.RoleSales, path: func(f *badFixture) string { return fmt.Sprintf("/applications/%d/approve", f.application) },
		form: form("payment_terms", "credit", "credit_limit", "10.000", "payment_term_days", "2147483648", "account_manager_id", "{am}"), field: "payment_term_days", keep: true, watch: []string{"companies"}},
	{name: "reject: reason with NUL", role: users.RoleSales, path: func(f *badFixture) string { return fmt.Sprintf("/applications/%d/reject", f.application) },
		form: form("reason", "no\x00"), field: "reason", want: "NUL", watch: []string{"SELECT status FROM applications ORDER BY id LIMIT 1"}},
	{name: "reject change: note of 2,001", role: users.RoleSales, path: func(f *badFixture) string { return fmt.Sprintf("/changes/%d/reject", f.change) },
		form: form("decision_note", long2001), field: "decision_note", keep: true, watch: []string{"SELECT string_agg(status, ',') FROM change_requests"}},

	// Account changes, by the account manager and by the customer.
	{name: "change: contact name with NUL", role: users.RoleAccountManager, path: func(f *badFixture) string { return fmt.Sprintf("/customers/%d/changes", f.customer) },
		form: form("kind", "contact", "contact_name", "Piet\x00", "contact_email", "piet@jansen.nl", "contact_phone", "0201234567"), field: "contact_name",
		scope: "form:has(input[name=kind][value=contact])", watch: []string{"change_requests"}},
	{name: "change: 3 KB e-mail", role: users.RoleAccountManager, path: func(f *badFixture) string { return fmt.Sprintf("/customers/%d/changes", f.customer) },
		form: form("kind", "contact", "contact_name", "Piet", "contact_email", email3KB, "contact_phone", "0201234567"), field: "contact_email", want: "at most 254",
		scope: "form:has(input[name=kind][value=contact])", keep: true, watch: []string{"change_requests"}},
	{name: "change: note of 2,001", role: users.RoleAccountManager, path: func(f *badFixture) string { return fmt.Sprintf("/customers/%d/changes", f.customer) },
		form: form("kind", "invoice_email", "invoice_email", "f@jansen.nl", "note", long2001), field: "note", want: "at most 2,000",
		scope: "form:has(input[name=kind][value=invoice_email])", keep: true, watch: []string{"change_requests"}},
	{name: "customer language: German", role: users.RoleSales, path: func(f *badFixture) string { return fmt.Sprintf("/customers/%d/language", f.customer) },
		form: form("language", "de"), field: "language", want: "Dutch or English", scope: "form[action$='/language']",
		watch: []string{"SELECT string_agg(language, ',' ORDER BY id) FROM companies", "audit_log"}},
	{name: "e-invoices: Peppol id without its scheme", role: users.RoleSales, path: einvoicePath, form: einvoiceForm("peppol_id", "30123456"), field: "peppol_id",
		want: "scheme:id", scope: "form[action*='/einvoice']", keep: true, watch: einvoiceWatch},
	{name: "e-invoices: Peppol id of an unknown scheme", role: users.RoleSales, path: einvoicePath, form: einvoiceForm("peppol_id", "1234:30123456"), field: "peppol_id",
		want: "scheme:id", scope: "form[action*='/einvoice']", keep: true, watch: einvoiceWatch},
	{name: "e-invoices: Peppol id with NUL", role: users.RoleSales, path: einvoicePath, form: einvoiceForm("peppol_id", "0106:3012\x003456"), field: "peppol_id",
		want: "NUL", scope: "form[action*='/einvoice']", watch: einvoiceWatch},
	{name: "e-invoices: profile XRechnung", role: users.RoleSales, path: einvoicePath, form: einvoiceForm("einvoice_profile", "xrechnung"), field: "einvoice_profile",
		want: "from the list", scope: "form[action*='/einvoice']", watch: einvoiceWatch},
	{name: "e-invoices: buyer reference of 101", role: users.RoleAdmin, path: einvoicePath, form: einvoiceForm("buyer_reference", strings.Repeat("r", 101)), field: "buyer_reference",
		want: "at most 100", scope: "form[action*='/einvoice']", keep: true, watch: einvoiceWatch},
	{name: "e-invoices: buyer reference bad bytes", role: users.RoleSales, path: einvoicePath, form: einvoiceForm("buyer_reference", "KP 12\xff"), field: "buyer_reference",
		want: "UTF-8", scope: "form[action*='/einvoice']", watch: einvoiceWatch},
	{name: "account change: e-mail bad bytes", role: users.RoleCustomer, path: path("/account/changes"),
		form: form("kind", "invoice_email", "invoice_email", "factuur@jansen.nl\xff"), field: "invoice_email", want: "UTF-8",
		scope: "form:has(input[name=kind][value=invoice_email])", watch: []string{"change_requests"}},

	// Prices: a refused price keeps the discount typed with it unsaved.
	{name: "prices: ambiguous price", role: users.RoleAccountManager, path: func(f *badFixture) string { return fmt.Sprintf("/customers/%d/prices", f.customer) },
		form: form("discount", "7,5", "sku", "KR-XP3440", "price", "12.50,0"), field: "price", want: "at most 2 decimals", keep: true,
		watch: []string{"customer_prices", "SELECT string_agg(discount_bp::text, ',' ORDER BY id) FROM companies"}},
	{name: "prices: huge price", role: users.RoleAccountManager, path: func(f *badFixture) string { return fmt.Sprintf("/customers/%d/prices", f.customer) },
		form: form("sku", "KR-XP3440", "price", "9223372036854775807"), field: "price", want: "above", keep: true, watch: []string{"customer_prices"}},
	{name: "prices: discount 101", role: users.RoleAccountManager, path: func(f *badFixture) string { return fmt.Sprintf("/customers/%d/prices", f.customer) },
		form: form("discount", "101"), field: "discount", want: "0 to 100", keep: true, watch: []string{"SELECT string_agg(discount_bp::text, ',' ORDER BY id) FROM companies"}},
	{name: "prices: SKU with NUL", role: users.RoleAccountManager, path: func(f *badFixture) string { return fmt.Sprintf("/customers/%d/prices", f.customer) },
		form: form("sku", "KR-XP3440\x00", "price", "10"), field: "sku", want: "NUL", watch: []string{"customer_prices"}},

	// Logins, resets, users, tokens.
	{name: "login: 3 KB e-mail", path: path("/login"), form: form("email", email3KB, "password", "demo-admin-2026"), field: "email", want: "at most 254 characters (this has 3,011)",
		keep: true, watch: []string{"login_failures"}},
	{name: "login: e-mail with NUL", path: path("/login"), form: form("email", "admin@wholesale.test\x00", "password", "demo-admin-2026"), field: "email", want: "control",
		watch: []string{"login_failures"}},
	{name: "forgot: 10 KB e-mail", path: path("/password/forgot"), form: form("email", strings.Repeat("a", 10<<10)+"@x.nl"), field: "email", want: "at most 254",
		keep: true, watch: []string{"password_resets"}},
	{name: "reset: password of 129", path: path("/password/reset"), form: form("email", "admin@wholesale.test", "code", "123456", "password", strings.Repeat("p", 129)),
		field: "password", want: "at most 128", watch: []string{"password_resets", "SELECT password_hash FROM users ORDER BY id LIMIT 1"}},
	{name: "new user: name with NUL", role: users.RoleAdmin, path: path("/admin/users"), form: form("email", "n@w.test", "name", "Nieuw\x00", "role", "sales", "password", "long enough pw"),
		field: "name", want: "NUL", watch: []string{"users"}},
	{name: "new user: 3 KB e-mail", role: users.RoleAdmin, path: path("/admin/users"), form: form("email", email3KB, "name", "Nieuw", "role", "sales", "password", "long enough pw"),
		field: "email", want: "at most 254", keep: true, watch: []string{"users"}},
	{name: "edit user: name of 201", role: users.RoleAdmin, path: func(f *badFixture) string { return fmt.Sprintf("/admin/users/%d", f.adminID) },
		form: form("name", long201, "role", "admin"), field: "name", want: "at most 200", keep: true, watch: []string{"SELECT string_agg(name, ',' ORDER BY id) FROM users"}},
	{name: "invitation: password with NUL", path: func(f *badFixture) string { return "/invite/" + f.inviteToken },
		form: form("password", "a long password\x00"), field: "password", want: "control", watch: []string{"SELECT count(*)::text FROM invitations WHERE used_at IS NULL"}},
	{name: "invitation: password of 129", path: func(f *badFixture) string { return "/invite/" + f.inviteToken },
		form: form("password", strings.Repeat("p", 129)), field: "password", want: "at most 128", watch: []string{"SELECT count(*)::text FROM invitations WHERE used_at IS NULL"}},
	{name: "erasure: staff confirm neither ticked nor empty", role: users.RoleSales, path: func(f *badFixture) string { return fmt.Sprintf("/admin/erasures/%d/confirm", f.erasure) },
		form: form("staff_confirm", "maybe"), field: "staff_confirm", want: "Tick the box",
		watch: []string{"SELECT string_agg(status, ',' ORDER BY id) FROM erasure_requests", "SELECT string_agg(name || email, ',' ORDER BY id) FROM users"}},
	{name: "language: unknown", role: users.RoleCustomer, path: path("/profile/language"), form: form("language", "fr"), field: "language",
		want: "Nederlands or English", watch: []string{"SELECT string_agg(language, ',' ORDER BY id) FROM users"}},
	{name: "token name with NUL", role: users.RoleWarehouse, path: path("/profile/tokens"), form: form("name", "ERP\x00"), field: "name", want: "NUL", watch: []string{"api_tokens"}},
	{name: "token name of 101", role: users.RoleWarehouse, path: path("/profile/tokens"), form: form("name", strings.Repeat("t", 101)), field: "name", want: "at most 100", keep: true, watch: []string{"api_tokens"}},

	// Service centres.
	{name: "centre: javascript web address", role: users.RoleAdmin, path: path("/service-centres"),
		form: form("brand", "Krups", "name", "Krups Service", "web", "javascript:alert(1)"), field: "web", want: "https://", keep: true, watch: []string{"service_centres"}},
	{name: "centre: brand with escape", role: users.RoleAdmin, path: path("/service-centres"),
		form: form("brand", "Krups\x1b", "name", "Krups Service"), field: "brand", watch: []string{"service_centres"}},

	// Company settings and closing days.
	{name: "settings: name with NUL", role: users.RoleAdmin, path: path("/admin/settings"), form: settingsForm("name", "Demo\x00 B.V."), field: "name", want: "NUL", watch: settingsTables},
	{name: "settings: name of 101", role: users.RoleAdmin, path: path("/admin/settings"), form: settingsForm("name", strings.Repeat("n", 101)), field: "name", want: "at most 100", keep: true, watch: settingsTables},
	{name: "settings: street with line break", role: users.RoleAdmin, path: path("/admin/settings"), form: settingsForm("street", "Kade 1\r\nBcc: x"), field: "street", want: "one line", watch: settingsTables},
	{name: "settings: VAT id check digits", role: users.RoleAdmin, path: path("/admin/settings"), form: settingsForm("vat_id", "NL004495446B01"), field: "vat_id", want: "check digits", keep: true, watch: settingsTables},
	{name: "settings: KvK of 7", role: users.RoleAdmin, path: path("/admin/settings"), form: settingsForm("kvk", "3012345"), field: "kvk", want: "8 digits", keep: true, watch: settingsTables},
	{name: "settings: IBAN with NUL", role: users.RoleAdmin, path: path("/admin/settings"), form: settingsForm("iban", "NL91ABNA0417164300\x00"), field: "iban", want: "NUL", watch: settingsTables},
	{name: "settings: KvK all zeros", role: users.RoleAdmin, path: path("/admin/settings"), form: settingsForm("kvk", "00000000"), field: "kvk", want: "never all zeros", keep: true, watch: settingsTables},
	{name: "settings: Dutch VAT id all zeros", role: users.RoleAdmin, path: path("/admin/settings"), form: settingsForm("vat_id", "NL000000000B01"), field: "vat_id", want: "never all zeros", keep: true, watch: settingsTables},
	{name: "settings: IBAN mod-97", role: users.RoleAdmin, path: path("/admin/settings"), form: settingsForm("iban", "NL91ABNA0417164301"), field: "iban", want: "check digits", keep: true, watch: settingsTables},
	{name: "settings: 3 KB e-mail", role: users.RoleAdmin, path: path("/admin/settings"), form: settingsForm("email", email3KB), field: "email", want: "at most 254", keep: true, watch: settingsTables},
	{name: "settings: javascript website", role: users.RoleAdmin, path: path("/admin/settings"), form: settingsForm("website", "javascript:alert(1)"), field: "website", want: "https://", keep: true, watch: settingsTables},
	{name: "settings: cutoff 24:00", role: users.RoleAdmin, path: path("/admin/settings"), form: settingsForm("cutoff", "24:00"), field: "cutoff", want: "00:00 to 23:59", keep: true, watch: settingsTables},
	{name: "settings: cutoff in words", role: users.RoleAdmin, path: path("/admin/settings"), form: settingsForm("cutoff", "five o'clock"), field: "cutoff", want: "17:00", keep: true, watch: settingsTables},
	{name: "reminders: first day 0", role: users.RoleAdmin, path: path("/admin/settings/reminders"), form: form("reminder_1_days", "0", "reminder_2_days", "21"), field: "reminder_1_days", want: "1 to 365", keep: true, watch: reminderSettings},
	{name: "reminders: first in words", role: users.RoleAdmin, path: path("/admin/settings/reminders"), form: form("reminder_1_days", "a week", "reminder_2_days", "21"), field: "reminder_1_days", want: "whole number", keep: true, watch: reminderSettings},
	{name: "reminders: second of 366", role: users.RoleAdmin, path: path("/admin/settings/reminders"), form: form("reminder_1_days", "7", "reminder_2_days", "366"), field: "reminder_2_days", want: "1 to 365", keep: true, watch: reminderSettings},
	{name: "reminders: second before the first", role: users.RoleAdmin, path: path("/admin/settings/reminders"), form: form("reminder_1_days", "14", "reminder_2_days", "14"), field: "reminder_2_days", want: "later than the first", keep: true, watch: reminderSettings},
	{name: "reminders: NUL", role: users.RoleAdmin, path: path("/admin/settings/reminders"), form: form("reminder_1_days", "7\x00", "reminder_2_days", "21"), field: "reminder_1_days", want: "NUL", watch: reminderSettings},
	{name: "closing day: in the past", role: users.RoleAdmin, path: path("/admin/closing-days"), form: form("day", "2026-11-23", "reason", "Inventory"), field: "day", want: "in the past",
		scope: "form[action='/admin/closing-days']", keep: true, watch: settingsTables},
	{name: "closing day: year 20260", role: users.RoleAdmin, path: path("/admin/closing-days"), form: form("day", "20260-12-28", "reason", "Inventory"), field: "day",
		scope: "form[action='/admin/closing-days']", keep: true, watch: settingsTables},
	{name: "closing day: reason of 201", role: users.RoleAdmin, path: path("/admin/closing-days"), form: form("day", "2026-12-28", "reason", long201), field: "reason", want: "at most 200",
		scope: "form[action='/admin/closing-days']", keep: true, watch: settingsTables},
	{name: "closing day: reason with NUL", role: users.RoleAdmin, path: path("/admin/closing-days"), form: form("day", "2026-12-28", "reason", "Kerst\x00"), field: "reason", want: "NUL",
		scope: "form[action='/admin/closing-days']", watch: settingsTables},

	// Supplier orders and deliveries.
	{name: "supplier order: 2^31 pieces", role: users.RoleAdmin, path: path("/supplier-orders"),
		form: form("supplier", "SEB", "expected_date", "2026-12-15", "lines", "KR-XP3440 2147483648"), field: "lines", want: "at most 1,000,000", keep: true,
		watch: []string{"supplier_orders", "supplier_order_lines"}},
	{name: "supplier order: negative", role: users.RoleAdmin, path: path("/supplier-orders"),
		form: form("supplier", "SEB", "expected_date", "2026-12-15", "lines", "KR-XP3440 -5"), field: "lines", want: "minus", keep: true, watch: []string{"supplier_orders"}},
	{name: "supplier order: supplier with NUL", role: users.RoleAdmin, path: path("/supplier-orders"),
		form: form("supplier", "SEB\x00", "expected_date", "2026-12-15", "lines", "KR-XP3440 5"), field: "supplier", want: "NUL", watch: []string{"supplier_orders", "suppliers"}},
	{name: "supplier order: reference of 36", role: users.RoleAdmin, path: path("/supplier-orders"),
		form: form("supplier", "SEB", "reference", strings.Repeat("R", 36), "expected_date", "2026-12-15", "lines", "KR-XP3440 5"), field: "reference", want: "at most 35", keep: true,
		watch: []string{"supplier_orders"}},
	{name: "supplier order: year 0026", role: users.RoleAdmin, path: path("/supplier-orders"),
		form: form("supplier", "SEB", "expected_date", "0026-12-15", "lines", "KR-XP3440 5"), field: "expected_date", want: "2000 to 2099", watch: []string{"supplier_orders"}},
	{name: "confirm date: year 20260", role: users.RoleAdmin, path: func(f *badFixture) string { return fmt.Sprintf("/supplier-orders/%d/confirm-date", f.supplierOrder) },
		form: form("date", "20260-01-01"), field: "date", scope: "#so-{order}", watch: []string{"SELECT string_agg(expected_date::text, ',' ORDER BY id) FROM supplier_orders"}},
	{name: "receive: 2^31 pieces", role: users.RoleWarehouse, path: func(f *badFixture) string { return fmt.Sprintf("/supplier-orders/%d/receive", f.supplierOrder) },
		form: form("line_{line}", "2147483648"), field: "line_{line}", want: "at most 1,000,000", scope: "#so-{order}", keep: true,
		watch: []string{"SELECT sum(on_hand)::text FROM stock", "SELECT sum(received)::text FROM supplier_order_lines"}},
	{name: "receive: 2^63-1 pieces", role: users.RoleWarehouse, path: func(f *badFixture) string { return fmt.Sprintf("/supplier-orders/%d/receive", f.supplierOrder) },
		form: form("line_{line}", "9223372036854775807"), field: "line_{line}", scope: "#so-{order}", keep: true, watch: []string{"SELECT sum(on_hand)::text FROM stock"}},
	{name: "receive: negative", role: users.RoleWarehouse, path: func(f *badFixture) string { return fmt.Sprintf("/supplier-orders/%d/receive", f.supplierOrder) },
		form: form("line_{line}", "-5"), field: "line_{line}", want: "minus", scope: "#so-{order}", keep: true, watch: []string{"SELECT sum(on_hand)::text FROM stock"}},
}

// resolve fills in the ids a case's form, field and scope name by placeholder.
func (f *badFixture) resolve(s string) string {
	return strings.NewReplacer("{line}", fmt.Sprint(f.supplierLine), "{order}", fmt.Sprint(f.supplierOrder),
		"{cnline}", fmt.Sprint(f.cnLine), "{customer}", fmt.Sprint(f.customer), "{am}", fmt.Sprint(f.accountManager), "{po}", fmt.Sprint(f.order), "{poline}", fmt.Sprint(f.orderLine),
		"{released}", fmt.Sprint(f.released), "{relline}", fmt.Sprint(f.releasedLine), "{shipment}", fmt.Sprint(f.shipment),
		"{bankentry}", fmt.Sprint(f.bankEntry), "{portalline}", f.portalLine,
		"{retorder}", fmt.Sprint(f.retOrder), "{retline}", f.retLine, "{testedra}", f.testedRA).Replace(s)
}

// orderForm is a valid new order, placed, with one field replaced.
func orderForm(field, value string) url.Values {
	v := form("company_id", "{customer}", "po_reference", "BAD-1", "sku_0", "KR-F3090", "qty_0", "1", "address", "visiting",
		"shipping_method", "UPS", "shipping", "0", "action", "place")
	v.Set(field, value)
	return v
}

// amendForm is a valid amendment of the demo order {po}, with one field replaced.
func amendForm(field, value string) url.Values {
	v := form("id_0", "{poline}", "sku_0", "KR-EA8108", "qty_0", "2", "address", "visiting", "shipping_method", "UPS", "shipping", "14,95", "action", "amend")
	v.Set(field, value)
	return v
}

func orderPath(suffix string) func(*badFixture) string {
	return func(f *badFixture) string { return fmt.Sprintf("/orders/%d%s", f.order, suffix) }
}

var orderTables = []string{"orders", "order_lines", "order_revisions", "demands", "SELECT string_agg(note || revision || status, ',' ORDER BY id) FROM orders"}

// creditNoteForm credits one of the invoice's 2 kettles, with one field replaced.
func creditNoteForm(field, value string) url.Values {
	v := form("qty_{cnline}", "1", "reason", "Broken on arrival.")
	v.Set(field, value)
	return v
}

func creditNotePath(f *badFixture) string { return "/invoices/" + f.invoice + "/credit-note" }

var invoiceTables = []string{"invoices", "invoice_lines", "invoice_documents", "SELECT COALESCE(string_agg(kind || last_number, ','), '') FROM invoice_series"}

var orderBadCases = []badCase{
	{name: "credit note: 2^31 pieces", role: users.RoleFinance, path: creditNotePath, form: creditNoteForm("qty_{cnline}", "2147483648"), field: "qty_{cnline}", want: "at most 1,000,000",
		keep: true, watch: invoiceTables},
	{name: "credit note: negative pieces", role: users.RoleFinance, path: creditNotePath, form: creditNoteForm("qty_{cnline}", "-1"), field: "qty_{cnline}", want: "minus", keep: true, watch: invoiceTables},
	{name: "credit note: pieces in words", role: users.RoleFinance, path: creditNotePath, form: creditNoteForm("qty_{cnline}", "one"), field: "qty_{cnline}", want: "digits only", keep: true, watch: invoiceTables},
	{name: "credit note: more than invoiced", role: users.RoleFinance, path: creditNotePath, form: creditNoteForm("qty_{cnline}", "3"), field: "qty_{cnline}", want: "At most 2 of this line",
		keep: true, watch: invoiceTables},
	{name: "credit note: no reason", role: users.RoleFinance, path: creditNotePath, form: creditNoteForm("reason", " "), field: "reason", want: "printed on the credit note", watch: invoiceTables},
	{name: "credit note: reason with NUL", role: users.RoleFinance, path: creditNotePath, form: creditNoteForm("reason", "broken\x00"), field: "reason", want: "NUL", watch: invoiceTables},
	{name: "credit note: reason of 2,001", role: users.RoleFinance, path: creditNotePath, form: creditNoteForm("reason", long2001), field: "reason", want: "at most 2,000",
		keep: true, watch: invoiceTables},

	{name: "order: PO with NUL", role: users.RoleAccountManager, path: path("/orders"), form: orderForm("po_reference", "PO\x001"), field: "po_reference", want: "NUL", watch: orderTables},
	{name: "order: PO of 36", role: users.RoleAccountManager, path: path("/orders"), form: orderForm("po_reference", strings.Repeat("P", 36)), field: "po_reference", want: "at most 35", keep: true, watch: orderTables},
	{name: "order: 2^31 pieces", role: users.RoleAccountManager, path: path("/orders"), form: orderForm("qty_0", "2147483648"), field: "qty_0", want: "at most 1,000,000", keep: true, watch: orderTables},
	{name: "order: 2^63-1 pieces", role: users.RoleAccountManager, path: path("/orders"), form: orderForm("qty_0", "9223372036854775807"), field: "qty_0", want: "at most 1,000,000", keep: true, watch: orderTables},
	{name: "order: negative pieces", role: users.RoleAccountManager, path: path("/orders"), form: orderForm("qty_0", "-5"), field: "qty_0", want: "minus", keep: true, watch: orderTables},
	{name: "order: SKU with escape", role: users.RoleAccountManager, path: path("/orders"), form: orderForm("sku_0", "KR\x1bF3090"), field: "qty_0", want: "control", watch: orderTables},
	{name: "order: a line id on a new order", role: users.RoleAccountManager, path: path("/orders"), form: orderForm("id_0", "{poline}"), field: "qty_0", want: "no id", watch: orderTables},
	{name: "order: ambiguous shipping", role: users.RoleAccountManager, path: path("/orders"), form: orderForm("shipping", "12.50,0"), field: "shipping", want: "decimals", keep: true, watch: orderTables},
	{name: "order: shipping above the maximum", role: users.RoleAccountManager, path: path("/orders"), form: orderForm("shipping", "99999999999"), field: "shipping", want: "not accepted", keep: true, watch: orderTables},
	{name: "order: note of 2,001", role: users.RoleAccountManager, path: path("/orders"), form: orderForm("note", long2001), field: "note", want: "at most 2,000", keep: true, watch: orderTables},
	{name: "order: note with NUL", role: users.RoleAccountManager, path: path("/orders"), form: orderForm("note", "back door\x00"), field: "note", want: "NUL", watch: orderTables},
	{name: "amend: 2,000,000 pieces", role: users.RoleAccountManager, path: orderPath(""), form: amendForm("qty_0", "2000000"), field: "qty_0", want: "at most 1,000,000", keep: true, watch: orderTables},
	{name: "amend: note of 2,001", role: users.RoleAccountManager, path: orderPath(""), form: amendForm("note", long2001), field: "note", want: "at most 2,000", keep: true, watch: orderTables},
	{name: "amend: unknown method", role: users.RoleAccountManager, path: orderPath(""), form: amendForm("shipping_method", "Drone"), field: "shipping_method", watch: orderTables},
	{name: "cancel: reason of 2,001", role: users.RoleAccountManager, path: orderPath("/cancel"), form: form("reason", long2001), field: "reason", want: "at most 2,000",
		scope: "form.form[action$='/cancel']", keep: true, watch: orderTables},
	{name: "cancel: reason with NUL", role: users.RoleAccountManager, path: orderPath("/cancel"), form: form("reason", "changed\x00"), field: "reason", want: "NUL",
		scope: "form.form[action$='/cancel']", watch: orderTables},
	{name: "written confirmation: note with escape", role: users.RoleAccountManager, path: orderPath("/confirm-written"), form: form("note", "mail\x1b", "received_on", "2026-11-24"),
		field: "note", scope: "form[action$='/confirm-written']", watch: orderTables},
	{name: "written confirmation: year 20260", role: users.RoleAccountManager, path: orderPath("/confirm-written"), form: form("note", "mail of Joris", "received_on", "20260-01-01"),
		field: "received_on", scope: "form[action$='/confirm-written']", watch: orderTables},
}

// shipForm is a good shipment of 1 of line {relline} of order {released}
// with UPS, with one field replaced.
func shipForm(field, value string) url.Values {
	v := form("qty_{relline}", "1", "carrier", "UPS", "tracking_number", "1Z999AA10123456784")
	v.Set(field, value)
	return v
}

func shipPath(f *badFixture) string { return fmt.Sprintf("/orders/%d/ship", f.released) }

func deliveredPath(f *badFixture) string { return fmt.Sprintf("/shipments/%d/delivered", f.shipment) }

var shipTables = []string{"shipments", "shipment_lines", "invoice_lines", "SELECT sum(on_hand)::text || '/' || sum(reserved)::text FROM stock",
	"SELECT sum(shipped)::text FROM order_lines", "SELECT string_agg(status || ship_state, ',' ORDER BY id) FROM orders"}

func trackingPath(f *badFixture) string { return fmt.Sprintf("/shipments/%d/tracking", f.shipment) }

var trackingWatch = []string{"SELECT string_agg(carrier || '/' || tracking_number || '/' || tracking_url, ',' ORDER BY id) FROM shipments"}

var shipBadCases = []badCase{
	{name: "correct tracking: not a UPS number", role: users.RoleWarehouse, path: trackingPath, form: form("carrier", "UPS", "tracking_number", "1Z999"), field: "tracking_number",
		want: "1Z followed by 16 letters or digits", scope: "#shipment-{shipment}", keep: true, watch: trackingWatch},
	{name: "correct tracking: number with NUL", role: users.RoleWarehouse, path: trackingPath, form: form("carrier", "UPS", "tracking_number", "1Z999AA1\x000123456785"), field: "tracking_number",
		want: "NUL", scope: "#shipment-{shipment}", watch: trackingWatch},
	{name: "correct tracking: number of 101", role: users.RoleWarehouse, path: trackingPath, form: form("carrier", "UPS", "tracking_number", strings.Repeat("1", 101)), field: "tracking_number",
		want: "at most 100", scope: "#shipment-{shipment}", keep: true, watch: trackingWatch},
	{name: "correct tracking: unknown carrier", role: users.RoleWarehouse, path: trackingPath, form: form("carrier", "FedEx", "tracking_number", "1Z999AA10123456785"), field: "carrier",
		want: "UPS, DHL, PostNL or own transport", scope: "#shipment-{shipment}", watch: trackingWatch},
	{name: "ship: 2^31 pieces", role: users.RoleWarehouse, path: shipPath, form: shipForm("qty_{relline}", "2147483648"), field: "qty_{relline}", want: "at most 1,000,000", keep: true, watch: shipTables},
	{name: "ship: 2^63-1 pieces", role: users.RoleWarehouse, path: shipPath, form: shipForm("qty_{relline}", "9223372036854775807"), field: "qty_{relline}", want: "at most 1,000,000", keep: true, watch: shipTables},
	{name: "ship: negative pieces", role: users.RoleWarehouse, path: shipPath, form: shipForm("qty_{relline}", "-1"), field: "qty_{relline}", want: "minus", keep: true, watch: shipTables},
	{name: "ship: more than reserved", role: users.RoleWarehouse, path: shipPath, form: shipForm("qty_{relline}", "7"), field: "qty_{relline}", want: "At most 6 of this line", keep: true, watch: shipTables},
	{name: "ship: unknown carrier", role: users.RoleWarehouse, path: shipPath, form: shipForm("carrier", "FedEx"), field: "carrier", want: "UPS, DHL, PostNL or own transport", watch: shipTables},
	{name: "ship: carrier with NUL", role: users.RoleWarehouse, path: shipPath, form: shipForm("carrier", "UPS\x00"), field: "carrier", want: "NUL", watch: shipTables},
	{name: "ship: tracking number with NUL", role: users.RoleWarehouse, path: shipPath, form: shipForm("tracking_number", "1Z999AA1\x000123456784"), field: "tracking_number", want: "NUL", watch: shipTables},
	{name: "ship: tracking number bad bytes", role: users.RoleWarehouse, path: shipPath, form: shipForm("tracking_number", "1Z999AA10123456784\xff"), field: "tracking_number", want: "UTF-8", watch: shipTables},
	{name: "ship: tracking number of 101", role: users.RoleWarehouse, path: shipPath, form: shipForm("tracking_number", strings.Repeat("1", 101)), field: "tracking_number", want: "at most 100", keep: true, watch: shipTables},
	{name: "ship: not a UPS number", role: users.RoleWarehouse, path: shipPath, form: shipForm("tracking_number", "1Z999"), field: "tracking_number", want: "1Z followed by 16 letters or digits", keep: true, watch: shipTables},
	{name: "ship: no tracking number", role: users.RoleWarehouse, path: shipPath, form: shipForm("tracking_number", ""), field: "tracking_number", want: "tracking number", watch: shipTables},
	{name: "ship: own transport reference of 41", role: users.RoleWarehouse, path: shipPath, form: form("qty_{relline}", "1", "carrier", "own", "tracking_number", strings.Repeat("r", 41)),
		field: "tracking_number", want: "at most 40", keep: true, watch: shipTables},
	{name: "delivered: year 20260", role: users.RoleWarehouse, path: deliveredPath, form: form("delivered_on", "20260-01-01"), field: "delivered_on", want: "Enter the date", scope: "#shipment-{shipment}", keep: true,
		watch: []string{"SELECT COALESCE(string_agg(delivered_on::text, ','), '') FROM shipments"}},
	{name: "delivered: tomorrow", role: users.RoleWarehouse, path: deliveredPath, form: form("delivered_on", "2026-11-25"), field: "delivered_on", want: "in the future", scope: "#shipment-{shipment}", keep: true,
		watch: []string{"SELECT COALESCE(string_agg(delivered_on::text, ','), '') FROM shipments"}},
	{name: "delivered: before it shipped", role: users.RoleWarehouse, path: deliveredPath, form: form("delivered_on", "2026-11-23"), field: "delivered_on", want: "before the day it shipped", scope: "#shipment-{shipment}", keep: true,
		watch: []string{"SELECT COALESCE(string_agg(delivered_on::text, ','), '') FROM shipments"}},
}

func TestBadInputAnswersAtTheFieldAndWritesNothing(t *testing.T) {
	t.Parallel()
	f := newBadFixture(t)
	for _, c := range append(append(append(append(append(append(append(append(badCases, orderBadCases...), shipBadCases...), bankBadCases...), portalReturnBadCases...), returnBadCases...), portalComplaintBadCases...), complaintBadCases...), pickBadCases...) {
		t.Run(c.name, func(t *testing.T) {
			values := url.Values{}
			for k, vs := range c.form {
				for _, v := range vs {
					values.Add(f.resolve(k), f.resolve(v))
				}
			}
			field, scope := f.resolve(c.field), f.resolve(c.scope)
			before := f.watched(c)
			f.clients[c.role].t = t
			resp, body := c.send(f.clients[c.role], c.path(f), values)
			want := c.status
			if want == 0 {
				want = http.StatusUnprocessableEntity
			}
			if resp.StatusCode != want {
				t.Fatalf("status %d, want %d", resp.StatusCode, want)
			}
			d := doc(t, body)
			msg := fieldMessage(d, scope, field)
			if msg == "" || !strings.Contains(msg, c.want) {
				t.Errorf("message at %s: %q, want one saying %q (page says: %.300s)", field, msg, c.want, strings.Join(strings.Fields(d.Find("main").Text()), " "))
			}
			if c.keep && typedValue(d, scope, field) != values.Get(field) {
				t.Errorf("the form shows %.40q at %s, not what was typed", typedValue(d, scope, field), field)
			}
			for k := range values {
				if k == field {
					continue
				}
				if shown, ok := shownValue(d, scope, k); ok && shown != values.Get(k) {
					t.Errorf("the form lost what was typed at %s: it shows %.40q, not %.40q", k, shown, values.Get(k))
				}
			}
			after := f.watched(c)
			for w, v := range before {
				if after[w] != v {
					t.Errorf("%s changed from %s to %s", w, v, after[w])
				}
			}
		})
	}
}

func TestQueryParametersWithControlCharactersAnswer400(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	admin := a.as(users.RoleAdmin)
	for _, q := range []string{"/products?q=KR%00", "/products?q=%1b%5B2J", "/products?q=%ff%fe", "/applications?status=new%0D%0ASet-Cookie:x", "/admin/audit?entity=%00"} {
		resp, body := admin.get(q)
		wantStatus(t, resp, http.StatusBadRequest)
		d := doc(t, body)
		if h := strings.TrimSpace(d.Find("h1").First().Text()); h != "This request cannot be read" || !strings.Contains(d.Text(), "control characters") {
			t.Errorf("%s: page %q: %.200s", q, h, d.Text())
		}
	}
	_, body := admin.post("/profile/tokens", url.Values{"name": {"bad input test"}})
	api := &client{t: t, app: a, cookies: map[string]string{}, bearer: doc(t, body).Find("code.token").Text()}
	resp, body := api.get("/api/v1/products?q=KR%00")
	wantStatus(t, resp, http.StatusBadRequest)
	var e struct {
		Error struct {
			Kind    string
			Message string
			Fields  map[string]string
		}
	}
	if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error.Kind != "invalid" || !strings.Contains(e.Error.Fields["q"], "\"q\"") {
		t.Fatalf("API answer: %v %s", err, body)
	}
	resp, _ = admin.get("/products?q=KR-XP3440")
	wantStatus(t, resp, http.StatusOK)
}

// The forgot-password flow never puts the typed address in the Location
// header: a 10 KB address is refused at the field without a redirect, and a
// good one redirects to the bare reset page.
func TestForgotPasswordLocationStaysShort(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.client()
	resp, _ := c.post("/password/forgot", url.Values{"email": {strings.Repeat("a", 10<<10) + "@example.nl"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if loc := resp.Header.Get("Location"); loc != "" {
		t.Fatalf("Location of %d bytes", len(loc))
	}
	resp, _ = c.post("/password/forgot", url.Values{"email": {"someone-with-a-rather-long-address@bakkerij-jansen.test"}})
	wantStatus(t, resp, http.StatusFound)
	if loc := resp.Header.Get("Location"); loc != "/password/reset" {
		t.Fatalf("Location %q", loc)
	}
}

// The order forms the table spoils are good but for the field it spoils.
func TestOrderFormsOfTheBadInputTableAreGood(t *testing.T) {
	t.Parallel()
	f := newBadFixture(t)
	for name, c := range map[string]struct {
		role   users.Role
		path   string
		values url.Values
	}{"new order": {users.RoleAccountManager, "/orders", orderForm("note", "fine")},
		"amendment": {users.RoleAccountManager, fmt.Sprintf("/orders/%d", f.order), amendForm("note", "fine")},
		"shipment":  {users.RoleWarehouse, shipPath(f), shipForm("carrier", "UPS")},
		"delivery":  {users.RoleWarehouse, deliveredPath(f), form("delivered_on", "2026-11-24")}} {
		values := url.Values{}
		for k, vs := range c.values {
			values.Set(f.resolve(k), f.resolve(vs[0]))
		}
		if resp, body := f.clients[c.role].post(c.path, values); resp.StatusCode != http.StatusFound {
			t.Errorf("%s: %d %.300s", name, resp.StatusCode, strings.Join(strings.Fields(doc(t, body).Find("main").Text()), " "))
		}
	}
}

// The credit note form the table spoils is good but for the field it spoils.
func TestCreditNoteFormOfTheBadInputTableIsGood(t *testing.T) {
	t.Parallel()
	f := newBadFixture(t)
	values := url.Values{}
	for k, v := range creditNoteForm("reason", "fine") {
		values.Set(f.resolve(k), v[0])
	}
	next := f.app.nextNumber(t, invoicing.KindCreditNote)
	resp, body := f.clients[users.RoleFinance].post(creditNotePath(f), values)
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/invoices/"+next {
		t.Errorf("%d %s %.300s", resp.StatusCode, resp.Header.Get("Location"), strings.Join(strings.Fields(doc(t, body).Find("main").Text()), " "))
	}
}

// An English reader may type an amount the English way: "1,250" in a money
// field is € 1,250.00 for them, in a form sent urlencoded or as multipart.
// For a Dutch reader "1,250" stays ambiguous (1,25 or 1.250?): the form
// comes back with the message at the field and nothing is stored.
func TestEnglishAmountsAreReadTheEnglishWay(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	cid := fmt.Sprint(a.companyID(t, "Bakkerij Jansen B.V."))
	order := func(po, shipping string) url.Values {
		return form("company_id", cid, "po_reference", po, "sku_0", "KR-F3090", "qty_0", "1", "address", "visiting",
			"shipping_method", "UPS", "shipping", shipping, "action", "draft")
	}
	shippingOf := func(po string) (cents int64, found bool) {
		err := a.db.NewRaw("SELECT shipping_cents FROM orders WHERE po_reference = ?", po).Scan(context.Background(), &cents)
		return cents, err == nil
	}
	english := a.as(users.RoleAccountManager)
	for po, typed := range map[string]string{"EN-1": "1,250", "EN-2": "€ 1,250.50", "EN-3": "12,50"} {
		resp, body := english.post("/orders", order(po, typed))
		if resp.StatusCode != http.StatusFound {
			t.Fatalf("%s: %d %.300s", typed, resp.StatusCode, doc(t, body).Find("main").Text())
		}
	}
	for po, want := range map[string]int64{"EN-1": 125000, "EN-2": 125050, "EN-3": 1250} {
		if got, _ := shippingOf(po); got != want {
			t.Errorf("%s: shipping %d cents stored, want %d", po, got, want)
		}
	}
	// A form sent as multipart/form-data: a product's unit price.
	var buf strings.Builder
	w := multipart.NewWriter(&buf)
	for k, v := range form("sku", "EN-PRICE-1", "name", "Kettle", "unit_price", "1,250", "vat_rate", "21", "doa_returnable", "yes", "supply", "normal") {
		w.WriteField(k, v[0])
	}
	admin := a.as(users.RoleAdmin)
	w.WriteField("_csrf", admin.csrf())
	w.Close()
	if resp, body := admin.do(http.MethodPost, "/products", strings.NewReader(buf.String()), w.FormDataContentType()); resp.StatusCode != http.StatusFound {
		t.Fatalf("multipart: %d %q", resp.StatusCode, doc(t, body).Find(".field-error").Text())
	}
	var price int64
	a.db.NewRaw("SELECT unit_price_cents FROM products WHERE sku = 'EN-PRICE-1'").Scan(context.Background(), &price)
	if price != 125000 {
		t.Errorf("multipart: unit price %d cents stored, want 125000", price)
	}
	// The English reading is for amounts only: "1,250" pieces is no number.
	resp, _ := english.post("/orders", form("company_id", cid, "po_reference", "EN-5", "sku_0", "KR-F3090", "qty_0", "1,250",
		"address", "visiting", "shipping_method", "UPS", "shipping", "0", "action", "draft"))
	wantStatus(t, resp, http.StatusUnprocessableEntity)

	a.userReads(t, users.RoleAccountManager, "nl")
	dutch := a.as(users.RoleAccountManager)
	resp, body := dutch.post("/orders", order("NL-1", "1,250"))
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	d := doc(t, body)
	if msg := fieldMessage(d, "", "shipping"); !strings.HasPrefix(msg, "Vul een bedrag in euro's in") {
		t.Errorf("the Dutch reader's message at shipping: %q", msg)
	}
	if typed := typedValue(d, "", "shipping"); typed != "1,250" {
		t.Errorf("the form shows %q at shipping, not what was typed", typed)
	}
	if _, found := shippingOf("NL-1"); found {
		t.Error("the Dutch reader's order was stored")
	}
}
