package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"wholesale/internal/orders"
	"wholesale/internal/pgtest"
	"wholesale/internal/users"
)

// manyCustomers adds 500 customers without an account manager, in one
// statement: with the demo's, more than a form's select holds (500).
func manyCustomers(t *testing.T, a *testApp) {
	t.Helper()
	if _, err := a.db.ExecContext(context.Background(), `INSERT INTO companies (name) SELECT 'Scale customer ' || lpad(n::text, 3, '0')
		FROM generate_series(1, 500) n`); err != nil {
		t.Fatal(err)
	}
}

// pastFiveHundred is a demo app with 500 customers more, the demo
// customer's number, and role's browser, which finds the field for the
// customer's number (id, named name, labelled label) on the form at path.
func pastFiveHundred(t *testing.T, role users.Role, path, id, name, label string) (*testApp, *client, int64) {
	t.Helper()
	a := newApp(t)
	manyCustomers(t, a)
	c := a.as(role)
	resp, body := c.get(path)
	wantStatus(t, resp, http.StatusOK)
	wantNumberField(t, body, id, name, label)
	return a, c, a.companyID(t, "Bakkerij Jansen B.V.")
}

// wantNumberField checks that body's form has the field for the customer's
// number (id, named name) with its label and where the number is found,
// and no list of the customers' names.
func wantNumberField(t *testing.T, body, id, name, label string) {
	t.Helper()
	d := doc(t, body)
	if d.Find("select#"+id).Length() != 0 || d.Find(fmt.Sprintf(`input#%s[name=%q][inputmode="numeric"]`, id, name)).Length() != 1 {
		t.Fatalf("no number field #%s for the customer\n%.800s", id, squeeze(d.Find("main")))
	}
	if got := squeeze(d.Find(fmt.Sprintf("label[for=%q]", id))); got != label {
		t.Errorf("#%s is labelled %q, want %q", id, got, label)
	}
	if hint := squeeze(d.Find("#" + id + "-hint")); !strings.Contains(hint, "on the customer's page, in the search and on its invoices") {
		t.Errorf("#%s: the hint %q does not say where the number is", id, hint)
	}
	if n := d.Find("option").Length(); n > 100 || strings.Contains(body, "Scale customer 250") {
		t.Errorf("#%s: the page still lists the customers (%d options)", id, n)
	}
}

// wantRefusedAt checks a refused form: 422, the message at the customer
// field (in the part of the page scope selects), and the number typed
// still in it.
func wantRefusedAt(t *testing.T, resp *http.Response, body, scope, field, typed, msg string) {
	t.Helper()
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	d := doc(t, body)
	if got := fieldMessage(d, scope, field); !strings.Contains(got, msg) {
		t.Errorf("%s %q: the message at the field is %q, want %q", field, typed, got, msg)
	}
	if got := typedValue(d, scope, field); got != typed {
		t.Errorf("%s: the field shows %q, not %q as typed", field, got, typed)
	}
	if v, _ := d.Find(fmt.Sprintf("%s [name=%q]", scope, field)).First().Attr("aria-invalid"); v != "true" {
		t.Errorf("%s %q: the field is not marked invalid", field, typed)
	}
}

