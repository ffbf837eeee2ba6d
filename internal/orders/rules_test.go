package orders_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"wholesale/internal/apperr"
	"wholesale/internal/i18n"
	"wholesale/internal/money"
	"wholesale/internal/orders"
	"wholesale/internal/postgres"
)

// counts returns how many rows the tables hold.
func (e *env) counts(tables ...string) map[string]int {
	e.t.Helper()
	out := map[string]int{}
	for _, table := range tables {
		n, err := e.db.NewSelect().Table(table).Count(context.Background())
		if err != nil {
			e.t.Fatal(err)
		}
		out[table] = int(n)
	}
	return out
}

var written = []string{"orders", "order_lines", "order_revisions", "demands", "outbox", "audit_log"}

// A new order's lines are new: a line that carries an id is refused at its
// field, and nothing is written (it was once placed with no lines and € 0,
// and mailed).
func TestNewOrderLinesCarryNoIDs(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 1_000_000)
	ctx := context.Background()
	before := e.counts(written...)
	in := e.input("PO-ID", orders.LineInput{ID: 7, SKU: "A", Quantity: 1})
	for _, place := range []bool{false, true} {
		create := e.svc.Create
		if place {
			create = e.svc.CreateAndPlace
		}
		_, err := create(ctx, e.am, in)
		ae, _ := apperr.As(err)
		if ae == nil || ae.Kind != apperr.Invalid || !strings.Contains(ae.Fields["line_0"].String(), "no id") || ae.Fields["lines"].IsZero() {
			t.Fatalf("place %v: %v", place, err)
		}
	}
	if after := e.counts(written...); after["orders"] != before["orders"] || after["outbox"] != before["outbox"] || after["audit_log"] != before["audit_log"] {
		t.Fatalf("written: %v → %v", before, after)
	}
}

// An order is never placed without a line: the domain refuses it, and the
// database refuses it at commit whatever the code does.
func TestAnOrderIsNeverPlacedWithoutALine(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 1_000_000)
	ctx := context.Background()
	draft, err := e.svc.Create(ctx, e.am, e.input("PO-EMPTY", line("A", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.ExecContext(ctx, "UPDATE order_lines SET cancelled = true WHERE order_id = ?", draft.ID); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Place(ctx, e.am, draft.ID)
	if ae, _ := apperr.As(err); ae == nil || ae.Kind != apperr.Invalid || ae.Fields["lines"].IsZero() {
		t.Fatalf("placing a draft without lines: %v", err)
	}
	if g, _ := orders.Get(ctx, e.db, draft.ID); g.State != orders.StateDraft {
		t.Fatalf("placed without lines: %s", g.State)
	}
	// The backstop: whatever writes it, a placed order without a live line
	// does not commit.
	for name, sql := range map[string]string{
		"placed without lines":   "UPDATE orders SET state = 'placed' WHERE id = ?",
		"last line cancelled":    "UPDATE order_lines SET cancelled = true WHERE order_id = (SELECT id FROM orders WHERE id <> ? AND state = 'placed' LIMIT 1)",
		"last line deleted away": "DELETE FROM order_lines WHERE order_id = (SELECT id FROM orders WHERE id <> ? AND state = 'placed' LIMIT 1)",
	} {
		if name != "placed without lines" {
			e.placed(e.input("PO-"+strings.ReplaceAll(name, " ", "-"), line("B", 1)))
		}
		err := postgres.Run(ctx, e.db, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
			_, err := tx.ExecContext(ctx, sql, draft.ID)
			return err
		})
		if postgres.Code(err) != postgres.CodeCheckViolation || postgres.Constraint(err) != "orders_placed_have_lines" {
			t.Fatalf("%s: %v", name, err)
		}
	}
}

// Held orders do not count in the exposure until sales approve them: one
// held order does not hold every later one. Approved, it counts.
func TestHeldOrdersCountOnceApproved(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 50_000) // € 500
	ctx := context.Background()
	big := e.placed(e.input("PO-BIG", line("A", 5))) // € 605 + shipping
	if big.CreditHold != orders.HoldHeld {
		t.Fatalf("over the limit alone: %s", big.CreditHold)
	}
	small := e.placed(e.input("PO-SMALL", line("B", 1))) // € 10,90 + € 15,13 shipping
	if small.CreditHold != orders.HoldNone {
		t.Fatalf("a small order behind a held one: %s (%s)", small.CreditHold, small.CreditReason)
	}
	view, err := e.svc.CreditIfApproved(ctx, e.sales, big)
	if err != nil {
		t.Fatal(err)
	}
	if view.Now.ExposureCents() != small.TotalInclCents || view.ExposureCents != small.TotalInclCents+big.TotalInclCents ||
		view.AvailableCents != 50_000-small.TotalInclCents-big.TotalInclCents {
		t.Fatalf("position for the decision: %+v (small %d, big %d)", view, small.TotalInclCents, big.TotalInclCents)
	}
	if _, err := e.svc.ApproveCredit(ctx, e.sales, big.ID, "known customer", 0); err != nil {
		t.Fatal(err)
	}
	next := e.placed(e.input("PO-NEXT", line("B", 1)))
	if next.CreditHold != orders.HoldHeld {
		t.Fatalf("after the approval the big order counts: %s", next.CreditHold)
	}
}

