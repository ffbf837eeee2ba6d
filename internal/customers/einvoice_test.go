package customers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/customers"
)

func TestEInvoiceProfileFor(t *testing.T) {
	for _, c := range []struct{ country, chosen, want string }{
		{"NL", "", customers.ProfileNLCIUS}, {"DE", "", customers.ProfilePeppol}, {"RU", "", customers.ProfilePeppol},
		{"NL", customers.ProfilePeppol, customers.ProfilePeppol}, {"BE", customers.ProfileNLCIUS, customers.ProfileNLCIUS},
		{"", "", customers.ProfileNLCIUS}, {"NL", "bogus", customers.ProfileNLCIUS},
	} {
		if got := customers.EInvoiceProfileFor(c.country, c.chosen); got != c.want {
			t.Errorf("EInvoiceProfileFor(%q, %q) = %s, want %s", c.country, c.chosen, got, c.want)
		}
	}
}

// Every field of the e-invoice settings is bounded, with its message at
// the field.
func TestEInvoiceInputValidate(t *testing.T) {
	for _, c := range []struct {
		in    customers.EInvoiceInput
		field string
	}{
		{customers.EInvoiceInput{Profile: "xrechnung"}, "einvoice_profile"},
		{customers.EInvoiceInput{PeppolID: "12345678"}, "peppol_id"},
		{customers.EInvoiceInput{PeppolID: "0106:"}, "peppol_id"},
		{customers.EInvoiceInput{PeppolID: "1234:5678"}, "peppol_id"}, // not an EAS scheme
		{customers.EInvoiceInput{PeppolID: "0106:12 34"}, "peppol_id"},
		{customers.EInvoiceInput{PeppolID: "0106:" + strings.Repeat("1", 56)}, "peppol_id"},
		{customers.EInvoiceInput{PeppolID: "0106:1\x00"}, "peppol_id"},
		{customers.EInvoiceInput{BuyerReference: strings.Repeat("x", 101)}, "buyer_reference"},
		{customers.EInvoiceInput{BuyerReference: "a\x07b"}, "buyer_reference"},
		{customers.EInvoiceInput{BuyerReference: "\xff"}, "buyer_reference"},
	} {
		if got := fields(c.in.Validate()); got[c.field] == "" {
			t.Errorf("%+v: no message at %s (%v)", c.in, c.field, got)
		}
	}
	for _, ok := range []customers.EInvoiceInput{
		{}, {Profile: customers.ProfilePeppol, PeppolID: " 0106:12345678 ", BuyerReference: "AFD-INKOOP 7", UBLInMail: true},
		{PeppolID: "9944:NL123456789B01"}, {PeppolID: "EM:ap@example.com"}, {Profile: customers.ProfileNLCIUS},
	} {
		if err := ok.Validate(); err != nil {
			t.Errorf("%+v: %v", ok, err)
		}
	}
}

// TestSalesSetACustomersEInvoices: sales and admins set the profile, the
// Peppol id, the buyer reference and the mail attachment, in the audit
// trail; an account manager may not; bad input writes nothing.
func TestSalesSetACustomersEInvoices(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a := e.apply(validInput())
	e.passAll(a)
	c, err := e.svc.Approve(ctx, e.sales, a.ID, approveInput(e))
	if err != nil {
		t.Fatal(err)
	}
	in := customers.EInvoiceInput{Profile: customers.ProfilePeppol, PeppolID: "0106:87654321", BuyerReference: "Kostenplaats 12", UBLInMail: true}
	if err := e.svc.SetEInvoice(ctx, e.am, c.ID, in); apperr.KindOf(err) != apperr.Forbidden {
		t.Fatalf("an account manager set it: %v", err)
	}
	if err := e.svc.SetEInvoice(ctx, e.sales, 999999, in); apperr.KindOf(err) != apperr.NotFound {
		t.Fatalf("an unknown customer: %v", err)
	}
	bad := in
	bad.PeppolID = "KvK 87654321"
	before := e.written()
	if err := e.svc.SetEInvoice(ctx, e.sales, c.ID, bad); fields(err)["peppol_id"] == "" {
		t.Fatalf("a bad Peppol id: %v", err)
	}
	e.wantNothingWritten(t, before, "a bad Peppol id")
	if err := e.svc.SetEInvoice(ctx, e.sales, c.ID, in); err != nil {
		t.Fatal(err)
	}
	got, _ := customers.ByID(ctx, e.db, c.ID)
	if got.EInvoiceProfile != in.Profile || got.PeppolID != in.PeppolID || got.BuyerReference != in.BuyerReference || !got.UBLInMail {
		t.Fatalf("stored %q %q %q %v", got.EInvoiceProfile, got.PeppolID, got.BuyerReference, got.UBLInMail)
	}
	entries, _ := audit.List(ctx, e.db, audit.Filter{Entity: "company", EntityID: fmt.Sprint(c.ID)})
	if len(entries) == 0 || entries[0].Action != "einvoice" || !strings.Contains(string(entries[0].After), "0106:87654321") {
		t.Fatalf("audit: %+v", entries)
	}
	if err := e.svc.SetEInvoice(ctx, e.admin, c.ID, customers.EInvoiceInput{}); err != nil {
		t.Fatal(err)
	}
	if got, _ := customers.ByID(ctx, e.db, c.ID); got.EInvoiceProfile != "" || got.PeppolID != "" || got.UBLInMail {
		t.Fatalf("an admin did not set it back: %+v", got)
	}
}
