package e2e_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/uptrace/bun"

	"wholesale/internal/audit"
	"wholesale/internal/catalog"
	"wholesale/internal/clock"
	"wholesale/internal/customers"
	"wholesale/internal/demo"
	"wholesale/internal/invoicing"
	"wholesale/internal/orders"
	"wholesale/internal/pdf"
	"wholesale/internal/pgtest"
	"wholesale/internal/settings"
	"wholesale/internal/shipping"
	"wholesale/internal/stock"
	"wholesale/internal/ubl"
	"wholesale/internal/users"
	"wholesale/internal/web"
	"wholesale/internal/xlsx"
)

// app is the real server over a test database of its own holding the demo
// data, listening on a loopback port.
type app struct {
	base   string // http://127.0.0.1:port
	db     *bun.DB
	clk    *clock.Fixed
	demo   *demo.Data
	users  *users.Service
	orders *orders.Service
	stock  *stock.Service
}

// startApp serves the app as `make run` does, on a fresh database with the
// demo data, on the clock of the demo (24 November 2026, 10:00 in
// Amsterdam), so pages and screenshots show the same dates every run.
func startApp(t *testing.T) *app {
	t.Helper()
	db := pgtest.New(t)
	clk := clock.NewFixed(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	us := users.NewService(db, clk, users.FastHasher)
	cs := &customers.Service{DB: db, Clock: clk, Users: us, BaseURL: base, Log: log}
	d, err := demo.Load(context.Background(), db, us, cs)
	if err != nil {
		t.Fatal(err)
	}
	// The journeys read the pages in English, the language their
	// assertions are written in (see journey_dutch_test.go for Dutch).
	if _, err := db.NewRaw("UPDATE users SET language = 'en'").Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	a := &app{base: base, db: db, clk: clk, demo: d, users: us,
		orders: &orders.Service{DB: db, Clock: clk, BaseURL: base}, stock: &stock.Service{DB: db, Clock: clk}}
	srv, err := web.New(web.Deps{DB: db, Clock: clk, Log: log, Users: us, Customers: cs, Registry: prometheus.NewRegistry(),
		Catalog: &catalog.Service{DB: db, Clock: clk}, Stock: a.stock, Orders: a.orders, Settings: &settings.Service{DB: db, Clock: clk},
		Invoicing: &invoicing.Service{DB: db, Clock: clk, Log: log, Calendar: invoicing.LoadCalendar,
			Writers: invoicing.Writers{PDF: pdf.WriteInvoice, XLSX: xlsx.WriteInvoice, UBL: ubl.Write}},
		Shipping: &shipping.Service{DB: db, Clock: clk, BaseURL: base, BusinessDay: invoicing.BusinessDay},
		Config:   web.Config{BaseURL: base, LoginRateLimit: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.App.Listener(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Logf("shutting the server down: %v", err)
		}
		<-served
	})
	return a
}

// asUser is ctx acting as the demo user of role, for setting up what a
// journey starts from through the use cases (not through the browser).
func (a *app) asUser(ctx context.Context, role users.Role) (context.Context, *users.User) {
	u := a.demo.Users[role]
	return audit.WithActor(ctx, audit.Actor{UserID: u.ID, Label: u.Email}), u
}

// login is the demo login of role.
func login(role users.Role) demo.Login {
	for _, l := range demo.Logins() {
		if l.Role == role {
			return l
		}
	}
	panic("no demo login for " + role)
}

// demoOrder is the order with PO reference po, read through the orders
// area as the account manager sees it.
func (a *app) demoOrder(t *testing.T, po string) *orders.Order {
	t.Helper()
	var id int64
	if err := a.db.NewSelect().Table("orders").Column("id").Where("po_reference = ?", po).Scan(context.Background(), &id); err != nil {
		t.Fatalf("order %s: %v", po, err)
	}
	ctx, am := a.asUser(context.Background(), users.RoleAccountManager)
	o, err := a.orders.Get(ctx, am, id)
	if err != nil {
		t.Fatalf("order %s: %v", po, err)
	}
	return o
}