// Past 500 customers the order form takes the customer's number: a real
// one places the order for that customer, a wrong one is refused at the
// field with nothing written. An account manager keeps the select of their
// own customers, and another's number is not theirs.
func TestOrderFormPastFiveHundredCustomers(t *testing.T) {
	t.Parallel()
	a, admin, customer := pastFiveHundred(t, users.RoleAdmin, "/orders/new", "company_id", "company_id", "Customer number")
	_, body := admin.get(fmt.Sprintf("/orders/new?customer=%d", customer))
	if v := typedValue(doc(t, body), "main", "company_id"); v != fmt.Sprint(customer) {
		t.Errorf("the new order for customer %d shows %q", customer, v)
	}

	order := func(number string) url.Values {
		return form("company_id", number, "po_reference", "PICK-"+number, "sku_0", "KR-F3090", "qty_0", "1", "address", "visiting",
			"shipping_method", "UPS", "shipping", "0", "action", "draft")
	}
	count := "SELECT count(*) FROM orders"
	before := a.count(t, count)
	for typed, msg := range map[string]string{"999999": "There is no customer with number 999999.", "Jansen": "A customer number has digits only"} {
		resp, body := admin.post("/orders", order(typed))
		wantRefusedAt(t, resp, body, "main", "company_id", typed, msg)
		if got := typedValue(doc(t, body), "main", "po_reference"); got != "PICK-"+typed {
			t.Errorf("%s: the PO reference typed is lost: %q", typed, got)
		}
	}
	if a.count(t, count) != before {
		t.Fatal("a refused order was written")
	}
	resp, _ := admin.post("/orders", order(fmt.Sprint(customer)))
	wantStatus(t, resp, http.StatusFound)
	var owner int64
	if err := a.db.NewRaw("SELECT company_id FROM orders WHERE po_reference = ?", fmt.Sprintf("PICK-%d", customer)).Scan(context.Background(), &owner); err != nil || owner != customer {
		t.Fatalf("the order is of customer %d (%v), want %d", owner, err, customer)
	}

	am := a.as(users.RoleAccountManager)
	own := a.count(t, fmt.Sprintf("SELECT count(*) FROM companies c JOIN users u ON u.id = c.account_manager_id WHERE u.email = '%s'", loginOf(users.RoleAccountManager).Email))
	_, body = am.get("/orders/new")
	if n := doc(t, body).Find("select#company_id option").Length(); n != own+1 {
		t.Errorf("the account manager's select has %d choices, want their %d customers and the empty one", n, own)
	}
	stranger := a.companyID(t, "Scale customer 001")
	resp, body = am.post("/orders", order(fmt.Sprint(stranger)))
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if msg := fieldMessage(doc(t, body), "main", "company_id"); msg != fmt.Sprintf("None of your customers has number %d.", stranger) {
		t.Errorf("another's customer: %q at the field", msg)
	}
}

// Past 500 customers the payments page filters and registers by the
// customer's number.
func TestPaymentFormPastFiveHundredCustomers(t *testing.T) {
	t.Parallel()
	a, fin, customer := pastFiveHundred(t, users.RoleFinance, "/payments", "customer", "customer", "Customer number")
	payment := func(number string) url.Values {
		return form("customer", number, "amount", "12,34", "received_on", "2026-11-24", "reference", "PICK "+number)
	}
	count := "SELECT count(*) FROM payments"
	before := a.count(t, count)
	resp, body := fin.post("/payments", payment("999999"))
	wantRefusedAt(t, resp, body, "form[method=post]", "customer", "999999", "There is no customer with number 999999.")
	if got := typedValue(doc(t, body), "main", "amount"); got != "12,34" {
		t.Errorf("the amount typed is lost: %q", got)
	}
	if a.count(t, count) != before {
		t.Fatal("a refused payment was booked")
	}
	resp, _ = fin.post("/payments", payment(fmt.Sprint(customer)))
	wantStatus(t, resp, http.StatusFound)
	if n := a.count(t, fmt.Sprintf("SELECT count(*) FROM payments WHERE company_id = %d AND amount_cents = 1234", customer)); n != 1 {
		t.Errorf("%d payments of 12.34 booked for customer %d, want 1", n, customer)
	}
	_, body = fin.get(fmt.Sprintf("/payments?customer=%d", customer))
	d := doc(t, body)
	if rows := squeeze(d.Find("table.payments tbody")); !strings.Contains(rows, fmt.Sprintf("PICK %d", customer)) {
		t.Errorf("filtered by the number: %q", rows)
	}
	if v := d.Find(`input#filter-customer[name="customer"][inputmode="numeric"]`).AttrOr("value", ""); v != fmt.Sprint(customer) {
		t.Errorf("the list's filter is no number field showing the number: %q", v)
	}
}

