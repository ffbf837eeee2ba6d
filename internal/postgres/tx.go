package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/schema"
)

// Retryable says whether err is PostgreSQL's answer that the transaction
// met another one and may succeed when run again (serialization failure,
// deadlock).
func Retryable(err error) bool {
	c := Code(err)
	return c == CodeSerializationFailure || c == CodeDeadlockDetected
}

// Retry says what Run does when a use case's transaction meets another one
// (a Retryable error).
type Retry int

const (
	// Once runs the use case once and returns the error. Its transaction
	// locks what it reads from the start (Tx.Optimistic is false).
	Once Retry = iota + 1
	// Retrying runs the use case again, up to Attempts times in all, after
	// a Retryable error. The first attempt may read without locks and
	// check at the end (Tx.Optimistic); later ones lock from the start, so
	// they cannot fail the same way twice.
	Retrying
)

// Attempts is how often Run runs a Retrying use case at most.
const Attempts = 3

// Run runs fn as one use case in one transaction of its own on db: it is
// committed when fn returns nil and rolled back otherwise. retry says
// whether a use case that meets another transaction runs again. The
// transaction is passed to fn and on to everything that works in it; no
// function finds it in the context.
func Run(ctx context.Context, db *bun.DB, retry Retry, fn func(ctx context.Context, tx *Tx) error) error {
	if retry != Once && retry != Retrying {
		return fmt.Errorf("postgres: Run with retry mode %d", retry)
	}
	for attempt := 1; ; attempt++ {
		err := runOnce(ctx, db, retry, attempt, fn)
		if err == nil || retry == Once || attempt == Attempts || !Retryable(err) {
			return err
		}
	}
}

func runOnce(ctx context.Context, db *bun.DB, retry Retry, attempt int, fn func(ctx context.Context, tx *Tx) error) (err error) {
	tx, err := begin(ctx, db, retry, attempt)
	if err != nil {
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			tx.rollback(ctx)
			panic(p)
		}
	}()
	if err := fn(ctx, tx); err != nil {
		tx.rollback(ctx)
		return err
	}
	return tx.commit(ctx)
}

// Tx is the transaction of one use case, made by Run and passed to
// everything that works in it. It is a bun.IDB: stores take it like any
// other. It saves round trips: BEGIN travels with the first statement (and
// with what First queued), and the writes given to AtCommit travel with
// the COMMIT, so a use case of three statements costs three round trips.
type Tx struct {
	conn    bun.Conn
	retry   Retry
	attempt int
	begun   bool   // BEGIN has been sent
	first   *Batch // BEGIN and the statements queued by First
	last    *Batch // the statements queued by AtCommit
	done    bool
	// firstErr is the error of the round trip that carried BEGIN.
	firstErr error
}

var _ bun.IDB = (*Tx)(nil)

func begin(ctx context.Context, db *bun.DB, retry Retry, attempt int) (*Tx, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	t := &Tx{conn: conn, retry: retry, attempt: attempt}
	t.first = NewBatch(conn).Raw("BEGIN")
	t.last = NewBatch(conn)
	return t, nil
}

// Optimistic says whether the use case may read without locks and check at
// the end that what it read did not change, failing Retryable if it did:
// only the first attempt of a Retrying use case.
func (t *Tx) Optimistic() bool { return t.retry == Retrying && t.attempt == 1 }

// Attempt is the number of the attempt, from 1.
func (t *Tx) Attempt() int { return t.attempt }

// First queues statements to travel with BEGIN, before the use case's
// first statement; when the transaction has begun already they are sent
// at once. FirstErr tells whether they failed.
func (t *Tx) First(ctx context.Context, b *Batch) error {
	if t.begun {
		return b.Exec(ctx, t)
	}
	t.first.join(b)
	return nil
}

// FirstErr is the error of the round trip that carried BEGIN and the
// statements of First, nil if it succeeded or was not sent. A use case may
// have turned that error into one of its own; this is the original.
func (t *Tx) FirstErr() error { return t.firstErr }

