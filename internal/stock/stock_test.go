package stock_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/xuri/excelize/v2"

	"wholesale/internal/apperr"
	"wholesale/internal/catalog"
	"wholesale/internal/clock"
	"wholesale/internal/customers"
	"wholesale/internal/mail"
	"wholesale/internal/pgtest"
	"wholesale/internal/postgres"
	"wholesale/internal/stock"
	"wholesale/internal/users"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

type env struct {
	t     *testing.T
	db    *bun.DB
	clk   *clock.Fixed
	stock *stock.Service
	cat   *catalog.Service
	am    *users.User
}

func newEnv(t testing.TB) *env {
	db := pgtest.New(t)
	clk := clock.NewFixed(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	us := users.NewService(db, clk, users.FastHasher)
	am, err := us.Create(context.Background(), users.NewUser{Email: "am@w.test", Name: "Mila", Role: users.RoleAccountManager, Password: "long enough pw"})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{db: db, clk: clk, stock: &stock.Service{DB: db, Clock: clk}, cat: &catalog.Service{DB: db, Clock: clk}, am: am}
	if tt, ok := t.(*testing.T); ok {
		e.t = tt
	}
	return e
}

func (e *env) product(sku string) *catalog.Product {
	p, err := e.cat.Save(context.Background(), catalog.ProductInput{SKU: sku, Name: "Product " + sku, Brand: "Krups", UnitPrice: "10,00"})
	if err != nil {
		e.t.Fatal(err)
	}
	return p
}

func (e *env) company(name string) int64 {
	var id int64
	err := postgres.Run(context.Background(), e.db, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		c := &customers.Company{Name: name, AccountManagerID: &e.am.ID}
		err := customers.Insert(ctx, tx, e.clk.Now(), c)
		id = c.ID
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return id
}

func (e *env) demand(p *catalog.Product, company int64, ref string, qty int) *stock.Demand {
	e.t.Helper()
	var d *stock.Demand
	err := postgres.Run(context.Background(), e.db, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		var err error
		d, err = stock.Reserve(ctx, tx, e.clk.Now(), stock.DemandInput{ProductID: p.ID, CompanyID: company, Reference: ref, Quantity: qty})
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	e.clk.Advance(time.Minute) // the next one is placed later
	return d
}

func (e *env) supply(p *catalog.Product, qty int, date string, confirmed bool) (*stock.SupplierOrder, int64) {
	e.t.Helper()
	d, _ := time.Parse("2006-01-02", date)
	o, err := e.stock.CreateSupplierOrder(context.Background(), stock.SupplierOrderInput{Supplier: "Groupe SEB", ExpectedDate: d, DateConfirmed: confirmed,
		Lines: []stock.SupplyLineInput{{ProductID: p.ID, Quantity: qty}}})
	if err != nil {
		e.t.Fatal(err)
	}
	var line int64
	e.db.NewSelect().Table("supplier_order_lines").Column("id").Where("supplier_order_id = ?", o.ID).Scan(context.Background(), &line)
	return o, line
}

func (e *env) receive(o *stock.SupplierOrder, line int64, qty int) *stock.ReceiveResult {
	e.t.Helper()
	res, err := e.stock.Receive(context.Background(), stock.Receipt{SupplierOrderID: o.ID, Lines: []stock.ReceiptLine{{LineID: line, Quantity: qty}}})
	if err != nil {
		e.t.Fatal(err)
	}
	return res
}

func (e *env) setStock(sku, warehouse string, n int) {
	e.t.Helper()
	rep, err := e.stock.ImportStock(context.Background(), []byte(fmt.Sprintf("sku,warehouse,on_hand\n%s,%s,%d\n", sku, warehouse, n)))
	if err != nil || len(rep.Errors) > 0 {
		e.t.Fatalf("set stock: %v %+v", err, rep.Errors)
	}
}

func (e *env) status(p *catalog.Product) stock.Status {
	e.t.Helper()
	m, err := stock.Statuses(context.Background(), e.db, e.clk.Now(), []int64{p.ID})
	if err != nil {
		e.t.Fatal(err)
	}
	return m[p.ID]
}

func (e *env) get(id int64) *stock.Demand {
	d, err := stock.DemandByID(context.Background(), e.db, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return d
}

func date(d *time.Time) string {
	if d == nil {
		return "none"
	}
	return d.Format("2006-01-02")
}

func TestDeriveEveryStatus(t *testing.T) {
	d := time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	// 23:30 UTC on 30 November is already 1 December in Amsterdam.
	late := time.Date(2026, 11, 30, 23, 30, 0, 0, time.UTC)
	cases := []struct {
		f      stock.Facts
		kind   stock.StatusKind
		en, nl string
	}{
		{stock.Facts{AvailableMain: 3, AvailableRemote: 5}, stock.InStock, "In stock", "Op voorraad"},
		{stock.Facts{AvailableRemote: 2, RemoteLeadDays: 3}, stock.AtRemote, "ships 3 days later", "3 dagen later"},
		{stock.Facts{AvailableRemote: 2, RemoteLeadDays: 1}, stock.AtRemote, "(ships 1 day later)", "(levering 1 dag later)"},
		{stock.Facts{FreeSupplyDate: &d, FreeSupplyConfirmed: true}, stock.OrderedConfirmed, "date confirmed: 3 Dec 2026", "leverdatum bevestigd: 03-12-2026"},
		{stock.Facts{FreeSupplyDate: &d}, stock.OrderedUnconfirmed, "not confirmed (expected 3 Dec 2026)", "nog niet bevestigd"},
		{stock.Facts{SupplierStockFree: 4, SupplierLeadDays: 5, Today: late}, stock.FromSupplierStock,
			"Ordered from our supplier's stock (expected 6 Dec 2026)", "Wordt besteld uit de voorraad van onze leverancier (verwacht 06-12-2026)"},
		{stock.Facts{}, stock.MustOrder, "Must be ordered", "Moet bij de leverancier"},
		{stock.Facts{Supply: catalog.SupplyDiscontinued, FreeSupplyDate: &d}, stock.Unconfirmed, "contact your account manager", "accountmanager"},
		{stock.Facts{Supply: catalog.SupplySupplierSilent}, stock.Unconfirmed, "Unconfirmed", "Onbevestigd"},
		// Which status wins when several could apply.
		{stock.Facts{Supply: catalog.SupplyDiscontinued, AvailableMain: 1}, stock.InStock, "In stock", "Op voorraad"},
		{stock.Facts{AvailableRemote: 1, RemoteLeadDays: 3, SupplierStockFree: 9, SupplierLeadDays: 1, Today: late}, stock.AtRemote, "remote", "externe"},
		{stock.Facts{FreeSupplyDate: &d, SupplierStockFree: 9, SupplierLeadDays: 1, Today: late}, stock.OrderedUnconfirmed, "expected 3 Dec 2026", "verwacht 03-12-2026"},
		{stock.Facts{Supply: catalog.SupplySupplierSilent, SupplierStockFree: 9, SupplierLeadDays: 1, Today: late}, stock.Unconfirmed, "Unconfirmed", "Onbevestigd"},
		{stock.Facts{SupplierStockFree: 0, SupplierLeadDays: 2, Today: late}, stock.MustOrder, "Must be ordered", "Moet bij de leverancier"},
		{stock.Facts{SupplierStockFree: -3, SupplierLeadDays: 2, Today: late}, stock.MustOrder, "Must be ordered", "Moet bij de leverancier"},
	}
	kinds := map[stock.StatusKind]bool{}
	for _, c := range cases {
		s := stock.Derive(c.f)
		kinds[s.Kind] = true
		if s.Kind != c.kind || !strings.Contains(s.English(), c.en) || !strings.Contains(s.Dutch(), c.nl) {
			t.Errorf("%+v → %s / %q / %q", c.f, s.Kind, s.English(), s.Dutch())
		}
	}
	if len(kinds) != 7 {
		t.Fatalf("%d of the seven statuses covered", len(kinds))
	}
}

func TestStatusFromStockAndSupply(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.product("KR-100")
	c := e.company("Bakkerij Jansen")
	if s := e.status(p); s.Kind != stock.MustOrder {
		t.Fatalf("nothing: %s", s.Kind)
	}
	e.setStock("KR-100", "REMOTE", 2)
	if s := e.status(p); s.Kind != stock.AtRemote || s.LeadDays != 3 || s.Available != 2 {
		t.Fatalf("remote: %+v", s)
	}
	e.setStock("KR-100", "MAIN", 1)
	if s := e.status(p); s.Kind != stock.InStock || s.Available != 3 {
		t.Fatalf("main: %+v", s)
	}
	// An order takes all 3; 4 more wait.
	d := e.demand(p, c, "PO-1", 7)
	if d.Reserved != 3 || d.Waiting() != 4 {
		t.Fatalf("reserve: %+v", d)
	}
	if s := e.status(p); s.Kind != stock.MustOrder {
		t.Fatalf("all reserved: %s", s.Kind)
	}
	// Supply of 4 is promised entirely to the waiting 4: still must order.
	e.supply(p, 4, "2026-12-01", true)
	if s := e.status(p); s.Kind != stock.MustOrder {
		t.Fatalf("promised supply: %s", s.Kind)
	}
	e.supply(p, 10, "2026-12-10", false)
	if s := e.status(p); s.Kind != stock.OrderedUnconfirmed || date(s.Date) != "2026-12-10" {
		t.Fatalf("free unconfirmed supply: %+v", s)
	}
	o3, _ := e.supply(p, 5, "2026-12-05", true)
	if s := e.status(p); s.Kind != stock.OrderedConfirmed || date(s.Date) != "2026-12-05" {
		t.Fatalf("free confirmed supply: %+v", s)
	}
	_ = o3
	e.db.ExecContext(context.Background(), "UPDATE products SET supply = 'supplier_silent' WHERE id = ?", p.ID)
	if s := e.status(p); s.Kind != stock.Unconfirmed {
		t.Fatalf("silent supplier: %s", s.Kind)
	}
}

func TestFIFOPriorityPartialAndExpectedDates(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p := e.product("KR-200")
	c1, c2, c3 := e.company("A"), e.company("B"), e.company("C")
	d1 := e.demand(p, c1, "A-1", 5)
	d2 := e.demand(p, c2, "B-1", 5)
	d3 := e.demand(p, c3, "C-1", 5)
	for _, d := range []*stock.Demand{d1, d2, d3} {
		if d.Reserved != 0 || d.ExpectedDate != nil {
			t.Fatalf("without supply: %+v", d)
		}
	}
	o1, l1 := e.supply(p, 6, "2026-12-01", true)
	e.supply(p, 10, "2026-12-15", false)
	// 6 on Dec 1 covers A (5) and 1 of B; B is complete only with the Dec 15 supply.
	if got := []string{date(e.get(d1.ID).ExpectedDate), date(e.get(d2.ID).ExpectedDate), date(e.get(d3.ID).ExpectedDate)}; strings.Join(got, ",") != "2026-12-01,2026-12-15,2026-12-15" {
		t.Fatalf("expected dates: %v", got)
	}
	if e.get(d1.ID).ExpectedConfirmed != true || e.get(d2.ID).ExpectedConfirmed {
		t.Fatal("confirmation flags")
	}
	// C gets priority: it moves ahead.
	if err := e.stock.SetPriority(ctx, d3.ID, true); err != nil {
		t.Fatal(err)
	}
	if date(e.get(d3.ID).ExpectedDate) != "2026-12-01" || date(e.get(d1.ID).ExpectedDate) != "2026-12-15" {
		t.Fatal("priority did not move the expected dates")
	}
	// A partial delivery of 6: C (priority) gets 5, then A 1 — partial.
	res := e.receive(o1, l1, 6)
	if len(res.Allocations) != 2 || res.Allocations[0].DemandID != d1.ID && res.Allocations[1].DemandID != d1.ID {
		t.Fatalf("allocations: %+v", res.Allocations)
	}
	if g := e.get(d3.ID); g.Reserved != 5 || g.ExpectedDate != nil {
		t.Fatalf("C: %+v", g)
	}
	if g := e.get(d1.ID); g.Reserved != 1 || date(g.ExpectedDate) != "2026-12-15" {
		t.Fatalf("A: %+v", g)
	}
	if g := e.get(d2.ID); g.Reserved != 0 {
		t.Fatalf("B: %+v", g)
	}
	// Each allocation is in the audit trail, and the manager got one mail.
	n, _ := e.db.NewSelect().Table("audit_log").Where("entity = 'demand' AND action = 'allocate'").Count(ctx)
	if n != 2 {
		t.Fatalf("%d allocation entries", n)
	}
	msgs, _ := mail.List(ctx, e.db, 10)
	if len(msgs) != 1 || msgs[0].To != "am@w.test" || !strings.Contains(msgs[0].Body, "C, C-1: 5 × KR-200") || !strings.Contains(msgs[0].Body, "A, A-1: 1 × KR-200") {
		t.Fatalf("notification: %+v", msgs)
	}
	rows, _ := stock.StockOf(ctx, e.db, []int64{p.ID})
	for _, r := range rows {
		if r.Warehouse == "MAIN" && (r.OnHand != 6 || r.Reserved != 6) {
			t.Fatalf("stock: %+v", r)
		}
	}
}

func TestReleaseServesTheNextInLine(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p := e.product("KR-300")
	e.setStock("KR-300", "MAIN", 4)
	a := e.demand(p, e.company("A"), "A-1", 4)
	b := e.demand(p, e.company("B"), "B-1", 3)
	if e.get(a.ID).Reserved != 4 || e.get(b.ID).Reserved != 0 {
		t.Fatal("setup")
	}
	err := postgres.Run(ctx, e.db, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		return stock.Release(ctx, tx, e.clk.Now(), a.ID, "customer cancelled the order")
	})
	if err != nil {
		t.Fatal(err)
	}
	if g := e.get(a.ID); g.Status != "cancelled" || g.Reserved != 0 {
		t.Fatalf("released: %+v", g)
	}
	if g := e.get(b.ID); g.Reserved != 3 {
		t.Fatalf("next in line: %+v", g)
	}
	rows, _ := stock.StockOf(ctx, e.db, []int64{p.ID})
	if rows[0].OnHand != 4 || rows[0].Reserved != 3 {
		t.Fatalf("stock: %+v", rows[0])
	}
}

// Two deliveries of the same product booked at the same moment never
// allocate the same goods twice, and stock never goes negative.
func TestConcurrentReceiptsOfOneProduct(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p := e.product("KR-400")
	var ids []int64
	for i := 0; i < 30; i++ {
		ids = append(ids, e.demand(p, e.company(fmt.Sprint("C", i)), fmt.Sprint("R-", i), 3).ID)
	}
	oa, la := e.supply(p, 40, "2026-12-01", true)
	ob, lb := e.supply(p, 40, "2026-12-02", true)
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for _, r := range []stock.Receipt{{SupplierOrderID: oa.ID, Lines: []stock.ReceiptLine{{la, 40}}}, {SupplierOrderID: ob.ID, Lines: []stock.ReceiptLine{{lb, 40}}}} {
		wg.Add(1)
		go func(r stock.Receipt) {
			defer wg.Done()
			_, err := e.stock.Receive(ctx, r)
			errs <- err
		}(r)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var reserved, onHand, demandSum, resSum int
	e.db.QueryRowContext(ctx, "SELECT on_hand, reserved FROM stock s JOIN warehouses w ON w.id = s.warehouse_id WHERE w.is_main AND product_id = ?", p.ID).Scan(&onHand, &reserved)
	e.db.QueryRowContext(ctx, "SELECT sum(reserved) FROM demands WHERE product_id = ?", p.ID).Scan(&demandSum)
	e.db.QueryRowContext(ctx, "SELECT sum(quantity) FROM demand_reservations").Scan(&resSum)
	if onHand != 80 || reserved != 80 || demandSum != 80 || resSum != 80 {
		t.Fatalf("on hand %d, reserved %d, demands %d, reservations %d; want 80 each", onHand, reserved, demandSum, resSum)
	}
	// First come, first served: the first 26 complete, the 27th has 2, the rest nothing.
	for i, id := range ids {
		want := 3
		switch {
		case i == 26:
			want = 2
		case i > 26:
			want = 0
		}
		if g := e.get(id); g.Reserved != want {
			t.Fatalf("demand %d: %d reserved, want %d", i, g.Reserved, want)
		}
	}
}

func TestReceiveRefusesMoreThanOrdered(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.product("KR-500")
	o, l := e.supply(p, 5, "2026-12-01", true)
	_, err := e.stock.Receive(context.Background(), stock.Receipt{SupplierOrderID: o.ID, Lines: []stock.ReceiptLine{{l, 6}}})
	if err == nil || !strings.Contains(err.Error(), "Only 5 more were ordered") {
		t.Fatalf("over-receipt: %v", err)
	}
	e.receive(o, l, 5)
	if _, err := e.stock.Receive(context.Background(), stock.Receipt{SupplierOrderID: o.ID, Lines: []stock.ReceiptLine{{l, 1}}}); err == nil {
		t.Fatal("received on a closed order")
	}
}

func TestImportProductsAllOrNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	csv := "sku,name,brand,unit_price,vat_rate,ean,max_per_order,doa_returnable\n" +
		"KR-1,Espresso machine,Krups,\"249,00\",21,4006508218202,5,yes\n" +
		"kr-2,Milk frother,Krups,39.95,21,,,no\n" +
		",No SKU,Krups,1,21,,,\n" +
		"KR-4,Bad price,Krups,abc,21,,,\n" +
		"KR-5,Bad EAN,Krups,1,21,4006508218207,,\n" +
		"KR-1,Duplicate,Krups,1,21,,,\n" +
		"KR-7,Bad VAT,Krups,1,19,,,\n"
	rep, err := e.cat.ImportProducts(ctx, []byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]string{4: "sku:", 5: "unit_price:", 6: "ean:", 7: "appears already in row 2", 8: "vat_rate:"}
	if len(rep.Errors) != len(want) {
		t.Fatalf("errors: %+v", rep.Errors)
	}
	for _, re := range rep.Errors {
		if !strings.Contains(re.Reason.String(), want[re.Row]) {
			t.Errorf("row %d: %q, want %q", re.Row, re.Reason, want[re.Row])
		}
	}
	if n, _ := e.db.NewSelect().Table("products").Count(ctx); n != 0 {
		t.Fatalf("%d products written despite bad rows", n)
	}
	// The good rows alone, as .xlsx this time, go in; importing again updates.
	f := excelize.NewFile()
	rows := [][]any{{"sku", "name", "brand", "unit_price", "vat_rate", "ean", "max_per_order", "doa_returnable"},
		{"KR-1", "Espresso machine", "Krups", "249,00", 21, "4006508218202", 5, "yes"}, {"kr-2", "Milk frother", "Krups", "39.95", 9, "", "", "no"}}
	for i, r := range rows {
		f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &r)
	}
	var buf bytes.Buffer
	f.Write(&buf)
	rep, err = e.cat.ImportProducts(ctx, buf.Bytes())
	if err != nil || len(rep.Errors) != 0 || rep.Created != 2 {
		t.Fatalf("xlsx import: %v %+v", err, rep)
	}
	p, _ := catalog.BySKU(ctx, e.db, "KR-2")
	if p.UnitPriceCents != 3995 || p.VATRate != 9 || p.DOAReturnable || p.MaxPerOrder != nil {
		t.Fatalf("KR-2: %+v", p)
	}
	rep, _ = e.cat.ImportProducts(ctx, buf.Bytes())
	if rep.Unchanged != 2 || rep.Updated != 0 || rep.Created != 0 {
		t.Fatalf("second import: %+v", rep)
	}
	rep, _ = e.cat.ImportProducts(ctx, []byte("sku,name,unit_price,vat_rate,doa_returnable\nKR-2,Milk frother XL,39.95,9,no\n"))
	if p, _ := catalog.BySKU(ctx, e.db, "KR-2"); rep.Updated != 1 || p.Name != "Milk frother XL" || p.UnitPriceCents != 3995 {
		t.Fatalf("changed row: %+v %+v", rep, p)
	}
	// Export and import round trip.
	var out bytes.Buffer
	if err := e.cat.ExportProducts(ctx, &out, "xlsx"); err != nil {
		t.Fatal(err)
	}
	exported := append([]byte{}, out.Bytes()...)
	back, err := excelize.OpenReader(bytes.NewReader(exported))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := back.GetRows("Products")
	if len(got) != 3 || got[1][0] != "KR-1" || got[1][4] != "249" || got[2][8] != "no" {
		t.Fatalf("export: %v", got)
	}
	if rep, _ := e.cat.ImportProducts(ctx, exported); len(rep.Errors) != 0 {
		t.Fatalf("export does not import: %+v", rep.Errors)
	}
	// Unknown columns are refused before anything else.
	rep, _ = e.cat.ImportProducts(ctx, []byte("sku,name,colour,unit_price\nA,B,red,1\n"))
	if len(rep.Errors) != 1 || rep.Errors[0].Row != 1 {
		t.Fatalf("unknown column: %+v", rep.Errors)
	}
}

func TestImportStockAllOrNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p := e.product("KR-600")
	e.product("KR-601")
	e.setStock("KR-600", "MAIN", 5)
	e.demand(p, e.company("A"), "A-1", 4)
	rep, err := e.stock.ImportStock(ctx, []byte("sku;warehouse;on_hand\nKR-601;MAIN;10\nKR-600;MAIN;3\n"))
	if err != nil || len(rep.Errors) != 1 || rep.Errors[0].Row != 3 || !strings.Contains(rep.Errors[0].Reason.String(), "4 are reserved") {
		t.Fatalf("below reserved: %v %+v", err, rep.Errors)
	}
	rows, _ := stock.StockOf(ctx, e.db, nil)
	for _, r := range rows {
		if r.SKU == "KR-601" && r.OnHand != 0 {
			t.Fatal("a good row was written although another was bad")
		}
	}
	rep, _ = e.stock.ImportStock(ctx, []byte("sku,warehouse,on_hand\nNOPE,MAIN,1\nKR-601,ATTIC,1\nKR-601,MAIN,-2\n"))
	if len(rep.Errors) != 3 {
		t.Fatalf("bad rows: %+v", rep.Errors)
	}
	var buf bytes.Buffer
	if err := stock.ExportStock(ctx, e.db, &buf, "csv"); err != nil || !strings.Contains(buf.String(), "KR-600,MAIN,5,4,1") {
		t.Fatalf("export: %v %q", err, buf.String())
	}
}

func TestBackOrderOverviewAndExport(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p := e.product("KR-700")
	mine := e.company("Mine")
	e.demand(p, mine, "M-1", 2)
	other := e.company("Other")
	e.db.ExecContext(ctx, "UPDATE companies SET account_manager_id = NULL WHERE id = ?", other)
	e.demand(p, other, "O-1", 3)
	e.supply(p, 10, "2026-12-24", true)
	all, _ := stock.BackOrders(ctx, e.db, stock.BackOrderFilter{})
	own, _ := stock.BackOrders(ctx, e.db, stock.BackOrderFilter{ManagerID: e.am.ID})
	if len(all) != 2 || len(own) != 1 || own[0].Reference.String() != "M-1" || own[0].Expected().String() != "24 Dec 2026 (confirmed)" {
		t.Fatalf("overview: %+v / %+v", all, own)
	}
	// Each line names its customer, in either scope (joined for a manager's,
	// looked up for the page's rows otherwise).
	if all[0].Company != "Mine" || all[1].Company != "Other" || own[0].Company != "Mine" {
		t.Fatalf("customers: %q %q / %q", all[0].Company, all[1].Company, own[0].Company)
	}
	var buf bytes.Buffer
	if err := stock.ExportBackOrders(ctx, e.db, &buf, "xlsx", stock.BackOrderFilter{}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Back orders")
	if len(rows) != 3 || rows[1][3] != "M-1" || rows[2][5] != "3" || rows[1][8] != "2026-12-24" {
		t.Fatalf("export rows: %v", rows)
	}
}

func TestEveryProductHasAStockRowInEveryWarehouse(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	e.product("ROWS-1")
	if _, err := e.db.ExecContext(ctx, "INSERT INTO warehouses (code, name, is_main, lead_days) VALUES ('THIRD', 'Third warehouse', false, 5)"); err != nil {
		t.Fatal(err)
	}
	e.product("ROWS-2")
	var missing int
	err := e.db.NewRaw(`SELECT count(*) FROM products p CROSS JOIN warehouses w
		WHERE NOT EXISTS (SELECT 1 FROM stock s WHERE s.product_id = p.id AND s.warehouse_id = w.id)`).Scan(ctx, &missing)
	if err != nil {
		t.Fatal(err)
	}
	var rows int
	e.db.NewSelect().Table("stock").ColumnExpr("count(*)").Scan(ctx, &rows)
	if missing != 0 || rows != 2*3 {
		t.Fatalf("%d product×warehouse pairs without a stock row, %d rows; want 0 and 6", missing, rows)
	}
}

func TestReservingAnUnknownProductIsNotFoundAndWritesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p := e.product("KNOWN-1")
	company := e.company("Unknown product test B.V.")
	err := postgres.Run(ctx, e.db, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		_, err := stock.ReserveMany(ctx, tx, e.clk.Now(), []stock.DemandInput{
			{ProductID: p.ID, CompanyID: company, Reference: "known", Quantity: 1},
			{ProductID: p.ID + 1000, CompanyID: company, Reference: "unknown", Quantity: 1},
		})
		return err
	})
	if apperr.KindOf(err) != apperr.NotFound {
		t.Fatalf("want NotFound, got %v", err)
	}
	var demands int
	e.db.NewSelect().Table("demands").ColumnExpr("count(*)").Scan(ctx, &demands)
	if demands != 0 {
		t.Fatalf("%d demands written", demands)
	}
}