// Past 500 customers customer service records a complaint by the
// customer's number.
func TestComplaintFormPastFiveHundredCustomers(t *testing.T) {
	t.Parallel()
	a, svc, customer := pastFiveHundred(t, users.RoleCustomerService, "/complaints/new", "customer", "customer", "Customer number")

	// A wrong number: refused at the field, the photo sent kept for the next try.
	count := "SELECT count(*) FROM complaints"
	before := a.count(t, count)
	fields := badComplaintForm("customer", "999999")
	resp, body := svc.postFiles("/complaints", fields, []testFile{{"documents", "dent.png", pngDoc}})
	wantRefusedAt(t, resp, body, "main", "customer", "999999", "There is no customer with number 999999.")
	d := doc(t, body)
	if got := typedValue(d, "main", "contact_name"); got != "Joris Jansen" {
		t.Errorf("the contact typed is lost: %q", got)
	}
	if kept := squeeze(d.Find("p.kept")); !strings.Contains(kept, "Kept: dent.png") {
		t.Errorf("the form keeps %q, not the photo", kept)
	}
	if a.count(t, count) != before {
		t.Fatal("a refused complaint was recorded")
	}
	fields.Set("customer", fmt.Sprint(customer))
	fields.Set("stash", d.Find("input[name=stash]").AttrOr("value", ""))
	resp, _ = svc.postFiles("/complaints", fields, nil)
	wantStatus(t, resp, http.StatusFound)
	if n := a.count(t, fmt.Sprintf(`SELECT count(*) FROM complaints c WHERE company_id = %d AND description = 'The delivery was late.'
		AND EXISTS (SELECT 1 FROM complaint_documents d WHERE d.complaint_id = c.id)`, customer)); n != 1 {
		t.Errorf("%d complaints with the photo recorded for customer %d, want 1", n, customer)
	}
}

// Past 500 customers the return form shows the shipped lines of the
// customer whose number is typed, and files the return for it.
func TestReturnFormPastFiveHundredCustomers(t *testing.T) {
	t.Parallel()
	a, admin, customer := pastFiveHundred(t, users.RoleAdmin, "/returns/new", "customer", "customer", "Customer number")
	order := a.shippedOrder(t, "PICK-RET", orders.LineInput{SKU: "KR-F3090", Quantity: 1})

	resp, body := admin.get("/returns/new?customer=999999")
	wantRefusedAt(t, resp, body, "main", "customer", "999999", "There is no customer with number 999999.")
	if doc(t, body).Find("input[name=line]").Length() != 0 {
		t.Error("a wrong number shows shipped lines")
	}
	resp, body = admin.get(fmt.Sprintf("/returns/new?customer=%d", customer))
	wantStatus(t, resp, http.StatusOK)
	line := a.returnLine(t, order, "KR-F3090")
	if doc(t, body).Find(fmt.Sprintf("input[name=line][value=%q]", line)).Length() != 1 {
		t.Fatalf("customer %d's shipped line %s is not offered\n%.600s", customer, line, squeeze(doc(t, body).Find("main")))
	}
	if v := typedValue(doc(t, body), "main", "customer"); v != fmt.Sprint(customer) {
		t.Errorf("the field shows %q, not the number typed", v)
	}
	count := "SELECT count(*) FROM returns"
	before := a.count(t, count)
	resp, body = admin.post("/returns", a.returnForm(t, order, "KR-F3090", "customer", "999999"))
	wantRefusedAt(t, resp, body, "main", "customer", "999999", "There is no customer with number 999999.")
	if a.count(t, count) != before {
		t.Fatal("a refused return was filed")
	}
	page := fileReturn(t, admin, a.returnForm(t, order, "KR-F3090"))
	if n := a.count(t, fmt.Sprintf("SELECT count(*) FROM returns WHERE id = %d AND company_id = %d", returnID(t, page), customer)); n != 1 {
		t.Errorf("the return %s is not of customer %d", page, customer)
	}
}

