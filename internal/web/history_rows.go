package web

import (
	"html/template"

	"wholesale/internal/i18n"
)

// historyRow is a history event as templates/partials/history shows it,
// in the reader's language. The rows are worked out before the template
// runs: in html/template every value and function costs a reflective
// call, and an order page's twenty events of a few changes each were a
// third of its time.
type historyRow struct {
	At      string
	Who     template.HTML
	What    template.HTML
	Subject template.HTML // zero on a page about one thing
	Href    string
	Changes []changeRow
}

// changeRow is a field that changed: old → new, "(empty)" for an empty
// value; New is zero when the field was removed.
type changeRow struct {
	Label  template.HTML
	Old    template.HTML
	New    template.HTML
	HadOld bool
	HasNew bool
}

// historyRows are evs in l's language.
func historyRows(l *i18n.Localizer, evs []historyEvent) []historyRow {
	empty := l.HTML(i18n.M("(empty)"))
	show := func(m i18n.Message) template.HTML {
		if m.IsZero() {
			return empty
		}
		return l.HTML(m)
	}
	out := make([]historyRow, len(evs))
	for i, ev := range evs {
		r := historyRow{At: l.DateTime(ev.At), Who: l.HTML(ev.Who), What: l.HTML(ev.What), Href: ev.Href, Changes: make([]changeRow, len(ev.Changes))}
		if !ev.Subject.IsZero() {
			r.Subject = l.HTML(ev.Subject)
		}
		for j, c := range ev.Changes {
			r.Changes[j] = changeRow{Label: l.HTML(c.Label()), HadOld: c.HadOld, HasNew: c.HasNew}
			if c.HadOld {
				r.Changes[j].Old = show(c.Old)
			}
			if c.HasNew {
				r.Changes[j].New = show(c.New)
			}
		}
		out[i] = r
	}
	return out
}

// history is evs as the page's rows, in its language.
func (p *Page) history(evs []historyEvent, err error) ([]historyRow, error) {
	if err != nil {
		return nil, err
	}
	return historyRows(i18n.For(p.Lang.Or(i18n.Default)), evs), nil
}
