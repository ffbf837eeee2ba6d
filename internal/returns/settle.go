package returns

import (
	"context"
	"database/sql"
	"errors"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/invoicing"
	"wholesale/internal/orders"
	"wholesale/internal/postgres"
	"wholesale/internal/settings"
	"wholesale/internal/stock"
	"wholesale/internal/users"
)

// invoicedLine is the issued invoice line that charged a return's goods.
type invoicedLine struct {
	InvoiceID int64  `bun:"invoice_id"`
	Number    string `bun:"number"`
	LineNo    int    `bun:"line_no"`
	Quantity  int    `bun:"quantity"`
}

// invoiced finds the issued invoice line of r's shipped line and how much
// of it is left to credit; nil when the goods are not on an issued invoice
// (yet: a draft is issued at the cutoff; or never: a replacement).
func invoiced(ctx context.Context, tx *postgres.Tx, r *Return) (*invoicedLine, int, error) {
	l := new(invoicedLine)
	err := tx.NewRaw(`SELECT i.id AS invoice_id, i.number, il.line_no, il.quantity FROM invoice_lines il
		JOIN invoices i ON i.id = il.invoice_id
		WHERE il.order_line_id = ? AND il.shipment_id = ? AND i.kind = 'invoice' AND i.state = 'issued'
		ORDER BY i.id, il.line_no LIMIT 1`, r.OrderLineID, r.ShipmentID).Scan(ctx, l)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	done, err := invoicing.Credited(ctx, tx, l.InvoiceID)
	if err != nil {
		return nil, 0, err
	}
	return l, l.Quantity - done[l.LineNo], nil
}

