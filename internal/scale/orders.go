package scale

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"wholesale/internal/catalog"
	"wholesale/internal/clock"
)

var cancelReasons = []string{"Klant heeft elders besteld.", "Dubbel ingevoerd.", "Klant annuleert: event gaat niet door.",
	"Levertijd te lang voor de klant.", "Verkeerde artikelen besteld, nieuwe order volgt."}

// orders makes n orders over the ten years, more each year, on working
// days in office hours, each for a customer drawn by Zipf's law (a few
// place most orders) with products drawn the same way (a few make most
// lines), and lives each until now.
func (g *gen) orders(w *world, n int) {
	times := make([]time.Time, n)
	recent := w.cal.AddWorkingDays(w.today, -10)
	fresh := 0
	for i := range times {
		times[i] = g.orderTime(w, w.start)
		if !times[i].Before(recent) {
			fresh++
		}
	}
	// A small data set still has orders of the last two weeks in every
	// state: at least 300 of them (or a fifth), taken from the ten years.
	for i := range min(max(300-fresh, 0), n/5) {
		times[i] = g.orderTime(w, recent)
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	cust := newZipf(len(w.companies), 1, 1)
	prod := newZipf(len(w.products), 1, 2)
	count := make([]int, len(w.companies))
	w.orders = make([]*order, 0, n+n/50)
	for _, t := range times {
		c := w.companies[cust.draw(g)]
		count[c.index]++
		if c.first.IsZero() {
			c.first = t
		}
		o := &order{company: c, created: t, by: c.manager, po: poReference(c, count[c.index], t)}
		g.fill(w, o, prod)
		g.live(w, o)
		w.orders = append(w.orders, o)
	}
	// The fixed logins of the busiest customer's buyer and account
	// manager: the first rank's by design, by chance another's.
	w.busiest = w.companies[slices.Index(count, slices.Max(count))]
	if b, first := w.busiest, w.companies[0]; b != first {
		b.users[0].email, first.users[0].email = first.users[0].email, b.users[0].email
		b.manager = w.managers[0]
	}
}

// orderTime is a moment in office hours on a working day from since to
// now, later ones likelier: the business grew threefold in ten years.
func (g *gen) orderTime(w *world, since time.Time) time.Time {
	span := w.now.Sub(since)
	for {
		u := g.r.Float64()
		x := (math.Sqrt(1+8*u) - 1) / 2 // density 1 + 2x on [0, 1]
		day := w.cal.LocalDay(since.Add(time.Duration(x * float64(span))))
		if !w.cal.IsWorkingDay(day) {
			continue
		}
		t := time.Date(day.Year(), day.Month(), day.Day(), 8, 0, 0, 0, clock.Amsterdam).Add(g.hours(0, 9.5)).UTC()
		if !t.After(w.now) {
			return t.Truncate(time.Second)
		}
	}
}

// poReference is the customer's own reference of its k-th order, in
// the customer's style.
func poReference(c *company, k int, t time.Time) string {
	switch c.rank % 4 {
	case 0:
		return fmt.Sprintf("PO%06d", k)
	case 1:
		initials := strings.ToUpper(c.name[:1] + c.contact[:1])
		return fmt.Sprintf("%s-%d-%05d", initials, t.Year(), k)
	case 2:
		return fmt.Sprintf("%d/%05d", t.Year(), k)
	}
	return fmt.Sprintf("INK-%d", 10000+k)
}

// fill gives a new order its lines and terms.
func (g *gen) fill(w *world, o *order, prod *zipf) {
	c := o.company
	n := min(1+int(g.exp(4.2)), 30, len(w.products))
	o.lines = make([]line, 0, n)
	for len(o.lines) < n {
		p := w.products[prod.draw(g)]
		if slices.ContainsFunc(o.lines, func(l line) bool { return l.product == p }) {
			continue
		}
		qty := 1 + int(g.exp(categories[p.category].qtyMean-1))
		if p.maxPer > 0 {
			qty = min(qty, p.maxPer)
		}
		price, own := w.prices[[2]int32{c.index, p.index}]
		if !own {
			price = catalog.ApplyDiscount(p.price, c.discount)
		}
		o.lines = append(o.lines, line{no: int32(len(o.lines) + 1), product: p, qty: int32(qty), price: price, vat: int32(p.vat)})
	}
	switch u := g.r.Float64(); {
	case u < 0.7:
		o.method, o.shipping = "UPS", []int64{995, 1495, 1495, 1850, 0}[g.r.IntN(5)]
	case u < 0.8:
		o.method, o.shipping = "UPS Express", 2495
	case u < 0.9:
		o.method, o.shipping = "Pallet (freight)", []int64{6500, 8500, 12500}[g.r.IntN(3)]
	default:
		o.method = "Collect"
	}
	o.complete = g.chance(0.1)
	o.delivery = c.visiting
	if g.chance(0.15) {
		o.delivery = c.invoice
	}
	if g.chance(0.2) {
		o.note = g.pick(notes)
	}
}

// live carries an order from its entry until now: placing (or staying a
// draft), credit, confirmation or prepayment, amendments, cancellations,
// and its shipments, back-ordered lines shipping when their goods came.
func (g *gen) live(w *world, o *order) {
	age := w.now.Sub(o.created)
	draft := 0.001
	switch {
	case o.replacement():
		draft = 0
	case age < 48*time.Hour:
		draft = 0.25
	case age < 14*24*time.Hour:
		draft = 0.06
	}
	if g.chance(draft) {
		return
	}
	o.placed = o.created
	if !o.replacement() && g.chance(0.15) {
		o.placed = g.after(w, o.created, 0.2, 30)
		if !w.done(o.placed) {
			o.placed = time.Time{}
			return
		}
	}
	release := g.release(w, o)
	for i := range o.lines {
		g.reserve(w, o, &o.lines[i])
	}
	first := never
	if w.done(release) {
		first = g.after(w, release, 1, 60)
	}
	g.amend(w, o, release, first)
	live := len(o.lines)
	for i := range o.lines {
		l := &o.lines[i]
		p := 0.005
		if l.waiting() {
			p = 0.15
		}
		if live > 1 && g.chance(p) {
			if t := g.after(w, o.placed, 0.5, 72); t.Before(first) && w.done(t) {
				l.cancelled, live = t, live-1
			}
		}
	}
	if !o.replacement() && o.cancelled.IsZero() && g.chance(0.025) {
		if t := g.after(w, o.placed, 0.5, 96); t.Before(first) && w.done(t) {
			o.cancelled, o.reason = t, g.pick(cancelReasons)
		}
	}
	if o.cancelled.IsZero() && w.done(first) {
		g.ship(w, o, first)
	}
}

// release decides credit, confirmation or prepayment, and returns when
// the order was released to the warehouse (never: not yet).
func (g *gen) release(w *world, o *order) time.Time {
	c := o.company
	if o.replacement() {
		o.confirmedAt = o.placed
		return o.placed
	}
	if c.prepay {
		o.paidAt = g.after(w, o.placed, 1, 80)
		if !w.done(o.paidAt) {
			o.paidAt = time.Time{}
			return never
		}
		return o.paidAt
	}
	base := o.placed
	if g.chance(0.03) {
		o.heldAt = o.placed
		o.decided = g.after(w, o.placed, 1, 100)
		if !w.done(o.decided) {
			o.decided = time.Time{}
			return never
		}
		if g.chance(0.1) {
			o.rejected, o.cancelled, o.reason = true, o.decided, "Kredietlimiet overschreden; eerst betalen."
			return never
		}
		base = o.decided
	}
	o.confirmedAt = g.after(w, base, 0.2, 40)
	if !w.done(o.confirmedAt) {
		o.confirmedAt = time.Time{}
		return never
	}
	o.written = g.chance(0.4)
	o.confirmedBy = o.by
	if !o.written {
		o.confirmedBy = c.users[g.r.IntN(len(c.users))]
	}
	return o.confirmedAt
}

// reserve decides what of a line was reserved when the order was placed
// and when the rest came: a product that ran out makes every line placed
// since wait; now and then a line waited for a while and was served.
func (g *gen) reserve(w *world, o *order, l *line) {
	l.reserved = l.qty
	p := l.product
	switch {
	case !p.shortSince.IsZero() && !o.placed.Before(p.shortSince):
		l.reserved = 0
	case l.qty > 1 && g.chance(0.03):
		fill := g.after(w, o.placed, 24*4, 24*40)
		if w.done(fill) {
			l.reserved, l.fill = int32(g.r.IntN(int(l.qty))), fill
		}
	}
}

// amend changes a line's quantity before the order is released, now and
// then: a new revision, the line's first demand released.
func (g *gen) amend(w *world, o *order, release, first time.Time) {
	if o.replacement() || len(o.lines) == 0 || !g.chance(0.03) {
		return
	}
	end := w.now
	if release.Before(end) {
		end = release
	}
	if t := o.placed.Add(time.Duration(float64(end.Sub(o.placed)) * (0.1 + 0.8*g.r.Float64()))); t.Before(first) && t.After(o.placed) {
		o.amended, o.amendedLine = t.Truncate(time.Second), g.r.IntN(len(o.lines))
		l := &o.lines[o.amendedLine]
		o.oldQty = l.qty + int32(g.between(1, 5))
		if l.qty > 2 && g.chance(0.5) {
			o.oldQty = l.qty - 1
		}
	}
}

// ship makes the order's shipments from first on: what is reserved
// ships at once (all of it, for an order that ships complete), the rest
// when its goods came; what still waits stays.
func (g *gen) ship(w *world, o *order, first time.Time) {
	var wait time.Time
	for i := range o.lines {
		l := &o.lines[i]
		if !l.cancelled.IsZero() {
			continue
		}
		if l.waiting() && o.complete {
			return
		}
		if l.fill.After(wait) {
			wait = l.fill
		}
	}
	if o.complete && wait.After(first) {
		first = g.after(w, wait, 1, 48)
	}
	for _, at := range []time.Time{first, g.after(w, maxTime(wait, first), 1, 48)} {
		if !w.done(at) {
			return
		}
		s := &shipment{order: o, at: at, on: w.cal.LocalDay(at), lines: make([]shipLine, 0, len(o.lines))}
		for i := range o.lines {
			l := &o.lines[i]
			ready := l.qty
			if l.waiting() || l.fill.After(at) {
				ready = l.reserved
			}
			if l.cancelled.IsZero() && ready > l.shipped {
				s.lines = append(s.lines, shipLine{line: l, qty: ready - l.shipped})
				l.shipped = ready
			}
		}
		if len(s.lines) > 0 {
			o.shipments = append(o.shipments, s)
			w.shipments = append(w.shipments, s)
		}
	}
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
