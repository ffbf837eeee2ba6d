package payments

import (
	"context"
	"strings"
	"time"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/i18n"
	"wholesale/internal/idempotency"
	"wholesale/internal/orders"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
	"wholesale/internal/validate"
)

// mayBook tells whether by books payments: finance and admins.
func mayBook(by *users.User) error {
	if !by.Is(users.RoleFinance, users.RoleAdmin) {
		return apperr.Forbiddenf("Finance and admins book payments.")
	}
	return nil
}

// The bounds of a RegisterInput: the reference's length, how many invoices
// it may name and the length of an invoice number.
const (
	ReferenceMax     = 140
	MaxInvoices      = 50
	InvoiceNumberMax = 20
)

// RegisterInput is a payment finance register by hand.
type RegisterInput struct {
	CompanyID  int64  `json:"customer" form:"customer"`
	Amount     string `json:"amount" form:"amount"`
	ReceivedOn string `json:"received_on" form:"received_on"`
	Reference  string `json:"reference" form:"reference"`
	// Invoices are invoice numbers to pay first, in this order (else the
	// oldest first).
	Invoices []string `json:"invoices,omitempty" form:"invoices"`
}

// Validate bounds every field and returns the amount and the day. Returns
// Invalid with field messages.
func (in *RegisterInput) Validate() (cents int64, day time.Time, err error) {
	fe := apperr.FieldErrors{}
	if in.CompanyID <= 0 {
		fe.Add("customer", i18n.M("Choose the customer who paid."))
	}
	c, ok := validate.Money(fe, "amount", in.Amount)
	if ok && c <= 0 {
		fe.Add("amount", i18n.M("Enter an amount above 0."))
	}
	day, msg := validate.ParseDate(strings.TrimSpace(in.ReceivedOn))
	if !msg.IsZero() {
		fe.Add("received_on", msg)
	}
	in.Reference = strings.TrimSpace(in.Reference)
	validate.Line(fe, "reference", in.Reference, ReferenceMax)
	if len(in.Invoices) > MaxInvoices {
		fe.Add("invoices", i18n.M("Choose at most %d invoices.", MaxInvoices))
	}
	for i, n := range in.Invoices {
		in.Invoices[i] = strings.TrimSpace(n)
		if !validate.Line(fe, "invoices", in.Invoices[i], InvoiceNumberMax) {
			break
		}
	}
	return int64(c), day, fe.Err()
}

// Register books a payment finance received: to the prepayment order or
// the invoice its reference names, then to the invoices chosen, then the
// oldest first; the rest stays as the customer's balance. Finance and
// admins only. Returns Forbidden, Invalid, NotFound.
func (s *Service) Register(ctx context.Context, by *users.User, in RegisterInput) (*Payment, error) {
	if err := mayBook(by); err != nil {
		return nil, err
	}
	cents, day, err := in.Validate()
	if err != nil {
		return nil, err
	}
	return s.run(ctx, func(ctx context.Context, tx *postgres.Tx) (*Payment, error) {
		var targets []Target
		if in.Reference != "" {
			ref, err := referenced(ctx, tx, in.CompanyID, in.Reference)
			if err != nil {
				return nil, err
			}
			switch {
			case ref.Order > 0:
				targets = append(targets, Target{OrderID: ref.Order, Reason: ReasonOrderReference, Detail: in.Reference})
			case ref.Invoice > 0:
				targets = append(targets, Target{InvoiceID: ref.Invoice, Reason: ReasonPaymentReference, Detail: in.Reference})
			}
		}
		for _, n := range in.Invoices {
			var id int64
			if err := tx.NewRaw(`SELECT id FROM invoices WHERE company_id = ? AND kind = 'invoice' AND state = 'issued' AND number = ?`,
				in.CompanyID, n).Scan(ctx, &id); err != nil {
				return nil, apperr.FieldErrors{"invoices": i18n.M("%s is not an invoice of this customer.", n)}.Err()
			}
			targets = append(targets, Target{InvoiceID: id, Reason: ReasonChosen})
		}
		return book(ctx, tx, s.now(), by, NewPayment{CompanyID: in.CompanyID, AmountCents: cents, ReceivedOn: day,
			Reference: in.Reference, Source: SourceManual}, targets)
	})
}

// run runs a use case in one transaction, once per key when the service
// is Keyed.
func (s *Service) run(ctx context.Context, fn func(ctx context.Context, tx *postgres.Tx) (*Payment, error)) (*Payment, error) {
	if s.key != nil {
		return idempotency.Run(ctx, s.DB, s.now(), s.key, fn)
	}
	var p *Payment
	err := postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		var err error
		p, err = fn(ctx, tx)
		return err
	})
	return p, err
}

// AllocateInput puts what is unallocated of a payment on an invoice or a
// prepayment order (by its payment reference).
type AllocateInput struct {
	Invoice string `json:"invoice" form:"invoice"` // an invoice number, or a prepayment order's payment reference
	Amount  string `json:"amount" form:"amount"`   // empty: as much as fits
}

