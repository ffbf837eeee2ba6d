package invoicing

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
	"wholesale/internal/validate"
)

// CreditNoteInput is a credit note asked for: which lines of an issued
// invoice, how many of each, and why.
type CreditNoteInput struct {
	Invoice string
	// Quantities maps the invoice's line numbers to how many to credit.
	Quantities map[int]int
	// Rest credits what is left of every line, without Quantities.
	Rest   bool
	Reason string
}

// QuantityField is the form field of the quantity credited of line no.
func QuantityField(no int) string { return "qty_" + strconv.Itoa(no) }

// maxQuantity bounds quantities typed in.
const maxQuantity = 1_000_000

// Validate checks the input's bounds. Returns Invalid with field errors.
func (in *CreditNoteInput) Validate() error {
	fe := apperr.FieldErrors{}
	in.Reason = strings.TrimSpace(in.Reason)
	if in.Reason == "" {
		fe.Add("reason", i18n.M("Say why the customer is credited: it is printed on the credit note."))
	}
	validate.Text(fe, "reason", in.Reason, validate.NoteMax)
	some := false
	for no, q := range in.Quantities {
		switch {
		case q < 0 || q > maxQuantity:
			fe.Add(QuantityField(no), i18n.M("Enter a quantity from 0 to %s.", i18n.Num(maxQuantity)))
		case q > 0:
			some = true
		}
	}
	if !some && !in.Rest {
		fe.Add("lines", i18n.M("Credit at least one line."))
	}
	return fe.Err()
}

