package catalog_test

import (
	"bytes"
	"context"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/catalog"
	"wholesale/internal/clock"
	"wholesale/internal/pgtest"
	"wholesale/internal/xlsx"
	"wholesale/internal/xlsx/xlsxtest"
)

func newService(t *testing.T) (*catalog.Service, *bun.DB) {
	db := pgtest.New(t)
	return &catalog.Service{DB: db, Clock: clock.NewFixed(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))}, db
}

func productCount(t *testing.T, db *bun.DB) int {
	var n int
	err := db.NewSelect().Table("products").ColumnExpr("count(*)").Scan(context.Background(), &n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestProductInputBoundsEveryField(t *testing.T) {
	good := catalog.ProductInput{SKU: "KR-1", Name: "Kettle", UnitPrice: "19,95"}
	cases := []struct {
		field string
		edit  func(*catalog.ProductInput)
	}{
		{"sku", func(in *catalog.ProductInput) { in.SKU = strings.Repeat("A", 41) }},
		{"sku", func(in *catalog.ProductInput) { in.SKU = "KR\x001" }},
		{"name", func(in *catalog.ProductInput) { in.Name = strings.Repeat("é", 201) }},
		{"name", func(in *catalog.ProductInput) { in.Name = "Kettle\x00" }},
		{"name", func(in *catalog.ProductInput) { in.Name = "Kettle\nsteel" }},
		{"name", func(in *catalog.ProductInput) { in.Name = "Kettle \xff" }},
		{"name", func(in *catalog.ProductInput) { in.Name = "   " }},
		{"brand", func(in *catalog.ProductInput) { in.Brand = strings.Repeat("b", 201) }},
		{"brand", func(in *catalog.ProductInput) { in.Brand = "Kr\x1bups" }},
		{"description", func(in *catalog.ProductInput) { in.Description = strings.Repeat("d", 2001) }},
		{"description", func(in *catalog.ProductInput) { in.Description = "line\x00" }},
		{"description", func(in *catalog.ProductInput) { in.Description = "bell\a" }},
		{"unit_price", func(in *catalog.ProductInput) { in.UnitPrice = "1.000.000,01" }},
		{"unit_price", func(in *catalog.ProductInput) { in.UnitPrice = "9999999999999" }},
		{"unit_price", func(in *catalog.ProductInput) { in.UnitPrice = "-1" }},
		{"vat_rate", func(in *catalog.ProductInput) { in.VATRate = "2147483648" }},
		{"ean", func(in *catalog.ProductInput) { in.EAN = strings.Repeat("4", 3000) }},
		{"max_per_order", func(in *catalog.ProductInput) { in.MaxPerOrder = "2147483648" }},
		{"max_per_order", func(in *catalog.ProductInput) { in.MaxPerOrder = "9223372036854775808" }},
		{"max_per_order", func(in *catalog.ProductInput) { in.MaxPerOrder = "1000001" }},
		{"max_per_order", func(in *catalog.ProductInput) { in.MaxPerOrder = "-1" }},
		{"max_per_order", func(in *catalog.ProductInput) { in.MaxPerOrder = "1e3" }},
		{"doa_returnable", func(in *catalog.ProductInput) { in.DOAReturnable = "maybe\x00" }},
		{"supply", func(in *catalog.ProductInput) { in.Supply = "gone" }},
	}
	for _, c := range cases {
		in := good
		c.edit(&in)
		_, err := in.Parse()
		ae, _ := apperr.As(err)
		if ae == nil || ae.Kind != apperr.Invalid || ae.Fields[c.field].IsZero() || len(ae.Fields) != 1 {
			t.Errorf("%+v: %v, want one message at %s", in, err, c.field)
		}
	}
	// The limits themselves are accepted, and a description keeps its lines.
	in := catalog.ProductInput{SKU: strings.Repeat("A", 40), Name: strings.Repeat("é", 200), Brand: strings.Repeat("b", 200),
		Description: "Line one,\r\n\tline two" + strings.Repeat("d", 1978), UnitPrice: "1.000.000,00", MaxPerOrder: "1000000"}
	p, err := in.Parse()
	if err != nil {
		t.Fatal(err)
	}
	if p.UnitPriceCents != catalog.MaxUnitPriceCents || *p.MaxPerOrder != 1_000_000 || !strings.HasPrefix(p.Description, "Line one,\r\n\tline two") {
		t.Fatalf("%+v", p)
	}
}

// TestDiscountOnTheHighestPriceFitsInt64 proves that no customer discount
// (0 to 100 %) on the highest list price, times the most pieces of a line,
// overflows: the result equals the exact one.
func TestDiscountOnTheHighestPriceFitsInt64(t *testing.T) {
	for _, bp := range []int{0, 1, 250, 5000, 9999, 10000} {
		got := catalog.ApplyDiscount(catalog.MaxUnitPriceCents, bp)
		exact := new(big.Int).Mul(big.NewInt(catalog.MaxUnitPriceCents), big.NewInt(int64(10000-bp)))
		exact.Add(exact, big.NewInt(5000)).Quo(exact, big.NewInt(10000))
		if exact.Int64() != got || !new(big.Int).Mul(exact, big.NewInt(catalog.MaxPerOrderLimit)).IsInt64() {
			t.Errorf("ApplyDiscount(max, %d) = %d, exact %s", bp, got, exact)
		}
	}
}

func TestImportProductsRefusesNumbersPastTheirBounds(t *testing.T) {
	t.Parallel()
	s, db := newService(t)
	rep, err := s.ImportProducts(context.Background(), []byte("sku,name,unit_price,max_per_order\n"+
		"KR-1,Kettle,19,2147483648\nKR-2,Toaster,99999999999,5\nKR-3,Fine,1,5\nKR-4,Nul\x00,1,\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"2: max_per_order:", "3: unit_price:", "5: name: This text contains a NUL"}
	if rep.ErrorCount != 3 || len(rep.Errors) != 3 {
		t.Fatalf("%+v", rep)
	}
	for i, w := range want {
		if got := fmt.Sprintf("%d: %s", rep.Errors[i].Row, rep.Errors[i].Reason); !strings.HasPrefix(got, w) {
			t.Errorf("problem %d: %q, want %q…", i, got, w)
		}
	}
	if n := productCount(t, db); n != 0 {
		t.Fatalf("%d products written", n)
	}
}

// TestImportRefusesHostileFilesWithAShortReport builds files of millions of
// rows that pack small and asserts that each is refused with a clear
// message, nothing is written, and the report lists at most 100 problems
// and counts them all.
func TestImportRefusesHostileFilesWithAShortReport(t *testing.T) {
	t.Parallel()
	s, db := newService(t)
	ctx := context.Background()
	byName := map[string]xlsxtest.File{}
	for _, f := range xlsxtest.WorstProductFiles() {
		byName[f.Name] = f
	}
	fourMillion := byName["xlsx_4M_rows"].Build()
	if len(fourMillion) > 8<<20 {
		t.Fatalf("the 4M-row file is %d bytes", len(fourMillion))
	}
	rep, err := s.ImportProducts(ctx, fourMillion)
	if err != nil || rep.ErrorCount != 1 || !strings.Contains(rep.Errors[0].Reason.String(), "holds more than 64 MB unpacked") {
		t.Fatalf("4M rows: %v %+v", err, rep)
	}
	for _, name := range []string{"xlsx_300k_rows_under_64MB_unpacked", "csv_20MB_of_rows"} {
		content := byName[name].Build()
		rep, err := s.ImportProducts(ctx, content)
		if err != nil {
			t.Fatal(name, err)
		}
		// 20,000 bad rows are read, the 20,001st row stops the reading.
		if rep.ErrorCount != xlsx.MaxRows+1 || len(rep.Errors) != catalog.MaxReportedErrors || rep.More() != rep.ErrorCount-100 {
			t.Fatalf("%s: %d problems, %d listed", name, rep.ErrorCount, len(rep.Errors))
		}
		first := rep.Errors[0]
		if first.Row != 0 || first.Reason.String() != "The file has more than 20,000 rows after the header: split it into files of at most 20,000 rows." {
			t.Fatalf("%s: first problem %+v", name, first)
		}
		if rep.Errors[1].Row != 2 || rep.Errors[99].Row != 100 || !strings.Contains(rep.Errors[1].Reason.String(), "sku: A SKU is") {
			t.Fatalf("%s: rows listed %+v … %+v", name, rep.Errors[1], rep.Errors[99])
		}
	}
	over := append([]byte("sku,name,unit_price\n"), bytes.Repeat([]byte("KR-1,Kettle,1\n"), xlsx.MaxImportBytes/14)...)
	rep, err = s.ImportProducts(ctx, over)
	if err != nil || rep.ErrorCount != 1 || rep.Errors[0].Reason.String() != "The file is larger than 20 MB: split it into smaller files." {
		t.Fatalf("over 20 MB: %v %+v", err, rep)
	}
	if n := productCount(t, db); n != 0 {
		t.Fatalf("%d products written", n)
	}
	// A file at the row cap is imported.
	var ok bytes.Buffer
	ok.WriteString("sku,name,unit_price\n")
	for i := 0; i < xlsx.MaxRows; i++ {
		fmt.Fprintf(&ok, "CAP-%05d,Kettle %d,19\n", i, i)
	}
	if rep, err := s.ImportProducts(ctx, ok.Bytes()); err != nil || rep.Created != xlsx.MaxRows || rep.Failed() {
		t.Fatalf("at the cap: %v %d created, %+v", err, rep.Created, rep.Errors)
	}
	if n := productCount(t, db); n != xlsx.MaxRows {
		t.Fatalf("%d products written, want %d", n, xlsx.MaxRows)
	}
}

func TestImportProductsAuditsEachChange(t *testing.T) {
	t.Parallel()
	s, db := newService(t)
	ctx := context.Background()
	file := xlsxtest.Table([]string{"sku", "name", "unit_price"}, []string{"KR-1", "Kettle", "19,95"}, []string{"KR-2", "Toaster", "25"})
	if rep, err := s.ImportProducts(ctx, file); err != nil || rep.Created != 2 {
		t.Fatalf("%v %+v", err, rep)
	}
	file = xlsxtest.Table([]string{"sku", "name", "unit_price"}, []string{"KR-1", "Kettle", "21"}, []string{"KR-2", "Toaster", "25"})
	if rep, err := s.ImportProducts(ctx, file); err != nil || rep.Updated != 1 || rep.Unchanged != 1 {
		t.Fatalf("%v %+v", err, rep)
	}
	var actions []string
	if err := db.NewSelect().Table("audit_log").ColumnExpr("action || ' ' || (after->>'sku') || ' ' || (after->>'unit_price_cents')").
		Where("entity = 'product'").OrderExpr("id").Scan(ctx, &actions); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(actions, ", "); got != "create KR-1 1995, create KR-2 2500, update KR-1 2100" {
		t.Fatalf("audit: %s", got)
	}
}
