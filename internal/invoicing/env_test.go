package invoicing_test

import (
	"context"
	"encoding/json"
	"io"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/catalog"
	"wholesale/internal/clock"
	"wholesale/internal/customers"
	"wholesale/internal/invoicing"
	"wholesale/internal/orders"
	"wholesale/internal/pgtest"
	"wholesale/internal/postgres"
	"wholesale/internal/stock"
	"wholesale/internal/users"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// weekdays is a calendar of weekdays with a 17:00 cutoff, for the tests
// of the run itself; the calendar's own tests cover holidays.
type weekdays struct{}

func (weekdays) Cutoff(day time.Time) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), 17, 0, 0, 0, clock.Amsterdam).UTC()
}

func (weekdays) OnOrAfterBusinessDay(day time.Time) time.Time {
	for day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
		day = day.AddDate(0, 0, 1)
	}
	return day
}

// jsonWriter renders a Document as its JSON, so tests read back exactly
// what a writer was given.
func jsonWriter(w io.Writer, d *invoicing.Document) error {
	return json.NewEncoder(w).Encode(struct {
		*invoicing.Document
		Copy bool `json:"copy"`
	}{d, d.Copy})
}

type env struct {
	t        testing.TB
	db       *bun.DB
	clk      *clock.Fixed
	svc      *invoicing.Service
	ord      *orders.Service
	am, fin  *users.User
	customer *customers.Company
	buyer    *users.User
}

