package scale

import (
	"context"
	"fmt"
	"strings"

	"wholesale/internal/i18n"
	"wholesale/internal/invoicing"
	"wholesale/internal/orders"
)

// number is the invoice's or credit note's number ("" for a draft).
func (inv *invoice) number() string {
	if inv.seq == 0 {
		return ""
	}
	kind := invoicing.KindInvoice
	if inv.credit {
		kind = invoicing.KindCreditNote
	}
	return invoicing.FormatNumber(kind, inv.year, inv.seq)
}

// why is a credit note's reason, as the area that issued it wrote it.
func (inv *invoice) why() string {
	lang := i18n.For(i18n.Lang(inv.company.lang))
	switch {
	case inv.forReturn != nil:
		r, l := inv.forReturn, inv.lines[0]
		if inv.remedy {
			return lang.Text(i18n.M("Return %s: %d × %s, fault confirmed on testing.", r.ra(), int(-l.qty), l.sku))
		}
		return lang.Text(i18n.M("Return %s: %d × %s taken back.", r.ra(), int(-l.qty), l.sku))
	case inv.forComplaint != nil:
		c := inv.forComplaint
		ref := i18n.M("complaint %d", c.id)
		if c.order != nil {
			ref = i18n.M("order %d", c.order.id)
		}
		first, _, _ := strings.Cut(c.explanation, "\n")
		return fmt.Sprintf("%s: %s", i18n.For(i18n.Default).Text(ref), first)
	}
	return inv.reason
}

// writeInvoices loads the invoices with their lines, each chunk with
// part k of the audit trail (audit), then the credit notes. Lines go only
// on drafts (a trigger refuses others): with the triggers on, the invoices
// are loaded as drafts and issued after, with the numbers handed out in
// the order they were issued.
func (s *seeder) writeInvoices(ctx context.Context, audit func(k int) table) error {
	var invoices, notes []*invoice
	for _, inv := range s.w.invoices {
		if inv.credit {
			notes = append(notes, inv)
		} else {
			invoices = append(invoices, inv)
		}
	}
	sellerJSON := seller()
	tables := func(docs []*invoice) []table {
		return []table{{"invoices", `id, kind, company_id, state, business_day, number, year, seq, issue_date, supply_date, due_date,
			language, vat_mode, seller, buyer, payment_reference, credits_invoice_id, reason, total_excl_cents, vat_cents,
			total_incl_cents, per_rate, prepaid_cents, paid_cents, issued_at, issued_by, created_at, updated_at`,
			func(r *rows) error { return invoiceRows(r, docs, sellerJSON, s.trusted) }},
			{"invoice_lines", `invoice_id, line_no, order_id, order_line_id, shipment_id, credits_line_no, sku, description,
			quantity, unit_price_cents, vat_rate, amount_cents`, func(r *rows) error { return invoiceLineRows(r, docs) }}}
	}
	err := s.chunks(ctx, "invoices", len(invoices), func(k, lo, hi int) []table {
		return append(tables(invoices[lo:hi]), audit(k))
	})
	if err != nil {
		return err
	}
	if err := s.load(ctx, tables(notes)...); err != nil || s.trusted {
		return err
	}
	n := int64(len(s.w.invoices))
	step := max(n/int64(s.o.Workers), 1)
	start := s.p.now()
	var fns []func() error
	for lo := int64(0); lo < n; lo += step {
		fns = append(fns, func() error {
			_, err := s.bulk.ExecContext(ctx, `UPDATE invoices SET state = 'issued', number = payment_reference
				WHERE kind = 'invoice' AND payment_reference IS NOT NULL AND id > ? AND id <= ?`, lo, lo+step)
			return err
		})
	}
	if err := parallel(fns...); err != nil {
		return fmt.Errorf("scale: issue invoices: %w", err)
	}
	s.p.done("invoices issued", int64(len(invoices)), start)
	return nil
}

