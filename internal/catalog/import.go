package catalog

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/i18n"
	"wholesale/internal/money"
	"wholesale/internal/postgres"
	"wholesale/internal/xlsx"
)

// MaxReportedErrors is how many problems an import report lists; the
// others are only counted.
const MaxReportedErrors = 100

// RowError is what is wrong with one row of an import (row 1 is the
// header; row 0 is the file as a whole), as a message printed in the
// reader's language.
type RowError struct {
	Row    int
	Reason i18n.Message
}

// ImportReport says what an import did, or why it did nothing.
type ImportReport struct {
	Created, Updated, Unchanged int
	// Errors lists the first MaxReportedErrors problems; when there are
	// any, nothing was written.
	Errors []RowError
	// ErrorCount counts every problem found.
	ErrorCount int
}

// Add records a problem of a row.
func (r *ImportReport) Add(row int, reason i18n.Message) {
	r.ErrorCount++
	if len(r.Errors) < MaxReportedErrors {
		r.Errors = append(r.Errors, RowError{row, reason})
	}
}

// Refuse records a problem of the file as a whole, listed first.
func (r *ImportReport) Refuse(reason i18n.Message) {
	r.ErrorCount++
	r.Errors = append([]RowError{{0, reason}}, r.Errors...)
	if len(r.Errors) > MaxReportedErrors {
		r.Errors = r.Errors[:MaxReportedErrors]
	}
}

// Failed tells whether the import found a problem (and wrote nothing).
func (r *ImportReport) Failed() bool { return r.ErrorCount > 0 }

// More is how many problems were found beyond those listed.
func (r *ImportReport) More() int { return r.ErrorCount - len(r.Errors) }

// Refused records what ReadRows says of the file as a whole in the report
// and returns nil, or returns the machine's error.
func (r *ImportReport) Refused(err error) error {
	var fe *xlsx.Error
	if errors.As(err, &fe) {
		r.Refuse(fe.Msg)
		return nil
	}
	return err
}

// Reasons is the reasons a row is bad as one message, separated by
// semicolons; the zero message when there are none.
func Reasons(ms ...i18n.Message) i18n.Message {
	var out i18n.Message
	for _, m := range ms {
		switch {
		case m.IsZero():
		case out.IsZero():
			out = m
		default:
			out = i18n.M("%s; %s", out, m)
		}
	}
	return out
}

// Quote prints a value of a file in a reason: quoted, at most 40 characters.
func Quote(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		s = string([]rune(s)[:40]) + "…"
	}
	return fmt.Sprintf("%q", s)
}

// ImportRow is one data row of an import file as parse made it: its row
// number (1 is the header), its value and what is wrong with it (the
// zero message when nothing is).
type ImportRow[T any] struct {
	N     int
	Value T
	Bad   i18n.Message
}

// ReadImport reads the data rows of an import file (xlsx.ReadRows: its
// limits, read as a stream) under a header of the columns known, of which
// required must be there, and makes each row with parse, which gets the
// cell of a column by name. What is wrong with the file as a whole is in
// rep; the rows come back only when they are worth looking up (rep may
// hold problems of the header besides). It returns the machine's error.
func ReadImport[T any](rep *ImportReport, content []byte, known, required []string, parse func(cell func(col string) string) (T, i18n.Message)) ([]ImportRow[T], error) {
	var idx map[string]int
	var rows []ImportRow[T]
	err := xlsx.ReadRows(content, func(r xlsx.Row) error {
		if r.N == 1 {
			idx = Header(rep, r.Cells, known, required)
			return nil
		}
		if len(r.Cells) == 0 {
			return nil
		}
		v, bad := parse(func(col string) string { return Cell(r.Cells, idx, col) })
		rows = append(rows, ImportRow[T]{r.N, v, bad})
		return nil
	})
	if err := rep.Refused(err); err != nil {
		return nil, err
	}
	if idx == nil && !rep.Failed() {
		rep.Refuse(i18n.M("The file is empty."))
	}
	if rep.Failed() && len(rows) == 0 {
		return nil, nil
	}
	return rows, nil
}

