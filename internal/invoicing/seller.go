package invoicing

import (
	"context"

	"github.com/uptrace/bun"

	"wholesale/internal/settings"
)

// Seller is the wholesaler as its invoices name it, from the settings
// admins keep. Returns Conflict when a detail the law requires is missing
// (settings.ReadyToInvoice).
func Seller(ctx context.Context, db bun.IDB) (Party, error) {
	s, err := settings.Get(ctx, db)
	if err != nil {
		return Party{}, err
	}
	if err := s.ReadyToInvoice(); err != nil {
		return Party{}, err
	}
	return Party{Name: s.Name, Street: s.Street, Postcode: s.Postcode, City: s.City, Country: s.Country, VATID: s.VATID,
		KvK: s.KvK, IBAN: s.IBAN, BIC: s.BIC, Email: s.Email, Phone: s.Phone, Website: s.Website}, nil
}