// Past 500 customers the bank's match forms suggest no names: the field
// takes the number, which books the credit for that customer.
func TestBankMatchPastFiveHundredCustomers(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	entry := openBankEntry(t, a)
	manyCustomers(t, a)
	customer := a.companyID(t, "Bakkerij Jansen B.V.")
	fin := a.as(users.RoleFinance)
	resp, body := fin.get("/bank")
	wantStatus(t, resp, http.StatusOK)
	d := doc(t, body)
	field := fmt.Sprintf("customer-%d", entry)
	if d.Find("datalist option").Length() != 0 || d.Find("#"+field).AttrOr("list", "") != "" {
		t.Errorf("the match form still suggests %d names", d.Find("datalist option").Length())
	}
	if hint := squeeze(d.Find("#" + field + "-hint")); !strings.Contains(hint, "on the customer's page, in the search and on its invoices") {
		t.Errorf("the match form's hint: %q", hint)
	}
	if d.Find("#"+field).AttrOr("aria-describedby", "") != field+"-hint" {
		t.Error("the field does not point to its hint")
	}

	scope := fmt.Sprintf("#entry-%d", entry)
	match := fmt.Sprintf("/bank/entries/%d/match", entry)
	resp, body = fin.post(match, form("customer", "999999"))
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if msg := fieldMessage(doc(t, body), scope, "customer"); !strings.Contains(msg, "There is no customer 999999.") || typedValue(doc(t, body), scope, "customer") != "999999" {
		t.Errorf("a wrong number: %q at the field", msg)
	}
	resp, _ = fin.post(match, form("customer", fmt.Sprint(customer)))
	wantStatus(t, resp, http.StatusFound)
	if n := a.count(t, fmt.Sprintf("SELECT count(*) FROM bank_entries e JOIN payments p ON p.id = e.payment_id WHERE e.id = %d AND p.company_id = %d", entry, customer)); n != 1 {
		t.Errorf("the credit is not booked for customer %d", customer)
	}
}

// Past 500 customers the user forms take a customer user's company by its
// number.
func TestUserFormsPastFiveHundredCustomers(t *testing.T) {
	t.Parallel()
	a, admin, customer := pastFiveHundred(t, users.RoleAdmin, "/admin/users/new", "company_id", "company_id", "Customer number (customer users only)")

	user := func(number string) url.Values {
		return form("email", "pick@bakkerij-jansen.test", "name", "Piet Pick", "role", "customer", "company_id", number, "password", "long enough password")
	}
	count := "SELECT count(*) FROM users"
	before := a.count(t, count)
	resp, body := admin.post("/admin/users", user("999999"))
	wantRefusedAt(t, resp, body, "main", "company_id", "999999", "There is no customer with number 999999.")
	if got := typedValue(doc(t, body), "main", "name"); got != "Piet Pick" {
		t.Errorf("the name typed is lost: %q", got)
	}
	if a.count(t, count) != before {
		t.Fatal("a refused user was created")
	}
	resp, _ = admin.post("/admin/users", user(fmt.Sprint(customer)))
	wantStatus(t, resp, http.StatusFound)
	page := resp.Header.Get("Location")
	if n := a.count(t, fmt.Sprintf("SELECT count(*) FROM users WHERE email = 'pick@bakkerij-jansen.test' AND company_id = %d", customer)); n != 1 {
		t.Fatalf("the user is not of customer %d", customer)
	}
	_, body = admin.get(page)
	if v := typedValue(doc(t, body), "main", "company_id"); v != fmt.Sprint(customer) {
		t.Errorf("the user's page shows company %q, want %d", v, customer)
	}
	resp, body = admin.post(page, form("name", "Piet Pick", "role", "customer", "company_id", "12x"))
	wantRefusedAt(t, resp, body, "main", "company_id", "12x", "A customer number has digits only")
	if n := a.count(t, fmt.Sprintf("SELECT count(*) FROM users WHERE email = 'pick@bakkerij-jansen.test' AND company_id = %d", customer)); n != 1 {
		t.Error("a refused change moved the user")
	}
}

