package shipping_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/catalog"
	"wholesale/internal/clock"
	"wholesale/internal/customers"
	"wholesale/internal/money"
	"wholesale/internal/orders"
	"wholesale/internal/payments"
	"wholesale/internal/pgtest"
	"wholesale/internal/postgres"
	"wholesale/internal/shipping"
	"wholesale/internal/stock"
	"wholesale/internal/users"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// env is a database with a Dutch credit customer (Jansen, limit
// €10.000), an English prepayment customer, products A (10 in stock), B
// (100) and C (none), and a user of each staff role.
type env struct {
	t                         *testing.T
	db                        *bun.DB
	clk                       *clock.Fixed
	orders                    *orders.Service
	ship                      *shipping.Service
	stock                     *stock.Service
	am, sales, wh, admin, cus *users.User
	company, prepay           *customers.Company
}

// amsterdamDay is the business day the tests' calendar gives: the date in
// Amsterdam.
func amsterdamDay(_ context.Context, _ bun.IDB, t time.Time) (time.Time, error) {
	y, m, d := t.In(clock.Amsterdam).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db := pgtest.New(t)
	ctx := context.Background()
	clk := clock.NewFixed(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	us := users.NewService(db, clk, users.FastHasher)
	e := &env{t: t, db: db, clk: clk, orders: &orders.Service{DB: db, Clock: clk, BaseURL: "http://w.test"},
		ship:  &shipping.Service{DB: db, Clock: clk, BusinessDay: amsterdamDay, BaseURL: "http://w.test"},
		stock: &stock.Service{DB: db, Clock: clk}}
	mk := func(email string, role users.Role, company int64) *users.User {
		u, err := us.Create(ctx, users.NewUser{Email: email, Name: email, Role: role, CompanyID: company, Password: "long enough pw"})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	e.am, e.sales = mk("am@w.test", users.RoleAccountManager, 0), mk("sales@w.test", users.RoleSales, 0)
	e.wh, e.admin = mk("wh@w.test", users.RoleWarehouse, 0), mk("admin@w.test", users.RoleAdmin, 0)
	addr := customers.Address{Street: "Kade 1", Postcode: "1000 AA", City: "Amsterdam", Country: "NL"}
	err := postgres.Run(ctx, db, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		e.company = &customers.Company{Name: "Jansen", Visiting: addr, Invoice: addr, ContactName: "Joris", ContactEmail: "joris@jansen.test",
			PaymentTerms: customers.TermsCredit, CreditLimitCents: 1_000_000, AccountManagerID: &e.am.ID, Language: "nl"}
		if err := customers.Insert(ctx, tx, clk.Now(), e.company); err != nil {
			return err
		}
		e.prepay = &customers.Company{Name: "Prepay Ltd", Visiting: addr, Invoice: addr, ContactEmail: "p@prepay.test",
			PaymentTerms: customers.TermsPrepayment, AccountManagerID: &e.am.ID, Language: "en"}
		return customers.Insert(ctx, tx, clk.Now(), e.prepay)
	})
	if err != nil {
		t.Fatal(err)
	}
	e.cus = mk("buyer@jansen.test", users.RoleCustomer, e.company.ID)
	cat := &catalog.Service{DB: db, Clock: clk}
	for _, p := range []catalog.ProductInput{
		{SKU: "A", Name: "Kettle", UnitPrice: "100,00"},
		{SKU: "B", Name: "Mixer", UnitPrice: "10,00", VATRate: "9"},
		{SKU: "C", Name: "Toaster", UnitPrice: "20,00"},
	} {
		if _, err := cat.Save(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	if rep, err := e.stock.ImportStock(ctx, []byte("sku,warehouse,on_hand\nA,MAIN,10\nB,MAIN,100\n")); err != nil || len(rep.Errors) > 0 {
		t.Fatal(err, rep.Errors)
	}
	return e
}

// as is ctx with u as the actor of the audit trail.
func as(u *users.User) context.Context {
	return audit.WithActor(context.Background(), audit.Actor{UserID: u.ID, Label: u.Email})
}

// pay books the payment a prepayment order waits for, with its reference,
// as finance (an admin here) does, and returns the order as it is then.
func (e *env) pay(o *orders.Order) *orders.Order {
	e.t.Helper()
	ctx := as(e.admin)
	_, err := (&payments.Service{DB: e.db, Clock: e.clk}).Register(ctx, e.admin, payments.RegisterInput{CompanyID: o.CompanyID,
		Amount: money.Input(money.Cents(o.TotalInclCents - o.PaidCents)), ReceivedOn: "2026-11-24", Reference: *o.PaymentReference})
	if err != nil {
		e.t.Fatal(err)
	}
	got, err := orders.Get(ctx, e.db, o.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return got
}

func line(sku string, q int) orders.LineInput { return orders.LineInput{SKU: sku, Quantity: q} }

// released places an order for the credit customer and records its
// written confirmation: the warehouse may ship it.
func (e *env) released(po string, shipComplete bool, lines ...orders.LineInput) *orders.Order {
	e.t.Helper()
	o := e.placed(e.company, po, shipComplete, lines...)
	o, err := e.orders.ConfirmWritten(as(e.am), e.am, o.ID, orders.WrittenConfirmation{Note: "mail of Joris", ReceivedOn: "2026-11-24"})
	if err != nil || o.Status != orders.StatusReleased {
		e.t.Fatalf("confirming: %v %v", err, o)
	}
	return o
}

func (e *env) placed(c *customers.Company, po string, shipComplete bool, lines ...orders.LineInput) *orders.Order {
	e.t.Helper()
	o, err := e.orders.CreateAndPlace(as(e.am), e.am, orders.Input{CompanyID: c.ID, POReference: po, Lines: lines,
		Shipping: "12,50", ShippingMethod: "UPS", ShipComplete: shipComplete})
	if err != nil {
		e.t.Fatalf("placing %s: %v", po, err)
	}
	return o
}

// lineOf is the id of the order's line with sku.
func lineOf(t *testing.T, o *orders.Order, sku string) int64 {
	t.Helper()
	for _, l := range o.Lines {
		if l.SKU == sku {
			return l.ID
		}
	}
	t.Fatalf("order %d has no line %s", o.ID, sku)
	return 0
}

func (e *env) int(query string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.db.NewRaw(query, args...).Scan(context.Background(), &n); err != nil {
		e.t.Fatalf("%s: %v", query, err)
	}
	return n
}

func (e *env) str(query string, args ...any) string {
	e.t.Helper()
	var s string
	if err := e.db.NewRaw(query, args...).Scan(context.Background(), &s); err != nil {
		e.t.Fatalf("%s: %v", query, err)
	}
	return s
}

func wantKind(t *testing.T, err error, k apperr.Kind) *apperr.Error {
	t.Helper()
	ae, ok := apperr.As(err)
	if !ok || ae.Kind != k {
		t.Fatalf("got %v (%v), want %v", apperr.KindOf(err), err, k)
	}
	return ae
}

// writes are the rows a shipment writes, to show that a refused one
// wrote none.
var writes = []string{"shipments", "shipment_lines", "invoices", "invoice_lines", "outbox", "audit_log"}

func (e *env) snapshot() map[string]string {
	out := map[string]string{}
	for _, t := range writes {
		out[t] = e.str("SELECT count(*)::text FROM " + t)
	}
	out["stock"] = e.str("SELECT string_agg(product_id || ':' || on_hand || '/' || reserved, ',' ORDER BY product_id, warehouse_id) FROM stock")
	out["demands"] = e.str("SELECT COALESCE(string_agg(id || ':' || shipped || status, ',' ORDER BY id), '') FROM demands")
	out["orders"] = e.str("SELECT string_agg(id || status || ship_state || invoice_state, ',' ORDER BY id) FROM orders")
	return out
}

func (e *env) unchanged(before map[string]string) {
	e.t.Helper()
	for k, v := range e.snapshot() {
		if before[k] != v {
			e.t.Errorf("%s changed: %s → %s", k, before[k], v)
		}
	}
}

func TestPartialShipmentThenTheRest(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.released("PO-1", false, line("A", 4), line("B", 5))
	a, b := lineOf(t, o, "A"), lineOf(t, o, "B")

	sh, err := e.ship.Ship(as(e.wh), e.wh, shipping.Input{OrderID: o.ID, TrackingNumber: "1z 999 aa1 0123456784",
		Lines: []shipping.LineInput{{OrderLineID: a, Quantity: 3}, {OrderLineID: b, Quantity: 0}}})
	if err != nil {
		t.Fatal(err)
	}
	if sh.Carrier != "UPS" || sh.TrackingNumber != "1Z999AA10123456784" || sh.TrackingURL != "https://www.ups.com/track?tracknum=1Z999AA10123456784" ||
		len(sh.Lines) != 1 || sh.Lines[0].Quantity != 3 || sh.Lines[0].SKU != "A" || !sh.ShippedOn.Equal(time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("shipment %+v", sh)
	}
	got, _ := orders.Get(context.Background(), e.db, o.ID)
	if got.Status != orders.StatusPartlyShipped || got.ShipState != orders.ShipPartly || got.InvoiceState != orders.InvoiceDraft || got.Lines[0].Shipped != 3 {
		t.Fatalf("after the first shipment: %s %s %s, line A shipped %d", got.Status, got.ShipState, got.InvoiceState, got.Lines[0].Shipped)
	}
	// The stock of A: 10 on hand, 4 reserved; 3 left the warehouse.
	if s := e.str("SELECT on_hand || '/' || reserved FROM stock s JOIN products p ON p.id = s.product_id JOIN warehouses w ON w.id = s.warehouse_id WHERE p.sku = 'A' AND w.is_main"); s != "7/1" {
		t.Errorf("stock of A: %s on hand/reserved, want 7/1", s)
	}
	if s := e.str("SELECT d.reserved || '/' || d.shipped || ' ' || d.status || ' ' || r.quantity FROM demands d JOIN order_lines l ON l.demand_id = d.id JOIN demand_reservations r ON r.demand_id = d.id WHERE l.id = ?", a); s != "4/3 open 1" {
		t.Errorf("the demand of A: %s, want 4/3 open 1", s)
	}
	if w := e.str("SELECT string_agg(sku || ' ' || quantity, ', ' ORDER BY line_no) FROM invoice_lines il JOIN invoices i ON i.id = il.invoice_id WHERE i.state = 'draft' AND i.company_id = ?", e.company.ID); w != "A 3,  1" {
		t.Errorf("the draft invoice: %q, want the 3 of A and the shipping cost", w)
	}
	if n := e.int("SELECT count(*) FROM audit_log WHERE entity = 'order' AND entity_id = ?::text AND action = 'ship'", o.ID); n != 1 {
		t.Errorf("%d audit entries of the shipment", n)
	}

	// The rest: 1 of A, 5 of B. The shipping cost is not invoiced again.
	e.clk.Advance(2 * time.Hour)
	sh2, err := e.ship.Ship(as(e.wh), e.wh, shipping.Input{OrderID: o.ID, Carrier: "dhl", TrackingNumber: "JJD000390012345678901",
		Lines: []shipping.LineInput{{OrderLineID: a, Quantity: 1}, {OrderLineID: b, Quantity: 5}}})
	if err != nil {
		t.Fatal(err)
	}
	if sh2.Carrier != "DHL" || !strings.HasPrefix(sh2.TrackingURL, "https://www.dhl.com/nl-en/home/tracking.html?tracking-id=JJD") {
		t.Fatalf("second shipment %+v", sh2)
	}
	got, _ = orders.Get(context.Background(), e.db, o.ID)
	if got.Status != orders.StatusShipped || got.ShipState != orders.ShipAll {
		t.Fatalf("after the rest: %s %s", got.Status, got.ShipState)
	}
	if s := e.str("SELECT string_agg(p.sku || ' ' || s.on_hand || '/' || s.reserved, ', ' ORDER BY p.sku) FROM stock s JOIN products p ON p.id = s.product_id JOIN warehouses w ON w.id = s.warehouse_id WHERE w.is_main AND p.sku IN ('A', 'B')"); s != "A 6/0, B 95/0" {
		t.Errorf("stock: %s", s)
	}
	if n := e.int("SELECT count(*) FROM demands d JOIN order_lines l ON l.demand_id = d.id WHERE l.order_id = ? AND d.status = 'shipped' AND d.shipped = d.quantity", o.ID); n != 2 {
		t.Errorf("%d demands shipped in full, want 2", n)
	}
	if n := e.int("SELECT count(*) FROM demand_reservations r JOIN order_lines l ON l.demand_id = r.demand_id WHERE l.order_id = ?", o.ID); n != 0 {
		t.Errorf("%d reservations left of a shipped order", n)
	}
	if w := e.str("SELECT string_agg(sku || ' ' || quantity, ', ' ORDER BY line_no) FROM invoice_lines il JOIN invoices i ON i.id = il.invoice_id WHERE i.state = 'draft' AND i.company_id = ?", e.company.ID); w != "A 3,  1, A 1, B 5" {
		t.Errorf("the draft invoice: %q, want the shipping cost once", w)
	}
	list, err := shipping.ForOrder(context.Background(), e.db, o.ID)
	if err != nil || len(list) != 2 || len(list[1].Lines) != 2 || list[1].Lines[1].SKU != "B" || list[1].Lines[1].Quantity != 5 {
		t.Fatalf("shipments of the order: %v %+v", err, list)
	}
	// Nothing more ships: the order has shipped in full.
	_, err = e.ship.Ship(as(e.wh), e.wh, shipping.Input{OrderID: o.ID, Lines: []shipping.LineInput{{OrderLineID: a, Quantity: 1}}, TrackingNumber: "1Z999AA10123456784"})
	if ae := wantKind(t, err, apperr.Conflict); !strings.Contains(ae.Msg.String(), "has shipped in full") {
		t.Errorf("shipping a shipped order: %v", err)
	}
}

func TestMoreThanReservedIsRefusedAndNothingWritten(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.released("PO-2", false, line("A", 15), line("B", 2)) // 10 of A reserved, 5 back-ordered
	a := lineOf(t, o, "A")
	before := e.snapshot()
	_, err := e.ship.Ship(as(e.wh), e.wh, shipping.Input{OrderID: o.ID, TrackingNumber: "1Z99",
		Lines: []shipping.LineInput{{OrderLineID: a, Quantity: 11}, {OrderLineID: lineOf(t, o, "B"), Quantity: 2}}})
	ae := wantKind(t, err, apperr.Invalid)
	if msg := ae.Fields[shipping.LineField(a)].String(); msg != "At most 10 of this line can ship now: 15 ordered, 10 reserved, 0 shipped." {
		t.Errorf("message at line A: %q", msg)
	}
	if ae.Fields["tracking_number"].IsZero() || len(ae.Fields) != 2 {
		t.Errorf("the wrong tracking number is not said with the line: %v", ae.Fields)
	}
	e.unchanged(before)
	// A line of another order, a cancelled line: refused as well.
	other := e.released("PO-3", false, line("B", 1))
	_, err = e.ship.Ship(as(e.wh), e.wh, shipping.Input{OrderID: o.ID, TrackingNumber: "1Z999AA10123456784",
		Lines: []shipping.LineInput{{OrderLineID: lineOf(t, other, "B"), Quantity: 1}}})
	if ae := wantKind(t, err, apperr.Invalid); ae.Fields["lines"].IsZero() {
		t.Errorf("a line of another order: %v", err)
	}
	e.unchanged(e.snapshot())
	// All that is reserved ships.
	if _, err := e.ship.Ship(as(e.wh), e.wh, shipping.Input{OrderID: o.ID, TrackingNumber: "1Z999AA10123456784",
		Lines: []shipping.LineInput{{OrderLineID: a, Quantity: 10}}}); err != nil {
		t.Fatal(err)
	}
}

func TestUnreleasedOrdersDoNotShip(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ship := func(o *orders.Order) error {
		_, err := e.ship.Ship(as(e.wh), e.wh, shipping.Input{OrderID: o.ID, TrackingNumber: "1Z999AA10123456784",
			Lines: []shipping.LineInput{{OrderLineID: o.Lines[0].ID, Quantity: 1}}})
		return err
	}
	unconfirmed := e.placed(e.company, "PO-UNCONFIRMED", false, line("B", 1))
	// Over a credit limit of €1, the order is held.
	limit := func(cents int64) {
		if _, err := e.db.NewRaw("UPDATE companies SET credit_limit_cents = ? WHERE id = ?", cents, e.company.ID).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	limit(100)
	held := e.placed(e.company, "PO-HELD", false, line("B", 1))
	limit(1_000_000)
	if held.Status != orders.StatusAwaitingCredit {
		t.Fatalf("no held order: %s", held.Status)
	}
	unpaid := e.placed(e.prepay, "PO-PREPAY", false, line("B", 2))
	draft, err := e.orders.Create(as(e.am), e.am, orders.Input{CompanyID: e.company.ID, POReference: "PO-DRAFT", Lines: []orders.LineInput{line("B", 1)}, Shipping: "0"})
	if err != nil {
		t.Fatal(err)
	}
	before := e.snapshot()
	for o, want := range map[*orders.Order]string{
		unconfirmed: "awaits the customer's confirmation",
		held:        "held for credit approval",
		unpaid:      "awaits its prepayment",
	} {
		ae := wantKind(t, ship(o), apperr.Conflict)
		if !strings.Contains(ae.Msg.String(), want) {
			t.Errorf("order %s: %q, want it to say %q", o.POReference, ae.Msg.String(), want)
		}
	}
	// The warehouse does not see drafts; an admin is told it does not ship.
	wantKind(t, ship(draft), apperr.NotFound)
	_, err = e.ship.Ship(as(e.admin), e.admin, shipping.Input{OrderID: draft.ID, TrackingNumber: "1Z999AA10123456784",
		Lines: []shipping.LineInput{{OrderLineID: draft.Lines[0].ID, Quantity: 1}}})
	wantKind(t, err, apperr.Conflict)
	// Only the warehouse and admins ship.
	for _, u := range []*users.User{e.am, e.sales, e.cus} {
		_, err := e.ship.Ship(as(u), u, shipping.Input{OrderID: unpaid.ID, TrackingNumber: "1Z999AA10123456784",
			Lines: []shipping.LineInput{{OrderLineID: unpaid.Lines[0].ID, Quantity: 1}}})
		wantKind(t, err, apperr.Forbidden)
	}
	e.unchanged(before)

	// The payment, booked by finance, releases the order.
	paid := e.pay(unpaid)
	if paid.Status != orders.StatusReleased || paid.PaidCents != paid.TotalInclCents {
		t.Fatalf("prepayment received: %+v", paid)
	}
	if n := e.int("SELECT count(*) FROM audit_log WHERE entity = 'order' AND entity_id = ?::text AND action = 'prepayment' AND actor_id = ?", unpaid.ID, e.admin.ID); n != 1 {
		t.Errorf("%d audit entries of the prepayment", n)
	}
	if err := ship(paid); err != nil {
		t.Fatalf("the paid order does not ship: %v", err)
	}
}

func TestShipCompleteWaitsForItsBackOrders(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.released("PO-COMPLETE", true, line("A", 12), line("B", 3)) // 2 of A back-ordered
	a, b := lineOf(t, o, "A"), lineOf(t, o, "B")
	before := e.snapshot()
	_, err := e.ship.Ship(as(e.wh), e.wh, shipping.Input{OrderID: o.ID, TrackingNumber: "1Z999AA10123456784",
		Lines: []shipping.LineInput{{OrderLineID: a, Quantity: 10}, {OrderLineID: b, Quantity: 3}}})
	if ae := wantKind(t, err, apperr.Conflict); !strings.Contains(ae.Msg.String(), "ships complete only") {
		t.Errorf("ship complete while back-ordered: %q", ae.Msg.String())
	}
	e.unchanged(before)
	list, err := shipping.ToShip(context.Background(), e.db, 0)
	if err != nil || len(list) != 1 || list[0].CanShipNow() || list[0].UnitsReady != 13 || list[0].LinesReady != 2 || list[0].Lines != 2 {
		t.Fatalf("to ship: %v %+v", err, list)
	}

	// The goods arrive: the order ships, all of it.
	if rep, err := e.stock.ImportStock(context.Background(), []byte("sku,warehouse,on_hand\nA,MAIN,20\n")); err != nil || len(rep.Errors) > 0 {
		t.Fatal(err, rep.Errors)
	}
	_, err = e.ship.Ship(as(e.wh), e.wh, shipping.Input{OrderID: o.ID, TrackingNumber: "1Z999AA10123456784",
		Lines: []shipping.LineInput{{OrderLineID: a, Quantity: 12}, {OrderLineID: b, Quantity: 2}}})
	if ae := wantKind(t, err, apperr.Invalid); ae.Fields[shipping.LineField(b)].String() != "This order ships complete: ship all 3 of this line." {
		t.Errorf("part of a ship-complete order: %v", err)
	}
	if _, err := e.ship.Ship(as(e.wh), e.wh, shipping.Input{OrderID: o.ID, TrackingNumber: "1Z999AA10123456784",
		Lines: []shipping.LineInput{{OrderLineID: a, Quantity: 12}, {OrderLineID: b, Quantity: 3}}}); err != nil {
		t.Fatal(err)
	}
	if got, _ := orders.Get(context.Background(), e.db, o.ID); got.Status != orders.StatusShipped {
		t.Errorf("status %s", got.Status)
	}
}

func TestTheCustomerIsMailedTheTrackingLinkInItsLanguage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.released("PO-MAIL", false, line("A", 2), line("C", 1)) // C is back-ordered
	if _, err := e.ship.Ship(as(e.wh), e.wh, shipping.Input{OrderID: o.ID, Carrier: "PostNL", TrackingNumber: "3SDEVC123456789",
		Lines: []shipping.LineInput{{OrderLineID: lineOf(t, o, "A"), Quantity: 2}}}); err != nil {
		t.Fatal(err)
	}
	var m struct {
		To      string `bun:"to_address"`
		Subject string `bun:"subject"`
		Body    string `bun:"body"`
	}
	if err := e.db.NewRaw("SELECT to_address, subject, body FROM outbox ORDER BY id DESC LIMIT 1").Scan(context.Background(), &m); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Beste Joris,", "Wij hebben een deel van uw order", "24-11-2026", "2 × A Kettle",
		"PostNL, trackingnummer 3SDEVC123456789", "https://jouw.postnl.nl/track-and-trace/3SDEVC123456789-NL-1000AA",
		"De rest van de order volgt", "http://w.test/portal/orders/"} {
		if !strings.Contains(m.Body, want) {
			t.Errorf("the Dutch mail lacks %q:\n%s", want, m.Body)
		}
	}
	if m.To != "joris@jansen.test" || !strings.Contains(m.Subject, "deels verzonden") {
		t.Errorf("mail to %s: %q", m.To, m.Subject)
	}

	// The English prepayment customer reads English.
	p := e.placed(e.prepay, "PO-EN", false, line("B", 1))
	e.pay(p)
	if _, err := e.ship.Ship(as(e.wh), e.wh, shipping.Input{OrderID: p.ID, TrackingNumber: "1Z999AA10123456784",
		Lines: []shipping.LineInput{{OrderLineID: p.Lines[0].ID, Quantity: 1}}}); err != nil {
		t.Fatal(err)
	}
	if err := e.db.NewRaw("SELECT to_address, subject, body FROM outbox ORDER BY id DESC LIMIT 1").Scan(context.Background(), &m); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.Body, "We shipped your order") || !strings.Contains(m.Body, "https://www.ups.com/track?tracknum=1Z999AA10123456784") ||
		!strings.HasSuffix(m.Subject, "has shipped") {
		t.Errorf("the English mail: %q\n%s", m.Subject, m.Body)
	}
}

func TestDeliveredNotBeforeShippedNorInTheFuture(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.released("PO-DELIVER", false, line("B", 2))
	sh, err := e.ship.Ship(as(e.wh), e.wh, shipping.Input{OrderID: o.ID, Carrier: "own", Lines: []shipping.LineInput{{OrderLineID: o.Lines[0].ID, Quantity: 2}}})
	if err != nil || sh.TrackingURL != "" || sh.TrackingNumber != "" {
		t.Fatalf("own transport: %v %+v", err, sh)
	}
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	for date, want := range map[string]string{"2026-11-23": "before the day it shipped", "2026-11-25": "in the future"} {
		_, err := e.ship.MarkDelivered(as(e.wh), e.wh, sh.ID, day(date))
		if ae := wantKind(t, err, apperr.Invalid); !strings.Contains(ae.Fields["delivered_on"].String(), want) {
			t.Errorf("%s: %v", date, err)
		}
	}
	_, err = e.ship.MarkDelivered(as(e.am), e.am, sh.ID, day("2026-11-24"))
	wantKind(t, err, apperr.Forbidden)
	_, err = e.ship.MarkDelivered(as(e.wh), e.wh, 999999, day("2026-11-24"))
	wantKind(t, err, apperr.NotFound)
	e.clk.Advance(24 * time.Hour)
	got, err := e.ship.MarkDelivered(as(e.wh), e.wh, sh.ID, day("2026-11-25"))
	if err != nil || got.DeliveredOn == nil || got.DeliveredOn.Format(time.DateOnly) != "2026-11-25" || len(got.Lines) != 1 {
		t.Fatalf("delivered: %v %+v", err, got)
	}
	if n := e.int("SELECT count(*) FROM audit_log WHERE entity = 'order' AND entity_id = ?::text AND action = 'deliver'", o.ID); n != 1 {
		t.Errorf("%d audit entries of the delivery", n)
	}
}

func TestTheWarehouseListIsOldestFirst(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	first := e.released("PO-OLD", false, line("B", 1))
	e.clk.Advance(time.Hour)
	second := e.released("PO-NEW", false, line("B", 2), line("C", 1))
	e.placed(e.company, "PO-UNCONFIRMED", false, line("B", 1)) // not released: not on the list
	list, err := shipping.ToShip(context.Background(), e.db, 50)
	if err != nil || len(list) != 2 || list[0].ID != first.ID || list[1].ID != second.ID {
		t.Fatalf("to ship: %v %+v", err, list)
	}
	if l := list[1]; l.Lines != 2 || l.LinesReady != 1 || l.UnitsReady != 2 || !l.CanShipNow() || l.CompanyName != "Jansen" || l.POReference != "PO-NEW" {
		t.Errorf("the second: %+v", l)
	}
	if n, oldest, err := shipping.CountToShip(context.Background(), e.db); err != nil || n != 2 || oldest == nil || !oldest.Equal(*first.PlacedAt) {
		t.Errorf("count: %d %v %v", n, oldest, err)
	}
	if _, err := e.ship.Ship(as(e.wh), e.wh, shipping.Input{OrderID: first.ID, TrackingNumber: "1Z999AA10123456784",
		Lines: []shipping.LineInput{{OrderLineID: first.Lines[0].ID, Quantity: 1}}}); err != nil {
		t.Fatal(err)
	}
	if list, _ := shipping.ToShip(context.Background(), e.db, 50); len(list) != 1 || list[0].ID != second.ID {
		t.Errorf("after shipping the first: %+v", list)
	}
}

// TestShippedLinesKeepTheirQuantity: a line that has shipped no longer
// changes its quantity nor is cancelled (its demand counts what shipped);
// a line added to a shipped order puts it back on the warehouse's list.
func TestShippedLinesKeepTheirQuantity(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.released("PO-AMEND", false, line("A", 2), line("B", 3))
	a, b := lineOf(t, o, "A"), lineOf(t, o, "B")
	if _, err := e.ship.Ship(as(e.wh), e.wh, shipping.Input{OrderID: o.ID, TrackingNumber: "1Z999AA10123456784",
		Lines: []shipping.LineInput{{OrderLineID: a, Quantity: 1}, {OrderLineID: b, Quantity: 3}}}); err != nil {
		t.Fatal(err)
	}
	_, err := e.orders.Amend(as(e.am), e.am, o.ID, orders.AmendInput{Lines: []orders.LineInput{{ID: a, Quantity: 5}}})
	if ae := wantKind(t, err, apperr.Invalid); !strings.Contains(ae.Fields["line_0"].String(), "1 of this line have shipped") {
		t.Errorf("amending a shipped line: %v", err)
	}
	_, err = e.orders.CancelLine(as(e.am), e.am, o.ID, b, "not wanted")
	wantKind(t, err, apperr.Conflict)
	if _, err := e.ship.Ship(as(e.wh), e.wh, shipping.Input{OrderID: o.ID, TrackingNumber: "1Z999AA10123456784",
		Lines: []shipping.LineInput{{OrderLineID: a, Quantity: 1}}}); err != nil {
		t.Fatal(err)
	}
	// The total rose: the customer confirms again before the new line ships.
	got, err := e.orders.Amend(as(e.am), e.am, o.ID, orders.AmendInput{Lines: []orders.LineInput{{SKU: "B", Quantity: 1}}})
	if err != nil || got.Status != orders.StatusAwaitingConfirmation || got.ShipState != orders.ShipPartly {
		t.Fatalf("a line added to a shipped order: %v %s %s", err, got.Status, got.ShipState)
	}
	if list, _ := shipping.ToShip(context.Background(), e.db, 0); len(list) != 0 {
		t.Errorf("an unconfirmed amendment is on the warehouse's list: %+v", list)
	}
	got, err = e.orders.ConfirmWritten(as(e.am), e.am, o.ID, orders.WrittenConfirmation{Note: "mail of Joris", ReceivedOn: "2026-11-24"})
	if err != nil || got.Status != orders.StatusPartlyShipped {
		t.Fatalf("confirmed again: %v %s", err, got.Status)
	}
	if list, _ := shipping.ToShip(context.Background(), e.db, 0); len(list) != 1 || list[0].ID != o.ID || list[0].UnitsReady != 1 {
		t.Errorf("the warehouse's list: %+v", list)
	}
}

// TestTwoShipmentsAtOnceShipOnce: two people ship all of the same order at
// the same moment; the order's lock makes one of them wait and then refuses
// it, so the goods leave the stock once.
func TestTwoShipmentsAtOnceShipOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.released("PO-RACE", false, line("B", 5))
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			_, err := e.ship.Ship(as(e.wh), e.wh, shipping.Input{OrderID: o.ID, TrackingNumber: "1Z999AA10123456784",
				Lines: []shipping.LineInput{{OrderLineID: o.Lines[0].ID, Quantity: 5}}})
			errs <- err
		}()
	}
	var failed []error
	for range 2 {
		if err := <-errs; err != nil {
			failed = append(failed, err)
		}
	}
	if len(failed) != 1 || apperr.KindOf(failed[0]) != apperr.Conflict {
		t.Fatalf("errors: %v, want one Conflict", failed)
	}
	if s := e.str("SELECT on_hand || '/' || reserved FROM stock s JOIN products p ON p.id = s.product_id JOIN warehouses w ON w.id = s.warehouse_id WHERE p.sku = 'B' AND w.is_main"); s != "95/0" {
		t.Errorf("stock of B: %s, want 95/0", s)
	}
	if n := e.int("SELECT count(*) FROM shipments"); n != 1 {
		t.Errorf("%d shipments", n)
	}
}

