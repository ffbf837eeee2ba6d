package invoicing_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"wholesale/internal/apperr"
	"wholesale/internal/credit"
	"wholesale/internal/invoicing"
	"wholesale/internal/mail"
	"wholesale/internal/orders"
)

// amsterdam is a wall-clock time in Amsterdam on d November 2026.
func amsterdam(d, hour, min int) time.Time {
	return time.Date(2026, 11, d, hour, min, 0, 0, time.UTC).Add(-time.Hour) // CET is UTC+1 in November
}

func TestTheCutoffIssuesTheDraftOfTheDay(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.clk.Set(amsterdam(24, 10, 0))
	o := e.order(e.customer, "PO-1", line("A", 2), line("B", 3))
	e.ship(o)

	e.clk.Set(amsterdam(24, 16, 59))
	if got, err := e.svc.Run(ctx, nil, 0); err != nil || len(got) != 0 {
		t.Fatalf("before the cutoff the run issued %v (%v)", got, err)
	}
	e.clk.Set(amsterdam(24, 17, 0))
	got, err := e.svc.Run(ctx, nil, 0)
	if err != nil || len(got) != 1 || got[0] != "2026-000001" {
		t.Fatalf("at the cutoff the run issued %v (%v), want [2026-000001]", got, err)
	}
	inv, err := e.svc.Get(ctx, e.fin, "2026-000001")
	if err != nil {
		t.Fatal(err)
	}
	// 21 %: 2 × 100,00 + shipping 12,50 = 212,50 → VAT 44,625 → 44,63.
	// 9 %: 3 × 10,05 = 30,15 → VAT 2,7135 → 2,71.
	if inv.TotalExclCents != 24265 || inv.VATCents != 4734 || inv.TotalInclCents != 28999 {
		t.Errorf("totals %d + %d = %d, want 24265 + 4734 = 28999", inv.TotalExclCents, inv.VATCents, inv.TotalInclCents)
	}
	if d := inv.IssueDate.Format(time.DateOnly); d != "2026-11-24" {
		t.Errorf("issue date %s", d)
	}
	if d := inv.DueDate.Format(time.DateOnly); d != "2026-12-24" {
		t.Errorf("due date %s, want 30 days after the invoice date", d)
	}
	if d := inv.SupplyDate.Format(time.DateOnly); d != "2026-11-24" {
		t.Errorf("supply date %s", d)
	}
	if len(inv.Lines) != 3 || inv.Lines[2].Description != "Verzendkosten, order "+fmt.Sprint(o.ID) && inv.Lines[2].SKU != "" {
		t.Errorf("lines %+v", inv.Lines)
	}

	// The stored original is the document of exactly these figures.
	raw, err := invoicing.Original(ctx, e.db, inv.ID, "pdf")
	if err != nil {
		t.Fatal(err)
	}
	var doc invoicing.Document
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Number != "2026-000001" || doc.TotalInclCents != 28999 || doc.Seller.VATID != "NL123456782B01" || doc.Buyer.Name != "Jansen BV" ||
		len(doc.Orders) != 1 || doc.Orders[0].POReference != "PO-1" || doc.PaymentReference != "2026-000001" {
		t.Errorf("document %+v", doc)
	}
	if len(doc.Rates) != 2 || doc.Rates[0] != (invoicing.RateTotal{Rate: 21, BaseCents: 21250, VATCents: 4463}) ||
		doc.Rates[1] != (invoicing.RateTotal{Rate: 9, BaseCents: 3015, VATCents: 271}) {
		t.Errorf("rates %+v", doc.Rates)
	}

	// The order is invoiced, and the mail with both files is queued.
	after, err := e.ord.Get(ctx, e.am, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if after.Status != orders.StatusInvoiced || after.InvoicedCents != 28999 {
		t.Errorf("order %s, invoiced %d", after.Status, after.InvoicedCents)
	}
	var m mail.Message
	if err := e.db.NewSelect().Model(&m).Where("to_address = 'invoices@NL.test'").Scan(ctx); err != nil {
		t.Fatal(err)
	}
	atts, err := mail.Attachments(ctx, e.db, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "Factuur 2026-000001 van Groothandel BV" || len(atts) != 2 || atts[0].Filename != "factuur-2026-000001.pdf" ||
		atts[1].Filename != "factuur-2026-000001.xlsx" || string(atts[0].Content) != string(raw) {
		t.Errorf("mail %q with %d attachments", m.Subject, len(atts))
	}
	// Issued is immutable.
	if _, err := e.db.ExecContext(ctx, `UPDATE invoices SET total_incl_cents = 1 WHERE id = ?`, inv.ID); err == nil {
		t.Error("an issued invoice was changed")
	}
	if _, err := e.db.ExecContext(ctx, `UPDATE invoice_lines SET quantity = 1 WHERE invoice_id = ?`, inv.ID); err == nil {
		t.Error("a line of an issued invoice was changed")
	}
}

func TestShippedAfterTheCutoffGoesOnTheNextWorkingDay(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.clk.Set(amsterdam(27, 17, 30)) // Friday after the cutoff
	e.ship(e.order(e.customer, "PO-late", line("A", 1)))
	e.clk.Set(amsterdam(28, 18, 0)) // Saturday: no cutoff
	if got, _ := e.svc.Run(ctx, nil, 0); len(got) != 0 {
		t.Fatalf("issued %v on a Saturday", got)
	}
	e.clk.Set(amsterdam(30, 17, 0)) // Monday's cutoff
	got, err := e.svc.Run(ctx, nil, 0)
	if err != nil || len(got) != 1 {
		t.Fatalf("Monday issued %v (%v)", got, err)
	}
	inv, _ := e.svc.Get(ctx, e.fin, got[0])
	if d := inv.IssueDate.Format(time.DateOnly); d != "2026-11-30" {
		t.Errorf("issue date %s, want Monday", d)
	}
	if d := inv.SupplyDate.Format(time.DateOnly); d != "2026-11-27" {
		t.Errorf("supply date %s, want the Friday it shipped", d)
	}
}

func TestTwoRunsAtOnceIssueEveryDraftOnceWithoutAGap(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.clk.Set(amsterdam(24, 10, 0))
	const n = 24
	for i := range n {
		c := e.company(fmt.Sprintf("Klant %02d", i), "NL", "", "credit")
		e.ship(e.order(c, "PO", line("A", 1)))
	}
	e.clk.Set(amsterdam(24, 17, 5))
	e.svc.Batch = 5
	var wg sync.WaitGroup
	results := make([][]string, 2)
	errs := make([]error, 2)
	for r := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[r], errs[r] = e.svc.Run(ctx, nil, 0)
		}()
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil {
		t.Fatal(errs)
	}
	all := append(append([]string{}, results[0]...), results[1]...)
	sort.Strings(all)
	if len(all) != n {
		t.Fatalf("the runs issued %d numbers, want %d: %v", len(all), n, all)
	}
	for i, num := range all {
		if want := fmt.Sprintf("2026-%06d", i+1); num != want {
			t.Fatalf("number %d is %s, want %s (numbers %v)", i, num, want, all)
		}
	}
	var docs, drafts int
	e.db.NewRaw(`SELECT count(*) FROM invoice_documents WHERE NOT copy`).Scan(ctx, &docs)
	e.db.NewRaw(`SELECT count(*) FROM invoices WHERE state = 'draft'`).Scan(ctx, &drafts)
	if docs != 2*n || drafts != 0 {
		t.Errorf("%d documents (want %d), %d drafts left", docs, 2*n, drafts)
	}
}

func TestARunStoppedInTheMiddleLeavesNoGapAndTheNextFinishes(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.clk.Set(amsterdam(24, 10, 0))
	const n = 12
	for i := range n {
		e.ship(e.order(e.company(fmt.Sprintf("Klant %02d", i), "NL", "", "credit"), "PO", line("A", 1)))
	}
	e.clk.Set(amsterdam(24, 17, 5))
	e.svc.Batch = 4
	var rendered atomic.Int32
	e.svc.Writers.PDF = func(w io.Writer, d *invoicing.Document) error {
		if rendered.Add(1) == 7 { // in the second batch
			return errors.New("the machine died")
		}
		return jsonWriter(w, d)
	}
	got, err := e.svc.Run(ctx, nil, 0)
	if err == nil || len(got) != 4 {
		t.Fatalf("the failing run issued %v (%v), want the first batch of 4 and the error", got, err)
	}
	var last int
	e.db.NewRaw(`SELECT last_number FROM invoice_series WHERE kind = 'invoice' AND year = 2026`).Scan(ctx, &last)
	var withoutDocs int
	e.db.NewRaw(`SELECT count(*) FROM invoices i WHERE state = 'issued' AND NOT EXISTS
		(SELECT 1 FROM invoice_documents d WHERE d.invoice_id = i.id AND NOT d.copy AND d.format = 'pdf')`).Scan(ctx, &withoutDocs)
	if last != 4 || withoutDocs != 0 || len(e.issued()) != 4 {
		t.Fatalf("after the failure: series at %d, %d issued without a document, %d issued", last, withoutDocs, len(e.issued()))
	}
	e.svc.Writers.PDF = jsonWriter
	got, err = e.svc.Run(ctx, nil, 0)
	if err != nil || len(got) != n-4 || got[0] != "2026-000005" || got[len(got)-1] != fmt.Sprintf("2026-%06d", n) {
		t.Fatalf("the next run issued %v (%v)", got, err)
	}
}

func TestVATPerCase(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.clk.Set(amsterdam(24, 10, 0))
	de := e.company("Müller GmbH", "DE", "DE136695976", "credit")
	us := e.company("Acme Inc", "US", "", "credit")
	e.ship(e.order(de, "DE-1", line("A", 1), line("B", 1)))
	e.ship(e.order(us, "US-1", line("A", 1)))
	e.clk.Set(amsterdam(24, 17, 0))
	if _, err := e.svc.Run(ctx, nil, 0); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		company     int64
		mode        string
		excl, incl  int64
		note, buyer string
	}{
		{de.ID, invoicing.VATReverseCharge, 12255, 12255, "Steuerschuldnerschaft", "DE136695976"},
		{us.ID, invoicing.VATExport, 11250, 11250, "export", ""},
	} {
		list, _, err := invoicing.List(ctx, e.db, invoicing.Filter{CompanyID: c.company, State: invoicing.StateIssued})
		if err != nil || len(list) != 1 {
			t.Fatalf("%v %v", list, err)
		}
		s := list[0]
		if s.VATMode != c.mode || s.ExclCents != c.excl || s.VATCents != 0 || s.InclCents != c.incl {
			t.Errorf("%s: %s %d + %d = %d", s.CompanyName, s.VATMode, s.ExclCents, s.VATCents, s.InclCents)
		}
		// Every line at 0 %, one rate in the totals: no 21 % turnover without its VAT.
		if len(s.PerRate) != 1 || s.PerRate[0] != (invoicing.RateTotal{Rate: 0, BaseCents: c.excl}) {
			t.Errorf("%s: rates %+v, want all at 0 %%", s.CompanyName, s.PerRate)
		}
		raw, _ := invoicing.Original(ctx, e.db, s.ID, "pdf")
		var doc invoicing.Document
		json.Unmarshal(raw, &doc)
		if doc.Buyer.VATID != c.buyer || doc.VATNote().IsZero() {
			t.Errorf("%s: buyer VAT id %q, note %v", s.CompanyName, doc.Buyer.VATID, doc.VATNote())
		}
	}
}

