package catalog

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"wholesale/internal/i18n"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"wholesale/internal/postgres"
)

// ByID returns a product. Returns NotFound.
func ByID(ctx context.Context, db bun.IDB, id int64) (*Product, error) {
	p := new(Product)
	err := db.NewSelect().Model(p).Where("p.id = ?", id).Scan(ctx)
	return p, postgres.Translate(err, i18n.M("Product"))
}

// BySKU returns a product by its SKU. Returns NotFound.
func BySKU(ctx context.Context, db bun.IDB, sku string) (*Product, error) {
	p := new(Product)
	err := db.NewSelect().Model(p).Where("p.sku = ?", strings.ToUpper(strings.TrimSpace(sku))).Scan(ctx)
	return p, postgres.Translate(err, i18n.M("Product"))
}

// Search returns up to limit products whose SKU, name or brand contains q,
// or whose EAN is q, by SKU. The three texts are searched as one, joined by
// chr(1), as migration 0025's products_search_trgm_idx holds them: a q
// without control characters (validate.Line) matches within one of them.
func Search(ctx context.Context, db bun.IDB, q string, limit int) ([]Product, error) {
	var out []Product
	sel := db.NewSelect().Model(&out).OrderExpr("p.sku").Limit(int64(limit))
	if q = strings.TrimSpace(q); q != "" {
		like := "%" + strings.NewReplacer("%", `\%`, "_", `\_`).Replace(strings.ToLower(q)) + "%"
		sel = sel.Where("lower(p.sku || chr(1) || p.name || chr(1) || p.brand) LIKE ? OR (p.ean = ? AND p.ean <> '')", like, q)
	}
	return out, sel.Scan(ctx)
}

// PriceFor returns what the company pays per unit excluding VAT: its own
// price for the product, else the list price less its discount.
func PriceFor(ctx context.Context, db bun.IDB, companyID int64, p *Product) (int64, error) {
	var own int64
	err := db.NewSelect().Table("customer_prices").Column("price_cents").
		Where("company_id = ? AND product_id = ?", companyID, p.ID).Scan(ctx, &own)
	if err == nil {
		return own, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	var bp int
	if err := db.NewSelect().Table("companies").Column("discount_bp").Where("id = ?", companyID).Scan(ctx, &bp); err != nil {
		return 0, postgres.Translate(err, i18n.M("Customer"))
	}
	return ApplyDiscount(p.UnitPriceCents, bp), nil
}

// ServiceCentreFor returns the service centre of the brand, or nil.
func ServiceCentreFor(ctx context.Context, db bun.IDB, brand string) (*ServiceCentre, error) {
	sc := new(ServiceCentre)
	err := db.NewSelect().Model(sc).Where("lower(sc.brand) = lower(?)", brand).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return sc, err
}

// ServiceCentres lists every service centre by brand.
func ServiceCentres(ctx context.Context, db bun.IDB) ([]ServiceCentre, error) {
	var out []ServiceCentre
	return out, db.NewSelect().Model(&out).OrderExpr("sc.brand").Scan(ctx)
}

// pricedBySKUs is prepared: order entry runs it for every order.
var pricedBySKUs = postgres.NewStmt("catalog_priced_by_skus", `SELECT `+postgres.Columns((*Product)(nil), "p")+`, cp.price_cents AS own_price FROM products AS p
	LEFT JOIN customer_prices AS cp ON cp.product_id = p.id AND cp.company_id = ?0
	WHERE p.sku = ANY(?1::text[])`)

// Priced is a product with the customer's own price, if any.
type Priced struct {
	Product  `bun:",extend"`
	OwnPrice *int64 `bun:"own_price" json:"own_price"`
}

// PricedBySKUs returns the products with the SKUs, by SKU, and what the
// company pays for each, by product id (its own price, else the list price
// less discountBP), in one query. Unknown SKUs are absent.
func PricedBySKUs(ctx context.Context, db bun.IDB, companyID int64, discountBP int, skus []string) (map[string]*Product, map[int64]int64, error) {
	var rows []Priced
	if err := postgres.NewBatch(db).Stmt(pricedBySKUs, companyID, pgdialect.Array(NormalizeSKUs(skus))).Scan(ctx, db, &rows); err != nil {
		return nil, nil, err
	}
	products, prices := PricesOf(rows, discountBP)
	return products, prices, nil
}

// NormalizeSKUs returns the SKUs as they are stored: trimmed, upper case.
func NormalizeSKUs(skus []string) []string {
	up := make([]string, len(skus))
	for i, s := range skus {
		up[i] = strings.ToUpper(strings.TrimSpace(s))
	}
	return up
}

// PricedJSON is a SQL expression for a statement that reads the products
// along with other things: a JSON array of the Priced products whose SKUs
// are in skus (a text[] expression of NormalizeSKUs), with the own prices
// of the customer whose id is the expression company.
func PricedJSON(company, skus string) string {
	return `(SELECT COALESCE(jsonb_agg(to_jsonb(p) || jsonb_build_object('own_price', cp.price_cents)), '[]')
		FROM products AS p LEFT JOIN customer_prices AS cp ON cp.product_id = p.id AND cp.company_id = ` + company + `
		WHERE p.sku = ANY(` + skus + `))`
}

// PricesOf returns the products by SKU and the customer's price of each by
// product id: its own price, else the list price less its discount.
func PricesOf(rows []Priced, discountBP int) (map[string]*Product, map[int64]int64) {
	products := make(map[string]*Product, len(rows))
	prices := make(map[int64]int64, len(rows))
	for i := range rows {
		p := rows[i].Product
		products[p.SKU] = &p
		prices[p.ID] = ApplyDiscount(p.UnitPriceCents, discountBP)
		if rows[i].OwnPrice != nil {
			prices[p.ID] = *rows[i].OwnPrice
		}
	}
	return products, prices
}

// SKUsByCode returns, for each of codes that is the SKU or the EAN of a
// product, that product's SKU, in one query. Codes are compared as stored:
// trimmed, upper case.
func SKUsByCode(ctx context.Context, db bun.IDB, codes []string) (map[string]string, error) {
	codes = NormalizeSKUs(codes)
	var rows []struct {
		SKU string `bun:"sku"`
		EAN string `bun:"ean"`
	}
	err := db.NewSelect().Model((*Product)(nil)).Column("sku", "ean").
		Where("p.sku = ANY(?0) OR (p.ean <> '' AND p.ean = ANY(?0))", pgdialect.Array(codes)).Scan(ctx, &rows)
	out := make(map[string]string, len(rows)*2)
	for _, r := range rows {
		out[r.SKU] = r.SKU
		if r.EAN != "" {
			out[r.EAN] = r.SKU
		}
	}
	return out, err
}
