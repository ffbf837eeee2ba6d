package customers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/customers"
	"wholesale/internal/mail"
)

// lastMail is the newest mail to the address.
func (e *env) lastMail(to string) mail.Message {
	e.t.Helper()
	msgs, err := mail.List(context.Background(), e.db, 50)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, m := range msgs {
		if m.To == to {
			return m
		}
	}
	e.t.Fatalf("no mail to %s", to)
	return mail.Message{}
}

// belgian is a valid application of a company in Belgium, sent without a
// language.
func belgian() customers.ApplicationInput {
	in := validInput()
	in.CompanyName, in.KvK, in.VATID, in.ContactEmail = "Brasserie Dupont", "87654321", "BE0403019261", "marc@dupont.be"
	in.Visiting = customers.Address{Street: "Grote Markt 1", Postcode: "1000", City: "Brussel", Country: "BE"}
	return in
}

// TestTheApplicantIsMailedInTheLanguageOfTheApplication: the receipt, a
// request for documents and a rejection go to the applicant in the
// language the application was sent in; without one, in the language of
// its visiting address.
func TestTheApplicantIsMailedInTheLanguageOfTheApplication(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	type want struct{ subject, receipt, request, reject string }
	dutch := want{"Uw aanvraag A-%d", "Wij hebben de aanvraag van Bakkerij De Vries B.V. om klant te worden ontvangen",
		"Om de aanvraag van Bakkerij De Vries B.V. (A-%d) af te ronden hebben wij het volgende nodig", "Het spijt ons: wij kunnen de aanvraag"}
	english := want{"Your application A-%d", "We received the application of Bakkerij De Vries B.V. to become a customer",
		"To finish the application of Bakkerij De Vries B.V. (A-%d) we need the following", "We are sorry: we cannot accept the application"}
	for _, tc := range []struct {
		lang, email string
		want        want
	}{{"nl", "eva@devries.nl", dutch}, {"en", "eva@devries.com", english}, {"", "eva@devries.org", dutch}} {
		in := validInput()
		in.Language, in.ContactEmail = tc.lang, tc.email
		a := e.apply(in)
		if a.Language == "" || (tc.lang != "" && a.Language != tc.lang) {
			t.Fatalf("sent in %q, stored %q", tc.lang, a.Language)
		}
		receipt := e.lastMail(tc.email)
		if receipt.Subject != fmt.Sprintf(tc.want.subject, a.ID) || !strings.Contains(receipt.Body, tc.want.receipt) {
			t.Errorf("%q: receipt %q\n%s", tc.lang, receipt.Subject, receipt.Body)
		}
		if err := e.svc.RequestDocuments(ctx, a.ID, "Het uittreksel is onleesbaar."); err != nil {
			t.Fatal(err)
		}
		request := e.lastMail(tc.email)
		if !strings.Contains(request.Body, fmt.Sprintf(tc.want.request, a.ID)) || !strings.Contains(request.Body, "?lang="+a.Language) {
			t.Errorf("%q: document request %q\n%s", tc.lang, request.Subject, request.Body)
		}
		if err := e.svc.Reject(ctx, e.sales, a.ID, "KvK-inschrijving beëindigd"); err != nil {
			t.Fatal(err)
		}
		if reject := e.lastMail(tc.email); !strings.Contains(reject.Body, tc.want.reject) || !strings.Contains(reject.Body, "KvK-inschrijving beëindigd") {
			t.Errorf("%q: rejection %q\n%s", tc.lang, reject.Subject, reject.Body)
		}
	}
	in := belgian()
	if a := e.apply(in); a.Language != "en" {
		t.Errorf("an application from Belgium without a language is in %q, want English", a.Language)
	}
	in.Language, in.KvK, in.VATID, in.ContactEmail = "de", "11223344", "BE0428759497", "x@dupont.be"
	if _, err := e.svc.Apply(ctx, in, "", nil); fields(err)["language"] != "Choose Dutch or English." {
		t.Errorf("an application in German: %v", err)
	}
}