// invoiceRows writes the invoices and credit notes; the invoices as
// drafts unless issued.
func invoiceRows(r *rows, docs []*invoice, sellerJSON string, issued bool) error {
	for _, inv := range docs {
		c := inv.company
		kind, state := invoicing.KindInvoice, "draft"
		if inv.credit {
			kind = invoicing.KindCreditNote
		}
		if !inv.issued.IsZero() && (inv.credit || issued) {
			state = "issued"
		}
		number := ""
		if state == "issued" {
			number = inv.number()
		}
		r.Int(inv.id).Str(kind).Int(c.id).Str(state).Date(inv.day).StrOrNull(number)
		if inv.issued.IsZero() {
			r.Null().Null().Null().Null().Null().Str(c.lang).Str(c.vatMode).Null().Null().Null()
		} else {
			r.Int(int64(inv.year)).Int(int64(inv.seq)).Date(inv.day).Date(inv.supply).Date(inv.due).Str(c.lang).Str(c.vatMode).
				Str(sellerJSON).Str(c.buyer).Str(inv.number())
		}
		if inv.of != nil {
			r.Int(inv.of.id)
		} else {
			r.Null()
		}
		r.Str(inv.why()).Int(inv.excl).Int(inv.vatCents).Int(inv.incl).Str(inv.perRate).Int(inv.prepaid).Int(inv.paid).Time(inv.issued)
		if inv.by != nil {
			r.Int(inv.by.id)
		} else {
			r.Null()
		}
		if err := r.Time(inv.created).Time(inv.updated).End(); err != nil {
			return err
		}
	}
	return nil
}

func invoiceLineRows(r *rows, docs []*invoice) error {
	for _, inv := range docs {
		lang := i18n.For(i18n.Lang(inv.company.lang))
		for i, l := range inv.lines {
			r.Int(inv.id).Int(int64(i + 1)).Int(l.order.id)
			desc := l.desc
			if l.line != nil {
				r.Int(l.line.id)
			} else {
				r.Null()
				desc = lang.Text(i18n.M("Shipping costs, order %d", l.order.id))
			}
			if l.ship != nil {
				r.Int(l.ship.id)
			} else {
				r.Null()
			}
			if l.credits > 0 {
				r.Int(int64(l.credits))
			} else {
				r.Null()
			}
			r.Str(l.sku).Str(desc).Int(int64(l.qty)).Int(l.price).Int(int64(l.vat)).Int(int64(l.qty) * l.price)
			if err := r.End(); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *seeder) paymentTable() table {
	return table{"payments", `id, company_id, amount_cents, unallocated_cents, received_on, reference, counterparty_iban,
		counterparty_name, source, created_by, created_at`, func(r *rows) error {
		for _, p := range s.w.payments {
			c := p.company
			source := "manual"
			if p.bank {
				source = "bank"
			}
			r.Int(p.id).Int(c.id).Int(p.amount).Int(p.unallocated).Date(p.on).Str(p.reference()).Str(c.iban).Str(c.name).Str(source).
				Int(p.by.id).Time(p.at)
			if err := r.End(); err != nil {
				return err
			}
		}
		return nil
	}}
}

// reference is what the customer wrote with the payment.
func (p *payment) reference() string {
	switch {
	case p.order != nil:
		return orders.PaymentReference(p.order.id)
	case p.invoice != nil && p.bank:
		return p.invoice.number()
	case p.invoice != nil:
		return "Factuur " + p.invoice.number()
	}
	return ""
}

func (s *seeder) allocationTable() table {
	return table{"allocations", `id, company_id, payment_id, credit_note_id, invoice_id, order_id, amount_cents, reason,
		reason_detail, created_by, created_at, undone_at, undone_by, undo_reason`, func(r *rows) error {
		for _, a := range s.w.allocs {
			r.Int(a.id).Int(a.company.id)
			detail := ""
			if a.payment != nil {
				r.Int(a.payment.id).Null()
				if a.reason != "chosen" {
					detail = a.payment.reference()
				}
			} else {
				r.Null().Int(a.cn.id)
			}
			if a.invoice != nil {
				r.Int(a.invoice.id).Null()
			} else {
				r.Null().Int(a.order.id)
			}
			r.Int(a.amount).Str(a.reason).Str(detail).Int(a.by.id).Time(a.at)
			if a.undone.IsZero() {
				r.Null().Null().Null()
			} else {
				r.Time(a.undone).Int(a.by.id).Str("Verkeerde factuur gekozen.")
			}
			if err := r.End(); err != nil {
				return err
			}
		}
		return nil
	}}
}

func (s *seeder) reminderTable() table {
	return table{"invoice_reminders", "invoice_id, level, due_cents, sent_at", func(r *rows) error {
		for _, m := range s.w.reminders {
			if err := r.Int(m.invoice.id).Int(int64(m.level)).Int(m.due).Time(m.at).End(); err != nil {
				return err
			}
		}
		return nil
	}}
}
