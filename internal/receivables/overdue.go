package receivables

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/postgres"
	"wholesale/internal/users"
)

// ReminderSent is a payment reminder that went out.
type ReminderSent struct {
	Level    int       `json:"level"`
	SentAt   time.Time `json:"sent_at"`
	DueCents int64     `json:"due_cents"`
	OutboxID *int64    `json:"outbox_id"`
}

// OverdueInvoice is an issued invoice not paid in full past its due date,
// with the reminders it got.
type OverdueInvoice struct {
	ID          int64          `bun:"id"`
	Number      string         `bun:"number"`
	CompanyID   int64          `bun:"company_id"`
	CompanyName string         `bun:"company_name"`
	IssueDate   time.Time      `bun:"issue_date,type:date"`
	DueDate     time.Time      `bun:"due_date,type:date"`
	TotalCents  int64          `bun:"total_incl_cents"`
	OpenCents   int64          `bun:"open_cents"`
	Reminders   []ReminderSent `bun:"reminders,type:jsonb"`
	// DaysOverdue is how many days past its due date it is today.
	DaysOverdue int `bun:"-"`
}

// Orders of the reminder list.
const (
	// MostOverdue lists the earliest due date first.
	MostOverdue = "overdue"
	// Newest lists the newest invoice first.
	Newest = "newest"
)

// OverdueLimit is the most invoices the reminder list shows at once.
const OverdueLimit = 500

// Overdue lists the invoices past their due date on day today that are
// not paid in full, of the customers by may see (an account manager's
// own, every customer's for finance and admins), ordered by order
// (MostOverdue or Newest), at most OverdueLimit, and the number of all
// of them. Returns Forbidden for other roles.
func Overdue(ctx context.Context, db bun.IDB, by *users.User, today time.Time, order string) ([]OverdueInvoice, int, error) {
	managerID, err := scope(by)
	if err != nil {
		return nil, 0, err
	}
	orderBy := "i.due_date, i.id"
	if order == Newest {
		orderBy = "i.issue_date DESC, i.id DESC"
	}
	var out []OverdueInvoice
	err = db.NewRaw(`SELECT i.id, i.number, i.company_id, c.name AS company_name, i.issue_date, i.due_date, i.total_incl_cents,
			i.total_incl_cents - i.paid_cents AS open_cents,
			COALESCE((SELECT json_agg(json_build_object('level', r.level, 'sent_at', r.sent_at, 'due_cents', r.due_cents, 'outbox_id', r.outbox_id) ORDER BY r.level)
				FROM invoice_reminders r WHERE r.invoice_id = i.id), '[]') AS reminders
		FROM invoices i JOIN companies c ON c.id = i.company_id
		WHERE i.state = 'issued' AND i.kind = 'invoice' AND i.total_incl_cents - i.paid_cents > 0 AND i.due_date < ?::date
			AND (?::bigint = 0 OR c.account_manager_id = ?)
		ORDER BY `+orderBy+` LIMIT ?`, today.Format(time.DateOnly), managerID, managerID, OverdueLimit).Scan(ctx, &out)
	if err != nil {
		return nil, 0, fmt.Errorf("receivables: overdue invoices: %w", err)
	}
	for i := range out {
		out[i].DaysOverdue = DaysPastDue(out[i].DueDate, today)
	}
	n := len(out)
	if n == OverdueLimit {
		err = db.NewRaw(`SELECT count(*) FROM invoices i JOIN companies c ON c.id = i.company_id
			WHERE i.state = 'issued' AND i.kind = 'invoice' AND i.total_incl_cents - i.paid_cents > 0 AND i.due_date < ?::date
				AND (?::bigint = 0 OR c.account_manager_id = ?)`, today.Format(time.DateOnly), managerID, managerID).Scan(ctx, &n)
	}
	return out, n, err
}

// CountOverdue counts the overdue invoices of by's customers (as Overdue)
// and the earliest due date among them.
func CountOverdue(ctx context.Context, db bun.IDB, by *users.User, today time.Time) (int, *time.Time, error) {
	managerID, err := scope(by)
	if err != nil {
		return 0, nil, err
	}
	var row struct {
		N        int        `bun:"n"`
		Earliest *time.Time `bun:"earliest,type:date"`
	}
	if managerID > 0 {
		err = postgres.ScanStmtIn(ctx, db, countOverdueOfManager, []any{today.Format(time.DateOnly), managerID}, &row)
	} else {
		err = postgres.ScanStmtIn(ctx, db, countOverdue, []any{today.Format(time.DateOnly)}, &row)
	}
	return row.N, row.Earliest, err
}

// countOverdue and countOverdueOfManager (of ?1's customers) are
// CountOverdue's statements, prepared: an account manager's home page
// counts on every load, and planning the count cost PostgreSQL more than
// running it. ?0 is the day.
var (
	countOverdue = postgres.NewStmt("receivables_count_overdue", `SELECT count(*) AS n, min(i.due_date) AS earliest FROM invoices i
		WHERE i.state = 'issued' AND i.kind = 'invoice' AND i.total_incl_cents - i.paid_cents > 0 AND i.due_date < ?0::date`)
	countOverdueOfManager = postgres.NewStmt("receivables_count_overdue_of_manager", `SELECT count(*) AS n, min(i.due_date) AS earliest
		FROM companies c JOIN invoices i ON i.company_id = c.id
		WHERE i.state = 'issued' AND i.kind = 'invoice' AND i.total_incl_cents - i.paid_cents > 0 AND i.due_date < ?0::date
			AND c.account_manager_id = ?1`)
)
