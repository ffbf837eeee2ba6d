package users

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/i18n"
	"wholesale/internal/postgres"
)

// ByID returns the user with id (NotFound when there is none).
func ByID(ctx context.Context, db bun.IDB, id int64) (*User, error) {
	u := new(User)
	err := db.NewSelect().Model(u).Where("id = ?", id).Scan(ctx)
	return u, postgres.Translate(err, i18n.M("User"))
}

// byEmail returns the user with the e-mail address, or nil.
func byEmail(ctx context.Context, db bun.IDB, email string) (*User, error) {
	u := new(User)
	err := db.NewSelect().Model(u).Where("email = ?", email).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return u, err
}

// ListItem is a user as the admin list shows it, with lockout state.
type ListItem struct {
	User
	CompanyName *string    `bun:"company_name"`
	LockedUntil *time.Time `bun:"locked_until"`
}

// List returns every user, staff first, with company and lockout state.
func List(ctx context.Context, db bun.IDB) ([]ListItem, error) {
	var out []ListItem
	err := db.NewSelect().TableExpr("users AS u").
		ColumnExpr("u.*, c.name AS company_name, lf.locked_until").
		Join("LEFT JOIN companies AS c ON c.id = u.company_id").
		Join("LEFT JOIN login_failures AS lf ON lf.email = u.email").
		OrderExpr("u.role = 'customer', u.email").
		Scan(ctx, &out)
	return out, err
}

// ListByRole returns the active users with role, by name.
func ListByRole(ctx context.Context, db bun.IDB, role Role) ([]User, error) {
	var out []User
	err := db.NewSelect().Model(&out).Where("role = ? AND active", role).OrderExpr("name").Scan(ctx)
	return out, err
}

// Count returns the number of users.
func Count(ctx context.Context, db bun.IDB) (int64, error) {
	return db.NewSelect().Model((*User)(nil)).Count(ctx)
}

// loginFailure is the failed-login counter of one e-mail address.
type loginFailure struct {
	Email         string     `bun:"email,pk"`
	Failures      int        `bun:"failures"`
	LockedUntil   *time.Time `bun:"locked_until"`
	LastFailedAt  time.Time  `bun:"last_failed_at"`
	bun.BaseModel `bun:"table:login_failures"`
}

// lockFailures returns the counter of email locked FOR UPDATE, or nil.
func lockFailures(ctx context.Context, db bun.IDB, email string) (*loginFailure, error) {
	lf := new(loginFailure)
	err := db.NewSelect().Model(lf).Where("email = ?", email).For("UPDATE").Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return lf, err
}

// countFailure adds one failed login for email, locking it at the limit, and
// returns the counter after the change.
func countFailure(ctx context.Context, db bun.IDB, email string, now time.Time) (*loginFailure, error) {
	lf := new(loginFailure)
	err := db.NewRaw(`INSERT INTO login_failures (email, failures, last_failed_at) VALUES (?, 1, ?)
		ON CONFLICT (email) DO UPDATE SET failures = login_failures.failures + 1,
			last_failed_at = EXCLUDED.last_failed_at, locked_until = NULL
		RETURNING *`, email, now).Scan(ctx, lf)
	if err != nil {
		return nil, err
	}
	if lf.Failures >= MaxFailedLogins {
		until := now.Add(LockoutDuration)
		lf.LockedUntil, lf.Failures = &until, 0
		_, err = db.NewUpdate().Model(lf).Column("locked_until", "failures").WherePK().Exec(ctx)
	}
	return lf, err
}

// clearFailures forgets the failed logins of email.
func clearFailures(ctx context.Context, db bun.IDB, email string) (bool, error) {
	res, err := db.NewDelete().Model((*loginFailure)(nil)).Where("email = ?", email).Exec(ctx)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// passwordReset is one reset code sent by mail.
type passwordReset struct {
	ID            int64      `bun:"id,pk,autoincrement"`
	UserID        int64      `bun:"user_id"`
	CodeHash      string     `bun:"code_hash"`
	Tries         int        `bun:"tries"`
	CreatedAt     time.Time  `bun:"created_at"`
	ExpiresAt     time.Time  `bun:"expires_at"`
	UsedAt        *time.Time `bun:"used_at"`
	bun.BaseModel `bun:"table:password_resets"`
}
