package scale

import (
	"fmt"
	"time"

	"wholesale/internal/returns"
)

// ret is a return of units of one shipped line.
type ret struct {
	id        int64
	order     *order
	ship      *shipment
	sl        *shipLine
	qty       int32
	serials   []string
	fault     string
	doa       bool
	remedy    string
	received  time.Time // the day the customer received the goods
	rule      string
	window    time.Time
	state     string
	closed    string
	created   time.Time
	by        *user
	updated   time.Time
	raYear    int
	raSeq     int
	arriveBy  time.Time
	approved  time.Time
	manager   *user
	arrived   time.Time
	tested    time.Time
	tester    *user
	results   []string
	settled   time.Time
	good      string
	settle    string
	cn        *invoice
	replaced  *order
	sentBack  time.Time
	backTrack string
}

func (r *ret) ra() string {
	if r.raSeq == 0 {
		return ""
	}
	return returns.FormatRA(r.raYear, r.raSeq)
}

var faults = []string{"Apparaat gaat niet aan.", "Kapot bij aankomst: behuizing gebarsten.", "Verwarmt niet.",
	"Motor maakt veel lawaai en stopt.", "Lekt water.", "Display blijft zwart.", "Thermostaat werkt niet."}

// aftercare makes the returns and complaints of shipped goods, their
// replacement orders and credit notes, and finance's corrections.
func (g *gen) aftercare(w *world) {
	base := len(w.shipments)
	lines, firsts := 0, 0
	for _, s := range w.shipments {
		lines += len(s.lines)
		if s.order.shipments[0] == s {
			firsts++
		}
	}
	// A small data set still has a few returns and complaints.
	pReturn, pComplaint := max(0.004, 12/float64(max(lines, 1))), max(0.005, 6/float64(max(firsts, 1)))
	for _, s := range w.shipments[:base] {
		if s.order.replacement() {
			continue
		}
		for i := range s.lines {
			if g.chance(pReturn) {
				g.ret(w, s, &s.lines[i])
			}
		}
		if s.order.shipments[0] == s && g.chance(pComplaint) {
			g.complain(w, s.order, s)
		}
	}
	for range max(len(w.companies)/20, 3) {
		c := w.companies[g.r.IntN(len(w.companies))]
		if t := g.orderTime(w, w.start); !c.first.IsZero() && t.After(c.first) {
			g.complainAbout(w, c, nil, nil, t)
		}
	}
	g.corrections(w)
	for _, s := range w.shipments[base:] {
		g.dispatch(w, s)
	}
	sortBy(w.shipments, func(s *shipment) time.Time { return s.at })
	sortBy(w.returns, func(r *ret) time.Time { return r.created })
	sortBy(w.complaint, func(c *complaint) time.Time { return c.received })
	sortBy(w.orders, func(o *order) time.Time { return o.created })
}

// ret files a return of units of shipment line sl and takes it as far
// as it got by now.
func (g *gen) ret(w *world, s *shipment, sl *shipLine) {
	o, p := s.order, sl.line.product
	r := &ret{order: o, ship: s, sl: sl, qty: int32(g.between(1, int(min(sl.qty, 3)))), doa: g.chance(0.8), fault: g.pick(faults)}
	var delivered *time.Time
	if !s.delivered.IsZero() {
		delivered = &s.delivered
	}
	r.received, r.rule = returns.ReceiptOf(s.on, delivered, w.cal)
	r.window = returns.WindowEnd(r.received, w.cal)
	r.created = g.officeHours(w, r.received.Add(g.hours(10, 24*55)))
	if !w.done(r.created) {
		return
	}
	r.by = o.company.users[g.r.IntN(len(o.company.users))]
	if g.chance(0.3) {
		r.by = o.company.manager
	}
	for range r.qty {
		r.serials = append(r.serials, fmt.Sprintf("SN%09d", g.r.IntN(1_000_000_000)))
	}
	r.remedy = returns.RemedyCreditNote
	if g.chance(0.4) {
		r.remedy = returns.RemedyReplacement
	}
	r.manager = o.company.manager
	r.state, r.updated = "requested", r.created
	w.returns = append(w.returns, r)
	if why := returns.Eligibility(r.doa, p.returnable, w.cal.LocalDay(r.created), r.window); why != "" {
		r.state, r.closed = "referred", why
		return
	}
	decided := g.after(w, r.created, 1, 72)
	switch u := g.r.Float64(); {
	case !w.done(decided):
		return
	case u < 0.08:
		r.state, r.closed, r.updated = "rejected", returns.ClosedRejected, decided
		return
	case u < 0.11:
		r.state, r.closed, r.updated = "cancelled", returns.ClosedCancelled, decided
		return
	}
	r.approved, r.state, r.updated = decided, "approved", decided
	r.arriveBy = w.cal.DeadlineAfter(w.cal.LocalDay(decided), 14)
	if r.arrived = g.after(w, decided, 48, 240); !w.done(r.arrived) {
		r.arrived = time.Time{}
		return
	}
	r.state, r.updated = "received", r.arrived
	if r.tested = g.after(w, r.arrived, 2, 72); !w.done(r.tested) {
		r.tested = time.Time{}
		return
	}
	r.tester = w.warehouse[g.r.IntN(len(w.warehouse))]
	for range r.qty {
		res := returns.ResultFaultConfirmed
		switch u := g.r.Float64(); {
		case u < 0.12:
			res = returns.ResultNoFaultFound
		case u < 0.17:
			res = returns.ResultDamaged
		}
		r.results = append(r.results, res)
	}
	r.state, r.updated = "tested", r.tested
	if r.settled = g.after(w, r.tested, 2, 72); !w.done(r.settled) {
		r.settled = time.Time{}
		return
	}
	g.settleReturn(w, r)
}

