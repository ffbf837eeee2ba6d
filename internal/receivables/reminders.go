package receivables

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/audit"
	"wholesale/internal/clock"
	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/ident"
	"wholesale/internal/mail"
	"wholesale/internal/postgres"
	"wholesale/internal/settings"
)

// Service runs the payment reminders.
type Service struct {
	DB    *bun.DB
	Clock clock.Clock
	Log   *slog.Logger
	// BaseURL is where customers reach the portal, for the link in the mail.
	BaseURL string
}

func (s *Service) log() *slog.Logger {
	if s.Log == nil {
		return slog.Default()
	}
	return s.Log
}

// Sent is a reminder the run sent.
type Sent struct {
	Number string
	Level  int
	To     string
}

// candidate is an unpaid invoice past its first reminder day, with the
// highest reminder level it got (0: none).
type candidate struct {
	ID      int64     `bun:"id"`
	DueDate time.Time `bun:"due_date,type:date"`
	Sent    int       `bun:"sent"`
}

// Run sends the payment reminders due today (Amsterdam): to every issued
// invoice that is not paid in full, the first reminder from its due date
// plus the settings' first reminder days on, the second from the second
// reminder days on; each level once per invoice. Each reminder is one
// transaction: recorded in invoice_reminders (whose key makes runs at the
// same moment send each once), mailed to the customer's invoice address
// in its language, and audited. A reminder that fails is logged and the
// run goes on; the first error is returned with what was sent.
func (s *Service) Run(ctx context.Context) ([]Sent, error) {
	now := s.Clock.Now()
	today := Today(now)
	st, err := settings.Get(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	var cands []candidate
	err = s.DB.NewRaw(`SELECT i.id, i.due_date, COALESCE((SELECT max(r.level) FROM invoice_reminders r WHERE r.invoice_id = i.id), 0) AS sent
		FROM invoices i
		WHERE i.state = 'issued' AND i.kind = 'invoice' AND i.total_incl_cents - i.paid_cents > 0 AND i.due_date + ?::int <= ?::date
		ORDER BY i.due_date, i.id`, st.Reminder1Days, today.Format(time.DateOnly)).Scan(ctx, &cands)
	if err != nil {
		return nil, fmt.Errorf("receivables: reminders due: %w", err)
	}
	var sent []Sent
	var first error
	for _, c := range cands {
		level := ReminderLevel(c.DueDate, today, st.Reminder1Days, st.Reminder2Days)
		if level <= c.Sent {
			continue
		}
		r, err := s.remind(ctx, st, c.ID, level, now)
		switch {
		case err != nil:
			s.log().Error("receivables: a payment reminder failed", "invoice_id", c.ID, "level", level, "err", err)
			if first == nil {
				first = err
			}
		case r != nil:
			sent = append(sent, *r)
		}
	}
	return sent, first
}

// reminded is the invoice a reminder was recorded for.
type reminded struct {
	Number    string    `bun:"number"`
	CompanyID int64     `bun:"company_id"`
	IssueDate time.Time `bun:"issue_date,type:date"`
	DueDate   time.Time `bun:"due_date,type:date"`
	Total     int64     `bun:"total_incl_cents"`
	Open      int64     `bun:"due_cents"`
	Reference string    `bun:"payment_reference"`
}

// remind records, mails and audits reminder level of invoice id, in one
// transaction; nil when the invoice is paid meanwhile or the reminder
// (or a later one) was sent by another run.
func (s *Service) remind(ctx context.Context, st *settings.Settings, id int64, level int, now time.Time) (*Sent, error) {
	var out *Sent
	err := postgres.Run(ctx, s.DB, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		var rows []reminded
		err := tx.NewRaw(`WITH r AS (
				INSERT INTO invoice_reminders (invoice_id, level, due_cents, sent_at)
				SELECT i.id, ?1, i.total_incl_cents - i.paid_cents, ?2 FROM invoices i
				WHERE i.id = ?0 AND i.state = 'issued' AND i.kind = 'invoice' AND i.total_incl_cents - i.paid_cents > 0
					AND NOT EXISTS (SELECT 1 FROM invoice_reminders x WHERE x.invoice_id = i.id AND x.level > ?1)
				ON CONFLICT (invoice_id, level) DO NOTHING
				RETURNING invoice_id, due_cents)
			SELECT i.number, i.company_id, i.issue_date, i.due_date, i.total_incl_cents, r.due_cents,
				COALESCE(NULLIF(i.payment_reference, ''), i.number) AS payment_reference
			FROM r JOIN invoices i ON i.id = r.invoice_id`, id, level, now).Scan(ctx, &rows)
		if err != nil || len(rows) == 0 {
			return err
		}
		inv := rows[0]
		c, err := customers.ByID(ctx, tx, inv.CompanyID)
		if err != nil {
			return err
		}
		to := c.InvoiceEmail
		if to == "" {
			to = c.ContactEmail
		}
		m := ReminderMail{Level: level, Number: inv.Number, IssueDate: inv.IssueDate, DueDate: inv.DueDate, OpenCents: inv.Open,
			TotalCents: inv.Total, ContactName: c.ContactName, IBAN: ident.FormatIBAN(st.IBAN), BIC: st.BIC, Seller: st.Name,
			Reference: inv.Reference}
		if s.BaseURL != "" {
			m.PortalURL = s.BaseURL + "/portal/account-statement"
		}
		var outboxID *int64
		if to != "" {
			l := i18n.For(c.Lang())
			subject, body := m.Text(l)
			if err := mail.Enqueue(ctx, tx, now, l.Lang(), to, subject, body); err != nil {
				return err
			}
			if err := tx.NewRaw(`UPDATE invoice_reminders SET outbox_id = currval(pg_get_serial_sequence('outbox', 'id'))
				WHERE invoice_id = ? AND level = ? RETURNING outbox_id`, id, level).Scan(ctx, &outboxID); err != nil {
				return err
			}
		}
		out = &Sent{Number: inv.Number, Level: level, To: to}
		return audit.Record(ctx, tx, now, audit.Change{Entity: "invoice", EntityID: inv.Number, Action: "reminder",
			After: map[string]any{"level": level, "due_cents": inv.Open, "due_date": inv.DueDate.Format(time.DateOnly), "to": to, "outbox_id": outboxID}})
	})
	return out, err
}

// runLock is the PostgreSQL advisory lock of the reminder run: every app
// server schedules it, and the one that holds the lock does it.
const runLock = 0x77686f6c_72656d // "whol" "rem"

// Schedule runs the reminders every interval until ctx ends.
func (s *Service) Schedule(ctx context.Context, interval time.Duration) {
	postgres.Every(ctx, interval, func(ctx context.Context) { s.RunOnce(ctx) })
}

// RunOnce runs the reminders when no other server is running them, and
// logs what it sent. It reports whether it ran. (Runs at the same moment
// would be safe too; the lock saves the work.)
func (s *Service) RunOnce(ctx context.Context) (sent []Sent, ran bool, err error) {
	ran, err = postgres.TryLocked(ctx, s.DB, runLock, func(ctx context.Context) error {
		sent, err = s.Run(ctx)
		if len(sent) > 0 {
			s.log().Info("receivables: payment reminders sent", "count", len(sent), "first", sent[0].Number)
		}
		return err
	})
	return sent, ran, err
}
