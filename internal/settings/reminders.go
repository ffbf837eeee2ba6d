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

// ReminderDaysMax is the most days after the due date a reminder may wait.
const ReminderDaysMax = 365

// ReminderInput is the form of the payment reminders as typed: the days
// after the due date the first and the second reminder go out.
type ReminderInput struct {
	First, Second string
}

// ReminderInputOf is the reminder form filled in with s.
func ReminderInputOf(s *Settings) ReminderInput {
	return ReminderInput{First: strconv.Itoa(s.Reminder1Days), Second: strconv.Itoa(s.Reminder2Days)}
}

// Validate normalises the input and returns a message per wrong field
// (reminder_1_days, reminder_2_days): each a whole number of days from 1
// to ReminderDaysMax, the second later than the first.
func (in *ReminderInput) Validate() apperr.FieldErrors {
	fe := apperr.FieldErrors{}
	days := func(field string, s *string) int {
		*s = strings.TrimSpace(*s)
		if !validate.Line(fe, field, *s, validate.ShortMax) {
			return 0
		}
		n, err := strconv.Atoi(*s)
		if err != nil || strings.ContainsAny(*s, "+-") {
			fe.Add(field, i18n.M("Enter a whole number of days, e.g. 7."))
			return 0
		}
		if n < 1 || n > ReminderDaysMax {
			fe.Add(field, i18n.M("Enter from 1 to %d days.", ReminderDaysMax))
			return 0
		}
		return n
	}
	first, second := days("reminder_1_days", &in.First), days("reminder_2_days", &in.Second)
	if first > 0 && second > 0 && second <= first {
		fe.Add("reminder_2_days", i18n.M("The second reminder goes out later than the first: more than %d days.", first))
	}
	return fe
}

// reminderRecord is what the audit trail keeps of the reminder days.
type reminderRecord struct {
	First  int `json:"reminder_1_days"`
	Second int `json:"reminder_2_days"`
}

// SaveReminders stores the days after the due date that the payment
// reminders go out, by an admin, and records the change in the audit
// trail. Returns Forbidden for anyone but an admin and Invalid with a
// message per wrong field (nothing is stored).
func (s *Service) SaveReminders(ctx context.Context, by *users.User, in ReminderInput) (*Settings, error) {
	if err := adminOnly(by); err != nil {
		return nil, err
	}
	if err := in.Validate().Err(); err != nil {
		return nil, err
	}
	first, _ := strconv.Atoi(in.First)
	second, _ := strconv.Atoi(in.Second)
	var saved *Settings
	err := postgres.Run(ctx, s.DB, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		old := new(Settings)
		if err := tx.NewSelect().Model(old).Where("st.id").For("UPDATE").Scan(ctx); err != nil {
			return apperr.Wrap(err, "settings: lock")
		}
		now := s.Clock.Now()
		next := *old
		next.Reminder1Days, next.Reminder2Days = first, second
		next.UpdatedAt, next.UpdatedBy = &now, &by.ID
		if _, err := tx.NewUpdate().Model(&next).Column("reminder_1_days", "reminder_2_days", "updated_at", "updated_by").WherePK().Exec(ctx); err != nil {
			return err
		}
		saved = &next
		return audit.Record(ctx, tx, now, audit.Change{Entity: "settings", EntityID: "company", Action: "reminders",
			Before: reminderRecord{old.Reminder1Days, old.Reminder2Days}, After: reminderRecord{first, second}})
	})
	if err != nil {
		return nil, err
	}
	return saved, nil
}
