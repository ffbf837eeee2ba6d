package invoicing

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/calendar"
	"wholesale/internal/users"
)

// ContentTypes of the document formats.
var ContentTypes = map[string]string{
	"pdf":  "application/pdf",
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

// File is a document to download.
type File struct {
	Name        string
	ContentType string
	Content     []byte
}

// Download returns the PDF or Excel ("pdf", "xlsx") of an issued invoice
// or credit note for by. The original went with the mail: every download
// is a copy, marked KOPIE / COPY, made once at the first download and the
// same bytes ever after. Returns NotFound.
func (s *Service) Download(ctx context.Context, by *users.User, number, format string) (*File, error) {
	if ContentTypes[format] == "" {
		return nil, apperr.NotFoundf("Invoice not found.")
	}
	inv, err := s.Get(ctx, by, number)
	if err != nil {
		return nil, err
	}
	if inv.State != StateIssued {
		return nil, apperr.NotFoundf("Invoice not found.")
	}
	doc, err := DocumentOf(ctx, s.DB, inv)
	if err != nil {
		return nil, err
	}
	doc.Copy = true
	f := &File{Name: doc.Filename(format), ContentType: ContentTypes[format]}
	if f.Content, err = storedDocument(ctx, s.DB, inv.ID, format, true); err == nil || !errors.Is(err, sql.ErrNoRows) {
		return f, err
	}
	var buf bytes.Buffer
	write := s.Writers.PDF
	if format == "xlsx" {
		write = s.Writers.XLSX
	}
	if err := write(&buf, doc); err != nil {
		return nil, fmt.Errorf("invoicing: copy of %s: %w", number, err)
	}
	if _, err := s.DB.NewRaw(`INSERT INTO invoice_documents (invoice_id, format, copy, content, created_at) VALUES (?, ?, true, ?, ?)
		ON CONFLICT (invoice_id, format, copy) DO NOTHING`, inv.ID, format, buf.Bytes(), s.now()).Exec(ctx); err != nil {
		return nil, fmt.Errorf("invoicing: store copy of %s: %w", number, err)
	}
	f.Content, err = storedDocument(ctx, s.DB, inv.ID, format, true)
	return f, err
}

// Original returns the stored original (the mailed document) of an issued
// invoice: for checks and the mail, never offered as a download.
func Original(ctx context.Context, db bun.IDB, invoiceID int64, format string) ([]byte, error) {
	return storedDocument(ctx, db, invoiceID, format, false)
}

func storedDocument(ctx context.Context, db bun.IDB, invoiceID int64, format string, copy bool) ([]byte, error) {
	var content []byte
	err := db.NewRaw(`SELECT content FROM invoice_documents WHERE invoice_id = ? AND format = ? AND copy = ?`, invoiceID, format, copy).
		Scan(ctx, &content)
	return content, err
}

// DocumentOf is the Document of an issued invoice or credit note as it was
// issued: the parties as they were then and the stored figures.
func DocumentOf(ctx context.Context, db bun.IDB, inv *Invoice) (*Document, error) {
	if inv.State != StateIssued || inv.Seller == nil || inv.Buyer == nil {
		return nil, fmt.Errorf("invoicing: invoice %d is not issued", inv.ID)
	}
	if inv.Lines == nil {
		if err := linesOf(ctx, db, inv); err != nil {
			return nil, err
		}
	}
	d := &Document{Kind: inv.Kind, Number: inv.NumberOr(), Language: inv.Language, IssueDate: day(inv.IssueDate),
		SupplyDate: day(inv.SupplyDate), DueDate: day(inv.DueDate), Seller: *inv.Seller, Buyer: *inv.Buyer, VATMode: inv.VATMode,
		Reason: inv.Reason, PrepaidCents: inv.PrepaidCents}
	if inv.PaymentReference != nil {
		d.PaymentReference = *inv.PaymentReference
	}
	if inv.Kind == KindCreditNote {
		d.DueDate = time.Time{}
	}
	fill(d, inv.Lines)
	d.Rates, d.TotalExclCents, d.VATCents, d.TotalInclCents = inv.PerRate, inv.TotalExclCents, inv.VATCents, inv.TotalInclCents
	if inv.CreditsInvoiceID != nil {
		var orig struct {
			Number    string    `bun:"number"`
			IssueDate time.Time `bun:"issue_date"`
		}
		if err := db.NewRaw(`SELECT number, issue_date FROM invoices WHERE id = ?`, *inv.CreditsInvoiceID).Scan(ctx, &orig); err != nil {
			return nil, err
		}
		d.Credits, d.CreditsDate = orig.Number, calendar.Day(orig.IssueDate)
	}
	return d, nil
}

func day(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return calendar.Day(*t)
}
