// Package sessions implements Fiber's Storage interface over PostgreSQL, so
// that sessions, CSRF tokens and rate-limit counters are shared by every app
// server using the same database.
package sessions

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/clock"
)

// Storage keeps values of one namespace in the kv_store table. It satisfies
// fiber.Storage without importing Fiber.
type Storage struct {
	db        *bun.DB
	namespace string
	clock     clock.Clock
	timeout   time.Duration
}

// NewStorage returns the storage for namespace (e.g. "session", "csrf").
func NewStorage(db *bun.DB, namespace string, c clock.Clock) *Storage {
	return &Storage{db: db, namespace: namespace, clock: c, timeout: 5 * time.Second}
}

func (s *Storage) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), s.timeout)
}

// Get returns the value of key, or nil, nil when it is missing or expired.
func (s *Storage) Get(key string) ([]byte, error) {
	if key == "" {
		return nil, nil
	}
	ctx, cancel := s.ctx()
	defer cancel()
	var val []byte
	err := s.db.NewSelect().Table("kv_store").Column("value").
		Where("namespace = ? AND key = ?", s.namespace, key).
		Where("(expires_at IS NULL OR expires_at > ?)", s.clock.Now()).
		Scan(ctx, &val)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return val, err
}

// Set stores val under key for exp (0: no expiry). Empty keys or values are ignored.
func (s *Storage) Set(key string, val []byte, exp time.Duration) error {
	if key == "" || len(val) == 0 {
		return nil
	}
	ctx, cancel := s.ctx()
	defer cancel()
	var expiresAt *time.Time
	if exp > 0 {
		t := s.clock.Now().Add(exp)
		expiresAt = &t
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO kv_store (namespace, key, value, expires_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (namespace, key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at`,
		s.namespace, key, val, expiresAt)
	return err
}

// Delete removes key; a missing key is no error.
func (s *Storage) Delete(key string) error {
	if key == "" {
		return nil
	}
	ctx, cancel := s.ctx()
	defer cancel()
	_, err := s.db.ExecContext(ctx, "DELETE FROM kv_store WHERE namespace = ? AND key = ?", s.namespace, key)
	return err
}

// Reset removes every key of the namespace.
func (s *Storage) Reset() error {
	ctx, cancel := s.ctx()
	defer cancel()
	_, err := s.db.ExecContext(ctx, "DELETE FROM kv_store WHERE namespace = ?", s.namespace)
	return err
}

// Close does nothing: the database belongs to the caller.
func (s *Storage) Close() error { return nil }

// DeleteExpired removes expired values of every namespace and returns how many.
func DeleteExpired(ctx context.Context, db bun.IDB, now time.Time) (int64, error) {
	res, err := db.ExecContext(ctx, "DELETE FROM kv_store WHERE expires_at <= ?", now)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
