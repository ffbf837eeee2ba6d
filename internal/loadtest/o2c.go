package loadtest

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/uptrace/bun"
)

// O2COptions of a run of the order-to-cash bench (`wholesale bench o2c`).
type O2COptions struct {
	URL string // the app server
	PID int    // its process, whose CPU time is read; 0: not read
	// Users is the first user count; each level after doubles it (or adds
	// Step), up to MaxUsers, until the average dialog response time
	// reaches Target, then the counts in between are tried.
	Users, MaxUsers, Step int
	Cycles                int           // cycles per user at each level
	Think                 time.Duration // a person's pause after each dialog step (SAP's benchmark: 10 s)
	Target                time.Duration // the average dialog response time to stay under (1 s)
	CustomersPerUser      int
	ProductsPerUser       int
	History               int    // draft orders made for each customer beforehand, for the order list
	Tag                   string // marks this run's master data, so runs can share a database
}

const o2cPassword = "o2c-bench-password"

// Level is what one user count measured.
type Level struct {
	Users, Cycles int
	Elapsed       time.Duration
	// Per step, the time of the whole step (all its dialog steps) per cycle.
	Steps [stepCount][]time.Duration
	// Dialogs are the response times of every dialog step.
	Dialogs []time.Duration
	CPU     cpuSplit
	// Load is the machine's load average over the last minute when the
	// level began: work beside the bench moves its figures.
	Load   string
	Failed error
}

// AvgDialog is the average dialog response time.
func (l *Level) AvgDialog() time.Duration { return mean(l.Dialogs) }

// LineItemsPerHour is the order lines fully processed (ordered,
// confirmed, shipped, invoiced) per hour.
func (l *Level) LineItemsPerHour() float64 {
	return float64(l.Cycles*o2cLines) / l.Elapsed.Hours()
}

// DialogsPerHour are the dialog steps per hour.
func (l *Level) DialogsPerHour() float64 { return float64(len(l.Dialogs)) / l.Elapsed.Hours() }

// SAPS is the throughput in SAP's unit: 100 SAPS are 2,000 fully
// processed order line items an hour.
func (l *Level) SAPS() float64 { return l.LineItemsPerHour() / 20 }

// O2CResult is what a run measured: every level, the records of every
// cycle, and the verification.
type O2CResult struct {
	Levels  []*Level
	Records []*cycleRecord
	Best    *Level // the most users whose average dialog response time stayed under the target; nil: none
	Verify  []string
	Load    string
	Target  time.Duration
}

// o2cRun is a run under way.
type o2cRun struct {
	o        O2COptions
	db       *bun.DB
	out      io.Writer
	users    []*benchUser
	sessions []*session
	records  []*cycleRecord
	seq      int
}

// RunO2C runs the order-to-cash bench against the server of o.URL on db
// (its database): it sets up master data for as many users as a level
// needs, runs o.Cycles cycles per user at each level, raises the users
// until the average dialog response time reaches o.Target, then verifies
// what every cycle left in the database. A level whose cycle failed ends
// the ramp; the result is returned with an error.
func RunO2C(ctx context.Context, db *bun.DB, o O2COptions, out io.Writer) (*O2CResult, error) {
	r := &o2cRun{o: o, db: db, out: out}
	res := &O2CResult{Load: machineLoad(), Target: o.Target}
	fmt.Fprintf(out, "o2c: %d cycles per user per level, think time %s, target average dialog response time %s; %s\n",
		o.Cycles, o.Think, o.Target, res.Load)
	if err := sellerReady(ctx, db, o, out); err != nil {
		return nil, err
	}
	var runErr error
	tried := map[int]bool{}
	next := o.Users
	lo, hi := 0, 0 // the most users under the target, the fewest at or over it
	for next > 0 && !tried[next] && next <= o.MaxUsers {
		tried[next] = true
		l, err := r.level(ctx, next)
		res.Levels = append(res.Levels, l)
		if err != nil {
			runErr = err
			break
		}
		fmt.Fprintf(out, "  %4d users: %6.0f line items/h, average dialog %7.1f ms, p95 %7.1f ms\n",
			l.Users, l.LineItemsPerHour(), ms(l.AvgDialog()), ms(p95(l.Dialogs)))
		if l.AvgDialog() < o.Target {
			lo = max(lo, next)
		} else if hi == 0 || next < hi {
			hi = next
		}
		if next = nextUsers(o, lo, hi); next > o.MaxUsers && lo < o.MaxUsers && hi == 0 {
			next = o.MaxUsers // the last doubling stops at the cap
		}
	}
	for _, l := range res.Levels {
		if l.Failed == nil && l.Users == lo && lo > 0 {
			res.Best = l
		}
	}
	res.Records = r.records
	if ctx.Err() == nil {
		var err error
		if res.Verify, err = verify(ctx, db, r.users, res.Records); err != nil {
			return res, err
		}
	}
	if runErr == nil && len(res.Verify) > 0 {
		runErr = fmt.Errorf("o2c: the verification failed: %d problems", len(res.Verify))
	}
	return res, runErr
}

