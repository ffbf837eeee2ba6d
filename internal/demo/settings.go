package demo

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/audit"
	"wholesale/internal/calendar"
	"wholesale/internal/settings"
	"wholesale/internal/users"
)

// Wholesaler is the demo wholesaler's own details, as its invoices print
// them: a Dutch B.V. whose VAT id passes the Dutch check digits and whose
// IBAN passes mod-97.
var Wholesaler = settings.Input{
	Name: "Wholesale Demo B.V.", Street: "Industrieweg 12", Postcode: "3542 AD", City: "Utrecht", Country: "NL",
	VATID: "NL812345678B01", KvK: "57843921", IBAN: "NL44RABO0123456789", BIC: "RABONL2U",
	Email: "factuur@wholesale.test", Phone: "+31 30 700 1200", Website: "https://www.wholesale.test", Cutoff: "17:00",
}

// closedReason is why the demo company closes between Christmas and New Year.
const closedReason = "Gesloten tussen Kerst en Oud en Nieuw"

// loadSettings fills in the wholesaler's details, so invoices can be
// issued, and closes the company on the working days between Christmas
// and New Year of this year that are still ahead. It is done as the admin,
// who keeps the settings.
func loadSettings(ctx context.Context, db *bun.DB, now time.Time, d *Data) error {
	admin := d.Users[users.RoleAdmin]
	ctx = audit.WithActor(ctx, audit.Actor{UserID: admin.ID, Label: admin.Email})
	svc := &settings.Service{DB: db, Clock: fixed(now)}
	if _, err := svc.Save(ctx, admin, Wholesaler); err != nil {
		return err
	}
	cal := calendar.New(settings.DefaultCutoffMinutes, nil)
	today := cal.LocalDay(now)
	for n := 27; n <= 31; n++ {
		day := time.Date(today.Year(), time.December, n, 0, 0, 0, 0, time.UTC)
		if day.Before(today) || !cal.IsWorkingDay(day) {
			continue
		}
		if _, err := svc.AddClosingDay(ctx, admin, day, closedReason); err != nil {
			return err
		}
	}
	return nil
}
