package stock

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"wholesale/internal/audit"
	"wholesale/internal/catalog"
	"wholesale/internal/i18n"
	"wholesale/internal/postgres"
	"wholesale/internal/xlsx"
)

// StockColumns are the columns of a stock import and export.
var StockColumns = []string{"sku", "warehouse", "on_hand"}

// MaxOnHand is the most pieces of a product a warehouse may hold: it
// keeps every stock figure, and the sum of a delivery added to it, inside
// PostgreSQL's integer (2,147,483,647).
const MaxOnHand = 1_000_000_000

// StockRowInput is one row of a stock count as read from the file.
type StockRowInput struct {
	SKU, Warehouse, OnHand string
}

// StockRowCount is a stock count row that parsed: a well-formed SKU and
// warehouse code (whether they exist is looked up after) and a count.
type StockRowCount struct {
	SKU, Warehouse string
	OnHand         int
}

var warehouseRE = regexp.MustCompile(`^[A-Z0-9-]{1,16}$`)

// Parse bounds every field of the row: the SKU as catalog.ValidSKU, the
// warehouse code 1 to 16 capitals, digits and -, on_hand a whole number of
// 0 to MaxOnHand. It returns the reasons the row is bad, the zero message
// when it is not.
func (in StockRowInput) Parse() (StockRowCount, i18n.Message) {
	r := StockRowCount{SKU: strings.ToUpper(strings.TrimSpace(in.SKU)), Warehouse: strings.ToUpper(strings.TrimSpace(in.Warehouse))}
	var reasons []i18n.Message
	if !catalog.ValidSKU(r.SKU) {
		reasons = append(reasons, badSKU(r.SKU))
	}
	if !warehouseRE.MatchString(r.Warehouse) {
		reasons = append(reasons, i18n.M("warehouse: %s is not a warehouse code", catalog.Quote(r.Warehouse)))
	}
	n, ok := catalog.ParseCount(in.OnHand, MaxOnHand)
	if !ok {
		reasons = append(reasons, i18n.M("on_hand: a whole number from 0 to %s", i18n.Num(MaxOnHand)))
	}
	r.OnHand = n
	return r, catalog.Reasons(reasons...)
}

// badSKU is the reason of a row whose sku is not one.
func badSKU(sku string) i18n.Message {
	return i18n.M("sku: %s is not a SKU (1 to 40 letters, digits and . _ / -)", catalog.Quote(sku))
}

// unknownSKU is the reason of a row whose SKU no product has.
func unknownSKU(sku string) i18n.Message {
	return i18n.M("no product with SKU %s", catalog.Quote(sku))
}

type stockSet struct {
	row       int
	productID int64
	warehouse int64
	onHand    int
}

