package payments

import (
	"context"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/i18n"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
)

// scope limits q (over payments or allocations with company_id) to what by
// may see: finance and admins everything, an account manager its
// customers', a customer user its own company's, others nothing.
func scope(q *bun.SelectQuery, by *users.User, col string) *bun.SelectQuery {
	switch by.Role {
	case users.RoleFinance, users.RoleAdmin:
		return q
	case users.RoleAccountManager:
		return q.Where(col+" IN (SELECT id FROM companies WHERE account_manager_id = ?)", by.ID)
	case users.RoleCustomer:
		if by.CompanyID != nil {
			return q.Where(col+" = ?", *by.CompanyID)
		}
	}
	return q.Where("false")
}

// Filter narrows a list of payments.
type Filter struct {
	CompanyID int64
	// Unallocated keeps payments with money left to allocate.
	Unallocated bool
	// Before is the id to continue below (keyset paging, newest first).
	Before int64
	Limit  int
}

// List returns the payments by may see, newest first, at most f.Limit
// (default 50, at most 200), and whether there are more.
func List(ctx context.Context, db bun.IDB, by *users.User, f Filter) ([]Payment, bool, error) {
	limit := f.Limit
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	var list []Payment
	q := db.NewSelect().Model(&list).ColumnExpr("p.*, c.name AS company_name").Join("JOIN companies AS c ON c.id = p.company_id")
	q = scope(q, by, "p.company_id")
	if f.CompanyID > 0 {
		q = q.Where("p.company_id = ?", f.CompanyID)
	}
	if f.Unallocated {
		q = q.Where("p.unallocated_cents > 0")
	}
	if f.Before > 0 {
		q = q.Where("p.id < ?", f.Before)
	}
	if err := q.OrderExpr("p.id DESC").Limit(int64(limit + 1)).Scan(ctx); err != nil {
		return nil, false, err
	}
	more := len(list) > limit
	if more {
		list = list[:limit]
	}
	return list, more, nil
}

// Get returns payment id with its allocations when by may see it.
// Returns NotFound.
func Get(ctx context.Context, db bun.IDB, by *users.User, id int64) (*Payment, error) {
	p := new(Payment)
	q := db.NewSelect().Model(p).ColumnExpr("p.*, c.name AS company_name").Join("JOIN companies AS c ON c.id = p.company_id").
		Where("p.id = ?", id)
	if err := scope(q, by, "p.company_id").Scan(ctx); err != nil {
		return nil, postgres.Translate(err, i18n.M("Payment"))
	}
	err := allocationQuery(db).Where("a.payment_id = ?", id).OrderExpr("a.id").Scan(ctx, &p.Allocations)
	return p, err
}

func allocationQuery(db bun.IDB) *bun.SelectQuery {
	return db.NewSelect().Model((*Allocation)(nil)).ColumnExpr("a.*, i.number AS invoice_number, cn.number AS credit_note_number").
		Join("LEFT JOIN invoices AS i ON i.id = a.invoice_id").Join("LEFT JOIN invoices AS cn ON cn.id = a.credit_note_id")
}

// OfInvoice returns the allocations on invoice id, or from credit note
// id, oldest first: what paid it, or what it paid.
func OfInvoice(ctx context.Context, db bun.IDB, id int64) ([]Allocation, error) {
	var list []Allocation
	err := allocationQuery(db).Where("a.invoice_id = ?0 OR a.credit_note_id = ?0", id).OrderExpr("a.id").Scan(ctx, &list)
	return list, err
}

// OfOrder returns the allocations on prepayment order id.
func OfOrder(ctx context.Context, db bun.IDB, id int64) ([]Allocation, error) {
	var list []Allocation
	err := allocationQuery(db).Where("a.order_id = ?", id).OrderExpr("a.id").Scan(ctx, &list)
	return list, err
}

// Balance is what a customer paid that is not allocated: money it has with
// the wholesaler.
func Balance(ctx context.Context, db bun.IDB, companyID int64) (int64, error) {
	var cents int64
	err := db.NewRaw(`SELECT COALESCE(sum(unallocated_cents), 0) FROM payments WHERE company_id = ? AND unallocated_cents > 0`, companyID).
		Scan(ctx, &cents)
	return cents, err
}

// MayView tells whether by may see company's payments; for errors.
func MayView(by *users.User) error {
	if by.Is(users.RoleFinance, users.RoleAdmin, users.RoleAccountManager, users.RoleCustomer) {
		return nil
	}
	return apperr.Forbiddenf("Finance, admins, account managers and customers see payments.")
}

// AllocationOf returns allocation id with the numbers it names. Returns
// NotFound.
func AllocationOf(ctx context.Context, db bun.IDB, id int64) (*Allocation, error) {
	a := new(Allocation)
	err := allocationQuery(db).Where("a.id = ?", id).Scan(ctx, a)
	return a, postgres.Translate(err, i18n.M("Allocation"))
}
