package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/uptrace/bun"

	"wholesale/internal/clock"
	"wholesale/internal/privacy"
)

// runRetention is `wholesale retention`: the daily retention job of
// docs/PRIVACY.md, from the command line (after an outage, or from cron).
// It is safe beside the servers' scheduled runs: what is deleted once is
// gone, and a second run finds nothing.
func runRetention(ctx context.Context, db *bun.DB, cfg Config, log *slog.Logger, stdout io.Writer) error {
	p, err := (&privacy.Service{DB: db, Clock: clock.System{}, Log: log, Periods: cfg.Retention}).Retain(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "retention: %d mail bodies (%d attachments), %d documents of rejected applications (%d files), %d stashed uploads, "+
		"%d login failure records, %d expired sessions, %d reset codes, %d invitations deleted\n",
		p.MailBodies, p.MailAttachments, p.RejectedDocuments, p.Blobs, p.Stashed, p.LoginFailures, p.Sessions, p.ResetCodes, p.Invitations)
	return nil
}