// A customer sees its orders from placed on: the account manager's draft
// is not in its list, cannot be opened and cannot be confirmed.
func TestCustomersSeeOrdersFromPlacedOn(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 1_000_000)
	ctx := context.Background()
	draft, err := e.svc.Create(ctx, e.am, e.input("PO-DRAFT", line("A", 1)))
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Get(ctx, e.buyer, draft.ID)
	kind(t, err, apperr.NotFound)
	kind(t, errOf(e.svc.ConfirmInPortal(ctx, e.buyer, draft.ID, 0)), apperr.NotFound)
	list, _, err := e.svc.List(ctx, e.buyer, orders.Filter{})
	if err != nil || len(list) != 0 {
		t.Fatalf("the customer's list: %d orders, %v", len(list), err)
	}
	if _, err := e.svc.Get(ctx, e.am, draft.ID); err != nil {
		t.Fatalf("the account manager's draft: %v", err)
	}
	if _, err := e.svc.Place(ctx, e.am, draft.ID); err != nil {
		t.Fatal(err)
	}
	if o, err := e.svc.Get(ctx, e.buyer, draft.ID); err != nil || o.State != orders.StatePlaced {
		t.Fatalf("placed: %v", err)
	}
	if list, _, _ := e.svc.List(ctx, e.buyer, orders.Filter{}); len(list) != 1 || list[0].ID != draft.ID {
		t.Fatalf("the customer's list after placing: %+v", list)
	}
	_, err = e.svc.Get(ctx, e.otherBuyer, draft.ID)
	kind(t, err, apperr.NotFound)
}

// An amendment that raises a confirmed order's total clears the
// confirmation and mails the customer the new revision to confirm again;
// one that lowers it keeps the confirmation and mails nothing.
func TestRaisingAConfirmedOrderAsksTheCustomerAgain(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 1_000_000)
	ctx := context.Background()
	o := e.placed(e.input("PO-R", line("A", 2), line("B", 2)))
	if _, err := e.svc.ConfirmInPortal(ctx, e.buyer, o.ID, 0); err != nil {
		t.Fatal(err)
	}
	mails := func() []string {
		var subjects []string
		e.db.NewSelect().Table("outbox").Column("subject").Where("to_address = 'joris@jansen.test'").OrderExpr("id").Scan(ctx, &subjects)
		return subjects
	}
	if n := len(mails()); n != 1 {
		t.Fatalf("%d mails after placing", n)
	}
	lowered, err := e.svc.Amend(ctx, e.am, o.ID, orders.AmendInput{Lines: []orders.LineInput{{ID: o.Lines[1].ID, Quantity: 1}}})
	if err != nil || !lowered.Confirmed() || len(mails()) != 1 {
		t.Fatalf("lowered: %v, confirmed %v, %d mails", err, lowered.Confirmed(), len(mails()))
	}
	raised, err := e.svc.Amend(ctx, e.am, o.ID, orders.AmendInput{Lines: []orders.LineInput{{ID: o.Lines[0].ID, Quantity: 3}}})
	if err != nil || raised.Confirmed() || raised.Status != orders.StatusAwaitingConfirmation {
		t.Fatalf("raised: %v %s", err, raised.Status)
	}
	subjects := mails()
	// Jansen reads its mail in Dutch.
	if len(subjects) != 2 || !strings.Contains(subjects[1], "revisie 3, graag uw bevestiging") {
		t.Fatalf("mails: %q", subjects)
	}
	var body string
	e.db.NewSelect().Table("outbox").Column("body").Where("to_address = 'joris@jansen.test'").OrderExpr("id DESC").Limit(1).Scan(ctx, &body)
	for _, want := range []string{"revisie 3", "3 × A Kettle", "Totaal incl. btw: " + inMail(moneyOf(raised.TotalInclCents)), "opnieuw uw bevestiging", "/portal/orders/"} {
		if !strings.Contains(body, want) {
			t.Fatalf("the mail lacks %q:\n%s", want, body)
		}
	}
}

