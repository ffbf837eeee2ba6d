package orders_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"wholesale/internal/customers"
	"wholesale/internal/orders"
)

// The mails about an order go in the language of the customer company
// (companies.language): Jansen reads Dutch, a Belgian customer that chose
// English reads English; subject, body and amounts alike. A Dutch amount
// keeps its euro sign with a no-break space, so no line wraps between them.
func TestOrderMailsAreInTheCompanysLanguage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 1_000_000)
	ctx := context.Background()
	addr := customers.Address{Street: "Meir 1", Postcode: "2000", City: "Antwerpen", Country: "BE"}
	english := &customers.Company{Name: "Antwerp Coffee", Visiting: addr, Invoice: addr, ContactName: "Emma", ContactEmail: "emma@antwerp.test",
		PaymentTerms: customers.TermsCredit, CreditLimitCents: 1_000_000, AccountManagerID: &e.am.ID, Language: "en"}
	if err := customers.Insert(ctx, e.db, e.clk.Now(), english); err != nil {
		t.Fatal(err)
	}
	type mail struct{ Subject, Body string }
	mailsTo := func(to string) []mail {
		var out []mail
		if err := e.db.NewSelect().Table("outbox").Column("subject", "body").Where("to_address = ?", to).OrderExpr("id").Scan(ctx, &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	for _, tc := range []struct {
		company   *customers.Company
		po        string
		subjects  []string // of the order's mail and of its amendment's, with %d for the order's number
		sentences []string
		not       []string
	}{
		{e.company, "PO-NL", []string{"Order %d (PO PO-NL)", "Order %d (PO PO-NL) gewijzigd: revisie 2, graag uw bevestiging"},
			[]string{"Beste Joris,", "Wij hebben uw order %d (uw referentie PO-NL) ingevoerd:", "1 × A Kettle à €\u00a0100,00",
				"Wilt u de order bevestigen in het klantportaal (http://w.test/portal/orders/%d)", "Totaal incl. btw: €\u00a0136,13"},
			[]string{"Dear", "Please confirm", "€100.00", "€ 100,00"}},
		{english, "PO-EN", []string{"Order %d (PO PO-EN)", "Order %d (PO PO-EN) changed: revision 2, please confirm"},
			[]string{"Dear Emma,", "We have entered your order %d (your reference PO-EN):", "1 × A Kettle at €100.00",
				"Please confirm the order in the customer portal (http://w.test/portal/orders/%d)", "Total incl. VAT: €136.13"},
			[]string{"Beste", "Wilt u", "€ 100,00"}},
	} {
		in := e.input(tc.po, line("A", 1))
		in.CompanyID = tc.company.ID
		o := e.placed(in)
		if _, err := e.svc.Amend(ctx, e.am, o.ID, orders.AmendInput{Lines: []orders.LineInput{{ID: o.Lines[0].ID, Quantity: 2}}}); err != nil {
			t.Fatal(err)
		}
		mails := mailsTo(tc.company.ContactEmail)
		if len(mails) != 2 {
			t.Fatalf("%s: %d mails, want the order's and the amendment's", tc.po, len(mails))
		}
		for i, want := range tc.subjects {
			if want := fmt.Sprintf(want, o.ID); mails[i].Subject != want {
				t.Errorf("%s: subject %q, want %q", tc.po, mails[i].Subject, want)
			}
		}
		placed := mails[0].Body
		for _, want := range tc.sentences {
			if want := strings.ReplaceAll(want, "%d", fmt.Sprint(o.ID)); !strings.Contains(placed, want) {
				t.Errorf("%s: the mail lacks %q:\n%s", tc.po, want, placed)
			}
		}
		for _, other := range tc.not {
			if strings.Contains(placed, other) {
				t.Errorf("%s: the mail holds %q: another language, or an amount that can break:\n%s", tc.po, other, placed)
			}
		}
	}
}
