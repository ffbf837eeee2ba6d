package stock_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"wholesale/internal/apperr"
	"wholesale/internal/stock"
)

func (e *env) supplierStock(file string) {
	e.t.Helper()
	rep, err := e.stock.ImportSupplierStock(context.Background(), []byte(file))
	if err != nil || rep.Failed() {
		e.t.Fatalf("supplier stock: %v %+v", err, rep.Errors)
	}
}

// expected prints a demand's expected date and where it came from.
func (e *env) expected(d *stock.Demand) string {
	e.t.Helper()
	d = e.get(d.ID)
	s := date(d.ExpectedDate)
	if d.ExpectedFromSupplierStock {
		s += " supplier stock"
	}
	return s
}

// TestOrderedFromSupplierStock follows a product without stock or supply
// whose supplier holds 5 with a lead time of 4 days, through the real
// database: its status, and the expected dates of its back orders, which
// are the day a line was covered plus 4 calendar days (Europe/Amsterdam).
func TestOrderedFromSupplierStock(t *testing.T) {
	t.Parallel()
	e := newEnv(t) // the clock stands at 2026-11-24 09:00 UTC
	p := e.product("KR-900")
	c := e.company("Bakkerij Jansen")
	if s := e.status(p); s.Kind != stock.MustOrder {
		t.Fatalf("nothing: %s", s.Kind)
	}
	e.supplierStock("sku,supplier_stock,lead_days\nKR-900,5,4\n")
	s := e.status(p)
	if s.Kind != stock.FromSupplierStock || date(s.Date) != "2026-11-28" || s.English() != "Ordered from our supplier's stock (expected 28 Nov 2026)" ||
		s.Dutch() != "Wordt besteld uit de voorraad van onze leverancier (verwacht 28-11-2026)" {
		t.Fatalf("supplier stock: %+v %q", s, s.English())
	}
	// Late in the evening UTC it is already the next day in Amsterdam.
	now := e.clk.Now()
	e.clk.Set(time.Date(2026, 11, 24, 23, 30, 0, 0, time.UTC))
	if s := e.status(p); date(s.Date) != "2026-11-29" {
		t.Fatalf("after midnight in Amsterdam: %s", date(s.Date))
	}
	e.clk.Set(now)

	a := e.demand(p, c, "PO-A", 3)
	if a.Waiting() != 3 || e.expected(a) != "2026-11-28 supplier stock" || a.ExpectedConfirmed {
		t.Fatalf("first back order: %+v %s", a, e.expected(a))
	}
	if s := e.status(p); s.Kind != stock.FromSupplierStock { // 2 of the supplier's 5 are not counted on
		t.Fatalf("after 3 of 5: %s", s.Kind)
	}
	// Two days later: the next line is covered from that day; the first keeps its date.
	e.clk.Advance(48 * time.Hour)
	b := e.demand(p, c, "PO-B", 2)
	if e.expected(b) != "2026-11-30 supplier stock" || e.expected(a) != "2026-11-28 supplier stock" {
		t.Fatalf("second back order: %s, first %s", e.expected(b), e.expected(a))
	}
	if s := e.status(p); s.Kind != stock.MustOrder {
		t.Fatalf("all of the supplier's stock counted on: %s", s.Kind)
	}
	list, err := stock.BackOrders(context.Background(), e.db, stock.BackOrderFilter{})
	if err != nil || len(list) != 2 || list[1].Expected().String() != "30 Nov 2026 (from our supplier's stock)" {
		t.Fatalf("back-order list: %v %+v", err, list)
	}
	cc := e.demand(p, c, "PO-C", 1)
	if e.expected(cc) != "none" {
		t.Fatalf("beyond the supplier's stock: %s", e.expected(cc))
	}
	// A supplier order of 4 covers the first line; the others count on the supplier's stock.
	e.supply(p, 4, "2026-12-10", false)
	if e.expected(a) != "2026-12-10" || e.expected(b) != "2026-11-30 supplier stock" || e.expected(cc) != "2026-11-30 supplier stock" {
		t.Fatalf("with supply: %s / %s / %s", e.expected(a), e.expected(b), e.expected(cc))
	}
	if s := e.status(p); s.Kind != stock.FromSupplierStock || date(s.Date) != "2026-11-30" {
		t.Fatalf("with supply: %+v", s)
	}
	// The supplier runs out: the lines beyond our own supply have no date.
	e.supplierStock("sku,supplier_stock,lead_days\nKR-900,0,4\n")
	if e.expected(a) != "2026-12-10" || e.expected(b) != "none" || e.expected(cc) != "none" {
		t.Fatalf("supplier out: %s / %s / %s", e.expected(a), e.expected(b), e.expected(cc))
	}
	if s := e.status(p); s.Kind != stock.MustOrder {
		t.Fatalf("supplier out: %s", s.Kind)
	}
	var audited []string
	e.db.NewSelect().Table("audit_log").ColumnExpr("coalesce(before->>'quantity', '-') || ' → ' || (after->>'quantity')").
		Where("entity = 'supplier_stock' AND entity_id = ?", fmt.Sprint(p.ID)).OrderExpr("id").Scan(context.Background(), &audited)
	if strings.Join(audited, ", ") != "- → 5, 5 → 0" {
		t.Fatalf("audit: %v", audited)
	}
}

func TestImportSupplierStockAllOrNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	e.product("KR-910")
	e.product("KR-911")
	rep, err := e.stock.ImportSupplierStock(ctx, []byte("sku;supplier_stock;lead_days\n"+
		"KR-910;5;3\nNOPE;1;1\nKR-911;2147483648;2\nKR-911;1;0\nKR-911;1;366\nKR-910;1;1\nKR\x00911;1;1\nKR-911;1;;\n"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rep.Errors {
		got = append(got, fmt.Sprintf("%d %s", r.Row, r.Reason))
	}
	want := []string{
		`3 no product with SKU "NOPE"`,
		"4 supplier_stock: a whole number from 0 to 1,000,000,000",
		"5 lead_days: a whole number of calendar days from 1 to 365",
		"6 lead_days: a whole number of calendar days from 1 to 365",
		"7 SKU KR-910 appears already in row 2",
		`8 sku: "KR\x00911" is not a SKU (1 to 40 letters, digits and . _ / -)`,
		"9 lead_days: a whole number of calendar days from 1 to 365",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") || rep.ErrorCount != len(want) {
		t.Fatalf("report:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var n int
	e.db.NewSelect().Table("supplier_stock").ColumnExpr("count(*)").Scan(ctx, &n)
	if n != 0 {
		t.Fatal("rows written despite bad rows")
	}
	if rep, err := e.stock.ImportSupplierStock(ctx, []byte("sku,supplier_stock,lead_days\nkr-911,12,10\nKR-910,5,3\n")); err != nil || rep.Updated != 2 {
		t.Fatalf("%v %+v", err, rep)
	}
	if rep, _ := e.stock.ImportSupplierStock(ctx, []byte("sku,supplier_stock,lead_days\nKR-910,5,3\n")); rep.Updated != 0 || rep.Failed() {
		t.Fatalf("unchanged: %+v", rep)
	}
	var buf bytes.Buffer
	if err := stock.ExportSupplierStock(ctx, e.db, &buf, "csv"); err != nil || buf.String() != "sku,supplier_stock,lead_days\nKR-910,5,3\nKR-911,12,10\n" {
		t.Fatalf("export: %v %q", err, buf.String())
	}
	if rep, err := e.stock.ImportSupplierStock(ctx, buf.Bytes()); err != nil || rep.Failed() {
		t.Fatalf("the export does not import: %v %+v", err, rep.Errors)
	}
}

func TestStockRowBoundsEveryField(t *testing.T) {
	for _, c := range []struct {
		in   stock.StockRowInput
		want string
	}{
		{stock.StockRowInput{"KR-1", "MAIN", "1000000000"}, ""},
		{stock.StockRowInput{" kr-1 ", "main", " 0 "}, ""},
		{stock.StockRowInput{"KR-1", "MAIN", "2147483648"}, "on_hand: a whole number from 0 to 1,000,000,000"},
		{stock.StockRowInput{"KR-1", "MAIN", "1000000001"}, "on_hand"},
		{stock.StockRowInput{"KR-1", "MAIN", "-1"}, "on_hand"},
		{stock.StockRowInput{"KR-1", "MAIN", "1e3"}, "on_hand"},
		{stock.StockRowInput{"KR-1", "MAIN", ""}, "on_hand"},
		{stock.StockRowInput{"KR\x001", "MAIN", "1"}, "sku:"},
		{stock.StockRowInput{strings.Repeat("A", 41), "MAIN", "1"}, "sku:"},
		{stock.StockRowInput{"KR-1", "MA\x00IN", "1"}, "warehouse:"},
		{stock.StockRowInput{"KR-1", strings.Repeat("W", 17), "1"}, "warehouse:"},
	} {
		row, msg := c.in.Parse()
		if (c.want == "") != msg.IsZero() || !strings.Contains(msg.String(), c.want) {
			t.Errorf("%q: %q, want %q", c.in, msg, c.want)
		}
		if msg.IsZero() && (row.SKU != "KR-1" || row.Warehouse != "MAIN") {
			t.Errorf("%q: %+v", c.in, row)
		}
	}
}

func TestImportStockRefusesFiguresPastTheirBound(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.product("KR-920")
	rep, err := e.stock.ImportStock(context.Background(), []byte("sku,warehouse,on_hand\nKR-920,MAIN,2147483648\nKR\x00920,MAIN,1\n"))
	if err != nil || rep.ErrorCount != 2 || rep.Errors[0].Row != 2 || rep.Errors[1].Row != 3 {
		t.Fatalf("%v %+v", err, rep)
	}
	e.setStock("KR-920", "MAIN", stock.MaxOnHand)
	if rows, _ := stock.StockOf(context.Background(), e.db, nil); rows[0].OnHand != stock.MaxOnHand {
		t.Fatalf("%+v", rows)
	}
}

func TestSupplierOrderBoundsEveryField(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p := e.product("KR-930")
	day := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	good := stock.SupplierOrderInput{Supplier: "Groupe SEB", Reference: "SEB-1", ExpectedDate: day, Lines: []stock.SupplyLineInput{{ProductID: p.ID, Quantity: 5}}}
	for field, edit := range map[string]func(*stock.SupplierOrderInput){
		"supplier":      func(in *stock.SupplierOrderInput) { in.Supplier = "SEB\x00" },
		"reference":     func(in *stock.SupplierOrderInput) { in.Reference = strings.Repeat("R", 36) },
		"expected_date": func(in *stock.SupplierOrderInput) { in.ExpectedDate = time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC) },
		"lines": func(in *stock.SupplierOrderInput) {
			in.Lines = []stock.SupplyLineInput{{ProductID: p.ID, Quantity: 2147483648}}
		},
	} {
		in := good
		edit(&in)
		_, err := e.stock.CreateSupplierOrder(ctx, in)
		if ae, _ := apperr.As(err); ae == nil || ae.Fields[field].IsZero() {
			t.Errorf("%s: %v", field, err)
		}
	}
	if err := e.stock.ConfirmDate(ctx, 1, time.Date(20000, 1, 1, 0, 0, 0, 0, time.UTC)); apperr.KindOf(err) != apperr.Invalid {
		t.Errorf("a date in the year 20000: %v", err)
	}
	// A delivery that would take a warehouse past MaxOnHand is refused at its lines.
	e.setStock("KR-930", "MAIN", stock.MaxOnHand)
	o, line := e.supply(p, 1, "2026-12-01", true)
	_, err := e.stock.Receive(ctx, stock.Receipt{SupplierOrderID: o.ID, Lines: []stock.ReceiptLine{{LineID: line, Quantity: 1}}})
	if ae, _ := apperr.As(err); ae == nil || !strings.Contains(ae.Fields["lines"].String(), "at most 1,000,000,000") {
		t.Fatalf("over the most a warehouse holds: %v", err)
	}
	// A quantity that would overflow when added to what was received.
	o, line = e.supply(e.product("KR-931"), 2, "2026-12-01", true)
	e.receive(o, line, 1)
	_, err = e.stock.Receive(ctx, stock.Receipt{SupplierOrderID: o.ID, Lines: []stock.ReceiptLine{{LineID: line, Quantity: math.MaxInt}}})
	if ae, _ := apperr.As(err); ae == nil || !strings.Contains(ae.Fields[fmt.Sprintf("line_%d", line)].String(), "at most 1,000,000.") {
		t.Fatalf("a huge quantity: %v", err)
	}
}
