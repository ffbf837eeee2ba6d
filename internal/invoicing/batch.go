package invoicing

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"wholesale/internal/audit"
	"wholesale/internal/calendar"
	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/mail"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
)

// issuing is one draft on its way to being issued.
type issuing struct {
	draft   *Invoice
	company *customers.Company
	lines   []Line
	doc     *Document
	seq     int
	pdf     []byte
	xlsx    []byte
	ubl     []byte // only for customers who want it in the mail
}

// batchOf is the drafts one transaction issues.
type batchOf struct {
	docs []*issuing
}

// prepare reads what the drafts' documents need and computes them.
func (s *Service) prepare(ctx context.Context, tx bun.IDB, now time.Time, drafts []Invoice, due map[time.Time]time.Time) (*batchOf, error) {
	seller, err := Seller(ctx, tx)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(drafts))
	companyIDs := make([]int64, len(drafts))
	for i := range drafts {
		ids[i], companyIDs[i] = drafts[i].ID, drafts[i].CompanyID
	}
	var lines []Line
	err = tx.NewSelect().Model(&lines).ColumnExpr("il.*, o.po_reference").Join("JOIN orders AS o ON o.id = il.order_id").
		Where("il.invoice_id = ANY(?)", pgdialect.Array(ids)).OrderExpr("il.invoice_id, il.line_no").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("invoicing: draft lines: %w", err)
	}
	byDraft := map[int64][]Line{}
	for _, l := range lines {
		byDraft[l.InvoiceID] = append(byDraft[l.InvoiceID], l)
	}
	var companies []customers.Company
	if err := tx.NewSelect().Model(&companies).Where("co.id = ANY(?)", pgdialect.Array(companyIDs)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("invoicing: customers: %w", err)
	}
	byID := map[int64]*customers.Company{}
	for i := range companies {
		byID[companies[i].ID] = &companies[i]
	}
	var supplied []struct {
		InvoiceID int64     `bun:"invoice_id"`
		Day       time.Time `bun:"day"`
	}
	err = tx.NewRaw(`SELECT il.invoice_id, max(s.shipped_on) AS day FROM invoice_lines il JOIN shipments s ON s.id = il.shipment_id
		WHERE il.invoice_id = ANY(?) GROUP BY il.invoice_id`, pgdialect.Array(ids)).Scan(ctx, &supplied)
	if err != nil {
		return nil, fmt.Errorf("invoicing: supply dates: %w", err)
	}
	supply := map[int64]time.Time{}
	for _, x := range supplied {
		supply[x.InvoiceID] = calendar.Day(x.Day)
	}
	b := &batchOf{}
	for i := range drafts {
		d := &drafts[i]
		if len(byDraft[d.ID]) == 0 {
			continue // emptied: nothing to invoice
		}
		c := byID[d.CompanyID]
		issue := due[calendar.Day(d.BusinessDay)]
		doc := &Document{Kind: KindInvoice, Language: c.Lang(), IssueDate: issue, SupplyDate: issue,
			DueDate: issue.AddDate(0, 0, c.PaymentTermDays), Seller: seller, Buyer: buyer(c), VATMode: d.VATMode}
		if c.Prepayment() {
			doc.DueDate = issue
		}
		if day, ok := supply[d.ID]; ok {
			doc.SupplyDate = day
		}
		fill(doc, byDraft[d.ID])
		if c.Prepayment() {
			doc.PrepaidCents = doc.TotalInclCents
		}
		b.docs = append(b.docs, &issuing{draft: d, company: c, lines: byDraft[d.ID], doc: doc})
	}
	return b, nil
}