// Header maps the column names of a header row to their index; unknown,
// doubled and missing columns are problems of row 1.
func Header(rep *ImportReport, cells, known, required []string) map[string]int {
	idx := map[string]int{}
	isKnown := map[string]bool{}
	for _, k := range known {
		isKnown[k] = true
	}
	for i, h := range cells {
		h = strings.ToLower(strings.TrimSpace(h))
		if h == "" {
			continue
		}
		if !isKnown[h] {
			rep.Add(1, i18n.M("unknown column %s (known: %s)", Quote(h), strings.Join(known, ", ")))
			continue
		}
		if _, dup := idx[h]; dup {
			rep.Add(1, i18n.M("column %s appears twice", Quote(h)))
		}
		idx[h] = i
	}
	for _, r := range required {
		if _, ok := idx[r]; !ok {
			rep.Add(1, i18n.M("column %s is missing", Quote(r)))
		}
	}
	return idx
}

// Cell returns the cell of the column, or "".
func Cell(cells []string, idx map[string]int, col string) string {
	if i, ok := idx[col]; ok && i < len(cells) {
		return cells[i]
	}
	return ""
}

// ProductColumns are the columns of a product import and export, in order.
var ProductColumns = []string{"sku", "name", "brand", "description", "unit_price", "vat_rate", "ean", "max_per_order", "doa_returnable", "supply"}

// ImportProducts reads products from an .xlsx or CSV file (xlsx.ReadRows:
// its limits, read as a stream) and creates or updates them by SKU. The
// file is read twice: first it is validated as a whole, and with any bad
// row nothing is written and the report lists the first
// MaxReportedErrors problems and counts all; then it is read again and
// written importChunk products at a time, so that memory does not grow
// with the rows.
// It returns no apperr kind: what is wrong with the file is in the report,
// and an error is the machine's.
func (s *Service) ImportProducts(ctx context.Context, content []byte) (ImportReport, error) {
	var rep ImportReport
	if err := eachProduct(content, &rep, nil); err != nil || rep.Failed() {
		return rep, err
	}
	err := postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		now := s.Clock.Now()
		chunk := make([]*Product, 0, importChunk)
		write := func() error {
			err := s.writeProducts(ctx, tx, now, chunk, &rep)
			chunk = chunk[:0]
			return err
		}
		var again ImportReport
		err := eachProduct(content, &again, func(p *Product) error {
			if chunk = append(chunk, p); len(chunk) == importChunk {
				return write()
			}
			return nil
		})
		if err == nil && again.Failed() {
			err = fmt.Errorf("catalog: import: the file read differently the second time: %v", again.Errors)
		}
		if err != nil {
			return err
		}
		return write()
	})
	return rep, err
}

// eachProduct reads the product rows of content, recording every problem
// in rep, and gives each good row's product to fn (when not nil) until a
// problem is found.
func eachProduct(content []byte, rep *ImportReport, fn func(*Product) error) error {
	var idx map[string]int
	seen := map[string]int{}
	err := xlsx.ReadRows(content, func(r xlsx.Row) error {
		if r.N == 1 {
			idx = Header(rep, r.Cells, ProductColumns, []string{"sku", "name", "unit_price"})
			return nil
		}
		if len(r.Cells) == 0 {
			return nil
		}
		c := func(col string) string { return Cell(r.Cells, idx, col) }
		in := ProductInput{SKU: c("sku"), Name: c("name"), Brand: c("brand"), Description: c("description"), UnitPrice: c("unit_price"),
			VATRate: c("vat_rate"), EAN: c("ean"), MaxPerOrder: c("max_per_order"), DOAReturnable: c("doa_returnable"), Supply: c("supply")}
		p, err := in.Parse()
		if err != nil {
			rep.Add(r.N, fieldList(err))
			return nil
		}
		if first, dup := seen[p.SKU]; dup {
			rep.Add(r.N, i18n.M("SKU %s appears already in row %d", p.SKU, first))
			return nil
		}
		seen[p.SKU] = r.N
		if fn == nil || rep.Failed() {
			return nil
		}
		return fn(p)
	})
	if err := rep.Refused(err); err != nil {
		return err
	}
	if idx == nil && !rep.Failed() {
		rep.Refuse(i18n.M("The file is empty."))
	}
	return nil
}

// importChunk is how many products one statement of an import writes.
const importChunk = 1000