// With the demo's few customers every form keeps its select of their
// names, the customer chosen where the page says so.
func TestFormsKeepTheirSelectWithFewCustomers(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	entry := openBankEntry(t, a)
	customer := a.companyID(t, "Bakkerij Jansen B.V.")
	all := a.count(t, "SELECT count(*) FROM companies")
	for _, c := range []struct {
		role           users.Role
		path, selector string
	}{
		{users.RoleAdmin, fmt.Sprintf("/orders/new?customer=%d", customer), "select#company_id[name=company_id]"},
		{users.RoleFinance, fmt.Sprintf("/payments?customer=%d", customer), "select#customer[name=customer]"},
		{users.RoleFinance, fmt.Sprintf("/payments?customer=%d", customer), "select#filter-customer[name=customer]"},
		{users.RoleCustomerService, fmt.Sprintf("/complaints/new?customer=%d", customer), "select#customer[name=customer]"},
		{users.RoleAdmin, fmt.Sprintf("/returns/new?customer=%d", customer), "select#customer[name=customer]"},
		{users.RoleAdmin, "/admin/users/new", "select#company_id[name=company_id]"},
		{users.RoleFinance, "/bank", "datalist#bank-customers"},
	} {
		resp, body := a.as(c.role).get(c.path)
		wantStatus(t, resp, http.StatusOK)
		d := doc(t, body)
		choices, want := d.Find(c.selector+" option"), all+1 // and the empty choice
		if strings.HasPrefix(c.selector, "datalist") {
			want = all
		}
		named := choices.FilterFunction(func(_ int, o *goquery.Selection) bool {
			return strings.HasSuffix(o.AttrOr("value", "")+o.Text(), "Bakkerij Jansen B.V.")
		})
		if choices.Length() != want || named.Length() != 1 {
			t.Errorf("%s %s: %d choices in %s, want %d with Bakkerij Jansen B.V.", c.role, c.path, choices.Length(), c.selector, want)
		}
		if d.Find(`input[inputmode="numeric"][name=customer], input[inputmode="numeric"][name=company_id]`).Length() != 0 {
			t.Errorf("%s %s: a number field with %d customers", c.role, c.path, all)
		}
		if strings.Contains(c.path, "customer=") {
			if v, _ := d.Find(c.selector + " option[selected]").Attr("value"); v != fmt.Sprint(customer) {
				t.Errorf("%s %s: %q chosen, want %d", c.role, c.path, v, customer)
			}
		}
	}
	if d := doc(t, mustGet(t, a.as(users.RoleFinance), "/bank")); d.Find(fmt.Sprintf("#customer-%d[list=bank-customers]", entry)).Length() != 1 {
		t.Error("the bank's match field does not suggest the names")
	}
}

