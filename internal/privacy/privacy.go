// Package privacy holds a person's rights over their data (docs/PRIVACY.md):
// the export of everything held about them, their erasure on request while
// the books stay intact, and the daily retention job that deletes what is
// kept no longer than needed.
package privacy

import (
	"fmt"
	"log/slog"

	"github.com/uptrace/bun"

	"wholesale/internal/clock"
	"wholesale/internal/i18n"
)

// Service runs the privacy use cases.
type Service struct {
	DB    *bun.DB
	Clock clock.Clock
	Log   *slog.Logger
	// Periods are the retention periods of the daily job; zero fields
	// take DefaultPeriods.
	Periods Periods
}

func (s *Service) log() *slog.Logger {
	if s.Log == nil {
		return slog.Default()
	}
	return s.Log
}

// ErasedLabel is what an erased user is called everywhere their name
// was: "erased user #12".
func ErasedLabel(userID int64) string { return fmt.Sprintf("erased user #%d", userID) }

// ErasedEmail is the address an erased user's row keeps: unique, and
// never deliverable (.invalid, RFC 2606).
func ErasedEmail(userID int64) string { return fmt.Sprintf("erased-%d@erased.invalid", userID) }

// Request statuses.
const (
	StatusRequested = "requested"
	StatusConfirmed = "confirmed"
)

// StatusLabel names a request status for people.
func StatusLabel(s string) i18n.Message {
	switch s {
	case StatusRequested:
		return i18n.M("awaiting confirmation")
	case StatusConfirmed:
		return i18n.M("erased")
	}
	return i18n.Raw(s)
}
