package shipping

import (
	"context"
	"fmt"
	"strings"
	"time"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/mail"
	"wholesale/internal/orders"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
)

// CorrectTracking corrects the carrier and tracking number of a shipment
// not yet delivered, checked as Ship checks them, in one transaction: the
// tracking link is made anew for the order's delivery address, the
// customer is mailed the corrected link in the company's language, and the
// audit trail records the number before and after on the order.
// Warehouse and admins only. Returns Forbidden, Invalid (at "carrier" and
// "tracking_number"; nothing is written), NotFound, Conflict (delivered,
// or nothing changed).
func (s *Service) CorrectTracking(ctx context.Context, by *users.User, shipmentID int64, carrier, tracking string) (*Shipment, error) {
	if err := mayShip(by); err != nil {
		return nil, err
	}
	fe := apperr.FieldErrors{}
	validateTracking(fe, &carrier, &tracking)
	if err := fe.Err(); err != nil {
		return nil, err
	}
	var sh *Shipment
	err := postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		sh = new(Shipment)
		if err := tx.NewSelect().Model(sh).Where("sh.id = ?", shipmentID).For("UPDATE").Scan(ctx); err != nil {
			return postgres.Translate(err, i18n.M("Shipment"))
		}
		if sh.DeliveredOn != nil {
			return apperr.Conflictf("The shipment of %s was delivered on %s: its tracking number can no longer be corrected.",
				i18n.D(sh.ShippedOn), i18n.D(*sh.DeliveredOn))
		}
		if sh.Carrier == carrier && sh.TrackingNumber == tracking {
			return apperr.Conflictf("Nothing changed.")
		}
		o, err := orders.Get(ctx, tx, sh.OrderID)
		if err != nil {
			return err
		}
		c, err := customers.ByID(ctx, tx, o.CompanyID)
		if err != nil {
			return err
		}
		before := map[string]any{"shipment_id": sh.ID, "carrier": sh.Carrier, "tracking_number": sh.TrackingNumber}
		sh.Carrier, sh.TrackingNumber = carrier, tracking
		sh.TrackingURL = TrackingURL(carrier, tracking, o.Delivery.Country, o.Delivery.Postcode)
		if _, err := tx.NewUpdate().Model(sh).Column("carrier", "tracking_number", "tracking_url").WherePK().Exec(ctx); err != nil {
			return err
		}
		now := s.now()
		if err := s.mailCorrected(ctx, tx, o, c, sh, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Change{Entity: "order", EntityID: o.ID, Action: "correct_tracking", Before: before,
			After: map[string]any{"shipment_id": sh.ID, "carrier": sh.Carrier, "tracking_number": sh.TrackingNumber}})
	})
	if err != nil {
		return nil, err
	}
	return ByID(ctx, s.DB, sh.ID)
}

// mailCorrected queues the mail that tells the customer's contact the
// corrected tracking link of a shipment, in the company's language.
func (s *Service) mailCorrected(ctx context.Context, tx *postgres.Tx, o *orders.Order, c *customers.Company, sh *Shipment, now time.Time) error {
	if c.ContactEmail == "" {
		return nil
	}
	l := i18n.For(i18n.Lang(c.Language).Or(i18n.Default))
	var b strings.Builder
	line := func(m i18n.Message) { b.WriteString(l.Text(m) + "\n") }
	if c.ContactName == "" {
		line(i18n.M("Dear customer,"))
	} else {
		line(i18n.M("Dear %s,", c.ContactName))
	}
	b.WriteString("\n")
	line(i18n.M("The tracking number of your shipment of %s of order %d (your reference %s) was corrected.", i18n.D(sh.ShippedOn), o.ID, o.POReference))
	writeTracking(&b, line, sh)
	b.WriteString("\n")
	line(i18n.M("The order in the customer portal: %s", fmt.Sprintf("%s/portal/orders/%d", s.BaseURL, o.ID)))
	subject := i18n.M("Order %d (PO %s): tracking number corrected", o.ID, o.POReference)
	return mail.Enqueue(ctx, tx, now, l.Lang(), c.ContactEmail, l.Text(subject), b.String())
}
