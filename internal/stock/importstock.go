package stock

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"wholesale/internal/audit"
	"wholesale/internal/catalog"
	"wholesale/internal/postgres"
	"wholesale/internal/xlsx"
)

// StockColumns are the columns of a stock import and export.
var StockColumns = []string{"sku", "warehouse", "on_hand"}

type stockSet struct {
	row       int
	productID int64
	warehouse int64
	onHand    int
}

// ImportStock sets the stock on hand per SKU and warehouse from an .xlsx or
// CSV file (a count). The file is validated as a whole first: with any bad
// row nothing is written and every bad row is reported. Stock that grows
// goes to waiting back orders at once.
func (s *Service) ImportStock(ctx context.Context, content []byte) (catalog.ImportReport, error) {
	var rep catalog.ImportReport
	rows, err := xlsx.ReadTable(content)
	if err != nil || len(rows) == 0 {
		msg := "the file is empty"
		if err != nil {
			msg = err.Error()
		}
		rep.Errors = []catalog.RowError{{Row: 0, Reason: msg}}
		return rep, nil
	}
	idx := map[string]int{}
	for i, h := range rows[0] {
		idx[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, c := range StockColumns {
		if _, ok := idx[c]; !ok {
			rep.Errors = append(rep.Errors, catalog.RowError{Row: 1, Reason: fmt.Sprintf("column %q is missing", c)})
		}
	}
	if len(rep.Errors) > 0 {
		return rep, nil
	}
	whs, err := Warehouses(ctx, s.DB)
	if err != nil {
		return rep, err
	}
	whByCode := map[string]int64{}
	for _, w := range whs {
		whByCode[w.Code] = w.ID
	}
	get := func(row []string, c string) string {
		if i := idx[c]; i < len(row) {
			return strings.TrimSpace(row[i])
		}
		return ""
	}
	var skus []string
	for _, row := range rows[1:] {
		skus = append(skus, strings.ToUpper(get(row, "sku")))
	}
	var known []struct {
		ID  int64  `bun:"id"`
		SKU string `bun:"sku"`
	}
	if err := s.DB.NewSelect().Table("products").Column("id", "sku").Where("sku = ANY(?)", pgdialect.Array(skus)).Scan(ctx, &known); err != nil {
		return rep, err
	}
	productID := make(map[string]int64, len(known))
	for _, k := range known {
		productID[k.SKU] = k.ID
	}
	var sets []stockSet
	seen := map[[2]int64]int{}
	for i, row := range rows[1:] {
		n := i + 2
		sku, wcode, qty := strings.ToUpper(get(row, "sku")), strings.ToUpper(get(row, "warehouse")), get(row, "on_hand")
		if sku == "" && wcode == "" && qty == "" {
			continue
		}
		var reasons []string
		pid, ok := productID[sku]
		if !ok {
			reasons = append(reasons, fmt.Sprintf("no product with SKU %q", sku))
		}
		wid, okWH := whByCode[wcode]
		if !okWH {
			reasons = append(reasons, fmt.Sprintf("no warehouse %q", wcode))
		}
		q, err := strconv.Atoi(qty)
		if err != nil || q < 0 {
			reasons = append(reasons, "on_hand must be a whole number of 0 or more")
		}
		if len(reasons) > 0 {
			rep.Errors = append(rep.Errors, catalog.RowError{Row: n, Reason: strings.Join(reasons, "; ")})
			continue
		}
		key := [2]int64{pid, wid}
		if first, dup := seen[key]; dup {
			rep.Errors = append(rep.Errors, catalog.RowError{Row: n, Reason: fmt.Sprintf("%s in %s appears already in row %d", sku, wcode, first)})
			continue
		}
		seen[key] = n
		sets = append(sets, stockSet{n, pid, wid, q})
	}
	if len(rep.Errors) > 0 {
		return rep, nil
	}
	err = postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		products := make([]int64, 0, len(sets))
		for _, st := range sets {
			products = append(products, st.productID)
		}
		sort.Slice(products, func(i, j int) bool { return products[i] < products[j] })
		if err := lockStock(ctx, tx, products); err != nil {
			return err
		}
		now := s.Clock.Now()
		var bad []catalog.RowError
		for _, st := range sets {
			var before, reserved int
			if err := tx.QueryRowContext(ctx, "SELECT on_hand, reserved FROM stock WHERE product_id = ? AND warehouse_id = ?",
				st.productID, st.warehouse).Scan(&before, &reserved); err != nil {
				return err
			}
			if st.onHand < reserved {
				bad = append(bad, catalog.RowError{Row: st.row, Reason: fmt.Sprintf("%d are reserved for orders; on_hand cannot be less", reserved)})
				continue
			}
			if before == st.onHand {
				continue
			}
			if _, err := tx.ExecContext(ctx, "UPDATE stock SET on_hand = ? WHERE product_id = ? AND warehouse_id = ?", st.onHand, st.productID, st.warehouse); err != nil {
				return err
			}
			if err := audit.Record(ctx, tx, now, audit.Change{Entity: "stock", EntityID: fmt.Sprintf("%d/%d", st.productID, st.warehouse),
				Action: "count", Before: map[string]int{"on_hand": before}, After: map[string]int{"on_hand": st.onHand}}); err != nil {
				return err
			}
			rep.Updated++
		}
		if len(bad) > 0 {
			rep.Errors, rep.Updated = bad, 0
			return errRollback
		}
		if _, err := allocate(ctx, tx, now, products); err != nil {
			return err
		}
		return recomputeExpected(ctx, tx, products)
	})
	if err == errRollback {
		return rep, nil
	}
	return rep, err
}

type rollback struct{}

func (rollback) Error() string { return "rollback" }

var errRollback error = rollback{}

// ExportStock writes stock on hand per SKU and warehouse, in the import's columns,
// with reserved and available after them.
func ExportStock(ctx context.Context, db bun.IDB, w io.Writer, format string) error {
	rows, err := StockOf(ctx, db, nil)
	if err != nil {
		return err
	}
	out, err := xlsx.NewWriter(w, format, "Stock", append(StockColumns, "reserved", "available"))
	if err != nil {
		return err
	}
	for _, r := range rows {
		if err := out.Row(r.SKU, r.Warehouse, r.OnHand, r.Reserved, r.Available()); err != nil {
			return err
		}
	}
	return out.Close()
}