// pickBadCases are the forms' customer fields in the bad input table
// (badinput_test.go), with the demo's few customers: a select, whose value
// is the customer's number all the same.
var pickBadCases = []badCase{
	{name: "order: unknown customer number", role: users.RoleAccountManager, path: path("/orders"), form: orderForm("company_id", "999999"), field: "company_id",
		want: "None of your customers has number 999999.", watch: orderTables},
	{name: "order: customer number in words", role: users.RoleAdmin, path: path("/orders"), form: orderForm("company_id", "Jansen"), field: "company_id",
		want: "A customer number has digits only", watch: orderTables},
	{name: "payment: unknown customer number", role: users.RoleFinance, path: path("/payments"),
		form: form("customer", "999999", "amount", "10,00", "received_on", "2026-11-24", "reference", "Pick"), field: "customer", scope: "form[method=post]",
		want: "There is no customer with number 999999.", watch: []string{"payments", "SELECT sum(paid_cents)::text FROM invoices"}},
	{name: "complaint: unknown customer number", role: users.RoleCustomerService, path: path("/complaints"), form: badComplaintForm("customer", "999999"), field: "customer",
		want: "There is no customer with number 999999.", watch: complaintTables},
	{name: "return: unknown customer number", role: users.RoleAccountManager, path: path("/returns"), form: badReturnForm("customer", "999999"), field: "customer",
		want: "None of your customers has number 999999.", watch: returnTables},
	{name: "new user: unknown company number", role: users.RoleAdmin, path: path("/admin/users"),
		form: form("email", "n@w.test", "name", "Nieuw", "role", "customer", "company_id", "999999", "password", "long enough pw"), field: "company_id",
		want: "There is no customer with number 999999.", watch: []string{"users"}},
	{name: "new user: staff with a company number of 0", role: users.RoleAdmin, path: path("/admin/users"),
		form: form("email", "n@w.test", "name", "Nieuw", "role", "sales", "company_id", "0", "password", "long enough pw"), field: "company_id",
		want: "There is no customer with number 0.", watch: []string{"users"}},
}

// Past 500 customers the form pages read no customer's name: they count
// the customers up to 501 (a query with that limit) and show the number
// field; no query of the companies reads them all.
func TestFormsReadNoNamesPastFiveHundred(t *testing.T) {
	t.Parallel()
	log := &queryLog{}
	a := newAppOn(t, pgtest.New(t).WithQueryHook(log))
	openBankEntry(t, a)
	manyCustomers(t, a)
	for _, c := range []struct {
		role users.Role
		path string
	}{
		{users.RoleAdmin, "/orders/new"}, {users.RoleFinance, "/payments"}, {users.RoleCustomerService, "/complaints/new"},
		{users.RoleAdmin, "/returns/new"}, {users.RoleFinance, "/bank"}, {users.RoleAdmin, "/admin/users/new"},
	} {
		client := a.as(c.role)
		log.take()
		resp, _ := client.get(c.path)
		wantStatus(t, resp, http.StatusOK)
		names, counts := 0, 0
		for _, q := range log.take() {
			if !strings.Contains(q, `FROM "companies"`) && !strings.Contains(q, "FROM companies") {
				continue
			}
			switch {
			case strings.Contains(q, `"co"."name"`):
				names++
			case strings.Contains(q, "count(*)") && strings.Contains(q, "LIMIT 501"):
				counts++
			case !strings.Contains(q, "LIMIT") && !strings.Contains(q, "WHERE"):
				t.Errorf("%s reads every customer: %s", c.path, q)
			}
		}
		if names != 0 || counts != 1 {
			t.Errorf("%s read the customers' names %d times and counted them %d times, want 0 and once", c.path, names, counts)
		}
	}
}

// The customer's number, which the forms take past 500 customers, is in
// the search's hits and in the customer list.
func TestTheCustomerNumberIsInTheSearchAndTheList(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	customer := a.companyID(t, "Bakkerij Jansen B.V.")
	sales := a.as(users.RoleSales)
	want := "Bakkerij Jansen B.V. | 30123456 |"
	for _, path := range []string{"/search?q=jansen", "/customers?q=jansen"} {
		_, body := sales.get(path)
		d := doc(t, body)
		head := rows(d.Find("main table thead").Last())
		row := rows(d.Find("main table tbody tr:has(a[href='/customers/" + fmt.Sprint(customer) + "'])"))
		if len(head) != 1 || !strings.HasSuffix(head[0], "| Customer number") || len(row) != 1 || !strings.HasPrefix(row[0], want) ||
			!strings.HasSuffix(row[0], fmt.Sprintf("| %d", customer)) {
			t.Errorf("%s: the customer's row %q under %q, want its number %d last", path, row, head, customer)
		}
	}
}
