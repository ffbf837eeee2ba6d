package returns_test

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"wholesale/internal/apperr"
	"wholesale/internal/calendar"
	"wholesale/internal/i18n"
	"wholesale/internal/returns"
	"wholesale/internal/shipping"
)

// Two returns of one shipped line never take more than shipped; a
// cancelled return gives its units back.
func TestQuantityCapOverTwoReturns(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	_, sh := e.shipped(e.a, "A", 3)
	first := e.request(e.buyerA, sh, 2)

	_, err := e.ask(e.am, e.form(sh, 2))
	if msg := kindOf(t, err, apperr.Invalid)["quantity"]; !strings.Contains(msg, "At most 1 of this line") || !strings.Contains(msg, "3 shipped, 2 in returns already") {
		t.Fatalf("a second return of 2 of 3 shipped, 2 in a return: %q", msg)
	}
	e.request(e.am, sh, 1)
	_, err = e.ask(e.buyerA, e.form(sh, 1))
	if msg := kindOf(t, err, apperr.Invalid)["quantity"]; !strings.Contains(msg, "At most 0") {
		t.Fatalf("a third return when all 3 are in returns: %q", msg)
	}
	if n := e.count(`SELECT count(*) FROM returns`); n != 2 {
		t.Fatalf("%d returns written, want 2: a refused form writes nothing", n)
	}

	if _, err := e.svc.Cancel(ctx, e.buyerA, first.ID, returns.ReasonInput{Reason: "It works after all"}); err != nil {
		t.Fatal(err)
	}
	// The account manager reads Dutch, the default.
	if n := e.count(`SELECT count(*) FROM outbox WHERE to_address = 'am@w.test' AND subject = 'Retour geannuleerd door Jansen BV' AND body LIKE '%It works after all%'`); n != 1 {
		t.Fatalf("%d mails tell the account manager of the customer's cancel", n)
	}
	if again := e.request(e.buyerA, sh, 2); again.Quantity != 2 {
		t.Fatalf("after the cancel, 2 can be returned again: %+v", again)
	}
}

// Two forms for the last units at once: one gets them.
func TestQuantityCapUnderConcurrentRequests(t *testing.T) {
	e := newEnv(t)
	_, sh := e.shipped(e.a, "A", 1)
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = e.ask(e.buyerA, e.form(sh, 1))
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case apperr.KindOf(err) != apperr.Invalid:
			t.Fatal(err)
		}
	}
	if ok != 1 || e.count(`SELECT count(*) FROM returns`) != 1 {
		t.Fatalf("%d of 6 concurrent forms for the last unit got it, want 1", ok)
	}
}

