package users

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// CountLocked returns how many users cannot log in at now because of
// repeated failed logins (their lockout ends by itself, or an admin lifts it).
func CountLocked(ctx context.Context, db bun.IDB, now time.Time) (int, error) {
	n, err := db.NewSelect().TableExpr("users AS u").Join("JOIN login_failures AS lf ON lf.email = u.email").
		Where("lf.locked_until > ?", now).Count(ctx)
	return int(n), err
}

// ListLocked returns the users locked out at now, as List shows them.
func ListLocked(ctx context.Context, db bun.IDB, now time.Time) ([]ListItem, error) {
	var out []ListItem
	err := db.NewSelect().TableExpr("users AS u").
		ColumnExpr("u.*, c.name AS company_name, lf.locked_until").
		Join("LEFT JOIN companies AS c ON c.id = u.company_id").
		Join("JOIN login_failures AS lf ON lf.email = u.email").
		Where("lf.locked_until > ?", now).
		OrderExpr("u.role = 'customer', u.email").
		Scan(ctx, &out)
	return out, err
}
