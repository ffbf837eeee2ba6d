package e2e_test

import (
	"context"
	"fmt"
	"testing"

	"wholesale/internal/orders"
	"wholesale/internal/users"
)

// journeySalesVetting: sales open the demo's application A-1 from the
// queue, pass each item of its checklist (the KvK extract's date
// included), approve it with a credit limit and an account manager, and
// land on the new customer's page; then they open the order held for
// credit from "Credit holds", approve it with a note, and the list of held
// orders is empty.
func journeySalesVetting(t *testing.T, b *browser) {
	a := startApp(t)
	held := a.heldOrder(t)

	p := b.newTab(t, a)
	p.login(users.RoleSales)
	p.follow("Applications")
	p.wantHeading("Applications")
	row := p.row("Ref.", "A-1")
	if row[1] != "Koffiebranderij De Boon B.V." || row[4] != "new" {
		p.errorf("the queue's row of A-1 is %q, want Koffiebranderij De Boon B.V., new", row)
	}
	p.follow("A-1")
	p.wantHeading("Application A-1: Koffiebranderij De Boon B.V.")
	p.see("Approval needs every item passed; 8 still open.")

	for _, item := range p.texts("table.checklist tbody tr td:first-child") {
		p.within(checkRow(p, item), func() {
			if item == "KvK extract not older than 6 months (enter the date on the extract)" {
				p.setDate("date on the extract", "2026-11-01")
			}
			p.fill("note", "seen by Sam")
			p.press("Record", 200)
		})
		p.wantFlash("Check recorded.")
		p.within(checkRow(p, item), func() { p.see("passed by Sam Sales") })
	}
	if containsText(p.text("main"), "still open") {
		p.errorf("items are still open after passing them all")
	}

	p.within(`form[action$="/approve"]`, func() {
		p.fill("Limit in euros", "7.500")
		p.fill("Payment term (days)", "14")
		p.choose("Account manager", "Mila Accountmanager")
		p.press("Approve and invite inkoop@deboon.test", 200)
	})
	p.wantFlash("Koffiebranderij De Boon B.V. is a customer now; inkoop@deboon.test has been invited to set a password.")
	p.wantHeading("Koffiebranderij De Boon B.V.")
	p.see("credit limit €7,500.00, 14 days", "Mila Accountmanager (am@wholesale.test)")

	p.follow("Credit holds")
	p.wantHeading("Orders awaiting credit approval")
	row = p.row("PO", held.POReference)
	if row[1] != "Bakkerij Jansen B.V." || row[3] != "€12,081.85" {
		p.errorf("the held order's row is %q, want Bakkerij Jansen B.V. at €12,081.85", row)
	}
	p.follow(fmt.Sprint(held.ID))
	p.wantHeading(fmt.Sprintf("Order %d · PO %s", held.ID, held.POReference))
	p.see("Status: awaiting credit approval", "Held for credit approval: "+held.CreditReason)
	p.within(`form[action$="/credit/approve"]`, func() {
		p.fill("Note", "Jansen paid the overdue invoices; approved by phone with Joris.")
		p.press("Approve", 200)
	})
	p.wantFlash("Credit approved.")
	p.see("Credit decision: Jansen paid the overdue invoices; approved by phone with Joris.", "Status: awaiting confirmation")
	p.follow("Credit holds")
	if rows := p.rows("PO"); len(rows) != 1 || rows[0][0] != "No orders are held." {
		p.errorf("after the approval the held orders are %q", rows)
	}
}

// checkRow is a selector for the checklist's row of item.
func checkRow(p *tab, item string) string {
	p.t.Helper()
	return string(p.mark(`item => [...document.querySelectorAll('table.checklist tbody tr')].find(tr => tr.cells[0].innerText.trim() === item) || null`, item))
}

// heldOrder places an order of the demo customer that its credit limit
// cannot carry, as the account manager would, so that it waits for sales.
func (a *app) heldOrder(t *testing.T) *orders.Order {
	t.Helper()
	ctx, am := a.asUser(context.Background(), users.RoleAccountManager)
	o, err := a.orders.CreateAndPlace(ctx, am, orders.Input{CompanyID: a.demo.Company.ID, POReference: "BJ-2026-121",
		ShippingMethod: "UPS", Shipping: "0", Lines: []orders.LineInput{{SKU: "KR-EA8108", Quantity: 5}, {SKU: "TF-GC7148", Quantity: 60}}})
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != orders.StatusAwaitingCredit {
		t.Fatalf("the order meant to be held is %s", o.Status.Label())
	}
	return o
}
