package postgres

import (
	"context"
	"database/sql"
	"errors"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/schema"
)

// Batch collects statements to send in one round trip. PostgreSQL runs
// them in order, inside the caller's transaction, and stops at the first
// error, which Exec or Scan returns. Only the last statement may return
// rows. It is how a hot use case saves round trips without giving up bun's
// query builder.
type Batch struct {
	gen schema.QueryGen
	buf []byte
	err error
	// conn is set when the batch runs on one connection that keeps
	// prepared statements (see Stmt); stmts are those the batch executes.
	conn    bun.Conn
	tracked bool
	stmts   []*Stmt
}

// NewBatch starts an empty batch for db. On a transaction's connection
// (ConnTx) its named statements are executed prepared.
func NewBatch(db bun.IDB) *Batch {
	b := &Batch{gen: schema.NewQueryGen(db.Dialect())}
	b.conn, b.tracked = trackedConn(db)
	return b
}

func (b *Batch) sep() {
	if len(b.buf) > 0 {
		b.buf = append(b.buf, ";\n"...)
	}
}

// Add appends a query built with bun (insert, update, select, raw). An
// insert that is not the last statement needs Returning("NULL"): bun
// otherwise returns the columns with defaults, and only the last statement
// may return rows.
func (b *Batch) Add(q schema.QueryAppender) *Batch {
	if b.err != nil {
		return b
	}
	b.sep()
	b.buf, b.err = q.AppendQuery(b.gen, b.buf)
	return b
}

// Raw appends SQL with bun's ? placeholders.
func (b *Batch) Raw(query string, args ...any) *Batch {
	b.sep()
	b.buf = b.gen.AppendQuery(b.buf, query, args...)
	return b
}

// Stmt appends a named statement with its arguments: executed prepared on
// a transaction's connection, else sent as plain SQL.
func (b *Batch) Stmt(s *Stmt, args ...any) *Batch {
	if b.err != nil {
		return b
	}
	b.sep()
	if !b.tracked {
		b.buf = b.gen.AppendQuery(b.buf, s.query, args...)
		return b
	}
	b.buf, b.err = s.execute(b, args)
	b.stmts = append(b.stmts, s)
	return b
}

// join moves the statements of other to the end of b.
func (b *Batch) join(other *Batch) {
	if b.err == nil {
		b.err = other.err
	}
	if len(other.buf) > 0 {
		b.sep()
		b.buf = append(b.buf, other.buf...)
	}
	b.stmts = append(b.stmts, other.stmts...)
	other.buf, other.stmts = other.buf[:0], other.stmts[:0]
}

// Len is the number of bytes collected; 0 means the batch is empty.
func (b *Batch) Len() int { return len(b.buf) }

// take returns the batch's SQL with the PREPAREs it needs and empties it.
func (b *Batch) take() (q string, prepared bool) {
	q = string(b.buf)
	b.buf = b.buf[:0]
	if len(b.stmts) == 0 {
		return q, false
	}
	q = preamble(b.conn, b.stmts) + q
	b.stmts = b.stmts[:0]
	return q, true
}

// done records the outcome for the connection's prepared statements.
func (b *Batch) done(prepared bool, err error) error {
	if prepared && err != nil && !errors.Is(err, sql.ErrNoRows) {
		failed(b.conn)
	}
	return err
}

// Exec sends the statements, none of which may return rows, and empties
// the batch for the next ones.
func (b *Batch) Exec(ctx context.Context, db bun.IDB) error {
	_, err := b.ExecResult(ctx, db)
	return err
}

// ExecResult is Exec that also returns the result of the last statement.
func (b *Batch) ExecResult(ctx context.Context, db bun.IDB) (sql.Result, error) {
	if b.err != nil || len(b.buf) == 0 {
		return nil, b.err
	}
	if tx, ok := db.(*Tx); ok {
		return tx.execBatch(ctx, b)
	}
	q, prepared := b.take()
	res, err := db.ExecContext(ctx, q)
	return res, b.done(prepared, err)
}

// Scan sends the statements and scans the rows of the last one into dest,
// as bun's Scan does (a model, a slice of structs or columns), and empties
// the batch for the next ones.
func (b *Batch) Scan(ctx context.Context, db bun.IDB, dest ...any) error {
	if b.err != nil {
		return b.err
	}
	if tx, ok := db.(*Tx); ok {
		return tx.scanBatch(ctx, b, dest...)
	}
	q, prepared := b.take()
	return b.done(prepared, db.NewRaw(q).Scan(ctx, dest...))
}

// ScanStmt runs one named statement on a connection of db (outside any
// transaction) and scans its rows into dest, as Batch.Scan does.
func ScanStmt(ctx context.Context, db *bun.DB, s *Stmt, args []any, dest ...any) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return NewBatch(conn).Stmt(s, args...).Scan(ctx, conn, dest...)
}

// ScanStmtIn runs one named statement in db and scans its rows into dest:
// prepared on a connection of the pool (ScanStmt) when db is the pool,
// else as a batch of db would send it (prepared on a transaction's
// connection, inline in a bun.Tx).
func ScanStmtIn(ctx context.Context, db bun.IDB, s *Stmt, args []any, dest ...any) error {
	if pool, ok := db.(*bun.DB); ok {
		return ScanStmt(ctx, pool, s, args, dest...)
	}
	return NewBatch(db).Stmt(s, args...).Scan(ctx, db, dest...)
}
