package stock

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/audit"
	"wholesale/internal/catalog"
	"wholesale/internal/i18n"
	"wholesale/internal/postgres"
	"wholesale/internal/xlsx"
)

// SupplierStockColumns are the columns of the supplier-stock import and export.
var SupplierStockColumns = []string{"sku", "supplier_stock", "lead_days"}

// MaxLeadDays is the longest lead time of a supplier, in calendar days.
const MaxLeadDays = 365

// SupplierStock is what our supplier holds of a product in its own stock
// and in how many calendar days it delivers from there (seed 003: "Varene
// bestilles fra vår leverandørs lager").
type SupplierStock struct {
	bun.BaseModel `bun:"table:supplier_stock,alias:ss"`

	ProductID int64     `bun:"product_id,pk" json:"product_id"`
	Quantity  int       `bun:"quantity" json:"quantity"`
	LeadDays  int       `bun:"lead_days" json:"lead_days"`
	UpdatedAt time.Time `bun:"updated_at" json:"updated_at"`
}

// SupplierStockInput is one row of the supplier-stock import as read.
type SupplierStockInput struct {
	SKU, Quantity, LeadDays string
}

// SupplierStockRow is a supplier-stock row that parsed: a well-formed SKU
// (whether it exists is looked up after), a quantity and a lead time.
type SupplierStockRow struct {
	SKU                string
	Quantity, LeadDays int
}

// Parse bounds every field of the row: the SKU as catalog.ValidSKU, the
// supplier's stock a whole number of 0 to MaxOnHand, the lead time 1 to
// MaxLeadDays calendar days. It returns the reasons the row is bad, the
// zero message when it is not.
func (in SupplierStockInput) Parse() (SupplierStockRow, i18n.Message) {
	r := SupplierStockRow{SKU: strings.ToUpper(strings.TrimSpace(in.SKU))}
	var reasons []i18n.Message
	if !catalog.ValidSKU(r.SKU) {
		reasons = append(reasons, badSKU(r.SKU))
	}
	var ok bool
	if r.Quantity, ok = catalog.ParseCount(in.Quantity, MaxOnHand); !ok {
		reasons = append(reasons, i18n.M("supplier_stock: a whole number from 0 to %s", i18n.Num(MaxOnHand)))
	}
	if r.LeadDays, ok = catalog.ParseCount(in.LeadDays, MaxLeadDays); !ok || r.LeadDays < 1 {
		reasons = append(reasons, i18n.M("lead_days: a whole number of calendar days from 1 to %d", MaxLeadDays))
	}
	return r, catalog.Reasons(reasons...)
}

// ImportSupplierStock sets our supplier's stock and lead time per SKU from
// an .xlsx or CSV file (xlsx.ReadRows: its limits, read as a stream);
// products not in the file keep theirs. The file is validated as a whole
// first: with any bad row nothing is written, and the report lists the
// first catalog.MaxReportedErrors problems and counts all. Every change is
// audited, and the expected dates of the products' back orders follow.
// It returns no apperr kind: what is wrong with the file is in the report,
// and an error is the machine's.
func (s *Service) ImportSupplierStock(ctx context.Context, content []byte) (catalog.ImportReport, error) {
	var rep catalog.ImportReport
	rows, err := catalog.ReadImport(&rep, content, SupplierStockColumns, SupplierStockColumns, func(c func(string) string) (SupplierStockRow, i18n.Message) {
		return SupplierStockInput{SKU: c("sku"), Quantity: c("supplier_stock"), LeadDays: c("lead_days")}.Parse()
	})
	if err != nil || rows == nil {
		return rep, err
	}
	var skus []string
	for _, r := range rows {
		if r.Bad.IsZero() {
			skus = append(skus, r.Value.SKU)
		}
	}
	productID, err := productIDs(ctx, s.DB, skus)
	if err != nil {
		return rep, err
	}
	seen := map[string]int{}
	for _, r := range rows {
		_, known := productID[r.Value.SKU]
		first, dup := seen[r.Value.SKU]
		switch {
		case !r.Bad.IsZero():
			rep.Add(r.N, r.Bad)
		case !known:
			rep.Add(r.N, unknownSKU(r.Value.SKU))
		case dup:
			rep.Add(r.N, i18n.M("SKU %s appears already in row %d", r.Value.SKU, first))
		default:
			seen[r.Value.SKU] = r.N
		}
	}
	if rep.Failed() {
		return rep, nil
	}
	err = postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		now := s.Clock.Now()
		products := make([]int64, 0, len(rows))
		for _, r := range rows {
			products = append(products, productID[r.Value.SKU])
		}
		sort.Slice(products, func(i, j int) bool { return products[i] < products[j] })
		// Back orders' expected dates change only under the stock locks.
		if err := lockStock(ctx, tx, products); err != nil {
			return err
		}
		var changed []int64
		for _, r := range rows {
			pid := productID[r.Value.SKU]
			old := new(SupplierStock)
			err := tx.NewSelect().Model(old).Where("ss.product_id = ?", pid).Scan(ctx)
			found := err == nil
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			if found && old.Quantity == r.Value.Quantity && old.LeadDays == r.Value.LeadDays {
				continue
			}
			ss := &SupplierStock{ProductID: pid, Quantity: r.Value.Quantity, LeadDays: r.Value.LeadDays, UpdatedAt: now}
			if _, err := tx.NewInsert().Model(ss).On("CONFLICT (product_id) DO UPDATE").
				Set("quantity = EXCLUDED.quantity, lead_days = EXCLUDED.lead_days, updated_at = EXCLUDED.updated_at").Exec(ctx); err != nil {
				return err
			}
			var before any
			if found {
				before = map[string]int{"quantity": old.Quantity, "lead_days": old.LeadDays}
			}
			if err := audit.Record(ctx, tx, now, audit.Change{Entity: "supplier_stock", EntityID: pid, Action: "set", Before: before,
				After: map[string]any{"sku": r.Value.SKU, "quantity": r.Value.Quantity, "lead_days": r.Value.LeadDays}}); err != nil {
				return err
			}
			changed = append(changed, pid)
			rep.Updated++
		}
		return recomputeExpected(ctx, tx, now, changed)
	})
	return rep, err
}

// ExportSupplierStock writes our supplier's stock and lead time of every
// product that has them, by SKU, in the import's columns.
func ExportSupplierStock(ctx context.Context, db bun.IDB, w io.Writer, format string) error {
	var rows []struct {
		SKU      string `bun:"sku"`
		Quantity int    `bun:"quantity"`
		LeadDays int    `bun:"lead_days"`
	}
	if err := db.NewSelect().TableExpr("supplier_stock AS ss").ColumnExpr("p.sku, ss.quantity, ss.lead_days").
		Join("JOIN products AS p ON p.id = ss.product_id").OrderExpr("p.sku").Scan(ctx, &rows); err != nil {
		return err
	}
	out, err := xlsx.NewWriter(w, format, "Supplier stock", SupplierStockColumns)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if err := out.Row(r.SKU, r.Quantity, r.LeadDays); err != nil {
			return err
		}
	}
	return out.Close()
}
