package customers

import (
	"context"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/i18n"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
)

// LanguageFor is the language of the mail to a company or an applicant
// whose visiting address is in country: Dutch in the Netherlands, English
// elsewhere.
func LanguageFor(country string) i18n.Lang {
	if country == "NL" || country == "" {
		return i18n.NL
	}
	return i18n.EN
}

// LanguageLabel names a language for people: "Dutch", "English".
func LanguageLabel(l string) i18n.Message {
	switch i18n.Lang(l) {
	case i18n.NL:
		return i18n.M("Dutch")
	case i18n.EN:
		return i18n.M("English")
	}
	return i18n.Raw(l)
}

// Lang is the language the company's mail goes in.
func (c *Company) Lang() i18n.Lang { return i18n.Lang(c.Language).Or(i18n.Default) }

// LanguageLabel names the language the company's mail goes in.
func (c *Company) LanguageLabel() i18n.Message { return LanguageLabel(string(c.Lang())) }

// SetLanguage sets the language of the mail to a company ("nl" or "en").
// Sales and admins only; the change is in the audit trail. Returns
// NotFound, Forbidden, Invalid.
func (s *Service) SetLanguage(ctx context.Context, by *users.User, companyID int64, lang string) error {
	if !by.Is(users.RoleSales, users.RoleAdmin) {
		return apperr.Forbiddenf("Sales set the language of a customer's mail.")
	}
	if !i18n.Lang(lang).Valid() {
		return apperr.FieldErrors{"language": i18n.M("Choose Dutch or English.")}.Err()
	}
	return postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		c, err := LockByID(ctx, tx, companyID)
		if err != nil {
			return err
		}
		if c.Language == lang {
			return nil
		}
		before := c.Language
		now := s.Clock.Now()
		c.Language, c.UpdatedAt = lang, now
		if _, err := tx.NewUpdate().Model(c).Column("language", "updated_at").WherePK().Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Change{Entity: "company", EntityID: c.ID, Action: "language",
			Before: map[string]string{"language": before}, After: map[string]string{"language": lang}})
	})
}
