// Package customers holds the business customers of the wholesaler: their
// applications, the vetting by sales, the company record and changes to it
// confirmed in writing.
package customers

import (
	"context"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/i18n"
	"wholesale/internal/postgres"
)

// Payment terms of a customer.
const (
	TermsCredit     = "credit"
	TermsPrepayment = "prepayment"
)

// Address is a postal address.
type Address struct {
	Street   string `bun:"street" json:"street"`
	Postcode string `bun:"postcode" json:"postcode"`
	City     string `bun:"city" json:"city"`
	Country  string `bun:"country" json:"country"`
}

// Lines prints the address as it goes on an envelope.
func (a Address) Lines() []string {
	return []string{a.Street, strings.TrimSpace(a.Postcode + "  " + a.City), a.Country}
}

// Company is an approved business customer.
type Company struct {
	bun.BaseModel `bun:"table:companies,alias:co"`

	ID           int64   `bun:"id,pk,autoincrement" json:"id"`
	Name         string  `bun:"name" json:"name"`
	KvK          string  `bun:"kvk" json:"kvk"`
	BranchNumber string  `bun:"branch_number" json:"branch_number,omitempty"`
	VATID        string  `bun:"vat_id" json:"vat_id"`
	Visiting     Address `bun:"embed:visiting_" json:"visiting_address"`
	Invoice      Address `bun:"embed:invoice_" json:"invoice_address"`
	ContactName  string  `bun:"contact_name" json:"contact_name"`
	ContactEmail string  `bun:"contact_email" json:"contact_email"`
	ContactPhone string  `bun:"contact_phone" json:"contact_phone"`
	InvoiceEmail string  `bun:"invoice_email" json:"invoice_email"`
	// Language is the language of the mail sent to the company: "nl" or
	// "en" (i18n.Lang).
	Language         string `bun:"language,nullzero" json:"language"`
	IBAN             string `bun:"iban" json:"iban"`
	AccountHolder    string `bun:"account_holder" json:"account_holder"`
	PaymentTerms     string `bun:"payment_terms" json:"payment_terms"`
	CreditLimitCents int64  `bun:"credit_limit_cents" json:"credit_limit_cents"`
	PaymentTermDays  int    `bun:"payment_term_days" json:"payment_term_days"`
	AccountManagerID *int64 `bun:"account_manager_id" json:"account_manager_id,omitempty"`
	ApplicationID    *int64 `bun:"application_id" json:"application_id,omitempty"`
	DiscountBP       int    `bun:"discount_bp" json:"discount_bp"`
	// EInvoiceProfile is the UBL profile of its e-invoices: "" follows the
	// country (EInvoiceProfileFor), or ProfileNLCIUS / ProfilePeppol.
	EInvoiceProfile string `bun:"einvoice_profile" json:"einvoice_profile"`
	// PeppolID is its Peppol participant id, "scheme:id" (0106:12345678).
	PeppolID string `bun:"peppol_id" json:"peppol_id"`
	// BuyerReference is the reference it wants on every e-invoice.
	BuyerReference string `bun:"buyer_reference" json:"buyer_reference"`
	// UBLInMail attaches the UBL file to its invoice mail.
	UBLInMail bool      `bun:"ubl_in_mail" json:"ubl_in_mail"`
	CreatedAt time.Time `bun:"created_at" json:"created_at"`
	UpdatedAt time.Time `bun:"updated_at" json:"updated_at"`
}

// Prepayment tells whether the customer pays before goods ship.
func (c *Company) Prepayment() bool { return c.PaymentTerms == TermsPrepayment }

// Insert adds a company with tx and records it in the audit trail. Its
// language, when not set, follows the visiting address (LanguageFor).
// Returns Invalid for an empty name.
func Insert(ctx context.Context, tx bun.IDB, now time.Time, c *Company) error {
	c.Name = strings.TrimSpace(c.Name)
	if c.Name == "" {
		return apperr.FieldErrors{"name": i18n.M("Enter the company name.")}.Err()
	}
	if c.PaymentTerms == "" {
		c.PaymentTerms = TermsPrepayment
	}
	if c.PaymentTermDays == 0 {
		c.PaymentTermDays = 30
	}
	for _, a := range []*Address{&c.Visiting, &c.Invoice} {
		if a.Country == "" {
			a.Country = "NL"
		}
	}
	if !i18n.Lang(c.Language).Valid() {
		c.Language = string(LanguageFor(c.Visiting.Country))
	}
	c.CreatedAt, c.UpdatedAt = now, now
	if _, err := tx.NewInsert().Model(c).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
		return err
	}
	return audit.Record(ctx, tx, now, audit.Change{Entity: "company", EntityID: c.ID, Action: "create", After: c})
}

// Create adds a company with only a name.
func Create(ctx context.Context, tx bun.IDB, now time.Time, name string) (*Company, error) {
	c := &Company{Name: name}
	return c, Insert(ctx, tx, now, c)
}

// ByID returns a company. Returns NotFound.
func ByID(ctx context.Context, db bun.IDB, id int64) (*Company, error) {
	c := new(Company)
	err := db.NewSelect().Model(c).Where("co.id = ?", id).Scan(ctx)
	return c, postgres.Translate(err, i18n.M("Customer"))
}

// LockByID returns a company locked FOR NO KEY UPDATE: use cases that
// decide on a customer's orders, credit or details take turns, while rows
// that merely refer to the company can still be written. Returns NotFound.
func LockByID(ctx context.Context, db bun.IDB, id int64) (*Company, error) {
	c := new(Company)
	err := db.NewSelect().Model(c).Where("co.id = ?", id).For("NO KEY UPDATE").Scan(ctx)
	return c, postgres.Translate(err, i18n.M("Customer"))
}

// ListNames returns the id and name of the companies by name: an account
// manager's when managerID is not 0, else all; at most limit when limit is
// above 0. Pickers read it: ten thousand customers' full rows cost a page
// more than its own query.
func ListNames(ctx context.Context, db bun.IDB, managerID int64, limit int) ([]Company, error) {
	var out []Company
	q := db.NewSelect().Model(&out).Column("co.id", "co.name").OrderExpr("co.name, co.id")
	if managerID != 0 {
		q = q.Where("co.account_manager_id = ?", managerID)
	}
	if limit > 0 {
		q = q.Limit(int64(limit))
	}
	err := q.Scan(ctx)
	return out, err
}

// NamesIfFew returns the id and name of the customers of ListNames (an
// account manager's own, or all when managerID is 0) when they are at
// most max; when they are more, none and many: it counts no further than
// max+1, and reads no names, which a page past that many does not show.
func NamesIfFew(ctx context.Context, db bun.IDB, managerID int64, max int) (list []Company, many bool, err error) {
	q := db.NewSelect().TableExpr("companies AS co").ColumnExpr("1").Limit(int64(max + 1))
	if managerID != 0 {
		q = q.Where("co.account_manager_id = ?", managerID)
	}
	var n int
	if err := db.NewSelect().TableExpr("(?) AS x", q).ColumnExpr("count(*)").Scan(ctx, &n); err != nil {
		return nil, false, err
	}
	if n > max {
		return nil, true, nil
	}
	list, err = ListNames(ctx, db, managerID, max+1)
	return list, len(list) > max, err
}

// ListForManager returns the companies of an account manager, by name.
func ListForManager(ctx context.Context, db bun.IDB, managerID int64) ([]Company, error) {
	var out []Company
	err := db.NewSelect().Model(&out).Where("co.account_manager_id = ?", managerID).OrderExpr("co.name").Scan(ctx)
	return out, err
}