// Settle settles a tested return as the account manager agreed with the
// customer:
//   - units whose fault is confirmed get the remedy (the customer's choice
//     on the form, unless in.Remedy records another): a replacement, a new
//     zero-priced order that reserves stock or back-orders like any other;
//     or a credit note of the original invoice line, at its price and VAT.
//     They go into quarantine with their RA.
//   - units without fault go back to the customer, or (in.GoodUnits
//     "restocked") back into stock against a credit note;
//   - units damaged by the customer go back to the customer.
//
// The customer is mailed the test results and the settlement. The
// customer's account manager or an admin only. Returns Forbidden,
// NotFound, Invalid (a credit note while the goods are not on an issued
// invoice), Conflict.
func (s *Service) Settle(ctx context.Context, by *users.User, id int64, in SettleInput) (*Return, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	return s.onReturn(ctx, id, func(ctx context.Context, tx *postgres.Tx, r *Return, c *customers.Company) error {
		if err := notFoundUnless(by, r); err != nil {
			return err
		}
		if err := mayDecide(by, r); err != nil {
			return err
		}
		if r.State != StateTested {
			return apperr.Conflictf("This return is %s: it cannot be settled now.", r.State.Label())
		}
		n := CountResults(r.Units)
		remedy := r.Remedy
		if in.Remedy != "" {
			remedy = in.Remedy
		}
		restock := n.NoFault > 0 && in.GoodUnits == GoodRestocked
		credit := 0
		if n.Confirmed > 0 && remedy == RemedyCreditNote {
			credit += n.Confirmed
		}
		if restock {
			credit += n.NoFault
		}
		now := s.now()
		var done []i18n.Message
		after := map[string]any{}
		if credit > 0 {
			cn, err := s.credit(ctx, tx, by, r, credit, remedy == RemedyCreditNote && n.Confirmed > 0)
			if err != nil {
				return err
			}
			r.CreditNoteID, r.CreditNote = &cn.ID, &cn.Number
			after["credit_note"] = cn.Number
			done = append(done, i18n.N(credit, "We issued credit note %s for %d units: you receive it by separate mail.", cn.Number, credit))
		}
		if n.Confirmed > 0 && remedy == RemedyReplacement {
			o, err := s.Orders.PlaceReplacement(ctx, tx, by, orders.ReplacementInput{CompanyID: r.CompanyID, ReturnID: r.ID,
				RA: r.RA(), SKU: r.SKU, Quantity: n.Confirmed})
			if err != nil {
				return err
			}
			r.ReplacementID = &o.ID
			after["replacement_order_id"] = o.ID
			done = append(done, i18n.N(n.Confirmed, "We send you %d replacement units free of charge with order %d.", n.Confirmed, o.ID))
		}
		if restock {
			if err := stock.Restock(ctx, tx, now, r.ProductID, n.NoFault, r.RA()); err != nil {
				return err
			}
		}
		if back := n.Damaged + n.NoFault*btoi(!restock); back > 0 {
			done = append(done, i18n.N(back, "We send %d units back to you: the test found no fault we cover.", back))
		}
		if err := s.dispose(ctx, tx, r, restock); err != nil {
			return err
		}
		settlement := SettledSentBack
		switch {
		case n.Confirmed > 0:
			settlement = remedy
		case restock:
			settlement = SettledCreditNote
		}
		good := GoodSentBack
		if restock {
			good = GoodRestocked
		}
		r.State, r.Settlement, r.GoodUnits, r.SettleNote = StateSettled, &settlement, &good, in.Note
		r.Remedy, r.SettledBy, r.SettledAt, r.UpdatedAt = remedy, &by.ID, &now, now
		if _, err := tx.NewUpdate().Model(r).Column("state", "settlement", "good_units", "settle_note", "remedy", "settled_by", "settled_at",
			"replacement_order_id", "credit_note_id", "updated_at").WherePK().Exec(ctx); err != nil {
			return err
		}
		after["state"], after["settlement"], after["good_units"], after["remedy"], after["note"] = r.State, settlement, good, remedy, in.Note
		after["fault_confirmed"], after["no_fault_found"], after["damaged_by_customer"] = n.Confirmed, n.NoFault, n.Damaged
		if err := audit.Record(ctx, tx, now, audit.Change{Entity: "return", EntityID: r.ID, Action: "settle",
			Before: map[string]any{"state": StateTested}, After: after}); err != nil {
			return err
		}
		st, err := settings.Get(ctx, tx)
		if err != nil {
			return err
		}
		return s.mailSettled(ctx, tx, r, c, done, st.Name)
	})
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// credit issues the credit note of qty units of r against the invoice line
// that charged them. forRemedy says the customer chose it for confirmed
// faults (else it is for good units taken back), for the messages.
func (s *Service) credit(ctx context.Context, tx *postgres.Tx, by *users.User, r *Return, qty int, forRemedy bool) (*invoicing.Issued, error) {
	field := "good_units"
	if forRemedy {
		field = "remedy"
	}
	l, left, err := invoiced(ctx, tx, r)
	if err != nil {
		return nil, err
	}
	if l == nil {
		return nil, apperr.FieldErrors{field: i18n.M("The goods of this return are on no issued invoice yet (drafts are issued at the cutoff): there is nothing to credit before then. Choose a replacement, or settle after the cutoff.")}.Err()
	}
	if qty > left {
		return nil, apperr.FieldErrors{field: i18n.N(left, "Only %d of line %d of invoice %s are left to credit.", left, l.LineNo, l.Number)}.Err()
	}
	lang := i18n.For(i18n.Default)
	var lg string
	if err := tx.NewRaw(`SELECT language FROM invoices WHERE id = ?`, l.InvoiceID).Scan(ctx, &lg); err == nil {
		lang = i18n.For(i18n.Lang(lg).Or(i18n.Default))
	}
	why := lang.Text(i18n.M("Return %s: %d × %s, fault confirmed on testing.", r.RA(), qty, r.SKU))
	if !forRemedy {
		why = lang.Text(i18n.M("Return %s: %d × %s taken back.", r.RA(), qty, r.SKU))
	}
	return s.Invoicing.CreditNoteIn(ctx, tx, by, invoicing.CreditNoteInput{Invoice: l.Number,
		Quantities: map[int]int{l.LineNo: qty}, Reason: why})
}

// dispose records where each unit went: confirmed faults into quarantine,
// good units into stock (restock) or back to the customer, damaged ones
// back to the customer.
func (s *Service) dispose(ctx context.Context, tx *postgres.Tx, r *Return, restock bool) error {
	for i := range r.Units {
		u := &r.Units[i]
		d := ToCustomer
		switch u.ResultOr() {
		case ResultFaultConfirmed:
			d = ToQuarantine
		case ResultNoFaultFound:
			if restock {
				d = ToStock
			}
		}
		u.Disposition = &d
	}
	_, err := tx.NewRaw(`UPDATE return_units u SET disposition = CASE
			WHEN u.result = 'fault_confirmed' THEN 'quarantine'
			WHEN u.result = 'no_fault_found' AND ? THEN 'stock'
			ELSE 'customer' END
		WHERE u.return_id = ?`, restock, r.ID).Exec(ctx)
	if err != nil {
		return err
	}
	// Whether some go back to the customer: the warehouse's queue of
	// returns to send back reads this flag (returns_to_send_back_idx).
	return tx.NewRaw(`UPDATE returns r SET sends_back = EXISTS (SELECT 1 FROM return_units u WHERE u.return_id = r.id AND u.disposition = 'customer')
		WHERE r.id = ? RETURNING sends_back`, r.ID).Scan(ctx, &r.SendsBack)
}
