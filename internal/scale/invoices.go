package scale

import (
	"encoding/json"
	"time"

	"wholesale/internal/invoicing"
)

var creditReasons = []string{"Eén stuk beschadigd aangekomen; in overleg gecrediteerd.", "Te veel gefactureerd: prijsafspraak niet toegepast.",
	"Artikel niet geleverd, wel gefactureerd.", "Coulance: verkeerde kleur geleverd.", "Dubbel gefactureerd."}

// fulfil puts every shipment on its customer's draft invoice of the
// business day it shipped (an order's shipping cost with its first
// shipment), and issues each draft at its day's cutoff, as the
// scheduler does: drafts whose cutoff is still ahead stay drafts.
func (g *gen) fulfil(w *world) {
	sortBy(w.shipments, func(s *shipment) time.Time { return s.at })
	type key struct {
		company *company
		day     time.Time
	}
	drafts := map[key]*invoice{}
	for _, s := range w.shipments {
		g.dispatch(w, s)
		o := s.order
		if o.replacement() {
			continue // never invoiced
		}
		k := key{o.company, w.cal.BusinessDay(s.at)}
		inv := drafts[k]
		if inv == nil || !inv.issued.IsZero() && inv.issued.Before(s.at) {
			inv = &invoice{company: o.company, day: k.day, created: s.at}
			// The scheduler's run after the cutoff issues the day's drafts
			// in the order they were made.
			if cutoff := w.cal.Cutoff(k.day).Add(time.Duration(1+k.day.YearDay()%59) * time.Second); w.done(cutoff) {
				inv.issued = cutoff
			}
			drafts[k] = inv
			w.invoices = append(w.invoices, inv)
		}
		s.invoice = inv
		for i := range s.lines {
			sl := &s.lines[i]
			l := sl.line
			inv.lines = append(inv.lines, invLine{order: o, line: l, ship: s, sku: l.product.sku, desc: l.product.name,
				qty: sl.qty, price: l.price, vat: int32(invoicing.LineRate(o.company.vatMode, int(l.vat)))})
			sl.invLine = len(inv.lines)
		}
		if o.shipments[0] == s && o.shipping > 0 {
			inv.lines = append(inv.lines, invLine{order: o, ship: s, qty: 1, price: o.shipping,
				vat: int32(invoicing.LineRate(o.company.vatMode, invoicing.ShippingVATRate))})
		}
		if s.on.After(inv.supply) {
			inv.supply = s.on
		}
	}
	for _, inv := range w.invoices {
		c := inv.company
		inv.due = inv.day.AddDate(0, 0, c.termDays)
		if c.prepay {
			inv.due = inv.day
		}
		inv.updated = maxTime(inv.created, inv.issued)
		g.totals(inv)
		if c.prepay && !inv.issued.IsZero() {
			inv.prepaid, inv.paid = inv.incl, inv.incl
		}
	}
}

// dispatch gives a shipment its carrier, tracking number, delivery and
// who shipped it.
func (g *gen) dispatch(w *world, s *shipment) {
	s.by = w.warehouse[g.r.IntN(len(w.warehouse))]
	switch s.order.method {
	case "Pallet (freight)", "Collect":
		s.carrier = "own"
	default:
		s.carrier = []string{"UPS", "UPS", "UPS", "DHL", "PostNL"}[g.r.IntN(5)]
		const alnum = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
		b := make([]byte, 16)
		for i := range b {
			b[i] = alnum[g.r.IntN(len(alnum))]
		}
		switch s.carrier {
		case "UPS":
			s.tracking = "1Z" + string(b)
		case "DHL":
			s.tracking = "JD01" + string(b[:14])
		default:
			s.tracking = "3S" + string(b[:13])
		}
	}
	if g.chance(0.75) {
		if d := w.cal.AddWorkingDays(s.on, g.between(1, 2)); !d.After(w.today) {
			s.delivered = d
		}
	}
}

// totals sets an invoice's or credit note's totals from its lines, as
// invoicing computes them.
func (g *gen) totals(inv *invoice) {
	g.doc = docLines(g.doc, inv.lines, nil)
	rates, excl, vat, incl := invoicing.Totals(g.doc, inv.company.vatMode)
	inv.excl, inv.vatCents, inv.incl = excl, vat, incl
	b, _ := json.Marshal(rates) // a slice of plain structs always marshals
	inv.perRate = string(b)
}

// docLines puts in buf the lines as invoicing adds them up: all of them,
// or those of order o.
func docLines(buf []invoicing.DocLine, ls []invLine, o *order) []invoicing.DocLine {
	buf = buf[:0]
	for _, l := range ls {
		if o == nil || l.order == o {
			buf = append(buf, invoicing.DocLine{VATRate: int(l.vat), AmountCents: int64(l.qty) * l.price})
		}
	}
	return buf
}

// creditNote issues at at a credit note of qty of line no (1-based) of
// invoice inv, at most what is left to credit of it; nil when nothing is.
func (g *gen) creditNote(w *world, inv *invoice, no int, qty int32, at time.Time, by *user, reason string) *invoice {
	l := &inv.lines[no-1]
	qty = min(qty, l.qty-l.credited)
	if qty <= 0 || inv.issued.IsZero() || at.Before(inv.issued) {
		return nil
	}
	l.credited += qty
	cn := &invoice{credit: true, company: inv.company, day: w.cal.LocalDay(at), created: at, issued: at, by: by, of: inv,
		supply: inv.supply, reason: reason}
	cn.due, cn.updated = cn.day, at
	cn.lines = []invLine{{order: l.order, line: l.line, credits: no, sku: l.sku, desc: l.desc, qty: -qty, price: l.price, vat: l.vat}}
	g.totals(cn)
	w.invoices = append(w.invoices, cn)
	return cn
}

// corrections credits part of a line of some issued invoices, as finance
// corrects them.
func (g *gen) corrections(w *world) {
	n := len(w.invoices)
	p := max(0.015, 4/float64(max(n, 1))) // a small data set still has a few
	for _, inv := range w.invoices[:n] {
		if inv.credit || inv.issued.IsZero() || !g.chance(p) {
			continue
		}
		no := 1 + g.r.IntN(len(inv.lines))
		at := g.after(w, inv.issued, 24, 24*40)
		if !w.done(at) || inv.lines[no-1].line == nil {
			continue
		}
		g.creditNote(w, inv, no, int32(g.between(1, 2)), at, w.finance[g.r.IntN(len(w.finance))], g.pick(creditReasons))
	}
}
