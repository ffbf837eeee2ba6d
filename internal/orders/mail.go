package orders

import (
	"fmt"
	"strings"

	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/mail"
	"wholesale/internal/postgres"
)

// The mails to a customer about its orders are written in the company's
// language (customers.Company.Language), subject and body from the
// catalog.

// mailText is a mail being written in one language.
type mailText struct {
	l *i18n.Localizer
	b strings.Builder
}

// line adds m and a line break; para adds m and an empty line.
func (t *mailText) line(m i18n.Message) { t.b.WriteString(t.text(m) + "\n") }
func (t *mailText) para(m i18n.Message) { t.b.WriteString(t.text(m) + "\n\n") }

// text is m in the mail's language, its amounts unbreakable: the euro
// sign stays with the figure however a mail program (or the outbox page)
// wraps the line, "€ 12,50" as it does in the pages.
func (t *mailText) text(m i18n.Message) string {
	return strings.ReplaceAll(t.l.Text(m), "€ ", "€\u00a0")
}

// greet opens the mail to the company's contact.
func (t *mailText) greet(c *customers.Company) {
	if c.ContactName == "" {
		t.para(i18n.M("Dear customer,"))
		return
	}
	t.para(i18n.M("Dear %s,", c.ContactName))
}

// writeLines lists the live lines, shipping and total of o for a mail.
func (t *mailText) writeLines(o *Order) {
	for _, l := range o.Lines {
		if !l.Cancelled {
			t.b.WriteString("  ")
			t.line(i18n.M("%d × %s %s at %s", l.Quantity, l.SKU, l.Name, i18n.Amount(l.UnitPriceCents)))
		}
	}
	t.b.WriteString("\n")
	t.line(i18n.M("Shipping (%s): %s", ShippingMethodLabel(o.ShippingMethod), i18n.Amount(o.ShippingCents)))
	t.para(i18n.M("Total incl. VAT: %s", i18n.Amount(o.TotalInclCents)))
}

// whatNext tells the customer of a placed order what it must do.
func (s *Service) whatNext(t *mailText, o *Order) {
	if o.Prepayment {
		t.line(i18n.M("Please transfer %s with payment reference %s. We ship as soon as the payment is in.",
			i18n.Amount(o.TotalInclCents-o.PaidCents), *o.PaymentReference))
		return
	}
	t.line(i18n.M("Please confirm the order in the customer portal (%s) or reply to this mail to confirm it in writing. We ship once it is confirmed.",
		fmt.Sprintf("%s/portal/orders/%d", s.BaseURL, o.ID)))
}

// mailTo is a mail to the company in its language.
func mailTo(c *customers.Company) *mailText {
	return &mailText{l: i18n.For(i18n.Lang(c.Language))}
}

// mailPlaced adds to b the mail that tells the customer the order is placed.
func (s *Service) mailPlaced(b *postgres.Batch, tx *postgres.Tx, o *Order, c *customers.Company) error {
	if c.ContactEmail == "" {
		return nil
	}
	t := mailTo(c)
	t.greet(c)
	t.para(i18n.M("We have entered your order %d (your reference %s):", o.ID, o.POReference))
	t.writeLines(o)
	s.whatNext(t, o)
	subject := t.l.Text(i18n.M("Order %d (PO %s)", o.ID, o.POReference))
	return mail.EnqueueIn(b, tx, s.now(), t.l.Lang(), c.ContactEmail, subject, t.b.String())
}

// mailRevision adds to b the mail that sends the customer a placed order's
// new revision when it needs the customer again: a confirmation to give
// (again), or another amount to pay. told are the changes the customer sees.
func (s *Service) mailRevision(b *postgres.Batch, tx *postgres.Tx, o *Order, c *customers.Company, told Changes, reconfirm, totalChanged bool) error {
	unconfirmed := !o.Prepayment && !o.Confirmed()
	unpaid := o.Prepayment && totalChanged && o.PaidCents < o.TotalInclCents
	if c.ContactEmail == "" || !unconfirmed && !unpaid {
		return nil
	}
	t := mailTo(c)
	t.greet(c)
	t.para(i18n.M("Your order %d (your reference %s) was changed: revision %d (%s). It now reads:",
		o.ID, o.POReference, o.Revision, told.In(t.l)))
	t.writeLines(o)
	if reconfirm {
		t.line(i18n.M("The total rose since you confirmed the order, so we need your confirmation again."))
	}
	s.whatNext(t, o)
	subject := i18n.M("Order %d (PO %s) changed: revision %d", o.ID, o.POReference, o.Revision)
	if unconfirmed {
		subject = i18n.M("Order %d (PO %s) changed: revision %d, please confirm", o.ID, o.POReference, o.Revision)
	}
	return mail.EnqueueIn(b, tx, s.now(), t.l.Lang(), c.ContactEmail, t.l.Text(subject), t.b.String())
}
