package scale

import (
	"sort"
	"time"
)

// number hands out the ids in the order things happened, as the
// sequences would have, and the gapless numbers of invoices, credit
// notes and RAs in the order they were issued.
func (g *gen) number(w *world) {
	for _, c := range w.companies {
		if c.first.IsZero() {
			c.created = w.start.Add(time.Duration(g.r.Int64N(int64(w.now.Sub(w.start) - 24*time.Hour))))
		} else {
			c.created = c.first.Add(-g.hours(24, 24*90))
		}
		c.created = c.created.Truncate(time.Second)
	}
	w.byID = append([]*company(nil), w.companies...)
	sortBy(w.byID, func(c *company) time.Time { return c.created })
	id := int64(len(w.staff))
	for i, c := range w.byID {
		c.id = int64(i + 1)
		for _, u := range c.users {
			id++
			u.id, u.created = id, c.created.Add(g.hours(1, 48))
		}
	}
	sort.SliceStable(w.users, func(i, j int) bool { return w.users[i].id < w.users[j].id })

	first := make(map[*product]time.Time, len(w.products))
	for _, o := range w.orders {
		for i := range o.lines {
			if p := o.lines[i].product; first[p].IsZero() {
				first[p] = o.created
			}
		}
	}
	for _, p := range w.products {
		if t, ok := first[p]; ok {
			p.created = t.Add(-g.hours(24, 24*180))
		} else {
			p.created = w.start.Add(time.Duration(g.r.Int64N(int64(w.now.Sub(w.start)))))
		}
		p.created = p.created.Truncate(time.Second)
	}
	byCreated := append([]*product(nil), w.products...)
	sortBy(byCreated, func(p *product) time.Time { return p.created })
	for i, p := range byCreated {
		p.id = int64(i + 1)
	}

	var lineID, demandID int64
	for i, o := range w.orders {
		o.id = int64(i + 1)
		for k := range o.lines {
			l := &o.lines[k]
			lineID++
			l.id = lineID
			if o.placed.IsZero() {
				continue
			}
			if o.amendedLine == k && !o.amended.IsZero() {
				demandID++
				l.oldDemand = demandID
			}
			demandID++
			l.demand = demandID
		}
	}
	for i, s := range w.shipments {
		s.id = int64(i + 1)
	}
	sortBy(w.invoices, func(inv *invoice) time.Time { return inv.created })
	type series struct {
		credit bool
		year   int
	}
	var issued []*invoice
	for i, inv := range w.invoices {
		inv.id = int64(i + 1)
		if !inv.issued.IsZero() {
			issued = append(issued, inv)
		}
	}
	sortBy(issued, func(inv *invoice) time.Time { return inv.issued })
	last := map[series]int{}
	for _, inv := range issued {
		k := series{inv.credit, inv.day.Year()}
		last[k]++
		inv.year, inv.seq = k.year, last[k]
	}
	for i, p := range w.payments {
		p.id = int64(i + 1)
	}
	for i, a := range w.allocs {
		a.id = int64(i + 1)
	}
	ra := map[int]int{}
	var approved []*ret
	for i, r := range w.returns {
		r.id = int64(i + 1)
		if !r.approved.IsZero() {
			approved = append(approved, r)
		}
	}
	sortBy(approved, func(r *ret) time.Time { return r.approved })
	for _, r := range approved {
		year := w.cal.LocalDay(r.approved).Year()
		ra[year]++
		r.raYear, r.raSeq = year, ra[year]
	}
	for i, c := range w.complaint {
		c.id = int64(i + 1)
	}
}
