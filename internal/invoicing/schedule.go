package invoicing

import (
	"context"
	"time"

	"wholesale/internal/postgres"
)

// runLock is the PostgreSQL advisory lock of the cutoff run: every app
// server schedules the run, and the one that holds the lock does it.
const runLock = 0x77686f6c_696e76 // "whol" "inv"

// Schedule runs the cutoff every interval until ctx ends.
func (s *Service) Schedule(ctx context.Context, interval time.Duration) {
	postgres.Every(ctx, interval, func(ctx context.Context) { s.RunOnce(ctx) })
}

// RunOnce runs the cutoff when no other server is running it, and logs
// what it issued. It reports whether it ran. (Runs at the same moment
// would be safe too; the lock saves the work.)
func (s *Service) RunOnce(ctx context.Context) (numbers []string, ran bool, err error) {
	ran, err = postgres.TryLocked(ctx, s.DB, runLock, func(ctx context.Context) error {
		numbers, err = s.Run(ctx, nil, 0)
		switch {
		case err != nil:
			s.log().Error("invoicing: the cutoff run failed", "err", err, "issued", len(numbers))
		case len(numbers) > 0:
			s.log().Info("invoicing: the cutoff run issued invoices", "count", len(numbers), "first", numbers[0], "last", numbers[len(numbers)-1])
		}
		return err
	})
	return numbers, ran, err
}
