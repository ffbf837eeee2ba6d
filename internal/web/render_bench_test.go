package web

import (
	"fmt"
	"io"
	"testing"
	"time"

	"wholesale/internal/i18n"
	"wholesale/internal/invoicing"
	"wholesale/internal/orders"
	"wholesale/internal/returns"
	"wholesale/internal/stock"
	"wholesale/internal/users"
	"wholesale/templates"
)

// BenchmarkRenderReturnList renders the returns list of 50 returns, as the
// warehouse sees it, in Dutch, its rows worked out as the handler does:
// the part of the page's time that is the template's (issue 19).
func BenchmarkRenderReturnList(b *testing.B) {
	v := newViews(templates.FS, templateFuncs)
	if err := v.Load(); err != nil {
		b.Fatal(err)
	}
	today := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	p := &returnIndexPage{Page: Page{Title: i18n.M("Returns"), Lang: i18n.NL}, Today: today, States: returns.States, CanReceive: true}
	for i := range 50 {
		ra, by := fmt.Sprintf("RA-2026-%05d", 18000-i), today.AddDate(0, 0, 10-i)
		p.Returns = append(p.Returns, returns.Return{ID: int64(18000 - i), OrderID: int64(990000 + i), Quantity: 1 + i%3,
			State: returns.StateApproved, RANumber: &ra, ArriveBy: &by, CreatedAt: today.AddDate(0, 0, -i),
			CompanyName: fmt.Sprintf("Hotel Smits Amersfoort %d B.V.", i), POReference: fmt.Sprintf("PO%06d", i), SKU: fmt.Sprintf("KR-BA%04d", i)})
	}
	b.ReportAllocs()
	for b.Loop() {
		p.Rows = p.rows(i18n.For(i18n.NL)) // as the handler does
		if err := v.Render(io.Discard, "returns/index", p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderInvoiceList renders the invoice list of 50 documents, as
// finance sees it, in Dutch, its rows worked out as the handler does
// (issue 19).
func BenchmarkRenderInvoiceList(b *testing.B) {
	v := newViews(templates.FS, templateFuncs)
	if err := v.Load(); err != nil {
		b.Fatal(err)
	}
	today := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	p := &invoiceIndexPage{Page: Page{Title: i18n.M("Invoices"), Lang: i18n.NL}, Kinds: invoiceKinds, States: invoiceStates,
		Bookkeeper: true, today: today, UBL: exportPeriod(today)}
	for i := range 50 {
		issued, due := today.AddDate(0, 0, -i), today.AddDate(0, 0, 30-i*2)
		p.Invoices = append(p.Invoices, invoicing.Summary{ID: int64(500000 - i), Kind: invoicing.KindInvoice, Number: fmt.Sprintf("2026-%06d", 90000-i),
			State: "issued", CompanyName: fmt.Sprintf("Hotel Smits Amersfoort %d B.V.", i), BusinessDay: issued, IssueDate: &issued, DueDate: &due,
			InclCents: int64(12345 * (i + 1)), PaidCents: int64(12345 * (i % 2))})
	}
	b.ReportAllocs()
	for b.Loop() {
		p.Rows = p.rows(i18n.For(i18n.NL)) // as the handler does
		if err := v.Render(io.Discard, "invoices/index", p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderBackOrders renders a page of 50 back-order lines, as an
// admin sees it (with the priority and promise buttons), in Dutch, their
// references read from the stored JSON as the list reads them (issue 19).
func BenchmarkRenderBackOrders(b *testing.B) {
	v := newViews(templates.FS, templateFuncs)
	if err := v.Load(); err != nil {
		b.Fatal(err)
	}
	today := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	p := &backOrdersPage{Page: Page{Title: i18n.M("Back orders"), Lang: i18n.NL, CSRF: "0123456789abcdef0123456789abcdef"}, CanBoost: true, From: 1, To: 50, Next: "/backorders?page=2"}
	for i := range 50 {
		placed, expected, promised := today.AddDate(0, 0, -i), today.AddDate(0, 0, 7+i%3), today.AddDate(0, 0, 7)
		var ref stock.Reference
		if err := ref.Scan(fmt.Sprintf(`{"id":"order %%d (PO %%s) line %%d","args":[{"t":"i","v":%d},{"t":"s","v":"2026/%05d"},{"t":"i","v":%d}]}`, 1002055-i, 14+i, 1+i%9)); err != nil {
			b.Fatal(err)
		}
		p.Rows = append(p.Rows, stock.BackOrder{DemandID: int64(4700000 + i), SKU: fmt.Sprintf("KR-BA%04d", 1000+i/5), ProductName: "Bakplaat 60×40 aluminium",
			Company: fmt.Sprintf("Hotel Smits Amersfoort %d B.V.", i), Reference: ref, Quantity: 10 + i, Waiting: 5 + i%4, PlacedAt: placed,
			Priority: i%7 == 0, ExpectedDate: &expected, ExpectedConfirmed: i%2 == 0, PromisedDate: &promised})
	}
	b.ReportAllocs()
	for b.Loop() {
		p.Lines = p.lines(i18n.For(i18n.NL)) // as the handler does
		if err := v.Render(io.Discard, "stock/backorders", p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderOrderList renders the first page of the order list, 50
// orders as an admin sees them, in Dutch, its rows worked out as the
// handler does (issue 19).
func BenchmarkRenderOrderList(b *testing.B) {
	v := newViews(templates.FS, templateFuncs)
	if err := v.Load(); err != nil {
		b.Fatal(err)
	}
	today := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	p := &orderIndexPage{Page: Page{Title: i18n.M("Orders"), Lang: i18n.NL, User: &users.User{Role: users.RoleAdmin}}, Statuses: orders.Statuses,
		Q: map[string]string{}, NextURL: "/orders?before=1002958", Customer: customerPick{ID: "customer", Name: "customer", Blank: i18n.M("all")}}
	for i := range 50 {
		p.Orders = append(p.Orders, orders.Order{ID: int64(1003008 - i), POReference: fmt.Sprintf("PO-2026-%05d", 18000-i), CompanyName: fmt.Sprintf("Hotel Smits Amersfoort %d B.V.", i),
			Status: orders.Statuses[i%len(orders.Statuses)], TotalInclCents: int64(12345 * (i + 1)), CreatedAt: today.Add(-time.Duration(i) * time.Hour)})
	}
	b.ReportAllocs()
	for b.Loop() {
		p.Rows = p.rows(i18n.For(i18n.NL)) // as the handler does
		if err := v.Render(io.Discard, "orders/index", p); err != nil {
			b.Fatal(err)
		}
	}
}
