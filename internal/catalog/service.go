package catalog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/clock"
	"wholesale/internal/money"
	"wholesale/internal/postgres"
	"wholesale/internal/xlsx"
)

// Service holds the use cases of the catalogue.
type Service struct {
	DB    *bun.DB
	Clock clock.Clock
}

// Save creates the product, or updates the one with the same SKU. Returns Invalid.
func (s *Service) Save(ctx context.Context, in ProductInput) (*Product, error) {
	p, err := in.Parse()
	if err != nil {
		return nil, err
	}
	err = postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		_, err := s.upsert(ctx, tx, p)
		return err
	})
	return p, err
}

// upsert writes p by SKU with tx and audits it; it reports whether p is new.
func (s *Service) upsert(ctx context.Context, tx bun.IDB, p *Product) (bool, error) {
	now := s.Clock.Now()
	old := new(Product)
	err := tx.NewSelect().Model(old).Where("p.sku = ?", p.SKU).For("UPDATE").Scan(ctx)
	if err == nil {
		p.ID, p.CreatedAt, p.UpdatedAt = old.ID, old.CreatedAt, now
		if _, err := tx.NewUpdate().Model(p).WherePK().ExcludeColumn("id", "created_at").Exec(ctx); err != nil {
			return false, err
		}
		return false, audit.Record(ctx, tx, now, audit.Change{Entity: "product", EntityID: p.ID, Action: "update", Before: old, After: p})
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return false, err
	}
	p.CreatedAt, p.UpdatedAt = now, now
	if _, err := tx.NewInsert().Model(p).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
		return false, err
	}
	return true, audit.Record(ctx, tx, now, audit.Change{Entity: "product", EntityID: p.ID, Action: "create", After: p})
}

// SaveServiceCentre creates or updates the service centre of a brand. Returns Invalid.
func (s *Service) SaveServiceCentre(ctx context.Context, sc ServiceCentre) error {
	if err := sc.Validate().Err(); err != nil {
		return err
	}
	return postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		_, err := tx.NewInsert().Model(&sc).ExcludeColumn("id").On("CONFLICT (brand) DO UPDATE").
			Set("name = EXCLUDED.name, address = EXCLUDED.address, phone = EXCLUDED.phone, email = EXCLUDED.email, web = EXCLUDED.web").
			Returning("id").Exec(ctx)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, s.Clock.Now(), audit.Change{Entity: "service_centre", EntityID: sc.ID, Action: "save", After: sc})
	})
}

// RowError is what is wrong with one row of an import (row 1 is the header).
type RowError struct {
	Row    int
	Reason string
}

// ImportReport says what an import did, or why it did nothing.
type ImportReport struct {
	Created, Updated int
	// Errors lists every bad row; when there are any, nothing was written.
	Errors []RowError
}

// ProductColumns are the columns of a product import and export, in order.
var ProductColumns = []string{"sku", "name", "brand", "description", "unit_price", "vat_rate", "ean", "max_per_order", "doa_returnable", "supply"}

// header maps column names to their index; unknown and missing columns are row errors.
func header(row []string, known, required []string) (map[string]int, []RowError) {
	idx := map[string]int{}
	var errs []RowError
	isKnown := map[string]bool{}
	for _, k := range known {
		isKnown[k] = true
	}
	for i, h := range row {
		h = strings.ToLower(strings.TrimSpace(h))
		if h == "" {
			continue
		}
		if !isKnown[h] {
			errs = append(errs, RowError{1, fmt.Sprintf("unknown column %q (known: %s)", h, strings.Join(known, ", "))})
			continue
		}
		if _, dup := idx[h]; dup {
			errs = append(errs, RowError{1, fmt.Sprintf("column %q appears twice", h)})
		}
		idx[h] = i
	}
	for _, r := range required {
		if _, ok := idx[r]; !ok {
			errs = append(errs, RowError{1, fmt.Sprintf("column %q is missing", r)})
		}
	}
	return idx, errs
}

func cell(row []string, idx map[string]int, col string) string {
	if i, ok := idx[col]; ok && i < len(row) {
		return row[i]
	}
	return ""
}

func blank(row []string) bool {
	for _, c := range row {
		if c != "" {
			return false
		}
	}
	return true
}

// ImportProducts reads products from an .xlsx or CSV file and creates or
// updates them by SKU. The file is validated as a whole first: with any bad
// row nothing is written and every bad row is reported.
func (s *Service) ImportProducts(ctx context.Context, content []byte) (ImportReport, error) {
	var rep ImportReport
	rows, err := xlsx.ReadTable(content)
	if err != nil {
		rep.Errors = []RowError{{0, err.Error()}}
		return rep, nil
	}
	if len(rows) == 0 {
		rep.Errors = []RowError{{0, "the file is empty"}}
		return rep, nil
	}
	idx, errs := header(rows[0], ProductColumns, []string{"sku", "name", "unit_price"})
	rep.Errors = errs
	var products []*Product
	seen := map[string]int{}
	for i, row := range rows[1:] {
		n := i + 2
		if blank(row) {
			continue
		}
		in := ProductInput{SKU: cell(row, idx, "sku"), Name: cell(row, idx, "name"), Brand: cell(row, idx, "brand"),
			Description: cell(row, idx, "description"), UnitPrice: cell(row, idx, "unit_price"), VATRate: cell(row, idx, "vat_rate"),
			EAN: cell(row, idx, "ean"), MaxPerOrder: cell(row, idx, "max_per_order"), DOAReturnable: cell(row, idx, "doa_returnable"),
			Supply: cell(row, idx, "supply")}
		p, err := in.Parse()
		if err != nil {
			rep.Errors = append(rep.Errors, RowError{n, fieldList(err)})
			continue
		}
		if first, dup := seen[p.SKU]; dup {
			rep.Errors = append(rep.Errors, RowError{n, fmt.Sprintf("SKU %s appears already in row %d", p.SKU, first)})
			continue
		}
		seen[p.SKU] = n
		products = append(products, p)
	}
	if len(rep.Errors) > 0 {
		return rep, nil
	}
	err = postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		for _, p := range products {
			created, err := s.upsert(ctx, tx, p)
			if err != nil {
				return err
			}
			if created {
				rep.Created++
			} else {
				rep.Updated++
			}
		}
		return nil
	})
	return rep, err
}

// fieldList prints an Invalid error's field messages in one line.
func fieldList(err error) string {
	ae, ok := apperr.As(err)
	if !ok || len(ae.Fields) == 0 {
		return err.Error()
	}
	var parts []string
	for _, col := range ProductColumns {
		if msg, ok := ae.Fields[col]; ok {
			parts = append(parts, col+": "+msg)
		}
	}
	return strings.Join(parts, "; ")
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
