package orders

import (
	"context"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"wholesale/internal/customers"
)

// The warehouse's use cases (internal/shipping) work on orders through
// these: they lock an order as every use case on a customer's orders does,
// and record what of it shipped.

// LockForShipping locks the customer of an order, then the order, and
// returns both, the order with its lines, their reservations and what of
// them shipped. Who may ship, and whether the order may, is the caller's
// to check. Returns NotFound.
func LockForShipping(ctx context.Context, tx bun.IDB, id int64) (*Order, *customers.Company, error) {
	companyID, err := companyOf(ctx, tx, id)
	if err != nil {
		return nil, nil, err
	}
	c, err := customers.LockByID(ctx, tx, companyID)
	if err != nil {
		return nil, nil, err
	}
	o, err := lockedOrder(ctx, tx, id)
	if err != nil {
		return nil, nil, err
	}
	o.CompanyName, o.CompanyManagerID = c.Name, c.AccountManagerID
	return o, c, nil
}

// MarkShipped records on o, locked by LockForShipping, that the quantities
// by line id have shipped and wait on a draft invoice (invoicing.AddShipped
// puts them there in the same transaction): the lines' shipped, and the
// order's ship state, invoice state, status and time of change. The caller
// has checked the quantities against what is reserved and unshipped.
func MarkShipped(ctx context.Context, tx bun.IDB, o *Order, shipped map[int64]int, now time.Time) error {
	var ids, qty []int64
	for i := range o.Lines {
		l := &o.Lines[i]
		if q := shipped[l.ID]; q > 0 {
			l.Shipped += q
			ids, qty = append(ids, l.ID), append(qty, int64(q))
		}
	}
	if len(ids) > 0 {
		if _, err := tx.NewRaw(`UPDATE order_lines l SET shipped = l.shipped + x.q
			FROM unnest(?::bigint[], ?::bigint[]) AS x(id, q) WHERE l.id = x.id AND l.order_id = ?`,
			pgdialect.Array(ids), pgdialect.Array(qty), o.ID).Exec(ctx); err != nil {
			return err
		}
	}
	o.ShipState = ShipStateOf(o.Lines)
	if !o.Replacement() { // a replacement is never invoiced
		o.InvoiceState = InvoiceDraft
	}
	o.Status, o.UpdatedAt = DeriveStatus(o), now
	_, err := tx.NewUpdate().Model(o).Column("ship_state", "invoice_state", "status", "updated_at").WherePK().Exec(ctx)
	return err
}
