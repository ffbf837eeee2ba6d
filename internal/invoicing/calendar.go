package invoicing

import (
	"context"

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
