package calendar_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"wholesale/internal/calendar"
	"wholesale/internal/clock"
	"wholesale/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// d is a calendar day.
func d(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }

// ams is an instant given as Amsterdam wall-clock time.
func ams(y int, m time.Month, day, h, min int) time.Time {
	return time.Date(y, m, day, h, min, 0, 0, clock.Amsterdam)
}

func show(t time.Time) string { return t.Format("Mon 2 Jan 2006") }

// The holidays of the Algemene termijnenwet, three years in full: no Good
// Friday, King's Day on Saturday 26 April 2025 (the 27th was a Sunday),
// Liberation Day every year, not only in lustrum years.
func TestHolidays(t *testing.T) {
	want := map[int][]string{
		2025: {"Wed 1 Jan 2025 Nieuwjaarsdag", "Mon 21 Apr 2025 Tweede Paasdag", "Sat 26 Apr 2025 Koningsdag", "Mon 5 May 2025 Bevrijdingsdag",
			"Thu 29 May 2025 Hemelvaartsdag", "Mon 9 Jun 2025 Tweede Pinksterdag", "Thu 25 Dec 2025 Eerste Kerstdag", "Fri 26 Dec 2025 Tweede Kerstdag"},
		2026: {"Thu 1 Jan 2026 Nieuwjaarsdag", "Mon 6 Apr 2026 Tweede Paasdag", "Mon 27 Apr 2026 Koningsdag", "Tue 5 May 2026 Bevrijdingsdag",
			"Thu 14 May 2026 Hemelvaartsdag", "Mon 25 May 2026 Tweede Pinksterdag", "Fri 25 Dec 2026 Eerste Kerstdag", "Sat 26 Dec 2026 Tweede Kerstdag"},
		2027: {"Fri 1 Jan 2027 Nieuwjaarsdag", "Mon 29 Mar 2027 Tweede Paasdag", "Tue 27 Apr 2027 Koningsdag", "Wed 5 May 2027 Bevrijdingsdag",
			"Thu 6 May 2027 Hemelvaartsdag", "Mon 17 May 2027 Tweede Pinksterdag", "Sat 25 Dec 2027 Eerste Kerstdag", "Sun 26 Dec 2027 Tweede Kerstdag"},
	}
	for year, days := range want {
		var got []string
		for _, h := range calendar.Holidays(year) {
			got = append(got, show(h.Day)+" "+h.Name)
		}
		if strings.Join(got, "\n") != strings.Join(days, "\n") {
			t.Errorf("holidays of %d:\n%s\nwant:\n%s", year, strings.Join(got, "\n"), strings.Join(days, "\n"))
		}
	}
	c := calendar.New(17*60, nil)
	for _, day := range []time.Time{d(2025, 4, 18), d(2026, 4, 3), d(2027, 3, 26)} { // Good Friday
		if c.IsHoliday(day) || !c.IsWorkingDay(day) || !c.IsBusinessDay(day) {
			t.Errorf("Good Friday %s: holiday %v, working day %v", show(day), c.IsHoliday(day), c.IsWorkingDay(day))
		}
	}
	if c.IsHoliday(d(2025, 4, 27)) {
		t.Error("Sunday 27 April 2025 counts as King's Day; it was on the 26th")
	}
}

// christmasClosed is the company closed between Christmas and New Year 2026.
func christmasClosed() *calendar.Calendar {
	closing := map[time.Time]string{}
	for day := 28; day <= 31; day++ {
		closing[d(2026, 12, day)] = "Between Christmas and New Year"
	}
	return calendar.New(17*60, closing)
}