// AtCommit queues writes, none of which may return rows, to travel with the
// COMMIT, in the same round trip: a use case's last writes, whose checks
// are all done (the locks it holds are then held one round trip shorter),
// and its audit entries. Their errors surface at the commit, and nothing of
// the transaction is kept. Statements sent later in the transaction may
// not see these writes. So that a use case writing many rows does not hold
// them all in memory, once the queued SQL passes AtCommitMax bytes it is
// sent at once, and an error is returned then.
func (t *Tx) AtCommit(ctx context.Context, b *Batch) error {
	if t.last == nil {
		return errors.New("postgres: the transaction has ended")
	}
	t.last.join(b)
	if t.last.Len() <= AtCommitMax {
		return nil
	}
	_, err := t.execBatch(ctx, t.last)
	return err
}

// AtCommitMax is how many bytes of SQL AtCommit queues at most.
const AtCommitMax = 1 << 20

// withFirst returns b preceded by BEGIN and the queued first statements
// the first time, and whether it is.
func (t *Tx) withFirst(b *Batch) (*Batch, bool) {
	if t.begun {
		return b, false
	}
	t.begun = true
	f := t.first
	t.first = nil
	f.join(b)
	return f, true
}

// send sends b in the transaction with run, which gets the SQL.
func (t *Tx) send(b *Batch, run func(q string) error) error {
	if t.done {
		return errors.New("postgres: the transaction has ended")
	}
	if b.err != nil {
		return b.err
	}
	full, first := t.withFirst(b)
	q, prepared := full.take()
	err := full.done(prepared, run(q))
	if first {
		t.firstErr = err
	}
	return err
}

// ExecContext runs a statement in the transaction.
func (t *Tx) ExecContext(ctx context.Context, query string, args ...any) (res sql.Result, err error) {
	err = t.send(NewBatch(t.conn).Raw(query, args...), func(q string) error {
		res, err = t.conn.ExecContext(ctx, q)
		return err
	})
	return res, err
}

// QueryContext runs a query in the transaction.
func (t *Tx) QueryContext(ctx context.Context, query string, args ...any) (rows *sql.Rows, err error) {
	err = t.send(NewBatch(t.conn).Raw(query, args...), func(q string) error {
		rows, err = t.conn.QueryContext(ctx, q)
		return err
	})
	return rows, err
}

// QueryRowContext runs a query of at most one row in the transaction.
func (t *Tx) QueryRowContext(ctx context.Context, query string, args ...any) (row *sql.Row) {
	_ = t.send(NewBatch(t.conn).Raw(query, args...), func(q string) error {
		row = t.conn.QueryRowContext(ctx, q)
		return row.Err()
	})
	if row == nil { // the transaction had ended: let the row say so
		row = t.conn.Conn.QueryRowContext(ctx, "SELECT 1 WHERE false")
	}
	return row
}

// execBatch runs b, whose statements return no rows, in the transaction.
func (t *Tx) execBatch(ctx context.Context, b *Batch) (res sql.Result, err error) {
	err = t.send(b, func(q string) error {
		res, err = t.conn.ExecContext(ctx, q)
		return err
	})
	return res, err
}

// scanBatch runs b in the transaction and scans the rows of its last
// statement into dest.
func (t *Tx) scanBatch(ctx context.Context, b *Batch, dest ...any) error {
	return t.send(b, func(q string) error { return t.conn.NewRaw(q).Scan(ctx, dest...) })
}

// commit sends the queued last writes with the COMMIT and gives the
// connection back. A transaction that sent nothing and queued nothing
// commits nothing.
func (t *Tx) commit(ctx context.Context) error {
	if t.done {
		return errors.New("postgres: the transaction has ended")
	}
	if !t.begun && len(t.first.stmts) == 0 && t.first.Len() == len("BEGIN") && t.last.Len() == 0 {
		t.done = true
		return t.conn.Close()
	}
	last := t.last
	t.last = nil
	_, err := t.execBatch(ctx, last.Raw("COMMIT"))
	if err != nil {
		t.rollback(ctx)
		return err
	}
	t.done = true
	return t.conn.Close()
}