// fill puts lines, the orders they come from and the totals in doc.
func fill(doc *Document, lines []Line) {
	doc.Lines = docLines(lines)
	l := i18n.For(doc.Language)
	seen := map[int64]bool{}
	for i := range doc.Lines {
		dl := &doc.Lines[i]
		if dl.Shipping && doc.Kind == KindInvoice {
			dl.Description = l.Text(i18n.M("Shipping costs, order %d", dl.OrderID))
		}
		if !seen[dl.OrderID] {
			seen[dl.OrderID] = true
			doc.Orders = append(doc.Orders, OrderRef{OrderID: dl.OrderID, POReference: dl.POReference})
		}
	}
	doc.Rates, doc.TotalExclCents, doc.VATCents, doc.TotalInclCents = Totals(doc.Lines, doc.VATMode)
}

// render makes every document's PDF and Excel, on all cores.
func (s *Service) render(docs []*issuing) error {
	workers := s.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	work := make(chan *issuing)
	errs := make(chan error, len(docs))
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range work {
				var p, x bytes.Buffer
				if err := s.Writers.PDF(&p, d.doc); err != nil {
					errs <- fmt.Errorf("invoicing: PDF of %s: %w", d.doc.Number, err)
					continue
				}
				if err := s.Writers.XLSX(&x, d.doc); err != nil {
					errs <- fmt.Errorf("invoicing: Excel of %s: %w", d.doc.Number, err)
					continue
				}
				d.pdf, d.xlsx = p.Bytes(), x.Bytes()
				if d.company.UBLInMail {
					var u bytes.Buffer
					if err := s.Writers.UBL(&u, d.doc, d.pdf); err != nil {
						errs <- fmt.Errorf("invoicing: UBL of %s: %w", d.doc.Number, err)
						continue
					}
					d.ubl = u.Bytes()
				}
			}
		}()
	}
	for _, d := range docs {
		work <- d
	}
	close(work)
	wg.Wait()
	close(errs)
	return <-errs
}

