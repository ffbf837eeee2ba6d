package e2e_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"wholesale/internal/users"
)

// journeyAdminAuditAndMail: an admin looks up who did what to order
// BJ-2026-119 in the audit trail (entered, placed, confirmed in writing by
// the account manager), then what the customer's buyer did, and reads the
// mail that asked the buyer to confirm order BJ-2026-118, with its link
// into the portal.
func journeyAdminAuditAndMail(t *testing.T, b *browser) {
	a := startApp(t)
	confirmed, awaiting := a.demoOrder(t, "BJ-2026-119"), a.demoOrder(t, "BJ-2026-118")
	p := b.newTab(t, a)
	p.login(users.RoleAdmin)

	p.follow("Audit trail")
	p.wantHeading("Audit trail")
	p.choose("Entity", "order")
	p.fill("Id", fmt.Sprint(confirmed.ID))
	p.press("Filter", 200)
	var actions []string
	about := fmt.Sprintf("order %d: ", confirmed.ID)
	for _, r := range p.rows("What changed") {
		if r[1] != "am@wholesale.test" || !strings.HasPrefix(r[2], about) {
			p.errorf("the filtered audit trail shows %q", r)
		}
		actions = append(actions, strings.TrimPrefix(r[2], about))
	}
	if !slices.Equal(actions, []string{"confirmed", "placed", "created"}) {
		p.errorf("the audit trail of order %d shows the actions %q, want confirmed, placed, created (newest first)", confirmed.ID, actions)
	}
	p.see("mail of Joris Jansen")

	p.choose("Entity", "all")
	p.fill("Id", "")
	p.choose("User", "buyer@bakkerij-jansen.test")
	p.press("Filter", 200)
	rows := p.rows("What changed")
	if len(rows) == 0 {
		p.errorf("the audit trail shows nothing the buyer did")
	}
	for _, r := range rows {
		if r[1] != "buyer@bakkerij-jansen.test" {
			p.errorf("filtered on the buyer, the audit trail shows %q", r)
		}
	}

	p.follow("Mail")
	p.wantHeading("Mail outbox")
	subject := fmt.Sprintf("Order %d (PO BJ-2026-118)", awaiting.ID)
	if r := p.row("Subject", subject); r[2] != "buyer@bakkerij-jansen.test" || r[4] != "waiting" {
		p.errorf("the mail's row is %q, want it to the buyer, waiting to be sent", r)
	}
	p.follow(subject)
	p.wantHeading(subject)
	p.see("To buyer@bakkerij-jansen.test")
	p.within("pre.mail", func() {
		// Bakkerij Jansen is a Dutch company: its mail is Dutch, whoever reads the outbox.
		p.see("KR-EA8108", fmt.Sprintf("Wilt u de order bevestigen in het klantportaal (%s/portal/orders/%d)", a.base, awaiting.ID))
	})
}