func TestBusinessDayOfAShipment(t *testing.T) {
	c := christmasClosed()
	for _, tc := range []struct {
		name    string
		shipped time.Time
		want    time.Time
	}{
		{"Friday 16:59 before Easter Monday", ams(2026, 4, 3, 16, 59), d(2026, 4, 3)},
		{"Friday 17:00 sharp before Easter Monday", ams(2026, 4, 3, 17, 0), d(2026, 4, 7)},
		{"Friday 17:30 before Easter Monday", ams(2026, 4, 3, 17, 30), d(2026, 4, 7)},
		{"Easter Monday", ams(2026, 4, 6, 10, 0), d(2026, 4, 7)},
		{"Friday 17:30 before King's Day 2026", ams(2026, 4, 24, 17, 30), d(2026, 4, 28)},
		{"Friday 17:30 before King's Day 2025 (a Saturday)", ams(2025, 4, 25, 17, 30), d(2025, 4, 28)},
		{"Monday evening before Liberation Day 2026", ams(2026, 5, 4, 18, 0), d(2026, 5, 6)},
		{"Liberation Day 2026", ams(2026, 5, 5, 9, 0), d(2026, 5, 6)},
		{"Saturday", ams(2026, 11, 28, 10, 0), d(2026, 11, 30)},
		{"Sunday night", ams(2026, 11, 29, 23, 59), d(2026, 11, 30)},
		{"past midnight in Amsterdam, not yet in UTC", time.Date(2026, 11, 23, 23, 30, 0, 0, time.UTC), d(2026, 11, 24)},
		{"Thursday before Christmas, after the cutoff, closed till New Year", ams(2026, 12, 24, 17, 30), d(2027, 1, 4)},
		{"on a closing day", ams(2026, 12, 29, 9, 0), d(2027, 1, 4)},
		{"Friday before summer time, 16:59", ams(2026, 3, 27, 16, 59), d(2026, 3, 27)},
		{"Friday before winter time, 17:30 in summer time", time.Date(2026, 10, 23, 15, 30, 0, 0, time.UTC), d(2026, 10, 26)},
		{"Monday after winter time, 16:30 in winter time (15:30 UTC)", time.Date(2026, 10, 26, 15, 30, 0, 0, time.UTC), d(2026, 10, 26)},
		{"Monday after summer time, 17:30 in summer time (15:30 UTC)", time.Date(2026, 3, 30, 15, 30, 0, 0, time.UTC), d(2026, 3, 31)},
	} {
		if got := c.BusinessDay(tc.shipped); !got.Equal(tc.want) {
			t.Errorf("%s (%s): business day %s, want %s", tc.name, tc.shipped.In(clock.Amsterdam).Format("Mon 2 Jan 15:04 MST"), show(got), show(tc.want))
		}
	}
}

// The cutoff is 17:00 in Amsterdam on every day, in summer and winter time
// alike, also on the Sundays the clocks change.
func TestCutoffInstant(t *testing.T) {
	c := calendar.New(17*60, nil)
	for day, want := range map[time.Time]string{
		d(2026, 3, 27):  "2026-03-27T16:00:00Z", // Friday, winter time
		d(2026, 3, 29):  "2026-03-29T15:00:00Z", // Sunday, summer time from 02:00
		d(2026, 3, 30):  "2026-03-30T15:00:00Z",
		d(2026, 10, 23): "2026-10-23T15:00:00Z",
		d(2026, 10, 25): "2026-10-25T16:00:00Z", // Sunday, winter time from 03:00
		d(2026, 10, 26): "2026-10-26T16:00:00Z",
	} {
		if got := c.Cutoff(day).Format(time.RFC3339); got != want {
			t.Errorf("cutoff of %s: %s, want %s", show(day), got, want)
		}
	}
	early := calendar.New(9*60+30, nil)
	if got := early.Cutoff(d(2026, 10, 26)).Format(time.RFC3339); got != "2026-10-26T08:30:00Z" {
		t.Errorf("cutoff 09:30 on 26 Oct 2026: %s", got)
	}
	if got := early.BusinessDay(ams(2026, 10, 26, 9, 45)); !got.Equal(d(2026, 10, 27)) {
		t.Errorf("shipped 09:45 with a 09:30 cutoff: %s", show(got))
	}
}

