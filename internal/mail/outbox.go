// Package mail queues outgoing mail in the outbox table, in the transaction
// of the change that causes it, and delivers it afterwards (SMTP, or the log
// when no SMTP server is configured).
package mail

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/i18n"
	"wholesale/internal/postgres"
)

// safetyLine is the line that ends every mail the wholesaler sends.
var safetyLine = i18n.M("We never ask for your password or payment details by e-mail or telephone.")

// Footer is what the outbox adds to the body of a mail in lang: the
// safety line in that language, under a signature separator.
func Footer(lang i18n.Lang) string {
	return "\n\n--\n" + i18n.For(lang).Text(safetyLine) + "\n"
}

// Message is a mail to send.
type Message struct {
	ID        int64      `bun:"id,pk,autoincrement"`
	To        string     `bun:"to_address"`
	Subject   string     `bun:"subject"`
	Body      string     `bun:"body"`
	CreatedAt time.Time  `bun:"created_at"`
	Attempts  int        `bun:"attempts"`
	NextTryAt time.Time  `bun:"next_try_at"`
	SentAt    *time.Time `bun:"sent_at"`
	Transport *string    `bun:"transport"`
	LastError *string    `bun:"last_error"`
	// Attachments are read by the sender.
	Attachments   []Attachment `bun:"-"`
	bun.BaseModel `bun:"table:outbox"`
}

// Enqueue puts a mail written in lang (the customer company's or the
// user's language) in the outbox. Call it with the transaction of the
// change the mail is about: it is sent only if that change commits. The
// safety line is added to the body in lang (Footer).
func Enqueue(ctx context.Context, db bun.IDB, now time.Time, lang i18n.Lang, to, subject, body string) error {
	b := postgres.NewBatch(db)
	if err := EnqueueIn(b, db, now, lang, to, subject, body); err != nil {
		return err
	}
	if err := b.Exec(ctx, db); err != nil {
		return fmt.Errorf("mail: enqueue: %w", err)
	}
	return nil
}

// EnqueueIn is Enqueue for a use case that sends its statements in a batch:
// the mail's insert joins b, which the caller runs in its transaction.
func EnqueueIn(b *postgres.Batch, db bun.IDB, now time.Time, lang i18n.Lang, to, subject, body string) error {
	return enqueueIn(b, now, to, subject, body, Footer(lang))
}

func enqueueIn(b *postgres.Batch, now time.Time, to, subject, body, footer string) error {
	m, err := newMessage(now, to, subject, body, footer)
	if err != nil {
		return err
	}
	b.Stmt(insertMessage, m.To, m.Subject, m.Body, m.CreatedAt, m.NextTryAt)
	return nil
}

// insertMessage is prepared: order entry mails the customer every time.
var insertMessage = postgres.NewStmt("mail_insert", `INSERT INTO outbox (to_address, subject, body, created_at, next_try_at)
	VALUES (?0, ?1, ?2, ?3, ?4)`)

func newMessage(now time.Time, to, subject, body, footer string) (*Message, error) {
	addr, err := mail.ParseAddress(to)
	if err != nil {
		return nil, fmt.Errorf("mail: bad recipient %q: %w", to, err)
	}
	m := &Message{
		To:        addr.Address,
		Subject:   subject,
		Body:      strings.TrimRight(body, "\n") + footer,
		CreatedAt: now.UTC(),
		NextTryAt: now.UTC(),
	}
	return m, nil
}

// State says for people whether the mail went out: when it was sent (or
// only logged, without SMTP), how often it failed and why, or that it
// waits.
func (m Message) State() i18n.Message {
	switch {
	case m.SentAt != nil && m.Transport != nil && *m.Transport == "log":
		return i18n.M("logged %s, not sent", i18n.Time{T: *m.SentAt})
	case m.SentAt != nil && (m.Transport == nil || *m.Transport == "smtp"):
		return i18n.M("sent %s", i18n.Time{T: *m.SentAt})
	case m.SentAt != nil:
		return i18n.M("sent %s by %s", i18n.Time{T: *m.SentAt}, *m.Transport)
	case m.LastError != nil:
		return i18n.M("failed %d×: %s", m.Attempts, *m.LastError)
	}
	return i18n.M("waiting")
}

// List returns the newest mails of the outbox, for the admin page.
func List(ctx context.Context, db bun.IDB, limit int) ([]Message, error) {
	var out []Message
	err := db.NewSelect().Model(&out).OrderExpr("id DESC").Limit(int64(limit)).Scan(ctx)
	return out, err
}

// Get returns one mail of the outbox.
func Get(ctx context.Context, db bun.IDB, id int64) (*Message, error) {
	var m Message
	if err := db.NewSelect().Model(&m).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, err
	}
	return &m, nil
}
