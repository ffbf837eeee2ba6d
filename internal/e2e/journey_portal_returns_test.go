package e2e_test

import (
	"fmt"
	"testing"

	"wholesale/internal/users"
)

// journeyCustomerReturns: the customer's buyer, on a phone, opens the
// invoiced order INK-4471 in the portal, chooses "Return goods", reads
// the rules, sends the form without a line and a fault and reads what is
// missing at the fields, then returns a grill plate dead on arrival; the
// return waits for approval. In "Our returns" the demo's approved return
// shows its RA number, where to send the parcel and by when, and the
// referred one Tefal's service centre.
func journeyCustomerReturns(t *testing.T, b *browser) {
	a := startApp(t)
	o := a.demoOrder(t, "INK-4471")

	p := b.newPhone(t, a)
	p.login(users.RoleCustomer)
	p.open(fmt.Sprintf("/portal/orders/%d", o.ID))
	p.follow("Return goods")
	p.wantHeading("Return goods")
	p.see("up to 45 days after you received it", "the delivery date the carrier reported", "TF-XA5105 Grill plate for Easy Fry", "1 of 4")
	p.fill("The fault: what does the unit do, or not do?", "")
	p.press("Send the return request", 422)
	p.wantFieldError("Quantity", "Enter a number.")
	p.wantFieldError("The fault: what does the unit do, or not do?", "Describe the fault: what the unit does, or does not do.")
	p.see("Choose the shipped line the return concerns.")

	p.tick("TF-XA5105 Grill plate for Easy Fry")
	p.fill("Quantity", "1")
	p.fill("The fault: what does the unit do, or not do?", "The handle broke off when it was unpacked.")
	p.tick("The unit was dead on arrival: it did not work when it was unpacked.")
	p.press("Send the return request", 200)
	p.wantFlash("Your return request is sent. Your account manager checks it; once it is approved you receive the RA number by mail.")
	p.see("Status: waiting for approval", "The handle broke off when it was unpacked.", "the delivery date the carrier reported")

	p.follow("All our returns")
	p.wantHeading("Our returns")
	p.follow("RA-2026-000002")
	p.wantHeading("Return RA-2026-000002")
	// The address is the label's, in the company's language (Dutch).
	p.see("Send the units back with RA number RA-2026-000002", "Afdeling retouren", "It must arrive by 8 December 2026", "Download the label (PDF)")
	p.screenshot("customer-return-on-a-phone")

	p.follow("All our returns")
	p.follow("RA-2026-000001")
	p.see("Status: settled", "credit note issued", "fault confirmed", "Plate warped by 3 mm")
}