// Order entry reads the stock without locking it and books what it took at
// the end: when the stock was taken meanwhile, the booking fails as a
// serialization failure, nothing of it stays, and the use case run again
// by postgres.Run (pessimistically) books what is left.
func TestOptimisticReservationFailsWhenTheStockWasTakenMeanwhile(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p := e.product("OPT-1")
	e.setStock("OPT-1", "MAIN", 10)
	a, b := e.company("Optimist A B.V."), e.company("Optimist B B.V.")

	var ds []stock.Demand
	var attempts []bool
	err := postgres.Run(ctx, e.db, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		attempts = append(attempts, tx.Optimistic())
		batch := postgres.NewBatch(tx)
		var err error
		ds, err = stock.ReserveManyIn(ctx, tx, batch, e.clk.Now(), []stock.DemandInput{{ProductID: p.ID, CompanyID: a, Reference: "A", Quantity: 8}})
		if err != nil || len(attempts) > 1 {
			return err
		}
		if ds[0].Reserved != 8 {
			t.Errorf("planned %+v", ds)
		}
		// Meanwhile another order takes 5 of the 10.
		if other := e.demand(p, b, "B", 5); other.Reserved != 5 {
			t.Errorf("the other order got %d", other.Reserved)
		}
		err = batch.Exec(ctx, tx)
		if !postgres.Retryable(err) {
			t.Errorf("want a serialization failure, got %v", err)
		}
		return err
	})
	// Run again, pessimistically: 5 reserved, 3 back-ordered.
	if err != nil || len(attempts) != 2 || !attempts[0] || attempts[1] || ds[0].Reserved != 5 || ds[0].Waiting() != 3 {
		t.Fatalf("attempts (optimistic?) %v: %+v, %v", attempts, ds, err)
	}
	var onHand, reserved, demands int
	e.db.QueryRowContext(ctx, "SELECT on_hand, reserved FROM stock s JOIN warehouses w ON w.id = s.warehouse_id WHERE s.product_id = ? AND w.code = 'MAIN'", p.ID).Scan(&onHand, &reserved)
	e.db.NewSelect().Table("demands").ColumnExpr("count(*)").Where("product_id = ?", p.ID).Scan(ctx, &demands)
	if onHand != 10 || reserved != 10 || demands != 2 {
		t.Fatalf("on hand %d, reserved %d, %d demands", onHand, reserved, demands)
	}
}

