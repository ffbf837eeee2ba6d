package receivables_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/clock"
	"wholesale/internal/customers"
	"wholesale/internal/pgtest"
	"wholesale/internal/postgres"
	"wholesale/internal/receivables"
	"wholesale/internal/users"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// env is a database with two customers of an account manager (a Dutch
// one, NL, and a German one, DE) and one of nobody's, the users who read
// the receivables, and a clock standing in Amsterdam's morning.
type env struct {
	t          *testing.T
	db         *bun.DB
	clk        *clock.Fixed
	svc        *receivables.Service
	nl, de     *customers.Company
	other      *customers.Company
	am, fin    *users.User
	otherAM    *users.User
	buyer      *users.User
	nextNumber int
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db := pgtest.New(t)
	ctx := context.Background()
	clk := clock.NewFixed(time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)) // 09:00 in Amsterdam
	e := &env{t: t, db: db, clk: clk, svc: &receivables.Service{DB: db, Clock: clk, BaseURL: "https://wholesale.test"}}
	us := users.NewService(db, clk, users.FastHasher)
	mk := func(email string, role users.Role, company int64) *users.User {
		u, err := us.Create(ctx, users.NewUser{Email: email, Name: email, Role: role, CompanyID: company, Password: "long enough pw"})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	e.am, e.otherAM, e.fin = mk("am@w.test", users.RoleAccountManager, 0), mk("am2@w.test", users.RoleAccountManager, 0), mk("fin@w.test", users.RoleFinance, 0)
	e.nl = e.company("Bakkerij Jansen B.V.", "NL", "invoices@jansen.test", e.am.ID)
	e.de = e.company("Küchenwelt Müller GmbH", "DE", "", e.am.ID)
	e.other = e.company("Andere Klant B.V.", "NL", "", e.otherAM.ID)
	e.buyer = mk("buyer@jansen.test", users.RoleCustomer, e.nl.ID)
	e.exec(`UPDATE settings SET name = 'Groothandel BV', iban = 'NL91ABNA0417164300', bic = 'ABNANL2A'`)
	return e
}

func (e *env) exec(q string, args ...any) {
	e.t.Helper()
	if _, err := e.db.NewRaw(q, args...).Exec(context.Background()); err != nil {
		e.t.Fatalf("%s: %v", q, err)
	}
}

func (e *env) company(name, country, invoiceEmail string, manager int64) *customers.Company {
	e.t.Helper()
	c := &customers.Company{Name: name, Visiting: customers.Address{Street: "Kade 1", Postcode: "1000 AA", City: "Stad", Country: country},
		ContactName: "Joris Jansen", ContactEmail: "contact@" + country + ".test", InvoiceEmail: invoiceEmail,
		PaymentTerms: "credit", CreditLimitCents: 1_000_000, PaymentTermDays: 30, AccountManagerID: &manager}
	err := postgres.Run(context.Background(), e.db, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		return customers.Insert(ctx, tx, e.clk.Now(), c)
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// issue inserts an issued document of c (kind "invoice" or
// "credit_note", a credit note with a negative total) due on due, and
// returns its number.
func (e *env) issue(c *customers.Company, kind string, totalCents int64, due time.Time) (int64, string) {
	e.t.Helper()
	e.nextNumber++
	number := fmt.Sprintf("2026-%06d", e.nextNumber)
	var credits any
	if kind == "credit_note" {
		number = "C" + number
		if err := e.db.NewRaw(`SELECT id FROM invoices WHERE kind = 'invoice' ORDER BY id LIMIT 1`).Scan(context.Background(), &credits); err != nil {
			e.t.Fatalf("a credit note needs an invoice first: %v", err)
		}
	}
	issue := due.AddDate(0, 0, -30)
	var id int64
	err := e.db.NewRaw(`INSERT INTO invoices (kind, company_id, state, business_day, number, year, seq, issue_date, supply_date, due_date,
			language, vat_mode, seller, buyer, payment_reference, credits_invoice_id, total_excl_cents, vat_cents, total_incl_cents,
			issued_at, created_at, updated_at)
		VALUES (?, ?, 'issued', ?, ?, 2026, ?, ?, ?, ?, 'nl', 'domestic', '{}', '{}', ?, ?, ?, 0, ?, ?, ?, ?) RETURNING id`,
		kind, c.ID, issue, number, e.nextNumber, issue, issue, due, number, credits, totalCents, totalCents,
		e.clk.Now(), e.clk.Now(), e.clk.Now()).Scan(context.Background(), &id)
	if err != nil {
		e.t.Fatal(err)
	}
	return id, number
}

// at sets the clock to 09:00 in Amsterdam on day.
func (e *env) at(day time.Time) {
	e.clk.Set(time.Date(day.Year(), day.Month(), day.Day(), 9, 0, 0, 0, clock.Amsterdam))
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
