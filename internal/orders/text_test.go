package orders_test

import (
	"context"
	"testing"

	"wholesale/internal/i18n"
	"wholesale/internal/orders"
)

// Why an order is held, and what its revisions changed, are stored as
// messages and read in the reader's language; what was stored as plain
// text before still reads as it was written.
func TestStoredTextsReadInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 50_000)
	ctx := context.Background()
	held := e.placed(e.input("PO-HELD", line("A", 5))) // € 500 + shipping, incl. VAT: over € 500
	o, err := orders.Get(ctx, e.db, held.ID)
	if err != nil {
		t.Fatal(err)
	}
	nl, en := i18n.For(i18n.NL), i18n.For(i18n.EN)
	if got, want := nl.Text(o.HoldReason.Message), "Openstaand saldo € 0,00 + deze order € 620,13 overschrijdt de kredietlimiet van € 500,00."; got != want {
		t.Errorf("the reason in Dutch: %q, want %q", got, want)
	}
	if want := "Exposure €0.00 + this order €620.13 passes the credit limit €500.00."; o.CreditReason != want || en.Text(o.HoldReason.Message) != want {
		t.Errorf("the reason in English: %q, want %q", o.CreditReason, want)
	}
	revs, err := orders.Revisions(ctx, e.db, held.ID)
	if err != nil || len(revs) != 1 || revs[0].Changes.In(nl) != "aangemaakt" || revs[0].Summary != "created" {
		t.Fatalf("the revision: %v %+v", err, revs)
	}

	// Rows written before texts were messages.
	const oldReason, oldSummary = "Exposure € 0,00 + this order € 620,13 passes the credit limit € 500,00.", "line 1 (A) 4 → 5"
	if _, err := e.db.ExecContext(ctx, "UPDATE orders SET credit_reason = ? WHERE id = ?", oldReason, held.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.ExecContext(ctx, "UPDATE order_revisions SET summary = ? WHERE order_id = ?", oldSummary, held.ID); err != nil {
		t.Fatal(err)
	}
	if o, err = orders.Get(ctx, e.db, held.ID); err != nil {
		t.Fatal(err)
	}
	if nl.Text(o.HoldReason.Message) != oldReason || o.CreditReason != oldReason {
		t.Errorf("an old reason reads %q / %q, want it as stored", nl.Text(o.HoldReason.Message), o.CreditReason)
	}
	if revs, _ = orders.Revisions(ctx, e.db, held.ID); revs[0].Changes.In(nl) != oldSummary || revs[0].Summary != oldSummary {
		t.Errorf("an old summary reads %q / %q, want it as stored", revs[0].Changes.In(nl), revs[0].Summary)
	}
	// An order that is not held has no reason.
	fine := e.placed(e.input("PO-FINE", line("B", 1)))
	if o, _ := orders.Get(ctx, e.db, fine.ID); !o.HoldReason.IsZero() || o.CreditReason != "" {
		t.Errorf("an order not held has the reason %q", o.CreditReason)
	}
}