// A use case that is not run again (postgres.Once) never books
// optimistically: it locks the stock when it reads it, so another order
// waits for it instead of making it fail.
func TestReservationLocksTheStockWhenNotRunAgain(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p := e.product("ONCE-1")
	e.setStock("ONCE-1", "MAIN", 10)
	a, b := e.company("Once A B.V."), e.company("Once B B.V.")
	other := make(chan *stock.Demand, 1)
	var ds []stock.Demand
	err := postgres.Run(ctx, e.db, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		batch := postgres.NewBatch(tx)
		var err error
		if ds, err = stock.ReserveManyIn(ctx, tx, batch, e.clk.Now(), []stock.DemandInput{{ProductID: p.ID, CompanyID: a, Reference: "A", Quantity: 8}}); err != nil {
			return err
		}
		go func() { other <- e.demand(p, b, "B", 5) }()
		// The other order waits for this one's lock on the stock.
		deadline := time.Now().Add(20 * time.Second)
		for waiting := 0; waiting == 0; {
			if time.Now().After(deadline) {
				return fmt.Errorf("the other order does not wait for the stock lock")
			}
			e.db.NewSelect().TableExpr("pg_stat_activity").ColumnExpr("count(*)").
				Where("datname = current_database() AND wait_event_type = 'Lock'").Scan(ctx, &waiting)
		}
		return batch.Exec(ctx, tx)
	})
	if err != nil || ds[0].Reserved != 8 {
		t.Fatalf("%+v, %v", ds, err)
	}
	if o := <-other; o.Reserved != 2 || o.Waiting() != 3 {
		t.Fatalf("the other order after the first: %+v", o)
	}
}

