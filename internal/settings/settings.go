// Package settings holds the wholesaler's own details, which every invoice
// prints, the daily invoicing cutoff, and the company's closing days. An
// admin keeps them; the calendar (internal/calendar) reads the cutoff and
// the closing days, the invoice run the details.
package settings

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/i18n"
)

// DefaultCutoffMinutes is the cutoff of a new installation: 17:00.
const DefaultCutoffMinutes = 17 * 60

// Settings is the one row of the wholesaler's details and the cutoff.
type Settings struct {
	bun.BaseModel `bun:"table:settings,alias:st"`

	ID       bool   `bun:"id,pk" json:"-"`
	Name     string `bun:"name" json:"name"`
	Street   string `bun:"street" json:"street"`
	Postcode string `bun:"postcode" json:"postcode"`
	City     string `bun:"city" json:"city"`
	Country  string `bun:"country" json:"country"`
	VATID    string `bun:"vat_id" json:"vat_id"`
	KvK      string `bun:"kvk" json:"kvk"`
	IBAN     string `bun:"iban" json:"iban"`
	BIC      string `bun:"bic" json:"bic"`
	Email    string `bun:"email" json:"email"`
	Phone    string `bun:"phone" json:"phone"`
	Website  string `bun:"website" json:"website"`
	// CutoffMinutes is the daily invoicing cutoff in minutes after
	// midnight in Amsterdam: 1020 is 17:00.
	CutoffMinutes int `bun:"cutoff_minutes" json:"cutoff_minutes"`
	// Reminder1Days and Reminder2Days are the days after an unpaid
	// invoice's due date that its first and its second payment reminder
	// go out (7 and 21 by default).
	Reminder1Days int `bun:"reminder_1_days" json:"reminder_1_days"`
	Reminder2Days int `bun:"reminder_2_days" json:"reminder_2_days"`
	// RAArriveDays is how many days after its RA is issued a return
	// parcel must have arrived (14 by default).
	RAArriveDays int        `bun:"ra_arrive_days" json:"ra_arrive_days"`
	UpdatedAt    *time.Time `bun:"updated_at" json:"updated_at,omitempty"`
	UpdatedBy    *int64     `bun:"updated_by" json:"updated_by,omitempty"`
}

// Cutoff is the cutoff as a time of day, "17:00".
func (s *Settings) Cutoff() string { return FormatCutoff(s.CutoffMinutes) }

// FormatCutoff prints minutes after midnight as "HH:MM".
func FormatCutoff(minutes int) string { return fmt.Sprintf("%02d:%02d", minutes/60, minutes%60) }

// InvoiceFields are the details an invoice cannot be issued without, as
// Dutch law asks of the seller: name, address, VAT id and KvK number; and
// the IBAN the customer pays to.
var InvoiceFields = []string{"name", "street", "postcode", "city", "country", "vat_id", "kvk", "iban"}

// Missing names the InvoiceFields that are empty, in that order; none
// when an invoice can be issued.
func (s *Settings) Missing() []string {
	value := map[string]string{"name": s.Name, "street": s.Street, "postcode": s.Postcode, "city": s.City,
		"country": s.Country, "vat_id": s.VATID, "kvk": s.KvK, "iban": s.IBAN}
	var out []string
	for _, f := range InvoiceFields {
		if value[f] == "" {
			out = append(out, f)
		}
	}
	return out
}

// ReadyToInvoice returns nil when every detail an invoice needs is filled
// in, and otherwise a Conflict naming the missing ones, for the invoice
// run to refuse with.
func (s *Settings) ReadyToInvoice() error {
	missing := s.Missing()
	if len(missing) == 0 {
		return nil
	}
	list := FieldLabel(missing[0])
	for _, f := range missing[1:] {
		list = i18n.M("%s, %s", list, FieldLabel(f))
	}
	return apperr.Conflictf("Invoices cannot be issued yet: the company details lack %s. An admin fills them in under Settings.", list)
}

// fieldLabels name the fields of the settings form for people.
var fieldLabels = map[string]i18n.Message{
	"name": i18n.M("Company name"), "street": i18n.M("Street and number"), "postcode": i18n.M("Postcode"),
	"city": i18n.M("City"), "country": i18n.M("Country"), "vat_id": i18n.M("VAT id"), "kvk": i18n.M("KvK number"),
	"iban": i18n.M("IBAN"), "bic": i18n.M("BIC"), "email": i18n.M("E-mail"), "phone": i18n.M("Phone"),
	"website": i18n.M("Website"), "cutoff": i18n.M("Invoicing cutoff"),
}

// FieldLabel names a field of the settings ("vat_id": "VAT id").
func FieldLabel(field string) i18n.Message {
	if m, ok := fieldLabels[field]; ok {
		return m
	}
	return i18n.Raw(field)
}

// Get reads the settings. The row always exists (the migration inserts it).
func Get(ctx context.Context, db bun.IDB) (*Settings, error) {
	s := new(Settings)
	if err := db.NewSelect().Model(s).Where("st.id").Scan(ctx); err != nil {
		return nil, apperr.Wrap(err, "settings: get")
	}
	return s, nil
}

// ClosingDay is a day the company is closed: no invoicing cutoff on it.
type ClosingDay struct {
	bun.BaseModel `bun:"table:closing_days,alias:cd"`

	// Day is the calendar day, at midnight UTC.
	Day       time.Time `bun:"day,pk,type:date" json:"day"`
	Reason    string    `bun:"reason" json:"reason"`
	CreatedBy int64     `bun:"created_by" json:"created_by"`
	CreatedAt time.Time `bun:"created_at" json:"created_at"`
	// CreatedByName is the name of the user who added it (read only).
	CreatedByName string `bun:"created_by_name,scanonly" json:"-"`
}

// ClosingDays lists the closing days from the day from on (all of them
// when from is zero), earliest first.
func ClosingDays(ctx context.Context, db bun.IDB, from time.Time) ([]ClosingDay, error) {
	var out []ClosingDay
	q := db.NewSelect().Model(&out).ColumnExpr("cd.*").ColumnExpr("u.name AS created_by_name").
		Join("JOIN users AS u ON u.id = cd.created_by").Order("cd.day")
	if !from.IsZero() {
		q = q.Where("cd.day >= ?::date", from.Format(time.DateOnly))
	}
	if err := q.Scan(ctx); err != nil {
		return nil, apperr.Wrap(err, "settings: closing days")
	}
	return out, nil
}
