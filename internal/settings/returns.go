package settings

import (
	"context"
	"strconv"
	"strings"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/i18n"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
	"wholesale/internal/validate"
)

// RAArriveDaysMax is the most days a return parcel may take to arrive.
const RAArriveDaysMax = 90

// ReturnsInput is the returns form as typed: the days after its RA is
// issued by which a return parcel must have arrived.
type ReturnsInput struct {
	ArriveDays string
}

// ReturnsInputOf is the returns form filled in with s.
func ReturnsInputOf(s *Settings) ReturnsInput {
	return ReturnsInput{ArriveDays: strconv.Itoa(s.RAArriveDays)}
}

// Validate normalises the input and returns a message per wrong field
// (ra_arrive_days): a whole number of days from 1 to RAArriveDaysMax.
func (in *ReturnsInput) Validate() apperr.FieldErrors {
	fe := apperr.FieldErrors{}
	in.ArriveDays = strings.TrimSpace(in.ArriveDays)
	if !validate.Line(fe, "ra_arrive_days", in.ArriveDays, validate.ShortMax) {
		return fe
	}
	n, err := strconv.Atoi(in.ArriveDays)
	switch {
	case err != nil || strings.ContainsAny(in.ArriveDays, "+-"):
		fe.Add("ra_arrive_days", i18n.M("Enter a whole number of days, e.g. 14."))
	case n < 1 || n > RAArriveDaysMax:
		fe.Add("ra_arrive_days", i18n.M("Enter from 1 to %d days.", RAArriveDaysMax))
	}
	return fe
}

// SaveReturns stores the days a return parcel has to arrive, by an admin,
// and records the change in the audit trail. Returns Forbidden for anyone
// but an admin and Invalid with a message at the field (nothing is stored).
func (s *Service) SaveReturns(ctx context.Context, by *users.User, in ReturnsInput) (*Settings, error) {
	if err := adminOnly(by); err != nil {
		return nil, err
	}
	if err := in.Validate().Err(); err != nil {
		return nil, err
	}
	days, _ := strconv.Atoi(in.ArriveDays)
	var saved *Settings
	err := postgres.Run(ctx, s.DB, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		old := new(Settings)
		if err := tx.NewSelect().Model(old).Where("st.id").For("UPDATE").Scan(ctx); err != nil {
			return apperr.Wrap(err, "settings: lock")
		}
		now := s.Clock.Now()
		next := *old
		next.RAArriveDays, next.UpdatedAt, next.UpdatedBy = days, &now, &by.ID
		if _, err := tx.NewUpdate().Model(&next).Column("ra_arrive_days", "updated_at", "updated_by").WherePK().Exec(ctx); err != nil {
			return err
		}
		saved = &next
		return audit.Record(ctx, tx, now, audit.Change{Entity: "settings", EntityID: "company", Action: "returns",
			Before: map[string]int{"ra_arrive_days": old.RAArriveDays}, After: map[string]int{"ra_arrive_days": days}})
	})
	if err != nil {
		return nil, err
	}
	return saved, nil
}
