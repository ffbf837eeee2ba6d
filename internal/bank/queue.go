package bank

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/i18n"
	"wholesale/internal/payments"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
	"wholesale/internal/validate"
)

// StatementRow is an imported statement as the list shows it.
type StatementRow struct {
	ID           int64     `bun:"id"`
	Version      string    `bun:"version"`
	StatementRef string    `bun:"statement_ref"`
	AccountIBAN  string    `bun:"account_iban"`
	Filename     string    `bun:"filename"`
	Entries      int       `bun:"entries"`
	Booked       int       `bun:"booked"`
	Recorded     int       `bun:"recorded"` // entries new with this statement
	ImportedAt   time.Time `bun:"imported_at"`
	ImportedBy   string    `bun:"imported_by"`
}

// Known is how many entries of the statement had been imported before.
func (r *StatementRow) Known() int { return max(r.Entries-r.Recorded, 0) }

// Statements lists the newest imported statements, at most limit.
func Statements(ctx context.Context, db bun.IDB, limit int) ([]StatementRow, error) {
	var out []StatementRow
	err := db.NewRaw(`SELECT s.id, s.version, s.statement_ref, s.account_iban, s.filename, s.entries, s.booked, s.imported_at,
		coalesce(u.name, '') AS imported_by, (SELECT count(*) FROM bank_entries e WHERE e.statement_id = s.id) AS recorded
		FROM bank_statements s LEFT JOIN users u ON u.id = s.imported_by ORDER BY s.imported_at DESC, s.id DESC LIMIT ?`, limit).Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("bank: statements: %w", err)
	}
	return out, nil
}

// QueueEntry is an open credit waiting for a person.
type QueueEntry struct {
	ID            int64     `bun:"id"`
	BookedOn      time.Time `bun:"booked_on"`
	AmountCents   int64     `bun:"amount_cents"`
	Name          string    `bun:"counterparty_name"`
	IBAN          string    `bun:"counterparty_iban"`
	StructuredRef string    `bun:"structured_ref"`
	FreeText      string    `bun:"free_text"`
	EndToEndID    string    `bun:"end_to_end_id"`
	BankRef       string    `bun:"bank_ref"`
	// Suggested is the customer whose IBAN paid, when one is known.
	SuggestedID   int64  `bun:"suggested_id"`
	SuggestedName string `bun:"suggested_name"`
}

// Queue lists the open credits, oldest first, at most limit, and how many
// there are.
func Queue(ctx context.Context, db bun.IDB, limit int) ([]QueueEntry, int, error) {
	var out []QueueEntry
	err := db.NewRaw(`SELECT e.id, e.booked_on, e.amount_cents, e.counterparty_name, e.counterparty_iban, e.structured_ref, e.free_text,
		e.end_to_end_id, e.bank_ref, coalesce(c.id, 0) AS suggested_id, coalesce(c.name, '') AS suggested_name
		FROM bank_entries e LEFT JOIN LATERAL (SELECT id, name FROM companies
			WHERE e.counterparty_iban <> '' AND upper(replace(iban, ' ', '')) = e.counterparty_iban ORDER BY id LIMIT 1) c ON true
		WHERE e.state = 'open' ORDER BY e.booked_on, e.id LIMIT ?`, limit).Scan(ctx, &out)
	if err != nil {
		return nil, 0, fmt.Errorf("bank: queue: %w", err)
	}
	var n int
	if err := db.NewRaw(`SELECT count(*) FROM bank_entries WHERE state = 'open'`).Scan(ctx, &n); err != nil {
		return nil, 0, fmt.Errorf("bank: queue: %w", err)
	}
	return out, n, nil
}

// CountOpen is how many credits wait in the queue.
func CountOpen(ctx context.Context, db bun.IDB) (int, error) {
	var n int
	err := db.NewRaw(`SELECT count(*) FROM bank_entries WHERE state = 'open'`).Scan(ctx, &n)
	return n, err
}

// MatchInput is a person's match of an open credit: the customer who paid
// (its number, "number — name" as the form suggests, or its exact name)
// and optionally the invoice it pays first.
type MatchInput struct {
	Customer string
	Invoice  string
}

// openEntry locks an entry and refuses one that is not open.
func openEntry(ctx context.Context, tx *postgres.Tx, id int64) (*QueueEntry, error) {
	e := new(QueueEntry)
	var state string
	err := tx.NewRaw(`SELECT id, booked_on, amount_cents, counterparty_name, counterparty_iban, structured_ref, free_text, end_to_end_id, bank_ref, state
		FROM bank_entries WHERE id = ? FOR UPDATE`, id).Scan(ctx, &e.ID, &e.BookedOn, &e.AmountCents, &e.Name, &e.IBAN, &e.StructuredRef,
		&e.FreeText, &e.EndToEndID, &e.BankRef, &state)
	if err != nil {
		return nil, postgres.Translate(err, i18n.M("Bank entry"))
	}
	if state != StateOpen {
		return nil, apperr.Conflictf("This entry was matched or set aside meanwhile: it is no longer in the queue.")
	}
	return e, nil
}

// Match books an open credit as a payment of the customer in.Customer,
// to the invoice in.Invoice first when given, else to its open invoices
// oldest first. Audited. Returns Forbidden (not finance), NotFound (the
// entry), Conflict (no longer open), Invalid (customer, invoice).
func (s *Service) Match(ctx context.Context, by *users.User, entryID int64, in MatchInput) (*payments.Payment, error) {
	if err := mayBook(by); err != nil {
		return nil, err
	}
	fe := apperr.FieldErrors{}
	in.Customer, in.Invoice = strings.TrimSpace(in.Customer), strings.TrimSpace(in.Invoice)
	if in.Customer == "" {
		fe.Add("customer", i18n.M("Choose the customer who paid."))
	} else {
		validate.Line(fe, "customer", in.Customer, 200)
	}
	if in.Invoice != "" {
		validate.Line(fe, "invoice", in.Invoice, 40)
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	var p *payments.Payment
	err := postgres.Run(ctx, s.DB, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		e, err := openEntry(ctx, tx, entryID)
		if err != nil {
			return err
		}
		c, err := findCustomer(ctx, tx, in.Customer)
		if err != nil {
			return err
		}
		var target *payments.Target
		detail := c.Name
		if in.Invoice != "" {
			number := upper(in.Invoice)
			if ns := InvoiceNumbers(in.Invoice); len(ns) == 1 {
				number = ns[0]
			}
			var inv struct {
				ID        int64 `bun:"id"`
				CompanyID int64 `bun:"company_id"`
			}
			err := tx.NewRaw(`SELECT id, company_id FROM invoices WHERE number = ? AND state = 'issued' AND kind = 'invoice'`, number).Scan(ctx, &inv)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				return apperr.FieldErrors{"invoice": i18n.M("There is no issued invoice %s.", number)}.Err()
			case err != nil:
				return err
			case inv.CompanyID != c.ID:
				return apperr.FieldErrors{"invoice": i18n.M("Invoice %s is not of %s.", number, c.Name)}.Err()
			}
			target = &payments.Target{InvoiceID: inv.ID, Reason: payments.ReasonManualMatch, Detail: number}
			detail = number
		}
		p, err = payments.Book(ctx, tx, now, by, payments.NewPayment{CompanyID: c.ID, AmountCents: e.AmountCents, ReceivedOn: e.BookedOn,
			Reference: clip(firstOf(e.StructuredRef, e.FreeText), 140), CounterpartyIBAN: clip(e.IBAN, 34), CounterpartyName: clip(e.Name, 140),
			Source: payments.SourceBank}, target)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE bank_entries SET state = 'matched', payment_id = ?, match_reason = ?, match_detail = ? WHERE id = ?`,
			p.ID, string(payments.ReasonManualMatch), detail, e.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Change{Entity: "bank_entry", EntityID: e.ID, Action: "match",
			Before: map[string]any{"state": StateOpen},
			After:  map[string]any{"state": StateMatched, "payment_id": p.ID, "company_id": c.ID, "match_reason": payments.ReasonManualMatch, "match_detail": detail}})
	})
	return p, err
}

// Ignore sets an open credit aside with the reason why (it is no payment
// of a customer: a refund, a transfer of our own). Audited. Returns
// Forbidden, NotFound, Conflict (no longer open), Invalid (reason).
func (s *Service) Ignore(ctx context.Context, by *users.User, entryID int64, reason string) error {
	if err := mayBook(by); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	fe := apperr.FieldErrors{}
	if reason == "" {
		fe.Add("reason", i18n.M("Say why this entry is set aside."))
	} else {
		validate.Line(fe, "reason", reason, 200)
	}
	if err := fe.Err(); err != nil {
		return err
	}
	now := s.now()
	return postgres.Run(ctx, s.DB, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		e, err := openEntry(ctx, tx, entryID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE bank_entries SET state = 'ignored', match_reason = ?, match_detail = ? WHERE id = ?`,
			WhySetAside, reason, e.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Change{Entity: "bank_entry", EntityID: e.ID, Action: "set_aside",
			Before: map[string]any{"state": StateOpen}, After: map[string]any{"state": StateIgnored, "match_reason": WhySetAside, "match_detail": reason}})
	})
}

// findCustomer finds the customer a person named: by number (alone or
// before a dash and the name, as the form suggests), else by exact name.
func findCustomer(ctx context.Context, tx *postgres.Tx, s string) (company, error) {
	var c company
	digits := strings.TrimRightFunc(s[:len(s)-len(strings.TrimLeftFunc(s, unicode.IsDigit))], unicode.IsSpace)
	var err error
	if id, perr := strconv.ParseInt(digits, 10, 64); perr == nil && id > 0 {
		err = tx.NewRaw(`SELECT id, name FROM companies WHERE id = ?`, id).Scan(ctx, &c.ID, &c.Name)
	} else {
		var found []company
		err = tx.NewRaw(`SELECT id, name FROM companies WHERE lower(name) = lower(?) ORDER BY id LIMIT 2`, s).Scan(ctx, &found)
		if err == nil && len(found) == 2 {
			return c, apperr.FieldErrors{"customer": i18n.M("Several customers are called %s: choose one by its number.", s)}.Err()
		}
		if err == nil && len(found) == 1 {
			c = found[0]
		} else if err == nil {
			err = errNone
		}
	}
	if errors.Is(err, sql.ErrNoRows) || err == errNone {
		return c, apperr.FieldErrors{"customer": i18n.M("There is no customer %s.", s)}.Err()
	}
	return c, err
}

var errNone = errors.New("bank: no customer")

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
