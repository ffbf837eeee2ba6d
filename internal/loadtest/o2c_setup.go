package loadtest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"sync"

	"github.com/uptrace/bun"

	"wholesale/internal/audit"
	"wholesale/internal/catalog"
	"wholesale/internal/clock"
	"wholesale/internal/customers"
	"wholesale/internal/demo"
	"wholesale/internal/money"
	"wholesale/internal/orders"
	"wholesale/internal/postgres"
	"wholesale/internal/settings"
	"wholesale/internal/stock"
	"wholesale/internal/users"
)

// o2cStock is what the o2c bench puts on hand of each of its products.
const o2cStock = 1_000_000

// benchUser is one simulated user of the o2c bench: an account manager
// with its own customers and products, and the warehouse clerk and the
// finance clerk its orders pass through (an account manager neither
// ships nor invoices in this app).
type benchUser struct {
	No                     int
	AM, Warehouse, Finance Login
	Customers              []benchCustomer
	SKUs                   []string
	ProductIDs             map[string]int64
	am                     *users.User
}

// benchCustomer is a customer of a bench user.
type benchCustomer struct {
	ID   int64
	Name string
}

// setup makes the master data of bench users from, …, to-1: their three
// logins, their credit customers (the largest credit limit there is, so
// no order is held) each with o.History draft orders for the order list,
// and their products with o2cStock on hand. It runs through the areas'
// services, not timed.
func setup(ctx context.Context, db *bun.DB, o O2COptions, from, to int) ([]*benchUser, error) {
	clk := clock.System{}
	us := users.NewService(db, clk, users.FastHasher)
	var out []*benchUser
	var products, onHand bytes.Buffer
	products.WriteString("sku,name,unit_price\n")
	onHand.WriteString("sku,warehouse,on_hand\n")
	for n := from; n < to; n++ {
		u := &benchUser{No: n, ProductIDs: map[string]int64{}}
		for _, l := range []struct {
			login *Login
			role  users.Role
			kind  string
		}{{&u.AM, users.RoleAccountManager, "am"}, {&u.Warehouse, users.RoleWarehouse, "wh"}, {&u.Finance, users.RoleFinance, "fin"}} {
			*l.login = Login{Role: l.role, Email: fmt.Sprintf("o2c-%s-u%d-%s@bench.test", o.Tag, n, l.kind), Password: o2cPassword}
			made, err := us.Create(ctx, users.NewUser{Email: l.login.Email, Name: fmt.Sprintf("O2C %s %d", l.kind, n), Role: l.role,
				Password: o2cPassword, Language: "en"})
			if err != nil {
				return nil, fmt.Errorf("o2c setup: user %s: %w", l.login.Email, err)
			}
			if l.role == users.RoleAccountManager {
				u.am = made
			}
		}
		am := u.am
		err := postgres.Run(ctx, db, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
			for c := 0; c < o.CustomersPerUser; c++ {
				addr := customers.Address{Street: "Benchstraat " + strconv.Itoa(n), Postcode: "1000 AA", City: "Amsterdam", Country: "NL"}
				co := &customers.Company{Name: fmt.Sprintf("O2C %s customer %d-%d", o.Tag, n, c), Visiting: addr, Invoice: addr,
					ContactEmail: fmt.Sprintf("o2c-%s-c%d-%d@bench.test", o.Tag, n, c), PaymentTerms: customers.TermsCredit,
					CreditLimitCents: money.MaxCents, AccountManagerID: &am.ID}
				if err := customers.Insert(ctx, tx, clk.Now(), co); err != nil {
					return err
				}
				u.Customers = append(u.Customers, benchCustomer{ID: co.ID, Name: co.Name})
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("o2c setup: customers: %w", err)
		}
		for p := 0; p < o.ProductsPerUser; p++ {
			sku := fmt.Sprintf("O2C-%s-%d-%d", o.Tag, n, p)
			u.SKUs = append(u.SKUs, sku)
			fmt.Fprintf(&products, "%s,O2C product %d of user %d,%d.%02d\n", sku, p, n, 5+p%40, (n+p)%100)
			fmt.Fprintf(&onHand, "%s,MAIN,%d\n", sku, o2cStock)
		}
		out = append(out, u)
	}
	cat := &catalog.Service{DB: db, Clock: clk}
	if rep, err := cat.ImportProducts(ctx, products.Bytes()); err != nil || len(rep.Errors) > 0 {
		return nil, fmt.Errorf("o2c setup: products: %v %v", err, rep.Errors)
	}
	st := &stock.Service{DB: db, Clock: clk}
	if rep, err := st.ImportStock(ctx, onHand.Bytes()); err != nil || len(rep.Errors) > 0 {
		return nil, fmt.Errorf("o2c setup: stock: %v %v", err, rep.Errors)
	}
	for _, u := range out {
		for _, sku := range u.SKUs {
			var id int64
			if err := db.NewSelect().Table("products").Column("id").Where("sku = ?", sku).Scan(ctx, &id); err != nil {
				return nil, fmt.Errorf("o2c setup: product %s: %w", sku, err)
			}
			u.ProductIDs[sku] = id
		}
	}
	return out, history(ctx, db, o, out)
}

// history enters o.History draft orders for each customer of us, a few
// users at a time, so that the order list of the cycle shows a full page.
func history(ctx context.Context, db *bun.DB, o O2COptions, us []*benchUser) error {
	svc := &orders.Service{DB: db, Clock: clock.System{}}
	work := make(chan *benchUser)
	errs := make(chan error, 4)
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var first error
			for u := range work {
				if first == nil {
					first = historyOf(ctx, svc, o, u)
				}
			}
			errs <- first
		}()
	}
	for _, u := range us {
		work <- u
	}
	close(work)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return fmt.Errorf("o2c setup: order history: %w", err)
		}
	}
	return nil
}

