package customers_test

import (
	"context"
	"strings"
	"testing"

	"wholesale/internal/apperr"
	"wholesale/internal/customers"
)

// hostile are the bad values every text field is tried with: each must be
// refused with a message at that field, before anything is written.
var hostile = map[string]string{
	"NUL":            "Jansen\x00",
	"escape":         "Jansen\x1b[2J",
	"line break":     "Jansen\r\nBcc: x@y.nl",
	"invalid UTF-8":  "Jansen\xff\xfe",
	"201 characters": strings.Repeat("é", 201),
	"10 MB":          strings.Repeat("x", 10<<20),
}

// applicationField gives access to each text field of the form by its name.
func applicationField(in *customers.ApplicationInput, field string) *string {
	return map[string]*string{
		"company_name": &in.CompanyName, "kvk": &in.KvK, "vat_id": &in.VATID,
		"visiting_street": &in.Visiting.Street, "visiting_postcode": &in.Visiting.Postcode, "visiting_city": &in.Visiting.City, "visiting_country": &in.Visiting.Country,
		"invoice_street": &in.Invoice.Street, "invoice_postcode": &in.Invoice.Postcode, "invoice_city": &in.Invoice.City, "invoice_country": &in.Invoice.Country,
		"contact_name": &in.ContactName, "contact_email": &in.ContactEmail, "contact_phone": &in.ContactPhone,
		"iban": &in.IBAN, "account_holder": &in.AccountHolder,
	}[field]
}

var applicationFields = []string{"company_name", "kvk", "vat_id", "visiting_street", "visiting_postcode", "visiting_city", "visiting_country",
	"invoice_street", "invoice_postcode", "invoice_city", "invoice_country", "contact_name", "contact_email", "contact_phone", "iban", "account_holder"}

// withInvoiceAddress is the valid form with a separate invoice address.
func withInvoiceAddress() customers.ApplicationInput {
	in := validInput()
	in.InvoiceSameAsVisit = false
	in.Invoice = customers.Address{Street: "Postbus 12", Postcode: "1234 AB", City: "Utrecht", Country: "NL"}
	return in
}

// written counts the rows an application would write. The stash of good
// files of a failed form is left out: keeping them is the form's purpose.
func (e *env) written() map[string]int {
	out := map[string]int{}
	for _, t := range []string{"applications", "documents", "blobs", "outbox", "audit_log", "companies", "users", "change_requests", "application_checks"} {
		out[t] = e.count(t)
	}
	return out
}

func (e *env) wantNothingWritten(t *testing.T, before map[string]int, what string) {
	t.Helper()
	for table, n := range e.written() {
		if n != before[table] {
			t.Errorf("%s: %s has %d rows, was %d", what, table, n, before[table])
		}
	}
}

func TestApplicationRefusesHostileValuesAtTheirField(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	before := e.written()
	for _, field := range applicationFields {
		for name, v := range hostile {
			in := withInvoiceAddress()
			*applicationField(&in, field) = v
			_, err := e.svc.Apply(context.Background(), in, "", nil)
			if apperr.KindOf(err) != apperr.Invalid || fields(err)[field] == "" {
				t.Errorf("%s with %s: %v", field, name, err)
			}
			if f := fields(err); len(f) != 1 {
				t.Errorf("%s with %s: messages at other fields too: %v", field, name, f)
			}
		}
	}
	// Bad bytes survive the case mapping to be refused, not turned into U+FFFD and stored.
	in := withInvoiceAddress()
	in.Visiting.Country, in.Visiting.Postcode = "DE", "12345\xff"
	if _, err := e.svc.Apply(context.Background(), in, "", nil); !strings.Contains(fields(err)["visiting_postcode"], "UTF-8") {
		t.Errorf("a German postcode with a bad byte: %v", err)
	}
	e.wantNothingWritten(t, before, "refused applications")
	// The messages say what is wrong.
	in = withInvoiceAddress()
	in.CompanyName = strings.Repeat("a", 201)
	in.ContactEmail = strings.Repeat("a", 3000) + "@x.nl"
	in.InvoiceSameAsVisit, in.Invoice.City = false, "Utrecht\x00"
	_, err := e.svc.Apply(context.Background(), in, "", nil)
	for field, want := range map[string]string{
		"company_name":  "Use at most 200 characters (this has 201).",
		"contact_email": "An e-mail address has at most 254 characters (this has 3,005).",
		"invoice_city":  "This text contains a NUL character, which is not allowed: please remove it.",
	} {
		if got := fields(err)[field]; got != want {
			t.Errorf("%s: %q, want %q", field, got, want)
		}
	}
	// At the limits the form is accepted.
	in = withInvoiceAddress()
	in.CompanyName, in.ContactName, in.AccountHolder = strings.Repeat("é", 200), strings.Repeat("Ö", 200), strings.Repeat("ß", 200)
	in.Visiting.Country, in.Visiting.Postcode = "DE", "D-12345 ABCD" // 12 characters
	in.ContactEmail = strings.Repeat("a", 64) + "@" + strings.Repeat("b", 186) + ".de"
	if _, err := e.svc.Apply(context.Background(), in, "", nil); err != nil {
		t.Fatalf("the longest valid form: %v", err)
	}
}

