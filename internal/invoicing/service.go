package invoicing

import (
	"context"
	"io"
	"log/slog"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/calendar"
	"wholesale/internal/clock"
)

// Calendar is what invoicing asks of the working-day calendar.
type Calendar interface {
	// Cutoff is the instant of day's invoicing cutoff.
	Cutoff(day time.Time) time.Time
	// OnOrAfterBusinessDay is day when it has a cutoff, else the next day that has.
	OnOrAfterBusinessDay(day time.Time) time.Time
}

// Writers render a Document as PDF, as Excel and as UBL with its PDF
// inside (internal/pdf, internal/xlsx, internal/ubl).
type Writers struct {
	PDF  func(w io.Writer, d *Document) error
	XLSX func(w io.Writer, d *Document) error
	UBL  func(w io.Writer, d *Document, pdf []byte) error
}

// Service holds the use cases of invoicing.
type Service struct {
	DB    *bun.DB
	Clock clock.Clock
	// Calendar loads the calendar as admins last set it (cutoff, closing days).
	Calendar func(ctx context.Context, db bun.IDB) (Calendar, error)
	Writers  Writers
	Log      *slog.Logger
	// Batch is how many drafts one transaction of the run issues (default 50).
	Batch int
	// Workers render documents in parallel (default: GOMAXPROCS).
	Workers int
}

func (s *Service) now() time.Time { return s.Clock.Now().Truncate(time.Microsecond) }

// today is now's date in Amsterdam, as a calendar day (midnight UTC).
func today(now time.Time) time.Time { return calendar.Day(now.In(clock.Amsterdam)) }

func (s *Service) log() *slog.Logger {
	if s.Log == nil {
		return slog.Default()
	}
	return s.Log
}