func TestCreditNotes(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.clk.Set(amsterdam(24, 10, 0))
	e.ship(e.order(e.customer, "PO-1", line("A", 2), line("B", 3)))
	e.clk.Set(amsterdam(24, 17, 0))
	if _, err := e.svc.Run(ctx, nil, 0); err != nil {
		t.Fatal(err)
	}
	e.clk.Set(amsterdam(25, 11, 0))
	if _, err := e.svc.CreditNote(ctx, e.am, invoicing.CreditNoteInput{Invoice: "2026-000001", Quantities: map[int]int{1: 1}, Reason: "dead"}); apperr.KindOf(err) != apperr.Forbidden {
		t.Errorf("an account manager issued a credit note: %v", err)
	}
	cn, err := e.svc.CreditNote(ctx, e.fin, invoicing.CreditNoteInput{Invoice: "2026-000001", Quantities: map[int]int{1: 1}, Reason: "Arrived broken"})
	if err != nil {
		t.Fatal(err)
	}
	if cn.NumberOr() != "C2026-000001" || cn.Credits != "2026-000001" || cn.TotalExclCents != -10000 || cn.VATCents != -2100 || cn.TotalInclCents != -12100 {
		t.Errorf("credit note %s of %s: %d + %d = %d", cn.NumberOr(), cn.Credits, cn.TotalExclCents, cn.VATCents, cn.TotalInclCents)
	}
	if cn.IssueDate.Format(time.DateOnly) != "2026-11-25" || cn.Reason != "Arrived broken" {
		t.Errorf("credit note dated %v because %q", cn.IssueDate, cn.Reason)
	}
	// The line had 2: one more may be credited, not two.
	_, err = e.svc.CreditNote(ctx, e.fin, invoicing.CreditNoteInput{Invoice: "2026-000001", Quantities: map[int]int{1: 2}, Reason: "again"})
	if ae, ok := apperr.As(err); !ok || ae.Fields[invoicing.QuantityField(1)].IsZero() {
		t.Errorf("crediting more than invoiced: %v", err)
	}
	if _, err := e.svc.CreditNote(ctx, e.fin, invoicing.CreditNoteInput{Invoice: "2026-000001", Quantities: map[int]int{1: 1, 3: 1}, Reason: "rest"}); err != nil {
		t.Fatal(err)
	}
	if list := e.issued(); len(list) != 3 || list[0].Number != "C2026-000002" || list[2].Number != "2026-000001" {
		t.Errorf("issued %+v", list)
	}
	// The credit notes lower what the customer owes.
	pos, err := credit.Of(ctx, e.db, e.customer.ID, 0, e.clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	// 28999 − 12100 − (10000 + 2100 + 1250 + 263) = 3286
	if pos.Receivables != 28999-12100-13613 || pos.OpenOrders != 0 {
		t.Errorf("receivables %d, open orders %d", pos.Receivables, pos.OpenOrders)
	}
}

func TestDownloadsAreCopiesAndOnlyForWhoMaySee(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.clk.Set(amsterdam(24, 10, 0))
	e.ship(e.order(e.customer, "PO-1", line("A", 1)))
	e.clk.Set(amsterdam(24, 17, 0))
	e.svc.Run(ctx, nil, 0)
	f, err := e.svc.Download(ctx, e.buyer, "2026-000001", "pdf")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Number string `json:"number"`
		Copy   bool   `json:"copy"`
	}
	json.Unmarshal(f.Content, &doc)
	if !doc.Copy || doc.Number != "2026-000001" || f.Name != "factuur-2026-000001-kopie.pdf" {
		t.Errorf("download %s: %+v", f.Name, doc)
	}
	again, _ := e.svc.Download(ctx, e.fin, "2026-000001", "pdf")
	if string(again.Content) != string(f.Content) {
		t.Error("a second download differs from the first")
	}
	other := e.company("Ander BV", "NL", "", "credit")
	stranger := &e.buyer
	u := **stranger
	u.CompanyID = &other.ID
	if _, err := e.svc.Download(ctx, &u, "2026-000001", "pdf"); apperr.KindOf(err) != apperr.NotFound {
		t.Errorf("another company's user downloaded the invoice: %v", err)
	}
	if list, _, err := e.svc.List(ctx, &u, invoicing.Filter{}); err != nil || len(list) != 0 {
		t.Errorf("another company's user lists %v (%v)", list, err)
	}
}

