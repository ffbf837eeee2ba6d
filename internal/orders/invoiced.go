package orders

import (
	"context"
	"fmt"
	"time"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/calendar"
	"wholesale/internal/i18n"
	"wholesale/internal/invoicing"
	"wholesale/internal/postgres"
	"wholesale/internal/stock"
	"wholesale/internal/users"
)

// openForAdditions refuses an amendment once goods of the order are
// invoiced: on an issued invoice, or on a draft whose daily cutoff has
// passed (the run issues it any moment). Until the cutoff, an order on
// today's draft still takes additions: they ship onto the same invoice.
// Returns Conflict.
func (s *Service) openForAdditions(ctx context.Context, tx *postgres.Tx, o *Order) error {
	if o.FirstInvoicedAt != nil {
		return apperr.Conflictf("Order %d is on an issued invoice: additions go on a new order.", o.ID)
	}
	if o.InvoiceState != InvoiceDraft || s.Calendar == nil {
		return nil
	}
	cal, err := s.Calendar(ctx, tx)
	if err != nil {
		return err
	}
	var days []time.Time
	if err := tx.NewRaw(`SELECT DISTINCT i.business_day FROM invoices i JOIN invoice_lines il ON il.invoice_id = i.id
		WHERE il.order_id = ? AND i.state = 'draft' AND i.kind = 'invoice'`, o.ID).Scan(ctx, &days); err != nil {
		return err
	}
	now := s.now()
	for _, d := range days {
		if invoicing.Due(cal, calendar.Day(d), now) {
			return apperr.Conflictf("Order %d is on an issued invoice: additions go on a new order.", o.ID)
		}
	}
	return nil
}

// cancelRest cancels what has not shipped of a partly shipped line: the
// line keeps the quantity that shipped, and its back-ordered rest goes
// back to stock and to waiting back orders.
func (s *Service) cancelRest(ctx context.Context, tx *postgres.Tx, by *users.User, o *Order, l *Line, why string, before map[string]any) error {
	if l.DemandID != nil {
		if err := stock.Release(ctx, tx, s.now(), *l.DemandID, fmt.Sprintf("order %d: %s", o.ID, why)); err != nil {
			return err
		}
	}
	rest := l.Quantity - l.Shipped
	l.Quantity = l.Shipped
	if _, err := tx.ExecContext(ctx, "UPDATE order_lines SET quantity = shipped WHERE id = ?", l.ID); err != nil {
		return err
	}
	s.applyTotals(o)
	o.Revision++
	if err := s.save(ctx, tx, o, "total_excl_cents", "vat_cents", "total_incl_cents", "revision"); err != nil {
		return err
	}
	summary := Changes{i18n.M("line %d (%s): the %d not shipped cancelled: %s", l.LineNo, l.SKU, rest, why)}
	if err := s.addRevision(postgres.NewBatch(tx), by, o, summary, before, snapshot(o)).Exec(ctx, tx); err != nil {
		return err
	}
	return audit.Record(ctx, tx, s.now(), audit.Change{Entity: "order", EntityID: o.ID, Action: "cancel_line",
		After: map[string]any{"line": l.LineNo, "cancelled": rest, "reason": why}})
}