// writeProducts creates or updates the products by SKU with tx, a few
// statements for all of them: new ones are inserted, changed ones
// updated, unchanged ones left alone; every change is audited.
func (s *Service) writeProducts(ctx context.Context, tx bun.IDB, now time.Time, products []*Product, rep *ImportReport) error {
	skus := make([]string, len(products))
	for i, p := range products {
		skus[i] = p.SKU
	}
	var old []Product
	if err := tx.NewSelect().Model(&old).Where("p.sku = ANY(?)", pgdialect.Array(skus)).For("UPDATE").Scan(ctx); err != nil {
		return err
	}
	bySKU := make(map[string]*Product, len(old))
	for i := range old {
		bySKU[old[i].SKU] = &old[i]
	}
	var created []*Product
	var updated []productRow
	var changes []audit.Change
	for _, p := range products {
		o, ok := bySKU[p.SKU]
		if !ok {
			p.CreatedAt, p.UpdatedAt = now, now
			created = append(created, p)
			continue
		}
		p.ID, p.CreatedAt, p.UpdatedAt = o.ID, o.CreatedAt, now
		if sameProduct(o, p) {
			rep.Unchanged++
			continue
		}
		updated = append(updated, rowOf(p))
		changes = append(changes, audit.Change{Entity: "product", EntityID: p.ID, Action: "update", Before: o, After: p})
	}
	if len(created) > 0 {
		if _, err := tx.NewInsert().Model(&created).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
			return err
		}
		for _, p := range created {
			changes = append(changes, audit.Change{Entity: "product", EntityID: p.ID, Action: "create", After: p})
		}
	}
	if len(updated) > 0 {
		data, err := json.Marshal(updated)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE products p SET name = x.name, brand = x.brand, description = x.description,
			unit_price_cents = x.unit_price_cents, vat_rate = x.vat_rate, ean = x.ean, max_per_order = x.max_per_order,
			doa_returnable = x.doa_returnable, supply = x.supply, updated_at = ?
			FROM jsonb_to_recordset(?::jsonb) AS x(id bigint, name text, brand text, description text, unit_price_cents bigint,
			  vat_rate int, ean text, max_per_order int, doa_returnable boolean, supply text)
			WHERE p.id = x.id`, now, string(data)); err != nil {
			return err
		}
	}
	rep.Created += len(created)
	rep.Updated += len(updated)
	return audit.RecordMany(ctx, tx, now, changes)
}

// productRow is a product's writable fields as writeProducts sends them.
type productRow struct {
	ID             int64  `json:"id"`
	Name           string `json:"name"`
	Brand          string `json:"brand"`
	Description    string `json:"description"`
	UnitPriceCents int64  `json:"unit_price_cents"`
	VATRate        int    `json:"vat_rate"`
	EAN            string `json:"ean"`
	MaxPerOrder    *int   `json:"max_per_order"`
	DOAReturnable  bool   `json:"doa_returnable"`
	Supply         string `json:"supply"`
}

func rowOf(p *Product) productRow {
	return productRow{p.ID, p.Name, p.Brand, p.Description, p.UnitPriceCents, p.VATRate, p.EAN, p.MaxPerOrder, p.DOAReturnable, p.Supply}
}

// sameProduct tells whether an import leaves the stored product o as it is.
func sameProduct(o, p *Product) bool {
	a, b := rowOf(o), rowOf(p)
	a.MaxPerOrder, b.MaxPerOrder = nil, nil
	sameMax := (o.MaxPerOrder == nil) == (p.MaxPerOrder == nil) && (o.MaxPerOrder == nil || *o.MaxPerOrder == *p.MaxPerOrder)
	return a == b && sameMax
}

// fieldList is an Invalid error's field messages as one message, each
// after its column: "sku: …; name: …".
func fieldList(err error) i18n.Message {
	ae, ok := apperr.As(err)
	if !ok || len(ae.Fields) == 0 {
		return i18n.Raw(err.Error())
	}
	var parts []i18n.Message
	for _, col := range ProductColumns {
		if msg, ok := ae.Fields[col]; ok {
			parts = append(parts, i18n.M("%s: %s", col, msg))
		}
	}
	return Reasons(parts...)
}

// ExportProducts writes every product as .xlsx or CSV, in the import's columns.
func (s *Service) ExportProducts(ctx context.Context, w io.Writer, format string) error {
	out, err := xlsx.NewWriter(w, format, "Products", ProductColumns)
	if err != nil {
		return err
	}
	rows, err := s.DB.NewSelect().Model((*Product)(nil)).OrderExpr("p.sku").Rows(ctx)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var p Product
		if err := s.DB.ScanRow(ctx, rows, &p); err != nil {
			return err
		}
		maxPer := ""
		if p.MaxPerOrder != nil {
			maxPer = fmt.Sprint(*p.MaxPerOrder)
		}
		doa := map[bool]string{true: "yes", false: "no"}[p.DOAReturnable]
		if err := out.Row(p.SKU, p.Name, p.Brand, p.Description, money.Input(p.UnitPriceCents), p.VATRate, p.EAN, maxPer, doa, p.Supply); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return out.Close()
}
