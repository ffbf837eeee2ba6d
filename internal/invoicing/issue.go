package invoicing

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"wholesale/internal/apperr"
	"wholesale/internal/calendar"
	"wholesale/internal/customers"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
)

// Run issues every draft invoice whose cutoff has passed, in batches of
// one transaction each: a batch numbers its drafts from the gapless
// series, renders their PDF and Excel on all cores, stores them, and
// queues the mail with both attached, or does none of it. With companyID
// set it issues that customer's drafts now, cutoff or not (finance or an
// admin running it early). by is nil for the scheduler and the command
// line. Several runs at once issue every draft once. It returns the
// numbers issued. Returns Forbidden, Conflict (the wholesaler's details
// are incomplete).
func (s *Service) Run(ctx context.Context, by *users.User, companyID int64) ([]string, error) {
	if by != nil && !by.Is(users.RoleFinance, users.RoleAdmin) {
		return nil, apperr.Forbiddenf("Finance and admins run the invoicing.")
	}
	now := s.now()
	cal, err := s.Calendar(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	defer relaxGC()()
	var numbers []string
	for {
		due, err := dueDays(ctx, s.DB, cal, now, companyID)
		if err != nil || len(due) == 0 {
			return numbers, err
		}
		got, err := s.issueBatch(ctx, by, now, due, companyID)
		numbers = append(numbers, got...)
		if err != nil || len(got) == 0 {
			return numbers, err
		}
	}
}

// dueDays maps the business days of drafts that are due to the date their
// invoices get: the day (or the next with a cutoff, when admins closed it)
// once its cutoff passed; today for a customer's early run.
func dueDays(ctx context.Context, db bun.IDB, cal Calendar, now time.Time, companyID int64) (map[time.Time]time.Time, error) {
	var days []time.Time
	q := db.NewSelect().Table("invoices").ColumnExpr("DISTINCT business_day").Where("state = 'draft' AND kind = 'invoice'")
	if companyID > 0 {
		q = q.Where("company_id = ?", companyID)
	}
	if err := q.Scan(ctx, &days); err != nil {
		return nil, fmt.Errorf("invoicing: draft days: %w", err)
	}
	due := map[time.Time]time.Time{}
	for _, d := range days {
		d = calendar.Day(d)
		switch {
		case Due(cal, d, now):
			due[d] = cal.OnOrAfterBusinessDay(d)
		case companyID > 0:
			due[d] = today(now)
		}
	}
	return due, nil
}

// issueBatch issues up to Batch due drafts in one transaction.
func (s *Service) issueBatch(ctx context.Context, by *users.User, now time.Time, due map[time.Time]time.Time, companyID int64) ([]string, error) {
	var numbers []string
	err := postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		numbers = nil
		drafts, err := lockDue(ctx, tx, due, companyID, s.batch())
		if err != nil || len(drafts) == 0 {
			return err
		}
		b, err := s.prepare(ctx, tx, now, drafts, due)
		if err != nil {
			return err
		}
		if err := number(ctx, tx, b.docs); err != nil {
			return err
		}
		if err := s.render(b.docs); err != nil {
			return err
		}
		if err := b.store(ctx, tx, now, by); err != nil {
			return err
		}
		for _, d := range b.docs {
			numbers = append(numbers, d.doc.Number)
		}
		return nil
	})
	return numbers, err
}

func (s *Service) batch() int {
	if s.Batch > 0 {
		return s.Batch
	}
	return 50
}

