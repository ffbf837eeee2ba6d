package settings

import (
	"context"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/clock"
	"wholesale/internal/i18n"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
	"wholesale/internal/validate"
)

// Service holds the use cases of the settings: an admin changes the
// details and the cutoff, and adds and removes closing days.
type Service struct {
	DB    *bun.DB
	Clock clock.Clock
}

// record is what the audit trail keeps of the settings: the cutoff as a
// time of day, as the admin typed it.
type record struct {
	Name     string `json:"name"`
	Street   string `json:"street"`
	Postcode string `json:"postcode"`
	City     string `json:"city"`
	Country  string `json:"country"`
	VATID    string `json:"vat_id"`
	KvK      string `json:"kvk"`
	IBAN     string `json:"iban"`
	BIC      string `json:"bic"`
	Email    string `json:"email"`
	Phone    string `json:"phone"`
	Website  string `json:"website"`
	Cutoff   string `json:"cutoff"`
}

func recordOf(s *Settings) record {
	return record{Name: s.Name, Street: s.Street, Postcode: s.Postcode, City: s.City, Country: s.Country,
		VATID: s.VATID, KvK: s.KvK, IBAN: s.IBAN, BIC: s.BIC, Email: s.Email, Phone: s.Phone, Website: s.Website,
		Cutoff: s.Cutoff()}
}

func adminOnly(by *users.User) error {
	if by == nil || by.Role != users.RoleAdmin {
		return apperr.Forbiddenf("Only an admin changes the company settings and closing days.")
	}
	return nil
}

// Save stores the details and the cutoff typed in, by an admin, and
// records the change in the audit trail. Returns Forbidden for anyone but
// an admin and Invalid with a message per wrong field (nothing is stored).
func (s *Service) Save(ctx context.Context, by *users.User, in Input) (*Settings, error) {
	if err := adminOnly(by); err != nil {
		return nil, err
	}
	if err := in.Validate().Err(); err != nil {
		return nil, err
	}
	var saved *Settings
	err := postgres.Run(ctx, s.DB, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		old := new(Settings)
		if err := tx.NewSelect().Model(old).Where("st.id").For("UPDATE").Scan(ctx); err != nil {
			return apperr.Wrap(err, "settings: lock")
		}
		now := s.Clock.Now()
		next := *old
		in.apply(&next)
		next.UpdatedAt, next.UpdatedBy = &now, &by.ID
		if _, err := tx.NewUpdate().Model(&next).WherePK().ExcludeColumn("id").Exec(ctx); err != nil {
			return err
		}
		saved = &next
		return audit.Record(ctx, tx, now, audit.Change{Entity: "settings", EntityID: "company", Action: "update",
			Before: recordOf(old), After: recordOf(&next)})
	})
	if err != nil {
		return nil, err
	}
	return saved, nil
}

// today is the Amsterdam date of the clock's now, at midnight UTC.
func (s *Service) today() time.Time {
	t := s.Clock.Now().In(clock.Amsterdam)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// dayOf is the calendar day of d (its date, at midnight UTC).
func dayOf(d time.Time) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
}

// AddClosingDay makes day a closing day of the company for reason, by an
// admin: it has no invoicing cutoff; customers' deadlines do not change.
// Returns Forbidden for anyone but an admin, and Invalid for a day before
// today (in Amsterdam), a day that is a closing day already, and a reason
// that is empty, longer than ReasonMax or not one line of text.
func (s *Service) AddClosingDay(ctx context.Context, by *users.User, day time.Time, reason string) (*ClosingDay, error) {
	if err := adminOnly(by); err != nil {
		return nil, err
	}
	day = dayOf(day)
	reason = strings.TrimSpace(reason)
	fe := apperr.FieldErrors{}
	switch {
	case day.IsZero():
		fe.Add("day", i18n.M("Enter the date, e.g. %s.", i18n.D(time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC))))
	case day.Before(s.today()):
		fe.Add("day", i18n.M("%s is in the past: a closing day is today or later.", i18n.D(day)))
	}
	if reason == "" {
		fe.Add("reason", i18n.M("Enter the reason, e.g. Between Christmas and New Year."))
	}
	validate.Line(fe, "reason", reason, ReasonMax)
	if err := fe.Err(); err != nil {
		return nil, err
	}
	cd := &ClosingDay{Day: day, Reason: reason, CreatedBy: by.ID}
	err := postgres.Run(ctx, s.DB, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		cd.CreatedAt = s.Clock.Now()
		res, err := tx.NewInsert().Model(cd).On("CONFLICT (day) DO NOTHING").Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.FieldErrors{"day": i18n.M("%s is a closing day already.", i18n.D(day))}.Err()
		}
		return audit.Record(ctx, tx, cd.CreatedAt, audit.Change{Entity: "closing_day", EntityID: day.Format(time.DateOnly), Action: "create", After: cd})
	})
	if err != nil {
		return nil, err
	}
	cd.CreatedByName = by.Name
	return cd, nil
}

// RemoveClosingDay makes day an ordinary day again, by an admin. Returns
// Forbidden for anyone but an admin, NotFound when day is no closing day,
// and Conflict for a day before today (in Amsterdam): what was closed stays
// on record.
func (s *Service) RemoveClosingDay(ctx context.Context, by *users.User, day time.Time) error {
	if err := adminOnly(by); err != nil {
		return err
	}
	day = dayOf(day)
	if day.Before(s.today()) {
		return apperr.Conflictf("%s is in the past: a closing day that has been stays on record.", i18n.D(day))
	}
	return postgres.Run(ctx, s.DB, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		var gone []ClosingDay
		err := tx.NewRaw("DELETE FROM closing_days WHERE day = ?::date RETURNING day, reason, created_by, created_at", day.Format(time.DateOnly)).Scan(ctx, &gone)
		if err != nil {
			return err
		}
		if len(gone) == 0 {
			return apperr.NotFoundf("%s is no closing day.", i18n.D(day))
		}
		return audit.Record(ctx, tx, s.Clock.Now(), audit.Change{Entity: "closing_day", EntityID: day.Format(time.DateOnly), Action: "remove", Before: gone[0]})
	})
}