// Many orders of one product at once, optimistic first and run again when
// they meet: never more reserved than on hand, every unit accounted for.
func TestConcurrentOrdersOfOneProductReserveExactlyTheStock(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p := e.product("OPT-2")
	e.setStock("OPT-2", "MAIN", 25)
	company := e.company("Crowd B.V.")
	const n = 12
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			errs <- postgres.Run(ctx, e.db, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
				_, err := stock.ReserveMany(ctx, tx, e.clk.Now(), []stock.DemandInput{{ProductID: p.ID, CompanyID: company, Reference: fmt.Sprint("crowd ", i), Quantity: 3}})
				return err
			})
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var reserved, demandReserved, reservations, waiting int
	e.db.QueryRowContext(ctx, "SELECT sum(reserved) FROM stock WHERE product_id = ?", p.ID).Scan(&reserved)
	e.db.QueryRowContext(ctx, "SELECT sum(reserved), sum(quantity - reserved) FROM demands WHERE product_id = ?", p.ID).Scan(&demandReserved, &waiting)
	e.db.QueryRowContext(ctx, "SELECT sum(r.quantity) FROM demand_reservations r JOIN demands d ON d.id = r.demand_id WHERE d.product_id = ?", p.ID).Scan(&reservations)
	if reserved != 25 || demandReserved != 25 || reservations != 25 || waiting != n*3-25 {
		t.Fatalf("stock reserved %d, demands reserved %d, reservations %d, waiting %d", reserved, demandReserved, reservations, waiting)
	}
}

