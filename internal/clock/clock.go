// Package clock gives the application its notion of now, so that cutoffs,
// deadlines and expiries can be tested, and the business calendar of the
// wholesaler (Europe/Amsterdam).
package clock

import (
	"sync"
	"time"
	_ "time/tzdata" // the zone database is compiled in, so Amsterdam always loads
)

// Clock tells the time. Real code uses System; tests use a *Fixed.
type Clock interface {
	Now() time.Time
}

// System is the real clock.
type System struct{}

// Now returns the current time in UTC.
func (System) Now() time.Time { return time.Now().UTC() }

// Fixed is a clock for tests that only moves when told to.
type Fixed struct {
	mu sync.Mutex
	t  time.Time
}

// NewFixed returns a clock standing at t.
func NewFixed(t time.Time) *Fixed { return &Fixed{t: t.UTC()} }

// Now returns the clock's time.
func (f *Fixed) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

// Advance moves the clock forward by d.
func (f *Fixed) Advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = f.t.Add(d)
}

// Set puts the clock at t.
func (f *Fixed) Set(t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = t.UTC()
}

// Amsterdam is the wholesaler's time zone, used for business days and cutoffs.
var Amsterdam = mustLoad("Europe/Amsterdam")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic("clock: time zone " + name + " is missing: " + err.Error())
	}
	return loc
}
