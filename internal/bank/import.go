package bank

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun/dialect/pgdialect"

	"wholesale/internal/audit"
	"wholesale/internal/payments"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
)

// insertEntries records a statement's entries in one statement; an entry
// known already (same account and bank reference) is left alone and not
// returned.
const insertEntries = `INSERT INTO bank_entries (statement_id, account_iban, bank_ref, booked_on, amount_cents, credit,
	counterparty_name, counterparty_iban, structured_ref, free_text, end_to_end_id, state, match_reason)
SELECT ?, ?, x.ref, x.day::date, x.cents, x.credit, x.name, x.iban, x.sref, x.free, x.e2e, x.state, x.why
FROM unnest(?::text[], ?::text[], ?::bigint[], ?::boolean[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
	AS x(ref, day, cents, credit, name, iban, sref, free, e2e, state, why)
ON CONFLICT (account_iban, bank_ref) DO NOTHING
RETURNING id, bank_ref`

// importStatement records one statement and its new entries and books
// the credits it can match.
func importStatement(ctx context.Context, tx *postgres.Tx, now time.Time, by *users.User, filename, sum string, st *Statement) (*StatementReport, error) {
	sr := &StatementReport{Ref: st.ID, AccountIBAN: st.AccountIBAN, Entries: len(st.Entries)}
	err := tx.NewRaw(`INSERT INTO bank_statements (version, statement_ref, account_iban, filename, sha256, entries, booked, imported_by, imported_at)
		VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?) RETURNING id`, st.Version, st.ID, st.AccountIBAN, filename, sum, len(st.Entries), userID(by), now).
		Scan(ctx, &sr.ID)
	if err != nil {
		return nil, fmt.Errorf("bank: statement: %w", err)
	}
	sr.Lines = make([]Line, len(st.Entries))
	n := len(st.Entries)
	refs, days, names, ibans, srefs, free, e2e, states, whys := make([]string, 0, n), make([]string, 0, n), make([]string, 0, n),
		make([]string, 0, n), make([]string, 0, n), make([]string, 0, n), make([]string, 0, n), make([]string, 0, n), make([]string, 0, n)
	cents, credit := make([]int64, 0, n), make([]bool, 0, n)
	for i := range st.Entries {
		e := &st.Entries[i]
		name, iban := e.Debtor()
		l := &sr.Lines[i]
		*l = Line{BankRef: e.BankRef, Derived: e.Derived, BookedOn: e.BookedOn, AmountCents: e.AmountCents, Currency: e.Currency,
			Amount: e.Amount, Credit: e.Credit, Name: name, IBAN: iban, Reference: reference(e), Outcome: StateOpen, Reason: WhyNoMatch}
		switch {
		case e.Currency != "EUR":
			l.Outcome, l.Reason = StateIgnored, WhyNotEUR
		case !e.Credit:
			l.Outcome, l.Reason = StateIgnored, WhyDebit
		}
		if e.AmountCents <= 0 { // zero, or not in euros and not readable as cents: nothing to keep
			l.Outcome, l.Reason = StateIgnored, WhyZeroAmount
			if e.Currency != "EUR" {
				l.Reason = WhyNotEUR
			}
			sr.Ignored++
			continue
		}
		if len(iban) > 34 {
			iban = iban[:34]
		}
		refs, days, cents, credit = append(refs, e.BankRef), append(days, e.BookedOn.Format(time.DateOnly)), append(cents, e.AmountCents), append(credit, e.Credit)
		names, ibans, srefs, free, e2e = append(names, name), append(ibans, iban), append(srefs, e.StructuredRef()), append(free, e.FreeText()), append(e2e, e.EndToEndID())
		states, whys = append(states, l.Outcome), append(whys, l.Reason)
	}
	A := pgdialect.Array
	var inserted []struct {
		ID      int64  `bun:"id"`
		BankRef string `bun:"bank_ref"`
	}
	if len(refs) > 0 {
		err = tx.NewRaw(insertEntries, sr.ID, st.AccountIBAN, A(refs), A(days), A(cents), A(credit), A(names), A(ibans), A(srefs), A(free), A(e2e), A(states), A(whys)).
			Scan(ctx, &inserted)
		if err != nil {
			return nil, fmt.Errorf("bank: entries: %w", err)
		}
	}
	ids := make(map[string]int64, len(inserted))
	for _, r := range inserted {
		ids[r.BankRef] = r.ID
	}
	var toMatch []int
	for i := range sr.Lines {
		l := &sr.Lines[i]
		if l.Reason == WhyZeroAmount || (l.Reason == WhyNotEUR && l.AmountCents <= 0) {
			continue
		}
		id, ok := ids[l.BankRef]
		if !ok {
			l.Outcome, l.Reason = OutcomeKnown, ""
			sr.Known++
			continue
		}
		delete(ids, l.BankRef) // the same reference twice in a file: the second is known
		l.EntryID = id
		sr.New++
		if l.Outcome == StateOpen {
			toMatch = append(toMatch, i)
		} else {
			sr.Ignored++
		}
	}
	changes, err := matchAll(ctx, tx, now, by, st, sr, toMatch)
	if err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE bank_statements SET booked = ? WHERE id = ?`, sr.Matched, sr.ID); err != nil {
		return nil, err
	}
	changes = append(changes, audit.Change{Entity: "bank_statement", EntityID: sr.ID, Action: "import", After: map[string]any{
		"filename": filename, "statement_ref": st.ID, "account_iban": st.AccountIBAN, "version": st.Version, "entries": sr.Entries,
		"new": sr.New, "known": sr.Known, "matched": sr.Matched, "open": sr.Open, "ignored": sr.Ignored}})
	return sr, audit.RecordMany(ctx, tx, now, changes)
}

// matchAll matches the new open credits toMatch (indexes of sr.Lines and
// st.Entries), books each match as a payment and records the entries'
// states. It returns the audit entries of the matches.
func matchAll(ctx context.Context, tx *postgres.Tx, now time.Time, by *users.User, st *Statement, sr *StatementReport, toMatch []int) ([]audit.Change, error) {
	if len(toMatch) == 0 {
		return nil, nil
	}
	entries := make([]*Entry, len(toMatch))
	for k, i := range toMatch {
		entries[k] = &st.Entries[i]
	}
	m, err := loadCandidates(ctx, tx, entries)
	if err != nil {
		return nil, err
	}
	var (
		changes                 []audit.Change
		ids, paymentIDs         []int64
		reasons, details, state []string
		news                    []payments.NewPayment
		targets                 []*payments.Target
		lines                   []*Line
	)
	// Book the matches in bulk: a statement of thousands of credits is a
	// few statements, not thousands of round trips. A payment that went
	// beyond its target paid other invoices: those are booked before the
	// customer's open invoices are read again (matcher.fresh).
	flush := func() error {
		booked, err := payments.BookMany(ctx, tx, now, by, news, targets)
		if err != nil {
			return fmt.Errorf("bank: book %d entries: %w", len(news), err)
		}
		for k, p := range booked {
			l := lines[k]
			l.PaymentID = p.ID
			ids, paymentIDs, reasons, details, state = append(ids, l.EntryID), append(paymentIDs, p.ID), append(reasons, l.Reason), append(details, l.Detail), append(state, StateMatched)
			changes = append(changes, audit.Change{Entity: "bank_entry", EntityID: l.EntryID, Action: "match",
				Before: map[string]any{"state": StateOpen},
				After:  map[string]any{"state": StateMatched, "payment_id": p.ID, "company_id": l.CompanyID, "match_reason": l.Reason, "match_detail": l.Detail}})
		}
		news, targets, lines = news[:0], targets[:0], lines[:0]
		return nil
	}
	for k, i := range toMatch {
		e, l := entries[k], &sr.Lines[i]
		if len(m.stale) > 0 && len(news) > 0 {
			if err := flush(); err != nil {
				return nil, err
			}
		}
		t, company, err := m.match(ctx, tx, e)
		if err != nil {
			return nil, err
		}
		if t == nil {
			sr.Open++
			continue
		}
		name, iban := e.Debtor()
		news = append(news, payments.NewPayment{CompanyID: company.ID, AmountCents: e.AmountCents, ReceivedOn: e.BookedOn,
			Reference: clip(reference(e), 140), CounterpartyIBAN: clip(iban, 34), CounterpartyName: clip(name, 140), Source: payments.SourceBank})
		targets, lines = append(targets, t), append(lines, l)
		m.booked(t, company.ID, e.AmountCents)
		l.Outcome, l.Reason, l.Detail, l.CompanyID, l.CompanyName = StateMatched, string(t.Reason), t.Detail, company.ID, company.Name
		sr.Matched++
	}
	if err := flush(); err != nil {
		return nil, err
	}
	if len(ids) > 0 {
		A := pgdialect.Array
		_, err := tx.ExecContext(ctx, `UPDATE bank_entries AS b SET state = x.state, payment_id = x.payment_id, match_reason = x.reason, match_detail = x.detail
			FROM unnest(?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[]) AS x(id, payment_id, reason, detail, state) WHERE b.id = x.id`,
			A(ids), A(paymentIDs), A(reasons), A(details), A(state))
		if err != nil {
			return nil, fmt.Errorf("bank: matched entries: %w", err)
		}
	}
	return changes, nil
}
