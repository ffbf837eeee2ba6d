package bank

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/clock"
	"wholesale/internal/i18n"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
)

// Service holds the use cases of bank statements.
type Service struct {
	DB    *bun.DB
	Clock clock.Clock
}

func (s *Service) now() time.Time { return s.Clock.Now().Truncate(time.Microsecond) }

// mayBook says whether by may import statements and match entries.
func mayBook(by *users.User) error {
	if by == nil || !by.Is(users.RoleAdmin, users.RoleFinance) {
		return apperr.Forbiddenf("Only finance imports bank statements and matches their entries.")
	}
	return nil
}

// Report is what an import did, per statement of the file.
type Report struct {
	Filename   string
	Version    string
	Statements []StatementReport
}

// Totals adds up the statements' counts.
func (r *Report) Totals() StatementReport {
	var t StatementReport
	for _, s := range r.Statements {
		t.Entries += s.Entries
		t.New += s.New
		t.Known += s.Known
		t.Matched += s.Matched
		t.Open += s.Open
		t.Ignored += s.Ignored
	}
	return t
}

// StatementReport is what the import did with one statement.
type StatementReport struct {
	ID          int64
	Ref         string
	AccountIBAN string
	// Entries is how many the statement holds; New were recorded now,
	// Known had been imported before and were left alone.
	Entries, New, Known int
	// Matched were booked as payments, Open wait in the queue, Ignored are
	// debits and entries not in euros.
	Matched, Open, Ignored int
	Lines                  []Line
}

// Line is one entry of an import and what happened to it.
type Line struct {
	EntryID     int64 // 0 for an entry imported before
	BankRef     string
	Derived     bool // BankRef was derived: the bank gave none
	BookedOn    time.Time
	AmountCents int64
	Currency    string
	Amount      string // as written, for entries not in euros
	Credit      bool
	Name, IBAN  string
	Reference   string // the structured reference, else the free text
	// Outcome is StateMatched, StateOpen, StateIgnored or "known".
	Outcome     string
	Reason      string // a payments.Reason, or a Why… code
	Detail      string // what matched: the reference, invoice number or IBAN
	CompanyID   int64
	CompanyName string
	PaymentID   int64
}

// OutcomeKnown marks an entry imported before.
const OutcomeKnown = "known"

// ReasonLabel says for people why the entry was matched or not.
func (l *Line) ReasonLabel() i18n.Message { return ReasonLabel(l.Reason) }

// Import reads a CAMT.053 file and, in one transaction, records its
// statements and their new entries (an entry imported before is left
// alone), books each credit it can match as a payment of the customer and
// leaves the others in the queue. Debits and entries not in euros are kept
// as ignored. Only finance and admins import (Forbidden); a file that is
// too large, no XML, of an unknown version or not valid against its
// schema is refused whole with the reason at the field "file" (Invalid),
// and nothing is written.
func (s *Service) Import(ctx context.Context, by *users.User, filename string, content []byte) (*Report, error) {
	if err := mayBook(by); err != nil {
		return nil, err
	}
	if len(content) == 0 {
		return nil, apperr.FieldErrors{"file": i18n.M("Choose a bank statement: a CAMT.053 file (.xml).")}.Err()
	}
	version, err := Check(ctx, content)
	if err != nil {
		return nil, refused(err)
	}
	stmts, err := Parse(content)
	if err != nil {
		return nil, refused(err)
	}
	if err := checkStatements(stmts); err != nil {
		return nil, refused(err)
	}
	sum := sha256.Sum256(content)
	rep := &Report{Filename: filename, Version: version}
	now := s.now()
	err = postgres.Run(ctx, s.DB, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		rep.Statements = rep.Statements[:0]
		for i := range stmts {
			sr, err := importStatement(ctx, tx, now, by, clipBytes(filename, 255), hex.EncodeToString(sum[:]), &stmts[i])
			if err != nil {
				return err
			}
			rep.Statements = append(rep.Statements, *sr)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// refused turns a ParseError into the message at the file field.
func refused(err error) error {
	var pe *ParseError
	if errors.As(err, &pe) {
		return apperr.FieldErrors{"file": i18n.M("This file was refused and nothing was booked: %s.", pe.Reason)}.Err()
	}
	return err
}

// checkStatements refuses statements the tables cannot hold.
func checkStatements(stmts []Statement) error {
	if len(stmts) == 0 {
		return parseErr("the file holds no statement")
	}
	for _, st := range stmts {
		switch {
		case st.AccountIBAN == "" || len(st.AccountIBAN) > 34:
			return parseErr("statement %s names no account IBAN of at most 34 characters", st.ID)
		case len([]rune(st.ID)) > 35:
			return parseErr("the statement's id %q is longer than 35 characters", st.ID)
		}
		for _, e := range st.Entries {
			if len([]rune(e.BankRef)) > 80 {
				return parseErr("statement %s, entry %d: the bank's reference is longer than 80 characters", st.ID, e.Index+1)
			}
		}
	}
	return nil
}

// clipBytes is s cut to at most n bytes, on a character's border.
func clipBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

// clip is s cut to at most n characters.
func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

// reference is what a payment of the entry is known by: its structured
// reference, else its free text.
func reference(e *Entry) string {
	if r := e.StructuredRef(); r != "" {
		return r
	}
	return e.FreeText()
}

func userID(by *users.User) *int64 {
	if by == nil {
		return nil
	}
	return &by.ID
}

// upper is s trimmed and in capitals, as references are compared.
func upper(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }
