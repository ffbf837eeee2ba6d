// Package calendar is the one working-day calendar of the wholesaler
// (DOMAIN.md "Working days"). It answers two questions with two kinds of
// day:
//
//   - A working day is a weekday that is no public holiday (Holidays). A
//     customer's deadline that ends on another day moves to the next
//     working day: Deadline, DeadlineAfter, AddWorkingDays serve DOA
//     windows and complaint deadlines.
//   - A business day is a working day that is no closing day of the
//     company. Each has an invoicing cutoff (Cutoff); something shipped
//     goes on the invoice draft of BusinessDay(when it shipped).
//
// Closing days thus move the cutoff but never shorten or move a customer's
// deadline. Days are calendar days: a time.Time at midnight UTC standing
// for that date (Day makes one); instants are turned into the date they
// have in Amsterdam (LocalDay).
package calendar

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/clock"
	"wholesale/internal/settings"
)

// Calendar is the working-day calendar with the company's cutoff and
// closing days.
type Calendar struct {
	loc *time.Location
	// cutoff is minutes after local midnight.
	cutoff  int
	closing map[time.Time]string
}

// New returns the calendar of Amsterdam with the cutoff (minutes after
// midnight, 0 to 1439) and the company's closing days with their reasons.
func New(cutoffMinutes int, closing map[time.Time]string) *Calendar {
	c := &Calendar{loc: clock.Amsterdam, cutoff: min(max(cutoffMinutes, 0), 24*60-1), closing: make(map[time.Time]string, len(closing))}
	for d, reason := range closing {
		c.closing[Day(d)] = reason
	}
	return c
}

// Load reads the cutoff and the closing days of the settings.
func Load(ctx context.Context, db bun.IDB) (*Calendar, error) {
	s, err := settings.Get(ctx, db)
	if err != nil {
		return nil, err
	}
	days, err := settings.ClosingDays(ctx, db, time.Time{})
	if err != nil {
		return nil, err
	}
	closing := make(map[time.Time]string, len(days))
	for _, d := range days {
		closing[d.Day] = d.Reason
	}
	return New(s.CutoffMinutes, closing), nil
}

// Day is the calendar day of t: its date (in t's own location) at
// midnight UTC.
func Day(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }

// LocalDay is the date instant t has in Amsterdam, at midnight UTC.
func (c *Calendar) LocalDay(t time.Time) time.Time { return Day(t.In(c.loc)) }

// CutoffMinutes is the cutoff in minutes after midnight.
func (c *Calendar) CutoffMinutes() int { return c.cutoff }

// ClosingReason is why the company is closed on day, and whether it is.
func (c *Calendar) ClosingReason(day time.Time) (string, bool) {
	r, ok := c.closing[Day(day)]
	return r, ok
}

// IsHoliday tells whether day is a public holiday.
func (c *Calendar) IsHoliday(day time.Time) bool { return HolidayName(day) != "" }

// IsWorkingDay tells whether day is a weekday and no public holiday. The
// company's closing days are working days: they do not move deadlines.
func (c *Calendar) IsWorkingDay(day time.Time) bool {
	day = Day(day)
	w := day.Weekday()
	return w != time.Saturday && w != time.Sunday && !c.IsHoliday(day)
}

// IsBusinessDay tells whether day is a working day on which the company is
// open: the days with an invoicing cutoff.
func (c *Calendar) IsBusinessDay(day time.Time) bool {
	_, closed := c.closing[Day(day)]
	return !closed && c.IsWorkingDay(day)
}

// Cutoff is the instant (in UTC) of the cutoff on day: the cutoff's time
// of day in Amsterdam, in summer or winter time as that day has it.
func (c *Calendar) Cutoff(day time.Time) time.Time {
	day = Day(day)
	return time.Date(day.Year(), day.Month(), day.Day(), c.cutoff/60, c.cutoff%60, 0, 0, c.loc).UTC()
}

// BusinessDay is the business day whose invoice draft something shipped
// at instant t goes on: t's date in Amsterdam when that is a business day
// and t is before its cutoff, and otherwise the next business day. The
// draft is issued at Cutoff(BusinessDay(t)), the first cutoff after t.
func (c *Calendar) BusinessDay(t time.Time) time.Time {
	d := c.LocalDay(t)
	if c.IsBusinessDay(d) && t.Before(c.Cutoff(d)) {
		return d
	}
	return c.NextBusinessDay(d)
}

// NextBusinessDay is the first business day after day.
func (c *Calendar) NextBusinessDay(day time.Time) time.Time {
	return c.OnOrAfterBusinessDay(Day(day).AddDate(0, 0, 1))
}

// OnOrAfterBusinessDay is day when it is a business day, and otherwise the
// next business day.
func (c *Calendar) OnOrAfterBusinessDay(day time.Time) time.Time {
	day = Day(day)
	for !c.IsBusinessDay(day) {
		day = day.AddDate(0, 0, 1)
	}
	return day
}

// Deadline is a deadline that ends on day as the law has it: day itself
// when it is a working day, and otherwise the next working day. Closing
// days do not count.
func (c *Calendar) Deadline(day time.Time) time.Time {
	day = Day(day)
	for !c.IsWorkingDay(day) {
		day = day.AddDate(0, 0, 1)
	}
	return day
}

// DeadlineAfter is the deadline n calendar days after day ("45 days after
// receipt"), moved to the next working day when it ends on a weekend or a
// public holiday.
func (c *Calendar) DeadlineAfter(day time.Time, n int) time.Time {
	return c.Deadline(Day(day).AddDate(0, 0, n))
}

// AddWorkingDays is the n-th working day after day ("acknowledged within 3
// working days"), day itself not counted; for n < 0 the |n|-th working day
// before it, and for n = 0 Deadline(day).
func (c *Calendar) AddWorkingDays(day time.Time, n int) time.Time {
	day = Day(day)
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	if n == 0 {
		return c.Deadline(day)
	}
	for n > 0 {
		day = day.AddDate(0, 0, step)
		if c.IsWorkingDay(day) {
			n--
		}
	}
	return day
}
