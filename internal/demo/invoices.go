package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/audit"
	"wholesale/internal/calendar"
	"wholesale/internal/catalog"
	"wholesale/internal/clock"
	"wholesale/internal/customers"
	"wholesale/internal/invoicing"
	"wholesale/internal/money"
	"wholesale/internal/orders"
	"wholesale/internal/payments"
	"wholesale/internal/pdf"
	"wholesale/internal/postgres"
	"wholesale/internal/shipping"
	"wholesale/internal/stock"
	"wholesale/internal/ubl"
	"wholesale/internal/users"
	"wholesale/internal/xlsx"
)

// loadInvoices ships and invoices, so that every case of invoicing shows
// at once: on the last business day before today, orders of a Dutch
// customer (two VAT rates), a German one (VAT reverse-charged, e-invoices
// by Peppol) and a Russian one (a Cyrillic name, export) shipped and were
// invoiced at the cutoff, and one was corrected by a credit note; today an
// order shipped onto the Dutch customer's draft of the day.
func loadInvoices(ctx context.Context, db *bun.DB, now time.Time, baseURL string, d *Data) error {
	cal, err := calendar.Load(ctx, db)
	if err != nil {
		return err
	}
	day := cal.LocalDay(now).AddDate(0, 0, -1)
	for !cal.IsBusinessDay(day) {
		day = day.AddDate(0, 0, -1)
	}
	at := func(h, m int) time.Time {
		return time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, clock.Amsterdam).UTC()
	}
	am, wh, fin := d.Users[users.RoleAccountManager], d.Users[users.RoleWarehouse], d.Users[users.RoleFinance]
	if err := loadBooks(ctx, db, at(8, 0)); err != nil {
		return err
	}
	de, err := demoCustomer(ctx, db, at(8, 0), am, "Küchenwelt Müller GmbH", "DE136695976", customers.Address{Street: "Hauptstraße 5", Postcode: "50667", City: "Köln", Country: "DE"})
	if err != nil {
		return err
	}
	if err := peppolCustomer(ctx, db, at(8, 5), d.Users[users.RoleSales], de); err != nil {
		return err
	}
	ru, err := demoCustomer(ctx, db, at(8, 0), am, "ООО «Кухня-Опт»", "", customers.Address{Street: "ул. Тверская, 7", Postcode: "125009", City: "Москва", Country: "RU"})
	if err != nil {
		return err
	}
	var shipped []*orders.Order
	for _, o := range []struct {
		company *customers.Company
		po      string
		lines   []orders.LineInput
	}{
		{d.Company, "INK-4471", []orders.LineInput{{SKU: "TF-XA5105", Quantity: 4}, {SKU: "BK-AIRFRY", Quantity: 10}}},
		{de, "KW-7781", []orders.LineInput{{SKU: "TF-XA5105", Quantity: 8}, {SKU: "BK-AIRFRY", Quantity: 30}}},
		{ru, "КО-2026/45", []orders.LineInput{{SKU: "TF-XA5105", Quantity: 20}}},
	} {
		placed, err := confirmedOrder(ctx, db, at(10, 0), baseURL, am, o.company.ID, o.po, o.lines)
		if err != nil {
			return fmt.Errorf("order %s: %w", o.po, err)
		}
		shipped = append(shipped, placed)
	}
	for i, o := range shipped {
		if err := shipAll(ctx, db, at(11, 0+i), baseURL, wh, o, fmt.Sprintf("1Z999AA1012345678%d", i)); err != nil {
			return err
		}
	}
	inv := &invoicing.Service{DB: db, Clock: fixed(at(17, 5)), Calendar: invoicing.LoadCalendar,
		Writers: invoicing.Writers{PDF: pdf.WriteInvoice, XLSX: xlsx.WriteInvoice, UBL: ubl.Write}}
	issued, err := inv.Run(ctx, nil, 0)
	if err != nil {
		return fmt.Errorf("the cutoff run: %w", err)
	}
	if len(issued) == 0 {
		return fmt.Errorf("the cutoff run issued nothing")
	}
	inv.Clock = fixed(at(17, 30))
	ctx = audit.WithActor(ctx, audit.Actor{UserID: fin.ID, Label: fin.Email})
	if _, err := inv.CreditNote(ctx, fin, invoicing.CreditNoteInput{Invoice: issued[0], Quantities: map[int]int{1: 1},
		Reason: "Eén grillplaat kwam beschadigd aan; in overleg gecrediteerd."}); err != nil {
		return fmt.Errorf("the credit note: %w", err)
	}
	// Payments came in: Küchenwelt paid its invoice in full, the Russian
	// customer half of its own, each with the invoice number as reference.
	pays := &payments.Service{DB: db, Clock: fixed(at(17, 45))}
	for i, part := range map[int]int64{1: 1, 2: 2} {
		if i >= len(issued) {
			continue
		}
		var due struct {
			Company int64 `bun:"company_id"`
			Total   int64 `bun:"total_incl_cents"`
		}
		if err := db.NewRaw(`SELECT company_id, total_incl_cents FROM invoices WHERE number = ?`, issued[i]).Scan(ctx, &due); err != nil {
			return err
		}
		if _, err := pays.Register(ctx, fin, payments.RegisterInput{CompanyID: due.Company, Amount: money.Input(money.Cents(due.Total / part)),
			ReceivedOn: at(17, 45).Format(time.DateOnly), Reference: issued[i]}); err != nil {
			return fmt.Errorf("the payment of %s: %w", issued[i], err)
		}
	}
	// Today: an order of the demo customer ships in part onto its draft of the day.
	today, err := confirmedOrder(ctx, db, now, baseURL, am, d.Company.ID, "INK-4478",
		[]orders.LineInput{{SKU: "BK-AIRFRY", Quantity: 4}, {SKU: "TF-XA5105", Quantity: 12}})
	if err != nil {
		return fmt.Errorf("order INK-4478: %w", err)
	}
	today.Lines = today.Lines[:1]
	return shipAll(ctx, db, now, baseURL, wh, today, "1Z999AA10123456799")
}

