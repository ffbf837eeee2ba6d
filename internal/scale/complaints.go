package scale

import (
	"time"

	"wholesale/internal/complaints"
)

// complaint is a complaint and how far it got.
type complaint struct {
	id           int64
	company      *company
	order        *order
	channel      string
	contact      string
	description  string
	state        string
	received     time.Time
	due          complaints.Deadlines
	by           *user
	handler      *user
	investigator *user
	acked        time.Time
	expected     time.Time
	progress     time.Time
	answerBy     time.Time
	outcome      string
	explanation  string
	cn           *invoice
	replaced     *order
	resolved     time.Time
	escalated    time.Time
	boardDue     time.Time
	answered     time.Time
	updated      time.Time
	notes        []note
}

type note struct {
	body string
	by   *user
	at   time.Time
}

var (
	complaintTexts = []string{"De levering kwam twee dagen later dan beloofd; ons evenement liep daardoor vertraging op.",
		"Drie dozen waren nat en de inhoud beschadigd.", "De chauffeur wilde niet tot aan de deur leveren.",
		"Wij kregen de verkeerde uitvoering geleverd.", "De factuur klopt niet met de afgesproken prijs.",
		"Niemand belde terug na ons eerdere verzoek."}
	explanations = []string{"Wij hebben de zaak met de vervoerder onderzocht: de zending is verkeerd gesorteerd. Wij crediteren u het betreffende artikel.",
		"Na onderzoek bleek de verpakking onvoldoende; de werkwijze in het magazijn is aangepast.",
		"Onze excuses: de afspraak was niet doorgegeven aan de planning.",
		"Wij sturen u kosteloos een vervangend exemplaar."}
	noteTexts = []string{"Vervoerder gebeld, track & trace opgevraagd.", "Foto's van de schade ontvangen.",
		"Navraag bij het magazijn gedaan.", "Klant teruggebeld, wacht op reactie."}
)

// complain files a complaint about order o a few days after shipment s.
func (g *gen) complain(w *world, o *order, s *shipment) {
	g.complainAbout(w, o.company, o, s, g.after(w, s.at, 24, 24*30))
}

// complainAbout files a complaint of customer c at t, about order o
// (nil: none) shipped with s, and takes it as far as it got by now.
func (g *gen) complainAbout(w *world, c *company, o *order, s *shipment, t time.Time) {
	if !w.done(t) {
		return
	}
	cp := &complaint{company: c, order: o, received: t, contact: c.contact, description: g.pick(complaintTexts),
		channel: []string{"portal", "phone", "mail"}[g.r.IntN(3)], state: "received", updated: t}
	cp.due = complaints.DeadlinesOf(w.cal.LocalDay(t), w.cal)
	cp.by = c.users[0]
	if cp.channel != "portal" {
		cp.by = w.service[g.r.IntN(len(w.service))]
	}
	w.complaint = append(w.complaint, cp)
	if cp.acked = g.after(w, t, 2, 60); !w.done(cp.acked) {
		cp.acked = time.Time{}
		return
	}
	cp.handler = w.service[g.r.IntN(len(w.service))]
	if g.chance(0.3) {
		cp.handler = c.manager
	}
	cp.state, cp.updated = "acknowledged", cp.acked
	cp.expected = w.cal.LocalDay(cp.acked).AddDate(0, 0, g.between(5, 14))
	for range g.r.IntN(3) {
		if at := g.after(w, cp.acked, 2, 24*10); w.done(at) {
			cp.notes = append(cp.notes, note{body: g.pick(noteTexts), by: cp.handler, at: at})
		}
	}
	sortBy(cp.notes, func(n note) time.Time { return n.at })
	resolved := g.after(w, cp.acked, 24, 24*20)
	if !w.cal.LocalDay(resolved).Before(cp.due.Flag) && g.chance(0.5) {
		cp.investigator = w.service[0]
	}
	if w.cal.LocalDay(resolved).After(cp.due.Resolve) {
		if at := g.officeHours(w, cp.due.Resolve.Add(9*time.Hour)); at.After(cp.acked) && w.done(at) {
			cp.progress = at
			cp.answerBy = w.cal.LocalDay(resolved).AddDate(0, 0, g.between(0, 7))
		}
	}
	if !w.done(resolved) {
		return
	}
	cp.outcome, cp.explanation = g.outcome(w, cp, resolved)
	cp.resolved, cp.state, cp.updated = resolved, "resolved", resolved
	if escalated := g.after(w, resolved, 24, 24*14); g.chance(0.08) && w.done(escalated) {
		cp.escalated, cp.state, cp.updated = escalated, "escalated", escalated
		cp.boardDue = complaints.BoardDeadline(w.cal.LocalDay(escalated), w.cal)
		if answered := g.after(w, escalated, 24, 24*6); w.done(answered) {
			cp.answered, cp.state, cp.updated = answered, "closed", answered
		}
	}
}

// outcome decides how a complaint was resolved at t: a refund credits
// a line of the order's invoice, an exchange sends a replacement.
func (g *gen) outcome(w *world, cp *complaint, t time.Time) (string, string) {
	u := g.r.Float64()
	if cp.order != nil && len(cp.order.shipments) > 0 {
		s := cp.order.shipments[0]
		sl := &s.lines[0]
		switch {
		case u < 0.25 && s.invoice != nil:
			if cn := g.creditNote(w, s.invoice, sl.invLine, 1, t, cp.handler, ""); cn != nil {
				cp.cn, cn.forComplaint = cn, cp
				return complaints.OutcomeRefund, explanations[0]
			}
		case u < 0.4:
			cp.replaced = g.replacement(w, cp.company, sl.line.product, 1, t)
			cp.replaced.replacesComplaint = cp
			g.live(w, cp.replaced)
			return complaints.OutcomeExchange, explanations[3]
		}
	}
	switch {
	case u < 0.5:
		return complaints.OutcomeRepair, explanations[1]
	case u < 0.9:
		return complaints.OutcomeApology, explanations[2]
	}
	return complaints.OutcomeNone, explanations[1]
}
