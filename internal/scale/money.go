package scale

import (
	"time"

	"wholesale/internal/clock"
	"wholesale/internal/payments"
)

// money makes what customers paid: prepayment orders paid before they
// shipped, invoices paid around their due date (late by some customers,
// in two parts now and then, a few still open or overdue), credit notes
// set off against the invoice they credit while it was open, and the
// reminders of late invoices.
func (g *gen) money(w *world) {
	for _, o := range w.orders {
		g.orderTotals(o)
		if o.paidAt.IsZero() {
			continue
		}
		p := g.pay(w, o.company, o.totals[2], o.paidAt)
		p.order = o
		g.allocate(w, p, nil, nil, o, o.totals[2], payments.ReasonOrderReference)
	}
	creditNotes := map[*invoice][]*invoice{}
	for _, inv := range w.invoices {
		if inv.credit {
			creditNotes[inv.of] = append(creditNotes[inv.of], inv)
		}
	}
	last := map[*company]*invoice{}
	for _, inv := range w.invoices {
		c := inv.company
		if inv.credit || inv.issued.IsZero() || c.prepay {
			continue
		}
		delay := []int{g.between(-10, 0), g.between(0, 40), g.between(15, 120)}[c.payer]
		day := inv.due.AddDate(0, 0, delay)
		if day.Before(inv.day) {
			day = inv.day
		}
		at := g.officeHours(w, time.Date(day.Year(), day.Month(), day.Day(), 9, 0, 0, 0, clock.Amsterdam).UTC())
		for _, cn := range creditNotes[inv] {
			if open := inv.incl - inv.paid; cn.issued.Before(at) && open > 0 {
				g.allocate(w, nil, cn, inv, nil, min(-cn.incl, open), payments.ReasonSetOff)
			}
		}
		g.remind(w, inv, at)
		if open := inv.incl - inv.paid; open > 0 && w.done(at) {
			first := open
			if g.chance(0.05) {
				first = open / 2
			}
			extra := int64(0)
			if g.chance(0.01) {
				extra = int64(g.between(100, 5000))
			}
			p := g.pay(w, c, first+extra, at)
			p.invoice = inv
			if prev := last[c]; prev != nil && g.chance(0.003) {
				g.undo(w, g.allocate(w, p, nil, prev, nil, min(first, prev.incl), payments.ReasonChosen))
			}
			g.allocate(w, p, nil, inv, nil, first, reasonOf(p))
			if rest := open - first; rest > 0 {
				if at2 := g.after(w, at, 24*7, 24*30); w.done(at2) {
					p2 := g.pay(w, c, rest, at2)
					p2.invoice = inv
					g.allocate(w, p2, nil, inv, nil, rest, reasonOf(p2))
				}
			}
		}
		last[c] = inv
	}
	sortBy(w.payments, func(p *payment) time.Time { return p.at })
	sortBy(w.allocs, func(a *allocation) time.Time { return a.at })
}

// pay is a payment of amount cents by customer c, booked at at.
func (g *gen) pay(w *world, c *company, amount int64, at time.Time) *payment {
	p := &payment{company: c, amount: amount, unallocated: amount, on: w.cal.LocalDay(at), at: at, bank: g.chance(0.7),
		by: w.finance[g.r.IntN(len(w.finance))]}
	w.payments = append(w.payments, p)
	return p
}

func reasonOf(p *payment) payments.Reason {
	if p.bank {
		return payments.ReasonPaymentReference
	}
	return payments.ReasonInvoiceNumber
}

// allocate puts cents of payment p or credit note cn on invoice inv or
// prepayment order o.
func (g *gen) allocate(w *world, p *payment, cn, inv *invoice, o *order, cents int64, reason payments.Reason) *allocation {
	a := &allocation{payment: p, cn: cn, invoice: inv, order: o, amount: cents, reason: string(reason)}
	switch {
	case p != nil:
		a.company, a.at, a.by = p.company, p.at, p.by
		p.unallocated -= cents
	default:
		a.company, a.at, a.by = cn.company, g.after(w, cn.issued, 0.1, 4), w.finance[0]
		if a.at.After(w.now) {
			a.at = w.now
		}
		cn.paid -= cents
		cn.updated = maxTime(cn.updated, a.at)
	}
	switch {
	case inv != nil:
		inv.paid += cents
		inv.updated = maxTime(inv.updated, a.at)
	case o != nil:
		o.paid += cents
	}
	w.allocs = append(w.allocs, a)
	return a
}

// undo undoes allocation a a day or two later: finance chose the wrong
// invoice. It stays, marked undone, and counts no more.
func (g *gen) undo(w *world, a *allocation) {
	a.undone = g.after(w, a.at, 2, 48)
	if a.undone.After(w.now) {
		a.undone = w.now
	}
	a.payment.unallocated += a.amount
	a.invoice.paid -= a.amount
}

// remind sends the reminders of an invoice that was paid (or is still
// open) later than a week and three weeks after its due date.
func (g *gen) remind(w *world, inv *invoice, paid time.Time) {
	for level, days := range []int{7, 21} {
		day := inv.due.AddDate(0, 0, days)
		at := time.Date(day.Year(), day.Month(), day.Day(), 6, 0, 0, 0, clock.Amsterdam).UTC()
		if !at.Before(paid) || !w.done(at) {
			return
		}
		w.reminders = append(w.reminders, reminder{invoice: inv, level: level + 1, due: inv.incl - inv.paid, at: at})
	}
}
