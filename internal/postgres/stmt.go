package postgres

import (
	"context"
	"database/sql/driver"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/driver/pgdriver"
	"github.com/uptrace/bun/schema"
)

// Stmt is a named statement of a hot use case that PostgreSQL parses and
// plans once per connection instead of on every call.
//
// It travels in a Batch like any other statement: on a connection of a
// transaction (ConnTx) the batch sends "EXECUTE name(args)", preceded by
// "PREPARE name AS ..." the first time that connection sees the statement,
// so preparing costs no round trip of its own. Anywhere else (a bun.Tx, the
// pool) it is sent as plain SQL with the arguments in it. Either way the
// result is the same; only the cost differs.
//
// The query uses bun's positional placeholders ?0, ?1, ...; give every
// placeholder whose type PostgreSQL cannot infer a cast (?0::bigint[]).
// Select listed columns (Columns), not alias.*: see Columns.
type Stmt struct {
	name    string
	query   string // with ?N, for sending inline
	prepare string // PREPARE name AS ... with $N+1
	params  int
}

// stmtNames holds the query of every statement name: one name, one query.
var stmtNames sync.Map

// NewStmt names a statement. It panics on a malformed query or on a name
// already given to another query, as regexp.MustCompile does.
func NewStmt(name, query string) *Stmt {
	if q, dup := stmtNames.LoadOrStore(name, query); dup && q != query {
		panic(fmt.Sprintf("postgres: statement name %s is used for two queries", name))
	}
	var b strings.Builder
	params := 0
	for i := 0; i < len(query); i++ {
		c := query[i]
		if c != '?' {
			b.WriteByte(c)
			continue
		}
		j := i + 1
		for j < len(query) && query[j] >= '0' && query[j] <= '9' {
			j++
		}
		if j == i+1 {
			panic(fmt.Sprintf("postgres: statement %s: use positional placeholders (?0, ?1, ...)", name))
		}
		n, _ := strconv.Atoi(query[i+1 : j])
		params = max(params, n+1)
		b.WriteString("$" + strconv.Itoa(n+1))
		i = j - 1
	}
	return &Stmt{name: name, query: query, prepare: "PREPARE " + name + " AS " + b.String(), params: params}
}

// execute is the EXECUTE statement of s with args formatted as literals.
func (s *Stmt) execute(b *Batch, args []any) ([]byte, error) {
	if len(args) != s.params {
		return nil, fmt.Errorf("postgres: statement %s takes %d arguments, got %d", s.name, s.params, len(args))
	}
	buf := append(b.buf, "EXECUTE "+s.name...)
	if len(args) > 0 {
		buf = append(buf, '(')
		for i, a := range args {
			if i > 0 {
				buf = append(buf, ", "...)
			}
			buf = b.gen.AppendQuery(buf, "?", a)
		}
		buf = append(buf, ')')
	}
	return buf, nil
}

// Conn is a connection of the pool that remembers which statements it has
// prepared. postgres.Open wraps pgdriver's connections in it. When unsure,
// it starts over with DEALLOCATE ALL, which would also drop statements
// prepared through database/sql's Prepare: the app does not use that.
type Conn struct {
	*pgdriver.Conn
	prepared map[string]bool
	// unsure is set when a batch that prepared statements failed: which of
	// them PostgreSQL prepared is not known, so the next batch starts over.
	unsure bool
}

type connector struct{ driver.Connector }

// Connect wraps each new pgdriver connection in a Conn.
func (c connector) Connect(ctx context.Context) (driver.Conn, error) {
	cn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	pc, ok := cn.(*pgdriver.Conn)
	if !ok {
		return cn, nil
	}
	return &Conn{Conn: pc, prepared: map[string]bool{}}, nil
}

// trackedConn says whether db is one connection whose prepared statements
// are known, so that a batch on it may EXECUTE them.
func trackedConn(db bun.IDB) (bun.Conn, bool) {
	if t, ok := db.(*Tx); ok {
		db = t.conn
	}
	c, ok := db.(bun.Conn)
	if !ok {
		return bun.Conn{}, false
	}
	tracked := false
	_ = c.Raw(func(dc any) error {
		_, tracked = dc.(*Conn)
		return nil
	})
	return c, tracked
}

