package postgres

import (
	"context"
	"database/sql"
)

// ExecParams runs a statement in the transaction with its arguments sent
// apart from the SQL, as the driver's parameters ($1, $2, …), not written
// into the statement: for large values (documents), which would otherwise
// be escaped into the SQL text and parsed back out of it.
func (t *Tx) ExecParams(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if !t.begun {
		if _, err := t.execBatch(ctx, NewBatch(t.conn)); err != nil {
			return nil, err
		}
	}
	return t.conn.Conn.ExecContext(ctx, query, args...)
}