// lockDue locks up to limit due drafts, oldest first, skipping those
// another run holds. The orders on them are locked first, in id order, as
// shipping locks an order before it adds to a draft: a shipment and a run
// never wait for each other in a circle.
func lockDue(ctx context.Context, tx bun.IDB, due map[time.Time]time.Time, companyID int64, limit int) ([]Invoice, error) {
	days := make([]string, 0, len(due))
	for d := range due {
		days = append(days, d.Format(time.DateOnly))
	}
	sort.Strings(days)
	var ids []int64
	q := tx.NewSelect().Table("invoices").Column("id").
		Where("state = 'draft' AND kind = 'invoice' AND business_day = ANY(?::date[])", pgdialect.Array(days)).
		OrderExpr("id").Limit(int64(limit))
	if companyID > 0 {
		q = q.Where("company_id = ?", companyID)
	}
	if err := q.Scan(ctx, &ids); err != nil {
		return nil, fmt.Errorf("invoicing: due drafts: %w", err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	if _, err := tx.NewRaw(`SELECT id FROM orders WHERE id IN (SELECT order_id FROM invoice_lines WHERE invoice_id = ANY(?))
		ORDER BY id FOR UPDATE`, pgdialect.Array(ids)).Exec(ctx); err != nil {
		return nil, fmt.Errorf("invoicing: lock orders: %w", err)
	}
	var drafts []Invoice
	err := tx.NewSelect().Model(&drafts).Where("inv.id = ANY(?) AND inv.state = 'draft'", pgdialect.Array(ids)).
		OrderExpr("inv.id").For("UPDATE SKIP LOCKED").Scan(ctx)
	return drafts, err
}

// number gives each document the next number of its series and year, in
// the order of the documents: the series row stays locked until the
// transaction ends, so numbers are handed out without a gap.
func number(ctx context.Context, tx bun.IDB, docs []*issuing) error {
	type key struct {
		kind string
		year int
	}
	count := map[key]int{}
	var keys []key
	for _, d := range docs {
		k := key{d.doc.Kind, d.doc.IssueDate.Year()}
		if count[k] == 0 {
			keys = append(keys, k)
		}
		count[k]++
	}
	sort.Slice(keys, func(i, j int) bool {
		return keys[i].kind < keys[j].kind || keys[i].kind == keys[j].kind && keys[i].year < keys[j].year
	})
	next := map[key]int{}
	for _, k := range keys {
		var last int
		err := tx.NewRaw(`INSERT INTO invoice_series AS s (kind, year, last_number) VALUES (?0, ?1, ?2)
			ON CONFLICT (kind, year) DO UPDATE SET last_number = s.last_number + ?2 RETURNING last_number`,
			k.kind, k.year, count[k]).Scan(ctx, &last)
		if err != nil {
			return fmt.Errorf("invoicing: number series %s %d: %w", k.kind, k.year, err)
		}
		next[k] = last - count[k] + 1
	}
	for _, d := range docs {
		k := key{d.doc.Kind, d.doc.IssueDate.Year()}
		d.seq, next[k] = next[k], next[k]+1
		d.doc.Number = FormatNumber(d.doc.Kind, k.year, d.seq)
		d.doc.PaymentReference = d.doc.Number
	}
	return nil
}

// Due tells whether the draft of business day day is due at now: the
// cutoff of that day, or of the next business day when admins closed it
// since, has passed.
func Due(cal Calendar, day, now time.Time) bool {
	return !cal.Cutoff(cal.OnOrAfterBusinessDay(day)).After(now)
}

// FormatNumber is the number of an invoice (2026-000001) or credit note
// (C2026-000001): the year and the place in that year's series.
func FormatNumber(kind string, year, seq int) string {
	n := fmt.Sprintf("%d-%06d", year, seq)
	if kind == KindCreditNote {
		return "C" + n
	}
	return n
}

// buyer is the customer as its invoices name it.
func buyer(c *customers.Company) Party {
	a := c.Invoice
	if a.Street == "" {
		a = c.Visiting
	}
	return Party{Name: c.Name, Street: a.Street, Postcode: a.Postcode, City: a.City, Country: a.Country,
		VATID: c.VATID, KvK: c.KvK, Email: invoiceEmail(c), CustomerNumber: c.ID,
		EInvoiceProfile: c.EInvoiceProfile, PeppolID: c.PeppolID, BuyerReference: c.BuyerReference}
}

// invoiceEmail is where a customer's invoices go.
func invoiceEmail(c *customers.Company) string {
	if c.InvoiceEmail != "" {
		return c.InvoiceEmail
	}
	return c.ContactEmail
}
