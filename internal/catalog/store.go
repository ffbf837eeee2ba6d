package catalog

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"wholesale/internal/postgres"
)

// ByID returns a product. Returns NotFound.
func ByID(ctx context.Context, db bun.IDB, id int64) (*Product, error) {
	p := new(Product)
	err := db.NewSelect().Model(p).Where("p.id = ?", id).Scan(ctx)
	return p, postgres.Translate(err, "Product")
}

// BySKU returns a product by its SKU. Returns NotFound.
func BySKU(ctx context.Context, db bun.IDB, sku string) (*Product, error) {
	p := new(Product)
	err := db.NewSelect().Model(p).Where("p.sku = ?", strings.ToUpper(strings.TrimSpace(sku))).Scan(ctx)
	return p, postgres.Translate(err, "Product")
}

// Search returns up to limit products whose SKU or name contains q, by SKU.
func Search(ctx context.Context, db bun.IDB, q string, limit int) ([]Product, error) {
	var out []Product
	sel := db.NewSelect().Model(&out).OrderExpr("p.sku").Limit(int64(limit))
	if q = strings.TrimSpace(q); q != "" {
		like := "%" + strings.NewReplacer("%", `\%`, "_", `\_`).Replace(strings.ToLower(q)) + "%"
		sel = sel.Where("lower(p.sku) LIKE ? OR lower(p.name) LIKE ? OR lower(p.brand) LIKE ?", like, like, like)
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
		return 0, postgres.Translate(err, "Customer")
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

// BySKUs returns the products with the SKUs, by SKU; unknown SKUs are absent.
func BySKUs(ctx context.Context, db bun.IDB, skus []string) (map[string]*Product, error) {
	up := make([]string, len(skus))
	for i, s := range skus {
		up[i] = strings.ToUpper(strings.TrimSpace(s))
	}
	var list []Product
	if err := db.NewSelect().Model(&list).Where("p.sku = ANY(?)", pgdialect.Array(up)).Scan(ctx); err != nil {
		return nil, err
	}
	out := make(map[string]*Product, len(list))
	for i := range list {
		out[list[i].SKU] = &list[i]
	}
	return out, nil
}

// PricesFor returns what the company pays per unit for each product, by
// product id: its own price, else the list price less its discount (basis points).
func PricesFor(ctx context.Context, db bun.IDB, companyID int64, discountBP int, products map[string]*Product) (map[int64]int64, error) {
	ids := make([]int64, 0, len(products))
	for _, p := range products {
		ids = append(ids, p.ID)
	}
	var own []struct {
		ProductID int64 `bun:"product_id"`
		Price     int64 `bun:"price_cents"`
	}
	if err := db.NewSelect().Table("customer_prices").Column("product_id", "price_cents").
		Where("company_id = ? AND product_id = ANY(?)", companyID, pgdialect.Array(ids)).Scan(ctx, &own); err != nil {
		return nil, err
	}
	out := make(map[int64]int64, len(products))
	for _, p := range products {
		out[p.ID] = ApplyDiscount(p.UnitPriceCents, discountBP)
	}
	for _, o := range own {
		out[o.ProductID] = o.Price
	}
	return out, nil
}
