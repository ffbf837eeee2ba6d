package invoicing

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/i18n"
	"wholesale/internal/users"
)

// Standings of a document, as lists and pages show it: a draft; an issued
// invoice unpaid, overdue or paid; an issued credit note.
const (
	StandingDraft  = "draft"
	StandingUnpaid = "unpaid"
	// StandingOpen filters the open items: invoices not paid in full and
	// credit notes not set off in full (a filter, not a standing).
	StandingOpen = "open"
	// StandingPartlyPaid is an invoice paid in part, not yet overdue.
	StandingPartlyPaid = "partly_paid"
	StandingOverdue    = "overdue"
	StandingPaid       = "paid"
	StandingIssued     = "issued"
)

// standing is how a document stands on day today.
func standing(kind, state string, due *time.Time, paid, total int64, today time.Time) string {
	switch {
	case state == StateDraft:
		return StandingDraft
	case kind == KindCreditNote:
		return StandingIssued
	case paid >= total:
		return StandingPaid
	case due != nil && due.Before(today):
		return StandingOverdue
	case paid > 0:
		return StandingPartlyPaid
	}
	return StandingUnpaid
}

// Standing is how the summarised document stands on day today (a calendar
// day, midnight UTC): overdue when unpaid past its due date.
func (s *Summary) Standing(today time.Time) string {
	return standing(s.Kind, s.State, s.DueDate, s.PaidCents, s.InclCents, today)
}

// Standing is how the invoice stands on day today, as Summary.Standing.
func (inv *Invoice) Standing(today time.Time) string {
	return standing(inv.Kind, inv.State, inv.DueDate, inv.PaidCents, inv.TotalInclCents, today)
}

// StandingLabel is a standing for people.
func StandingLabel(s string) i18n.Message {
	switch s {
	case StandingDraft:
		return i18n.M("draft")
	case StandingUnpaid:
		return i18n.M("unpaid")
	case StandingOverdue:
		return i18n.M("overdue")
	case StandingPaid:
		return i18n.M("paid")
	case StandingPartlyPaid:
		return i18n.M("partly paid")
	case StandingIssued:
		return i18n.M("issued")
	}
	return i18n.Raw(s)
}

// KindLabel is a kind of document for people: invoice or credit note.
func KindLabel(kind string) i18n.Message {
	return (&Document{Kind: kind}).Title()
}

// Today is the calendar day (midnight UTC) of the service's clock in
// Amsterdam: the day lists decide what is overdue on.
func (s *Service) Today() time.Time { return today(s.now()) }

// Export calls fn with every document f asks for that by may see, newest
// first, streamed from db: for exports of any size, such as the
// bookkeeper's list of a period. db is s.DB or a replica of it, which
// takes the load of reports off the primary. Returns Forbidden.
func (s *Service) Export(ctx context.Context, db *bun.DB, by *users.User, f Filter, fn func(*Summary) error) error {
	if err := scope(by, &f); err != nil {
		return err
	}
	if f.Today.IsZero() {
		f.Today = s.Today()
	}
	return Each(ctx, db, f, fn)
}

// Tally is how many documents a filter finds, how much of them is unpaid,
// and the earliest due date among them.
type Tally struct {
	Count       int        `bun:"n"`
	UnpaidCents int64      `bun:"unpaid_cents"`
	EarliestDue *time.Time `bun:"earliest_due,type:date"`
}

// Count tallies the documents f asks for that by may see (f's paging is
// ignored). Returns Forbidden.
func (s *Service) Count(ctx context.Context, by *users.User, f Filter) (Tally, error) {
	var t Tally
	if err := scope(by, &f); err != nil {
		return t, err
	}
	if f.Today.IsZero() {
		f.Today = s.Today()
	}
	err := tallyQuery(s.DB, f).Scan(ctx, &t)
	return t, err
}