// ImportStock sets the stock on hand per SKU and warehouse from an .xlsx or
// CSV file (a count; xlsx.ReadRows: its limits, read as a stream). The file
// is validated as a whole first: with any bad row nothing is written, and
// the report lists the first catalog.MaxReportedErrors problems and counts
// all. Stock that grows goes to waiting back orders at once. Every change
// is audited.
// It returns no apperr kind: what is wrong with the file is in the report,
// and an error is the machine's.
func (s *Service) ImportStock(ctx context.Context, content []byte) (catalog.ImportReport, error) {
	var rep catalog.ImportReport
	// The export's columns reserved and available may stay in: they are not read.
	rows, err := catalog.ReadImport(&rep, content, append(StockColumns, "reserved", "available"), StockColumns, func(c func(string) string) (StockRowCount, i18n.Message) {
		return StockRowInput{SKU: c("sku"), Warehouse: c("warehouse"), OnHand: c("on_hand")}.Parse()
	})
	if err != nil || rows == nil {
		return rep, err
	}
	whs, err := Warehouses(ctx, s.DB)
	if err != nil {
		return rep, err
	}
	whByCode := map[string]int64{}
	for _, w := range whs {
		whByCode[w.Code] = w.ID
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
	var sets []stockSet
	seen := map[[2]int64]int{}
	for _, r := range rows {
		if !r.Bad.IsZero() {
			rep.Add(r.N, r.Bad)
			continue
		}
		var reasons []i18n.Message
		pid, ok := productID[r.Value.SKU]
		if !ok {
			reasons = append(reasons, unknownSKU(r.Value.SKU))
		}
		wid, okWH := whByCode[r.Value.Warehouse]
		if !okWH {
			reasons = append(reasons, i18n.M("no warehouse %s", catalog.Quote(r.Value.Warehouse)))
		}
		if len(reasons) > 0 {
			rep.Add(r.N, catalog.Reasons(reasons...))
			continue
		}
		key := [2]int64{pid, wid}
		if first, dup := seen[key]; dup {
			rep.Add(r.N, i18n.M("%s in %s appears already in row %d", r.Value.SKU, r.Value.Warehouse, first))
			continue
		}
		seen[key] = r.N
		sets = append(sets, stockSet{r.N, pid, wid, r.Value.OnHand})
	}
	if rep.Failed() {
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
		var current []struct {
			ProductID   int64 `bun:"product_id"`
			WarehouseID int64 `bun:"warehouse_id"`
			OnHand      int   `bun:"on_hand"`
			Reserved    int   `bun:"reserved"`
		}
		if err := tx.NewSelect().Table("stock").Column("product_id", "warehouse_id", "on_hand", "reserved").
			Where("product_id = ANY(?)", pgdialect.Array(products)).Scan(ctx, &current); err != nil {
			return err
		}
		type key = [2]int64
		was := make(map[key][2]int, len(current))
		for _, c := range current {
			was[key{c.ProductID, c.WarehouseID}] = [2]int{c.OnHand, c.Reserved}
		}
		var bad catalog.ImportReport
		var pIDs, wIDs, qty []int64
		var changes []audit.Change
		for _, st := range sets {
			w := was[key{st.productID, st.warehouse}]
			before, reserved := w[0], w[1]
			if st.onHand < reserved {
				bad.Add(st.row, i18n.M("%s are reserved for orders; on_hand cannot be less", i18n.Num(reserved)))
				continue
			}
			if before == st.onHand {
				rep.Unchanged++
				continue
			}
			pIDs, wIDs, qty = append(pIDs, st.productID), append(wIDs, st.warehouse), append(qty, int64(st.onHand))
			changes = append(changes, audit.Change{Entity: "stock", EntityID: fmt.Sprintf("%d/%d", st.productID, st.warehouse),
				Action: "count", Before: map[string]int{"on_hand": before}, After: map[string]int{"on_hand": st.onHand}})
		}
		if len(pIDs) > 0 && !bad.Failed() {
			A := pgdialect.Array
			if _, err := tx.ExecContext(ctx, `UPDATE stock s SET on_hand = x.q FROM unnest(?::bigint[], ?::bigint[], ?::int[]) AS x(p, w, q)
				WHERE s.product_id = x.p AND s.warehouse_id = x.w`, A(pIDs), A(wIDs), A(qty)); err != nil {
				return err
			}
			if err := audit.RecordMany(ctx, tx, now, changes); err != nil {
				return err
			}
			rep.Updated = len(pIDs)
		}
		if bad.Failed() {
			rep = bad
			return errRollback
		}
		if _, err := allocate(ctx, tx, now, products); err != nil {
			return err
		}
		return recomputeExpected(ctx, tx, now, products)
	})
	if err == errRollback {
		return rep, nil
	}
	return rep, err
}

// productIDs returns the ids of the products with the SKUs (well-formed,
// as catalog.ValidSKU), by SKU; unknown SKUs are absent.
func productIDs(ctx context.Context, db bun.IDB, skus []string) (map[string]int64, error) {
	var known []struct {
		ID  int64  `bun:"id"`
		SKU string `bun:"sku"`
	}
	if err := db.NewSelect().Table("products").Column("id", "sku").Where("sku = ANY(?)", pgdialect.Array(skus)).Scan(ctx, &known); err != nil {
		return nil, err
	}
	out := make(map[string]int64, len(known))
	for _, k := range known {
		out[k.SKU] = k.ID
	}
	return out, nil
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
