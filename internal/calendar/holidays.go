package calendar

import (
	"sort"
	"sync"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/nl"

	"wholesale/internal/i18n"
)

// Holiday is a public holiday on which a deadline does not end.
type Holiday struct {
	// Day is the calendar day, at midnight UTC.
	Day time.Time
	// Name is its Dutch name, as the law names it ("Koningsdag").
	Name string
}

// holidays are the days the Algemene termijnenwet (art. 3) counts as
// public holidays, from rickar/cal's Dutch list. Its Good Friday (Goede
// Vrijdag) is left out: the law does not name it, so a deadline may end on
// it and the company works. Koningsdag moves to 26 April when the 27th is a
// Sunday (rickar's observed day); Bevrijdingsdag is every year, as rickar
// has it (the law names 5 May without the five-yearly condition of some
// collective agreements).
var holidays = []*cal.Holiday{
	nl.Nieuwjaar,
	nl.TweedePaasdag,
	nl.Hemelvaart,
	nl.TweedePinksterDag,
	nl.Koningsdag,
	nl.BevrijdingsDag,
	nl.EersteKerstdag,
	nl.TweedeKerstdag,
}

// yearCache keeps each year's holidays by day once computed.
var yearCache sync.Map // int → map[time.Time]string

// Holidays lists the public holidays of year, in date order.
func Holidays(year int) []Holiday {
	byDay := holidaysOf(year)
	out := make([]Holiday, 0, len(byDay))
	for d, name := range byDay {
		out = append(out, Holiday{Day: d, Name: name})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Day.Before(out[j].Day) })
	return out
}

// holidaysOf is the holidays of year by day.
func holidaysOf(year int) map[time.Time]string {
	if m, ok := yearCache.Load(year); ok {
		return m.(map[time.Time]string)
	}
	m := make(map[time.Time]string, len(holidays))
	for _, h := range holidays {
		_, observed := h.Calc(year)
		if observed.IsZero() {
			continue
		}
		m[Day(observed)] = h.Name
	}
	yearCache.Store(year, m)
	return m
}

// labels name the holidays for people, by their Dutch name.
var labels = map[string]i18n.Message{
	"Nieuwjaarsdag": i18n.M("New Year's Day"), "Tweede Paasdag": i18n.M("Easter Monday"), "Hemelvaartsdag": i18n.M("Ascension Day"),
	"Tweede Pinksterdag": i18n.M("Whit Monday"), "Koningsdag": i18n.M("King's Day"), "Bevrijdingsdag": i18n.M("Liberation Day"),
	"Eerste Kerstdag": i18n.M("Christmas Day"), "Tweede Kerstdag": i18n.M("Boxing Day"),
}

// Label is the holiday's name in the reader's language.
func (h Holiday) Label() i18n.Message {
	if m, ok := labels[h.Name]; ok {
		return m
	}
	return i18n.Raw(h.Name)
}

// HolidayName is the name of the public holiday on day, "" when day is
// none.
func HolidayName(day time.Time) string {
	day = Day(day)
	return holidaysOf(day.Year())[day]
}
