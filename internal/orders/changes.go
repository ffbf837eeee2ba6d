package orders

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/clock"
	"wholesale/internal/customers"
	"wholesale/internal/postgres"
	"wholesale/internal/stock"
	"wholesale/internal/users"
)

// Amend changes an order that is not invoiced: lines added, changed or
// removed, address, shipping. It is a new revision; reservations and back
// orders follow the change; credit is checked again; a confirmation given
// before a change that raises the total must be given again. Returns
// NotFound, Forbidden, Invalid, Conflict.
func (s *Service) Amend(ctx context.Context, by *users.User, id int64, in Input) (*Order, error) {
	err := postgres.RunInTx(ctx, s.DB, func(ctx context.Context, tx bun.IDB) error {
		o, c, err := s.lockOrder(ctx, tx, by, id)
		if err != nil {
			return err
		}
		if !o.Amendable() {
			return apperr.Conflictf("Order %d is %s: it cannot be amended.", o.ID, o.Status.Label())
		}
		in.CompanyID, in.POReference = o.CompanyID, o.POReference
		fe, shipping := in.validate()
		byID := map[int64]*Line{}
		for i := range o.Lines {
			byID[o.Lines[i].ID] = &o.Lines[i]
		}
		for i, l := range in.Lines {
			if l.ID == 0 {
				continue
			}
			ol, ok := byID[l.ID]
			switch {
			case !ok || ol.Cancelled:
				fe.Add(lineField(i), "This line is not on the order.")
			case ol.Quantity != l.Quantity && l.Quantity > 0:
				if max := maxPerOrder(ctx, tx, ol.ProductID); max > 0 && l.Quantity > max {
					fe.Add(lineField(i), fmt.Sprintf("At most %d of %s per order.", max, ol.SKU))
				}
			}
		}
		if len(fe) > 0 {
			return fe.Err()
		}
		before := snapshot(o)
		oldTotal := o.TotalInclCents
		now := s.Clock.Now()
		next := 1
		for _, l := range o.Lines {
			if l.LineNo >= next {
				next = l.LineNo + 1
			}
		}
		added, err := s.newLines(ctx, tx, c, in.Lines, next)
		if err != nil {
			return err
		}
		var changes []string
		seen := map[int64]bool{}
		for _, l := range in.Lines {
			if l.ID == 0 {
				continue
			}
			seen[l.ID] = true
			ol := byID[l.ID]
			switch {
			case l.Quantity == 0:
				if err := s.dropLine(ctx, tx, o, ol, fmt.Sprintf("removed in revision %d", o.Revision+1)); err != nil {
					return err
				}
				changes = append(changes, fmt.Sprintf("line %d (%s) removed", ol.LineNo, ol.SKU))
			case l.Quantity != ol.Quantity:
				changes = append(changes, fmt.Sprintf("line %d (%s) %d → %d", ol.LineNo, ol.SKU, ol.Quantity, l.Quantity))
				if err := s.requantify(ctx, tx, o, ol, l.Quantity); err != nil {
					return err
				}
			}
		}
		for i := range added {
			added[i].OrderID = o.ID
			if _, err := tx.NewInsert().Model(&added[i]).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
				return err
			}
			if o.State == StatePlaced {
				if err := s.reserveLine(ctx, tx, o, &added[i], now); err != nil {
					return err
				}
			}
			changes = append(changes, fmt.Sprintf("line %d (%s) added: %d", added[i].LineNo, added[i].SKU, added[i].Quantity))
			o.Lines = append(o.Lines, added[i])
		}
		delivery := deliveryFrom(c, in.Address)
		if delivery != o.Delivery {
			changes = append(changes, "delivery address "+delivery.Street+", "+delivery.City)
			o.Delivery, o.VATMode = delivery, VATModeFor(c, delivery.Country)
		}
		if shipping != o.ShippingCents || in.ShippingMethod != o.ShippingMethod {
			changes = append(changes, fmt.Sprintf("shipping %s %d → %s %d cents", o.ShippingMethod, o.ShippingCents, in.ShippingMethod, shipping))
			o.ShippingCents, o.ShippingMethod = shipping, in.ShippingMethod
		}
		if in.ShipComplete != o.ShipComplete {
			changes = append(changes, fmt.Sprintf("ship complete only: %v", in.ShipComplete))
			o.ShipComplete = in.ShipComplete
		}
		if in.Note != o.Note {
			changes = append(changes, "note")
			o.Note = in.Note
		}
		if len(changes) == 0 {
			return apperr.Conflictf("Nothing changed.")
		}
		s.applyTotals(o)
		if o.State == StatePlaced && !o.Prepayment && o.TotalInclCents > oldTotal && o.CreditHold != HoldHeld {
			o.CreditHold, o.CreditReason = HoldNone, ""
			if err := s.checkCredit(ctx, tx, o, c); err != nil {
				return err
			}
		}
		if o.ConfirmedAt != nil && o.TotalInclCents > oldTotal {
			o.ConfirmedAt, o.ConfirmedBy, o.ConfirmationKind, o.ConfirmedTotalCents, o.ConfirmationDate = nil, nil, nil, nil, nil
			changes = append(changes, "the total rose: the customer must confirm again")
		}
		o.Revision++
		if err := s.save(ctx, tx, o, "delivery_name", "delivery_street", "delivery_postcode", "delivery_city", "delivery_country",
			"vat_mode", "shipping_cents", "shipping_method", "ship_complete", "note", "total_excl_cents", "vat_cents", "total_incl_cents",
			"credit_hold", "credit_reason", "confirmed_at", "confirmed_by", "confirmation_kind", "confirmed_total_cents", "confirmation_received_on", "revision"); err != nil {
			return err
		}
		summary := strings.Join(changes, "; ")
		if err := s.revision(ctx, tx, by, o, summary, before, snapshot(o)); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Change{Entity: "order", EntityID: o.ID, Action: "amend", Before: before,
			After: map[string]any{"revision": o.Revision, "summary": summary, "order": snapshot(o), "status": o.Status}})
	})
	if err != nil {
		return nil, err
	}
	return Get(ctx, postgres.DB(ctx, s.DB), id)
}