// settleReturn settles a tested return as returns.Settle does.
func (g *gen) settleReturn(w *world, r *ret) {
	var confirmed, noFault int32
	for _, res := range r.results {
		switch res {
		case returns.ResultFaultConfirmed:
			confirmed++
		case returns.ResultNoFaultFound:
			noFault++
		}
	}
	restock := noFault > 0 && g.chance(0.3)
	credit := int32(0)
	if confirmed > 0 && r.remedy == returns.RemedyCreditNote {
		credit += confirmed
	}
	if restock {
		credit += noFault
	}
	if credit > 0 {
		inv := r.ship.invoice
		r.cn = g.creditNote(w, inv, r.sl.invLine, credit, r.settled, r.manager, "")
		if r.cn == nil || r.cn.lines[0].qty != -credit {
			if r.cn != nil { // a partial credit is refused: undo it
				inv.lines[r.sl.invLine-1].credited += r.cn.lines[0].qty
				w.invoices = w.invoices[:len(w.invoices)-1]
			}
			r.cn, restock, r.remedy = nil, false, returns.RemedyReplacement
		} else {
			r.cn.forReturn, r.cn.remedy = r, confirmed > 0 && r.remedy == returns.RemedyCreditNote
		}
	}
	if confirmed > 0 && r.remedy == returns.RemedyReplacement {
		r.replaced = g.replacement(w, r.order.company, r.sl.line.product, confirmed, r.settled)
		r.replaced.replacesReturn = r
		g.live(w, r.replaced)
	}
	r.settle = returns.SettledSentBack
	switch {
	case confirmed > 0:
		r.settle = r.remedy
	case restock:
		r.settle = returns.SettledCreditNote
	}
	r.good = returns.GoodSentBack
	if restock {
		r.good = returns.GoodRestocked
	}
	r.state, r.updated = "settled", r.settled
	back := int32(len(r.results)) - confirmed
	if restock {
		back -= noFault
	}
	if back > 0 && g.chance(0.7) {
		if at := g.after(w, r.settled, 4, 72); w.done(at) {
			r.sentBack, r.updated = at, at
			r.backTrack = fmt.Sprintf("1Z%016d", g.r.Int64N(1e16))
		}
	}
}

// replacement is a zero-priced order of qty of p for customer c, entered
// at at: what settles a return or a complaint's exchange.
func (g *gen) replacement(w *world, c *company, p *product, qty int32, at time.Time) *order {
	o := &order{company: c, created: at, by: c.manager, method: "UPS", delivery: c.visiting}
	o.lines = []line{{no: 1, product: p, qty: qty, vat: int32(p.vat)}}
	w.orders = append(w.orders, o)
	return o
}

// sendsBack tells whether some units of a settled return go back to the
// customer (returns.sends_back).
func (r *ret) sendsBack() bool {
	if r.settled.IsZero() {
		return false
	}
	for _, res := range r.results {
		if r.disposition(res) == returns.ToCustomer {
			return true
		}
	}
	return false
}

// disposition is where a unit went when its return was settled.
func (r *ret) disposition(result string) string {
	switch {
	case result == returns.ResultFaultConfirmed:
		return returns.ToQuarantine
	case result == returns.ResultNoFaultFound && r.good == returns.GoodRestocked:
		return returns.ToStock
	}
	return returns.ToCustomer
}
