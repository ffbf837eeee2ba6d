package stock_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"wholesale/internal/apperr"
	"wholesale/internal/stock"
)

func TestParseSupplyLines(t *testing.T) {
	lines, msg := stock.ParseSupplyLines("kr-100 24\r\n\n  MX-1,3  \n")
	if !msg.IsZero() || len(lines) != 2 || lines[0] != (stock.SupplyLineInput{SKU: "KR-100", Quantity: 24}) || lines[1] != (stock.SupplyLineInput{SKU: "MX-1", Quantity: 3}) {
		t.Fatalf("%+v %q", lines, msg)
	}
	for text, want := range map[string]string{
		"KR-100":                       "Line 1: write the SKU and the quantity",
		"KR-100 24\nKR-200 0":          "Line 2: The quantity must be at least 1.",
		"KR-100 -5":                    "Line 1: Enter the number without a minus sign",
		"KR-100 2147483648":            "Line 1: Enter at most 1,000,000.",
		"KR-100 9223372036854775807":   "Line 1: Enter at most 1,000,000.",
		"KR-100 1000001":               "Line 1: Enter at most 1,000,000.",
		"KR-100 1e3":                   "Line 1: Enter a whole number",
		"KR-100 24\x00":                "NUL",
		"KR-100\x1b 24":                "control character",
		"KR-100 24\xff":                "UTF-8",
		strings.Repeat("K", 41) + " 1": "Line 1: a SKU has at most 40 characters.",
		strings.Repeat("KR-1 1\n", stock.SupplyLinesMax+1): "at most 5,000 lines",
		strings.Repeat("x", stock.SupplyLinesMax*50+1):     "at most 250,000 characters",
	} {
		if _, msg := stock.ParseSupplyLines(text); !strings.Contains(msg.String(), want) {
			t.Errorf("%.30q: %q, want %q", text, msg, want)
		}
	}
}

func TestSupplierOrderFormBoundsEveryField(t *testing.T) {
	good := stock.SupplierOrderForm{Supplier: "Groupe SEB", Reference: "SEB-2026-114", ExpectedDate: "2026-12-01", Lines: "KR-100 24"}
	if in, fe := good.Input(); len(fe) != 0 || in.ExpectedDate.Year() != 2026 || len(in.Lines) != 1 {
		t.Fatalf("good form: %v %+v", fe, in)
	}
	for _, c := range []struct {
		edit  func(*stock.SupplierOrderForm)
		field string
		want  string
	}{
		{func(f *stock.SupplierOrderForm) { f.Supplier = "" }, "supplier", "Enter the supplier."},
		{func(f *stock.SupplierOrderForm) { f.Supplier = "SEB\x00" }, "supplier", "NUL"},
		{func(f *stock.SupplierOrderForm) { f.Supplier = strings.Repeat("s", 201) }, "supplier", "at most 200"},
		{func(f *stock.SupplierOrderForm) { f.Reference = strings.Repeat("r", 36) }, "reference", "at most 35"},
		{func(f *stock.SupplierOrderForm) { f.Reference = "SEB\n114" }, "reference", "one line"},
		{func(f *stock.SupplierOrderForm) { f.ExpectedDate = "" }, "expected_date", "Enter the expected delivery date."},
		{func(f *stock.SupplierOrderForm) { f.ExpectedDate = "0026-12-01" }, "expected_date", "from 2000 to 2099"},
		{func(f *stock.SupplierOrderForm) { f.ExpectedDate = "next week" }, "expected_date", "Enter the date, e.g. 24 Nov 2026."},
		{func(f *stock.SupplierOrderForm) { f.Lines = "" }, "lines", "Add at least one line."},
		{func(f *stock.SupplierOrderForm) { f.Lines = "KR-100 0" }, "lines", "at least 1"},
	} {
		f := good
		c.edit(&f)
		_, fe := f.Input()
		if !strings.Contains(fe[c.field].String(), c.want) || len(fe) != 1 {
			t.Errorf("%+v: %v; want %q at %s only", f, fe, c.want, c.field)
		}
	}
}

