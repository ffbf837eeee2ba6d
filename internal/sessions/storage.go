// Package sessions implements Fiber's Storage interface over PostgreSQL, so
// that sessions, CSRF tokens and rate-limit counters are shared by every app
// server using the same database.
package sessions

import (
	"context"
	"database/sql"
	"errors"
	"sync"
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
	// refresh, when set, is how long a Set of the value this process last
	// wrote under a key is left out: see Refreshing.
	refresh time.Duration
	mu      sync.Mutex
	written map[string]write
}

// write is what this process last wrote under a key, and when.
type write struct {
	val string
	at  time.Time
}

// NewStorage returns the storage for namespace (e.g. "session", "csrf").
func NewStorage(db *bun.DB, namespace string, c clock.Clock) *Storage {
	return &Storage{db: db, namespace: namespace, clock: c, timeout: 5 * time.Second}
}

// Refreshing makes Set leave out writing the value this process wrote
// under the same key less than every ago: the value is there, and expires
// at most every sooner than the Set asked. Fiber's CSRF middleware extends
// its token on every request; with this, a page view reads the token and
// writes it at most once every ten minutes, not a row and a commit each.
// every must be well under the values' expiry.
func (s *Storage) Refreshing(every time.Duration) *Storage {
	s.refresh, s.written = every, map[string]write{}
	return s
}

// fresh tells whether val was written under key less than s.refresh ago
// by this process; when not, it notes it as written now, and sweeps out
// the notes that are too old to matter.
func (s *Storage) fresh(key string, val []byte) bool {
	if s.refresh <= 0 {
		return false
	}
	now := s.clock.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if w, ok := s.written[key]; ok && w.val == string(val) && now.Sub(w.at) < s.refresh && !now.Before(w.at) {
		return true
	}
	if len(s.written) >= maxNotes {
		for k, w := range s.written {
			if now.Sub(w.at) >= s.refresh || now.Before(w.at) {
				delete(s.written, k)
			}
		}
		if len(s.written) >= maxNotes { // all recent: start again rather than grow
			s.written = map[string]write{}
		}
	}
	s.written[key] = write{val: string(val), at: now}
	return false
}

// forget drops the note of key, so that its next Set writes.
func (s *Storage) forget(key string) {
	if s.refresh <= 0 {
		return
	}
	s.mu.Lock()
	delete(s.written, key)
	s.mu.Unlock()
}

// maxNotes bounds the notes of a refreshing storage: one per key written
// within the refresh period, about one per active user.
const maxNotes = 100_000

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
	if key == "" || len(val) == 0 || s.fresh(key, val) {
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
	if err != nil {
		s.forget(key)
	}
	return err
}

// Delete removes key; a missing key is no error.
func (s *Storage) Delete(key string) error {
	if key == "" {
		return nil
	}
	s.forget(key)
	ctx, cancel := s.ctx()
	defer cancel()
	_, err := s.db.ExecContext(ctx, "DELETE FROM kv_store WHERE namespace = ? AND key = ?", s.namespace, key)
	return err
}

// Reset removes every key of the namespace.
func (s *Storage) Reset() error {
	if s.refresh > 0 {
		s.mu.Lock()
		s.written = map[string]write{}
		s.mu.Unlock()
	}
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
