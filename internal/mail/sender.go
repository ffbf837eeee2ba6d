package mail

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"time"

	"github.com/uptrace/bun"
	gomail "github.com/wneessen/go-mail"

	"wholesale/internal/clock"
	"wholesale/internal/postgres"
)

// Transport delivers one mail.
type Transport interface {
	Name() string
	Send(ctx context.Context, from string, m *Message) error
}

// Sender delivers the outbox. Several app servers may run one each: a mail is
// claimed with FOR UPDATE SKIP LOCKED and sent once.
type Sender struct {
	DB        *bun.DB
	Transport Transport
	From      string
	Clock     clock.Clock
	Log       *slog.Logger
	// MaxAttempts after which a failing mail is left alone.
	MaxAttempts int
}

// Run delivers pending mail every interval until ctx ends.
func (s *Sender) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := s.DeliverPending(ctx, 50); err != nil && ctx.Err() == nil {
			s.Log.Error("mail: delivering the outbox", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// DeliverPending sends up to limit due mails and returns how many went out.
// A failed mail is tried again later, with growing pauses.
func (s *Sender) DeliverPending(ctx context.Context, limit int) (int, error) {
	maxAttempts := s.MaxAttempts
	if maxAttempts <= 0 {
		maxAttempts = 10
	}
	sent := 0
	for i := 0; i < limit; i++ {
		done, err := s.deliverOne(ctx, maxAttempts)
		if err != nil {
			return sent, err
		}
		if !done {
			return sent, nil
		}
		sent++
	}
	return sent, nil
}

// deliverOne claims one due mail and sends it; false when none is due.
func (s *Sender) deliverOne(ctx context.Context, maxAttempts int) (bool, error) {
	found := false
	err := postgres.Run(ctx, s.DB, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		var m Message
		err := tx.NewSelect().Model(&m).
			Where("sent_at IS NULL AND next_try_at <= ? AND attempts < ?", s.Clock.Now(), maxAttempts).
			OrderExpr("id").Limit(1).For("UPDATE SKIP LOCKED").Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // nothing due
		}
		if err != nil {
			return err
		}
		found = true
		if m.Attachments, err = Attachments(ctx, tx, m.ID); err != nil {
			return err
		}
		now := s.Clock.Now()
		m.Attempts++
		if sendErr := s.Transport.Send(ctx, s.From, &m); sendErr != nil {
			msg := sendErr.Error()
			m.LastError = &msg
			m.NextTryAt = now.Add(time.Duration(m.Attempts*m.Attempts) * time.Minute)
			s.Log.Warn("mail: delivery failed", "id", m.ID, "to", m.To, "attempt", m.Attempts, "err", sendErr)
		} else {
			name := s.Transport.Name()
			m.SentAt, m.Transport, m.LastError = &now, &name, nil
		}
		_, err = tx.NewUpdate().Model(&m).Column("attempts", "next_try_at", "sent_at", "transport", "last_error").WherePK().Exec(ctx)
		return err
	})
	return found, err
}

// LogTransport "delivers" mail by logging it; admins read it at /admin/mail.
type LogTransport struct{ Log *slog.Logger }

// Name is "log".
func (LogTransport) Name() string { return "log" }

// Send logs the mail.
func (t LogTransport) Send(_ context.Context, from string, m *Message) error {
	t.Log.Info("mail (not sent: SMTP_URL is unset)", "id", m.ID, "from", from, "to", m.To, "subject", m.Subject,
		"attachments", len(m.Attachments))
	return nil
}

// SMTPTransport delivers mail to an SMTP server.
type SMTPTransport struct {
	host     string
	port     int
	user     string
	password string
	tls      gomail.TLSPolicy
	ssl      bool
}

// NewSMTPTransport parses an SMTP URL: smtp://user:pass@host:port (STARTTLS
// when offered), smtp://host:port?tls=none (plain), smtps://host:465 (TLS).
func NewSMTPTransport(raw string) (*SMTPTransport, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("mail: SMTP_URL: %w", err)
	}
	t := &SMTPTransport{host: u.Hostname(), tls: gomail.TLSOpportunistic}
	switch u.Scheme {
	case "smtp":
		t.port = 587
	case "smtps":
		t.port, t.ssl = 465, true
	default:
		return nil, fmt.Errorf("mail: SMTP_URL must start with smtp:// or smtps://, not %q", u.Scheme)
	}
	if t.host == "" {
		return nil, fmt.Errorf("mail: SMTP_URL has no host")
	}
	if p := u.Port(); p != "" {
		if t.port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("mail: SMTP_URL port: %w", err)
		}
	}
	switch u.Query().Get("tls") {
	case "", "opportunistic":
	case "none":
		t.tls = gomail.NoTLS
	case "required":
		t.tls = gomail.TLSMandatory
	default:
		return nil, fmt.Errorf("mail: SMTP_URL tls must be none, opportunistic or required")
	}
	if u.User != nil {
		t.user = u.User.Username()
		t.password, _ = u.User.Password()
	}
	return t, nil
}

// Name is "smtp".
func (t *SMTPTransport) Name() string { return "smtp" }

// Send delivers the mail over SMTP.
func (t *SMTPTransport) Send(ctx context.Context, from string, m *Message) error {
	msg := gomail.NewMsg()
	if err := msg.From(from); err != nil {
		return err
	}
	if err := msg.To(m.To); err != nil {
		return err
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageID()
	msg.SetBodyString(gomail.TypeTextPlain, m.Body)
	for _, a := range m.Attachments {
		if err := msg.AttachReader(a.Filename, bytes.NewReader(a.Content), gomail.WithFileContentType(gomail.ContentType(a.ContentType))); err != nil {
			return err
		}
	}
	opts := []gomail.Option{gomail.WithTLSPolicy(t.tls), gomail.WithPort(t.port), gomail.WithTimeout(15 * time.Second)}
	if t.ssl {
		opts = append(opts, gomail.WithSSL())
	}
	if t.user != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthPlain), gomail.WithUsername(t.user), gomail.WithPassword(t.password))
	}
	c, err := gomail.NewClient(t.host, opts...)
	if err != nil {
		return err
	}
	return c.DialAndSendWithContext(ctx, msg)
}
