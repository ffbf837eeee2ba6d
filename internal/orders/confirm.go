package orders

import (
	"context"
	"strings"
	"time"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/clock"
	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
	"wholesale/internal/validate"
)

// ConfirmInPortal records the customer's own confirmation of the order at
// the revision the customer saw (0: as it stands). Only a user of the
// ordering company. Returns NotFound, Conflict (also when the order has
// changed since).
func (s *Service) ConfirmInPortal(ctx context.Context, by *users.User, id int64, revision int) (*Order, error) {
	inPortal := func(ctx context.Context, tx *postgres.Tx, id int64) (*Order, error) {
		o, _, err := s.lockOrderFor(ctx, tx, id, func(c *customers.Company) bool {
			return by.Role == users.RoleCustomer && by.CompanyID != nil && *by.CompanyID == c.ID
		})
		if err == nil && o.State == StateDraft {
			return nil, apperr.NotFoundf("Order not found.")
		}
		return o, err
	}
	return s.onOrder(ctx, id, inPortal, func(ctx context.Context, tx *postgres.Tx, o *Order) error {
		if err := atRevision(o, revision); err != nil {
			return err
		}
		return s.confirm(ctx, tx, by, o, "portal", "") // the kind says how
	})
}

// WrittenConfirmation is a confirmation the customer gave in writing.
type WrittenConfirmation struct {
	Note       string // who confirmed and how, e.g. "mail of J. Jansen"
	ReceivedOn string // the date of the mail or letter, 2006-01-02
	Upload     *customers.Upload
}

// validate bounds the confirmation's fields and returns its date; whether
// the date fits the order is checked with the order.
func (in *WrittenConfirmation) validate(today time.Time) (time.Time, error) {
	fe := apperr.FieldErrors{}
	in.Note = strings.TrimSpace(in.Note)
	if in.Note == "" {
		fe.Add("note", i18n.M("Say who confirmed and how, e.g. mail of J. Jansen."))
	}
	validate.Text(fe, "note", in.Note, validate.NoteMax)
	received, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(in.ReceivedOn), time.UTC)
	switch {
	case err != nil:
		fe.Add("received_on", i18n.M("Enter the date of the mail or letter."))
	case received.After(time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)):
		fe.Add("received_on", i18n.M("The confirmation cannot be dated in the future."))
	}
	if in.Upload != nil {
		in.Upload.Kind = "order_confirmation"
		if msg := customers.CheckUpload(*in.Upload); !msg.IsZero() {
			fe.Add("file", msg)
		}
	}
	return received, fe.Err()
}

// ConfirmWritten records a confirmation the customer gave in writing (a mail
// or letter, with its date, not before the order was entered), optionally
// with the mail uploaded. By the account manager or an admin. Returns
// NotFound, Forbidden, Invalid, Conflict.
func (s *Service) ConfirmWritten(ctx context.Context, by *users.User, id int64, in WrittenConfirmation) (*Order, error) {
	received, err := in.validate(s.now().In(clock.Amsterdam))
	if err != nil {
		return nil, err
	}
	return s.onOrder(ctx, id, s.forDesk(by), func(ctx context.Context, tx *postgres.Tx, o *Order) error {
		entered := o.CreatedAt.In(clock.Amsterdam)
		if received.Before(time.Date(entered.Year(), entered.Month(), entered.Day(), 0, 0, 0, 0, time.UTC)) {
			return apperr.FieldErrors{"received_on": i18n.M("The confirmation cannot be dated before the order was entered (%s).", i18n.D(entered))}.Err()
		}
		if in.Upload != nil {
			if _, err := customers.StoreOrderDocument(ctx, tx, s.now(), *in.Upload, o.ID, by.ID); err != nil {
				return err
			}
		}
		o.ConfirmationDate = &received
		return s.confirm(ctx, tx, by, o, "written", in.Note)
	})
}

func (s *Service) confirm(ctx context.Context, tx *postgres.Tx, by *users.User, o *Order, kind, note string) error {
	if o.State != StatePlaced {
		return apperr.Conflictf("Order %d is %s: there is nothing to confirm.", o.ID, o.Status.Label())
	}
	if o.Confirmed() {
		return apperr.Conflictf("Order %d is confirmed already.", o.ID)
	}
	now := s.now()
	total := o.TotalInclCents
	o.ConfirmedAt, o.ConfirmedBy, o.ConfirmationKind, o.ConfirmationNote, o.ConfirmedTotalCents = &now, &by.ID, &kind, note, &total
	if err := s.save(ctx, tx, o, "confirmed_at", "confirmed_by", "confirmation_kind", "confirmation_note", "confirmation_received_on", "confirmed_total_cents"); err != nil {
		return err
	}
	return audit.Record(ctx, tx, now, audit.Change{Entity: "order", EntityID: o.ID, Action: "confirm",
		After: map[string]any{"kind": kind, "note": note, "received_on": o.ConfirmationDate, "total_incl_cents": total, "status": o.Status}})
}
