package catalog

import (
	"context"
	"database/sql"
	"errors"

	"github.com/uptrace/bun"

	"wholesale/internal/audit"
	"wholesale/internal/clock"
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
