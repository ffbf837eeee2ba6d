package returns_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/catalog"
	"wholesale/internal/clock"
	"wholesale/internal/customers"
	"wholesale/internal/invoicing"
	"wholesale/internal/orders"
	"wholesale/internal/pdf"
	"wholesale/internal/pgtest"
	"wholesale/internal/postgres"
	"wholesale/internal/returns"
	"wholesale/internal/shipping"
	"wholesale/internal/stock"
	"wholesale/internal/users"
	"wholesale/internal/xlsx"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

type env struct {
	t                testing.TB
	db               *bun.DB
	clk              *clock.Fixed
	svc              *returns.Service
	ord              *orders.Service
	inv              *invoicing.Service
	ship             *shipping.Service
	am, wh, fin, adm *users.User
	a, b             *customers.Company
	buyerA, buyerB   *users.User
	otherAM          *users.User
	poSeq            int
}

// at is a moment on a day of the calendar, 10:00 in Amsterdam.
func at(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 10, 0, 0, 0, clock.Amsterdam)
}

// day is a calendar day as DATE columns hold it.
func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// newEnv makes two credit customers A and B of one account manager, each
// with a user; products A (Acme, returnable, € 100,00 at 21 %) and N
// (Nordic, not returnable), stock, Acme's service centre, and the
// wholesaler's details. The clock stands on Monday 2 November 2026.
func newEnv(t testing.TB) *env {
	t.Helper()
	db := pgtest.New(t)
	ctx := context.Background()
	clk := clock.NewFixed(at(2026, 11, 2))
	e := &env{t: t, db: db, clk: clk}
	e.inv = &invoicing.Service{DB: db, Clock: clk, Calendar: invoicing.LoadCalendar,
		Writers: invoicing.Writers{PDF: pdf.WriteInvoice, XLSX: xlsx.WriteInvoice}}
	e.ord = &orders.Service{DB: db, Clock: clk, BaseURL: "http://w.test", Calendar: invoicing.LoadCalendar}
	e.ship = &shipping.Service{DB: db, Clock: clk, BusinessDay: invoicing.BusinessDay, BaseURL: "http://w.test"}
	e.svc = &returns.Service{DB: db, Clock: clk, Invoicing: e.inv, Orders: e.ord, WriteLabel: pdf.WriteReturnLabel, BaseURL: "http://w.test"}
	us := users.NewService(db, clk, users.FastHasher)
	mk := func(email string, role users.Role, company int64) *users.User {
		u, err := us.Create(ctx, users.NewUser{Email: email, Name: email, Role: role, CompanyID: company, Password: "long enough pw"})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	e.am, e.wh = mk("am@w.test", users.RoleAccountManager, 0), mk("wh@w.test", users.RoleWarehouse, 0)
	e.fin, e.adm = mk("fin@w.test", users.RoleFinance, 0), mk("admin@w.test", users.RoleAdmin, 0)
	e.otherAM = mk("am2@w.test", users.RoleAccountManager, 0)
	e.a, e.b = e.company("Jansen BV", "nl"), e.company("Müller GmbH", "en")
	e.buyerA, e.buyerB = mk("buyer@jansen.test", users.RoleCustomer, e.a.ID), mk("buyer@mueller.test", users.RoleCustomer, e.b.ID)
	cat := &catalog.Service{DB: db, Clock: clk}
	for _, p := range []catalog.ProductInput{
		{SKU: "A", Name: "Espresso machine", Brand: "Acme", UnitPrice: "100,00"},
		{SKU: "N", Name: "Grinder", Brand: "Nordic", UnitPrice: "33,33", DOAReturnable: "no"},
	} {
		if _, err := cat.Save(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := cat.SaveServiceCentre(ctx, catalog.ServiceCentre{Brand: "Acme", Name: "Acme Service Benelux", Address: "Servicestraat 9, Utrecht",
		Phone: "+31 30 123 4567", Email: "service@acme.test"}); err != nil {
		t.Fatal(err)
	}
	st := &stock.Service{DB: db, Clock: clk}
	if rep, err := st.ImportStock(ctx, []byte("sku,warehouse,on_hand\nA,MAIN,100\nN,MAIN,100\n")); err != nil || len(rep.Errors) > 0 {
		t.Fatal(err, rep.Errors)
	}
	e.exec(`UPDATE settings SET name = 'Groothandel BV', street = 'Havenweg 1', postcode = '3011 AA', city = 'Rotterdam',
		vat_id = 'NL123456782B01', kvk = '12345678', iban = 'NL91ABNA0417164300'`)
	return e
}

func (e *env) company(name, lang string) *customers.Company {
	e.t.Helper()
	addr := customers.Address{Street: "Kade 1", Postcode: "1000 AA", City: "Stad", Country: "NL"}
	c := &customers.Company{Name: name, Visiting: addr, Invoice: addr, ContactName: "Joris", ContactEmail: lang + "@" + "contact.test",
		KvK: "87654321", PaymentTerms: customers.TermsCredit, PaymentTermDays: 30, CreditLimitCents: 100_000_000,
		AccountManagerID: &e.am.ID, Language: lang}
	if err := postgres.Run(context.Background(), e.db, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		return customers.Insert(ctx, tx, e.clk.Now(), c)
	}); err != nil {
		e.t.Fatal(err)
	}
	return c
}

func (e *env) exec(q string, args ...any) {
	e.t.Helper()
	if _, err := e.db.ExecContext(context.Background(), q, args...); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) count(q string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.db.NewRaw(q, args...).Scan(context.Background(), &n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// shipped places, confirms and ships an order of c of qty × sku now, and
// returns the order and the shipment.
func (e *env) shipped(c *customers.Company, sku string, qty int) (*orders.Order, *shipping.Shipment) {
	e.t.Helper()
	ctx := context.Background()
	e.poSeq++
	o, err := e.ord.CreateAndPlace(ctx, e.am, orders.Input{CompanyID: c.ID, POReference: fmt.Sprintf("PO-%d", e.poSeq),
		Lines: []orders.LineInput{{SKU: sku, Quantity: qty}}})
	if err != nil {
		e.t.Fatal(err)
	}
	if o, err = e.ord.ConfirmWritten(ctx, e.am, o.ID, orders.WrittenConfirmation{ReceivedOn: e.clk.Now().In(clock.Amsterdam).Format("2006-01-02"), Note: "by mail"}); err != nil {
		e.t.Fatal(err)
	}
	in := shipping.Input{OrderID: o.ID, Carrier: "UPS", TrackingNumber: "1Z999AA10123456784"}
	for _, l := range o.Lines {
		in.Lines = append(in.Lines, shipping.LineInput{OrderLineID: l.ID, Quantity: l.Quantity})
	}
	sh, err := e.ship.Ship(ctx, e.wh, in)
	if err != nil {
		e.t.Fatal(err)
	}
	return o, sh
}

// delivered sets the shipment's delivery day.
func (e *env) delivered(sh *shipping.Shipment, d time.Time) {
	e.t.Helper()
	e.exec(`UPDATE shipments SET shipped_on = ?, delivered_on = ? WHERE id = ?`, d, d, sh.ID)
}

func (e *env) ask(by *users.User, in returns.RequestInput) (*returns.Return, error) {
	return e.svc.Request(context.Background(), by, in)
}

// request asks for qty units of the shipment's only line as DOA, and
// fails the test on an error.
func (e *env) request(by *users.User, sh *shipping.Shipment, qty int) *returns.Return {
	e.t.Helper()
	r, err := e.ask(by, e.form(sh, qty))
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

func (e *env) form(sh *shipping.Shipment, qty int) returns.RequestInput {
	return returns.RequestInput{CompanyID: sh.CompanyID, ShipmentID: sh.ID, OrderLineID: sh.Lines[0].OrderLineID, Quantity: qty,
		Fault: "Does not power on", DOA: true}
}

// approved requests and approves a return of qty units.
func (e *env) approved(sh *shipping.Shipment, qty int) *returns.Return {
	e.t.Helper()
	r := e.request(e.am, sh, qty)
	r, err := e.svc.Approve(context.Background(), e.am, r.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

// tested approves, receives and tests a return with the results given, one per unit.
func (e *env) tested(sh *shipping.Shipment, results ...string) *returns.Return {
	e.t.Helper()
	ctx := context.Background()
	r := e.approved(sh, len(results))
	if _, err := e.svc.Receive(ctx, e.wh, returns.ReceiveInput{RA: r.RA()}); err != nil {
		e.t.Fatal(err)
	}
	var in returns.TestInput
	for i, res := range results {
		in.Units = append(in.Units, returns.UnitTest{UnitNo: i + 1, Result: res, Note: "tested on the bench"})
	}
	r, err := e.svc.Test(ctx, e.wh, r.ID, in)
	if err != nil {
		e.t.Fatal(err)
	}
	if r.State != returns.StateTested {
		e.t.Fatalf("state %s after testing every unit", r.State)
	}
	return r
}

// issue issues the customer's draft invoices now and returns their numbers.
func (e *env) issue(c *customers.Company) []string {
	e.t.Helper()
	numbers, err := e.inv.Run(context.Background(), e.fin, c.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return numbers
}

// kindOf fails the test unless err is of kind want, and returns its field
// messages (in English).
func kindOf(t testing.TB, err error, want apperr.Kind) map[string]string {
	t.Helper()
	if apperr.KindOf(err) != want {
		t.Fatalf("error %v (kind %v), want kind %v", err, apperr.KindOf(err), want)
	}
	out := map[string]string{}
	var ae *apperr.Error
	if errors.As(err, &ae) {
		for f, m := range ae.Fields {
			out[f] = m.String()
		}
	}
	return out
}
