package complaints_test

import (
	"testing"
	"time"

	"wholesale/internal/calendar"
	"wholesale/internal/complaints"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// Each deadline across weekends and holidays: the acknowledgement counts
// working days, the resolution and the board's answer calendar days that
// move past a weekend or holiday, the flag a plain week.
func TestDeadlines(t *testing.T) {
	cal := calendar.New(17*60, nil)
	for _, c := range []struct {
		name               string
		received           time.Time
		ack, flag, resolve time.Time
	}{
		{"a Monday", day(2026, 11, 2), day(2026, 11, 5), day(2026, 11, 9), day(2026, 11, 16)},
		{"a Friday: the weekend does not count", day(2026, 11, 27), day(2026, 12, 2), day(2026, 12, 4), day(2026, 12, 11)},
		{"a Saturday", day(2026, 11, 28), day(2026, 12, 2), day(2026, 12, 5), day(2026, 12, 14)},
		{"before Christmas: the holidays do not count", day(2026, 12, 23), day(2026, 12, 29), day(2026, 12, 30), day(2027, 1, 6)},
		{"before Easter 2027: Easter Monday does not count, Good Friday does", day(2027, 3, 25), day(2027, 3, 31), day(2027, 4, 1), day(2027, 4, 8)},
		{"two weeks end on King's Day 2027", day(2027, 4, 13), day(2027, 4, 16), day(2027, 4, 20), day(2027, 4, 28)},
		{"two weeks end on a Sunday", day(2026, 11, 15), day(2026, 11, 18), day(2026, 11, 22), day(2026, 11, 30)},
	} {
		d := complaints.DeadlinesOf(c.received, cal)
		if !d.Acknowledge.Equal(c.ack) || !d.Flag.Equal(c.flag) || !d.Resolve.Equal(c.resolve) {
			t.Errorf("%s (%s): acknowledge %s, flag %s, resolve %s; want %s, %s, %s", c.name, c.received.Format(time.DateOnly),
				d.Acknowledge.Format(time.DateOnly), d.Flag.Format(time.DateOnly), d.Resolve.Format(time.DateOnly),
				c.ack.Format(time.DateOnly), c.flag.Format(time.DateOnly), c.resolve.Format(time.DateOnly))
		}
	}
	for _, c := range []struct{ escalated, want time.Time }{
		{day(2026, 11, 2), day(2026, 11, 9)},
		{day(2026, 12, 18), day(2026, 12, 28)}, // Christmas Day is the 25th, the 26th and 27th a weekend and Boxing Day
		{day(2027, 4, 20), day(2027, 4, 28)},   // King's Day
	} {
		if got := complaints.BoardDeadline(c.escalated, cal); !got.Equal(c.want) {
			t.Errorf("escalated %s: the board answers by %s, want %s", c.escalated.Format(time.DateOnly), got.Format(time.DateOnly), c.want.Format(time.DateOnly))
		}
	}
}

// Every transition is allowed from its state only.
func TestTransitions(t *testing.T) {
	actions := []string{complaints.ActAcknowledge, complaints.ActProgress, complaints.ActAssign, complaints.ActNote,
		complaints.ActResolve, complaints.ActEscalate, complaints.ActBoardAnswer, complaints.ActDocument}
	allowed := map[complaints.State][]string{
		complaints.StateReceived:     {complaints.ActAcknowledge, complaints.ActAssign, complaints.ActNote, complaints.ActDocument},
		complaints.StateAcknowledged: {complaints.ActProgress, complaints.ActAssign, complaints.ActNote, complaints.ActResolve, complaints.ActDocument},
		complaints.StateResolved:     {complaints.ActNote, complaints.ActEscalate},
		complaints.StateEscalated:    {complaints.ActNote, complaints.ActBoardAnswer, complaints.ActDocument},
		complaints.StateClosed:       nil,
	}
	for st, want := range allowed {
		for _, a := range actions {
			in := false
			for _, w := range want {
				in = in || w == a
			}
			if st.Allowed(a) != in {
				t.Errorf("%s allows %s: %v, want %v", st, a, st.Allowed(a), in)
			}
		}
	}
	path := []struct {
		action string
		to     complaints.State
	}{{complaints.ActAcknowledge, complaints.StateAcknowledged}, {complaints.ActProgress, complaints.StateAcknowledged},
		{complaints.ActResolve, complaints.StateResolved}, {complaints.ActEscalate, complaints.StateEscalated},
		{complaints.ActBoardAnswer, complaints.StateClosed}}
	st := complaints.StateReceived
	for _, p := range path {
		if st = st.Next(p.action); st != p.to {
			t.Fatalf("after %s: %s, want %s", p.action, st, p.to)
		}
	}
}

// Unresolved after a week, a complaint is flagged; resolved ones never are.
func TestFlagAndDue(t *testing.T) {
	cal := calendar.New(17*60, nil)
	d := complaints.DeadlinesOf(day(2026, 11, 2), cal)
	f := complaints.Facts{State: complaints.StateAcknowledged, Deadlines: d}
	if complaints.Flagged(f, day(2026, 11, 8)) || !complaints.Flagged(f, day(2026, 11, 9)) {
		t.Fatal("the flag is not on day 7")
	}
	f.State = complaints.StateResolved
	if complaints.Flagged(f, day(2026, 11, 20)) {
		t.Fatal("a resolved complaint is flagged")
	}
	f.State = complaints.StateAcknowledged
	due := complaints.DueOf(f)
	if !due.By.Equal(day(2026, 11, 16)) || due.Overdue(day(2026, 11, 16)) || !due.Overdue(day(2026, 11, 17)) || due.DaysLeft(day(2026, 11, 14)) != 2 {
		t.Fatalf("due %v", due)
	}
	promised := day(2026, 11, 25)
	f.AnswerBy = &promised
	if due := complaints.DueOf(f); !due.By.Equal(promised) {
		t.Fatalf("after a progress report the full answer is due %s", due.By)
	}
}
