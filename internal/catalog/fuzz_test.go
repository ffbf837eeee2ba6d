package catalog_test

import (
	"context"
	"strings"
	"testing"

	"wholesale/internal/apperr"
	"wholesale/internal/catalog"
)

var hostileSeeds = []string{"", "KR-1", "12,50", "12.50,0", "2147483648", "9223372036854775807", "-1", "101", "x\x00", "x\x1b",
	"a\r\nb", "\xff\xfe", strings.Repeat("é", 201), "https://krups.nl", "service@krups.nl"}

func noInternal(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil && apperr.KindOf(err) == apperr.Internal {
		t.Fatalf("%s: internal error for input the validation let through: %v", what, err)
	}
}

// FuzzPricesInput: a prices form is saved or refused at a field, never an
// internal error; an accepted price and discount fit their columns.
func FuzzPricesInput(f *testing.F) {
	e := newPricesEnv(f)
	for _, v := range hostileSeeds {
		f.Add(v, "KR-1", "10")
		f.Add("5", v, "10")
		f.Add("5", "KR-1", v)
	}
	f.Fuzz(func(t *testing.T, discount, sku, price string) {
		err := e.svc.SetPrices(context.Background(), e.company.ID, catalog.PricesInput{Discount: discount, SKU: sku, Price: price})
		noInternal(t, "prices", err)
	})
}

// FuzzServiceCentre: a service centre is saved or refused at a field.
func FuzzServiceCentre(f *testing.F) {
	e := newPricesEnv(f)
	for i := 0; i < 6; i++ {
		for _, v := range hostileSeeds {
			f.Add(uint8(i), v)
		}
	}
	f.Fuzz(func(t *testing.T, field uint8, v string) {
		sc := catalog.ServiceCentre{Brand: "Krups", Name: "Krups Service", Address: "Kanaalweg 12", Phone: "030 123 4567", Email: "s@krups.nl", Web: "https://krups.nl"}
		*[]*string{&sc.Brand, &sc.Name, &sc.Address, &sc.Phone, &sc.Email, &sc.Web}[int(field)%6] = v
		noInternal(t, "service centre", e.svc.SaveServiceCentre(context.Background(), sc))
	})
}