// CreditNote issues a credit note against an issued invoice at once: the
// credited quantities with negative amounts, its own gapless series,
// stored PDF and Excel, mailed to the customer. A line is never credited
// more than it was invoiced, over all its credit notes. Finance and admins
// only. Returns Forbidden, NotFound, Invalid.
func (s *Service) CreditNote(ctx context.Context, by *users.User, in CreditNoteInput) (*Invoice, error) {
	if !by.Is(users.RoleFinance, users.RoleAdmin) {
		return nil, apperr.Forbiddenf("Finance and admins issue credit notes.")
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var issued string
	err := postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		cn, err := s.CreditNoteIn(ctx, tx, by, in)
		if cn != nil {
			issued = cn.Number
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, by, issued)
}

// Issued is a credit note just issued: its id and number.
type Issued struct {
	ID     int64
	Number string
}

// CreditNoteIn issues a credit note as CreditNote does, within the
// caller's transaction and without its check of who asks: returns
// (internal/returns) credits what an account manager settles. Returns
// NotFound, Invalid.
func (s *Service) CreditNoteIn(ctx context.Context, tx *postgres.Tx, by *users.User, in CreditNoteInput) (*Issued, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	now := s.now()
	orig := new(Invoice)
	err := tx.NewSelect().Model(orig).Where("inv.number = ? AND inv.kind = 'invoice' AND inv.state = 'issued'", in.Invoice).
		For("UPDATE").Scan(ctx)
	if err != nil {
		return nil, postgres.Translate(err, i18n.M("Invoice"))
	}
	if err := linesOf(ctx, tx, orig); err != nil {
		return nil, err
	}
	done, err := Credited(ctx, tx, orig.ID)
	if err != nil {
		return nil, err
	}
	fe := apperr.FieldErrors{}
	var lines []Line
	for _, l := range orig.Lines {
		q := in.Quantities[l.LineNo]
		if in.Rest {
			q = l.Quantity - done[l.LineNo]
		}
		if q == 0 {
			continue
		}
		if left := l.Quantity - done[l.LineNo]; q > left {
			fe.Add(QuantityField(l.LineNo), i18n.M("At most %d of this line can still be credited.", left))
			continue
		}
		no := l.LineNo
		lines = append(lines, Line{LineNo: len(lines) + 1, OrderID: l.OrderID, OrderLineID: l.OrderLineID, CreditsLineNo: &no,
			SKU: l.SKU, Description: l.Description, Quantity: -q, UnitPriceCents: l.UnitPriceCents, VATRate: l.VATRate,
			AmountCents: -int64(q) * l.UnitPriceCents, POReference: l.POReference})
	}
	for no := range in.Quantities {
		if no < 1 || no > len(orig.Lines) {
			fe.Add(QuantityField(no), i18n.M("Invoice %s has no line %d.", in.Invoice, no))
		}
	}
	if len(lines) == 0 && len(fe) == 0 {
		fe.Add("lines", i18n.M("Invoice %s is credited in full already.", in.Invoice))
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	seller, err := Seller(ctx, tx)
	if err != nil {
		return nil, err
	}
	company := new(customers.Company)
	if err := tx.NewSelect().Model(company).Where("co.id = ?", orig.CompanyID).Scan(ctx); err != nil {
		return nil, err
	}
	issue := today(now)
	cn := &Invoice{Kind: KindCreditNote, CompanyID: orig.CompanyID, State: StateDraft, BusinessDay: issue, Language: orig.Language,
		VATMode: orig.VATMode, CreditsInvoiceID: &orig.ID, Reason: in.Reason, CreatedAt: now, UpdatedAt: now}
	if _, err := tx.NewInsert().Model(cn).ExcludeColumn("id", "number", "year", "seq", "issue_date", "supply_date", "due_date",
		"seller", "buyer", "payment_reference", "per_rate", "issued_at", "issued_by").Returning("id").Exec(ctx); err != nil {
		return nil, fmt.Errorf("invoicing: credit note: %w", err)
	}
	for i := range lines {
		lines[i].InvoiceID = cn.ID
	}
	if _, err := tx.NewInsert().Model(&lines).Exec(ctx); err != nil {
		return nil, fmt.Errorf("invoicing: credit note lines: %w", err)
	}
	doc := &Document{Kind: KindCreditNote, Language: orig.Language, IssueDate: issue, SupplyDate: day(orig.SupplyDate),
		Seller: seller, Buyer: *orig.Buyer, VATMode: orig.VATMode, Credits: orig.NumberOr(), CreditsDate: day(orig.IssueDate), Reason: in.Reason}
	fill(doc, lines)
	b := &batchOf{docs: []*issuing{{draft: cn, company: company, lines: lines, doc: doc}}}
	if err := number(ctx, tx, b.docs); err != nil {
		return nil, err
	}
	if err := s.render(b.docs); err != nil {
		return nil, err
	}
	if err := b.store(ctx, tx, now, by); err != nil {
		return nil, err
	}
	return &Issued{ID: cn.ID, Number: doc.Number}, nil
}

// Credited is how much of each line of invoice invoiceID its credit notes
// credit, by line number.
func Credited(ctx context.Context, db bun.IDB, invoiceID int64) (map[int]int, error) {
	var credited []struct {
		No  int `bun:"credits_line_no"`
		Qty int `bun:"qty"`
	}
	if err := db.NewRaw(`SELECT il.credits_line_no, -sum(il.quantity) AS qty FROM invoice_lines il JOIN invoices i ON i.id = il.invoice_id
		WHERE i.credits_invoice_id = ? GROUP BY il.credits_line_no`, invoiceID).Scan(ctx, &credited); err != nil {
		return nil, fmt.Errorf("invoicing: credited lines of %d: %w", invoiceID, err)
	}
	done := map[int]int{}
	for _, c := range credited {
		done[c.No] = c.Qty
	}
	return done, nil
}

// CreditNotesOf are the credit notes of invoice invoiceID, oldest first.
func CreditNotesOf(ctx context.Context, db bun.IDB, invoiceID int64) ([]Summary, error) {
	var list []Summary
	err := db.NewSelect().TableExpr("invoices AS inv").ColumnExpr(summaryColumns).
		Join("JOIN companies AS c ON c.id = inv.company_id").
		Where("inv.credits_invoice_id = ? AND inv.state = 'issued'", invoiceID).OrderExpr("inv.id").Scan(ctx, &list)
	return list, err
}
