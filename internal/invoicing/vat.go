package invoicing

import "sort"

// VATOf is the VAT at rate percent over base cents, rounded half away from
// zero to the cent: 0.5 cent goes up on an invoice and down (to more
// negative) on a credit note, so a credit note of a whole invoice is its
// exact opposite.
//
// The rule: VAT is computed per rate over the sum of the invoice's lines
// at that rate (shipping included), not per line, and rounded once.
func VATOf(base int64, rate int) int64 {
	p := base * int64(rate)
	if p >= 0 {
		return (p + 50) / 100
	}
	return -((-p + 50) / 100)
}

// Totals adds up lines into the VAT per rate and the totals of a document:
// with reverse charge or export every rate's VAT is 0. Rates come high to
// low.
func Totals(lines []DocLine, vatMode string) (rates []RateTotal, excl, vat, incl int64) {
	base := map[int]int64{}
	for _, l := range lines {
		base[l.VATRate] += l.AmountCents
		excl += l.AmountCents
	}
	for rate, b := range base {
		rt := RateTotal{Rate: rate, BaseCents: b}
		if vatMode == VATDomestic {
			rt.VATCents = VATOf(b, rate)
		}
		rates = append(rates, rt)
		vat += rt.VATCents
	}
	sort.Slice(rates, func(i, j int) bool { return rates[i].Rate > rates[j].Rate })
	return rates, excl, vat, excl + vat
}
