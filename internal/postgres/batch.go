package postgres

import (
	"context"

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
}

// NewBatch starts an empty batch for db's dialect.
func NewBatch(db bun.IDB) *Batch {
	return &Batch{gen: schema.NewQueryGen(db.Dialect())}
}

// Add appends a query built with bun (insert, update, select, raw). An
// insert that is not the last statement needs Returning("NULL"): bun
// otherwise returns the columns with defaults, and only the last statement
// may return rows.
func (b *Batch) Add(q schema.QueryAppender) *Batch {
	if b.err != nil {
		return b
	}
	if len(b.buf) > 0 {
		b.buf = append(b.buf, ";\n"...)
	}
	b.buf, b.err = q.AppendQuery(b.gen, b.buf)
	return b
}

// Raw appends SQL with bun's ? placeholders.
func (b *Batch) Raw(query string, args ...any) *Batch {
	if len(b.buf) > 0 {
		b.buf = append(b.buf, ";\n"...)
	}
	b.buf = b.gen.AppendQuery(b.buf, query, args...)
	return b
}

// Len is the number of bytes collected; 0 means the batch is empty.
func (b *Batch) Len() int { return len(b.buf) }

// Exec sends the statements, none of which may return rows, and empties
// the batch for the next ones.
func (b *Batch) Exec(ctx context.Context, db bun.IDB) error {
	if b.err != nil || len(b.buf) == 0 {
		return b.err
	}
	q := string(b.buf)
	b.buf = b.buf[:0]
	_, err := db.ExecContext(ctx, q)
	return err
}

// Scan sends the statements and scans the rows of the last one into dest,
// as bun's Scan does (a model, a slice of structs or columns), and empties
// the batch for the next ones.
func (b *Batch) Scan(ctx context.Context, db bun.IDB, dest ...any) error {
	if b.err != nil {
		return b.err
	}
	q := string(b.buf)
	b.buf = b.buf[:0]
	return db.NewRaw(q).Scan(ctx, dest...)
}