// An amendment changes what it names and nothing else; quantity 0 removes
// a line while the others stay; an amendment that would leave no line is
// refused, and the order is as it was.
func TestAmendChangesOnlyWhatItNames(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 1_000_000)
	ctx := context.Background()
	in := e.input("PO-P", line("A", 1), line("B", 2))
	in.Note, in.ShipComplete, in.ShippingMethod = "ring at the back", true, "UPS Express"
	o := e.placed(in)
	o2, err := e.svc.Amend(ctx, e.am, o.ID, orders.AmendInput{Lines: []orders.LineInput{{ID: o.Lines[1].ID, Quantity: 0}}})
	if err != nil {
		t.Fatal(err)
	}
	if o2.Note != "ring at the back" || !o2.ShipComplete || o2.ShippingMethod != "UPS Express" || o2.ShippingCents != 1250 {
		t.Fatalf("fields not sent changed: %+v", o2)
	}
	if o2.Lines[0].Cancelled || !o2.Lines[1].Cancelled {
		t.Fatalf("lines: %+v", o2.Lines)
	}
	o3, err := e.svc.Amend(ctx, e.am, o.ID, orders.AmendInput{Note: ptr("")})
	if err != nil || o3.Note != "" || o3.ShippingCents != 1250 || o3.Lines[0].Quantity != 1 {
		t.Fatalf("note only: %v %+v", err, o3)
	}
	_, err = e.svc.Amend(ctx, e.am, o.ID, orders.AmendInput{Lines: []orders.LineInput{{ID: o.Lines[0].ID, Quantity: 0}}, Note: ptr("x")})
	if ae, _ := apperr.As(err); ae == nil || !strings.Contains(ae.Fields["lines"].String(), "cancel the order instead") {
		t.Fatalf("leaving no line: %v", err)
	}
	if g, _ := orders.Get(ctx, e.db, o.ID); g.Revision != o3.Revision || g.Note != "" || g.Lines[0].Cancelled {
		t.Fatalf("a refused amendment wrote: %+v", g)
	}
}

