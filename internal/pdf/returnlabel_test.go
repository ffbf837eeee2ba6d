package pdf

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"wholesale/internal/i18n"
	"wholesale/internal/returns"
)

// The label prints, in the customer's language, the RA number, where the
// parcel goes, by when, from whom and what is in it; the same label gives
// the same bytes.
func TestReturnLabel(t *testing.T) {
	lb := &returns.Label{Lang: i18n.NL, RA: "RA-2026-000123", ArriveBy: time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC),
		To:   []string{"Groothandel BV", "Afdeling retouren", "Havenweg 1", "3011 AA  Rotterdam", "NL"},
		From: []string{"Küchenwelt Müller GmbH", "Hauptstraße 5", "80331  München", "DE"}, Order: 42, PO: "PO-77",
		SKU: "A-1", Name: "Espressomachine", Quantity: 2, Serials: []string{"SN1", "SN2"}, Fault: "Gaat niet aan \U0001F600",
		Created: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)}
	var a, b bytes.Buffer
	if err := WriteReturnLabel(&a, lb); err != nil {
		t.Fatal(err)
	}
	if err := WriteReturnLabel(&b, lb); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("the same label gave different bytes")
	}
	p := pages(t, a.Bytes())
	if len(p) != 1 {
		t.Fatalf("%d pages, want 1", len(p))
	}
	text := strings.Join(strings.Fields(p[0]), " ")
	for _, s := range []string{"RETOUR — RA-NUMMER", "RA-2026-000123", "Uiterlijk binnen op 16 november 2026", "Sturen naar",
		"Groothandel BV", "Afdeling retouren", "Havenweg 1", "3011 AA Rotterdam", "Küchenwelt Müller GmbH", "Order 42, uw referentie PO-77",
		"2 × A-1 Espressomachine", "Serienummers: SN1, SN2", "Defect: Gaat niet aan"} {
		if !strings.Contains(text, s) {
			t.Errorf("the label lacks %q:\n%s", s, p[0])
		}
	}
}
