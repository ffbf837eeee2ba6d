package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"

	"github.com/uptrace/bun"
)

type (
	txKey          struct{}
	connTxKey      struct{}
	pessimisticKey struct{}
)

// Retryable says whether err is PostgreSQL's answer that the transaction
// met another one and may succeed when run again (serialization failure,
// deadlock).
func Retryable(err error) bool {
	c := Code(err)
	return c == CodeSerializationFailure || c == CodeDeadlockDetected
}

// Pessimistically returns a context in which use cases lock what they read
// from the start instead of checking at the end that it did not change: the
// context of a transaction run again after a Retryable error, which then
// cannot fail the same way twice.
func Pessimistically(ctx context.Context) context.Context {
	return context.WithValue(ctx, pessimisticKey{}, true)
}

// Pessimistic says whether ctx asks for locking from the start.
func Pessimistic(ctx context.Context) bool {
	p, _ := ctx.Value(pessimisticKey{}).(bool)
	return p
}

// Attempts is how often a transaction runs at most when it keeps meeting
// others (Retryable errors); from the second time on it runs
// Pessimistically. RunInTx keeps to it, and so does the owner of a carried
// transaction (WithTx).
const Attempts = 3

// WithTx returns a context in which use cases run inside tx instead of a
// transaction of their own: whoever made tx commits or rolls it back. The
// idempotency of the JSON API uses it, so that the stored answer and the
// work it answers for are committed together.
func WithTx(ctx context.Context, tx bun.IDB) context.Context {
	return context.WithValue(ctx, txKey{}, tx)
}

// DB returns the transaction ctx carries, else db. Reads that must see what
// the request wrote, and every query of a request that runs in a carried
// transaction, go through it (a second connection would not see the
// uncommitted work, and could wait for the pool while holding the first).
func DB(ctx context.Context, db bun.IDB) bun.IDB {
	if tx, ok := ctx.Value(txKey{}).(bun.IDB); ok {
		return tx
	}
	return db
}

// RunInTx runs fn as one use case in one transaction: in the transaction
// ctx carries (whose owner runs it again when it fails Retryable), or else
// in a new one on db, committed when fn returns nil and run again, up to
// three times, pessimistically, when it fails Retryable.
func RunInTx(ctx context.Context, db bun.IDB, fn func(ctx context.Context, tx bun.IDB) error) error {
	if tx, ok := ctx.Value(txKey{}).(bun.IDB); ok {
		return fn(ctx, tx)
	}
	for n := 1; ; n++ {
		err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error { return fn(ctx, tx) })
		if n == Attempts || !Retryable(err) {
			return err
		}
		ctx = Pessimistically(ctx)
	}
}

// ConnTx is a transaction on one connection of the pool whose BEGIN travels
// with its first statement and whose COMMIT travels with its last, in one
// round trip each (PostgreSQL's simple query protocol runs the statements
// of one message in order and stops at the first error). It saves the two
// round trips bun.Tx spends on BEGIN and COMMIT on its own.
type ConnTx struct {
	conn bun.Conn
	done bool
	// atCommit holds writes that travel with the COMMIT (ExecAtCommit).
	atCommit *Batch
}

// With returns a context in which use cases run inside t (see WithTx) and
// may leave their last writes to travel with its COMMIT (ExecAtCommit).
func (t *ConnTx) With(ctx context.Context) context.Context {
	return context.WithValue(WithTx(ctx, t.conn), connTxKey{}, t)
}

// ExecAtCommit runs the statements of b, none of which may return rows, in
// db: when db is the connection of the ConnTx that ctx carries, they are
// sent with its COMMIT, in the same round trip (errors then surface at
// the commit, and nothing of the transaction is kept); otherwise at once.
// It is for a use case's last writes, whose checks are all done: the locks
// it holds are then held one round trip shorter. Statements sent later in
// the transaction do not see these writes.
func ExecAtCommit(ctx context.Context, db bun.IDB, b *Batch) error {
	t, ok := ctx.Value(connTxKey{}).(*ConnTx)
	if c, isConn := db.(bun.Conn); ok && isConn && c.Conn == t.conn.Conn && !t.done {
		if t.atCommit == nil {
			t.atCommit = NewBatch(t.conn)
		}
		t.atCommit.join(b)
		return nil
	}
	return b.Exec(ctx, db)
}

// BeginWith takes a connection, begins a transaction and runs the first
// statement in the same round trip.
func BeginWith(ctx context.Context, db *bun.DB, s *Stmt, args ...any) (*ConnTx, sql.Result, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, nil, err
	}
	t := &ConnTx{conn: conn}
	res, err := NewBatch(conn).Raw("BEGIN").Stmt(s, args...).ExecResult(ctx, conn)
	if err != nil {
		t.Rollback(ctx)
		return nil, nil, err
	}
	return t, res, nil
}

// BeginScan takes a connection, begins a transaction and runs the first
// statement, which returns rows, scanning them into dest, in one round
// trip. A statement that finds no row returns sql.ErrNoRows and no
// transaction.
func BeginScan(ctx context.Context, db *bun.DB, s *Stmt, args []any, dest ...any) (*ConnTx, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	t := &ConnTx{conn: conn}
	if err := NewBatch(conn).Raw("BEGIN").Stmt(s, args...).Scan(ctx, conn, dest...); err != nil {
		t.Rollback(ctx)
		return nil, err
	}
	return t, nil
}

// DB is the transaction's connection, for the statements in between.
func (t *ConnTx) DB() bun.IDB { return t.conn }

// CommitWith runs the last statement and commits in one round trip. On an
// error nothing of the transaction is kept.
func (t *ConnTx) CommitWith(ctx context.Context, s *Stmt, args ...any) error {
	if t.done {
		return errors.New("postgres: transaction already ended")
	}
	b := NewBatch(t.conn)
	if t.atCommit != nil {
		b.join(t.atCommit)
	}
	err := b.Stmt(s, args...).Raw("COMMIT").Exec(ctx, t.conn)
	if err != nil {
		t.Rollback(ctx)
		return err
	}
	t.done = true
	return t.conn.Close()
}

// Rollback ends the transaction without keeping anything and gives the
// connection back; a connection that cannot roll back is discarded. It is
// safe to call more than once and after CommitWith.
func (t *ConnTx) Rollback(ctx context.Context) {
	if t.done {
		return
	}
	t.done = true
	if _, err := t.conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK"); err != nil {
		// Tell database/sql to close this connection rather than reuse it.
		_ = t.conn.Raw(func(any) error { return driver.ErrBadConn })
	}
	_ = t.conn.Close()
}