// preamble returns what must precede a batch executing stmts on c: the
// PREPAREs the connection lacks, after DEALLOCATE ALL when unsure.
func preamble(c bun.Conn, stmts []*Stmt) string {
	var pre strings.Builder
	_ = c.Raw(func(dc any) error {
		cn := dc.(*Conn)
		if cn.unsure {
			pre.WriteString("DEALLOCATE ALL;\n")
			clear(cn.prepared)
			cn.unsure = false
		}
		for _, s := range stmts {
			if !cn.prepared[s.name] {
				pre.WriteString(s.prepare)
				pre.WriteString(";\n")
				cn.prepared[s.name] = true
			}
		}
		return nil
	})
	return pre.String()
}

// failed records that a batch executing statements on c failed: which of
// its PREPAREs ran is not known (they outlive a rollback), and a prepared
// statement may have gone stale (a migration changed its table), so the
// connection's next batch deallocates everything and prepares again.
func failed(c bun.Conn) {
	_ = c.Raw(func(dc any) error {
		dc.(*Conn).unsure = true
		return nil
	})
}

// InsertStmt is a prepared single-row INSERT of a bun model: every column
// of its struct but the scan-only and the excluded ones, with the values
// bun would send.
type InsertStmt struct {
	name    string
	exclude []string
	once    sync.Once
	stmt    *Stmt
	fields  []*schema.Field
}

// NewInsertStmt names the insert of a model type, given to Batch.Insert.
// Every column is sent, the primary key too: draw ids beforehand (or
// exclude the column and let its default draw it).
func NewInsertStmt(name string, exclude ...string) *InsertStmt {
	return &InsertStmt{name: name, exclude: exclude}
}

func (s *InsertStmt) build(d schema.Dialect, typ reflect.Type) {
	t := d.Tables().Get(typ)
	var cols, vals []string
	for _, f := range t.Fields {
		if slices.Contains(s.exclude, f.Name) {
			continue
		}
		s.fields = append(s.fields, f)
		cols = append(cols, string(f.SQLName))
		vals = append(vals, "?"+strconv.Itoa(len(vals)))
	}
	s.stmt = NewStmt(s.name, "INSERT INTO "+string(t.SQLName)+" ("+strings.Join(cols, ", ")+") VALUES ("+strings.Join(vals, ", ")+")")
}

// fieldValue appends one field of a struct as bun does in an insert.
type fieldValue struct {
	f *schema.Field
	v reflect.Value
}

func (fv fieldValue) AppendQuery(gen schema.QueryGen, b []byte) ([]byte, error) {
	return fv.f.AppendValue(gen, b, fv.v), nil
}

// Insert appends the insert of model (a pointer to a struct) as s.
func (b *Batch) Insert(s *InsertStmt, model any) *Batch {
	v := reflect.ValueOf(model).Elem()
	s.once.Do(func() { s.build(b.gen.Dialect(), v.Type()) })
	args := make([]any, len(s.fields))
	for i, f := range s.fields {
		args[i] = fieldValue{f, v}
	}
	return b.Stmt(s.stmt, args...)
}

// columnsDialect reads bun's metadata of models for Columns.
var columnsDialect = pgdialect.New()

// Columns is the select list of a bun model's columns (scan-only ones left
// out), each prefixed with alias: what a prepared statement selects
// instead of alias.*. PostgreSQL refuses to run a prepared statement whose
// result columns changed ("cached plan must not change result type"), so
// a statement listing its columns keeps working on a connection of an app
// server that runs while a migration adds a column.
func Columns(model any, alias string) string {
	t := columnsDialect.Tables().Get(reflect.TypeOf(model).Elem())
	cols := make([]string, len(t.Fields))
	for i, f := range t.Fields {
		cols[i] = alias + "." + string(f.SQLName)
	}
	return strings.Join(cols, ", ")
}