// stock_take (migrations 0007, 0009) books takes only while they are free
// and nothing of the products waits; otherwise it books nothing and fails as
// a serialization failure.
func TestStockTakeBooksOnlyFreeStockWhenNothingWaits(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p := e.product("TAKE-1")
	e.setStock("TAKE-1", "MAIN", 10)
	var main int64
	e.db.NewSelect().Table("warehouses").Column("id").Where("is_main").Scan(ctx, &main)
	take := func(q int) error {
		_, err := e.db.ExecContext(ctx, "CALL stock_take(?::bigint[], ?::bigint[], ?::int[])",
			pgdialect.Array([]int64{p.ID}), pgdialect.Array([]int64{main}), pgdialect.Array([]int64{int64(q)}))
		return err
	}
	reserved := func() int {
		var n int
		e.db.QueryRowContext(ctx, "SELECT reserved FROM stock WHERE product_id = ? AND warehouse_id = ?", p.ID, main).Scan(&n)
		return n
	}
	if err := take(6); err != nil || reserved() != 6 {
		t.Fatalf("take 6 of 10: %v, reserved %d", err, reserved())
	}
	if err := take(5); !postgres.Retryable(err) || reserved() != 6 {
		t.Fatalf("take 5 of the 4 left: %v, reserved %d", err, reserved())
	}
	// A demand that waits (here one written by hand) comes first.
	company := e.company("Waiting B.V.")
	if _, err := e.db.ExecContext(ctx, `INSERT INTO demands (product_id, company_id, reference, quantity, reserved, placed_at, status)
		VALUES (?, ?, 'waits', 3, 0, now(), 'open')`, p.ID, company); err != nil {
		t.Fatal(err)
	}
	if err := take(1); !postgres.Retryable(err) || reserved() != 6 {
		t.Fatalf("take 1 while a demand waits: %v, reserved %d", err, reserved())
	}
}

