package shipping

import (
	"context"
	"fmt"
	"strings"
	"time"

	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/mail"
	"wholesale/internal/orders"
	"wholesale/internal/postgres"
)

// mailShipped queues the mail that tells the customer's contact what of
// the order shipped and how to follow it, in the company's language.
func (s *Service) mailShipped(ctx context.Context, tx *postgres.Tx, o *orders.Order, c *customers.Company, sh *Shipment, now time.Time) error {
	if c.ContactEmail == "" {
		return nil
	}
	l := i18n.For(i18n.Lang(c.Language).Or(i18n.Default))
	var b strings.Builder
	line := func(m i18n.Message) { b.WriteString(strings.ReplaceAll(l.Text(m), "€ ", "€\u00a0") + "\n") }
	if c.ContactName == "" {
		line(i18n.M("Dear customer,"))
	} else {
		line(i18n.M("Dear %s,", c.ContactName))
	}
	b.WriteString("\n")
	all := o.ShipState == orders.ShipAll
	if all {
		line(i18n.M("We shipped your order %d (your reference %s) on %s:", o.ID, o.POReference, i18n.D(sh.ShippedOn)))
	} else {
		line(i18n.M("We shipped part of your order %d (your reference %s) on %s:", o.ID, o.POReference, i18n.D(sh.ShippedOn)))
	}
	for _, sl := range sh.Lines {
		b.WriteString("  ")
		line(i18n.M("%s × %s %s", i18n.Num(sl.Quantity), sl.SKU, sl.Name))
	}
	b.WriteString("\n")
	writeTracking(&b, line, sh)
	if !all {
		b.WriteString("\n")
		line(i18n.M("The rest of the order follows as soon as it is in stock."))
	}
	b.WriteString("\n")
	line(i18n.M("The order in the customer portal: %s", fmt.Sprintf("%s/portal/orders/%d", s.BaseURL, o.ID)))
	subject := i18n.M("Order %d (PO %s) has shipped", o.ID, o.POReference)
	if !all {
		subject = i18n.M("Order %d (PO %s): part has shipped", o.ID, o.POReference)
	}
	return mail.Enqueue(ctx, tx, now, l.Lang(), c.ContactEmail, l.Text(subject), b.String())
}

// writeTracking writes how the customer follows a shipment: the carrier,
// its tracking number and the tracking link; or our own transport, with
// our reference if any. line writes a message as a line of b.
func writeTracking(b *strings.Builder, line func(i18n.Message), sh *Shipment) {
	switch {
	case sh.TrackingURL != "":
		line(i18n.M("It goes with %s, tracking number %s. Follow the parcel here:", sh.CarrierLabel(), sh.TrackingNumber))
		b.WriteString(sh.TrackingURL + "\n")
	case sh.TrackingNumber != "":
		line(i18n.M("We deliver it with our own transport (our reference %s).", sh.TrackingNumber))
	default:
		line(i18n.M("We deliver it with our own transport."))
	}
}
