package stock_test

import (
	"context"
	"strings"
	"testing"

	"wholesale/internal/apperr"
	"wholesale/internal/catalog"
	"wholesale/internal/stock"
	"wholesale/internal/validate"
)

var hostileSeeds = []string{"", "KR-100 24", "Groupe SEB", "SEB-2026-114", "2026-12-01", "0026-12-01", "KR-100 2147483648",
	"KR-100 -1", "KR-100 0", "x\x00", "x\x1b", "a\r\nb", "\xff\xfe", strings.Repeat("é", 201), strings.Repeat("KR-100 1\n", 501)}

// FuzzParseSupplyLines: the lines a text gives are 1 to SupplyLinesMax, each
// of 1 to QuantityMax pieces of a SKU without spaces or control characters.
func FuzzParseSupplyLines(f *testing.F) {
	for _, s := range hostileSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		lines, msg := stock.ParseSupplyLines(text)
		if !msg.IsZero() {
			return
		}
		if len(lines) > stock.SupplyLinesMax {
			t.Fatalf("%d lines", len(lines))
		}
		for _, l := range lines {
			if l.Quantity < 1 || l.Quantity > validate.QuantityMax || !validate.CheckLine(l.SKU, 40).IsZero() || strings.ContainsAny(l.SKU, " \t") {
				t.Fatalf("%q gave %+v", text, l)
			}
		}
	})
}

// FuzzSupplierOrderForm: whatever the form holds, recording it refuses at
// a field or stores the supplier order, never an internal error.
func FuzzSupplierOrderForm(f *testing.F) {
	e := newEnv(f)
	if _, err := e.cat.Save(context.Background(), catalog.ProductInput{SKU: "KR-100", Name: "Kettle", UnitPrice: "10"}); err != nil {
		f.Fatal(err)
	}
	for i := 0; i < 4; i++ {
		for _, v := range hostileSeeds {
			f.Add(uint8(i), v)
		}
	}
	f.Fuzz(func(t *testing.T, field uint8, v string) {
		form := stock.SupplierOrderForm{Supplier: "Groupe SEB", Reference: "SEB-1", ExpectedDate: "2026-12-01", Lines: "KR-100 24"}
		*[]*string{&form.Supplier, &form.Reference, &form.ExpectedDate, &form.Lines}[int(field)%4] = v
		in, fe := form.Input()
		if len(fe) > 0 {
			return
		}
		if _, err := e.stock.CreateSupplierOrder(context.Background(), in); err != nil && apperr.KindOf(err) == apperr.Internal {
			t.Fatalf("%+v: %v", form, err)
		}
	})
}