func maxPerOrder(ctx context.Context, tx bun.IDB, productID int64) int {
	var m *int
	_ = tx.NewSelect().Table("products").Column("max_per_order").Where("id = ?", productID).Scan(ctx, &m)
	if m == nil {
		return 0
	}
	return *m
}

// dropLine cancels a line and releases its reservation.
func (s *Service) dropLine(ctx context.Context, tx bun.IDB, o *Order, l *Line, reason string) error {
	if l.DemandID != nil {
		if err := stock.Release(ctx, tx, s.Clock.Now(), *l.DemandID, fmt.Sprintf("order %d: %s", o.ID, reason)); err != nil {
			return err
		}
	}
	l.Cancelled = true
	_, err := tx.ExecContext(ctx, "UPDATE order_lines SET cancelled = true WHERE id = ?", l.ID)
	return err
}

// requantify changes a line's quantity; a placed line gets a new demand
// that keeps the line's place in the queue.
func (s *Service) requantify(ctx context.Context, tx bun.IDB, o *Order, l *Line, qty int) error {
	l.Quantity = qty
	if _, err := tx.ExecContext(ctx, "UPDATE order_lines SET quantity = ? WHERE id = ?", qty, l.ID); err != nil {
		return err
	}
	if o.State != StatePlaced || l.DemandID == nil {
		return nil
	}
	if err := stock.Release(ctx, tx, s.Clock.Now(), *l.DemandID, fmt.Sprintf("order %d line %d: quantity changed to %d", o.ID, l.LineNo, qty)); err != nil {
		return err
	}
	placed := s.Clock.Now()
	if o.PlacedAt != nil {
		placed = *o.PlacedAt
	}
	return s.reserveLine(ctx, tx, o, l, placed)
}

// Cancel cancels an order while nothing of it is invoiced; its reservations
// go back to stock and to waiting back orders. Returns NotFound, Forbidden, Invalid, Conflict.
func (s *Service) Cancel(ctx context.Context, by *users.User, id int64, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return apperr.FieldErrors{"reason": "Say why the order is cancelled."}.Err()
	}
	return postgres.RunInTx(ctx, s.DB, func(ctx context.Context, tx bun.IDB) error {
		o, _, err := s.lockOrder(ctx, tx, by, id)
		if err != nil {
			return err
		}
		return s.cancel(ctx, tx, o, reason, "cancel")
	})
}

