package receivables_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"wholesale/internal/apperr"
	"wholesale/internal/receivables"
	"wholesale/internal/users"
)

// eventually polls cond every 20 ms for up to 15 seconds: what a listener
// hears arrives a moment after the commit.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("still not after 15 s: %s", what)
		}
	}
}

// The aging cache gives the pages AgingPageOf gives, reads the whole
// report once for all of its pages while nothing changes, reads it again
// after a payment (told by the database), and reads the database every
// time when it does not listen.
func TestAgingCacheForgetsOnChange(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	today := date(2026, 6, 30)
	e.at(today)
	inv, _ := e.issue(e.nl, "invoice", 100_000, today.AddDate(0, 0, -45))
	e.issue(e.de, "invoice", 30_000, today.AddDate(0, 0, -95))
	e.issue(e.other, "invoice", 40_000, today.AddDate(0, 0, -10))
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	cache := receivables.NewAgingCache(e.db, discard())

	same := func(by *users.User) {
		t.Helper()
		for offset := 0; offset <= 3; offset++ {
			got, err := cache.PageOf(ctx, by, today, offset, 1)
			if err != nil {
				t.Fatal(err)
			}
			want, err := receivables.AgingPageOf(ctx, e.db, by, today, offset, 1)
			if err != nil {
				t.Fatal(err)
			}
			if got.Offset != want.Offset || got.Customers != want.Customers || got.Total != want.Total || len(got.Rows) != len(want.Rows) ||
				(len(got.Rows) == 1 && got.Rows[0] != want.Rows[0]) {
				t.Fatalf("%s, offset %d: %+v, want %+v", by.Email, offset, got, want)
			}
		}
	}
	same(e.fin) // not listening: straight from the database
	if cache.Listening() || cache.Reads() != 0 {
		t.Fatal("the cache keeps reports before it listens")
	}

	go cache.Run(ctx)
	eventually(t, "the cache listens", cache.Listening)
	same(e.fin)
	same(e.am)
	if n := cache.Reads(); n != 2 {
		t.Fatalf("%d reads of the whole report for finance's and the account manager's pages, want 2", n)
	}

	e.exec(`UPDATE invoices SET paid_cents = 60000 WHERE id = ?`, inv) // a payment: 40,000 left of it
	eventually(t, "the page shows the payment", func() bool {
		p, err := cache.PageOf(ctx, e.fin, today, 0, 0)
		return err == nil && p.Total.OpenCents() == 40_000+30_000+40_000
	})
	same(e.fin)
	if n := cache.Reads(); n < 3 {
		t.Fatalf("%d reads: the report was not read again after the payment", n)
	}

	if _, err := cache.PageOf(ctx, e.buyer, today, 0, 1); apperr.KindOf(err) != apperr.Forbidden {
		t.Errorf("a customer's user reads the aging report: %v", err)
	}

	stop()
	eventually(t, "the cache stops listening", func() bool { return !cache.Listening() })
	e.exec(`UPDATE invoices SET paid_cents = 100000 WHERE id = ?`, inv)
	if p, err := cache.PageOf(context.Background(), e.fin, today, 0, 0); err != nil || p.Total.OpenCents() != 30_000+40_000 {
		t.Fatalf("not listening, the page is %+v (%v); want the database's", p, err)
	}
}

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
