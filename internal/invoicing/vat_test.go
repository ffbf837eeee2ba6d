package invoicing

import "testing"

func TestVATRoundsHalfAwayFromZero(t *testing.T) {
	for _, c := range []struct {
		base int64
		rate int
		want int64
	}{
		{1000, 21, 210},
		{250, 21, 53},   // 52.5 → 53
		{-250, 21, -53}, // −52.5 → −53
		{50, 9, 5},      // 4.5 → 5
		{-50, 9, -5},
		{49, 9, 4}, // 4.41
		{0, 21, 0},
		{12345, 0, 0},
	} {
		if got := VATOf(c.base, c.rate); got != c.want {
			t.Errorf("VATOf(%d, %d) = %d, want %d", c.base, c.rate, got, c.want)
		}
	}
}

func TestTotalsPerRateNotPerLine(t *testing.T) {
	// Three lines of 0.50 at 21 %: per line 0.105 → 0.11 each = 0.33; per
	// rate 1.50 × 21 % = 0.315 → 0.32.
	lines := []DocLine{{AmountCents: 50, VATRate: 21}, {AmountCents: 50, VATRate: 21}, {AmountCents: 50, VATRate: 21}, {AmountCents: 1000, VATRate: 9}}
	rates, excl, vat, incl := Totals(lines, VATDomestic)
	if len(rates) != 2 || rates[0].Rate != 21 || rates[0].BaseCents != 150 || rates[0].VATCents != 32 || rates[1].VATCents != 90 {
		t.Fatalf("rates %+v", rates)
	}
	if excl != 1150 || vat != 122 || incl != 1272 {
		t.Fatalf("totals %d %d %d", excl, vat, incl)
	}
	_, _, vat, incl = Totals(lines, VATReverseCharge)
	if vat != 0 || incl != 1150 {
		t.Fatalf("reverse charge: vat %d incl %d", vat, incl)
	}
}
