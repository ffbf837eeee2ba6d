package idempotency_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/i18n"
	"wholesale/internal/idempotency"
	"wholesale/internal/pgtest"
	"wholesale/internal/postgres"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

type thing struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

var now = time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)

func setup(t *testing.T) (*bun.DB, int64) {
	t.Helper()
	db := pgtest.New(t)
	ctx := context.Background()
	var userID int64
	if err := db.NewRaw(`INSERT INTO users (email, name, role, password_hash, created_at, updated_at)
		VALUES ('k@w.test', 'K', 'account_manager', 'x', now(), now()) RETURNING id`).Scan(ctx, &userID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "CREATE TABLE things (id bigserial PRIMARY KEY, name text NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	return db, userID
}

// makeThing is a use case: it writes a row and returns it. runs counts
// the times it got past its first statement, which carries the key's
// claim: a key claimed before fails that statement, and the use case
// writes nothing.
func makeThing(runs *atomic.Int32, name string) func(ctx context.Context, tx *postgres.Tx) (*thing, error) {
	return func(ctx context.Context, tx *postgres.Tx) (*thing, error) {
		th := &thing{Name: name}
		err := tx.NewRaw("INSERT INTO things (name) VALUES (?) RETURNING id", name).Scan(ctx, &th.ID)
		if err == nil {
			runs.Add(1)
		}
		return th, err
	}
}

func count(t *testing.T, db *bun.DB, table string) int {
	t.Helper()
	n, err := db.NewSelect().Table(table).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func TestAKeyRunsTheUseCaseOnceAndReplaysItsResult(t *testing.T) {
	t.Parallel()
	db, user := setup(t)
	ctx := context.Background()
	var runs atomic.Int32
	k := &idempotency.Key{UserID: user, Value: "k-1", Request: "POST /things {a}"}
	first, err := idempotency.Run(ctx, db, now, k, makeThing(&runs, "a"))
	if err != nil || k.Replayed {
		t.Fatalf("first: %v, replayed %v", err, k.Replayed)
	}
	k2 := &idempotency.Key{UserID: user, Value: "k-1", Request: "POST /things {a}"}
	again, err := idempotency.Run(ctx, db, now.Add(time.Minute), k2, makeThing(&runs, "a"))
	if err != nil || !k2.Replayed || *again != *first || runs.Load() != 1 || count(t, db, "things") != 1 {
		t.Fatalf("retry: %+v %v, replayed %v, %d runs, %d things", again, err, k2.Replayed, runs.Load(), count(t, db, "things"))
	}
	var at time.Time
	db.NewSelect().Table("idempotency_keys").Column("created_at").Scan(ctx, &at)
	if !at.Equal(now) {
		t.Fatalf("claimed at %v, want the clock's %v", at, now)
	}
	// The key used for another request is refused at its field.
	_, err = idempotency.Run(ctx, db, now, &idempotency.Key{UserID: user, Value: "k-1", Request: "POST /things {b}"}, makeThing(&runs, "b"))
	if ae, _ := apperr.As(err); ae == nil || ae.Kind != apperr.Invalid || !strings.Contains(ae.Fields[idempotency.Field].String(), "different request") || runs.Load() != 1 {
		t.Fatalf("another request: %v", err)
	}
}

func TestARefusalIsKeptAndAnInternalErrorIsNot(t *testing.T) {
	t.Parallel()
	db, user := setup(t)
	ctx := context.Background()
	var runs atomic.Int32
	refuse := func(ctx context.Context, tx *postgres.Tx) (*thing, error) {
		if _, err := makeThing(&runs, "refused")(ctx, tx); err != nil {
			return nil, err
		}
		return nil, apperr.FieldErrors{"name": i18n.M("No.")}.Err()
	}
	for i := 0; i < 2; i++ {
		k := &idempotency.Key{UserID: user, Value: "refused", Request: "r"}
		_, err := idempotency.Run(ctx, db, now, k, refuse)
		if ae, _ := apperr.As(err); ae == nil || ae.Kind != apperr.Invalid || ae.Fields["name"].String() != "No." || k.Replayed != (i == 1) {
			t.Fatalf("attempt %d: %v, replayed %v", i, err, k.Replayed)
		}
	}
	if runs.Load() != 1 || count(t, db, "things") != 0 {
		t.Fatalf("%d runs, %d things: the refusal's work was kept or it ran again", runs.Load(), count(t, db, "things"))
	}
	// An internal error keeps nothing: the client may try again, and the
	// use case runs again.
	fail := errors.New("disk on fire")
	runs.Store(0)
	boom := func(ctx context.Context, tx *postgres.Tx) (*thing, error) {
		if runs.Add(1) == 1 {
			return nil, fail
		}
		return makeThing(&atomic.Int32{}, "later")(ctx, tx)
	}
	if _, err := idempotency.Run(ctx, db, now, &idempotency.Key{UserID: user, Value: "boom", Request: "r"}, boom); !errors.Is(err, fail) {
		t.Fatalf("internal error: %v", err)
	}
	if th, err := idempotency.Run(ctx, db, now, &idempotency.Key{UserID: user, Value: "boom", Request: "r"}, boom); err != nil || th.Name != "later" || runs.Load() != 2 {
		t.Fatalf("after an internal error: %+v %v after %d runs", th, err, runs.Load())
	}
}

// Copies of one request at once: the use case runs once, and every copy
// gets its answer.
func TestCopiesAtOnceRunOnce(t *testing.T) {
	t.Parallel()
	db, user := setup(t)
	ctx := context.Background()
	var runs atomic.Int32
	const n = 8
	var wg sync.WaitGroup
	results := make([]*thing, n)
	errs := make([]error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			results[i], errs[i] = idempotency.Run(ctx, db, now, &idempotency.Key{UserID: user, Value: "same", Request: "r"}, makeThing(&runs, "once"))
		}(i)
	}
	wg.Wait()
	for i := 0; i < n; i++ {
		if errs[i] != nil || results[i] == nil || *results[i] != *results[0] {
			t.Fatalf("copy %d: %+v %v", i, results[i], errs[i])
		}
	}
	if runs.Load() != 1 || count(t, db, "things") != 1 {
		t.Fatalf("%d runs, %d things", runs.Load(), count(t, db, "things"))
	}
}

// A use case that meets another transaction runs again, from the claim;
// the key is answered once.
func TestARetriedUseCaseIsAnsweredOnce(t *testing.T) {
	t.Parallel()
	db, user := setup(t)
	ctx := context.Background()
	var runs atomic.Int32
	flaky := func(ctx context.Context, tx *postgres.Tx) (*thing, error) {
		th, err := makeThing(&runs, "flaky")(ctx, tx)
		if err == nil && runs.Load() == 1 {
			_, err = tx.ExecContext(ctx, `DO $$BEGIN RAISE EXCEPTION 'met another' USING ERRCODE = 'serialization_failure'; END$$`)
		}
		return th, err
	}
	th, err := idempotency.Run(ctx, db, now, &idempotency.Key{UserID: user, Value: "flaky", Request: "r"}, flaky)
	if err != nil || runs.Load() != 2 || count(t, db, "things") != 1 || count(t, db, "idempotency_keys") != 1 || th.Name != "flaky" {
		t.Fatalf("%+v %v after %d runs, %d things", th, err, runs.Load(), count(t, db, "things"))
	}
}

func TestBadKeysAreRefusedAndClaimNothing(t *testing.T) {
	t.Parallel()
	db, user := setup(t)
	ctx := context.Background()
	var runs atomic.Int32
	for _, v := range []string{"", strings.Repeat("k", idempotency.MaxLen+1), "nul\x00key", "with space", "tab\tkey", "naïve", "line\nbreak"} {
		_, err := idempotency.Run(ctx, db, now, &idempotency.Key{UserID: user, Value: v, Request: "r"}, makeThing(&runs, "x"))
		if ae, _ := apperr.As(err); ae == nil || ae.Kind != apperr.Invalid || ae.Fields[idempotency.Field].IsZero() {
			t.Errorf("key %q: %v", v, err)
		}
	}
	if runs.Load() != 0 || count(t, db, "idempotency_keys") != 0 {
		t.Fatalf("bad keys ran %d times and left %d keys", runs.Load(), count(t, db, "idempotency_keys"))
	}
	ok := strings.Repeat("k", idempotency.MaxLen)
	if _, err := idempotency.Run(ctx, db, now, &idempotency.Key{UserID: user, Value: ok, Request: "r"}, makeThing(&runs, "x")); err != nil {
		t.Fatalf("a key of %d characters: %v", idempotency.MaxLen, err)
	}
}
