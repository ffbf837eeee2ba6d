package invoicing

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/users"
	"wholesale/internal/validate"
)

// ContentTypeUBL is the content type of a UBL file.
const ContentTypeUBL = "application/xml"

// Profile is the UBL profile of the document: the buyer's choice at issue,
// else by its country (customers.EInvoiceProfileFor).
func (d *Document) Profile() string {
	return customers.EInvoiceProfileFor(d.Buyer.Country, d.Buyer.EInvoiceProfile)
}

// UBL returns the e-invoice of an issued invoice or credit note as UBL 2.1,
// for by (who may see it as Get says): the original PDF travels inside.
// It is made once, at the mail or at the first download, and is the same
// bytes ever after. Returns NotFound.
func (s *Service) UBL(ctx context.Context, by *users.User, number string) (*File, error) {
	inv, err := s.Get(ctx, by, number)
	if err != nil {
		return nil, err
	}
	return s.ublFile(ctx, inv)
}

// UBLOf is UBL for the command line, which sees every issued document.
// Returns NotFound.
func (s *Service) UBLOf(ctx context.Context, number string) (*File, error) {
	inv, err := get(ctx, s.DB, number)
	if err != nil {
		return nil, err
	}
	return s.ublFile(ctx, inv)
}

func (s *Service) ublFile(ctx context.Context, inv *Invoice) (*File, error) {
	if inv.State != StateIssued {
		return nil, apperr.NotFoundf("Invoice not found.")
	}
	doc, err := DocumentOf(ctx, s.DB, inv)
	if err != nil {
		return nil, err
	}
	content, err := s.ublOf(ctx, s.DB, inv.ID, doc)
	if err != nil {
		return nil, err
	}
	return &File{Name: doc.Filename("xml"), ContentType: ContentTypeUBL, Content: content}, nil
}

// ublOf returns the stored UBL of an issued document, making and storing
// it first when there is none yet.
func (s *Service) ublOf(ctx context.Context, db bun.IDB, invoiceID int64, doc *Document) ([]byte, error) {
	content, err := storedDocument(ctx, db, invoiceID, "ubl", false)
	if err == nil || !errors.Is(err, sql.ErrNoRows) {
		return content, err
	}
	pdf, err := Original(ctx, db, invoiceID, "pdf")
	if err != nil {
		return nil, fmt.Errorf("invoicing: PDF of %s for its UBL: %w", doc.Number, err)
	}
	var buf bytes.Buffer
	if err := s.Writers.UBL(&buf, doc, pdf); err != nil {
		return nil, fmt.Errorf("invoicing: UBL of %s: %w", doc.Number, err)
	}
	if _, err := db.NewRaw(`INSERT INTO invoice_documents (invoice_id, format, copy, content, created_at) VALUES (?, 'ubl', false, ?, ?)
		ON CONFLICT (invoice_id, format, copy) DO NOTHING`, invoiceID, buf.Bytes(), s.now()).Exec(ctx); err != nil {
		return nil, fmt.Errorf("invoicing: store UBL of %s: %w", doc.Number, err)
	}
	return storedDocument(ctx, db, invoiceID, "ubl", false)
}

// MaxExportDays is the longest period one export of e-invoices covers.
const MaxExportDays = 366

// UBLExport is the period of an export of e-invoices as typed: two days,
// YYYY-MM-DD (the fields of the export form on the invoice list).
type UBLExport struct {
	From string `query:"from" json:"from"`
	To   string `query:"to" json:"to"`
}

// Validate reads the period: both days, the end not before the start, at
// most MaxExportDays. Returns Invalid with messages at ubl_from and ubl_to.
func (in *UBLExport) Validate() (from, to time.Time, err error) {
	fe := apperr.FieldErrors{}
	day := func(field, s string) time.Time {
		d, msg := validate.ParseDate(strings.TrimSpace(s))
		if !msg.IsZero() {
			fe.Add(field, msg)
		}
		return d
	}
	from, to = day("ubl_from", in.From), day("ubl_to", in.To)
	switch {
	case len(fe) > 0:
	case to.Before(from):
		fe.Add("ubl_to", i18n.M("The end of the period is before its start."))
	case to.Sub(from) >= MaxExportDays*24*time.Hour:
		fe.Add("ubl_to", i18n.M("One export covers at most %d days: export a longer period in parts.", MaxExportDays))
	}
	return from, to, fe.Err()
}

// ExportUBL writes to w a .zip of the UBL files of every invoice and
// credit note issued in the period, in number order, and returns how
// many (0: nothing was issued then, and w holds an empty .zip). Each
// file is made and stored first when it was not yet. Finance and admins
// only. Returns Forbidden, Invalid.
func (s *Service) ExportUBL(ctx context.Context, by *users.User, in UBLExport, w io.Writer) (int, error) {
	if !by.Is(users.RoleFinance, users.RoleAdmin) {
		return 0, apperr.Forbiddenf("Finance and admins export e-invoices.")
	}
	from, to, err := in.Validate()
	if err != nil {
		return 0, err
	}
	var numbers []string
	if err := s.DB.NewSelect().Table("invoices").Column("number").
		Where("state = 'issued' AND issue_date BETWEEN ? AND ?", from.Format(time.DateOnly), to.Format(time.DateOnly)).
		OrderExpr("kind, year, seq").Scan(ctx, &numbers); err != nil {
		return 0, fmt.Errorf("invoicing: UBL export: %w", err)
	}
	z := zip.NewWriter(w)
	for _, n := range numbers {
		f, err := s.UBLOf(ctx, n)
		if err != nil {
			return 0, err
		}
		e, err := z.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: s.now()})
		if err != nil {
			return 0, err
		}
		if _, err := e.Write(f.Content); err != nil {
			return 0, err
		}
	}
	return len(numbers), z.Close()
}
