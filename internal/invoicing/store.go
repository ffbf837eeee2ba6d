package invoicing

import (
	"context"
	"math"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/i18n"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
)

// Filter narrows an invoice list.
type Filter struct {
	CompanyID int64
	Kind      string // KindInvoice, KindCreditNote or all
	State     string // StateDraft, StateIssued, "unpaid", "overdue" or all
	From, To  *time.Time
	// Today decides what is overdue.
	Today time.Time
	// Scope: an account manager's customers; a customer user's company.
	ManagerID     int64
	OnlyCompanyID int64
	// BeforeID pages: documents older (lower id) than this.
	BeforeID int64
	Limit    int
}

// MaySeeInvoices tells whether u's role sees invoices at all: finance and
// admins all, account managers their customers', customer users their
// company's issued ones.
func MaySeeInvoices(u *users.User) bool {
	return u.Is(users.RoleFinance, users.RoleAdmin, users.RoleAccountManager, users.RoleCustomer)
}

// scope limits f to what by may see. Returns Forbidden.
func scope(by *users.User, f *Filter) error {
	switch by.Role {
	case users.RoleFinance, users.RoleAdmin:
	case users.RoleAccountManager:
		f.ManagerID = by.ID
	case users.RoleCustomer:
		if by.CompanyID == nil {
			return apperr.Forbiddenf("This user belongs to no company.")
		}
		f.OnlyCompanyID = *by.CompanyID
		f.State = map[bool]string{true: f.State, false: StateIssued}[f.State == "unpaid" || f.State == "overdue" || f.State == StandingOpen || f.State == StandingPaid || f.State == StandingPartlyPaid]
	default:
		return apperr.Forbiddenf("Your role may not see invoices.")
	}
	return nil
}

// List returns one page of the invoices and credit notes by may see,
// newest first, and the BeforeID of the next page (0 at the end). Returns
// Forbidden.
func (s *Service) List(ctx context.Context, by *users.User, f Filter) ([]Summary, int64, error) {
	if err := scope(by, &f); err != nil {
		return nil, 0, err
	}
	if f.Today.IsZero() {
		f.Today = today(s.now())
	}
	return List(ctx, s.DB, f)
}

// summaryColumns are the columns of a Summary, of invoices aliased inv
// (and companies aliased c). The credited invoice's number is a subquery:
// a join of invoices to themselves took 3 ms to plan, more than reading
// a page of them.
const summaryColumns = `inv.id, inv.kind, inv.number, inv.state, inv.company_id, c.name AS company_name, c.vat_id AS company_vat_id,
	inv.business_day, inv.issue_date, inv.due_date, inv.vat_mode,
	(SELECT cr.number FROM invoices cr WHERE cr.id = inv.credits_invoice_id) AS credits, inv.total_excl_cents, inv.vat_cents,
	inv.total_incl_cents, inv.paid_cents, inv.per_rate`

// listQuery selects the summaries f asks for, newest first, unpaged.
func listQuery(db bun.IDB, f Filter) *bun.SelectQuery {
	q := db.NewSelect().TableExpr("invoices AS inv").ColumnExpr(summaryColumns).
		Join("JOIN companies AS c ON c.id = inv.company_id").
		OrderExpr("inv.id DESC")
	return filtered(q, f)
}

// tallyQuery selects Tally's figures of f's documents: no order, and the
// customer joined only for an account manager's scope, so that a count of
// open items reads its partial index alone.
func tallyQuery(db bun.IDB, f Filter) *bun.SelectQuery {
	q := db.NewSelect().TableExpr("invoices AS inv").
		ColumnExpr("count(*) AS n, COALESCE(sum(inv.total_incl_cents - inv.paid_cents), 0) AS unpaid_cents, min(inv.due_date) AS earliest_due")
	if f.ManagerID != 0 {
		q = q.Join("JOIN companies AS c ON c.id = inv.company_id")
	}
	return filtered(q, f)
}

// filtered narrows q, on invoices AS inv (and companies AS c for an
// account manager's scope), to f's documents.
func filtered(q *bun.SelectQuery, f Filter) *bun.SelectQuery {
	if f.CompanyID != 0 {
		q = q.Where("inv.company_id = ?", f.CompanyID)
	}
	if f.OnlyCompanyID != 0 {
		q = q.Where("inv.company_id = ?", f.OnlyCompanyID)
	}
	if f.ManagerID != 0 {
		q = q.Where("c.account_manager_id = ?", f.ManagerID)
	}
	if f.Kind != "" {
		q = q.Where("inv.kind = ?", f.Kind)
	}
	switch f.State {
	case StateDraft, StateIssued:
		q = q.Where("inv.state = ?", f.State)
	case "unpaid":
		q = q.Where("inv.state = 'issued' AND inv.total_incl_cents - inv.paid_cents > 0")
	case StandingPaid:
		q = q.Where("inv.state = 'issued' AND inv.kind = 'invoice' AND inv.paid_cents >= inv.total_incl_cents")
	case StandingPartlyPaid:
		q = q.Where("inv.state = 'issued' AND inv.kind = 'invoice' AND inv.paid_cents > 0 AND inv.total_incl_cents - inv.paid_cents > 0")
	case StandingOpen: // open items: invoices not paid, credit notes not set off in full
		q = q.Where("inv.state = 'issued' AND inv.total_incl_cents - inv.paid_cents <> 0")
	case "overdue":
		q = q.Where("inv.state = 'issued' AND inv.kind = 'invoice' AND inv.total_incl_cents - inv.paid_cents > 0 AND inv.due_date < ?", f.Today.Format(time.DateOnly))
	}
	if f.From != nil {
		q = q.Where("COALESCE(inv.issue_date, inv.business_day) >= ?", f.From.Format(time.DateOnly))
	}
	if f.To != nil {
		q = q.Where("COALESCE(inv.issue_date, inv.business_day) <= ?", f.To.Format(time.DateOnly))
	}
	return q
}

