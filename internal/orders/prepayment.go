package orders

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/i18n"
	"wholesale/internal/mail"
	"wholesale/internal/postgres"
)

// ApplyPrepayment adds cents (negative to take an undone payment back) to
// what is paid of prepayment order id, in tx, and saves its status. The
// moment payments cover its total it becomes releasable: the account
// manager is mailed, and released is true. Returns Conflict when the
// order is no open prepayment order, or when taking money back from an
// order that has shipped goods.
func ApplyPrepayment(ctx context.Context, tx *postgres.Tx, now time.Time, id, cents int64) (o *Order, released bool, err error) {
	o, err = lockedOrder(ctx, tx, id)
	if err != nil {
		return nil, false, err
	}
	switch {
	case !o.Prepayment:
		return nil, false, apperr.Conflictf("Order %d is not a prepayment order: its customer pays on invoice.", o.ID)
	case cents > 0 && o.State != StatePlaced:
		return nil, false, apperr.Conflictf("Order %d is %s: there is no prepayment to record.", o.ID, o.Status.Label())
	case cents < 0 && o.ShipState != ShipNone:
		return nil, false, apperr.Conflictf("Goods of order %d have shipped on this payment: it cannot be taken back.", o.ID)
	}
	before := DeriveStatus(o)
	o.PaidCents += cents
	if o.PaidCents < 0 {
		return nil, false, apperr.Conflictf("Order %d has less paid than that.", o.ID)
	}
	o.Status, o.UpdatedAt = DeriveStatus(o), now
	if _, err := tx.NewUpdate().Model(o).Column("paid_cents", "status", "updated_at").WherePK().Exec(ctx); err != nil {
		return nil, false, err
	}
	if err := audit.Record(ctx, tx, now, audit.Change{Entity: "order", EntityID: o.ID, Action: "prepayment",
		Before: map[string]any{"paid_cents": o.PaidCents - cents, "status": before},
		After:  map[string]any{"paid_cents": o.PaidCents, "status": o.Status}}); err != nil {
		return nil, false, err
	}
	released = before == StatusAwaitingPayment && o.Status != StatusAwaitingPayment
	if released {
		if err := mailPaid(ctx, tx, now, o); err != nil {
			return nil, false, err
		}
	}
	return o, released, nil
}

// mailPaid tells the order's account manager, in their language, that the
// order is paid and can ship.
func mailPaid(ctx context.Context, tx *postgres.Tx, now time.Time, o *Order) error {
	var am struct {
		Email    string `bun:"email"`
		Language string `bun:"language"`
		Company  string `bun:"company"`
	}
	err := tx.NewRaw(`SELECT u.email, COALESCE(u.language, '') AS language, c.name AS company FROM companies c
		JOIN users u ON u.id = c.account_manager_id WHERE c.id = ? AND u.active`, o.CompanyID).Scan(ctx, &am)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // no account manager to tell
	}
	if err != nil {
		return err
	}
	lang := i18n.Lang(am.Language).Or(i18n.Default)
	l := i18n.For(lang)
	subject := l.Text(i18n.M("Order %d of %s is paid", o.ID, am.Company))
	body := l.Text(i18n.M("The prepayment of order %d (%s, reference %s) is in: %s of %s. The order is released and can ship.",
		o.ID, am.Company, o.POReference, i18n.Amount(o.PaidCents), i18n.Amount(o.TotalInclCents)))
	return mail.Enqueue(ctx, tx, now, lang, am.Email, subject, body)
}