// Every field of an order's input is bounded, at its field, and a refused
// input writes nothing.
func TestOrderInputBounds(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 1_000_000)
	ctx := context.Background()
	ok := func() orders.Input { return e.input("PO-OK", line("A", 1)) }
	many := make([]orders.LineInput, orders.MaxLines+1)
	for i := range many {
		many[i] = line("B", 1)
	}
	cases := []struct {
		name, field string
		edit        func(*orders.Input)
	}{
		{"PO of 36 characters", "po_reference", func(in *orders.Input) { in.POReference = strings.Repeat("P", 36) }},
		{"PO with NUL", "po_reference", func(in *orders.Input) { in.POReference = "PO\x001" }},
		{"PO with a newline", "po_reference", func(in *orders.Input) { in.POReference = "PO\n1" }},
		{"PO not UTF-8", "po_reference", func(in *orders.Input) { in.POReference = "PO\xff" }},
		{"note of 2001 characters", "note", func(in *orders.Input) { in.Note = strings.Repeat("n", 2001) }},
		{"note of 10 MB", "note", func(in *orders.Input) { in.Note = strings.Repeat("n", 10<<20) }},
		{"note with a control character", "note", func(in *orders.Input) { in.Note = "bell\x07" }},
		{"quantity 0", "line_0", func(in *orders.Input) { in.Lines[0].Quantity = 0; in.Lines[0].SKU = "A" }},
		{"quantity over a million", "line_0", func(in *orders.Input) { in.Lines[0].Quantity = 1_000_001 }},
		{"quantity 2^31", "line_0", func(in *orders.Input) { in.Lines[0].Quantity = 1 << 31 }},
		{"quantity 2^63-1", "line_0", func(in *orders.Input) { in.Lines[0].Quantity = 1<<63 - 1 }},
		{"negative quantity", "line_0", func(in *orders.Input) { in.Lines[0].Quantity = -3 }},
		{"typed quantity 2147483648", "line_0", func(in *orders.Input) { in.Lines[0].QuantityText = "2147483648" }},
		{"over the product's maximum", "line_0", func(in *orders.Input) { in.Lines[0] = line("C", 4) }},
		{"SKU with NUL", "line_0", func(in *orders.Input) { in.Lines[0].SKU = "A\x00" }},
		{"too many lines", "lines", func(in *orders.Input) { in.Lines = many }},
		{"ambiguous shipping", "shipping", func(in *orders.Input) { in.Shipping = "12.50,0" }},
		{"shipping over the maximum", "shipping", func(in *orders.Input) { in.Shipping = "99999999999" }},
		{"negative shipping", "shipping", func(in *orders.Input) { in.Shipping = "-5" }},
		{"unknown method", "shipping_method", func(in *orders.Input) { in.ShippingMethod = "Drone" }},
		{"unknown address", "address", func(in *orders.Input) { in.Address = "moon" }},
		{"no customer", "company_id", func(in *orders.Input) { in.CompanyID = -1 }},
	}
	before := e.counts(written...)
	for _, c := range cases {
		in := ok()
		c.edit(&in)
		_, err := e.svc.CreateAndPlace(ctx, e.am, in)
		ae, _ := apperr.As(err)
		if ae == nil || ae.Kind != apperr.Invalid || ae.Fields[c.field].IsZero() {
			t.Errorf("%s: %v, want a message at %s", c.name, err, c.field)
		}
	}
	if after := e.counts(written...); after["orders"] != before["orders"] || after["audit_log"] != before["audit_log"] || after["outbox"] != before["outbox"] {
		t.Fatalf("refused input wrote: %v → %v", before, after)
	}
	if _, err := e.svc.CreateAndPlace(ctx, e.am, ok()); err != nil {
		t.Fatalf("the good input: %v", err)
	}
}

// Place (a draft) and CreateAndPlace are one way of placing: for a credit
// customer under and over the limit, and a prepayment customer, they give
// the same status, hold, reservations, mail and audit actions.
func TestPlacingADraftIsPlacingANewOrder(t *testing.T) {
	t.Parallel()
	type result struct {
		status      orders.Status
		hold        string
		reserved    int
		mailSubject string
		actions     string
	}
	run := func(t *testing.T, viaDraft bool, company func(*env) int64, qty int) result {
		e := newEnv(t, 50_000)
		ctx := context.Background()
		in := e.input("PO-1", line("A", qty))
		in.CompanyID = company(e)
		var o *orders.Order
		var err error
		if viaDraft {
			if o, err = e.svc.Create(ctx, e.am, in); err == nil {
				o, err = e.svc.Place(ctx, e.am, o.ID)
			}
		} else {
			o, err = e.svc.CreateAndPlace(ctx, e.am, in)
		}
		if err != nil {
			t.Fatal(err)
		}
		g, _ := orders.Get(ctx, e.db, o.ID)
		r := result{status: g.Status, hold: g.CreditHold, reserved: *g.Lines[0].Reserved}
		if g.Status != o.Status || *o.Lines[0].Reserved != r.reserved {
			t.Fatalf("the answer differs from what was written: %s/%s", o.Status, g.Status)
		}
		e.db.NewSelect().Table("outbox").Column("subject").Where("subject LIKE '%PO-1%'").Scan(ctx, &r.mailSubject)
		var actions []string
		e.db.NewSelect().Table("audit_log").Column("action").Where("entity = 'order'").OrderExpr("id").Scan(ctx, &actions)
		r.actions = strings.Join(actions, ",")
		r.mailSubject = strings.TrimSpace(strings.SplitN(r.mailSubject, "(", 2)[1])
		return r
	}
	credit := func(e *env) int64 { return e.company.ID }
	prepay := func(e *env) int64 { return e.prepay.ID }
	for _, c := range []struct {
		name    string
		company func(*env) int64
		qty     int
		want    orders.Status
	}{{"credit, under the limit", credit, 2, orders.StatusAwaitingConfirmation}, {"credit, over the limit", credit, 5, orders.StatusAwaitingCredit},
		{"prepayment", prepay, 1, orders.StatusAwaitingPayment}} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			direct, viaDraft := run(t, false, c.company, c.qty), run(t, true, c.company, c.qty)
			if direct.status != c.want || direct.actions != "create,place" {
				t.Fatalf("placed directly: %+v", direct)
			}
			if viaDraft != direct {
				t.Fatalf("placed from a draft %+v, directly %+v", viaDraft, direct)
			}
		})
	}
}

