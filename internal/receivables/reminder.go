package receivables

import (
	"strings"
	"time"

	"wholesale/internal/i18n"
)

// ReminderLevel is the payment reminder an unpaid invoice due on due has
// earned on day today, with the reminders going out first days and
// second days after the due date: 2 from due + second on, 1 from due +
// first on, else 0. An invoice that reaches level 2 before its first
// reminder went out (the job did not run) gets the second only.
func ReminderLevel(due, today time.Time, first, second int) int {
	switch days := DaysPastDue(due, today); {
	case days >= second:
		return 2
	case days >= first:
		return 1
	}
	return 0
}

// ReminderMail is what a payment reminder says: the invoice, its due
// date, what is open of it, and where and how to pay.
type ReminderMail struct {
	Level       int
	Number      string
	IssueDate   time.Time
	DueDate     time.Time
	OpenCents   int64
	TotalCents  int64
	ContactName string
	// IBAN and Seller are ours (settings); Reference is the payment
	// reference of the invoice (its number).
	IBAN, BIC, Seller, Reference string
	// PortalURL is the customer's account statement in the portal ("" leaves it out).
	PortalURL string
}

// Text is the subject and the body of the reminder in l's language.
func (m ReminderMail) Text(l *i18n.Localizer) (subject, body string) {
	var b strings.Builder
	line := func(msg i18n.Message) { b.WriteString(strings.ReplaceAll(l.Text(msg), "€ ", "€\u00a0") + "\n") }
	if m.ContactName == "" {
		line(i18n.M("Dear customer,"))
	} else {
		line(i18n.M("Dear %s,", m.ContactName))
	}
	b.WriteString("\n")
	if m.Level == 2 {
		line(i18n.M("This is our second reminder: we have still not received full payment of invoice %s of %s, due on %s.",
			m.Number, i18n.LongDate{T: m.IssueDate}, i18n.LongDate{T: m.DueDate}))
	} else {
		line(i18n.M("According to our records, invoice %s of %s, due on %s, has not been paid in full.",
			m.Number, i18n.LongDate{T: m.IssueDate}, i18n.LongDate{T: m.DueDate}))
	}
	if m.OpenCents != m.TotalCents {
		line(i18n.M("Of its total of %s, %s is still open.", i18n.Amount(m.TotalCents), i18n.Amount(m.OpenCents)))
	} else {
		line(i18n.M("The open amount is %s.", i18n.Amount(m.OpenCents)))
	}
	b.WriteString("\n")
	line(i18n.M("Please transfer %s to our account %s, stating the payment reference %s.", i18n.Amount(m.OpenCents), m.IBAN, m.Reference))
	if m.BIC != "" {
		line(i18n.M("BIC: %s", m.BIC))
	}
	if m.Level == 2 {
		line(i18n.M("Please pay without delay: new orders are held for as long as an invoice is overdue."))
	}
	line(i18n.M("If you have paid in the meantime, please disregard this reminder."))
	if m.PortalURL != "" {
		b.WriteString("\n")
		line(i18n.M("Your open invoices and payments in the customer portal: %s", m.PortalURL))
	}
	b.WriteString("\n")
	line(i18n.M("Kind regards,"))
	b.WriteString(m.Seller + "\n")
	subject = l.Text(i18n.M("Payment reminder: invoice %s", m.Number))
	if m.Level == 2 {
		subject = l.Text(i18n.M("Second reminder: invoice %s", m.Number))
	}
	return subject, b.String()
}
