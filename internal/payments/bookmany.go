package payments

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/uptrace/bun/dialect/pgdialect"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/calendar"
	"wholesale/internal/i18n"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
)

// BookMany books payments ps in tx as Book books each with targets[i]
// (nil: oldest first), in a few statements for all of them: a bank
// statement's thousands of credits. The companies are locked in id order
// and the target invoices too; payments, allocations and the invoices'
// paid amounts are written with one statement each. What a target cannot
// take, and payments to prepayment orders, then go the way Book sends
// them, one by one. Returns the payments in the order of ps. Returns
// NotFound (a company), Invalid (an amount).
func BookMany(ctx context.Context, tx *postgres.Tx, now time.Time, by *users.User, ps []NewPayment, targets []*Target) ([]*Payment, error) {
	if len(ps) != len(targets) {
		return nil, fmt.Errorf("payments: %d payments and %d targets", len(ps), len(targets))
	}
	if len(ps) == 0 {
		return nil, nil
	}
	A := pgdialect.Array
	companies := map[int64]bool{}
	invoiceIDs := map[int64]bool{}
	for i, p := range ps {
		if p.AmountCents <= 0 || p.AmountCents > maxAmount {
			return nil, apperr.FieldErrors{"amount": i18n.M("Enter an amount above 0 and at most %s.", i18n.Amount(maxAmount))}.Err()
		}
		companies[p.CompanyID] = true
		if t := targets[i]; t != nil && t.InvoiceID > 0 {
			invoiceIDs[t.InvoiceID] = true
		}
	}
	var locked []int64
	if err := tx.NewRaw(`SELECT id FROM companies WHERE id = ANY(?) ORDER BY id FOR NO KEY UPDATE`, A(keys(companies))).Scan(ctx, &locked); err != nil {
		return nil, err
	}
	if len(locked) != len(companies) {
		return nil, apperr.NotFoundf("Customer not found.")
	}
	var docs []openDoc
	if len(invoiceIDs) > 0 {
		if err := tx.NewRaw(`SELECT id, number, kind, company_id, total_incl_cents - paid_cents AS open, due_date FROM invoices
			WHERE id = ANY(?) AND state = 'issued' AND kind = 'invoice' ORDER BY id FOR UPDATE`, A(keys(invoiceIDs))).Scan(ctx, &docs); err != nil {
			return nil, err
		}
	}
	open := map[int64]*openDoc{}
	for i := range docs {
		open[docs[i].ID] = &docs[i]
	}
	var payIDs []int64
	if err := tx.NewRaw(`SELECT nextval('payments_id_seq') FROM generate_series(1, ?)`, len(ps)).Scan(ctx, &payIDs); err != nil {
		return nil, err
	}
	out := make([]*Payment, len(ps))
	var (
		allocPay, allocInv, allocCents []int64
		allocReason, allocDetail       []string
		paid                           = map[int64]int64{}
		changes                        []audit.Change
	)
	for i, p := range ps {
		pay := &Payment{ID: payIDs[i], CompanyID: p.CompanyID, AmountCents: p.AmountCents, UnallocatedCents: p.AmountCents,
			ReceivedOn: calendar.Day(p.ReceivedOn), Reference: clip(p.Reference, 140), CounterpartyIBAN: clip(p.CounterpartyIBAN, 34),
			CounterpartyName: clip(p.CounterpartyName, 140), Source: p.Source, CreatedBy: userID(by), CreatedAt: now}
		if pay.Source == "" {
			pay.Source = SourceManual
		}
		out[i] = pay
		changes = append(changes, audit.Change{Entity: "payment", EntityID: pay.ID, Action: "register", After: pay})
		t := targets[i]
		if t == nil || t.InvoiceID == 0 {
			continue
		}
		inv := open[t.InvoiceID]
		if inv == nil || inv.CompanyID != p.CompanyID {
			return nil, apperr.Conflictf("Invoice %d is not an open invoice of this customer.", t.InvoiceID)
		}
		cents := min(inv.Open, pay.UnallocatedCents)
		if cents <= 0 {
			continue
		}
		inv.Open -= cents
		pay.UnallocatedCents -= cents
		paid[inv.ID] += cents
		allocPay, allocInv, allocCents = append(allocPay, pay.ID), append(allocInv, inv.ID), append(allocCents, cents)
		allocReason, allocDetail = append(allocReason, string(t.Reason)), append(allocDetail, clip(t.Detail, 200))
		changes = append(changes, audit.Change{Entity: "payment", EntityID: pay.ID, Action: "allocate",
			After: map[string]any{"invoice": inv.Number, "amount_cents": cents, "reason": t.Reason, "detail": t.Detail}})
	}
	n := len(out)
	company, amount, unalloc := make([]int64, n), make([]int64, n), make([]int64, n)
	day, ref, iban, name, src := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	for i, p := range out {
		company[i], amount[i], unalloc[i] = p.CompanyID, p.AmountCents, p.UnallocatedCents
		day[i], ref[i], iban[i], name[i], src[i] = p.ReceivedOn.Format(time.DateOnly), p.Reference, p.CounterpartyIBAN, p.CounterpartyName, p.Source
	}
	b := postgres.NewBatch(tx)
	b.Raw(`INSERT INTO payments (id, company_id, amount_cents, unallocated_cents, received_on, reference, counterparty_iban, counterparty_name,
		source, created_by, created_at)
		SELECT x.id, x.company, x.amount, x.unalloc, x.day, x.ref, x.iban, x.name, x.src, ?, ?
		FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::date[], ?::text[], ?::text[], ?::text[], ?::text[])
			AS x(id, company, amount, unalloc, day, ref, iban, name, src)`,
		userID(by), now, A(payIDs), A(company), A(amount), A(unalloc), A(day), A(ref), A(iban), A(name), A(src))
	if len(allocPay) > 0 {
		companyOf := map[int64]int64{}
		for _, p := range out {
			companyOf[p.ID] = p.CompanyID
		}
		allocCompany := make([]int64, len(allocPay))
		for i, id := range allocPay {
			allocCompany[i] = companyOf[id]
		}
		b.Raw(`INSERT INTO allocations (company_id, payment_id, invoice_id, amount_cents, reason, reason_detail, created_by, created_at)
			SELECT x.company, x.payment, x.invoice, x.cents, x.reason, x.detail, ?, ?
			FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::text[], ?::text[]) AS x(company, payment, invoice, cents, reason, detail)`,
			userID(by), now, A(allocCompany), A(allocPay), A(allocInv), A(allocCents), A(allocReason), A(allocDetail))
		invs, cents := make([]int64, 0, len(paid)), make([]int64, 0, len(paid))
		for id, c := range paid {
			invs, cents = append(invs, id), append(cents, c)
		}
		b.Raw(`UPDATE invoices AS i SET paid_cents = i.paid_cents + x.cents, updated_at = ? FROM unnest(?::bigint[], ?::bigint[]) AS x(id, cents)
			WHERE i.id = x.id`, now, A(invs), A(cents))
	}
	if err := b.Exec(ctx, tx); err != nil {
		return nil, fmt.Errorf("payments: book %d: %w", n, err)
	}
	if err := audit.RecordMany(ctx, tx, now, changes); err != nil {
		return nil, err
	}
	// What is left goes the way Book sends it: a prepayment order, then the oldest invoices.
	for i, pay := range out {
		if pay.UnallocatedCents == 0 {
			continue
		}
		src := source{payment: pay}
		if t := targets[i]; t != nil && t.OrderID > 0 {
			if err := allocateOrder(ctx, tx, now, by, src, t.OrderID, src.left(), t.Reason, t.Detail); err != nil {
				return nil, err
			}
		}
		if err := oldestFirst(ctx, tx, now, by, src); err != nil {
			return nil, err
		}
		if pay.UnallocatedCents != unalloc[i] {
			if err := savePayment(ctx, tx, pay); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

func keys(m map[int64]bool) []int64 {
	out := make([]int64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