// store writes the issued invoices, their documents, the orders' invoiced
// part, the mails and the audit entries.
func (b *batchOf) store(ctx context.Context, tx *postgres.Tx, now time.Time, by *users.User) error {
	if len(b.docs) == 0 {
		return nil
	}
	docIDs, err := storeDocuments(ctx, tx, now, b.docs)
	if err != nil {
		return err
	}
	var byID *int64
	if by != nil {
		byID = &by.ID
	}
	n := len(b.docs)
	ids, numbers, langs, sellers, buyers, rates := make([]int64, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	years, seqs := make([]int64, n), make([]int64, n)
	issue, supply, due := make([]string, n), make([]string, n), make([]string, n)
	excl, vat, incl, paid := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
	changes := make([]audit.Change, 0, n)
	orderCents := map[int64]int64{}
	batch := postgres.NewBatch(tx)
	for i, x := range b.docs {
		d := x.doc
		ids[i], numbers[i], langs[i] = x.draft.ID, d.Number, string(d.Language)
		sellers[i], buyers[i], rates[i] = jsonOf(d.Seller), jsonOf(d.Buyer), jsonOf(d.Rates)
		years[i], seqs[i] = int64(d.IssueDate.Year()), int64(x.seq)
		dueDay := d.DueDate
		if dueDay.IsZero() { // a credit note is due at once
			dueDay = d.IssueDate
		}
		issue[i], supply[i], due[i] = d.IssueDate.Format(time.DateOnly), d.SupplyDate.Format(time.DateOnly), dueDay.Format(time.DateOnly)
		excl[i], vat[i], incl[i], paid[i] = d.TotalExclCents, d.VATCents, d.TotalInclCents, d.PrepaidCents
		if d.Kind == KindInvoice {
			for id, cents := range orderParts(d) {
				orderCents[id] += cents
			}
		}
		changes = append(changes, audit.Change{Entity: "invoice", EntityID: x.draft.ID, Action: "issue",
			Before: map[string]any{"state": StateDraft},
			After: map[string]any{"state": StateIssued, "number": d.Number, "issue_date": issue[i], "due_date": due[i],
				"total_incl_cents": d.TotalInclCents, "customer": x.company.ID}})
		if err := mailIssued(batch, now, x, docIDs[x.draft.ID]); err != nil {
			return err
		}
	}
	A := pgdialect.Array
	batch.Raw(`UPDATE invoices i SET state = 'issued', number = x.number, year = x.year, seq = x.seq, issue_date = x.issue,
		supply_date = x.supply, due_date = x.due, language = x.lang, seller = x.seller::jsonb, buyer = x.buyer::jsonb,
		payment_reference = x.number, total_excl_cents = x.excl, vat_cents = x.vat, total_incl_cents = x.incl,
		per_rate = x.rates::jsonb, paid_cents = x.paid, prepaid_cents = x.paid, issued_at = ?, issued_by = ?, updated_at = ?
		FROM unnest(?::bigint[], ?::text[], ?::int[], ?::int[], ?::date[], ?::date[], ?::date[], ?::text[], ?::text[], ?::text[],
			?::bigint[], ?::bigint[], ?::bigint[], ?::text[], ?::bigint[])
			AS x(id, number, year, seq, issue, supply, due, lang, seller, buyer, excl, vat, incl, rates, paid)
		WHERE i.id = x.id`, now, byID, now,
		A(ids), A(numbers), A(years), A(seqs), A(issue), A(supply), A(due), A(langs), A(sellers), A(buyers),
		A(excl), A(vat), A(incl), A(rates), A(paid))
	addOrderUpdates(batch, now, ids, orderCents)
	if err := batch.Exec(ctx, tx); err != nil {
		return fmt.Errorf("invoicing: issue: %w", err)
	}
	return audit.RecordMany(ctx, tx, now, changes)
}

// orderParts is each order's part of doc, incl. VAT: its lines' VAT
// computed per rate as the invoice does.
func orderParts(d *Document) map[int64]int64 {
	per := map[int64][]DocLine{}
	for _, l := range d.Lines {
		per[l.OrderID] = append(per[l.OrderID], l)
	}
	out := map[int64]int64{}
	for id, ls := range per {
		_, _, _, incl := Totals(ls, d.VATMode)
		out[id] = incl
	}
	return out
}

// storedDocs are the ids of an invoice's stored PDF, Excel and UBL (0
// when it was not made with the invoice).
type storedDocs struct{ pdf, xlsx, ubl int64 }

type storedFile struct {
	id      int64
	format  string
	content []byte
}

// storeDocuments inserts the originals of the documents, their bytes as
// parameters: written into the SQL they would cost more than the rest of
// the batch's writes.
func storeDocuments(ctx context.Context, tx *postgres.Tx, now time.Time, docs []*issuing) (map[int64]storedDocs, error) {
	count := 0
	for _, d := range docs {
		count += 2
		if d.ubl != nil {
			count++
		}
	}
	var ids []int64
	if err := tx.NewRaw(`SELECT nextval('invoice_documents_id_seq') FROM generate_series(1, ?)`, count).Scan(ctx, &ids); err != nil {
		return nil, fmt.Errorf("invoicing: document ids: %w", err)
	}
	var q strings.Builder
	q.WriteString("INSERT INTO invoice_documents (id, invoice_id, format, copy, content, created_at) VALUES ")
	args := make([]any, 0, 5*count)
	out := map[int64]storedDocs{}
	next := func() int64 { id := ids[0]; ids = ids[1:]; return id }
	for _, d := range docs {
		s := storedDocs{pdf: next(), xlsx: next()}
		files := []storedFile{{s.pdf, "pdf", d.pdf}, {s.xlsx, "xlsx", d.xlsx}}
		if d.ubl != nil {
			s.ubl = next()
			files = append(files, storedFile{s.ubl, "ubl", d.ubl})
		}
		out[d.draft.ID] = s
		for _, f := range files {
			if len(args) > 0 {
				q.WriteString(", ")
			}
			n := len(args)
			fmt.Fprintf(&q, "($%d, $%d, $%d, false, $%d, $%d)", n+1, n+2, n+3, n+4, n+5)
			args = append(args, f.id, d.draft.ID, f.format, f.content, now)
		}
	}
	if _, err := tx.ExecParams(ctx, q.String(), args...); err != nil {
		return nil, fmt.Errorf("invoicing: store documents: %w", err)
	}
	return out, nil
}

// profileName is the short name of a UBL profile.
func profileName(p string) string {
	if p == customers.ProfilePeppol {
		return "Peppol BIS Billing 3.0"
	}
	return "SI-UBL 2.0"
}

// mailIssued queues the invoice's mail, the original, with both files.
func mailIssued(b *postgres.Batch, now time.Time, x *issuing, docs storedDocs) error {
	d := x.doc
	l := i18n.For(d.Language)
	subject := l.Text(i18n.M("%s %s from %s", d.Title(), d.Number, d.Seller.Name))
	body := l.Text(i18n.M("Dear %s,", x.company.Name)) + "\n\n" +
		l.Text(i18n.M("Attached are %s %s of %s for %s, as PDF and as Excel. This mail is the original; every later download is a copy.",
			d.Title(), d.Number, i18n.D(d.IssueDate), i18n.Amount(d.TotalInclCents))) + "\n\n"
	if d.TotalInclCents > d.PrepaidCents {
		body += l.Text(i18n.M("Please pay %s by %s to %s, stating %s.", i18n.Amount(d.TotalInclCents-d.PrepaidCents), i18n.D(d.DueDate), d.Seller.IBAN, d.PaymentReference)) + "\n"
	}
	atts := []mail.Attachment{
		{Filename: d.Filename("pdf"), ContentType: "application/pdf", DocumentID: docs.pdf},
		{Filename: d.Filename("xlsx"), ContentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", DocumentID: docs.xlsx},
	}
	if docs.ubl != 0 {
		atts = append(atts, mail.Attachment{Filename: d.Filename("xml"), ContentType: ContentTypeUBL, DocumentID: docs.ubl})
		body += "\n" + l.Text(i18n.M("The e-invoice (UBL, %s) is attached too, with the PDF inside.", profileName(d.Profile()))) + "\n"
	}
	return mail.EnqueueWithIn(b, now, d.Language, invoiceEmail(x.company), subject, body, atts)
}

// addOrderUpdates adds to batch the updates of the orders whose goods the
// invoices ids issue: their invoiced part, their invoice state and, when
// all shipped and invoiced, their status.
func addOrderUpdates(batch *postgres.Batch, now time.Time, ids []int64, orderCents map[int64]int64) {
	if len(orderCents) == 0 {
		return
	}
	A := pgdialect.Array
	orderIDs, cents := make([]int64, 0, len(orderCents)), make([]int64, 0, len(orderCents))
	for id, c := range orderCents {
		orderIDs, cents = append(orderIDs, id), append(cents, c)
	}
	batch.Raw(`UPDATE orders o SET invoiced_cents = o.invoiced_cents + x.cents, first_invoiced_at = COALESCE(o.first_invoiced_at, ?),
		invoice_state = CASE WHEN EXISTS (SELECT 1 FROM invoice_lines il JOIN invoices i ON i.id = il.invoice_id
			WHERE il.order_id = o.id AND i.state = 'draft' AND i.id <> ALL(?::bigint[])) THEN 'draft' ELSE 'issued' END,
		updated_at = ?
		FROM unnest(?::bigint[], ?::bigint[]) AS x(id, cents) WHERE o.id = x.id`, now, A(ids), now, A(orderIDs), A(cents))
	batch.Raw(`UPDATE orders SET status = 'invoiced' WHERE id = ANY(?) AND state = 'placed' AND ship_state = 'all' AND invoice_state = 'issued'`, A(orderIDs))
}