// RA numbers are unique and gapless per year, also when account managers
// approve at the same moment.
func TestRANumbersGaplessUnderConcurrentApprovals(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	_, sh := e.shipped(e.a, "A", 12)
	var ids []int64
	for range 12 {
		ids = append(ids, e.request(e.buyerA, sh, 1).ID)
	}
	var wg sync.WaitGroup
	ras := make([]string, len(ids))
	errs := make([]error, len(ids))
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := e.svc.Approve(ctx, e.am, id)
			if err == nil {
				ras[i] = r.RA()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	sort.Strings(ras)
	for i, ra := range ras {
		if want := fmt.Sprintf("RA-2026-%06d", i+1); ra != want {
			t.Fatalf("RA numbers %v, want RA-2026-000001 … RA-2026-000012 without gaps", ras)
		}
	}
	// A new year starts at 1.
	e.clk.Set(at(2027, 1, 4))
	_, sh2 := e.shipped(e.a, "A", 1)
	if r := e.approved(sh2, 1); r.RA() != "RA-2027-000001" {
		t.Fatalf("the first RA of 2027 is %s", r.RA())
	}
}

// A customer's request mails its account manager, who reads the customer's
// PO reference as the PO, not as "your reference".
func TestRequestMailsTheAccountManager(t *testing.T) {
	e := newEnv(t)
	_, sh := e.shipped(e.a, "A", 1)
	r := e.request(e.buyerA, sh, 1)
	var body string
	if err := e.db.NewRaw(`SELECT body FROM outbox WHERE to_address = 'am@w.test'`).Scan(context.Background(), &body); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("van order %d (PO %s)", r.OrderID, r.POReference); !strings.Contains(body, want) ||
		strings.Contains(body, "uw referentie") || strings.Contains(body, "your reference") {
		t.Fatalf("the account manager's mail does not say %q:\n%s", want, body)
	}
}

// Approval issues the RA with the arrival date and mails the customer the
// instructions in its language, with the label as a PDF.
func TestApprovalMailsInstructionsWithTheLabel(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	_, sh := e.shipped(e.a, "A", 1)
	e.exec(`UPDATE settings SET ra_arrive_days = 11`)
	r := e.approved(sh, 1)
	want := calendar.New(17*60, nil).DeadlineAfter(day(2026, 11, 2), 11) // 13 November, a Friday
	if r.State != returns.StateApproved || r.RA() != "RA-2026-000001" || !r.ArriveBy.Equal(want) {
		t.Fatalf("approved: %s %s arrive by %v, want RA-2026-000001 by %s", r.State, r.RA(), r.ArriveBy, want)
	}
	var m struct {
		To, Subject, Body string
		File              string
		Content           []byte
	}
	if err := e.db.NewRaw(`SELECT o.to_address AS to, o.subject, o.body, a.filename AS file, a.content FROM outbox o
		JOIN outbox_attachments a ON a.outbox_id = o.id WHERE o.subject LIKE '%RA-2026-000001%'`).Scan(ctx, &m.To, &m.Subject, &m.Body, &m.File, &m.Content); err != nil {
		t.Fatal(err)
	}
	if m.To != "nl@contact.test" || m.Subject != "Retour goedgekeurd: RA-nummer RA-2026-000001" || m.File != "RA-2026-000001.pdf" ||
		!bytes.HasPrefix(m.Content, []byte("%PDF-")) {
		t.Fatalf("approval mail to %q %q with %q (%d bytes)", m.To, m.Subject, m.File, len(m.Content))
	}
	for _, s := range []string{"RA-2026-000001", "13 november 2026", "Groothandel BV", "Afdeling retouren", "Havenweg 1"} {
		if !strings.Contains(m.Body, s) {
			t.Errorf("the approval mail says nothing of %q:\n%s", s, m.Body)
		}
	}
	lb, err := e.svc.Label(ctx, e.buyerA, r.ID)
	if err != nil || lb.RA != r.RA() || lb.Quantity != 1 || lb.SKU != "A" {
		t.Fatalf("label %+v, %v", lb, err)
	}
	// Approving again is a conflict, and numbers nothing.
	_, err = e.svc.Approve(ctx, e.am, r.ID)
	kindOf(t, err, apperr.Conflict)
	if n := e.count(`SELECT last_number FROM return_series WHERE year = 2026`); n != 1 {
		t.Fatalf("last RA number %d after a refused second approval", n)
	}
}

// A parcel without a valid, unexpired RA is refused and nothing is written.
func TestRefusedReceipts(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	_, sh := e.shipped(e.a, "A", 3)
	late := e.approved(sh, 1) // must arrive by 16 November
	cancelled := e.approved(sh, 1)
	if _, err := e.svc.Cancel(ctx, e.am, cancelled.ID, returns.ReasonInput{Reason: "Customer repaired it"}); err != nil {
		t.Fatal(err)
	}
	audits := e.count(`SELECT count(*) FROM audit_log`)
	e.clk.Set(at(2026, 11, 17))
	for _, c := range []struct{ ra, want string }{
		{"", "Enter the RA number"},
		{"hello", "hello is no RA number"},
		{"RA-2026-999999", "No return has RA number RA-2026-999999"},
		{late.RA(), "expired on 16 Nov 2026"},
		{strings.ToLower(late.RA()), "expired on 16 Nov 2026"},
		{cancelled.RA(), "was cancelled"},
	} {
		_, err := e.svc.Receive(ctx, e.wh, returns.ReceiveInput{RA: c.ra})
		if msg := kindOf(t, err, apperr.Invalid)["ra"]; !strings.Contains(msg, c.want) {
			t.Errorf("parcel %q: %q, want %q", c.ra, msg, c.want)
		}
	}
	if n := e.count(`SELECT count(*) FROM return_units`); n != 0 {
		t.Fatalf("%d units booked from refused parcels", n)
	}
	if n := e.count(`SELECT count(*) FROM audit_log`); n != audits {
		t.Fatalf("refused parcels changed the audit trail: %d entries, were %d", n, audits)
	}
	if r, _ := e.svc.Get(ctx, e.am, late.ID); r.State != returns.StateApproved || !r.Expired(day(2026, 11, 17)) {
		t.Fatalf("the late return is %s", r.State)
	}
	// Only the warehouse receives.
	_, err := e.svc.Receive(ctx, e.am, returns.ReceiveInput{RA: late.RA()})
	kindOf(t, err, apperr.Forbidden)

	// In time it is received once, with its serial numbers; a second time is refused.
	e.clk.Set(at(2026, 11, 17))
	in := e.form(sh, 1)
	in.Serials = "SN-0001"
	r, err := e.ask(e.am, in)
	if err != nil {
		t.Fatal(err)
	}
	if r, err = e.svc.Approve(ctx, e.am, r.ID); err != nil {
		t.Fatal(err)
	}
	got, err := e.svc.Receive(ctx, e.wh, returns.ReceiveInput{RA: " " + strings.ReplaceAll(r.RA(), "-", " ") + " "})
	if err != nil || got.State != returns.StateReceived || len(got.Units) != 1 || got.Units[0].Serial != "SN-0001" {
		t.Fatalf("received: %+v, %v", got, err)
	}
	_, err = e.svc.Receive(ctx, e.wh, returns.ReceiveInput{RA: r.RA()})
	if msg := kindOf(t, err, apperr.Invalid)["ra"]; !strings.Contains(msg, "received on 17 Nov 2026 already") {
		t.Fatalf("a second receipt: %q", msg)
	}
}

// A defect that is no DOA, or of a product not returned to us, goes to the
// brand's service centre: no RA, the case closed as referred, the customer
// mailed the centre's details.
func TestReferredToTheServiceCentre(t *testing.T) {
	e := newEnv(t)
	_, sh := e.shipped(e.b, "A", 1)
	in := e.form(sh, 1)
	in.DOA = false
	r, err := e.ask(e.buyerB, in)
	if err != nil {
		t.Fatal(err)
	}
	if r.State != returns.StateReferred || r.ClosedReason != returns.ClosedNotDOA || r.RANumber != nil ||
		r.ServiceCentre == nil || r.ServiceCentre.Phone != "+31 30 123 4567" {
		t.Fatalf("not DOA: %+v", r)
	}
	var body string
	if err := e.db.NewRaw(`SELECT body FROM outbox WHERE to_address = 'en@contact.test' AND subject = 'Your return of A: the service centre of Acme'`).
		Scan(context.Background(), &body); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, "Acme Service Benelux") || !strings.Contains(body, "service@acme.test") {
		t.Fatalf("the referral mail gives no service centre:\n%s", body)
	}
	// A product that is never returned to us, of a brand without a centre.
	_, shN := e.shipped(e.b, "N", 1)
	r, err = e.ask(e.buyerB, e.form(shN, 1))
	if err != nil {
		t.Fatal(err)
	}
	if r.State != returns.StateReferred || r.ClosedReason != returns.ClosedNotReturnable || r.ServiceCentre != nil {
		t.Fatalf("not returnable: %+v", r)
	}
	// A referred return takes no units: the line can be asked for again.
	if _, err := e.ask(e.am, e.form(sh, 1)); err != nil {
		t.Fatal(err)
	}
}

