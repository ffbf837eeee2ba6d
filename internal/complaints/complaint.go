// Package complaints holds the complaints log of seed 001: a complaint
// filed by a customer's user or recorded by its account manager, its
// acknowledgement within 3 working days, its resolution within 2 weeks (or
// a progress report by then with the date of the full answer), the flag to
// the customer service manager after a week, internal investigation notes,
// the outcome with its written explanation, and the escalation to the
// board, which answers within a week.
package complaints

import (
	"time"

	"wholesale/internal/i18n"
)

// The service levels of seed 001.
const (
	// AckWorkingDays: a complaint is acknowledged within 3 working days of receipt.
	AckWorkingDays = 3
	// ResolveDays: it is resolved within 2 weeks of receipt, or a progress
	// report goes out by then.
	ResolveDays = 14
	// FlagDays: unresolved after a week, it is flagged to the customer
	// service manager, who assigns an investigator.
	FlagDays = 7
	// BoardDays: the board answers an escalation within a week.
	BoardDays = 7
)

// Calendar is what complaints ask of the working-day calendar
// (calendar.Calendar): the one of invoicing and returns.
type Calendar interface {
	AddWorkingDays(day time.Time, n int) time.Time
	DeadlineAfter(day time.Time, n int) time.Time
}

// Deadlines are a complaint's dates, from the day it was received.
type Deadlines struct {
	// Acknowledge is the last day of the acknowledgement: the 3rd working
	// day after receipt.
	Acknowledge time.Time
	// Flag is the day an unresolved complaint goes to the customer service
	// manager: a week after receipt (a moment, not a deadline of the
	// customer's, so it does not move past weekends).
	Flag time.Time
	// Resolve is the last day of the resolution or the progress report: 2
	// weeks after receipt, on the next working day when that is a weekend
	// day or a holiday.
	Resolve time.Time
}

// DeadlinesOf are the deadlines of a complaint received on day received.
func DeadlinesOf(received time.Time, cal Calendar) Deadlines {
	return Deadlines{
		Acknowledge: cal.AddWorkingDays(received, AckWorkingDays),
		Flag:        received.AddDate(0, 0, FlagDays),
		Resolve:     cal.DeadlineAfter(received, ResolveDays),
	}
}

// BoardDeadline is the last day of the board's answer to an escalation
// received on day escalated.
func BoardDeadline(escalated time.Time, cal Calendar) time.Time {
	return cal.DeadlineAfter(escalated, BoardDays)
}

// State is where a complaint stands.
type State string

// The states of a complaint.
const (
	// Received: filed, not yet acknowledged.
	StateReceived State = "received"
	// Acknowledged: the customer knows who handles it and when to expect an answer.
	StateAcknowledged State = "acknowledged"
	// Resolved: the outcome and its explanation went to the customer.
	StateResolved State = "resolved"
	// Escalated: the customer asked the board to review the outcome.
	StateEscalated State = "escalated"
	// Closed: the board answered; the final letter names the external body.
	StateClosed State = "closed"
)

// Label names a state for people.
func (s State) Label() i18n.Message {
	switch s {
	case StateReceived:
		return i18n.M("received, to acknowledge")
	case StateAcknowledged:
		return i18n.M("acknowledged, being handled")
	case StateResolved:
		return i18n.M("resolved")
	case StateEscalated:
		return i18n.M("escalated to the board")
	case StateClosed:
		return i18n.M("closed by the board")
	}
	return i18n.Raw(string(s))
}

// Actions on a complaint, as the audit trail names them.
const (
	ActAcknowledge = "acknowledge"
	ActProgress    = "progress"
	ActAssign      = "assign"
	ActNote        = "note"
	ActResolve     = "resolve"
	ActEscalate    = "escalate"
	ActBoardAnswer = "board_answer"
	// ActDocument attaches documents to a complaint.
	ActDocument = "document_added"
)

