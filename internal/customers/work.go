package customers

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// Waiting is the open applications as sales' home page shows them: how
// many, and the oldest few.
type Waiting struct {
	Count  int
	Oldest []QueueItem
}

// WaitingApplications returns how many applications are open (the default
// list of Service.Queue) and the oldest n of them with how long each has
// waited at now, in one query.
func WaitingApplications(ctx context.Context, db bun.IDB, now time.Time, n int) (Waiting, error) {
	var rows []struct {
		QueueItem `bun:",extend"`
		Total     int `bun:"total"`
	}
	err := db.NewSelect().TableExpr("applications AS a").
		ColumnExpr("a.id, a.status, a.source, a.company_name, a.kvk, a.vat_id, a.created_at, count(*) OVER () AS total").
		Where("a.status IN (?, ?, ?)", AppNew, AppInReview, AppWaiting).OrderExpr("a.created_at, a.id").Limit(int64(n)).Scan(ctx, &rows)
	if err != nil || len(rows) == 0 {
		return Waiting{}, err
	}
	w := Waiting{Count: rows[0].Total}
	for _, r := range rows {
		r.QueueItem.Waited = now.Sub(r.CreatedAt)
		w.Oldest = append(w.Oldest, r.QueueItem)
	}
	return w, nil
}

// OpenChangeCounts are the open account changes: those confirmed in writing
// that wait for sales, and those still waiting for the confirmation.
type OpenChangeCounts struct {
	ToApprove, ToConfirm int
	// OldestToApprove is when the longest-waiting one to approve was confirmed.
	OldestToApprove *time.Time
}

// CountOpenChanges counts the open account changes, in one query.
func CountOpenChanges(ctx context.Context, db bun.IDB) (OpenChangeCounts, error) {
	var c OpenChangeCounts
	err := db.NewSelect().TableExpr("change_requests AS cr").
		ColumnExpr("count(*) FILTER (WHERE cr.status = ?) AS to_approve", ChangeAwaitingApproval).
		ColumnExpr("count(*) FILTER (WHERE cr.status = ?) AS to_confirm", ChangeAwaitingConfirmation).
		ColumnExpr("min(COALESCE(cr.confirmed_at, cr.requested_at)) FILTER (WHERE cr.status = ?) AS oldest", ChangeAwaitingApproval).
		Where("cr.status IN (?, ?)", ChangeAwaitingApproval, ChangeAwaitingConfirmation).
		Scan(ctx, &c.ToApprove, &c.ToConfirm, &c.OldestToApprove)
	return c, err
}