func TestUnpaidInvoicesCountAndOverdueHolds(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.clk.Set(amsterdam(24, 10, 0))
	o := e.order(e.customer, "PO-1", line("A", 1))
	before, _ := credit.Of(ctx, e.db, e.customer.ID, 0, e.clk.Now())
	e.ship(o)
	e.clk.Set(amsterdam(24, 17, 0))
	e.svc.Run(ctx, nil, 0)
	after, _ := credit.Of(ctx, e.db, e.customer.ID, 0, e.clk.Now())
	if before.OpenOrders != o.TotalInclCents || after.OpenOrders != 0 || after.Receivables != o.TotalInclCents || after.Overdue {
		t.Errorf("before %+v, after %+v", before, after)
	}
	late, _ := credit.Of(ctx, e.db, e.customer.ID, 0, time.Date(2026, 12, 25, 9, 0, 0, 0, time.UTC))
	if !late.Overdue {
		t.Error("an invoice past its due date is not overdue")
	}
	if held, _ := credit.Decide(late, 100); !held {
		t.Error("an overdue invoice does not hold a new order")
	}
}

func TestTheScheduledRunWorksOnOneServerAtATime(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.clk.Set(amsterdam(24, 10, 0))
	e.ship(e.order(e.customer, "PO-1", line("A", 1)))
	e.clk.Set(amsterdam(24, 17, 1))
	other, err := e.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.ExecContext(ctx, "SELECT pg_advisory_lock(?)", int64(0x77686f6c_696e76)); err != nil {
		t.Fatal(err)
	}
	if got, ran, err := e.svc.RunOnce(ctx); ran || len(got) != 0 || err != nil {
		t.Fatalf("ran %v while another server runs: %v %v", ran, got, err)
	}
	other.ExecContext(ctx, "SELECT pg_advisory_unlock(?)", int64(0x77686f6c_696e76))
	if got, ran, err := e.svc.RunOnce(ctx); !ran || len(got) != 1 || err != nil {
		t.Fatalf("the next tick: ran %v, issued %v (%v)", ran, got, err)
	}
}

