package e2e_test

import (
	"fmt"
	"testing"

	"wholesale/internal/users"
)

// journeyCustomerConfirms: the customer's buyer logs in on a phone, finds
// the order awaiting confirmation in "Our orders", reads its lines and
// total and confirms it; the order shows as confirmed in the portal, and
// the account manager's order page says the customer confirmed it there.
func journeyCustomerConfirms(t *testing.T, b *browser) {
	a := startApp(t)
	o := a.demoOrder(t, "BJ-2026-118")

	p := b.newPhone(t, a)
	p.login(users.RoleCustomer)
	p.follow("Our orders")
	p.wantHeading("Our orders")
	row := p.row("PO reference", "BJ-2026-118")
	if !containsText(row[2], "awaiting confirmation") || row[3] != "€1,245.03" {
		p.errorf("the order's row shows %q, want it awaiting confirmation at €1,245.03", row)
	}
	p.follow(fmt.Sprint(o.ID))
	p.wantHeading(fmt.Sprintf("Order %d · PO BJ-2026-118", o.ID))
	p.see("Status: awaiting confirmation", "Espresso machine Arabica", "Hot air fryer Easy Fry", "Total incl. VAT €1,245.03")
	p.screenshot("customer-order-on-a-phone")
	p.press(fmt.Sprintf("Confirm order %d", o.ID), 200)
	p.wantFlash("Thank you: the order is confirmed.")
	p.see("Confirmed", "by the customer in the portal")
	if p.text("main form") != "" {
		p.errorf("the confirmation form is still offered after confirming")
	}

	am := b.newTab(t, a)
	am.login(users.RoleAccountManager)
	am.open(fmt.Sprintf("/orders/%d", o.ID))
	am.see("by the customer in the portal")
}
