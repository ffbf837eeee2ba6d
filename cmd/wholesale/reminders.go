package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/uptrace/bun"

	"wholesale/internal/clock"
	"wholesale/internal/receivables"
)

// runReminders is `wholesale reminders`: the payment reminders due today,
// from the command line (after an outage, or from cron). It is safe beside
// the servers' scheduled runs: each reminder goes out once.
func runReminders(ctx context.Context, db *bun.DB, cfg Config, log *slog.Logger, stdout io.Writer) error {
	sent, err := (&receivables.Service{DB: db, Clock: clock.System{}, Log: log, BaseURL: cfg.BaseURL}).Run(ctx)
	for _, s := range sent {
		fmt.Fprintf(stdout, "reminder %d for invoice %s to %s\n", s.Level, s.Number, s.To)
	}
	if len(sent) == 0 && err == nil {
		fmt.Fprintln(stdout, "no reminders due")
	}
	return err
}