func historyOf(ctx context.Context, svc *orders.Service, o O2COptions, u *benchUser) error {
	am := u.am
	ctx = audit.WithActor(ctx, audit.Actor{UserID: am.ID, Label: am.Email})
	for _, c := range u.Customers {
		for i := 0; i < o.History; i++ {
			in := orders.Input{CompanyID: c.ID, POReference: fmt.Sprintf("O2C-H-%s-%d", o.Tag, i), Shipping: "9,95", ShippingMethod: "UPS",
				Address: "visiting", Lines: []orders.LineInput{{SKU: u.SKUs[i%len(u.SKUs)], Quantity: 1}}}
			if _, err := svc.Create(ctx, am, in); err != nil {
				return err
			}
		}
	}
	return nil
}

// sellerReady fills in the demo wholesaler's details, as an admin the
// bench makes, when the database lacks a detail an invoice needs (a new
// database): the invoice step could not issue anything otherwise. Details
// that are complete are left as they are.
func sellerReady(ctx context.Context, db *bun.DB, o O2COptions, out io.Writer) error {
	s, err := settings.Get(ctx, db)
	if err != nil {
		return err
	}
	if s.ReadyToInvoice() == nil {
		return nil
	}
	us := users.NewService(db, clock.System{}, users.FastHasher)
	admin, err := us.Create(ctx, users.NewUser{Email: fmt.Sprintf("o2c-%s-admin@bench.test", o.Tag), Name: "O2C admin", Role: users.RoleAdmin,
		Password: o2cPassword, Language: "en"})
	if err != nil {
		return fmt.Errorf("o2c setup: admin: %w", err)
	}
	ctx = audit.WithActor(ctx, audit.Actor{UserID: admin.ID, Label: admin.Email})
	svc := &settings.Service{DB: db, Clock: clock.System{}}
	if _, err := svc.Save(ctx, admin, demo.Wholesaler); err != nil {
		return fmt.Errorf("o2c setup: the wholesaler's details: %w", err)
	}
	fmt.Fprintf(out, "o2c: the wholesaler's details were incomplete: filled in with the demo's (%s)\n", demo.Wholesaler.Name)
	return nil
}
