package invoicing

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/i18n"
)

// Seller is the wholesaler as its invoices name it, from the settings
// admins keep. Returns Conflict when a detail the law requires is missing.
func Seller(ctx context.Context, db bun.IDB) (Party, error) {
	var p Party
	err := db.NewRaw(`SELECT name, street, postcode, city, country, vat_id, kvk, iban, bic, email, phone, website FROM settings`).Scan(ctx, &p)
	if err != nil {
		return p, fmt.Errorf("invoicing: settings: %w", err)
	}
	var missing []string
	for _, f := range []struct{ name, v string }{{"name", p.Name}, {"street", p.Street}, {"postcode", p.Postcode}, {"city", p.City},
		{"country", p.Country}, {"VAT id", p.VATID}, {"KvK", p.KvK}, {"IBAN", p.IBAN}} {
		if strings.TrimSpace(f.v) == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return p, apperr.Conflictf("The wholesaler's details lack %s: an admin fills them in under Settings before invoices can be issued.",
			i18n.Raw(strings.Join(missing, ", ")))
	}
	return p, nil
}
