package receivables_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"wholesale/internal/receivables"
)

type reminderRow struct {
	Number   string `bun:"number"`
	Level    int    `bun:"level"`
	DueCents int64  `bun:"due_cents"`
	To       string `bun:"to_address"`
	Subject  string `bun:"subject"`
	Body     string `bun:"body"`
	Audited  int    `bun:"audited"`
}

// reminders are the reminders recorded, with their mail and audit entries.
func (e *env) reminders() []reminderRow {
	e.t.Helper()
	var out []reminderRow
	err := e.db.NewRaw(`SELECT i.number, r.level, r.due_cents, o.to_address, o.subject, o.body,
			(SELECT count(*) FROM audit_log a WHERE a.entity = 'invoice' AND a.entity_id = i.number AND a.action = 'reminder'
				AND (a.after->>'level')::int = r.level) AS audited
		FROM invoice_reminders r JOIN invoices i ON i.id = r.invoice_id LEFT JOIN outbox o ON o.id = r.outbox_id
		ORDER BY i.number, r.level`).Scan(context.Background(), &out)
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

func (e *env) run() []receivables.Sent {
	e.t.Helper()
	sent, err := e.svc.Run(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return sent
}

// TestRemindersWithTheClockMoved walks an unpaid invoice from its due
// date past both reminder days, and a paid one beside it.
func TestRemindersWithTheClockMoved(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	due := date(2026, 11, 2)
	_, unpaid := e.issue(e.nl, "invoice", 121_000, due)
	paidID, _ := e.issue(e.nl, "invoice", 50_000, due)
	e.exec(`UPDATE invoices SET paid_cents = total_incl_cents WHERE id = ?`, paidID)
	partID, part := e.issue(e.de, "invoice", 80_000, due)
	e.exec(`UPDATE invoices SET paid_cents = 30000 WHERE id = ?`, partID)

	for _, step := range []struct {
		day   int // days after the due date
		sends []string
	}{
		{0, nil},
		{6, nil},
		{7, []string{unpaid + " 1", part + " 1"}},
		{7, nil}, // a second run the same day
		{20, nil},
		{21, []string{unpaid + " 2", part + " 2"}},
		{22, nil},
		{60, nil},
	} {
		e.at(due.AddDate(0, 0, step.day))
		var got []string
		for _, s := range e.run() {
			got = append(got, s.Number+" "+string(rune('0'+s.Level)))
		}
		if strings.Join(got, ",") != strings.Join(step.sends, ",") {
			t.Errorf("day %d: sent %v, want %v", step.day, got, step.sends)
		}
	}
	rows := e.reminders()
	if len(rows) != 4 {
		t.Fatalf("reminders recorded: %+v", rows)
	}
	for _, r := range rows {
		if r.Audited != 1 || r.To == "" {
			t.Errorf("reminder %s level %d: audited %d, mailed to %q", r.Number, r.Level, r.Audited, r.To)
		}
	}
	if rows[2].Number != part || rows[2].DueCents != 50_000 {
		t.Errorf("the part-paid invoice's reminder: %+v, want 500,00 due", rows[2])
	}
}

// TestReminderMail checks who gets the mail, in which language, and what
// it says: the number, the due date, the open amount, our IBAN and the
// payment reference; the second says it is the second.
func TestReminderMail(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	due := date(2026, 10, 1)
	nlID, nl := e.issue(e.nl, "invoice", 125_050, due)
	e.exec(`UPDATE invoices SET paid_cents = 25000 WHERE id = ?`, nlID)
	_, de := e.issue(e.de, "invoice", 200_000, due.AddDate(0, 0, 14))

	e.at(due.AddDate(0, 0, 21)) // NL: second reminder due at once; DE: 7 days, the first
	e.run()
	rows := e.reminders()
	if len(rows) != 2 {
		t.Fatalf("reminders: %+v", rows)
	}
	nlMail, deMail := rows[0], rows[1]
	if nlMail.Number != nl || nlMail.Level != 2 {
		t.Fatalf("the Dutch customer's reminder: %+v (level 2 only: the first was never sent and is no longer due)", nlMail)
	}
	if nlMail.To != "invoices@jansen.test" {
		t.Errorf("Dutch reminder to %q, want the invoice address", nlMail.To)
	}
	for _, want := range []string{"Tweede betalingsherinnering: factuur " + nl} {
		if nlMail.Subject != want {
			t.Errorf("Dutch subject %q, want %q", nlMail.Subject, want)
		}
	}
	for _, want := range []string{"Beste Joris Jansen,", "Dit is onze tweede herinnering", "factuur " + nl, "1 oktober 2026",
		"Van het totaal van €\u00a01.250,50 staat nog €\u00a01.000,50 open.", "NL91 ABNA 0417 1643 00", "betalingskenmerk " + nl,
		"Met vriendelijke groet,", "Groothandel BV", "https://wholesale.test/portal/account-statement"} {
		if !strings.Contains(nlMail.Body, want) {
			t.Errorf("Dutch reminder lacks %q:\n%s", want, nlMail.Body)
		}
	}
	if deMail.Number != de || deMail.Level != 1 || deMail.To != "contact@DE.test" {
		t.Errorf("German reminder: %+v, want level 1 to the contact (no invoice address)", deMail)
	}
	if deMail.Subject != "Payment reminder: invoice "+de {
		t.Errorf("English subject %q", deMail.Subject)
	}
	for _, want := range []string{"Dear Joris Jansen,", "invoice " + de, "due on 15 October 2026", "The open amount is €2,000.00.",
		"Please transfer €2,000.00 to our account NL91 ABNA 0417 1643 00, stating the payment reference " + de, "We never ask for your password"} {
		if !strings.Contains(deMail.Body, want) {
			t.Errorf("English reminder lacks %q:\n%s", want, deMail.Body)
		}
	}
	if strings.Contains(deMail.Body, "second") {
		t.Errorf("a first reminder says second:\n%s", deMail.Body)
	}
}

// TestPaidStopsReminders: an invoice paid (by a payment or a credit note
// set off) after its first reminder gets no second.
func TestPaidStopsReminders(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	due := date(2026, 10, 1)
	id, _ := e.issue(e.nl, "invoice", 10_000, due)
	e.at(due.AddDate(0, 0, 7))
	if len(e.run()) != 1 {
		t.Fatal("no first reminder")
	}
	e.exec(`UPDATE invoices SET paid_cents = total_incl_cents WHERE id = ?`, id)
	e.at(due.AddDate(0, 0, 21))
	if sent := e.run(); len(sent) != 0 {
		t.Errorf("a paid invoice reminded: %+v", sent)
	}
	// A credit note is never reminded.
	e.issue(e.nl, "credit_note", -5_000, due)
	if sent := e.run(); len(sent) != 0 {
		t.Errorf("a credit note reminded: %+v", sent)
	}
}

// TestReminderDaysFromTheSettings: the days are the admin's.
func TestReminderDaysFromTheSettings(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.exec(`UPDATE settings SET reminder_1_days = 3, reminder_2_days = 10`)
	due := date(2026, 10, 1)
	e.issue(e.nl, "invoice", 10_000, due)
	e.at(due.AddDate(0, 0, 2))
	if len(e.run()) != 0 {
		t.Error("reminded on day 2")
	}
	e.at(due.AddDate(0, 0, 3))
	if sent := e.run(); len(sent) != 1 || sent[0].Level != 1 {
		t.Errorf("day 3: %+v", sent)
	}
	e.at(due.AddDate(0, 0, 10))
	if sent := e.run(); len(sent) != 1 || sent[0].Level != 2 {
		t.Errorf("day 10: %+v", sent)
	}
}

// TestRemindersRunAtOnce: runs at the same moment (several servers, the
// command line) send each reminder once.
func TestRemindersRunAtOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	due := date(2026, 10, 1)
	for i := 0; i < 10; i++ {
		e.issue(e.nl, "invoice", int64(1000+i), due)
	}
	e.at(due.AddDate(0, 0, 7))
	const runs = 4
	var wg sync.WaitGroup
	counts := make([]int, runs)
	errs := make([]error, runs)
	for i := 0; i < runs; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			svc := &receivables.Service{DB: e.db, Clock: e.clk}
			sent, err := svc.Run(context.Background())
			counts[i], errs[i] = len(sent), err
		}(i)
	}
	wg.Wait()
	total := 0
	for i := range counts {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		total += counts[i]
	}
	var mails int
	e.db.NewRaw(`SELECT count(*) FROM outbox WHERE subject LIKE 'Betalingsherinnering%'`).Scan(context.Background(), &mails)
	if total != 10 || len(e.reminders()) != 10 || mails != 10 {
		t.Errorf("runs at once sent %d (per run %v), recorded %d, mailed %d; want 10 each", total, counts, len(e.reminders()), mails)
	}
	// And the scheduled run under the advisory lock.
	e.at(due.AddDate(0, 0, 21))
	sent, ran, err := e.svc.RunOnce(context.Background())
	if err != nil || !ran || len(sent) != 10 {
		t.Errorf("RunOnce: ran %v, sent %d, %v", ran, len(sent), err)
	}
}

func TestReminderLevel(t *testing.T) {
	due := date(2026, 1, 31)
	for days, want := range map[int]int{-1: 0, 0: 0, 6: 0, 7: 1, 20: 1, 21: 2, 400: 2} {
		if got := receivables.ReminderLevel(due, due.AddDate(0, 0, days), 7, 21); got != want {
			t.Errorf("day %d: level %d, want %d", days, got, want)
		}
	}
	// Across the change to summer time the days are calendar days.
	if got := receivables.DaysPastDue(date(2026, 3, 28), receivables.Today(time.Date(2026, 3, 29, 22, 30, 0, 0, time.UTC))); got != 2 {
		t.Errorf("28 March to 00:30 on 30 March in Amsterdam: %d days, want 2", got)
	}
}
