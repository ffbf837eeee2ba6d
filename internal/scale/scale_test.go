package scale_test

import (
	"context"
	"testing"
	"time"

	"wholesale/internal/clock"
	"wholesale/internal/pgtest"
	"wholesale/internal/scale"
	"wholesale/internal/users"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// logWriter sends the progress to the test's log.
type logWriter struct{ t testing.TB }

func (w logWriter) Write(b []byte) (int, error) { w.t.Log(string(b)); return len(b), nil }

// end is the moment the test data sets end: a Tuesday morning.
var end = time.Date(2026, 11, 24, 10, 30, 0, 0, time.UTC)

func seed(t testing.TB, orders int) (*scale.Result, func() (int, error)) {
	t.Helper()
	db := pgtest.New(t)
	res, err := scale.Seed(context.Background(), db, pgtest.DSN(t, db), scale.Options{Orders: orders, Seed: 7, Now: end,
		Clock: clock.System{}, Hasher: users.FastHasher, Out: logWriter{t}})
	if err != nil {
		t.Fatal(err)
	}
	_ = res
	return res, nil
}

func TestSeedScaleSmall(t *testing.T) {
	seed(t, 2000)
}
