package payments

import (
	"context"
	"fmt"
	"time"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/calendar"
	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/money"
	"wholesale/internal/orders"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
)

// Book registers payment p in tx and allocates it: to target first (up
// to what is open on it), then to the company's other open invoices,
// oldest due first; the rest stays on the payment, unallocated. It locks
// the company row, so that a customer's payments are allocated one after
// another. Audited. by is nil for the system. Returns NotFound (company),
// Invalid (amount), Conflict (target not open).
func Book(ctx context.Context, tx *postgres.Tx, now time.Time, by *users.User, p NewPayment, target *Target) (*Payment, error) {
	var targets []Target
	if target != nil {
		targets = append(targets, *target)
	}
	return book(ctx, tx, now, by, p, targets)
}

func book(ctx context.Context, tx *postgres.Tx, now time.Time, by *users.User, p NewPayment, targets []Target) (*Payment, error) {
	if p.AmountCents <= 0 || p.AmountCents > maxAmount {
		return nil, apperr.FieldErrors{"amount": i18n.M("Enter an amount above 0 and at most %s.", i18n.Amount(maxAmount))}.Err()
	}
	if _, err := customers.LockByID(ctx, tx, p.CompanyID); err != nil {
		return nil, err
	}
	pay := &Payment{CompanyID: p.CompanyID, AmountCents: p.AmountCents, UnallocatedCents: p.AmountCents,
		ReceivedOn: calendar.Day(p.ReceivedOn), Reference: clip(p.Reference, 140), CounterpartyIBAN: clip(p.CounterpartyIBAN, 34),
		CounterpartyName: clip(p.CounterpartyName, 140), Source: p.Source, CreatedBy: userID(by), CreatedAt: now}
	if pay.Source == "" {
		pay.Source = SourceManual
	}
	if _, err := tx.NewInsert().Model(pay).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
		return nil, fmt.Errorf("payments: book: %w", err)
	}
	if err := audit.Record(ctx, tx, now, audit.Change{Entity: "payment", EntityID: pay.ID, Action: "register", After: pay}); err != nil {
		return nil, err
	}
	src := source{payment: pay}
	for _, t := range targets {
		if src.left() == 0 {
			break
		}
		var err error
		if t.OrderID > 0 {
			err = allocateOrder(ctx, tx, now, by, src, t.OrderID, src.left(), t.Reason, t.Detail)
		} else {
			_, err = allocateInvoice(ctx, tx, now, by, src, t.InvoiceID, src.left(), t.Reason, t.Detail)
		}
		if err != nil {
			return nil, err
		}
	}
	if err := oldestFirst(ctx, tx, now, by, src); err != nil {
		return nil, err
	}
	return pay, savePayment(ctx, tx, pay)
}

// maxAmount is the largest payment taken: what anyone may type.
const maxAmount = money.MaxCents

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}

func userID(by *users.User) *int64 {
	if by == nil {
		return nil
	}
	return &by.ID
}

// source is what an allocation takes money from: a payment, or a credit
// note (what of it is left to set off).
type source struct {
	payment    *Payment
	creditNote *openDoc
}

func (s source) left() int64 {
	if s.payment != nil {
		return s.payment.UnallocatedCents
	}
	return s.creditNote.Open
}

func (s source) take(cents int64) {
	if s.payment != nil {
		s.payment.UnallocatedCents -= cents
	} else {
		s.creditNote.Open -= cents
	}
}

func savePayment(ctx context.Context, tx *postgres.Tx, p *Payment) error {
	_, err := tx.NewUpdate().Model(p).Column("unallocated_cents").WherePK().Exec(ctx)
	return err
}

// openDoc is an issued invoice or credit note and what is open of it (for
// a credit note: what is left to set off, positive).
type openDoc struct {
	ID        int64     `bun:"id"`
	Number    string    `bun:"number"`
	Kind      string    `bun:"kind"`
	CompanyID int64     `bun:"company_id"`
	Open      int64     `bun:"open"`
	DueDate   time.Time `bun:"due_date"`
}

// lockDoc locks an issued invoice or credit note of the company.
func lockDoc(ctx context.Context, tx *postgres.Tx, where string, args ...any) (*openDoc, error) {
	d := new(openDoc)
	err := tx.NewRaw(`SELECT id, number, kind, company_id,
		CASE WHEN kind = 'invoice' THEN total_incl_cents - paid_cents ELSE paid_cents - total_incl_cents END AS open, due_date
		FROM invoices WHERE state = 'issued' AND `+where+` FOR UPDATE`, args...).Scan(ctx, d)
	return d, postgres.Translate(err, i18n.M("Invoice"))
}

