package e2e_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"wholesale/internal/users"
)

// journeyDutchCustomer: the buyer of Bakkerij Jansen, a Dutch company,
// reads everything in Dutch. The login page, opened by a browser that asks
// for English, switches to Dutch by its link; a wrong password is refused
// in Dutch; the portal, the order and its confirmation are Dutch, with
// Dutch dates and amounts; and the mail that asked the buyer to confirm is
// Dutch too.
func journeyDutchCustomer(t *testing.T, b *browser) {
	a := startApp(t)
	ctx := context.Background()
	l := login(users.RoleCustomer)
	if _, err := a.db.NewRaw("UPDATE users SET language = 'nl' WHERE email = ?", l.Email).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	o := a.demoOrder(t, "BJ-2026-118")

	p := b.newPhone(t, a)
	p.open("/login")
	p.wantHeading("Log in")
	p.follow("Nederlands")
	p.wantHeading("Inloggen")
	if lang := eval[string](p, `() => document.documentElement.lang`); lang != "nl" {
		p.errorf("the Dutch login page says <html lang=%q>", lang)
	}
	p.fill("E-mailadres", l.Email)
	p.fill("Wachtwoord", "not the password")
	p.press("Inloggen", 401)
	p.see("Dit e-mailadres en wachtwoord horen niet bij elkaar.")

	p.fill("E-mailadres", l.Email)
	p.fill("Wachtwoord", l.Password)
	p.press("Inloggen", 200)
	p.follow("Onze orders")
	p.wantHeading("Onze orders")
	row := p.row("PO-referentie", "BJ-2026-118")
	if !containsText(row[2], "wacht op bevestiging") || row[3] != "€ 1.245,03" {
		p.errorf("the order's row shows %q, want it waiting for confirmation at € 1.245,03", row)
	}
	p.follow(fmt.Sprint(o.ID))
	p.wantHeading(fmt.Sprintf("Order %d · PO BJ-2026-118", o.ID))
	p.see("Status: wacht op bevestiging", "Totaal incl. btw € 1.245,03")
	p.screenshot("customer-order-in-dutch")
	p.press(fmt.Sprintf("Order %d bevestigen", o.ID), 200)
	p.wantFlash("Dank u: de order is bevestigd.")
	p.see("Bevestigd", "door de klant in het klantportaal", "Leveren aan", "verwacht 15-12-2026")

	var body string
	if err := a.db.NewRaw("SELECT body FROM outbox WHERE to_address = ? AND subject LIKE ? ORDER BY id LIMIT 1",
		l.Email, fmt.Sprintf("Order %d %%", o.ID)).Scan(ctx, &body); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Wilt u de order bevestigen in het klantportaal", "Wij vragen nooit om uw wachtwoord"} {
		if !strings.Contains(body, want) {
			t.Errorf("the mail asking to confirm order %d is not Dutch: it lacks %q:\n%s", o.ID, want, body)
		}
	}
}