// Each outcome of the test is settled as its rules say.
func TestSettlements(t *testing.T) {
	ctx := context.Background()
	fc, nf, dm := returns.ResultFaultConfirmed, returns.ResultNoFaultFound, returns.ResultDamaged

	t.Run("fault confirmed, credit note of the invoice line to the cent", func(t *testing.T) {
		e := newEnv(t)
		o, sh := e.shipped(e.a, "A", 3)
		numbers := e.issue(e.a)
		if len(numbers) != 1 {
			t.Fatalf("issued %v", numbers)
		}
		in := e.form(sh, 2)
		in.Remedy = returns.RemedyCreditNote
		r, err := e.ask(e.buyerA, in)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Approve(ctx, e.am, r.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Receive(ctx, e.wh, returns.ReceiveInput{RA: "RA-2026-000001"}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Test(ctx, e.wh, r.ID, returns.TestInput{Units: []returns.UnitTest{
			{UnitNo: 1, Result: fc, Note: "no power"}, {UnitNo: 2, Result: fc, Note: "no power"}}}); err != nil {
			t.Fatal(err)
		}
		r, err = e.svc.Settle(ctx, e.am, r.ID, returns.SettleInput{})
		if err != nil {
			t.Fatal(err)
		}
		if r.State != returns.StateSettled || *r.Settlement != returns.SettledCreditNote || r.CreditNote == nil || r.ReplacementID != nil {
			t.Fatalf("settled %+v", r)
		}
		var orig, cn struct {
			Excl, VAT, Incl int64
		}
		var line struct {
			Qty          int
			Unit, Amount int64
			Rate         int
			Credits      int
		}
		if err := e.db.NewRaw(`SELECT total_excl_cents, vat_cents, total_incl_cents FROM invoices WHERE number = ?`, numbers[0]).
			Scan(ctx, &orig.Excl, &orig.VAT, &orig.Incl); err != nil {
			t.Fatal(err)
		}
		if err := e.db.NewRaw(`SELECT i.total_excl_cents, i.vat_cents, i.total_incl_cents, l.quantity, l.unit_price_cents, l.amount_cents, l.vat_rate, l.credits_line_no
			FROM invoices i JOIN invoice_lines l ON l.invoice_id = i.id JOIN invoices o ON o.id = i.credits_invoice_id
			WHERE i.number = ? AND o.number = ?`, *r.CreditNote, numbers[0]).
			Scan(ctx, &cn.Excl, &cn.VAT, &cn.Incl, &line.Qty, &line.Unit, &line.Amount, &line.Rate, &line.Credits); err != nil {
			t.Fatal(err)
		}
		// The original: 3 × € 100,00 at 21 % = € 300,00 + € 63,00 = € 363,00; two thirds of it exactly.
		if orig.Incl != 36300 || cn.Excl != -20000 || cn.VAT != -4200 || cn.Incl != -24200 ||
			line.Qty != -2 || line.Unit != 10000 || line.Amount != -20000 || line.Rate != 21 || line.Credits != 1 {
			t.Fatalf("invoice %+v, credit note %+v, line %+v", orig, cn, line)
		}
		if n := e.count(`SELECT count(*) FROM return_units WHERE return_id = ? AND disposition = 'quarantine'`, r.ID); n != 2 {
			t.Fatalf("%d units in quarantine, want 2", n)
		}
		q, err := returns.Quarantine(ctx, e.db, 10)
		if err != nil || len(q) != 2 || q[0].RANumber != "RA-2026-000001" || q[0].SKU != "A" {
			t.Fatalf("quarantine %+v, %v", q, err)
		}
		var body string
		if err := e.db.NewRaw(`SELECT body FROM outbox WHERE subject = 'Retour RA-2026-000001 afgehandeld'`).Scan(ctx, &body); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(body, *r.CreditNote) || !strings.Contains(body, "defect bevestigd") {
			t.Fatalf("settlement mail:\n%s", body)
		}
		_ = o
	})

	t.Run("fault confirmed, replacement: a zero-priced order never invoiced", func(t *testing.T) {
		e := newEnv(t)
		_, sh := e.shipped(e.a, "A", 2)
		r := e.tested(sh, fc, fc)
		r, err := e.svc.Settle(ctx, e.am, r.ID, returns.SettleInput{Note: "agreed by phone"})
		if err != nil {
			t.Fatal(err)
		}
		if *r.Settlement != returns.SettledReplacement || r.ReplacementID == nil || r.CreditNoteID != nil {
			t.Fatalf("settled %+v", r)
		}
		o, err := e.ord.Get(ctx, e.am, *r.ReplacementID)
		if err != nil {
			t.Fatal(err)
		}
		if o.POReference != r.RA() || o.TotalInclCents != 0 || len(o.Lines) != 1 || o.Lines[0].Quantity != 2 ||
			o.Lines[0].UnitPriceCents != 0 || o.Status != "released" || o.ReturnID == nil || *o.ReturnID != r.ID || o.Amendable() {
			t.Fatalf("replacement order %+v", o)
		}
		if n := e.count(`SELECT count(*) FROM outbox WHERE subject LIKE ?`, "%(PO "+r.RA()+")"); n != 0 {
			t.Fatalf("%d order mails for the replacement: the settlement's mail tells of it", n)
		}
		if reserved := *o.Lines[0].Reserved; reserved != 2 {
			t.Fatalf("the replacement reserved %d, want 2", reserved)
		}
		// The return was settled with it: it is not cancelled, nor its line.
		_, err = e.ord.Cancel(ctx, e.am, o.ID, "customer changed its mind")
		kindOf(t, err, apperr.Conflict)
		_, err = e.ord.CancelLine(ctx, e.am, o.ID, o.Lines[0].ID, "customer changed its mind")
		kindOf(t, err, apperr.Conflict)
		drafts := e.count(`SELECT count(*) FROM invoice_lines`)
		sh2, err := e.ship.Ship(ctx, e.wh, shipForm(o.ID, o.Lines[0].ID, 2))
		if err != nil {
			t.Fatal(err)
		}
		o, _ = e.ord.Get(ctx, e.am, o.ID)
		if n := e.count(`SELECT count(*) FROM invoice_lines`); n != drafts || o.Status != "shipped" || o.InvoiceState != "none" {
			t.Fatalf("shipping the replacement: %d invoice lines (were %d), order %s / %s", n, drafts, o.Status, o.InvoiceState)
		}
		// The replacement can itself come back.
		if _, err := e.ask(e.buyerA, e.form(sh2, 1)); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("credit note before the invoice is issued", func(t *testing.T) {
		e := newEnv(t)
		_, sh := e.shipped(e.a, "A", 1)
		r := e.tested(sh, fc)
		_, err := e.svc.Settle(ctx, e.am, r.ID, returns.SettleInput{Remedy: returns.RemedyCreditNote})
		if msg := kindOf(t, err, apperr.Invalid)["remedy"]; !strings.Contains(msg, "on no issued invoice yet") {
			t.Fatalf("credit before invoicing: %q", msg)
		}
		if got, _ := e.svc.Get(ctx, e.am, r.ID); got.State != returns.StateTested || e.count(`SELECT count(*) FROM orders WHERE return_id IS NOT NULL`) != 0 {
			t.Fatalf("a refused settlement changed something: %s", got.State)
		}
	})

	t.Run("no fault found: sent back, or back into stock against a credit note", func(t *testing.T) {
		e := newEnv(t)
		_, sh := e.shipped(e.a, "A", 2)
		e.issue(e.a)
		onHand := e.count(`SELECT sum(on_hand) FROM stock s JOIN products p ON p.id = s.product_id WHERE p.sku = 'A'`)
		r := e.tested(sh, nf)
		r, err := e.svc.Settle(ctx, e.am, r.ID, returns.SettleInput{})
		if err != nil || *r.Settlement != returns.SettledSentBack || r.CreditNoteID != nil || *r.Units[0].Disposition != returns.ToCustomer {
			t.Fatalf("sent back: %+v, %v", r, err)
		}
		r = e.tested(sh, nf)
		r, err = e.svc.Settle(ctx, e.am, r.ID, returns.SettleInput{GoodUnits: returns.GoodRestocked})
		if err != nil || *r.Settlement != returns.SettledCreditNote || r.CreditNoteID == nil || *r.Units[0].Disposition != returns.ToStock {
			t.Fatalf("restocked: %+v, %v", r, err)
		}
		if n := e.count(`SELECT sum(on_hand) FROM stock s JOIN products p ON p.id = s.product_id WHERE p.sku = 'A'`); n != onHand+1 {
			t.Fatalf("on hand %d, want %d: the good unit is back in stock", n, onHand+1)
		}
	})

	t.Run("damaged by the customer: sent back", func(t *testing.T) {
		e := newEnv(t)
		_, sh := e.shipped(e.a, "A", 1)
		r := e.tested(sh, dm)
		r, err := e.svc.Settle(ctx, e.am, r.ID, returns.SettleInput{Remedy: returns.RemedyCreditNote, GoodUnits: returns.GoodRestocked})
		if err != nil || *r.Settlement != returns.SettledSentBack || r.CreditNoteID != nil || r.ReplacementID != nil ||
			*r.Units[0].Disposition != returns.ToCustomer {
			t.Fatalf("damaged: %+v, %v", r, err)
		}
	})

	t.Run("each unit its own result", func(t *testing.T) {
		e := newEnv(t)
		_, sh := e.shipped(e.a, "A", 3)
		e.issue(e.a)
		r := e.tested(sh, fc, nf, dm)
		r, err := e.svc.Settle(ctx, e.am, r.ID, returns.SettleInput{GoodUnits: returns.GoodRestocked})
		if err != nil {
			t.Fatal(err)
		}
		o, err := e.ord.Get(ctx, e.am, *r.ReplacementID)
		if err != nil || o.Lines[0].Quantity != 1 {
			t.Fatalf("replacement of the one faulty unit: %+v, %v", o, err)
		}
		if n := e.count(`SELECT -sum(quantity) FROM invoice_lines WHERE invoice_id = ?`, *r.CreditNoteID); n != 1 {
			t.Fatalf("the credit note credits %d units, want the 1 good one", n)
		}
		var got []string
		for _, u := range r.Units {
			got = append(got, *u.Disposition)
		}
		if strings.Join(got, ",") != "quarantine,stock,customer" {
			t.Fatalf("dispositions %v", got)
		}
	})
}

func shipForm(orderID, lineID int64, qty int) shipping.Input {
	return shipping.Input{OrderID: orderID, Carrier: "UPS", TrackingNumber: "1Z999AA10123456784",
		Lines: []shipping.LineInput{{OrderLineID: lineID, Quantity: qty}}}
}

// The steps are each in the audit trail, in order, and only the roles that
// take them can.
func TestStepsAuditedAndGuarded(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	_, sh := e.shipped(e.a, "A", 1)
	r := e.request(e.buyerA, sh, 1)
	_, err := e.svc.Approve(ctx, e.buyerA, r.ID)
	kindOf(t, err, apperr.Forbidden)
	_, err = e.svc.Approve(ctx, e.wh, r.ID)
	kindOf(t, err, apperr.NotFound) // the warehouse sees returns once they have an RA
	if _, err := e.svc.Approve(ctx, e.am, r.ID); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Test(ctx, e.wh, r.ID, returns.TestInput{Units: []returns.UnitTest{{UnitNo: 1, Result: returns.ResultNoFaultFound, Note: "fine"}}})
	kindOf(t, err, apperr.Conflict) // not received yet
	if _, err := e.svc.Receive(ctx, e.wh, returns.ReceiveInput{RA: "RA-2026-000001"}); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Test(ctx, e.wh, r.ID, returns.TestInput{Units: []returns.UnitTest{{UnitNo: 1, Result: "broken", Note: ""}}})
	fields := kindOf(t, err, apperr.Invalid)
	if fields["result_1"] == "" || fields["note_1"] == "" {
		t.Fatalf("test form fields %v", fields)
	}
	if _, err := e.svc.Test(ctx, e.wh, r.ID, returns.TestInput{Units: []returns.UnitTest{{UnitNo: 1, Result: returns.ResultNoFaultFound, Note: "works"}}}); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Settle(ctx, e.wh, r.ID, returns.SettleInput{})
	kindOf(t, err, apperr.Forbidden)
	if _, err := e.svc.Settle(ctx, e.am, r.ID, returns.SettleInput{}); err != nil {
		t.Fatal(err)
	}
	var actions []string
	if err := e.db.NewRaw(`SELECT action FROM audit_log WHERE entity = 'return' AND entity_id = ? ORDER BY id`, fmt.Sprint(r.ID)).Scan(ctx, &actions); err != nil {
		t.Fatal(err)
	}
	if strings.Join(actions, ",") != "request,approve,receive,test,settle" {
		t.Fatalf("audit trail of the return: %v", actions)
	}
}

// A customer sees and touches only its own company's returns.
func TestCustomerIsolation(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	_, shA := e.shipped(e.a, "A", 2)
	_, shB := e.shipped(e.b, "A", 1)
	ra := e.approved(shA, 1)
	e.request(e.buyerB, shB, 1)

	if _, err := e.svc.Get(ctx, e.buyerB, ra.ID); apperr.KindOf(err) != apperr.NotFound {
		t.Fatalf("B reads A's return: %v", err)
	}
	if _, err := e.svc.Label(ctx, e.buyerB, ra.ID); apperr.KindOf(err) != apperr.NotFound {
		t.Fatalf("B reads A's label: %v", err)
	}
	if _, err := e.svc.Cancel(ctx, e.buyerB, ra.ID, returns.ReasonInput{Reason: "x"}); apperr.KindOf(err) != apperr.NotFound {
		t.Fatalf("B cancels A's return: %v", err)
	}
	list, err := e.svc.List(ctx, e.buyerB, returns.Filter{})
	if err != nil || len(list) != 1 || list[0].CompanyID != e.b.ID {
		t.Fatalf("B's list: %+v, %v", list, err)
	}
	// B cannot return A's goods, even naming A.
	in := e.form(shA, 1)
	in.CompanyID = e.a.ID
	_, err = e.ask(e.buyerB, in)
	if kindOf(t, err, apperr.Invalid)["line"] == "" {
		t.Fatal("B returned A's shipped line")
	}
	if lines, err := e.svc.ShippedLines(ctx, e.buyerB, e.a.ID, 0); err != nil || len(lines) != 1 || lines[0].ShipmentID != shB.ID {
		t.Fatalf("B's return form offers %+v, %v", lines, err)
	}
	if _, err := e.svc.ShippedLines(ctx, e.buyerB, 0, shA.OrderID); apperr.KindOf(err) != apperr.NotFound {
		t.Fatalf("B's return form for A's order: %v", err)
	}
	// Another account manager does not see the customer's returns.
	if _, err := e.svc.Get(ctx, e.otherAM, ra.ID); apperr.KindOf(err) != apperr.NotFound {
		t.Fatalf("another account manager: %v", err)
	}
	if _, err := e.ask(e.otherAM, e.form(shA, 1)); apperr.KindOf(err) != apperr.NotFound {
		t.Fatalf("another account manager files for a customer not theirs: %v", err)
	}
	// The warehouse sees the returns with an RA only.
	wl, err := e.svc.List(ctx, e.wh, returns.Filter{State: "open"})
	if err != nil || len(wl) != 1 || wl[0].ID != ra.ID {
		t.Fatalf("the warehouse's list: %+v, %v", wl, err)
	}
}

// The form's every field is bounded.
func TestRequestInputValidate(t *testing.T) {
	long := strings.Repeat("x", 2001)
	for _, c := range []struct {
		name  string
		in    returns.RequestInput
		field string
	}{
		{"no line", returns.RequestInput{QuantityText: "1", Fault: "dead"}, "line"},
		{"line garbage", returns.RequestInput{Line: "12-x", QuantityText: "1", Fault: "dead"}, "line"},
		{"quantity 0", returns.RequestInput{Line: "1-2", QuantityText: "0", Fault: "dead"}, "quantity"},
		{"quantity huge", returns.RequestInput{Line: "1-2", QuantityText: "99999999999", Fault: "dead"}, "quantity"},
		{"quantity words", returns.RequestInput{Line: "1-2", QuantityText: "two", Fault: "dead"}, "quantity"},
		{"no fault", returns.RequestInput{Line: "1-2", QuantityText: "1"}, "fault"},
		{"fault too long", returns.RequestInput{Line: "1-2", QuantityText: "1", Fault: long}, "fault"},
		{"fault with NUL", returns.RequestInput{Line: "1-2", QuantityText: "1", Fault: "a\x00b"}, "fault"},
		{"more serials than units", returns.RequestInput{Line: "1-2", QuantityText: "1", Fault: "dead", Serials: "A1\nA2"}, "serials"},
		{"serial too long", returns.RequestInput{Line: "1-2", QuantityText: "1", Fault: "dead", Serials: strings.Repeat("9", 101)}, "serials"},
		{"remedy unknown", returns.RequestInput{Line: "1-2", QuantityText: "1", Fault: "dead", Remedy: "cash"}, "remedy"},
	} {
		err := c.in.Validate()
		if kindOf(t, err, apperr.Invalid)[c.field] == "" {
			t.Errorf("%s: no message at %s: %v", c.name, c.field, err)
		}
	}
	ok := returns.RequestInput{Line: "1-2", QuantityText: " 2 ", Fault: " dead ", Serials: "A1, A2"}
	if err := ok.Validate(); err != nil || ok.ShipmentID != 1 || ok.OrderLineID != 2 || ok.Quantity != 2 || ok.Remedy != returns.RemedyReplacement || ok.Fault != "dead" {
		t.Fatalf("a good form: %+v, %v", ok, err)
	}
	for typed, want := range map[string]string{"RA-2026-000123": "RA-2026-000123", "ra 2026 123": "RA-2026-000123", "RA2026-000123": "RA-2026-000123",
		"RA-2026-1234567": "", "RA-26-1": "", "2026-000123": "", "": ""} {
		if got := returns.NormalizeRA(typed); got != want {
			t.Errorf("NormalizeRA(%q) = %q, want %q", typed, got, want)
		}
	}
}

// A count of one reads singular in the settlement's mail and the form's
// checks: "1 stuk", not "1 stuks".
func TestCountsOfOneAreSingular(t *testing.T) {
	nl, en := i18n.For(i18n.NL), i18n.For(i18n.EN)
	for _, c := range []struct {
		l    *i18n.Localizer
		m    i18n.Message
		want string
	}{
		{nl, i18n.N(1, "We send %d units back to you: the test found no fault we cover.", 1), "Wij sturen 1 stuk naar u terug"},
		{nl, i18n.N(2, "We send %d units back to you: the test found no fault we cover.", 2), "Wij sturen 2 stuks naar u terug"},
		{nl, i18n.N(1, "We send you %d replacement units free of charge with order %d.", 1, 8), "kosteloos 1 vervangend stuk met order 8"},
		{nl, i18n.N(1, "We issued credit note %s for %d units: you receive it by separate mail.", "C2026-000002", 1), "voor 1 stuk uitgereikt"},
		{nl, i18n.N(1, "At most %d of this line can still be returned: %d shipped, %d in returns already.", 1, 4, 3), "kan nog ten hoogste 1 stuk retour"},
		{en, i18n.N(1, "We issued credit note %s for %d units: you receive it by separate mail.", "C2026-000002", 1), "for 1 unit:"},
		{en, i18n.N(3, "We send %d units back to you: the test found no fault we cover.", 3), "We send 3 units back"},
	} {
		if got := c.l.Text(c.m); !strings.Contains(got, c.want) {
			t.Errorf("%q reads %q, want %q in it", c.m.ID, got, c.want)
		}
	}
}

// Units that go back to the customer wait for the warehouse, which sends
// them with a carrier; the customer is mailed the tracking link.
func TestSendBack(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	_, sh := e.shipped(e.a, "A", 3)
	e.issue(e.a)
	r := e.tested(sh, returns.ResultFaultConfirmed, returns.ResultDamaged)
	_, err := e.svc.SendBack(ctx, e.wh, r.ID, returns.SendBackInput{Carrier: "UPS", TrackingNumber: "1Z999AA10123456784"})
	kindOf(t, err, apperr.Conflict) // not settled yet
	if r, err = e.svc.Settle(ctx, e.am, r.ID, returns.SettleInput{}); err != nil {
		t.Fatal(err)
	}
	if r.ToSendBack() != 1 {
		t.Fatalf("%d units to send back, want the damaged one", r.ToSendBack())
	}
	// A return whose units all stay (a confirmed fault goes into
	// quarantine) is settled with nothing to send back: not in the queue.
	kept := e.tested(sh, returns.ResultFaultConfirmed)
	if kept, err = e.svc.Settle(ctx, e.am, kept.ID, returns.SettleInput{}); err != nil || kept.ToSendBack() != 0 {
		t.Fatalf("settling the kept unit: %v, %d to send back", err, kept.ToSendBack())
	}
	list, err := returns.ToSendBack(ctx, e.db, 10)
	if n, _, cerr := returns.CountToSendBack(ctx, e.db); err != nil || cerr != nil || len(list) != 1 || list[0].ID != r.ID || n != 1 {
		t.Fatalf("to send back: %+v (%d), %v %v", list, n, err, cerr)
	}
	_, err = e.svc.SendBack(ctx, e.am, r.ID, returns.SendBackInput{Carrier: "UPS", TrackingNumber: "1Z999AA10123456784"})
	kindOf(t, err, apperr.Forbidden)
	_, err = e.svc.SendBack(ctx, e.wh, r.ID, returns.SendBackInput{Carrier: "UPS", TrackingNumber: "not a number"})
	if kindOf(t, err, apperr.Invalid)["tracking_number"] == "" {
		t.Fatal("a bad tracking number has no message at its field")
	}
	r, err = e.svc.SendBack(ctx, e.wh, r.ID, returns.SendBackInput{Carrier: "ups", TrackingNumber: "1z999aa10123456784"})
	if err != nil || r.SentBackAt == nil || *r.BackCarrier != "UPS" || r.BackTracking != "1Z999AA10123456784" || !strings.Contains(r.BackTrackingURL, "1Z999AA10123456784") {
		t.Fatalf("sent back: %+v, %v", r, err)
	}
	if n, _, _ := returns.CountToSendBack(ctx, e.db); n != 0 {
		t.Fatalf("%d still to send back", n)
	}
	var body string
	if err := e.db.NewRaw(`SELECT body FROM outbox WHERE subject = 'Retour RA-2026-000001: stuks teruggestuurd'`).Scan(ctx, &body); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, "Wij hebben 1 stuk van retour RA-2026-000001 naar u teruggestuurd met UPS") || !strings.Contains(body, r.BackTrackingURL) {
		t.Fatalf("the mail:\n%s", body)
	}
	_, err = e.svc.SendBack(ctx, e.wh, r.ID, returns.SendBackInput{Carrier: "UPS", TrackingNumber: "1Z999AA10123456784"})
	kindOf(t, err, apperr.Conflict)
}