func TestSupplyUseCasesRefuseBadInputBeforeWriting(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.t = t
	ctx := context.Background()
	p := e.product("KR-100")
	o, line := e.supply(p, 10, "2026-12-01", false)
	counts := func() [5]int {
		var out [5]int
		for i, table := range []string{"supplier_orders", "supplier_order_lines", "suppliers", "audit_log", "outbox"} {
			n, err := e.db.NewSelect().Table(table).Count(ctx)
			if err != nil {
				t.Fatal(err)
			}
			out[i] = int(n)
		}
		return out
	}
	before := counts()
	d := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for name, in := range map[string]stock.SupplierOrderInput{
		"unknown SKU":      {Supplier: "SEB", ExpectedDate: d, Lines: []stock.SupplyLineInput{{SKU: "NOPE", Quantity: 1}}},
		"huge quantity":    {Supplier: "SEB", ExpectedDate: d, Lines: []stock.SupplyLineInput{{ProductID: p.ID, Quantity: 2147483648}}},
		"negative":         {Supplier: "SEB", ExpectedDate: d, Lines: []stock.SupplyLineInput{{ProductID: p.ID, Quantity: -1}}},
		"supplier NUL":     {Supplier: "SEB\x00", ExpectedDate: d, Lines: []stock.SupplyLineInput{{ProductID: p.ID, Quantity: 1}}},
		"year 20260":       {Supplier: "SEB", ExpectedDate: time.Date(20260, 1, 1, 0, 0, 0, 0, time.UTC), Lines: []stock.SupplyLineInput{{ProductID: p.ID, Quantity: 1}}},
		"501 lines":        {Supplier: "SEB", ExpectedDate: d, Lines: make([]stock.SupplyLineInput, 501)},
		"reference 36":     {Supplier: "SEB", Reference: strings.Repeat("r", 36), ExpectedDate: d, Lines: []stock.SupplyLineInput{{ProductID: p.ID, Quantity: 1}}},
		"a second unknown": {Supplier: "SEB", ExpectedDate: d, Lines: []stock.SupplyLineInput{{SKU: "KR-100", Quantity: 1}, {SKU: "KR-999", Quantity: 1}}},
	} {
		if _, err := e.stock.CreateSupplierOrder(ctx, in); apperr.KindOf(err) != apperr.Invalid {
			t.Errorf("%s: %v", name, err)
		}
	}
	for name, r := range map[string]stock.Receipt{
		"huge":     {SupplierOrderID: o.ID, Lines: []stock.ReceiptLine{{LineID: line, Quantity: 2147483648}}},
		"negative": {SupplierOrderID: o.ID, Lines: []stock.ReceiptLine{{LineID: line, Quantity: -3}}},
		"too many": {SupplierOrderID: o.ID, Lines: []stock.ReceiptLine{{LineID: line, Quantity: 11}}},
		"no line":  {SupplierOrderID: o.ID, Lines: []stock.ReceiptLine{{LineID: 0, Quantity: 1}}},
	} {
		if _, err := e.stock.Receive(ctx, r); apperr.KindOf(err) != apperr.Invalid {
			t.Errorf("receipt %s: %v", name, err)
		}
	}
	for _, y := range []int{1, 1999, 2100, 20260} {
		if err := e.stock.ConfirmDate(ctx, o.ID, time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)); apperr.KindOf(err) != apperr.Invalid {
			t.Errorf("confirmed year %d: %v", y, err)
		}
	}
	if after := counts(); after != before {
		t.Fatalf("refused input wrote: %v, was %v", after, before)
	}
	so, err := e.stock.CreateSupplierOrder(ctx, stock.SupplierOrderInput{Supplier: "SEB", ExpectedDate: d,
		Lines: []stock.SupplyLineInput{{SKU: " kr-100 ", Quantity: 1_000_000}}})
	if err != nil {
		t.Fatalf("an order by SKU of 1,000,000: %v", err)
	}
	var got struct {
		ProductID int64 `bun:"product_id"`
		Quantity  int   `bun:"quantity"`
	}
	if err := e.db.NewSelect().Table("supplier_order_lines").Column("product_id", "quantity").Where("supplier_order_id = ?", so.ID).Scan(ctx, &got); err != nil ||
		got.ProductID != p.ID || got.Quantity != 1_000_000 {
		t.Fatalf("line by SKU: %+v %v", got, err)
	}
}
