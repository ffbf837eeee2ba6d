// Package customers holds the business customers of the wholesaler: their
// applications, the vetting by sales, the company record and changes to it
// confirmed in writing.
package customers

import (
	"context"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/postgres"
)

// Company is a business customer.
type Company struct {
	ID            int64     `bun:"id,pk,autoincrement" json:"id"`
	Name          string    `bun:"name" json:"name"`
	CreatedAt     time.Time `bun:"created_at" json:"created_at"`
	UpdatedAt     time.Time `bun:"updated_at" json:"updated_at"`
	bun.BaseModel `bun:"table:companies"`
}

// Create adds a company with tx and records it in the audit trail.
// Returns Invalid for an empty name.
func Create(ctx context.Context, tx bun.IDB, now time.Time, name string) (*Company, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, apperr.FieldErrors{"name": "Enter the company name."}.Err()
	}
	c := &Company{Name: name, CreatedAt: now, UpdatedAt: now}
	if _, err := tx.NewInsert().Model(c).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
		return nil, err
	}
	return c, audit.Record(ctx, tx, now, audit.Change{Entity: "company", EntityID: c.ID, Action: "create", After: c})
}

// ByID returns a company. Returns NotFound.
func ByID(ctx context.Context, db bun.IDB, id int64) (*Company, error) {
	c := new(Company)
	err := db.NewSelect().Model(c).Where("id = ?", id).Scan(ctx)
	return c, postgres.Translate(err, "Company")
}

// List returns every company by name.
func List(ctx context.Context, db bun.IDB) ([]Company, error) {
	var out []Company
	err := db.NewSelect().Model(&out).OrderExpr("name").Scan(ctx)
	return out, err
}