// Allowed tells whether action may be taken in state s: a transition of
// the complaint's life, or (note, assign, progress, documents) a step
// within it. Documents are added while the complaint is open: waiting for
// an answer of ours.
func (s State) Allowed(action string) bool {
	switch action {
	case ActAcknowledge:
		return s == StateReceived
	case ActProgress:
		return s == StateAcknowledged
	case ActAssign:
		// A complaint still unacknowledged after its week is flagged too.
		return s == StateReceived || s == StateAcknowledged
	case ActNote:
		return s != StateClosed
	case ActDocument:
		return s == StateReceived || s == StateAcknowledged || s == StateEscalated
	case ActResolve:
		return s == StateAcknowledged
	case ActEscalate:
		return s == StateResolved
	case ActBoardAnswer:
		return s == StateEscalated
	}
	return false
}

// Next is the state action leads to from s ("" when it stays).
func (s State) Next(action string) State {
	switch action {
	case ActAcknowledge:
		return StateAcknowledged
	case ActResolve:
		return StateResolved
	case ActEscalate:
		return StateEscalated
	case ActBoardAnswer:
		return StateClosed
	}
	return s
}

// Outcomes of a complaint.
const (
	OutcomeRefund   = "refund"
	OutcomeExchange = "exchange"
	OutcomeRepair   = "repair"
	OutcomeApology  = "apology"
	OutcomeNone     = "none"
)

// Outcomes lists the outcomes.
var Outcomes = []string{OutcomeRefund, OutcomeExchange, OutcomeRepair, OutcomeApology, OutcomeNone}

// OutcomeLabel names an outcome for people.
func OutcomeLabel(o string) i18n.Message {
	switch o {
	case OutcomeRefund:
		return i18n.M("refund (credit note)")
	case OutcomeExchange:
		return i18n.M("exchange (replacement order)")
	case OutcomeRepair:
		return i18n.M("repair")
	case OutcomeApology:
		return i18n.M("apology")
	case OutcomeNone:
		return i18n.M("no action")
	}
	return i18n.Raw(o)
}

// Due is what a complaint waits for now and by when: the acknowledgement,
// the resolution (or progress report, or the full answer it promised),
// the board's answer; zero when it waits for nothing of ours.
type Due struct {
	What i18n.Message
	By   time.Time
}

// Facts are what DueOf reads of a complaint.
type Facts struct {
	State     State
	Deadlines Deadlines
	// AnswerBy is the date of the full answer a progress report promised.
	AnswerBy *time.Time
	// BoardBy is the board's deadline of an escalated complaint.
	BoardBy *time.Time
}

// DueOf is what the complaint waits for and by when.
func DueOf(f Facts) Due {
	switch f.State {
	case StateReceived:
		return Due{What: i18n.M("acknowledgement"), By: f.Deadlines.Acknowledge}
	case StateAcknowledged:
		if f.AnswerBy != nil {
			return Due{What: i18n.M("the full answer promised"), By: *f.AnswerBy}
		}
		return Due{What: i18n.M("resolution or progress report"), By: f.Deadlines.Resolve}
	case StateEscalated:
		if f.BoardBy != nil {
			return Due{What: i18n.M("the board's answer"), By: *f.BoardBy}
		}
	}
	return Due{}
}

// Overdue tells whether the due date passed on day (Amsterdam's date).
func (d Due) Overdue(day time.Time) bool { return !d.By.IsZero() && day.After(d.By) }

// DaysLeft is how many calendar days are left until the due date on day;
// negative when it passed.
func (d Due) DaysLeft(day time.Time) int {
	return int(d.By.Sub(day).Hours() / 24)
}

// Flagged tells whether an unresolved complaint is past its week on day,
// and so the customer service manager's to assign an investigator.
func Flagged(f Facts, day time.Time) bool {
	return (f.State == StateReceived || f.State == StateAcknowledged) && !day.Before(f.Deadlines.Flag)
}
