package invoicing

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/calendar"
)

// LoadCalendar is the working-day calendar as admins last set it (cutoff,
// closing days), for Service.Calendar and orders.Service.Calendar.
func LoadCalendar(ctx context.Context, db bun.IDB) (Calendar, error) {
	c, err := calendar.Load(ctx, db)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// BusinessDay is the business day whose draft invoice goods shipped at t
// go on, by the calendar as admins last set it: shipping.Service's
// BusinessDay.
func BusinessDay(ctx context.Context, db bun.IDB, t time.Time) (time.Time, error) {
	c, err := calendar.Load(ctx, db)
	if err != nil {
		return time.Time{}, err
	}
	return c.BusinessDay(t), nil
}
