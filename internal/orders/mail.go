package orders

import (
	"fmt"
	"strings"

	"wholesale/internal/customers"
	"wholesale/internal/mail"
	"wholesale/internal/money"
	"wholesale/internal/postgres"
)

// writeLines lists the live lines, shipping and total of o for a mail.
func writeLines(text *strings.Builder, o *Order) {
	for _, l := range o.Lines {
		if !l.Cancelled {
			fmt.Fprintf(text, "  %d × %s %s at %s\n", l.Quantity, l.SKU, l.Name, money.Format(l.UnitPriceCents))
		}
	}
	fmt.Fprintf(text, "\nShipping (%s): %s\nTotal incl. VAT: %s\n\n", o.ShippingMethod, money.Format(o.ShippingCents), money.Format(o.TotalInclCents))
}

// whatNext tells the customer of a placed order what it must do.
func (s *Service) whatNext(text *strings.Builder, o *Order) {
	if o.Prepayment {
		fmt.Fprintf(text, "Please transfer %s with payment reference %s. We ship as soon as the payment is in.\n", money.Format(o.TotalInclCents-o.PaidCents), *o.PaymentReference)
		return
	}
	fmt.Fprintf(text, "Please confirm the order in the customer portal (%s/portal/orders/%d) or reply to this mail to confirm it in writing. We ship once it is confirmed.\n", s.BaseURL, o.ID)
}

// mailPlaced adds to b the mail that tells the customer the order is placed.
func (s *Service) mailPlaced(b *postgres.Batch, tx *postgres.Tx, o *Order, c *customers.Company) error {
	if c.ContactEmail == "" {
		return nil
	}
	var text strings.Builder
	fmt.Fprintf(&text, "Dear %s,\n\nWe have entered your order %d (your reference %s):\n\n", c.ContactName, o.ID, o.POReference)
	writeLines(&text, o)
	s.whatNext(&text, o)
	return mail.EnqueueIn(b, tx, s.now(), c.ContactEmail, fmt.Sprintf("Order %d (PO %s)", o.ID, o.POReference), text.String())
}

// mailRevision adds to b the mail that sends the customer a placed order's
// new revision when it needs the customer again: a confirmation to give
// (again), or another amount to pay.
func (s *Service) mailRevision(b *postgres.Batch, tx *postgres.Tx, o *Order, c *customers.Company, summary string, reconfirm, totalChanged bool) error {
	unconfirmed := !o.Prepayment && !o.Confirmed()
	unpaid := o.Prepayment && totalChanged && o.PaidCents < o.TotalInclCents
	if c.ContactEmail == "" || !unconfirmed && !unpaid {
		return nil
	}
	var text strings.Builder
	fmt.Fprintf(&text, "Dear %s,\n\nYour order %d (your reference %s) was changed: revision %d (%s). It now reads:\n\n",
		c.ContactName, o.ID, o.POReference, o.Revision, summary)
	writeLines(&text, o)
	if reconfirm {
		text.WriteString("The total rose since you confirmed the order, so we need your confirmation again.\n")
	}
	s.whatNext(&text, o)
	subject := fmt.Sprintf("Order %d (PO %s) changed: revision %d", o.ID, o.POReference, o.Revision)
	if unconfirmed {
		subject += ", please confirm"
	}
	return mail.EnqueueIn(b, tx, s.now(), c.ContactEmail, subject, text.String())
}
