package invoicing

import (
	"context"
	"time"
)

// runLock is the PostgreSQL advisory lock of the cutoff run: every app
// server schedules the run, and the one that holds the lock does it.
const runLock = 0x77686f6c_696e76 // "whol" "inv"

// Schedule runs the cutoff every interval until ctx ends.
func (s *Service) Schedule(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		s.RunOnce(ctx)
	}
}

// RunOnce runs the cutoff when no other server is running it, and logs
// what it issued. It reports whether it ran. (Runs at the same moment
// would be safe too; the lock saves the work.)
func (s *Service) RunOnce(ctx context.Context) (numbers []string, ran bool, err error) {
	conn, err := s.DB.Conn(ctx)
	if err != nil {
		return nil, false, err
	}
	defer conn.Close()
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock(?)", runLock).Scan(&ran); err != nil || !ran {
		return nil, false, err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(?)", runLock)
	numbers, err = s.Run(ctx, nil, 0)
	switch {
	case err != nil:
		s.log().Error("invoicing: the cutoff run failed", "err", err, "issued", len(numbers))
	case len(numbers) > 0:
		s.log().Info("invoicing: the cutoff run issued invoices", "count", len(numbers), "first", numbers[0], "last", numbers[len(numbers)-1])
	}
	return numbers, true, err
}
