package catalog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/clock"
	"wholesale/internal/money"
	"wholesale/internal/postgres"
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
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
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

// SetCustomerPrice sets (or, with an empty price, removes) the company's own
// price for a product. Returns NotFound, Invalid.
func (s *Service) SetCustomerPrice(ctx context.Context, companyID, productID int64, price string) error {
	var cents int64
	remove := strings.TrimSpace(price) == ""
	if !remove {
		var err error
		if cents, err = money.Parse(price); err != nil {
			return apperr.FieldErrors{"price": "Enter the price excluding VAT in euros, or nothing to use the list price."}.Err()
		}
	}
	return s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		now := s.Clock.Now()
		if remove {
			if _, err := tx.ExecContext(ctx, "DELETE FROM customer_prices WHERE company_id = ? AND product_id = ?", companyID, productID); err != nil {
				return err
			}
		} else {
			_, err := tx.ExecContext(ctx, `INSERT INTO customer_prices (company_id, product_id, price_cents) VALUES (?, ?, ?)
				ON CONFLICT (company_id, product_id) DO UPDATE SET price_cents = EXCLUDED.price_cents`, companyID, productID, cents)
			if postgres.Code(err) == postgres.CodeForeignKeyViolation {
				return apperr.NotFoundf("Customer or product not found.")
			}
			if err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, now, audit.Change{Entity: "customer_price", EntityID: fmt.Sprintf("%d/%d", companyID, productID),
			Action: map[bool]string{true: "remove", false: "set"}[remove], After: map[string]int64{"price_cents": cents}})
	})
}

// SetDiscount sets a company's discount on list prices, in percent ("2,5"). Returns Invalid.
func (s *Service) SetDiscount(ctx context.Context, companyID int64, percent string) error {
	cents, err := money.Parse(percent) // the same parsing: two decimals
	if err != nil || cents > 10000 {
		return apperr.FieldErrors{"discount": "Enter a discount from 0 to 100 percent, e.g. 2,5."}.Err()
	}
	return s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var before int
		if err := tx.NewSelect().Table("companies").Column("discount_bp").Where("id = ?", companyID).For("UPDATE").Scan(ctx, &before); err != nil {
			return postgres.Translate(err, "Customer")
		}
		if _, err := tx.ExecContext(ctx, "UPDATE companies SET discount_bp = ? WHERE id = ?", cents, companyID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, s.Clock.Now(), audit.Change{Entity: "company", EntityID: companyID, Action: "discount",
			Before: map[string]int{"discount_bp": before}, After: map[string]int64{"discount_bp": cents}})
	})
}

// SaveServiceCentre creates or updates the service centre of a brand. Returns Invalid.
func (s *Service) SaveServiceCentre(ctx context.Context, sc ServiceCentre) error {
	sc.Brand, sc.Name = strings.TrimSpace(sc.Brand), strings.TrimSpace(sc.Name)
	fe := apperr.FieldErrors{}
	if sc.Brand == "" {
		fe.Add("brand", "Enter the brand.")
	}
	if sc.Name == "" {
		fe.Add("name", "Enter the service centre's name.")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	return s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewInsert().Model(&sc).ExcludeColumn("id").On("CONFLICT (brand) DO UPDATE").
			Set("name = EXCLUDED.name, address = EXCLUDED.address, phone = EXCLUDED.phone, email = EXCLUDED.email, web = EXCLUDED.web").
			Returning("id").Exec(ctx)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, s.Clock.Now(), audit.Change{Entity: "service_centre", EntityID: sc.ID, Action: "save", After: sc})
	})
}
