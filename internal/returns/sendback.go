package returns

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/mail"
	"wholesale/internal/postgres"
	"wholesale/internal/settings"
	"wholesale/internal/shipping"
	"wholesale/internal/users"
)

// SendBackInput is how units that go back to the customer leave: the
// carrier and its tracking number, as a shipment's.
type SendBackInput struct {
	Carrier        string `json:"carrier" form:"carrier"`
	TrackingNumber string `json:"tracking_number" form:"tracking_number"`
}

// Validate normalises the carrier and the tracking number as shipping
// does. Returns Invalid with a message per field.
func (in *SendBackInput) Validate() error {
	fe := apperr.FieldErrors{}
	shipping.ValidateTracking(fe, &in.Carrier, &in.TrackingNumber)
	return fe.Err()
}

// SendBack records that the units of a settled return that go back to the
// customer (no fault found, or damaged by the customer) left with a
// carrier, and mails the customer the tracking link. The warehouse and
// admins only. Returns Forbidden, NotFound, Invalid, Conflict.
func (s *Service) SendBack(ctx context.Context, by *users.User, id int64, in SendBackInput) (*Return, error) {
	if err := mayHandle(by); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	return s.onReturn(ctx, id, func(ctx context.Context, tx *postgres.Tx, r *Return, c *customers.Company) error {
		n := r.ToSendBack()
		switch {
		case r.SentBackAt != nil:
			return apperr.Conflictf("The units of this return were sent back on %s.", i18n.D(*r.SentBackAt))
		case n == 0:
			return apperr.Conflictf("This return has no units to send back to the customer.")
		}
		now := s.now()
		r.BackCarrier, r.BackTracking, r.SentBackAt, r.SentBackBy, r.UpdatedAt = &in.Carrier, in.TrackingNumber, &now, &by.ID, now
		r.BackTrackingURL = shipping.TrackingURL(in.Carrier, in.TrackingNumber, c.Visiting.Country, c.Visiting.Postcode)
		if _, err := tx.NewUpdate().Model(r).Column("back_carrier", "back_tracking", "back_tracking_url", "sent_back_at", "sent_back_by", "updated_at").
			WherePK().Exec(ctx); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Change{Entity: "return", EntityID: r.ID, Action: "send_back",
			After: map[string]any{"units": n, "carrier": in.Carrier, "tracking_number": in.TrackingNumber}}); err != nil {
			return err
		}
		st, err := settings.Get(ctx, tx)
		if err != nil {
			return err
		}
		return s.mailSentBack(ctx, tx, r, c, n, st.Name)
	})
}

// mailSentBack tells the customer its units are on their way back.
func (s *Service) mailSentBack(ctx context.Context, tx *postgres.Tx, r *Return, c *customers.Company, n int, seller string) error {
	to, err := recipient(ctx, tx, r, c)
	if err != nil || to == "" {
		return err
	}
	t := customerLetter(c)
	t.para(i18n.N(n, "We sent %d unit of return %s back to you with %s.", n, r.RA(), shipping.CarrierLabel(*r.BackCarrier)))
	if r.BackTrackingURL != "" {
		t.para(i18n.M("Track the parcel: %s", r.BackTrackingURL))
	} else if r.BackTracking != "" {
		t.para(i18n.M("Tracking number: %s", r.BackTracking))
	}
	body := t.close(s, r, seller)
	return mail.Enqueue(ctx, tx, s.now(), t.l.Lang(), to, t.l.Text(i18n.M("Return %s: units sent back", r.RA())), body)
}

// ToSendBack lists the settled returns whose units wait to go back to the
// customer, the oldest settled first.
func ToSendBack(ctx context.Context, db bun.IDB, limit int) ([]Return, error) {
	var out []Return
	err := selectReturns(db, &out).Where(toSendBack).OrderExpr("r.settled_at, r.id").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, err
	}
	return out, withUnits(ctx, db, out)
}

// CountToSendBack counts the returns whose units wait to go back, and
// since when the oldest was settled.
func CountToSendBack(ctx context.Context, db bun.IDB) (int, *time.Time, error) {
	var row struct {
		N      int        `bun:"n"`
		Oldest *time.Time `bun:"oldest"`
	}
	err := db.NewRaw(`SELECT count(*) AS n, min(r.settled_at) AS oldest FROM returns r WHERE `+toSendBack).Scan(ctx, &row)
	return row.N, row.Oldest, err
}

// toSendBack holds for the returns r whose units wait to go back to the
// customer: settled, some units going back (sends_back, set by dispose),
// not sent yet. returns_to_send_back_idx holds them alone.
const toSendBack = "r.state = 'settled' AND r.sent_back_at IS NULL AND r.sends_back"