// Only a missing row is NotFound: any other failure of a query (a lost
// connection, a broken schema) is an internal error, never "Order not
// found".
func TestOnlyAMissingRowIsNotFound(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 1_000_000)
	ctx := context.Background()
	o := e.placed(e.input("PO-1", line("A", 1)))
	_, err := e.svc.Get(ctx, e.am, o.ID+1000)
	kind(t, err, apperr.NotFound)
	_, err = e.svc.Cancel(ctx, e.am, o.ID+1000, "gone")
	kind(t, err, apperr.NotFound)
	// A column the queries need is gone: every query fails, and none of
	// them for want of a row.
	if _, err := e.db.ExecContext(ctx, "ALTER TABLE orders RENAME COLUMN company_id TO company_gone"); err != nil {
		t.Fatal(err)
	}
	for name, err := range map[string]error{
		"Get":    errOf(e.svc.Get(ctx, e.am, o.ID)),
		"Cancel": errOf(e.svc.Cancel(ctx, e.am, o.ID, "x")),
		"Place":  errOf(e.svc.Place(ctx, e.am, o.ID)),
		"Amend":  errOf(e.svc.Amend(ctx, e.am, o.ID, orders.AmendInput{Note: ptr("x")})),
		"Enter":  errOf(e.svc.CreateAndPlace(ctx, e.am, e.input("PO-2", line("A", 1)))),
		"Portal": errOf(e.svc.ConfirmInPortal(ctx, e.buyer, o.ID, 0)),
	} {
		if err == nil || apperr.KindOf(err) != apperr.Internal || errors.Is(err, context.Canceled) {
			t.Errorf("%s without its column: %v (%v), want an internal error", name, apperr.KindOf(err), err)
		}
	}
}

func moneyOf(c int64) string { return money.Format(c) }

// inMail is s as a mail writes it: the euro sign of an amount with a
// no-break space.
func inMail(s string) string { return strings.ReplaceAll(s, "€ ", "€\u00a0") }

