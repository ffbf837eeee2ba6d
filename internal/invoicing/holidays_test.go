package invoicing_test

import (
	"context"
	"testing"
	"time"

	"wholesale/internal/calendar"
	"wholesale/internal/clock"
	"wholesale/internal/invoicing"
)

func TestAFridayEveningCutoffBeforeAMondayHoliday(t *testing.T) {
	at := func(m time.Month, d, h, min int) time.Time {
		return time.Date(2026, m, d, h, min, 0, 0, clock.Amsterdam)
	}
	for _, c := range []struct {
		name              string
		shipped           time.Time
		holiday, issuedOn time.Time
	}{
		{"Easter Monday", at(time.April, 3, 17, 30), at(time.April, 6, 18, 0), at(time.April, 7, 17, 0)},
		{"King's Day", at(time.April, 24, 17, 15), at(time.April, 27, 18, 0), at(time.April, 28, 17, 0)},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			ctx := context.Background()
			e.svc.Calendar = invoicing.LoadCalendar
			e.clk.Set(c.shipped)
			cal, err := calendar.Load(ctx, e.db)
			if err != nil {
				t.Fatal(err)
			}
			o := e.order(e.customer, "PO-"+c.name, line("A", 1))
			e.shipOn(o, cal.BusinessDay(e.clk.Now()))
			e.clk.Set(c.holiday)
			if got, err := e.svc.Run(ctx, nil, 0); err != nil || len(got) != 0 {
				t.Fatalf("on %s the run issued %v (%v)", c.name, got, err)
			}
			e.clk.Set(c.issuedOn.Add(-time.Minute))
			if got, _ := e.svc.Run(ctx, nil, 0); len(got) != 0 {
				t.Fatalf("a minute before Tuesday's cutoff the run issued %v", got)
			}
			e.clk.Set(c.issuedOn)
			got, err := e.svc.Run(ctx, nil, 0)
			if err != nil || len(got) != 1 {
				t.Fatalf("Tuesday's cutoff issued %v (%v)", got, err)
			}
			inv, _ := e.svc.Get(ctx, e.fin, got[0])
			if d, want := inv.IssueDate.Format(time.DateOnly), c.issuedOn.Format(time.DateOnly); d != want {
				t.Errorf("invoice date %s, want %s", d, want)
			}
			if d, want := inv.SupplyDate.Format(time.DateOnly), c.shipped.Format(time.DateOnly); d != want {
				t.Errorf("supply date %s, want the Friday %s", d, want)
			}
		})
	}
}
