package sessions_test

import (
	"testing"
	"time"

	"wholesale/internal/clock"
	"wholesale/internal/pgtest"
	"wholesale/internal/sessions"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestStorage(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	clk := clock.NewFixed(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	s := sessions.NewStorage(db, "session", clk)
	other := sessions.NewStorage(db, "csrf", clk)

	if v, err := s.Get("missing"); v != nil || err != nil {
		t.Fatalf("missing key: %v %v", v, err)
	}
	if err := s.Set("k", []byte("v1"), time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := s.Set("k", []byte("v2"), time.Hour); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Get("k"); string(v) != "v2" {
		t.Fatalf("get = %q", v)
	}
	if v, _ := other.Get("k"); v != nil {
		t.Fatal("namespaces leak into each other")
	}
	// Empty keys and values are ignored, as fiber.Storage requires.
	if err := s.Set("", []byte("x"), 0); err != nil {
		t.Fatal(err)
	}
	if err := s.Set("empty", nil, 0); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Get("empty"); v != nil {
		t.Fatal("empty value stored")
	}
	// Expiry.
	s.Set("short", []byte("x"), time.Minute)
	s.Set("forever", []byte("x"), 0)
	clk.Advance(time.Minute)
	if v, _ := s.Get("short"); v != nil {
		t.Fatal("expired value returned")
	}
	clk.Advance(24 * time.Hour)
	n, err := sessions.DeleteExpired(t.Context(), db, clk.Now())
	if err != nil || n != 2 { // "short" and "k"
		t.Fatalf("swept %d: %v", n, err)
	}
	if v, _ := s.Get("forever"); string(v) != "x" {
		t.Fatal("value without expiry lost")
	}
	if err := s.Delete("forever"); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete("never-was"); err != nil {
		t.Fatal(err)
	}
	other.Set("a", []byte("1"), 0)
	s.Set("b", []byte("2"), 0)
	if err := s.Reset(); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Get("b"); v != nil {
		t.Fatal("reset kept a value")
	}
	if v, _ := other.Get("a"); string(v) != "1" {
		t.Fatal("reset of one namespace cleared another")
	}
}

// TestRefreshing: a refreshing storage writes the value it wrote under a
// key again only after the refresh period, but a new value, or one after
// a Delete, at once.
func TestRefreshing(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	clk := clock.NewFixed(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	s := sessions.NewStorage(db, "csrf", clk).Refreshing(10 * time.Minute)
	expiry := func(key string) time.Time {
		t.Helper()
		var at time.Time
		if err := db.NewSelect().Table("kv_store").Column("expires_at").Where("namespace = 'csrf' AND key = ?", key).Scan(t.Context(), &at); err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		return at.UTC()
	}
	if err := s.Set("t", []byte("+"), 12*time.Hour); err != nil {
		t.Fatal(err)
	}
	first := clk.Now().Add(12 * time.Hour)
	clk.Advance(9 * time.Minute)
	if err := s.Set("t", []byte("+"), 12*time.Hour); err != nil {
		t.Fatal(err)
	}
	if got := expiry("t"); !got.Equal(first) {
		t.Fatalf("within the refresh period the expiry moved: %v, want %v", got, first)
	}
	clk.Advance(time.Minute)
	s.Set("t", []byte("+"), 12*time.Hour)
	if got, want := expiry("t"), clk.Now().Add(12*time.Hour); !got.Equal(want) {
		t.Fatalf("after the refresh period the expiry is %v, want %v", got, want)
	}
	s.Set("t", []byte("other"), 12*time.Hour) // a new value is written at once
	if v, _ := s.Get("t"); string(v) != "other" {
		t.Fatalf("value = %q, want the new one", v)
	}
	s.Delete("t") // and so is the same value after a Delete
	s.Set("t", []byte("other"), 12*time.Hour)
	if v, _ := s.Get("t"); string(v) != "other" {
		t.Fatal("a Set after a Delete was left out")
	}
	// A storage that is not refreshing writes every time.
	plain := sessions.NewStorage(db, "csrf", clk)
	plain.Set("p", []byte("+"), 12*time.Hour)
	clk.Advance(time.Minute)
	plain.Set("p", []byte("+"), 12*time.Hour)
	if got, want := expiry("p"), clk.Now().Add(12*time.Hour); !got.Equal(want) {
		t.Fatalf("a plain storage left a write out: expiry %v, want %v", got, want)
	}
}