// Validate bounds the fields and returns the amount in cents, -1 when
// none was given (as much as fits). Returns Invalid with field messages.
func (in *AllocateInput) Validate() (int64, error) {
	return readTarget(&in.Invoice, in.Amount, i18n.M("Enter the invoice number or the order's payment reference."))
}

// readTarget reads the invoice number (or order reference) and the
// optional amount of an allocation or a set-off: cents is -1 for no
// amount. empty is the message when no number was given.
func readTarget(number *string, amount string, empty i18n.Message) (cents int64, err error) {
	fe := apperr.FieldErrors{}
	*number = strings.TrimSpace(*number)
	if *number == "" {
		fe.Add("invoice", empty)
	}
	validate.Line(fe, "invoice", *number, 20)
	cents = -1
	if strings.TrimSpace(amount) != "" {
		c, ok := validate.Money(fe, "amount", amount)
		if ok && c <= 0 {
			fe.Add("amount", i18n.M("Enter an amount above 0."))
		}
		cents = int64(c)
	}
	return cents, fe.Err()
}

// referenced finds what a reference names among company's documents: a
// placed prepayment order by its payment reference, or an issued invoice
// by its number (0 when none).
func referenced(ctx context.Context, tx *postgres.Tx, companyID int64, ref string) (found struct {
	Order   int64 `bun:"order_id"`
	Invoice int64 `bun:"invoice_id"`
}, err error) {
	err = tx.NewRaw(`SELECT
		COALESCE((SELECT id FROM orders WHERE company_id = ?0 AND prepayment AND state = 'placed' AND upper(payment_reference) = upper(?1)), 0) AS order_id,
		COALESCE((SELECT id FROM invoices WHERE company_id = ?0 AND kind = 'invoice' AND state = 'issued' AND number = ?1), 0) AS invoice_id`,
		companyID, ref).Scan(ctx, &found)
	return found, err
}

// Allocate puts what is unallocated of payment id on the invoice or
// prepayment order in.Invoice names. Finance and admins only. Returns
// Forbidden, NotFound, Invalid, Conflict.
func (s *Service) Allocate(ctx context.Context, by *users.User, id int64, in AllocateInput) error {
	if err := mayBook(by); err != nil {
		return err
	}
	cents, err := in.Validate()
	if err != nil {
		return err
	}
	return postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		pay, err := lockPayment(ctx, tx, id)
		if err != nil {
			return err
		}
		if pay.UnallocatedCents == 0 {
			return apperr.Conflictf("Nothing of this payment is left to allocate.")
		}
		if cents < 0 || cents > pay.UnallocatedCents {
			if cents > pay.UnallocatedCents {
				return apperr.FieldErrors{"amount": i18n.M("At most %s of this payment is left to allocate.", i18n.Amount(pay.UnallocatedCents))}.Err()
			}
			cents = pay.UnallocatedCents
		}
		now := s.now()
		target, err := referenced(ctx, tx, pay.CompanyID, in.Invoice)
		if err != nil {
			return err
		}
		src := source{payment: pay}
		keep := pay.UnallocatedCents - cents
		pay.UnallocatedCents = cents // allocate at most cents
		switch {
		case target.Order > 0:
			err = allocateOrder(ctx, tx, now, by, src, target.Order, cents, ReasonChosen, in.Invoice)
		case target.Invoice > 0:
			var put int64
			put, err = allocateInvoice(ctx, tx, now, by, src, target.Invoice, cents, ReasonChosen, "")
			if err == nil && put == 0 {
				err = apperr.FieldErrors{"invoice": i18n.M("Invoice %s is paid.", in.Invoice)}.Err()
			}
		default:
			err = apperr.FieldErrors{"invoice": i18n.M("%s is not an open invoice or prepayment order of this customer.", in.Invoice)}.Err()
		}
		if err != nil {
			return err
		}
		pay.UnallocatedCents += keep
		return savePayment(ctx, tx, pay)
	})
}

func lockPayment(ctx context.Context, tx *postgres.Tx, id int64) (*Payment, error) {
	var company int64
	if err := tx.NewRaw(`SELECT company_id FROM payments WHERE id = ?`, id).Scan(ctx, &company); err != nil {
		return nil, postgres.Translate(err, i18n.M("Payment"))
	}
	if _, err := tx.ExecContext(ctx, `SELECT id FROM companies WHERE id = ? FOR NO KEY UPDATE`, company); err != nil {
		return nil, err
	}
	pay := new(Payment)
	err := tx.NewSelect().Model(pay).Where("p.id = ?", id).For("UPDATE").Scan(ctx)
	return pay, err
}

// SetOffInput sets a credit note off against an open invoice of the same
// customer.
type SetOffInput struct {
	Invoice string `json:"invoice" form:"invoice"`
	Amount  string `json:"amount" form:"amount"` // empty: as much as fits
}

