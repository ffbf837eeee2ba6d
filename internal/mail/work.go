package mail

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// failedSQL holds for a mail that failed to send and is not sent yet (the
// sender tries it again, with growing pauses, up to its maximum attempts).
const failedSQL = "sent_at IS NULL AND last_error IS NOT NULL"

// CountFailed returns how many mails failed to send and are not sent yet,
// and when the oldest of them was written.
func CountFailed(ctx context.Context, db bun.IDB) (int, *time.Time, error) {
	var row struct {
		N      int        `bun:"n"`
		Oldest *time.Time `bun:"oldest"`
	}
	err := db.NewSelect().Table("outbox").ColumnExpr("count(*) AS n, min(created_at) AS oldest").Where(failedSQL).Scan(ctx, &row)
	return row.N, row.Oldest, err
}

// Failed returns the newest mails that failed to send and are not sent yet.
func Failed(ctx context.Context, db bun.IDB, limit int) ([]Message, error) {
	var out []Message
	err := db.NewSelect().Model(&out).Where(failedSQL).OrderExpr("id DESC").Limit(int64(limit)).Scan(ctx)
	return out, err
}
