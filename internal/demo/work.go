package demo

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/audit"
	"wholesale/internal/stock"
	"wholesale/internal/users"
)

// loadMovedDate has the supplier confirm delivery SEB-2026-114 three days
// earlier than ordered, so the demo customer's back orders waiting for it
// show on the account manager's home page as moved (the customer wants to
// hear the good news too), and the delivery is due this week for the
// warehouse. It is done as the admin, who records supplier confirmations.
func loadMovedDate(ctx context.Context, db *bun.DB, now time.Time, d *Data) error {
	admin := d.Users[users.RoleAdmin]
	ctx = audit.WithActor(ctx, audit.Actor{UserID: admin.ID, Label: admin.Email})
	var id int64
	var expected time.Time
	if err := db.NewSelect().Table("supplier_orders").Column("id", "expected_date").Where("reference = 'SEB-2026-114'").Scan(ctx, &id, &expected); err != nil {
		return err
	}
	st := &stock.Service{DB: db, Clock: fixed(now)}
	return st.ConfirmDate(ctx, id, expected.AddDate(0, 0, -3))
}
