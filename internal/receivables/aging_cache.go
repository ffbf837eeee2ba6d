package receivables

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/driver/pgdriver"

	"wholesale/internal/users"
)

// AgingCache keeps whole aging reports in memory, one per day and account
// manager (or all customers), for as long as nothing they sum changes:
// paging through the report, or opening it again, then costs no query.
// Every statement that changes invoices, payments or customers notifies
// the channel receivables_changed when its transaction commits (migration
// 0023); Run listens to it on a connection of its own and forgets every
// report at each notification. While it does not listen (before Run,
// after a lost connection, on a replica, which cannot notify) PageOf reads
// the database every time, as AgingPageOf. A dead connection that nobody
// noticed cannot keep a report longer than renew: Run forgets them all
// when it heard nothing for that long.
type AgingCache struct {
	db    *bun.DB
	log   *slog.Logger
	renew time.Duration

	mu        sync.Mutex
	gen       uint64 // the reports' generation: each change makes a new one
	listening bool
	reports   map[agingKey]cachedAging
	reads     int // how many reports were read from the database
}

type agingKey struct {
	today   string
	manager int64
}

type cachedAging struct {
	gen  uint64
	page *AgingPage
}

// AgingChannel is the channel migration 0023's triggers notify.
const AgingChannel = "receivables_changed"

// maxCachedReports bounds the reports kept: finance's and each account
// manager's of the day.
const maxCachedReports = 64

// NewAgingCache returns the cache of the reports of db, the primary (a
// replica cannot notify), not yet listening: see Run.
func NewAgingCache(db *bun.DB, log *slog.Logger) *AgingCache {
	return &AgingCache{db: db, log: log, renew: time.Minute, reports: map[agingKey]cachedAging{}}
}

// PageOf is AgingPageOf(db, by, today, offset, size), sliced from the
// whole report in memory when nothing it sums changed since it was read.
// Returns Forbidden for roles that may not see the receivables.
func (c *AgingCache) PageOf(ctx context.Context, by *users.User, today time.Time, offset, size int) (*AgingPage, error) {
	managerID, err := scope(by)
	if err != nil {
		return nil, err
	}
	key := agingKey{today: today.Format(time.DateOnly), manager: managerID}
	c.mu.Lock()
	gen, listening := c.gen, c.listening
	e, ok := c.reports[key]
	c.mu.Unlock()
	if !listening {
		return AgingPageOf(ctx, c.db, by, today, offset, size)
	}
	if !ok || e.gen != gen {
		whole, err := AgingPageOf(ctx, c.db, by, today, 0, 0)
		if err != nil {
			return nil, err
		}
		c.mu.Lock()
		c.reads++
		if c.gen == gen && c.listening { // nothing changed while it was read
			if len(c.reports) >= maxCachedReports {
				clear(c.reports)
			}
			c.reports[key] = cachedAging{gen: gen, page: whole}
		}
		c.mu.Unlock()
		e.page = whole
	}
	return e.page.slice(offset, size), nil
}

// slice is the page of size customers (all when 0) from offset on of the
// whole report p, as AgingPageOf reads it: a page past the last is the
// first.
func (p *AgingPage) slice(offset, size int) *AgingPage {
	offset = max(offset, 0)
	if offset >= len(p.Rows) {
		offset = 0
	}
	end := len(p.Rows)
	if size > 0 {
		end = min(offset+size, end)
	}
	out := &AgingPage{Aging: Aging{Today: p.Today, Total: p.Total}, Customers: p.Customers, Offset: offset}
	out.Rows = p.Rows[offset:end:end]
	return out
}

// Listening tells whether the cache hears of changes, and so keeps reports.
func (c *AgingCache) Listening() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.listening
}

// Reads is how many whole reports the cache read from the database.
func (c *AgingCache) Reads() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.reads
}

// changed forgets every report: something they sum changed, or may have.
func (c *AgingCache) changed(listening bool) {
	c.mu.Lock()
	c.gen++
	c.listening = listening
	clear(c.reports)
	c.mu.Unlock()
}

// Run listens for changes until ctx ends, listening again 5 seconds after
// a lost connection (reading the database meanwhile).
func (c *AgingCache) Run(ctx context.Context) {
	for {
		err := c.listen(ctx)
		c.changed(false)
		if ctx.Err() != nil {
			return
		}
		c.log.Warn("AR aging: not listening for changes; the report is read from the database each time until it listens again", "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(5 * time.Second):
		}
	}
}

// listen listens on a connection of its own until it fails or ctx ends.
func (c *AgingCache) listen(ctx context.Context) error {
	ln := pgdriver.NewListener(c.db)
	defer ln.Close()
	if err := ln.Listen(ctx, AgingChannel); err != nil {
		return err
	}
	c.changed(true)           // anything may have changed while nobody listened
	quiet := time.Duration(0) // waited without a notification, a second at a time
	for {
		// A short wait, so that Run ends soon after ctx: a blocked read
		// does not see it.
		_, _, err := ln.ReceiveTimeout(ctx, time.Second)
		var netErr net.Error
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case err == nil:
			c.changed(true)
			quiet = 0
		case errors.As(err, &netErr) && netErr.Timeout():
			if quiet += time.Second; quiet >= c.renew { // see AgingCache
				c.changed(true)
				quiet = 0
			}
		default:
			return err
		}
	}
}