// rollback ends the transaction without keeping anything and gives the
// connection back; a connection that cannot roll back is discarded.
func (t *Tx) rollback(ctx context.Context) {
	if t.done {
		return
	}
	t.done = true
	if t.begun {
		if _, err := t.conn.Conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK"); err != nil {
			// Tell database/sql to close this connection rather than reuse it.
			_ = t.conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}
	_ = t.conn.Close()
}

// Dialect is the database's dialect.
func (t *Tx) Dialect() schema.Dialect { return t.conn.Dialect() }

// NewValues starts a VALUES query in the transaction.
func (t *Tx) NewValues(model any) *bun.ValuesQuery { return t.conn.NewValues(model).Conn(t) }

// NewSelect starts a SELECT in the transaction.
func (t *Tx) NewSelect() *bun.SelectQuery { return t.conn.NewSelect().Conn(t) }

// NewInsert starts an INSERT in the transaction.
func (t *Tx) NewInsert() *bun.InsertQuery { return t.conn.NewInsert().Conn(t) }

// NewUpdate starts an UPDATE in the transaction.
func (t *Tx) NewUpdate() *bun.UpdateQuery { return t.conn.NewUpdate().Conn(t) }

// NewDelete starts a DELETE in the transaction.
func (t *Tx) NewDelete() *bun.DeleteQuery { return t.conn.NewDelete().Conn(t) }

// NewMerge starts a MERGE in the transaction.
func (t *Tx) NewMerge() *bun.MergeQuery { return t.conn.NewMerge().Conn(t) }

// NewRaw starts a query of SQL in the transaction.
func (t *Tx) NewRaw(query string, args ...any) *bun.RawQuery {
	return t.conn.NewRaw(query, args...).Conn(t)
}

// NewCreateTable starts a CREATE TABLE in the transaction.
func (t *Tx) NewCreateTable() *bun.CreateTableQuery { return t.conn.NewCreateTable().Conn(t) }

// NewDropTable starts a DROP TABLE in the transaction.
func (t *Tx) NewDropTable() *bun.DropTableQuery { return t.conn.NewDropTable().Conn(t) }

// NewCreateIndex starts a CREATE INDEX in the transaction.
func (t *Tx) NewCreateIndex() *bun.CreateIndexQuery { return t.conn.NewCreateIndex().Conn(t) }

// NewDropIndex starts a DROP INDEX in the transaction.
func (t *Tx) NewDropIndex() *bun.DropIndexQuery { return t.conn.NewDropIndex().Conn(t) }

// NewTruncateTable starts a TRUNCATE in the transaction.
func (t *Tx) NewTruncateTable() *bun.TruncateTableQuery { return t.conn.NewTruncateTable().Conn(t) }

// NewAddColumn starts an ALTER TABLE ADD COLUMN in the transaction.
func (t *Tx) NewAddColumn() *bun.AddColumnQuery { return t.conn.NewAddColumn().Conn(t) }

// NewDropColumn starts an ALTER TABLE DROP COLUMN in the transaction.
func (t *Tx) NewDropColumn() *bun.DropColumnQuery { return t.conn.NewDropColumn().Conn(t) }

// errNested is the answer to a transaction begun inside a use case's: a use
// case is one transaction.
var errNested = errors.New("postgres: a use case runs in one transaction; do not begin another inside it")

// BeginTx refuses: see errNested.
func (t *Tx) BeginTx(context.Context, *sql.TxOptions) (bun.Tx, error) { return bun.Tx{}, errNested }

// RunInTx refuses: see errNested.
func (t *Tx) RunInTx(context.Context, *sql.TxOptions, func(context.Context, bun.Tx) error) error {
	return errNested
}
