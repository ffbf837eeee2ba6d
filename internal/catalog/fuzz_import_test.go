package catalog_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"wholesale/internal/apperr"
	"wholesale/internal/catalog"
)

// FuzzProductInputParse parses any product row: it refuses with Invalid
// and field messages, or returns a product whose every field is within its
// bounds. The seeds are the findings of issue 11 and the edges of each bound.
func FuzzProductInputParse(f *testing.F) {
	f.Add("KR-1", "Kettle", "Krups", "Steel\r\n\tkettle", "19,95", "21", "4006508218202", "5", "yes", "normal")
	f.Add("KR-1", "Kettle", "", "", "1.000.000,00", "9", "", "1000000", "no", "discontinued")
	f.Add("KR-1", "Kettle", "", "", "12.50,0", "0", "", "2147483648", "", "")
	f.Add("KR-1", "Kettle", "", "", "9999999999999", "", "", "9223372036854775807", "", "")
	f.Add("KR\x001", "Ket\x00tle", "Kr\x00ups", "de\x00sc", "1\x00", "2\x001", "4\x00", "5\x00", "y\x00", "n\x00")
	f.Add(strings.Repeat("A", 41), strings.Repeat("é", 201), strings.Repeat("b", 3000), strings.Repeat("d", 2001), "-1", "6", "123", "-1", "maybe", "gone")
	f.Add("kr-1", "Kettle\u2028", "\xff", "\x1b[31m", "€ 1 250,5", "21%", "4006 5082 1820 2", "0", "JA", "supplier_silent")
	f.Fuzz(func(t *testing.T, sku, name, brand, desc, price, vat, ean, maxPer, doa, supply string) {
		in := catalog.ProductInput{SKU: sku, Name: name, Brand: brand, Description: desc, UnitPrice: price, VATRate: vat, EAN: ean,
			MaxPerOrder: maxPer, DOAReturnable: doa, Supply: supply}
		p, err := in.Parse()
		if err != nil {
			if ae, ok := apperr.As(err); !ok || ae.Kind != apperr.Invalid || len(ae.Fields) == 0 {
				t.Fatalf("%+v: %v", in, err)
			}
			return
		}
		oneLine := func(s string, max int) bool {
			return utf8.ValidString(s) && utf8.RuneCountInString(s) <= max && !strings.ContainsFunc(s, unicode.IsControl)
		}
		text := strings.NewReplacer("\r\n", "\n").Replace(p.Description)
		switch {
		case !catalog.ValidSKU(p.SKU), p.Name == "", !oneLine(p.Name, catalog.NameMax), !oneLine(p.Brand, catalog.NameMax),
			!utf8.ValidString(text), utf8.RuneCountInString(text) > catalog.DescriptionMax,
			strings.ContainsFunc(text, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }),
			p.UnitPriceCents < 0, p.UnitPriceCents > catalog.MaxUnitPriceCents,
			p.VATRate != 0 && p.VATRate != 9 && p.VATRate != 21,
			p.EAN != "" && !catalog.ValidEAN(p.EAN),
			p.MaxPerOrder != nil && (*p.MaxPerOrder < 1 || *p.MaxPerOrder > catalog.MaxPerOrderLimit),
			p.Supply != catalog.SupplyNormal && p.Supply != catalog.SupplyDiscontinued && p.Supply != catalog.SupplySupplierSilent:
			t.Fatalf("%+v parsed into a product out of bounds: %+v", in, p)
		}
	})
}