func (s *Service) cancel(ctx context.Context, tx bun.IDB, o *Order, reason, action string) error {
	if !o.Cancellable() {
		return apperr.Conflictf("Order %d is %s: it cannot be cancelled.", o.ID, o.Status.Label())
	}
	before := o.Status
	sort.Slice(o.Lines, func(i, j int) bool { return o.Lines[i].ProductID < o.Lines[j].ProductID })
	for i := range o.Lines {
		if !o.Lines[i].Cancelled && o.Lines[i].DemandID != nil {
			if err := stock.Release(ctx, tx, s.Clock.Now(), *o.Lines[i].DemandID, fmt.Sprintf("order %d %s: %s", o.ID, action, reason)); err != nil {
				return err
			}
		}
	}
	o.State, o.CancelReason = StateCancelled, reason
	if err := s.save(ctx, tx, o, "state", "cancel_reason", "credit_hold", "credit_note"); err != nil {
		return err
	}
	return audit.Record(ctx, tx, s.Clock.Now(), audit.Change{Entity: "order", EntityID: o.ID, Action: action,
		Before: map[string]any{"status": before}, After: map[string]any{"status": o.Status, "reason": reason}})
}

// CancelLine cancels one line (a back-ordered one, typically) until it ships;
// its reservation is released. Returns NotFound, Forbidden, Invalid, Conflict.
func (s *Service) CancelLine(ctx context.Context, by *users.User, orderID, lineID int64, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return apperr.FieldErrors{"reason": "Say why the line is cancelled."}.Err()
	}
	return postgres.RunInTx(ctx, s.DB, func(ctx context.Context, tx bun.IDB) error {
		o, _, err := s.lockOrder(ctx, tx, by, orderID)
		if err != nil {
			return err
		}
		if o.State != StatePlaced {
			return apperr.Conflictf("Only lines of a placed order are cancelled one by one.")
		}
		var l *Line
		live := 0
		for i := range o.Lines {
			if o.Lines[i].ID == lineID && !o.Lines[i].Cancelled {
				l = &o.Lines[i]
			}
			if !o.Lines[i].Cancelled {
				live++
			}
		}
		if l == nil {
			return apperr.NotFoundf("Line not found.")
		}
		if live == 1 {
			return apperr.Conflictf("This is the last line: cancel the order instead.")
		}
		before := snapshot(o)
		if err := s.dropLine(ctx, tx, o, l, reason); err != nil {
			return err
		}
		s.applyTotals(o)
		o.Revision++
		if err := s.save(ctx, tx, o, "total_excl_cents", "vat_cents", "total_incl_cents", "revision"); err != nil {
			return err
		}
		summary := fmt.Sprintf("line %d (%s) cancelled: %s", l.LineNo, l.SKU, reason)
		if err := s.revision(ctx, tx, by, o, summary, before, snapshot(o)); err != nil {
			return err
		}
		return audit.Record(ctx, tx, s.Clock.Now(), audit.Change{Entity: "order", EntityID: o.ID, Action: "cancel_line", After: map[string]any{"line": l.LineNo, "reason": reason}})
	})
}

