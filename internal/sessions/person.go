package sessions

import (
	"bytes"
	"context"
	"encoding/gob"
	"time"

	"github.com/uptrace/bun"
)

// Session keys the web layer keeps a person's data under (internal/web
// middleware.go): the logged-in user's id, and the address a reset code
// was asked for.
const (
	KeyUserID     = "uid"
	KeyResetEmail = "reset_email"
)

// Session is a stored session of a person, as they may see it: never its
// key, which is the secret of the cookie.
type Session struct {
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
}

// personRow is one stored session with its decoded values.
type personRow struct {
	key       string
	expiresAt *time.Time
	values    map[string]any
}

// decode reads the values of a session as Fiber's session middleware
// writes them: a gob-encoded map. A value that is not one reads as empty.
func decode(b []byte) map[string]any {
	var m map[string]any
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&m); err != nil {
		return nil
	}
	return m
}

// of returns the sessions of namespace "session" that belong to the user
// or hold the e-mail address (a reset in progress).
func of(ctx context.Context, db bun.IDB, userID int64, email string) ([]personRow, error) {
	rows, err := db.QueryContext(ctx, "SELECT key, value, expires_at FROM kv_store WHERE namespace = 'session' ORDER BY expires_at, key")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []personRow
	for rows.Next() {
		var r personRow
		var value []byte
		if err := rows.Scan(&r.key, &value, &r.expiresAt); err != nil {
			return nil, err
		}
		r.values = decode(value)
		uid, _ := r.values[KeyUserID].(int64)
		reset, _ := r.values[KeyResetEmail].(string)
		if (userID != 0 && uid == userID) || (email != "" && reset == email) {
			out = append(out, r)
		}
	}
	return out, rows.Err()
}

// OfUser returns the stored sessions of the user (or of a reset for the
// e-mail address), soonest to expire first.
func OfUser(ctx context.Context, db bun.IDB, userID int64, email string) ([]Session, error) {
	rows, err := of(ctx, db, userID, email)
	out := make([]Session, len(rows))
	for i, r := range rows {
		out[i] = Session{ExpiresAt: r.expiresAt}
	}
	return out, err
}

// DeleteOfUser removes the stored sessions of the user and those holding
// the e-mail address, and returns how many.
func DeleteOfUser(ctx context.Context, db bun.IDB, userID int64, email string) (int, error) {
	rows, err := of(ctx, db, userID, email)
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	keys := make([]string, len(rows))
	for i, r := range rows {
		keys[i] = r.key
	}
	_, err = db.NewDelete().TableExpr("kv_store").Where("namespace = 'session' AND key IN (?)", bun.List(keys)).Exec(ctx)
	return len(keys), err
}
