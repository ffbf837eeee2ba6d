package privacy

import (
	"context"
	"time"

	"wholesale/internal/audit"
	"wholesale/internal/postgres"
)

// Periods are how long the daily retention job keeps what it deletes.
type Periods struct {
	// Mail: the body (and attached bytes) of a mail, after it was sent.
	Mail time.Duration
	// Rejected: the documents of a rejected application, after rejection.
	Rejected time.Duration
	// Stash: the stashed uploads of a form never sent.
	Stash time.Duration
	// Logins: login failure records, expired sessions, and expired reset
	// codes and invitations, after the last failure or the expiry.
	Logins time.Duration
}

// Day is a day of retention: periods are set in whole days.
const Day = 24 * time.Hour

// DefaultPeriods are the periods of docs/PRIVACY.md.
var DefaultPeriods = Periods{Mail: 90 * Day, Rejected: 56 * Day, Stash: 56 * Day, Logins: 30 * Day}

// periods returns s.Periods with zero fields set to their default.
func (s *Service) periods() Periods {
	p, d := s.Periods, DefaultPeriods
	for _, f := range []struct {
		v   *time.Duration
		def time.Duration
	}{
		{&p.Mail, d.Mail}, {&p.Rejected, d.Rejected}, {&p.Stash, d.Stash}, {&p.Logins, d.Logins},
	} {
		if *f.v <= 0 {
			*f.v = f.def
		}
	}
	return p
}

// Purged counts what one run of the retention job deleted.
type Purged struct {
	MailBodies        int64 `json:"mail_bodies"`
	MailAttachments   int64 `json:"mail_attachments"`
	RejectedDocuments int64 `json:"rejected_documents"`
	Blobs             int64 `json:"blobs"`
	Stashed           int64 `json:"stashed"`
	LoginFailures     int64 `json:"login_failures"`
	Sessions          int64 `json:"sessions"`
	ResetCodes        int64 `json:"reset_codes"`
	Invitations       int64 `json:"invitations"`
}

func (p Purged) any() bool { return p != Purged{} }

// Retain deletes what is past its retention period at the clock's now, in
// one transaction, with one audit entry (by the system) when it deleted
// anything.
func (s *Service) Retain(ctx context.Context) (Purged, error) {
	per, now := s.periods(), s.Clock.Now()
	var p Purged
	err := postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		p = Purged{}
		mailCut, rejCut, stashCut, loginCut := now.Add(-per.Mail), now.Add(-per.Rejected), now.Add(-per.Stash), now.Add(-per.Logins)
		steps := []struct {
			n     *int64
			query string
			args  []any
		}{
			{&p.MailAttachments, `DELETE FROM outbox_attachments WHERE content IS NOT NULL
				AND outbox_id IN (SELECT id FROM outbox WHERE sent_at < ?)`, []any{mailCut}},
			{&p.MailBodies, `UPDATE outbox SET body = '', body_deleted_at = ? WHERE sent_at < ? AND body_deleted_at IS NULL`, []any{now, mailCut}},
			{&p.RejectedDocuments, `WITH gone AS (
				    DELETE FROM documents d USING applications a
				    WHERE d.application_id = a.id AND a.status = 'rejected' AND a.decided_at < ?0 RETURNING d.sha256),
				  marked AS (UPDATE applications SET documents_deleted_at = ?1
				    WHERE status = 'rejected' AND decided_at < ?0 AND documents_deleted_at IS NULL)
				SELECT count(*) FROM gone`, []any{rejCut, now}},
			// Files no document refers to any more go with them.
			{&p.Blobs, `DELETE FROM blobs b WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.sha256 = b.sha256)
				AND NOT EXISTS (SELECT 1 FROM complaint_documents c WHERE c.sha256 = b.sha256)`, nil},
			{&p.Stashed, `DELETE FROM upload_stash WHERE created_at < ?`, []any{stashCut}},
			{&p.LoginFailures, `DELETE FROM login_failures WHERE last_failed_at < ?0 AND (locked_until IS NULL OR locked_until < ?1)`, []any{loginCut, now}},
			{&p.Sessions, `DELETE FROM kv_store WHERE expires_at < ?`, []any{loginCut}},
			{&p.ResetCodes, `DELETE FROM password_resets WHERE expires_at < ?`, []any{loginCut}},
			{&p.Invitations, `DELETE FROM invitations WHERE expires_at < ?`, []any{loginCut}},
		}
		for _, st := range steps {
			if st.n == &p.RejectedDocuments {
				if err := tx.NewRaw(st.query, st.args...).Scan(ctx, st.n); err != nil {
					return err
				}
				continue
			}
			res, err := tx.ExecContext(ctx, st.query, st.args...)
			if err != nil {
				return err
			}
			*st.n, _ = res.RowsAffected()
		}
		if !p.any() {
			return nil
		}
		return audit.Record(audit.WithActor(ctx, audit.System), tx, now, audit.Change{Entity: "retention", EntityID: now.UTC().Format(time.DateOnly),
			Action: "purge", After: p})
	})
	return p, err
}

// retainLock is the PostgreSQL advisory lock of the retention run: every
// app server schedules it, and the one that holds the lock does it.
const retainLock = 0x77686f6c_726574 // "whol" "ret"

// RetainOnce runs the retention job when no other server is running it,
// and logs what it deleted. It reports whether it ran.
func (s *Service) RetainOnce(ctx context.Context) (p Purged, ran bool, err error) {
	ran, err = postgres.TryLocked(ctx, s.DB, retainLock, func(ctx context.Context) error {
		p, err = s.Retain(ctx)
		if p.any() {
			s.log().Info("privacy: retention run", "purged", p)
		}
		return err
	})
	if err != nil && ctx.Err() == nil {
		s.log().Warn("privacy: retention run failed", "err", err)
	}
	return p, ran, err
}

// Schedule runs the retention job now and then every interval (a day)
// until ctx ends. Running it more often deletes nothing twice.
func (s *Service) Schedule(ctx context.Context, interval time.Duration) {
	s.RetainOnce(ctx)
	postgres.Every(ctx, interval, func(ctx context.Context) { s.RetainOnce(ctx) })
}