// lockHeld locks an order awaiting credit approval for sales or an admin.
// Returns NotFound, Forbidden, Conflict.
func (s *Service) lockHeld(ctx context.Context, tx bun.IDB, by *users.User, id int64) (*Order, error) {
	o, _, err := s.lockOrderFor(ctx, tx, id, func(*customers.Company) error {
		if !by.Is(users.RoleSales, users.RoleAdmin) {
			return apperr.Forbiddenf("Sales decide on credit holds.")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if o.State != StatePlaced || o.CreditHold != HoldHeld {
		return nil, apperr.Conflictf("Order %d is not awaiting credit approval.", o.ID)
	}
	return o, nil
}

// ApproveCredit releases a held order, with a note. Returns NotFound, Forbidden, Invalid, Conflict.
func (s *Service) ApproveCredit(ctx context.Context, by *users.User, id int64, note string) error {
	note = strings.TrimSpace(note)
	if note == "" {
		return apperr.FieldErrors{"note": "Note why the order may go over the limit."}.Err()
	}
	return postgres.RunInTx(ctx, s.DB, func(ctx context.Context, tx bun.IDB) error {
		o, err := s.lockHeld(ctx, tx, by, id)
		if err != nil {
			return err
		}
		o.CreditHold, o.CreditNote = HoldApproved, note
		if err := s.save(ctx, tx, o, "credit_hold", "credit_note"); err != nil {
			return err
		}
		return audit.Record(ctx, tx, s.Clock.Now(), audit.Change{Entity: "order", EntityID: o.ID, Action: "credit_approve",
			Before: map[string]string{"credit_hold": HoldHeld}, After: map[string]any{"credit_hold": HoldApproved, "note": note, "status": o.Status}})
	})
}

// RejectCredit turns a held order down: it is cancelled and its reservations
// released. Returns NotFound, Forbidden, Invalid, Conflict.
func (s *Service) RejectCredit(ctx context.Context, by *users.User, id int64, note string) error {
	note = strings.TrimSpace(note)
	if note == "" {
		return apperr.FieldErrors{"note": "Note why the order is rejected."}.Err()
	}
	return postgres.RunInTx(ctx, s.DB, func(ctx context.Context, tx bun.IDB) error {
		o, err := s.lockHeld(ctx, tx, by, id)
		if err != nil {
			return err
		}
		o.CreditHold, o.CreditNote = HoldRejected, note
		return s.cancel(ctx, tx, o, "credit rejected: "+note, "credit_reject")
	})
}

// ConfirmInPortal records the customer's own confirmation of the order as it
// stands. Only a user of the ordering company. Returns NotFound, Conflict.
func (s *Service) ConfirmInPortal(ctx context.Context, by *users.User, id int64) error {
	return postgres.RunInTx(ctx, s.DB, func(ctx context.Context, tx bun.IDB) error {
		o, _, err := s.lockOrderFor(ctx, tx, id, func(c *customers.Company) error {
			if by.Role != users.RoleCustomer || by.CompanyID == nil || *by.CompanyID != c.ID {
				return apperr.NotFoundf("Order not found.")
			}
			return nil
		})
		if err != nil {
			return err
		}
		return s.confirm(ctx, tx, by, o, "portal", "confirmed in the portal")
	})
}

// WrittenConfirmation is a confirmation the customer gave in writing.
type WrittenConfirmation struct {
	Note       string // who confirmed and how, e.g. "mail of J. Jansen"
	ReceivedOn string // the date of the mail or letter, 2006-01-02
	Upload     *customers.Upload
}

// ConfirmWritten records a confirmation the customer gave in writing (a mail
// or letter, with its date), optionally with the mail uploaded. By the
// account manager or an admin. Returns NotFound, Forbidden, Invalid, Conflict.
func (s *Service) ConfirmWritten(ctx context.Context, by *users.User, id int64, in WrittenConfirmation) error {
	note := strings.TrimSpace(in.Note)
	upload := in.Upload
	fe := apperr.FieldErrors{}
	if note == "" {
		fe.Add("note", "Say who confirmed and how, e.g. mail of J. Jansen.")
	}
	received, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(in.ReceivedOn), time.UTC)
	today := s.Clock.Now().In(clock.Amsterdam)
	switch {
	case err != nil:
		fe.Add("received_on", "Enter the date of the mail or letter.")
	case received.After(time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)):
		fe.Add("received_on", "The confirmation cannot be dated in the future.")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	if upload != nil {
		upload.Kind = "order_confirmation"
		if msg := customers.CheckUpload(*upload); msg != "" {
			return apperr.FieldErrors{"file": msg}.Err()
		}
	}
	return postgres.RunInTx(ctx, s.DB, func(ctx context.Context, tx bun.IDB) error {
		o, _, err := s.lockOrder(ctx, tx, by, id)
		if err != nil {
			return err
		}
		if upload != nil {
			if _, err := customers.StoreOrderDocument(ctx, tx, s.Clock.Now(), *upload, o.ID, by.ID); err != nil {
				return err
			}
		}
		o.ConfirmationDate = &received
		return s.confirm(ctx, tx, by, o, "written", note)
	})
}

func (s *Service) confirm(ctx context.Context, tx bun.IDB, by *users.User, o *Order, kind, note string) error {
	if o.State != StatePlaced {
		return apperr.Conflictf("Order %d is %s: there is nothing to confirm.", o.ID, o.Status.Label())
	}
	if o.Confirmed() {
		return apperr.Conflictf("Order %d is confirmed already.", o.ID)
	}
	now := s.Clock.Now()
	total := o.TotalInclCents
	o.ConfirmedAt, o.ConfirmedBy, o.ConfirmationKind, o.ConfirmationNote, o.ConfirmedTotalCents = &now, &by.ID, &kind, note, &total
	if err := s.save(ctx, tx, o, "confirmed_at", "confirmed_by", "confirmation_kind", "confirmation_note", "confirmation_received_on", "confirmed_total_cents"); err != nil {
		return err
	}
	return audit.Record(ctx, tx, now, audit.Change{Entity: "order", EntityID: o.ID, Action: "confirm",
		After: map[string]any{"kind": kind, "note": note, "received_on": o.ConfirmationDate, "total_incl_cents": total, "status": o.Status}})
}
