// Package demo loads the demo data a new user tries the system with: one
// user of every role, a customer company with two account changes under
// way, an application waiting for sales, and the wholesaler's own details
// with its closing days. Each area adds its own (orders, invoices,
// returns, complaints).
package demo

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"wholesale/internal/customers"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
)

// Login is a demo account to print at start.
type Login struct {
	Role     users.Role
	Email    string
	Password string
}

// Logins are the demo accounts, one per role.
func Logins() []Login {
	return []Login{
		{users.RoleAdmin, "admin@wholesale.test", "demo-admin-2026"},
		{users.RoleSales, "sales@wholesale.test", "demo-sales-2026"},
		{users.RoleAccountManager, "am@wholesale.test", "demo-am-2026!"},
		{users.RoleWarehouse, "warehouse@wholesale.test", "demo-warehouse-2026"},
		{users.RoleCustomer, "buyer@bakkerij-jansen.test", "demo-customer-2026"},
		{users.RoleFinance, "finance@wholesale.test", "demo-finance-2026"},
		{users.RoleCustomerService, "service@wholesale.test", "demo-service-2026"},
		{users.RoleBoard, "board@wholesale.test", "demo-board-2026"},
	}
}

var names = map[users.Role]string{
	users.RoleAdmin: "Anna Admin", users.RoleSales: "Sam Sales", users.RoleAccountManager: "Mila Accountmanager",
	users.RoleWarehouse: "Wim Warehouse", users.RoleFinance: "Femke Finance", users.RoleCustomer: "Joris Jansen",
	users.RoleCustomerService: "Carla Customerservice", users.RoleBoard: "Bram Board",
}

// Data is what Load made, for later areas' demo data and tests.
type Data struct {
	Users   map[users.Role]*users.User
	Company *customers.Company
}

// Option leaves a part out of the demo data.
type Option func(*options)

type options struct {
	withoutComplaints bool
}

// WithoutComplaints leaves the complaints log empty (and so the refund's
// credit note out), for tests that file their own complaints and count
// them.
func WithoutComplaints() Option { return func(o *options) { o.withoutComplaints = true } }

// Load fills an empty database with the demo data and reports whether it
// did; a database that has users already is left alone.
func Load(ctx context.Context, db *bun.DB, us *users.Service, cs *customers.Service, opts ...Option) (*Data, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	n, err := users.Count(ctx, db)
	if err != nil || n > 0 {
		return nil, err
	}
	d := &Data{Users: map[users.Role]*users.User{}}
	err = postgres.Run(ctx, db, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		for _, l := range Logins() {
			if l.Role == users.RoleCustomer {
				continue
			}
			u, err := us.CreateWith(ctx, tx, users.NewUser{Email: l.Email, Name: names[l.Role], Role: l.Role, Password: l.Password})
			if err != nil {
				return err
			}
			d.Users[l.Role] = u
		}
		addr := customers.Address{Street: "Bakkersweg 12", Postcode: "3511 AB", City: "Utrecht", Country: "NL"}
		d.Company = &customers.Company{Name: "Bakkerij Jansen B.V.", KvK: "30123456", VATID: "NL004495445B01",
			Visiting: addr, Invoice: addr, ContactName: "Joris Jansen", ContactEmail: "buyer@bakkerij-jansen.test",
			ContactPhone: "+31 30 123 4567", InvoiceEmail: "administratie@bakkerij-jansen.test", IBAN: "NL91ABNA0417164300",
			AccountHolder: "Bakkerij Jansen B.V.", PaymentTerms: customers.TermsCredit, CreditLimitCents: 1_000_000,
			PaymentTermDays: 30, AccountManagerID: &d.Users[users.RoleAccountManager].ID}
		if err := customers.Insert(ctx, tx, us.Clock.Now(), d.Company); err != nil {
			return err
		}
		l := Logins()[4]
		u, err := us.CreateWith(ctx, tx, users.NewUser{Email: l.Email, Name: names[l.Role], Role: l.Role, Password: l.Password, CompanyID: d.Company.ID})
		d.Users[users.RoleCustomer] = u
		return err
	})
	if err != nil {
		return nil, err
	}
	if cs != nil {
		if _, err := cs.Apply(ctx, demoApplication(), "", nil); err != nil {
			return nil, fmt.Errorf("demo application: %w", err)
		}
		if err := loadChanges(ctx, cs, d); err != nil {
			return nil, fmt.Errorf("demo account changes: %w", err)
		}
	}
	if err := loadCatalog(ctx, db, us.Clock.Now(), d); err != nil {
		return nil, err
	}
	baseURL := ""
	if cs != nil {
		baseURL = cs.BaseURL
	}
	if err := loadOrders(ctx, db, us.Clock.Now(), baseURL, d); err != nil {
		return nil, fmt.Errorf("demo orders: %w", err)
	}
	if err := loadMovedDate(ctx, db, us.Clock.Now(), d); err != nil {
		return nil, fmt.Errorf("demo moved delivery date: %w", err)
	}
	if err := loadSettings(ctx, db, us.Clock.Now(), d); err != nil {
		return nil, fmt.Errorf("demo company settings: %w", err)
	}
	if err := loadInvoices(ctx, db, us.Clock.Now(), baseURL, d); err != nil {
		return nil, fmt.Errorf("demo shipments and invoices: %w", err)
	}
	if err := loadReturns(ctx, db, us.Clock.Now(), baseURL, d); err != nil {
		return nil, fmt.Errorf("demo returns: %w", err)
	}
	if !o.withoutComplaints {
		if err := loadComplaints(ctx, db, us.Clock.Now(), baseURL, d); err != nil {
			return nil, fmt.Errorf("demo complaints: %w", err)
		}
	}
	return d, nil
}

// demoPDF is a one-page PDF saying what it stands for.
func demoPDF(text string) []byte {
	stream := fmt.Sprintf("BT /F1 18 Tf 72 720 Td (%s) Tj ET", text)
	return []byte(fmt.Sprintf("%%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"+
		"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"+
		"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 4 0 R>>>>/Contents 5 0 R>>endobj\n"+
		"4 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"+
		"5 0 obj<</Length %d>>stream\n%s\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%%%EOF\n", len(stream), stream))
}

func demoApplication() customers.ApplicationInput {
	return customers.ApplicationInput{
		CompanyName: "Koffiebranderij De Boon B.V.", KvK: "30654321", VATID: "NL000099998B57",
		Visiting:           customers.Address{Street: "Havenstraat 8", Postcode: "2011 CK", City: "Haarlem", Country: "NL"},
		InvoiceSameAsVisit: true, ContactName: "Sanne de Boon", ContactEmail: "inkoop@deboon.test", ContactPhone: "+31 23 555 0101",
		IBAN: "NL20INGB0001234567", AccountHolder: "Koffiebranderij De Boon B.V.", TermsAccepted: true,
		Uploads: map[string]customers.Upload{
			customers.DocVATStatement: {Filename: "btw-verklaring.pdf", Content: demoPDF("BTW-verklaring De Boon NL000099998B57")},
			customers.DocKvKExtract:   {Filename: "kvk-uittreksel.pdf", Content: demoPDF("Uittreksel KvK 30654321, 1 november 2026")},
			customers.DocLetterhead:   {Filename: "briefpapier.pdf", Content: demoPDF("Koffiebranderij De Boon, Havenstraat 8 Haarlem, NL20 INGB 0001 2345 67")},
			customers.DocSignedTerms:  {Filename: "voorwaarden-getekend.pdf", Content: demoPDF("Algemene voorwaarden 2026-01, getekend S. de Boon")},
		},
	}
}