// nextUsers is the user count to try after the levels so far: the most
// under the target lo and the fewest at or over it hi (0: none yet). It
// doubles lo (or adds o.Step) until a level reaches the target, then
// halves the gap while it is more than an eighth of lo.
func nextUsers(o O2COptions, lo, hi int) int {
	if hi == 0 {
		if lo == 0 {
			return 0
		}
		if o.Step > 0 {
			return lo + o.Step
		}
		return lo * 2
	}
	if hi-lo <= max(1, lo/8) {
		return 0
	}
	return lo + (hi-lo)/2
}

// level runs o.Cycles cycles for each of n users, all at once.
func (r *o2cRun) level(ctx context.Context, n int) (*Level, error) {
	if err := r.ensure(ctx, n); err != nil {
		return &Level{Users: n, Failed: err}, err
	}
	l := &Level{Users: n, Load: loadAverage()}
	var mu sync.Mutex
	var wg sync.WaitGroup
	var first error
	cpu0 := sampleSplit(ctx, r.db, r.o.PID)
	start := time.Now()
	for _, s := range r.sessions[:n] {
		wg.Add(1)
		go func(s *session) {
			defer wg.Done()
			for k := 0; k < r.o.Cycles && ctx.Err() == nil; k++ {
				mu.Lock()
				r.seq++
				seq := r.seq
				mu.Unlock()
				rec, err := r.cycle(ctx, s, s.done, seq)
				s.done++
				mu.Lock()
				if err != nil {
					if first == nil {
						first = err
					}
					mu.Unlock()
					return
				}
				r.records = append(r.records, rec)
				l.Cycles++
				for i, d := range rec.Steps {
					l.Steps[i] = append(l.Steps[i], d)
				}
				l.Dialogs = append(l.Dialogs, rec.Dialogs...)
				mu.Unlock()
			}
		}(s)
	}
	wg.Wait()
	l.Elapsed = time.Since(start)
	l.CPU = sampleSplit(ctx, r.db, r.o.PID).since(cpu0)
	l.Failed = first
	return l, first
}

// ensure sets up and logs in users until there are n.
func (r *o2cRun) ensure(ctx context.Context, n int) error {
	have := len(r.sessions)
	if have >= n {
		return nil
	}
	fmt.Fprintf(r.out, "o2c: setting up users %d to %d (%d customers each with %d orders, %d products)\n",
		have+1, n, r.o.CustomersPerUser, r.o.History, r.o.ProductsPerUser)
	us, err := setup(ctx, r.db, r.o, have, n)
	if err != nil {
		return err
	}
	for _, u := range us {
		s := &session{u: u, orders: map[int64]int{}}
		for _, c := range u.Customers {
			s.orders[c.ID] = r.o.History
		}
		for _, b := range []struct {
			into  **browser
			login Login
		}{{&s.am, u.AM}, {&s.warehouse, u.Warehouse}, {&s.finance, u.Finance}} {
			client := newClient(2)
			if err := logIn(ctx, client, r.o.URL, b.login); err != nil {
				return err
			}
			*b.into = &browser{client: client, base: r.o.URL, who: b.login.Email}
		}
		r.users = append(r.users, u)
		r.sessions = append(r.sessions, s)
	}
	return nil
}

func mean(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	return sum / time.Duration(len(ds))
}

// p95 is the 95th percentile (nearest rank below).
func p95(ds []time.Duration) time.Duration {
	_, p, _ := percentiles(ds)
	return p
}