// Closing days have no cutoff, but a customer's deadline that ends on one
// stays there: the law counts only weekends and public holidays.
func TestDeadlines(t *testing.T) {
	c := christmasClosed()
	for _, tc := range []struct {
		name string
		got  time.Time
		want time.Time
	}{
		{"deadline on a closing day", c.Deadline(d(2026, 12, 29)), d(2026, 12, 29)},
		{"deadline on Christmas", c.Deadline(d(2026, 12, 25)), d(2026, 12, 28)},
		{"deadline on King's Day 2025 (Saturday)", c.Deadline(d(2025, 4, 26)), d(2025, 4, 28)},
		{"deadline on Liberation Day 2026", c.Deadline(d(2026, 5, 5)), d(2026, 5, 6)},
		{"deadline on Good Friday", c.Deadline(d(2026, 4, 3)), d(2026, 4, 3)},
		{"45 days after 13 Nov 2026: a closing day", c.DeadlineAfter(d(2026, 11, 13), 45), d(2026, 12, 28)},
		{"45 days after 10 Nov 2026: Christmas", c.DeadlineAfter(d(2026, 11, 10), 45), d(2026, 12, 28)},
		{"45 days after 20 Feb 2026: Easter Monday", c.DeadlineAfter(d(2026, 2, 20), 45), d(2026, 4, 7)},
		{"3 working days from Thursday before Easter", c.AddWorkingDays(d(2026, 4, 2), 3), d(2026, 4, 8)},
		{"3 working days from Friday before King's Day", c.AddWorkingDays(d(2026, 4, 24), 3), d(2026, 4, 30)},
		{"3 working days from Christmas Eve, closing days count", c.AddWorkingDays(d(2026, 12, 24), 3), d(2026, 12, 30)},
		{"1 working day back from the Tuesday after Easter", c.AddWorkingDays(d(2026, 4, 7), -1), d(2026, 4, 3)},
		{"0 working days from a Saturday", c.AddWorkingDays(d(2026, 11, 28), 0), d(2026, 11, 30)},
		{"next business day after Good Friday", c.NextBusinessDay(d(2026, 4, 3)), d(2026, 4, 7)},
		{"next business day after a Monday", c.NextBusinessDay(d(2026, 11, 23)), d(2026, 11, 24)},
		{"business day on or after a closing day", c.OnOrAfterBusinessDay(d(2026, 12, 28)), d(2027, 1, 4)},
		{"business day on or after a business day", c.OnOrAfterBusinessDay(d(2026, 12, 24)), d(2026, 12, 24)},
	} {
		if !tc.got.Equal(tc.want) {
			t.Errorf("%s: %s, want %s", tc.name, show(tc.got), show(tc.want))
		}
	}
	if !c.IsWorkingDay(d(2026, 12, 29)) || c.IsBusinessDay(d(2026, 12, 29)) {
		t.Error("29 Dec 2026, a closing day, should be a working day without a cutoff")
	}
	if r, ok := c.ClosingReason(time.Date(2026, 12, 29, 15, 0, 0, 0, time.UTC)); !ok || r != "Between Christmas and New Year" {
		t.Errorf("closing reason %q %v", r, ok)
	}
}

func TestLoadReadsTheSettings(t *testing.T) {
	db := pgtest.New(t)
	ctx := context.Background()
	var admin int64
	if err := db.NewRaw("INSERT INTO users (email, name, role, password_hash, created_at, updated_at) VALUES ('a@x.test', 'A', 'admin', 'x', now(), now()) RETURNING id").Scan(ctx, &admin); err != nil {
		t.Fatal(err)
	}
	c, err := calendar.Load(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.BusinessDay(ams(2026, 12, 29, 16, 0)); !got.Equal(d(2026, 12, 29)) || c.CutoffMinutes() != 17*60 {
		t.Fatalf("new installation: %s, cutoff %d", show(got), c.CutoffMinutes())
	}
	for _, q := range []string{
		"UPDATE settings SET cutoff_minutes = 930",
		fmt.Sprintf("INSERT INTO closing_days (day, reason, created_by, created_at) VALUES ('2026-12-29', 'Inventory', %d, now())", admin),
	} {
		if _, err := db.NewRaw(q).Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if c, err = calendar.Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	if got := c.BusinessDay(ams(2026, 12, 28, 15, 45)); !got.Equal(d(2026, 12, 30)) {
		t.Errorf("15:45 on 28 Dec with a 15:30 cutoff and 29 Dec closed: %s", show(got))
	}
	if r, ok := c.ClosingReason(d(2026, 12, 29)); !ok || r != "Inventory" {
		t.Errorf("closing day read back: %q %v", r, ok)
	}
}