// Validate bounds the fields and returns the amount in cents, -1 when
// none was given (as much as fits). Returns Invalid with field messages.
func (in *SetOffInput) Validate() (int64, error) {
	return readTarget(&in.Invoice, in.Amount, i18n.M("Enter the number of the invoice to set the credit note off against."))
}

// SetOff sets credit note number off against in.Invoice: the invoice is
// paid by that much, and that much of the credit note is used. Finance
// and admins only. Returns Forbidden, NotFound, Invalid, Conflict.
func (s *Service) SetOff(ctx context.Context, by *users.User, number string, in SetOffInput) error {
	if err := mayBook(by); err != nil {
		return err
	}
	cents, err := in.Validate()
	if err != nil {
		return err
	}
	return postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		var company int64
		if err := tx.NewRaw(`SELECT company_id FROM invoices WHERE number = ? AND kind = 'credit_note' AND state = 'issued'`, number).
			Scan(ctx, &company); err != nil {
			return postgres.Translate(err, i18n.M("Credit note"))
		}
		if _, err := tx.ExecContext(ctx, `SELECT id FROM companies WHERE id = ? FOR NO KEY UPDATE`, company); err != nil {
			return err
		}
		cn, err := lockDoc(ctx, tx, "number = ? AND kind = 'credit_note'", number)
		if err != nil {
			return err
		}
		if cn.Open <= 0 {
			return apperr.Conflictf("Credit note %s is set off in full.", number)
		}
		var invID int64
		if err := tx.NewRaw(`SELECT id FROM invoices WHERE number = ? AND kind = 'invoice' AND state = 'issued' AND company_id = ?`, in.Invoice, company).
			Scan(ctx, &invID); err != nil {
			return apperr.FieldErrors{"invoice": i18n.M("%s is not an invoice of this customer.", in.Invoice)}.Err()
		}
		if cents > cn.Open {
			return apperr.FieldErrors{"amount": i18n.M("At most %s of this credit note is left to set off.", i18n.Amount(cn.Open))}.Err()
		}
		if cents < 0 {
			cents = cn.Open
		}
		put, err := allocateInvoice(ctx, tx, s.now(), by, source{creditNote: cn}, invID, cents, ReasonSetOff, number)
		if err == nil && put == 0 {
			err = apperr.FieldErrors{"invoice": i18n.M("Invoice %s is paid.", in.Invoice)}.Err()
		}
		return err
	})
}

// Undo takes allocation id back, with the reason: the invoice is open
// again by that much (a prepayment order waits for its payment again,
// unless goods shipped on it), and the money is back on its payment or
// credit note. The allocation stays, marked undone. Finance and admins
// only; audited. Returns Forbidden, NotFound, Invalid, Conflict.
func (s *Service) Undo(ctx context.Context, by *users.User, id int64, reason string) error {
	if err := mayBook(by); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	fe := apperr.FieldErrors{}
	if reason == "" {
		fe.Add("reason", i18n.M("Say why the allocation is undone."))
	}
	validate.Text(fe, "reason", reason, 500)
	if err := fe.Err(); err != nil {
		return err
	}
	return postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		var company int64
		if err := tx.NewRaw(`SELECT company_id FROM allocations WHERE id = ?`, id).Scan(ctx, &company); err != nil {
			return postgres.Translate(err, i18n.M("Allocation"))
		}
		if _, err := tx.ExecContext(ctx, `SELECT id FROM companies WHERE id = ? FOR NO KEY UPDATE`, company); err != nil {
			return err
		}
		a := new(Allocation)
		if err := tx.NewSelect().Model(a).Where("a.id = ?", id).For("UPDATE").Scan(ctx); err != nil {
			return err
		}
		if !a.Active() {
			return apperr.Conflictf("This allocation was undone already.")
		}
		now := s.now()
		if a.OrderID != nil {
			if _, _, err := orders.ApplyPrepayment(ctx, tx, now, *a.OrderID, -a.AmountCents); err != nil {
				return err
			}
		} else if _, err := tx.ExecContext(ctx, `UPDATE invoices SET paid_cents = paid_cents - ?, updated_at = ? WHERE id = ?`,
			a.AmountCents, now, *a.InvoiceID); err != nil {
			return err
		}
		if a.PaymentID != nil {
			if _, err := tx.ExecContext(ctx, `UPDATE payments SET unallocated_cents = unallocated_cents + ? WHERE id = ?`, a.AmountCents, *a.PaymentID); err != nil {
				return err
			}
		} else if _, err := tx.ExecContext(ctx, `UPDATE invoices SET paid_cents = paid_cents + ?, updated_at = ? WHERE id = ?`,
			a.AmountCents, now, *a.CreditNoteID); err != nil {
			return err
		}
		a.UndoneAt, a.UndoneBy, a.UndoReason = &now, userID(by), &reason
		if _, err := tx.NewUpdate().Model(a).Column("undone_at", "undone_by", "undo_reason").WherePK().Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Change{Entity: "allocation", EntityID: a.ID, Action: "undo",
			Before: map[string]any{"amount_cents": a.AmountCents}, After: map[string]any{"undone": true, "reason": reason}})
	})
}
