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
	"wholesale/internal/postgres"

	"github.com/uptrace/bun"
)

// SafetyLine ends every mail the wholesaler sends (seeds 000 and 002).
const SafetyLine = "We never ask for your password or payment details by e-mail or telephone. " +
	"Wij vragen nooit om uw wachtwoord of betaalgegevens per e-mail of telefoon."

// Message is a mail to send.
type Message struct {
	ID            int64      `bun:"id,pk,autoincrement"`
	To            string     `bun:"to_address"`
	Subject       string     `bun:"subject"`
	Body          string     `bun:"body"`
	CreatedAt     time.Time  `bun:"created_at"`
	Attempts      int        `bun:"attempts"`
	NextTryAt     time.Time  `bun:"next_try_at"`
	SentAt        *time.Time `bun:"sent_at"`
	Transport     *string    `bun:"transport"`
	LastError     *string    `bun:"last_error"`
	bun.BaseModel `bun:"table:outbox"`
}

// Enqueue puts a mail in the outbox. Call it with the transaction of the
// change the mail is about: it is sent only if that change commits. The
// safety line is added to the body.
func Enqueue(ctx context.Context, db bun.IDB, now time.Time, to, subject, body string) error {
	b := postgres.NewBatch(db)
	if err := EnqueueIn(b, db, now, to, subject, body); err != nil {
		return err
	}
	if err := b.Exec(ctx, db); err != nil {
		return fmt.Errorf("mail: enqueue: %w", err)
	}
	return nil
}

// EnqueueIn is Enqueue for a use case that sends its statements in a batch:
// the mail's insert joins b, which the caller runs in its transaction.
func EnqueueIn(b *postgres.Batch, db bun.IDB, now time.Time, to, subject, body string) error {
	m, err := newMessage(now, to, subject, body)
	if err != nil {
		return err
	}
	b.Stmt(insertMessage, m.To, m.Subject, m.Body, m.CreatedAt, m.NextTryAt)
	return nil
}

// insertMessage is prepared: order entry mails the customer every time.
var insertMessage = postgres.NewStmt("mail_insert", `INSERT INTO outbox (to_address, subject, body, created_at, next_try_at)
	VALUES (?0, ?1, ?2, ?3, ?4)`)

func newMessage(now time.Time, to, subject, body string) (*Message, error) {
	addr, err := mail.ParseAddress(to)
	if err != nil {
		return nil, fmt.Errorf("mail: bad recipient %q: %w", to, err)
	}
	m := &Message{
		To:        addr.Address,
		Subject:   subject,
		Body:      strings.TrimRight(body, "\n") + "\n\n--\n" + SafetyLine + "\n",
		CreatedAt: now.UTC(),
		NextTryAt: now.UTC(),
	}
	return m, nil
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