// newEnv makes a Dutch credit customer with 30 days to pay, products at 21
// and 9 %, stock, and the wholesaler's details; the clock stands on
// Tuesday 24 November 2026, 09:00 UTC.
func newEnv(t testing.TB) *env {
	db := pgtest.New(t)
	ctx := context.Background()
	clk := clock.NewFixed(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	us := users.NewService(db, clk, users.FastHasher)
	e := &env{t: t, db: db, clk: clk}
	e.svc = &invoicing.Service{DB: db, Clock: clk, Writers: invoicing.Writers{PDF: jsonWriter, XLSX: jsonWriter},
		Calendar: func(context.Context, bun.IDB) (invoicing.Calendar, error) { return weekdays{}, nil }}
	e.ord = &orders.Service{DB: db, Clock: clk, BaseURL: "http://w.test"}
	mk := func(email string, role users.Role, company int64) *users.User {
		u, err := us.Create(ctx, users.NewUser{Email: email, Name: email, Role: role, CompanyID: company, Password: "long enough pw"})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	e.am, e.fin = mk("am@w.test", users.RoleAccountManager, 0), mk("fin@w.test", users.RoleFinance, 0)
	e.customer = e.company("Jansen BV", "NL", "", customers.TermsCredit)
	e.buyer = mk("buyer@jansen.test", users.RoleCustomer, e.customer.ID)
	cat := &catalog.Service{DB: db, Clock: clk}
	for _, p := range []catalog.ProductInput{
		{SKU: "A", Name: "Kettle", UnitPrice: "100,00"},
		{SKU: "B", Name: "Book", UnitPrice: "10,05", VATRate: "9"},
	} {
		if _, err := cat.Save(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	st := &stock.Service{DB: db, Clock: clk}
	if rep, err := st.ImportStock(ctx, []byte("sku,warehouse,on_hand\nA,MAIN,1000\nB,MAIN,1000\n")); err != nil || len(rep.Errors) > 0 {
		t.Fatal(err, rep.Errors)
	}
	e.exec(`UPDATE settings SET name = 'Groothandel BV', street = 'Havenweg 1', postcode = '3011 AA', city = 'Rotterdam',
		vat_id = 'NL123456782B01', kvk = '12345678', iban = 'NL91ABNA0417164300'`)
	return e
}

func (e *env) exec(q string, args ...any) {
	e.t.Helper()
	if _, err := e.db.ExecContext(context.Background(), q, args...); err != nil {
		e.t.Fatal(err)
	}
}

// company makes a customer of e.am.
func (e *env) company(name, country, vatID, terms string) *customers.Company {
	e.t.Helper()
	addr := customers.Address{Street: "Kade 1", Postcode: "1000 AA", City: "Stad", Country: country}
	c := &customers.Company{Name: name, Visiting: addr, Invoice: addr, ContactName: "Joris", ContactEmail: "contact@" + country + ".test",
		InvoiceEmail: "invoices@" + country + ".test", VATID: vatID, KvK: "87654321", PaymentTerms: terms, PaymentTermDays: 30,
		CreditLimitCents: 100_000_000, AccountManagerID: &e.am.ID}
	err := postgres.Run(context.Background(), e.db, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		return customers.Insert(ctx, tx, e.clk.Now(), c)
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// order places and confirms an order of c with shipping costs of 12,50.
func (e *env) order(c *customers.Company, po string, lines ...orders.LineInput) *orders.Order {
	e.t.Helper()
	ctx := context.Background()
	o, err := e.ord.CreateAndPlace(ctx, e.am, orders.Input{CompanyID: c.ID, POReference: po, Lines: lines, Shipping: "12,50"})
	if err != nil {
		e.t.Fatal(err)
	}
	if o.Prepayment {
		e.exec(`UPDATE orders SET paid_cents = total_incl_cents, status = 'released' WHERE id = ?`, o.ID)
	} else {
		e.exec(`UPDATE orders SET confirmed_at = now(), confirmed_total_cents = total_incl_cents, status = 'released' WHERE id = ?`, o.ID)
	}
	return o
}

// ship books the whole of order o as shipped now, as shipping does, and
// puts it on the customer's draft of the calendar's business day.
func (e *env) ship(o *orders.Order) int64 {
	e.t.Helper()
	return e.shipOn(o, businessDay(e.clk.Now()))
}

// shipOn is ship onto the draft of business day day.
func (e *env) shipOn(o *orders.Order, day time.Time) int64 {
	e.t.Helper()
	ctx := context.Background()
	var draft int64
	err := postgres.Run(ctx, e.db, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		now := e.clk.Now()
		var shipmentID int64
		if err := tx.NewRaw(`INSERT INTO shipments (order_id, company_id, carrier, tracking_number, shipped_on, created_by, created_at)
			VALUES (?, ?, 'UPS', '1Z999AA10123456784', ?, ?, ?) RETURNING id`, o.ID, o.CompanyID,
			now.In(clock.Amsterdam).Format(time.DateOnly), e.am.ID, now).Scan(ctx, &shipmentID); err != nil {
			return err
		}
		s := invoicing.Shipped{ShipmentID: shipmentID, OrderID: o.ID}
		for _, l := range o.Lines {
			s.Lines = append(s.Lines, invoicing.ShippedLine{OrderLineID: l.ID, Quantity: l.Quantity})
		}
		if _, err := tx.ExecContext(ctx, `UPDATE order_lines SET shipped = quantity WHERE order_id = ?`, o.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE orders SET ship_state = 'all', status = 'shipped' WHERE id = ?`, o.ID); err != nil {
			return err
		}
		var err error
		draft, err = invoicing.AddShipped(ctx, tx, now, day, s)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return draft
}

// businessDay is weekdays' business day of an instant.
func businessDay(t time.Time) time.Time {
	local := t.In(clock.Amsterdam)
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
	if !t.Before(weekdays{}.Cutoff(day)) {
		day = day.AddDate(0, 0, 1)
	}
	return weekdays{}.OnOrAfterBusinessDay(day)
}

func line(sku string, q int) orders.LineInput { return orders.LineInput{SKU: sku, Quantity: q} }

// issued reads the issued invoices, by number.
func (e *env) issued() []invoicing.Summary {
	e.t.Helper()
	list, _, err := invoicing.List(context.Background(), e.db, invoicing.Filter{State: invoicing.StateIssued, Limit: 200})
	if err != nil {
		e.t.Fatal(err)
	}
	return list
}