// allocateInvoice puts up to cents of src on invoice id (of src's company)
// and returns what it put: nothing when the invoice is paid.
func allocateInvoice(ctx context.Context, tx *postgres.Tx, now time.Time, by *users.User, src source, id, cents int64, why Reason, detail string) (int64, error) {
	inv, err := lockDoc(ctx, tx, "id = ? AND kind = 'invoice'", id)
	if err != nil {
		return 0, err
	}
	company := src.companyID()
	if inv.CompanyID != company {
		return 0, apperr.FieldErrors{"invoice": i18n.M("Invoice %s is not this customer's.", inv.Number)}.Err()
	}
	cents = min(cents, inv.Open, src.left())
	if cents <= 0 {
		return 0, nil
	}
	a := &Allocation{CompanyID: company, InvoiceID: &inv.ID, AmountCents: cents, Reason: why, ReasonDetail: clip(detail, 200),
		CreatedBy: userID(by), CreatedAt: now}
	if src.payment != nil {
		a.PaymentID = &src.payment.ID
	} else {
		a.CreditNoteID = &src.creditNote.ID
		if _, err := tx.ExecContext(ctx, `UPDATE invoices SET paid_cents = paid_cents - ?, updated_at = ? WHERE id = ?`,
			cents, now, src.creditNote.ID); err != nil {
			return 0, err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE invoices SET paid_cents = paid_cents + ?, updated_at = ? WHERE id = ?`, cents, now, inv.ID); err != nil {
		return 0, err
	}
	src.take(cents)
	return cents, insertAllocation(ctx, tx, now, a)
}

func (s source) companyID() int64 {
	if s.payment != nil {
		return s.payment.CompanyID
	}
	return s.creditNote.CompanyID
}

// allocateOrder puts up to cents of a payment on prepayment order id: at
// most what is still to pay of it. The order is released the moment it is
// paid (orders.ApplyPrepayment), and its account manager told.
func allocateOrder(ctx context.Context, tx *postgres.Tx, now time.Time, by *users.User, src source, id, cents int64, why Reason, detail string) error {
	if src.payment == nil {
		return apperr.Conflictf("A credit note is set off against invoices only.")
	}
	var o struct {
		CompanyID int64 `bun:"company_id"`
		Open      int64 `bun:"open"`
	}
	if err := tx.NewRaw(`SELECT company_id, total_incl_cents - paid_cents AS open FROM orders WHERE id = ? AND prepayment AND state = 'placed'`, id).
		Scan(ctx, &o); err != nil {
		return postgres.Translate(err, i18n.M("Order"))
	}
	if o.CompanyID != src.payment.CompanyID {
		return apperr.FieldErrors{"order": i18n.M("Order %d is not this customer's.", id)}.Err()
	}
	cents = min(cents, o.Open, src.left())
	if cents <= 0 {
		return nil
	}
	if _, _, err := orders.ApplyPrepayment(ctx, tx, now, id, cents); err != nil {
		return err
	}
	src.take(cents)
	return insertAllocation(ctx, tx, now, &Allocation{CompanyID: o.CompanyID, PaymentID: &src.payment.ID, OrderID: &id,
		AmountCents: cents, Reason: why, ReasonDetail: clip(detail, 200), CreatedBy: userID(by), CreatedAt: now})
}

func insertAllocation(ctx context.Context, tx *postgres.Tx, now time.Time, a *Allocation) error {
	if _, err := tx.NewInsert().Model(a).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("payments: allocate: %w", err)
	}
	return audit.Record(ctx, tx, now, audit.Change{Entity: "allocation", EntityID: a.ID, Action: "allocate", After: a})
}

// oldestFirst puts what is left of src on the company's open invoices,
// the oldest due first (then by number).
func oldestFirst(ctx context.Context, tx *postgres.Tx, now time.Time, by *users.User, src source) error {
	if src.left() == 0 {
		return nil
	}
	var ids []int64
	if err := tx.NewRaw(`SELECT id FROM invoices WHERE company_id = ? AND state = 'issued' AND kind = 'invoice'
		AND total_incl_cents - paid_cents > 0 ORDER BY due_date, year, seq`, src.companyID()).Scan(ctx, &ids); err != nil {
		return err
	}
	for _, id := range ids {
		if src.left() == 0 {
			break
		}
		if _, err := allocateInvoice(ctx, tx, now, by, src, id, src.left(), ReasonOldestFirst, ""); err != nil {
			return err
		}
	}
	return nil
}