// A confirmation or a credit decision is given for the revision that was
// shown: an amendment made meanwhile makes it refused, never applied to
// what the customer or sales did not see.
func TestDecisionsAreForTheRevisionSeen(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 50_000) // € 500
	ctx := context.Background()
	o := e.placed(e.input("PO-SEEN", line("B", 2)))
	seen := o.Revision
	if _, err := e.svc.Amend(ctx, e.am, o.ID, orders.AmendInput{Lines: []orders.LineInput{{ID: o.Lines[0].ID, Quantity: 20}}}); err != nil {
		t.Fatal(err)
	}
	kind(t, errOf(e.svc.ConfirmInPortal(ctx, e.buyer, o.ID, seen)), apperr.Conflict)
	if g, _ := orders.Get(ctx, e.db, o.ID); g.ConfirmedAt != nil {
		t.Fatal("a stale confirmation was recorded")
	}
	if _, err := e.svc.ConfirmInPortal(ctx, e.buyer, o.ID, seen+1); err != nil {
		t.Fatalf("confirming what is shown: %v", err)
	}

	held := e.placed(e.input("PO-HELD", line("A", 5))) // € 605 + shipping: over € 500
	if held.CreditHold != orders.HoldHeld {
		t.Fatalf("not held: %s", held.CreditHold)
	}
	shown := held.Revision
	bigger, err := e.svc.Amend(ctx, e.am, held.ID, orders.AmendInput{Lines: []orders.LineInput{{ID: held.Lines[0].ID, Quantity: 8}}})
	if err != nil {
		t.Fatal(err)
	}
	if why := i18n.For(i18n.NL).Text(bigger.HoldReason.Message); bigger.CreditHold != orders.HoldHeld || !strings.Contains(why, moneyOf(bigger.TotalInclCents)) {
		t.Fatalf("the hold's reason does not follow the new total %d: %q", bigger.TotalInclCents, why)
	}
	kind(t, errOf(e.svc.ApproveCredit(ctx, e.sales, held.ID, "ok for 5", shown)), apperr.Conflict)
	kind(t, errOf(e.svc.RejectCredit(ctx, e.sales, held.ID, "no", shown)), apperr.Conflict)
	if g, _ := orders.Get(ctx, e.db, held.ID); g.CreditHold != orders.HoldHeld {
		t.Fatalf("a stale decision was applied: %s", g.CreditHold)
	}
	// Lowered under the limit, a held order is no longer held.
	lowered, err := e.svc.Amend(ctx, e.am, held.ID, orders.AmendInput{Lines: []orders.LineInput{{ID: held.Lines[0].ID, Quantity: 1}}})
	if err != nil || lowered.CreditHold != orders.HoldNone || lowered.Status != orders.StatusAwaitingConfirmation {
		t.Fatalf("lowered: %v %s %s", err, lowered.CreditHold, lowered.Status)
	}
}

// The customer is mailed an amendment it can see, never one of the
// internal note alone; the mail speaks in euros (in Dutch, Jansen's
// language).
func TestOnlyChangesTheCustomerSeesAreMailed(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 1_000_000)
	ctx := context.Background()
	o := e.placed(e.input("PO-MAIL", line("A", 1)))
	mails := func() int {
		n, _ := e.db.NewSelect().Table("outbox").Where("to_address = 'joris@jansen.test'").Count(ctx)
		return int(n)
	}
	before := mails()
	if _, err := e.svc.Amend(ctx, e.am, o.ID, orders.AmendInput{Note: ptr("call before delivery")}); err != nil {
		t.Fatal(err)
	}
	if mails() != before {
		t.Fatal("an amendment of the internal note was mailed to the customer")
	}
	if _, err := e.svc.Amend(ctx, e.am, o.ID, orders.AmendInput{Shipping: ptr("20"), Note: ptr("secret")}); err != nil {
		t.Fatal(err)
	}
	var body string
	e.db.NewSelect().Table("outbox").Column("body").Where("to_address = 'joris@jansen.test'").OrderExpr("id DESC").Limit(1).Scan(ctx, &body)
	if mails() != before+1 || !strings.Contains(body, inMail("verzending UPS € 12,50 → UPS € 20,00")) || strings.Contains(body, "notitie") || strings.Contains(body, "secret") {
		t.Fatalf("%d mails; the last:\n%s", mails()-before, body)
	}
}

// What is wrong with an order is said all at once: a PO reference taken,
// unknown SKUs, quantities over the maximum or unreadable, each at its field.
func TestAllErrorsOfAnOrderAtOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 1_000_000)
	ctx := context.Background()
	e.placed(e.input("PO-TAKEN", line("A", 1)))
	in := e.input("PO-TAKEN", line("NOPE", 1), line("C", 4), orders.LineInput{SKU: "B", QuantityText: "lots"}, line("B", 2))
	_, err := e.svc.CreateAndPlace(ctx, e.am, in)
	ae, _ := apperr.As(err)
	if ae == nil || ae.Fields["po_reference"].IsZero() || !strings.Contains(ae.Fields["line_0"].String(), "No product") ||
		!strings.Contains(ae.Fields["line_1"].String(), "At most 3") || ae.Fields["line_2"].IsZero() || !ae.Fields["line_3"].IsZero() {
		t.Fatalf("%v", err)
	}
}
