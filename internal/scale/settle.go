package scale

import (
	"slices"
	"time"

	"wholesale/internal/invoicing"
	"wholesale/internal/orders"
)

// settle works out what follows from everything that happened: each
// order's invoiced part, ship and invoice state and status (by the
// orders area's own rules), the stock and its reservations, the supplier
// orders, and credit limits that fit each customer's trade.
func (g *gen) settle(w *world) {
	for _, o := range w.orders {
		o.invState = orders.InvoiceNone
	}
	var on []*order // the orders on an invoice
	for _, inv := range w.invoices {
		if inv.credit {
			continue
		}
		on = on[:0]
		for _, l := range inv.lines {
			if !slices.Contains(on, l.order) {
				on = append(on, l.order)
			}
		}
		for _, o := range on {
			if inv.issued.IsZero() {
				o.invState = orders.InvoiceDraft
				continue
			}
			if o.invState == orders.InvoiceNone {
				o.invState = orders.InvoiceIssued
			}
			g.doc = docLines(g.doc, inv.lines, o)
			_, _, _, incl := invoicing.Totals(g.doc, o.company.vatMode)
			o.invoiced += incl
			if o.firstInv.IsZero() {
				o.firstInv = inv.issued
			}
		}
	}
	for _, o := range w.orders {
		g.derive(w, o)
	}
	waiting := g.stock(w)
	g.supply(w, waiting)
	g.limits(w)
}

// orderTotals sets the order's excl, VAT and incl, as orders computes them.
func (g *gen) orderTotals(o *order) {
	g.buf = appLines(g.buf, o, time.Time{})
	t := orders.ComputeTotals(g.buf, o.shipping, o.company.vatMode)
	o.totals = [3]int64{t.ExclCents, t.VATCents, t.InclCents}
}

// appLines puts in buf the order's lines as the orders area has them:
// those cancelled after at count as live (zero at: as they are now).
func appLines(buf []orders.Line, o *order, at time.Time) []orders.Line {
	buf = buf[:0]
	for _, l := range o.lines {
		buf = append(buf, orders.Line{Quantity: int(l.qty), UnitPriceCents: l.price, VATRate: int(l.vat), Shipped: int(l.shipped),
			Cancelled: !l.cancelled.IsZero() && (at.IsZero() || !l.cancelled.After(at))})
	}
	return buf
}

// derive sets the order's states and status.
func (g *gen) derive(w *world, o *order) {
	g.buf = appLines(g.buf, o, time.Time{})
	o.shipState = orders.ShipStateOf(g.buf)
	if !o.confirmedAt.IsZero() {
		o.confirmed = o.totals[2]
		for _, l := range o.lines {
			if l.cancelled.After(o.confirmedAt) { // the total it was confirmed at was higher
				g.buf = appLines(g.buf, o, o.confirmedAt)
				o.confirmed = orders.ComputeTotals(g.buf, o.shipping, o.company.vatMode).InclCents
				break
			}
		}
	}
	a := o.app()
	a.ShipState, a.InvoiceState = o.shipState, o.invState
	o.status = string(orders.DeriveStatus(a))
	o.revisions = 1
	o.updated = o.created
	for _, t := range []time.Time{o.placed, o.decided, o.confirmedAt, o.paidAt, o.cancelled, o.amended, o.firstInv} {
		o.updated = maxTime(o.updated, t)
	}
	if !o.amended.IsZero() {
		o.revisions++
	}
	for _, l := range o.lines {
		if !l.cancelled.IsZero() {
			o.revisions++
			o.updated = maxTime(o.updated, l.cancelled)
		}
	}
	for _, s := range o.shipments {
		o.updated = maxTime(o.updated, s.at)
	}
}

// app is the order as the orders area's rules read it.
func (o *order) app() *orders.Order {
	a := &orders.Order{State: o.state(), CreditHold: o.hold(), Prepayment: o.company.prepay, PaidCents: o.paid,
		TotalInclCents: o.totals[2], ShipState: orders.ShipNone, InvoiceState: orders.InvoiceNone}
	if !o.confirmedAt.IsZero() {
		a.ConfirmedAt, a.ConfirmedTotalCents = &o.confirmedAt, &o.confirmed
	}
	return a
}

func (o *order) state() string {
	switch {
	case o.placed.IsZero():
		return orders.StateDraft
	case !o.cancelled.IsZero():
		return orders.StateCancelled
	}
	return orders.StatePlaced
}

func (o *order) hold() string {
	switch {
	case o.heldAt.IsZero():
		return orders.HoldNone
	case o.decided.IsZero():
		return orders.HoldHeld
	case o.rejected:
		return orders.HoldRejected
	}
	return orders.HoldApproved
}

// reservedNow is what is reserved for a line now, shipped included.
func (o *order) reservedNow(l *line) int32 {
	if o.state() != orders.StatePlaced || !l.cancelled.IsZero() {
		return 0
	}
	if l.waiting() {
		return l.reserved
	}
	return l.qty
}

// warehouse is where a line's reservation is: one in ten in the remote one.
func (l *line) warehouse() int { return int(l.id%10) / 9 }

// stock sets each product's reservations from its open lines, and
// returns what waits of each product. A product of which something waits
// has nothing free: goods that come go to the waiting lines first.
func (g *gen) stock(w *world) map[*product]int32 {
	waiting := map[*product]int32{}
	for _, o := range w.orders {
		for i := range o.lines {
			l := &o.lines[i]
			r := o.reservedNow(l)
			if r > l.shipped {
				l.product.reserved[l.warehouse()] += r - l.shipped
			}
			if o.state() == orders.StatePlaced && l.cancelled.IsZero() && r < l.qty {
				waiting[l.product] += l.qty - r
			}
		}
	}
	for p := range waiting {
		p.onHand = [2]int32{}
	}
	return waiting
}

// limits gives each credit customer a limit of three months of its
// trade of the past year, and at least half as much again as it owes
// now, in whole thousands of euros.
func (g *gen) limits(w *world) {
	yearAgo := w.now.AddDate(-1, 0, 0)
	trade := map[*company]int64{}
	owes := map[*company]int64{}
	for _, o := range w.orders {
		if o.state() != orders.StatePlaced {
			continue
		}
		if o.placed.After(yearAgo) {
			trade[o.company] += o.totals[2]
		}
		if o.status != string(orders.StatusInvoiced) && o.hold() != orders.HoldHeld {
			owes[o.company] += max(o.totals[2]-o.invoiced, 0)
		}
	}
	for _, inv := range w.invoices {
		if !inv.issued.IsZero() {
			owes[inv.company] += inv.incl - inv.paid
		}
	}
	for _, p := range w.payments {
		owes[p.company] -= p.unallocated
	}
	for _, c := range w.companies {
		if c.prepay {
			continue
		}
		limit := max(trade[c]/4, owes[c]*3/2, 500_000)
		c.limit = min((limit+99_999)/100_000*100_000, 900_000_000)
	}
}