// TestTheUnfilteredListReadsWhatTheBuiltQueryReads compares the prepared
// statement of everyone's documents (the list finance opens) with the
// query built for a filter that leaves none out: the same documents, with
// the same fields, newest first, page by page.
func TestTheUnfilteredListReadsWhatTheBuiltQueryReads(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.clk.Set(amsterdam(24, 10, 0))
	de := e.company("Müller GmbH", "DE", "DE136695976", "credit")
	e.ship(e.order(e.customer, "PO-1", line("A", 2), line("B", 3)))
	e.ship(e.order(de, "DE-1", line("A", 1)))
	e.clk.Set(amsterdam(24, 17, 0))
	if _, err := e.svc.Run(ctx, nil, 0); err != nil {
		t.Fatal(err)
	}
	e.clk.Set(amsterdam(25, 11, 0))
	if _, err := e.svc.CreditNote(ctx, e.fin, invoicing.CreditNoteInput{Invoice: "2026-000001", Quantities: map[int]int{1: 1}, Reason: "dead"}); err != nil {
		t.Fatal(err)
	}
	e.ship(e.order(de, "DE-2", line("B", 1))) // a draft of the day
	all, next, err := invoicing.List(ctx, e.db, invoicing.Filter{Limit: 200})
	if err != nil || next != 0 {
		t.Fatal(next, err)
	}
	ever := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	built, _, err := invoicing.List(ctx, e.db, invoicing.Filter{From: &ever, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 4 || !reflect.DeepEqual(all, built) {
		t.Fatalf("prepared %+v\nbuilt %+v", all, built)
	}
	if all[0].State != invoicing.StateDraft || all[1].Number != "C2026-000001" || all[1].Credits != "2026-000001" || len(all[1].PerRate) == 0 {
		t.Errorf("newest first: %+v", all[:2])
	}
	// Page by page, one document a page, the same documents.
	var paged []invoicing.Summary
	for before, pages := int64(0), 0; pages < 10; pages++ {
		page, next, err := invoicing.List(ctx, e.db, invoicing.Filter{BeforeID: before, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		paged = append(paged, page...)
		if next == 0 {
			break
		}
		before = next
	}
	if !reflect.DeepEqual(paged, all) {
		t.Errorf("paged %+v\nwhole %+v", paged, all)
	}
}