// stock_take books several rows one by one (migration 0009), whatever order
// they come in: when a later row is not free, what it booked of the earlier
// ones is undone with it.
func TestStockTakeBooksSeveralRowsAllOrNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a, b := e.product("TAKE-A"), e.product("TAKE-B")
	e.setStock("TAKE-A", "MAIN", 10)
	e.setStock("TAKE-B", "MAIN", 3)
	var main int64
	e.db.NewSelect().Table("warehouses").Column("id").Where("is_main").Scan(ctx, &main)
	take := func(qa, qb int) error { // B first: against the key order when B's id is the higher
		_, err := e.db.ExecContext(ctx, "CALL stock_take(?::bigint[], ?::bigint[], ?::int[])",
			pgdialect.Array([]int64{b.ID, a.ID}), pgdialect.Array([]int64{main, main}), pgdialect.Array([]int64{int64(qb), int64(qa)}))
		return err
	}
	reserved := func(p int64) int {
		var n int
		e.db.QueryRowContext(ctx, "SELECT reserved FROM stock WHERE product_id = ? AND warehouse_id = ?", p, main).Scan(&n)
		return n
	}
	if err := take(4, 5); !postgres.Retryable(err) || reserved(a.ID) != 0 || reserved(b.ID) != 0 {
		t.Fatalf("take 4 of A's 10 and 5 of B's 3: %v, reserved A %d, B %d; want a serialization failure and nothing booked", err, reserved(a.ID), reserved(b.ID))
	}
	if err := take(4, 3); err != nil || reserved(a.ID) != 4 || reserved(b.ID) != 3 {
		t.Fatalf("take 4 of A's 10 and 3 of B's 3: %v, reserved A %d, B %d", err, reserved(a.ID), reserved(b.ID))
	}
}