// listAll is List's query of every customer's documents, unfiltered, as a
// prepared statement: the list finance opens, where planning the query
// cost PostgreSQL more than running it. Its arguments: the limit and the
// id the page's documents are below.
var listAll = postgres.NewStmt("invoicing_list_all", `SELECT `+summaryColumns+`
	FROM invoices AS inv JOIN companies AS c ON c.id = inv.company_id
	WHERE inv.id < ?1 ORDER BY inv.id DESC LIMIT ?0`)

// unfiltered tells whether f asks for every document of every customer,
// paged only.
func (f Filter) unfiltered() bool {
	return f == Filter{Today: f.Today, BeforeID: f.BeforeID, Limit: f.Limit}
}

// List returns one page of f's documents and the BeforeID of the next.
func List(ctx context.Context, db bun.IDB, f Filter) ([]Summary, int64, error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	var list []Summary
	if f.unfiltered() { // everyone's documents: the list finance opens
		before := f.BeforeID
		if before == 0 {
			before = math.MaxInt64
		}
		if err := postgres.ScanStmtIn(ctx, db, listAll, []any{f.Limit + 1, before}, &list); err != nil {
			return nil, 0, err
		}
	} else {
		q := listQuery(db, f).Limit(int64(f.Limit + 1))
		if f.BeforeID != 0 {
			q = q.Where("inv.id < ?", f.BeforeID)
		}
		if err := q.Scan(ctx, &list); err != nil {
			return nil, 0, err
		}
	}
	var next int64
	if len(list) > f.Limit {
		list = list[:f.Limit]
		next = list[len(list)-1].ID
	}
	return list, next, nil
}

// Each calls fn with every document f asks for, newest first, streaming
// them from the database: for exports of any size.
func Each(ctx context.Context, db *bun.DB, f Filter, fn func(*Summary) error) error {
	rows, err := listQuery(db, f).Rows(ctx)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var s Summary
		if err := db.ScanRow(ctx, rows, &s); err != nil {
			return err
		}
		if err := fn(&s); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Get returns the invoice or credit note with number (or a draft by id,
// for staff: number "draft-<id>") with its lines, when by may see it.
// Returns NotFound.
func (s *Service) Get(ctx context.Context, by *users.User, number string) (*Invoice, error) {
	inv, err := get(ctx, s.DB, number)
	if err != nil {
		return nil, err
	}
	if !maySee(ctx, s.DB, by, inv) {
		return nil, apperr.NotFoundf("Invoice not found.")
	}
	return inv, nil
}

func get(ctx context.Context, db bun.IDB, number string) (*Invoice, error) {
	inv := new(Invoice)
	q := db.NewSelect().Model(inv).ColumnExpr("inv.*, c.name AS company_name, (SELECT cr.number FROM invoices cr WHERE cr.id = inv.credits_invoice_id) AS credits").
		Join("JOIN companies AS c ON c.id = inv.company_id")
	var id int64
	if n, ok := draftID(number); ok {
		id = n
		q = q.Where("inv.id = ? AND inv.state = 'draft'", id)
	} else {
		q = q.Where("inv.number = ?", number)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, postgres.Translate(err, i18n.M("Invoice"))
	}
	return inv, linesOf(ctx, db, inv)
}

// linesOf reads inv's lines, with their orders' PO references.
func linesOf(ctx context.Context, db bun.IDB, inv *Invoice) error {
	return db.NewSelect().Model(&inv.Lines).ColumnExpr("il.*, o.po_reference").Join("JOIN orders AS o ON o.id = il.order_id").
		Where("il.invoice_id = ?", inv.ID).OrderExpr("il.line_no").Scan(ctx)
}

// maySee tells whether by may see inv: a customer user only its company's
// issued documents; an account manager its customers'.
func maySee(ctx context.Context, db bun.IDB, by *users.User, inv *Invoice) bool {
	switch by.Role {
	case users.RoleFinance, users.RoleAdmin:
		return true
	case users.RoleCustomer:
		return by.CompanyID != nil && *by.CompanyID == inv.CompanyID && inv.State == StateIssued
	case users.RoleAccountManager:
		n, err := db.NewSelect().Table("companies").Where("id = ? AND account_manager_id = ?", inv.CompanyID, by.ID).Count(ctx)
		return err == nil && n == 1
	}
	return false
}

// ForOrder returns the invoices and credit notes with lines of an order,
// oldest first.
func ForOrder(ctx context.Context, db bun.IDB, orderID int64) ([]Summary, error) {
	var list []Summary
	err := db.NewSelect().TableExpr("invoices AS inv").ColumnExpr(summaryColumns).
		Join("JOIN companies AS c ON c.id = inv.company_id").
		Where("inv.id IN (SELECT invoice_id FROM invoice_lines WHERE order_id = ?)", orderID).OrderExpr("inv.id").Scan(ctx, &list)
	return list, err
}
