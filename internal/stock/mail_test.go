package stock_test

import (
	"context"
	"strings"
	"testing"
)

// TestBackOrdersServedMailIsInTheManagersLanguage books two deliveries
// that serve a waiting back order each: the account manager's mail comes
// in Dutch while the manager reads Dutch, in English once they read
// English.
func TestBackOrdersServedMailIsInTheManagersLanguage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p := e.product("KR-950")
	c := e.company("Bakkerij Jansen")
	lastMail := func() (subject, body string) {
		t.Helper()
		if err := e.db.NewSelect().Table("outbox").Column("subject", "body").Where("to_address = ?", e.am.Email).
			OrderExpr("id DESC").Limit(1).Scan(ctx, &subject, &body); err != nil {
			t.Fatal(err)
		}
		return subject, body
	}
	for _, tc := range []struct{ lang, ref, subject, sentence string }{
		{"nl", "PO-NL", "Naleveringen beleverd", "Er zijn goederen binnengekomen voor naleveringen van je klanten:\n\n- Bakkerij Jansen, PO-NL: 3 × KR-950\n\nZe zijn gereserveerd en klaar voor verzending."},
		{"en", "PO-EN", "Back orders served", "Goods arrived for back orders of your customers:\n\n- Bakkerij Jansen, PO-EN: 3 × KR-950\n\nThey are reserved and ready to ship."},
	} {
		if _, err := e.db.ExecContext(ctx, "UPDATE users SET language = ? WHERE id = ?", tc.lang, e.am.ID); err != nil {
			t.Fatal(err)
		}
		e.demand(p, c, tc.ref, 3)
		o, line := e.supply(p, 3, "2026-12-01", true)
		e.receive(o, line, 3)
		subject, body := lastMail()
		if subject != tc.subject || !strings.Contains(body, tc.sentence) || !strings.Contains(body, "Mila") {
			t.Errorf("%s: mail %q\n%s", tc.lang, subject, body)
		}
	}
}