// TestTheWarehouseCorrectsATrackingNumber: a mistyped UPS number is
// corrected, with a new link, an audit entry and a Dutch mail to the
// Dutch customer; a bad number is refused at its field, the same number
// is "nothing changed", other roles are refused, and a delivered shipment
// keeps its number.
func TestTheWarehouseCorrectsATrackingNumber(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.released("PO-FIX", false, line("A", 2))
	sh, err := e.ship.Ship(as(e.wh), e.wh, shipping.Input{OrderID: o.ID, Carrier: "UPS", TrackingNumber: "1Z999AA10123456784",
		Lines: []shipping.LineInput{{OrderLineID: o.Lines[0].ID, Quantity: 2}}})
	if err != nil {
		t.Fatal(err)
	}

	before := e.snapshot()
	for _, u := range []*users.User{e.cus, e.sales, e.am} {
		_, err := e.ship.CorrectTracking(as(u), u, sh.ID, "UPS", "1Z999AA10123456785")
		wantKind(t, err, apperr.Forbidden)
	}
	for _, c := range []struct{ carrier, number, field, want string }{
		{"UPS", "1Z999", "tracking_number", "1Z followed by 16"},
		{"UPS", "1Z999AA1\x000123456784", "tracking_number", "NUL"},
		{"FedEx", "1Z999AA10123456785", "carrier", "UPS, DHL, PostNL or own transport"},
		{"own", strings.Repeat("r", 41), "tracking_number", "at most 40"},
	} {
		_, err := e.ship.CorrectTracking(as(e.wh), e.wh, sh.ID, c.carrier, c.number)
		if ae := wantKind(t, err, apperr.Invalid); !strings.Contains(ae.Fields[c.field].String(), c.want) {
			t.Errorf("%s %q: %v", c.carrier, c.number, ae.Fields)
		}
	}
	_, err = e.ship.CorrectTracking(as(e.wh), e.wh, sh.ID, "UPS", "1z999aa1 0123456784")
	if ae := wantKind(t, err, apperr.Conflict); ae.Msg.String() != "Nothing changed." {
		t.Errorf("the same number: %v", err)
	}
	_, err = e.ship.CorrectTracking(as(e.wh), e.wh, 999999, "UPS", "1Z999AA10123456785")
	wantKind(t, err, apperr.NotFound)
	e.unchanged(before)

	got, err := e.ship.CorrectTracking(as(e.wh), e.wh, sh.ID, "ups", "1z 999aa1 0123456785")
	if err != nil {
		t.Fatal(err)
	}
	if got.Carrier != "UPS" || got.TrackingNumber != "1Z999AA10123456785" || got.TrackingURL != "https://www.ups.com/track?tracknum=1Z999AA10123456785" || len(got.Lines) != 1 {
		t.Fatalf("corrected: %+v", got)
	}
	if s := e.str("SELECT carrier || ' ' || tracking_number || ' ' || tracking_url FROM shipments WHERE id = ?", sh.ID); s != "UPS 1Z999AA10123456785 https://www.ups.com/track?tracknum=1Z999AA10123456785" {
		t.Errorf("stored: %s", s)
	}
	var entry struct {
		Before string `bun:"before"`
		After  string `bun:"after"`
	}
	if err := e.db.NewRaw("SELECT before::text, after::text FROM audit_log WHERE entity = 'order' AND entity_id = ?::text AND action = 'correct_tracking'", o.ID).
		Scan(context.Background(), &entry); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(entry.Before, "1Z999AA10123456784") || !strings.Contains(entry.After, "1Z999AA10123456785") || !strings.Contains(entry.After, `"carrier": "UPS"`) {
		t.Errorf("audit: %s → %s", entry.Before, entry.After)
	}
	var m struct {
		To      string `bun:"to_address"`
		Subject string `bun:"subject"`
		Body    string `bun:"body"`
	}
	if err := e.db.NewRaw("SELECT to_address, subject, body FROM outbox ORDER BY id DESC LIMIT 1").Scan(context.Background(), &m); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Beste Joris,", "Het trackingnummer van uw zending van 24-11-2026 van order", "is gecorrigeerd",
		"UPS, trackingnummer 1Z999AA10123456785", "https://www.ups.com/track?tracknum=1Z999AA10123456785", "http://w.test/portal/orders/"} {
		if !strings.Contains(m.Body, want) {
			t.Errorf("the Dutch mail lacks %q:\n%s", want, m.Body)
		}
	}
	if m.To != "joris@jansen.test" || !strings.Contains(m.Subject, "trackingnummer gecorrigeerd") {
		t.Errorf("mail to %s: %q", m.To, m.Subject)
	}

	// Own transport: no link. Then delivered: no more corrections.
	if got, err := e.ship.CorrectTracking(as(e.admin), e.admin, sh.ID, "own", ""); err != nil || got.TrackingURL != "" || got.Carrier != "own" {
		t.Fatalf("to own transport: %v %+v", err, got)
	}
	if _, err := e.ship.MarkDelivered(as(e.wh), e.wh, sh.ID, sh.ShippedOn); err != nil {
		t.Fatal(err)
	}
	before = e.snapshot()
	_, err = e.ship.CorrectTracking(as(e.wh), e.wh, sh.ID, "UPS", "1Z999AA10123456785")
	if ae := wantKind(t, err, apperr.Conflict); !strings.Contains(ae.Msg.String(), "can no longer be corrected") {
		t.Errorf("delivered: %v", err)
	}
	e.unchanged(before)
}