// TestApprovalSetsTheCompanysLanguageByItsCountry: a company in the
// Netherlands gets Dutch mail, one elsewhere English, starting with the
// invitation of its contact person, who reads the portal in it too.
func TestApprovalSetsTheCompanysLanguageByItsCountry(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	for _, tc := range []struct {
		in          customers.ApplicationInput
		lang, intro string
	}{
		{validInput(), "nl", "Welkom: Bakkerij De Vries B.V. is nu klant bij ons, met een kredietlimiet van € 10.000,00 en een betalingstermijn van 30 dagen."},
		{belgian(), "en", "Welcome: Brasserie Dupont is now a customer of ours, with a credit limit of €10,000.00, invoices due in 30 days."},
	} {
		in := tc.in
		in.Language = "en" // the company's language follows its country, not the application's
		a := e.apply(in)
		e.passAll(a)
		c, err := e.svc.Approve(ctx, e.sales, a.ID, approveInput(e))
		if err != nil {
			t.Fatal(err)
		}
		if c.Language != tc.lang {
			t.Errorf("%s: language %q, want %q", c.Name, c.Language, tc.lang)
		}
		if stored, _ := customers.ByID(ctx, e.db, c.ID); stored.Language != tc.lang {
			t.Errorf("%s: stored language %q, want %q", c.Name, stored.Language, tc.lang)
		}
		if m := e.lastMail(a.ContactEmail); !strings.Contains(m.Body, tc.intro) {
			t.Errorf("%s: invitation\n%s", c.Name, m.Body)
		}
		var userLang string
		if err := e.db.NewSelect().Table("users").Column("language").Where("email = ?", a.ContactEmail).Scan(ctx, &userLang); err != nil || userLang != tc.lang {
			t.Errorf("%s: the contact person reads in %q (%v), want %q", c.Name, userLang, err, tc.lang)
		}
	}
}

// TestSalesSetTheLanguageOfACustomer: sales and admins change it, in the
// audit trail; others may not, and only Dutch or English.
func TestSalesSetTheLanguageOfACustomer(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a := e.apply(validInput())
	e.passAll(a)
	c, err := e.svc.Approve(ctx, e.sales, a.ID, approveInput(e))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SetLanguage(ctx, e.am, c.ID, "en"); apperr.KindOf(err) != apperr.Forbidden {
		t.Fatalf("an account manager set it: %v", err)
	}
	if err := e.svc.SetLanguage(ctx, e.sales, c.ID, "fr"); fields(err)["language"] == "" {
		t.Fatalf("French: %v", err)
	}
	if err := e.svc.SetLanguage(ctx, e.sales, 999999, "en"); apperr.KindOf(err) != apperr.NotFound {
		t.Fatalf("an unknown customer: %v", err)
	}
	if err := e.svc.SetLanguage(ctx, e.sales, c.ID, "en"); err != nil {
		t.Fatal(err)
	}
	if got, _ := customers.ByID(ctx, e.db, c.ID); got.Language != "en" {
		t.Fatalf("language %q after the change", got.Language)
	}
	entries, _ := audit.List(ctx, e.db, audit.Filter{Entity: "company", EntityID: fmt.Sprint(c.ID)})
	if len(entries) == 0 || entries[0].Action != "language" || !strings.Contains(string(entries[0].Before), `"nl"`) || !strings.Contains(string(entries[0].After), `"en"`) {
		t.Fatalf("audit: %+v", entries)
	}
	if err := e.svc.SetLanguage(ctx, e.admin, c.ID, "nl"); err != nil {
		t.Fatal(err)
	}
	if got, _ := customers.ByID(ctx, e.db, c.ID); got.Language != "nl" {
		t.Fatalf("an admin did not set it back: %q", got.Language)
	}
}
