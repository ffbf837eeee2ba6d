// Package receivables follows what customers owe after invoicing: the
// payment reminders of overdue invoices (a job, level 1 and 2), the
// reminder list of the account managers, the aging report and the
// customer's own account statement. It reads what invoicing and payments
// write (invoices.paid_cents, payments, allocations) and changes only
// invoice_reminders and the outbox.
package receivables

import (
	"time"

	"wholesale/internal/apperr"
	"wholesale/internal/calendar"
	"wholesale/internal/clock"
	"wholesale/internal/i18n"
	"wholesale/internal/users"
)

// Today is the calendar day (midnight UTC) of now in Amsterdam: the day
// that decides what is due and overdue.
func Today(now time.Time) time.Time { return calendar.Day(now.In(clock.Amsterdam)) }

// DaysPastDue is how many days after its due date day today is: 0 on the
// due date, negative before it. Both are calendar days (midnight UTC).
func DaysPastDue(due, today time.Time) int {
	return int(calendar.Day(today).Sub(calendar.Day(due)).Hours() / 24)
}

// Buckets of the aging report, by days past the due date on the report's
// day.
const (
	// Current is not yet due: due today or later (days past due ≤ 0).
	Current = iota
	// Days1To30 is 1 to 30 days past due.
	Days1To30
	// Days31To60 is 31 to 60 days past due.
	Days31To60
	// Days61To90 is 61 to 90 days past due.
	Days61To90
	// Over90 is 91 days past due or more.
	Over90
	// NumBuckets is the number of buckets.
	NumBuckets
)

// BucketOf is the aging bucket of an item days past its due date: day 0
// (due today) and earlier is Current; 1 and 30 are Days1To30; 31 and 60
// Days31To60; 61 and 90 Days61To90; 91 and later Over90.
func BucketOf(days int) int {
	switch {
	case days <= 0:
		return Current
	case days <= 30:
		return Days1To30
	case days <= 60:
		return Days31To60
	case days <= 90:
		return Days61To90
	}
	return Over90
}

// BucketLabels name the buckets for people, in bucket order.
var BucketLabels = [NumBuckets]i18n.Message{
	i18n.M("Current"), i18n.M("1–30 days"), i18n.M("31–60 days"), i18n.M("61–90 days"), i18n.M("Over 90 days"),
}

// scope is whose receivables by may see: every customer's (managerID 0)
// for finance and admins, an account manager's own customers'. Returns
// Forbidden for other roles.
func scope(by *users.User) (managerID int64, err error) {
	switch {
	case by == nil:
		return 0, apperr.Forbiddenf("Your role may not see the receivables.")
	case by.Is(users.RoleFinance, users.RoleAdmin):
		return 0, nil
	case by.Role == users.RoleAccountManager:
		return by.ID, nil
	}
	return 0, apperr.Forbiddenf("Your role may not see the receivables.")
}