// TestTheUnshippedRestOfALineIsCancelled: cancelling a partly shipped line
// cancels what has not shipped: the line keeps what shipped, its
// reservation goes back to stock, and an order with nothing left to ship
// is shipped.
func TestTheUnshippedRestOfALineIsCancelled(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.released("PO-REST", false, line("A", 4), line("B", 3))
	a, b := lineOf(t, o, "A"), lineOf(t, o, "B")
	if _, err := e.ship.Ship(as(e.wh), e.wh, shipping.Input{OrderID: o.ID, TrackingNumber: "1Z999AA10123456784",
		Lines: []shipping.LineInput{{OrderLineID: a, Quantity: 1}, {OrderLineID: b, Quantity: 3}}}); err != nil {
		t.Fatal(err)
	}
	reserved := "SELECT reserved FROM stock s JOIN products p ON p.id = s.product_id JOIN warehouses w ON w.id = s.warehouse_id WHERE p.sku = 'A' AND w.is_main"
	if n := e.int(reserved); n != 3 {
		t.Fatalf("A reserved %d before, want the 3 not shipped", n)
	}
	got, err := e.orders.CancelLine(as(e.am), e.am, o.ID, a, "customer needs only one")
	if err != nil {
		t.Fatal(err)
	}
	if got.Lines[0].Quantity != 1 || got.Lines[0].Shipped != 1 || got.Lines[0].Cancelled || got.Status != orders.StatusShipped {
		t.Errorf("after cancelling the rest: line A %d of which %d shipped (cancelled %v), order %s",
			got.Lines[0].Quantity, got.Lines[0].Shipped, got.Lines[0].Cancelled, got.Status)
	}
	if n := e.int(reserved); n != 0 {
		t.Errorf("A still reserved %d", n)
	}
	if s := e.str("SELECT d.quantity || '/' || d.reserved || '/' || d.shipped || ' ' || d.status FROM demands d JOIN order_lines l ON l.demand_id = d.id WHERE l.id = ?", a); s != "1/1/1 shipped" {
		t.Errorf("the demand of A: %s, want 1/1/1 shipped", s)
	}
	if want := e.int("SELECT sum(quantity * unit_price_cents)::int FROM order_lines WHERE order_id = ?", o.ID) + 1250; got.TotalExclCents != int64(want) {
		t.Errorf("the order's total excl. VAT %d, its lines and shipping say %d", got.TotalExclCents, want)
	}
	revs, err := orders.Revisions(context.Background(), e.db, o.ID)
	if err != nil || revs[0].Summary != "line 1 (A): the 3 not shipped cancelled: customer needs only one" {
		t.Errorf("the revision says %q (%v)", revs[0].Summary, err)
	}
}
