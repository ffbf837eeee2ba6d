package e2e_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"wholesale/internal/invoicing"
	"wholesale/internal/orders"
	"wholesale/internal/shipping"
	"wholesale/internal/users"
)

// journeyReturns: the account manager files the demo customer's return of
// a kettle that arrived dead, from the order page, and approves it: the
// RA number is issued. At the door, on a phone, the warehouse is told to
// refuse a parcel whose RA number is unknown, receives the right one and
// records the test of its unit. The account manager settles the return
// with the replacement the customer asked for, whose order names the
// return.
func journeyReturns(t *testing.T, b *browser) {
	a := startApp(t)
	o := a.shippedOrder(t, "BJ-RETURN-1", "KR-F3090", 2)

	p := b.newTab(t, a)
	p.login(users.RoleAccountManager)
	p.open(fmt.Sprintf("/orders/%d", o.ID))
	p.follow("Return goods")
	p.wantHeading("Return goods")
	p.tick(fmt.Sprintf("KR-F3090 of order %d, shipped 24 Nov 2026", o.ID))
	p.fill("Quantity", "1")
	p.fill("Serial numbers, one per line (where known)", "KR-SN-0042")
	p.fill("The fault: what the unit does, or does not do", "Does not heat: the light stays off.")
	p.tick("Dead on arrival: the unit did not work when it was unpacked")
	p.press("File the return", 200)
	p.wantFlash("The return is filed: approve it to issue the RA number.")
	p.see("State: waiting for approval", "KR-SN-0042", "End of the DOA window 11 Jan 2027")
	page := eval[string](p, `() => location.pathname`)
	p.press("Approve and issue the RA number", 200)
	p.wantFlash("The RA number is issued and the customer is mailed the instructions with the label.")
	ra := p.text("main dd.ra")
	if !strings.HasPrefix(ra, "RA-2026-") {
		p.fatalf("the RA number reads %q", ra)
	}

	wh := b.newPhone(t, a)
	wh.login(users.RoleWarehouse)
	wh.follow("Returns")
	wh.follow("Receive a parcel")
	wh.fill("RA number on the parcel", "RA-2026-000999")
	wh.press("Receive the parcel", 422)
	wh.wantFieldError("RA number on the parcel", "No return has RA number RA-2026-000999: refuse the parcel.")
	wh.fill("RA number on the parcel", ra)
	wh.press("Receive the parcel", 200)
	wh.wantFlash(fmt.Sprintf("The parcel of %s is received: test its units.", ra))
	wh.choose("Result", "fault confirmed")
	wh.fill("What the test found", "No power: the heating element is open.")
	wh.press("Record the tests", 200)
	wh.wantFlash("The test results are recorded.")
	wh.see("State: tested, to be settled", "No power: the heating element is open.")

	p.open(page)
	p.press("Settle the return", 200)
	p.wantFlash("The return is settled; the customer is mailed the results.")
	p.see("State: settled", "replacement order placed")
	p.follow(p.text("main a.replacement"))
	p.see("Replacement for return "+ra, "a replacement: it needs no confirmation")
	wh.follow("Returns")
	wh.follow("Units in quarantine")
	wh.see(ra, "KR-SN-0042", "No power: the heating element is open.")

	// The other kettle broke after a month: no DOA, so no RA but the
	// brand's service centre.
	p.open(fmt.Sprintf("/orders/%d", o.ID))
	p.follow("Return goods")
	p.tick(fmt.Sprintf("KR-F3090 of order %d, shipped 24 Nov 2026", o.ID))
	p.fill("Quantity", "1")
	p.fill("The fault: what the unit does, or does not do", "Stopped heating after a month.")
	p.press("File the return", 200)
	p.wantFlash("No RA: the return is referred to the brand's service centre. Give the customer its details below.")
	p.see("State: referred to the service centre", "Authorised service centre of Krups", "Groupe SEB Service Nederland", "+31 33 000 0000")
	p.follow("Returns")
	p.wantHeading("Returns")
	if row := p.row("RA number", ra); row[5] != "settled" {
		p.errorf("the list of returns shows %s as %q", ra, row)
	}
}

// shippedOrder places an order of qty of sku for the demo customer, records
// its written confirmation and ships it, through the use cases.
func (a *app) shippedOrder(t *testing.T, po, sku string, qty int) *orders.Order {
	t.Helper()
	ctx, am := a.asUser(context.Background(), users.RoleAccountManager)
	o, err := a.orders.CreateAndPlace(ctx, am, orders.Input{CompanyID: a.demo.Company.ID, POReference: po,
		Lines: []orders.LineInput{{SKU: sku, Quantity: qty}}, Shipping: "0", ShippingMethod: "UPS"})
	if err != nil {
		t.Fatal(err)
	}
	if o, err = a.orders.ConfirmWritten(ctx, am, o.ID, orders.WrittenConfirmation{Note: "mail of Joris", ReceivedOn: "2026-11-24"}); err != nil {
		t.Fatal(err)
	}
	wctx, wh := a.asUser(context.Background(), users.RoleWarehouse)
	in := shipping.Input{OrderID: o.ID, Carrier: shipping.CarrierUPS, TrackingNumber: "1Z999AA10123456784",
		Lines: []shipping.LineInput{{OrderLineID: o.Lines[0].ID, Quantity: qty}}}
	if _, err := (&shipping.Service{DB: a.db, Clock: a.clk, BusinessDay: invoicing.BusinessDay}).Ship(wctx, wh, in); err != nil {
		t.Fatal(err)
	}
	return o
}