func TestChangeRequestRefusesHostileValuesAtTheirField(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c, _ := e.customerWithUser("Jansen Groothandel")
	good := map[string]map[string]string{
		customers.ChangeAddresses: {"visiting_street": "Kade 2", "visiting_postcode": "1000 AA", "visiting_city": "Amsterdam", "visiting_country": "NL",
			"invoice_street": "Kade 2", "invoice_postcode": "1000 AA", "invoice_city": "Amsterdam", "invoice_country": "NL"},
		customers.ChangeContact:      {"contact_name": "Piet Jansen", "contact_email": "piet@jansen.nl", "contact_phone": "+31 20 123 4567"},
		customers.ChangeBank:         {"iban": "NL20 INGB 0001 2345 67", "account_holder": "Jansen Groothandel"},
		customers.ChangeInvoiceEmail: {"invoice_email": "factuur2@jansen.nl"},
	}
	before := e.written()
	for kind, values := range good {
		for _, field := range append(customers.ChangeFields[kind], "note") {
			for name, v := range hostile {
				in := customers.ChangeInput{Kind: kind, Values: map[string]string{}}
				for k, x := range values {
					in.Values[k] = x
				}
				if field == "note" {
					in.Note = v
				} else {
					in.Values[field] = v
				}
				_, err := e.svc.RequestChange(context.Background(), e.am, c.ID, in)
				if field == "note" && (name == "line break" || name == "201 characters") {
					if err != nil { // a note has lines and up to 2,000 characters
						t.Errorf("a note with %s refused: %v", name, err)
					}
					continue
				}
				if apperr.KindOf(err) != apperr.Invalid || fields(err)[field] == "" {
					t.Errorf("%s %s with %s: %v", kind, field, name, err)
				}
			}
		}
	}
	after := e.written()
	if after["change_requests"] != before["change_requests"]+8 { // the good notes, two per kind
		t.Errorf("%d change requests written, want 8", after["change_requests"]-before["change_requests"])
	}
	if _, err := e.svc.RequestChange(context.Background(), e.am, c.ID, customers.ChangeInput{Kind: "bank\x00"}); fields(err)["kind"] == "" {
		t.Errorf("unknown kind: %v", err)
	}
}

func TestApproveBoundsCreditLimitAndPaymentTerm(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a := e.apply(validInput())
	e.passAll(a)
	before := e.written()
	for _, c := range []struct{ limit, days, field, want string }{
		{"12.50,0", "30", "credit_limit", "at most 2 decimals"},
		{"1,250", "30", "credit_limit", "one decimal comma"},
		{"-5", "30", "credit_limit", "without a minus sign"},
		{"0", "30", "credit_limit", "more than € 0"},
		{"", "30", "credit_limit", "Enter the credit limit"},
		{"10.000.000,01", "30", "credit_limit", "above €10,000,000.00"},
		{"9223372036854775807", "30", "credit_limit", "above €10,000,000.00"},
		{"10\x00000", "30", "credit_limit", "Enter an amount"},
		{"10.000", "0", "payment_term_days", "1 to 365"},
		{"10.000", "366", "payment_term_days", "1 to 365"},
		{"10.000", "2147483648", "payment_term_days", "1 to 365"},
		{"10.000", "-30", "payment_term_days", "1 to 365"},
		{"10.000", "30\x00", "payment_term_days", "1 to 365"},
	} {
		in := approveInput(e)
		in.CreditLimit, in.PaymentTermDays = c.limit, c.days
		_, err := e.svc.Approve(ctx, e.sales, a.ID, in)
		if !strings.Contains(fields(err)[c.field], c.want) {
			t.Errorf("limit %q, days %q: %v; want %q at %s", c.limit, c.days, err, c.want, c.field)
		}
	}
	e.wantNothingWritten(t, before, "refused approvals")
	in := approveInput(e)
	in.CreditLimit, in.PaymentTermDays = "€ 10.000.000,00", "365"
	co, err := e.svc.Approve(ctx, e.sales, a.ID, in)
	if err != nil || co.CreditLimitCents != 1_000_000_000 || co.PaymentTermDays != 365 {
		t.Fatalf("the largest terms: %v %+v", err, co)
	}
}

func TestNotesAreBoundedBeforeAnyWrite(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a := e.apply(validInput())
	c, _ := e.customerWithUser("Jansen Groothandel")
	r, err := e.svc.RequestChange(ctx, e.am, c.ID, customers.ChangeInput{Kind: customers.ChangeInvoiceEmail, Values: map[string]string{"invoice_email": "f2@jansen.nl"}})
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("x", 2001)
	before := e.written()
	for name, try := range map[string]func(note string) error{
		"reason": func(n string) error { return e.svc.Reject(ctx, e.sales, a.ID, n) },
		"request_note": func(n string) error {
			return e.svc.RequestDocuments(ctx, a.ID, n)
		},
		"note": func(n string) error {
			return e.svc.RecordCheck(ctx, e.sales, a.ID, customers.CheckInput{Item: customers.CheckNamesConsistent, Note: n})
		},
		"decision_note": func(n string) error { return e.svc.RejectChange(ctx, e.sales, r.ID, n) },
	} {
		for what, note := range map[string]string{"2,001 characters": long, "a NUL": "fine\x00", "a bell": "ding\a", "invalid UTF-8": "\xc3\x28"} {
			if err := try(note); apperr.KindOf(err) != apperr.Invalid || fields(err)[name] == "" {
				t.Errorf("%s with %s: %v", name, what, err)
			}
		}
	}
	e.wantNothingWritten(t, before, "refused notes")
	// 2,000 characters in lines of CRLF are fine: a CRLF counts as one.
	note := strings.Repeat(strings.Repeat("y", 99)+"\r\n", 20)
	if err := e.svc.RequestDocuments(ctx, a.ID, note); err != nil {
		t.Fatalf("a note of 2,000 characters in 20 lines: %v", err)
	}
	if err := e.svc.RecordCheck(ctx, e.sales, a.ID, customers.CheckInput{Item: "vat_valid\x00", Passed: true}); fields(err)["item"] == "" {
		t.Errorf("an item with a NUL: %v", err)
	}
}
