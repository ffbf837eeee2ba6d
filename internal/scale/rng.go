package scale

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"wholesale/internal/clock"
	"wholesale/internal/invoicing"
	"wholesale/internal/orders"
)

// gen makes the random choices, from one seeded generator: the same seed
// gives the same data set.
type gen struct {
	r   *rand.Rand
	buf []orders.Line       // room for an order's lines, as the orders area has them
	doc []invoicing.DocLine // room for an invoice's lines, as invoicing adds them up
}

func newGen(seed uint64) *gen {
	return &gen{r: rand.New(rand.NewPCG(seed, 0x5ca1e))}
}

// chance is true with probability p.
func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

// between is a whole number from lo to hi, both included.
func (g *gen) between(lo, hi int) int { return lo + g.r.IntN(hi-lo+1) }

// pick is one of the strings.
func (g *gen) pick(s []string) string { return s[g.r.IntN(len(s))] }

// exp is exponentially distributed with the mean given.
func (g *gen) exp(mean float64) float64 { return g.r.ExpFloat64() * mean }

// hours is a duration from lo to hi hours.
func (g *gen) hours(lo, hi float64) time.Duration {
	return time.Duration((lo + g.r.Float64()*(hi-lo)) * float64(time.Hour))
}

// zipf draws ranks 0..n-1 with weights 1/(rank+1+q)^s: a few ranks get
// most draws, as a few customers place most orders and a few products
// make most lines.
type zipf struct {
	cum []float64
}

func newZipf(n int, s, q float64) *zipf {
	z := &zipf{cum: make([]float64, n)}
	total := 0.0
	for k := range n {
		total += 1 / math.Pow(float64(k)+1+q, s)
		z.cum[k] = total
	}
	return z
}

func (z *zipf) draw(g *gen) int {
	u := g.r.Float64() * z.cum[len(z.cum)-1]
	return sort.SearchFloat64s(z.cum, u)
}

// officeHours moves t into the working hours (8:00 to 17:30 in
// Amsterdam) of a working day: the same day when it is one and t is
// before 17:30, else the next working day at a random time.
func (g *gen) officeHours(w *world, t time.Time) time.Time {
	local := t.In(clock.Amsterdam)
	day := w.cal.LocalDay(t)
	open := time.Date(day.Year(), day.Month(), day.Day(), 8, 0, 0, 0, clock.Amsterdam)
	shut := open.Add(9*time.Hour + 30*time.Minute)
	if w.cal.IsWorkingDay(day) && local.Before(shut) {
		if local.Before(open) {
			return open.Add(g.hours(0, 2)).UTC()
		}
		return t
	}
	next := w.cal.AddWorkingDays(day, 1)
	return time.Date(next.Year(), next.Month(), next.Day(), 8, 0, 0, 0, clock.Amsterdam).Add(g.hours(0, 8)).UTC()
}

// after is t plus a random duration from lo to hi hours, in office hours.
func (g *gen) after(w *world, t time.Time, lo, hi float64) time.Time {
	return g.officeHours(w, t.Add(g.hours(lo, hi)))
}

// never is a moment after every moment of the data set.
var never = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// done tells whether t happened by the end of the data set.
func (w *world) done(t time.Time) bool { return !t.IsZero() && !t.After(w.now) }

// sortBy sorts s by the time key gives, stably.
func sortBy[T any](s []T, key func(T) time.Time) {
	slices.SortStableFunc(s, func(a, b T) int { return key(a).Compare(key(b)) })
}
