package returns_test

import (
	"context"
	"testing"
	"time"

	"wholesale/internal/calendar"
	"wholesale/internal/returns"
)

// The DOA window ends 45 days after receipt, on the next working day when
// day 45 is a weekend day or a public holiday.
func TestWindowEnd(t *testing.T) {
	cal := calendar.New(17*60, nil)
	for _, c := range []struct {
		name          string
		received, end time.Time
	}{
		{"day 45 a Friday", day(2026, 9, 1), day(2026, 10, 16)},
		{"day 45 a Sunday", day(2026, 10, 15), day(2026, 11, 30)},
		{"day 45 Easter Monday", day(2027, 2, 12), day(2027, 3, 30)},
		{"day 45 King's Day", day(2027, 3, 13), day(2027, 4, 28)},
		{"day 45 Christmas Day on a Saturday, Boxing Day on a Sunday", day(2027, 11, 10), day(2027, 12, 27)},
	} {
		if got := returns.WindowEnd(c.received, cal); !got.Equal(c.end) {
			t.Errorf("%s: received %s, window ends %s, want %s", c.name, c.received.Format(time.DateOnly), got.Format(time.DateOnly), c.end.Format(time.DateOnly))
		}
	}
}

// Without a delivery date the goods count as received 2 working days after
// they shipped.
func TestReceiptWithoutDelivery(t *testing.T) {
	cal := calendar.New(17*60, nil)
	delivered := day(2026, 11, 30)
	for _, c := range []struct {
		name      string
		shipped   time.Time
		delivered *time.Time
		want      time.Time
		rule      string
	}{
		{"delivered", day(2026, 11, 27), &delivered, delivered, "delivered"},
		{"shipped on a Friday", day(2026, 11, 27), nil, day(2026, 12, 1), "shipped_plus_2"},
		{"shipped on Christmas Eve", day(2026, 12, 24), nil, day(2026, 12, 29), "shipped_plus_2"},
	} {
		got, rule := returns.ReceiptOf(c.shipped, c.delivered, cal)
		if !got.Equal(c.want) || rule != c.rule {
			t.Errorf("%s: received %s by %s, want %s by %s", c.name, got.Format(time.DateOnly), rule, c.want.Format(time.DateOnly), c.rule)
		}
	}
}

// A DOA reported on the window's last day gets to the account manager;
// one a day later is referred to the service centre. The window's last day
// moves past weekends and holidays.
func TestRequestOnTheWindowsLastDayAndTheDayAfter(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct {
		name          string
		received, end time.Time
	}{
		{"day 45 a Friday", day(2026, 9, 1), day(2026, 10, 16)},
		{"day 45 a Sunday", day(2026, 10, 15), day(2026, 11, 30)},
		{"day 45 Easter Monday", day(2027, 2, 12), day(2027, 3, 30)},
		{"day 45 King's Day", day(2027, 3, 13), day(2027, 4, 28)},
	} {
		t.Run(c.name, func(t *testing.T) {
			e.t = t
			e.clk.Set(at(2026, 11, 2))
			_, sh := e.shipped(e.a, "A", 2)
			e.delivered(sh, c.received)

			lines, err := e.svc.ShippedLines(context.Background(), e.buyerA, 0, sh.OrderID)
			if err != nil || len(lines) != 1 {
				t.Fatal(err, lines)
			}
			if !lines[0].ReceivedOn.Equal(c.received) || !lines[0].WindowEnds.Equal(c.end) {
				t.Fatalf("the form shows received %s, window ends %s; want %s and %s", lines[0].ReceivedOn, lines[0].WindowEnds, c.received, c.end)
			}

			e.clk.Set(time.Date(c.end.Year(), c.end.Month(), c.end.Day(), 23, 30, 0, 0, time.UTC).Add(-2 * time.Hour)) // late in the evening in Amsterdam, still the day
			last := e.request(e.buyerA, sh, 1)
			if last.State != returns.StateRequested || !last.WindowEnds.Equal(c.end) {
				t.Fatalf("on the last day: state %s, window ends %s; want requested, %s", last.State, last.WindowEnds, c.end)
			}
			e.clk.Set(at(c.end.Year(), c.end.Month(), c.end.Day()+1))
			late := e.request(e.buyerA, sh, 1)
			if late.State != returns.StateReferred || late.ClosedReason != returns.ClosedWindow {
				t.Fatalf("a day late: state %s (%s), want referred for the window", late.State, late.ClosedReason)
			}
			if late.ServiceCentre == nil || late.ServiceCentre.Name != "Acme Service Benelux" {
				t.Fatalf("a referred return shows the brand's service centre, got %+v", late.ServiceCentre)
			}
		})
	}
}
