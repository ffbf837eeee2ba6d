package stock_test

import (
	"regexp"
	"testing"

	"wholesale/internal/catalog"
	"wholesale/internal/stock"
)

var warehouseCode = regexp.MustCompile(`^[A-Z0-9-]{1,16}$`)

// FuzzStockRowParse parses any stock count row: a row that passes has a
// SKU, a warehouse code and a count within their bounds.
func FuzzStockRowParse(f *testing.F) {
	for _, seed := range [][3]string{
		{"KR-1", "MAIN", "12"}, {"KR-1", "MAIN", "2147483648"}, {"KR-1", "MAIN", "1000000000"}, {"KR-1", "MAIN", "-1"},
		{"KR\x001", "MA\x00IN", "1\x00"}, {" kr-1 ", "remote", " 0012 "}, {"KR-1", "MAIN", "1e9"}, {"KR-1", "MAIN", "9223372036854775808"},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	f.Fuzz(func(t *testing.T, sku, warehouse, onHand string) {
		r, msg := stock.StockRowInput{SKU: sku, Warehouse: warehouse, OnHand: onHand}.Parse()
		if msg.IsZero() && (!catalog.ValidSKU(r.SKU) || !warehouseCode.MatchString(r.Warehouse) || r.OnHand < 0 || r.OnHand > stock.MaxOnHand) {
			t.Fatalf("%q %q %q parsed into %+v", sku, warehouse, onHand, r)
		}
	})
}

// FuzzSupplierStockRowParse parses any supplier-stock row: a row that
// passes has a SKU, a quantity and a lead time within their bounds.
func FuzzSupplierStockRowParse(f *testing.F) {
	for _, seed := range [][3]string{
		{"KR-1", "5", "3"}, {"KR-1", "2147483648", "2"}, {"KR-1", "1", "0"}, {"KR-1", "1", "366"}, {"KR\x001", "1\x00", "1\x00"}, {"KR-1", "", ""},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	f.Fuzz(func(t *testing.T, sku, quantity, leadDays string) {
		r, msg := stock.SupplierStockInput{SKU: sku, Quantity: quantity, LeadDays: leadDays}.Parse()
		if msg.IsZero() && (!catalog.ValidSKU(r.SKU) || r.Quantity < 0 || r.Quantity > stock.MaxOnHand || r.LeadDays < 1 || r.LeadDays > stock.MaxLeadDays) {
			t.Fatalf("%q %q %q parsed into %+v", sku, quantity, leadDays, r)
		}
	})
}
