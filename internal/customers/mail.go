package customers

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/i18n"
	"wholesale/internal/mail"
)

// mailApplicant queues a mail to the contact person of an application, in
// the language the application was sent in.
func mailApplicant(ctx context.Context, tx bun.IDB, now time.Time, a *Application, subject, body i18n.Message) error {
	l := i18n.For(i18n.Lang(a.Language))
	return mail.Enqueue(ctx, tx, now, l.Lang(), a.ContactEmail, l.Text(subject), l.Text(body))
}

// joinMessages is ms as one message, separated by semicolons: "a; b; c".
func joinMessages(ms []i18n.Message) i18n.Message {
	if len(ms) == 0 {
		return i18n.Message{}
	}
	out := ms[0]
	for _, m := range ms[1:] {
		out = i18n.M("%s; %s", out, m)
	}
	return out
}
