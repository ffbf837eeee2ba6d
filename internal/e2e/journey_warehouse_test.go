package e2e_test

import (
	"testing"

	"wholesale/internal/users"
)

// journeyWarehouseDelivery: the warehouse sees the demo customer's lines
// waiting for the Krups espresso machine and the Moulinex hand mixer,
// books the delivery of supplier order SEB-2026-114 (10 and 12 arrived),
// is told how many units and back-order lines it booked, no longer finds
// SEB-2026-114 among the open supplier orders, and finds those back
// orders served while the line waiting for SEB-2026-120 still waits.
func journeyWarehouseDelivery(t *testing.T, b *browser) {
	a := startApp(t)
	p := b.newTab(t, a)
	p.login(users.RoleWarehouse)

	p.follow("Back orders")
	p.wantHeading("Back orders")
	for sku, waiting := range map[string]string{"KR-XP3440": "4 of 4", "MX-HZ4": "2 of 5", "TF-FR4016": "4 of 4"} {
		if row := p.row("SKU", sku); row[4] != waiting {
			p.errorf("the back order of %s shows %q waiting, want %q", sku, row[4], waiting)
		}
	}

	p.follow("Supplier orders")
	p.wantHeading("Supplier orders and stock")
	card := string(p.mark(`() => [...document.querySelectorAll('section.card')].find(s => s.querySelector('h3').innerText.includes('SEB-2026-114')) || null`))
	p.within(card, func() {
		p.see("Groupe SEB Benelux (SEB-2026-114) — expected 28 Nov 2026 confirmed")
		p.fill("arrived of KR-XP3440", "10")
		p.fill("arrived of MX-HZ4", "12")
		p.press("Book the delivery", 200)
	})
	p.wantFlash("22 units booked; 2 waiting back-order lines served.")
	if h := p.texts("section.card h3"); len(h) != 1 || !containsText(h[0], "SEB-2026-120") {
		p.errorf("the open supplier orders after the delivery are %q, want only SEB-2026-120", h)
	}

	p.follow("Back orders")
	rows := p.rows("SKU")
	if len(rows) != 1 || rows[0][0] != "TF-FR4016" {
		p.errorf("after the delivery the back orders are %q, want only TF-FR4016's", rows)
	}
}