// loadBooks adds the products the invoiced orders are of, with stock: a
// cookbook at 9 % VAT, so an invoice shows two rates, and a grill plate.
func loadBooks(ctx context.Context, db *bun.DB, now time.Time) error {
	cat := &catalog.Service{DB: db, Clock: fixed(now)}
	for _, p := range []catalog.ProductInput{
		{SKU: "BK-AIRFRY", Name: "Cookbook Airfryer recipes", Brand: "Tefal", UnitPrice: "14,95", VATRate: "9", DOAReturnable: "no"},
		{SKU: "TF-XA5105", Name: "Grill plate for Easy Fry", Brand: "Tefal", UnitPrice: "24,95", VATRate: "21"},
	} {
		if _, err := cat.Save(ctx, p); err != nil {
			return err
		}
	}
	st := &stock.Service{DB: db, Clock: fixed(now)}
	rep, err := st.ImportStock(ctx, []byte("sku,warehouse,on_hand\nBK-AIRFRY,MAIN,80\nTF-XA5105,MAIN,100\n"))
	if err != nil || len(rep.Errors) > 0 {
		return fmt.Errorf("demo stock: %v %v", err, rep.Errors)
	}
	return nil
}

// demoCustomer is a credit customer abroad of the account manager am.
func demoCustomer(ctx context.Context, db *bun.DB, now time.Time, am *users.User, name, vatID string, addr customers.Address) (*customers.Company, error) {
	c := &customers.Company{Name: name, VATID: vatID, Visiting: addr, Invoice: addr, ContactName: name,
		ContactEmail: "inkoop@" + addr.Country + ".customer.test", InvoiceEmail: "invoices@" + addr.Country + ".customer.test",
		PaymentTerms: customers.TermsCredit, CreditLimitCents: 2_000_000, PaymentTermDays: 14, AccountManagerID: &am.ID}
	err := postgres.Run(ctx, db, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		return customers.Insert(ctx, tx, now, c)
	})
	return c, err
}

// peppolCustomer has sales set c to receive its e-invoices as Peppol BIS
// 3.0 at its German VAT id (scheme 9930), with the UBL file in its mail.
func peppolCustomer(ctx context.Context, db *bun.DB, now time.Time, sales *users.User, c *customers.Company) error {
	ctx = audit.WithActor(ctx, audit.Actor{UserID: sales.ID, Label: sales.Email})
	in := customers.EInvoiceInput{Profile: customers.ProfilePeppol, PeppolID: "9930:" + c.VATID, UBLInMail: true}
	if err := (&customers.Service{DB: db, Clock: fixed(now)}).SetEInvoice(ctx, sales, c.ID, in); err != nil {
		return fmt.Errorf("the e-invoices of %s: %w", c.Name, err)
	}
	return nil
}

// confirmedOrder places an order at now and records the customer's written confirmation.
func confirmedOrder(ctx context.Context, db *bun.DB, now time.Time, baseURL string, am *users.User, companyID int64, po string, lines []orders.LineInput) (*orders.Order, error) {
	ctx = audit.WithActor(ctx, audit.Actor{UserID: am.ID, Label: am.Email})
	svc := &orders.Service{DB: db, Clock: fixed(now), BaseURL: baseURL, Calendar: invoicing.LoadCalendar}
	o, err := svc.CreateAndPlace(ctx, am, orders.Input{CompanyID: companyID, POReference: po, Lines: lines, Shipping: "18,50", ShippingMethod: "UPS"})
	if err != nil {
		return nil, err
	}
	return svc.ConfirmWritten(ctx, am, o.ID, orders.WrittenConfirmation{Note: "orderbevestiging per mail", ReceivedOn: now.In(clock.Amsterdam).Format(time.DateOnly)})
}

// shipAll ships the lines of o in full at now, with UPS.
func shipAll(ctx context.Context, db *bun.DB, now time.Time, baseURL string, wh *users.User, o *orders.Order, tracking string) error {
	ctx = audit.WithActor(ctx, audit.Actor{UserID: wh.ID, Label: wh.Email})
	in := shipping.Input{OrderID: o.ID, Carrier: shipping.CarrierUPS, TrackingNumber: tracking}
	for _, l := range o.Lines {
		in.Lines = append(in.Lines, shipping.LineInput{OrderLineID: l.ID, Quantity: l.Quantity})
	}
	svc := &shipping.Service{DB: db, Clock: fixed(now), BusinessDay: invoicing.BusinessDay, BaseURL: baseURL}
	if _, err := svc.Ship(ctx, wh, in); err != nil {
		return fmt.Errorf("shipping order %d: %w", o.ID, err)
	}
	return nil
}
