package credit_test

import (
	"math"
	"strings"
	"testing"

	"wholesale/internal/credit"
	"wholesale/internal/i18n"
)

// TestDecide is the credit rule (DOMAIN.md "Orders"): a credit customer's
// exposure — unpaid invoices plus open orders — with the new order may reach
// the limit but not pass it; an overdue invoice holds every order; a
// prepayment customer is never held, since goods wait for the payment.
func TestDecide(t *testing.T) {
	t.Parallel()
	const limit = 1_000_000 // € 10.000,00
	for _, tc := range []struct {
		name   string
		p      credit.Position
		order  int64
		held   bool
		reason []string // parts of the reason in English, when held
	}{
		{name: "well under the limit", p: credit.Position{LimitCents: limit, OpenOrders: 200_000}, order: 100_000},
		{name: "exactly at the limit", p: credit.Position{LimitCents: limit, Receivables: 300_000, OpenOrders: 200_000}, order: 500_000},
		{name: "one cent over the limit", p: credit.Position{LimitCents: limit, Receivables: 300_000, OpenOrders: 200_000}, order: 500_001,
			held: true, reason: []string{"Exposure €5,000.00", "this order €5,000.01", "credit limit €10,000.00"}},
		{name: "unpaid invoices count", p: credit.Position{LimitCents: limit, Receivables: 900_000}, order: 100_001,
			held: true, reason: []string{"Exposure €9,000.00"}},
		{name: "open orders count", p: credit.Position{LimitCents: limit, OpenOrders: 900_000}, order: 100_001,
			held: true, reason: []string{"Exposure €9,000.00"}},
		{name: "over the limit already, small order", p: credit.Position{LimitCents: limit, OpenOrders: 1_200_000}, order: 1,
			held: true, reason: []string{"Exposure €12,000.00", "this order €0.01"}},
		{name: "the order alone passes the limit", p: credit.Position{LimitCents: limit}, order: limit + 1, held: true},
		{name: "zero limit: one cent is held", p: credit.Position{}, order: 1, held: true, reason: []string{"credit limit €0.00"}},
		{name: "zero limit, nothing ordered", p: credit.Position{}, order: 0},
		{name: "overdue invoice holds a small order", p: credit.Position{LimitCents: limit, Overdue: true}, order: 100,
			held: true, reason: []string{"past its due date"}},
		{name: "overdue says so before the limit", p: credit.Position{LimitCents: limit, OpenOrders: 2_000_000, Overdue: true}, order: 100,
			held: true, reason: []string{"past its due date"}},
		{name: "prepayment over any limit", p: credit.Position{Prepayment: true, OpenOrders: 5_000_000}, order: 9_000_000},
		{name: "prepayment with an overdue invoice", p: credit.Position{Prepayment: true, Overdue: true}, order: 100},
		{name: "big figures at the limit", p: credit.Position{LimitCents: 900_000_000_000_000, OpenOrders: 899_999_999_999_999}, order: 1},
		{name: "big figures one cent over", p: credit.Position{LimitCents: 900_000_000_000_000, OpenOrders: 899_999_999_999_999}, order: 2,
			held: true, reason: []string{"credit limit €9,000,000,000,000.00"}},
		{name: "the largest limit is not passed by the largest order", p: credit.Position{LimitCents: math.MaxInt64}, order: math.MaxInt64},
		{name: "the largest order passes any smaller limit", p: credit.Position{LimitCents: limit, OpenOrders: 1}, order: math.MaxInt64, held: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			held, msg := credit.Decide(tc.p, tc.order)
			reason := i18n.For(i18n.EN).Text(msg)
			if held != tc.held {
				t.Fatalf("held = %v (%q), want %v", held, reason, tc.held)
			}
			if !held && !msg.IsZero() {
				t.Errorf("not held, yet a reason: %q", reason)
			}
			if held && msg.IsZero() {
				t.Error("held without a reason")
			}
			for _, part := range tc.reason {
				if !strings.Contains(reason, part) {
					t.Errorf("reason %q lacks %q", reason, part)
				}
			}
		})
	}
}

// TestDecideSaysWhyInTheReadersLanguage: the reason of a hold is a message,
// in Dutch for a Dutch reader with Dutch amounts, in English for an English one.
func TestDecideSaysWhyInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	_, over := credit.Decide(credit.Position{LimitCents: 1_000_000, Receivables: 300_000, OpenOrders: 200_000}, 500_001)
	_, overdue := credit.Decide(credit.Position{LimitCents: 1_000_000, Overdue: true}, 100)
	for _, tc := range []struct {
		lang       i18n.Lang
		over, late string
	}{
		{i18n.NL, "Openstaand saldo € 5.000,00 + deze order € 5.000,01 overschrijdt de kredietlimiet van € 10.000,00.",
			"De klant heeft een factuur waarvan de vervaldatum is verstreken."},
		{i18n.EN, "Exposure €5,000.00 + this order €5,000.01 passes the credit limit €10,000.00.",
			"The customer has an invoice past its due date."},
	} {
		l := i18n.For(tc.lang)
		if got := l.Text(over); got != tc.over {
			t.Errorf("%s: over the limit %q, want %q", tc.lang, got, tc.over)
		}
		if got := l.Text(overdue); got != tc.late {
			t.Errorf("%s: overdue %q, want %q", tc.lang, got, tc.late)
		}
	}
}

// TestPositionFigures checks exposure and room, which the order form shows.
func TestPositionFigures(t *testing.T) {
	t.Parallel()
	p := credit.Position{LimitCents: 1_000_000, Receivables: 250_000, OpenOrders: 900_000}
	if got := p.ExposureCents(); got != 1_150_000 {
		t.Errorf("exposure %d, want 1150000", got)
	}
	if got := p.AvailableCents(); got != -150_000 {
		t.Errorf("available %d, want -150000", got)
	}
}
