package scale

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/driver/pgdriver"
)

// rows writes the rows of one COPY … FROM STDIN in PostgreSQL's text
// format: fields separated by tabs, \N for NULL, backslash escapes.
type rows struct {
	w     *bufio.Writer
	buf   []byte
	first bool
	n     int64
}

func (r *rows) sep() {
	if !r.first {
		r.buf = append(r.buf, '\t')
	}
	r.first = false
}

// Int writes a whole number.
func (r *rows) Int(v int64) *rows { r.sep(); r.buf = strconv.AppendInt(r.buf, v, 10); return r }

// Ref writes an id, or NULL for 0.
func (r *rows) Ref(v int64) *rows {
	if v == 0 {
		return r.Null()
	}
	return r.Int(v)
}

// Bool writes t or f.
func (r *rows) Bool(v bool) *rows {
	r.sep()
	if v {
		r.buf = append(r.buf, 't')
	} else {
		r.buf = append(r.buf, 'f')
	}
	return r
}

// Null writes NULL.
func (r *rows) Null() *rows { r.sep(); r.buf = append(r.buf, `\N`...); return r }

// Str writes a text, escaped.
func (r *rows) Str(s string) *rows {
	r.sep()
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			r.buf = append(r.buf, `\\`...)
		case '\n':
			r.buf = append(r.buf, `\n`...)
		case '\r':
			r.buf = append(r.buf, `\r`...)
		case '\t':
			r.buf = append(r.buf, `\t`...)
		default:
			r.buf = append(r.buf, c)
		}
	}
	return r
}

// Bytes writes a text given as bytes, escaped.
func (r *rows) Bytes(b []byte) *rows { return r.Str(unsafeString(b)) }

// unsafeString is b as a string without a copy, for Str, which only reads it.
func unsafeString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// StrOrNull writes s, or NULL when it is empty.
func (r *rows) StrOrNull(s string) *rows {
	if s == "" {
		return r.Null()
	}
	return r.Str(s)
}

// Time writes a moment, or NULL for the zero time.
func (r *rows) Time(t time.Time) *rows {
	if t.IsZero() {
		return r.Null()
	}
	r.sep()
	t = t.UTC()
	r.buf = appendDate(r.buf, t)
	h, m, sec := t.Clock()
	r.buf = append(r.buf, ' ')
	r.buf = appendDigits(r.buf, h, 2)
	r.buf = append(r.buf, ':')
	r.buf = appendDigits(r.buf, m, 2)
	r.buf = append(r.buf, ':')
	r.buf = appendDigits(r.buf, sec, 2)
	if us := t.Nanosecond() / 1000; us > 0 {
		r.buf = append(r.buf, '.')
		r.buf = appendDigits(r.buf, us, 6)
	}
	r.buf = append(r.buf, 'Z')
	return r
}

// appendDate appends the date of t as 2006-01-02.
func appendDate(b []byte, t time.Time) []byte {
	y, m, d := t.Date()
	b = appendDigits(b, y, 4)
	b = append(b, '-')
	b = appendDigits(b, int(m), 2)
	b = append(b, '-')
	return appendDigits(b, d, 2)
}

// appendDigits appends n with at least width digits, zeros in front.
func appendDigits(b []byte, n, width int) []byte {
	var d [20]byte
	i := len(d)
	for n > 0 || width > 0 {
		i--
		d[i] = byte('0' + n%10)
		n /= 10
		width--
	}
	return append(b, d[i:]...)
}

// Date writes a calendar day (the date of t), or NULL for the zero time.
func (r *rows) Date(t time.Time) *rows {
	if t.IsZero() {
		return r.Null()
	}
	r.sep()
	r.buf = appendDate(r.buf, t)
	return r
}

// End finishes the row.
func (r *rows) End() error {
	r.buf = append(r.buf, '\n')
	_, err := r.w.Write(r.buf)
	r.buf, r.first = r.buf[:0], true
	r.n++
	return err
}

// table is one COPY: the table, its columns and what writes its rows.
type table struct {
	name string
	cols string
	fill func(r *rows) error
}

// copyIn streams the rows of t into the database on conn.
func copyIn(ctx context.Context, conn bun.Conn, t table) (int64, error) {
	pr, pw := io.Pipe()
	r := &rows{w: bufio.NewWriterSize(pw, 1<<16), first: true}
	done := make(chan error, 1)
	go func() {
		err := t.fill(r)
		if err == nil {
			err = r.w.Flush()
		}
		pw.CloseWithError(err)
		done <- err
	}()
	_, err := pgdriver.CopyFrom(ctx, conn, pr, "COPY "+t.name+" ("+t.cols+") FROM STDIN")
	pr.CloseWithError(io.ErrClosedPipe) // stops the writer if the COPY failed first
	if fillErr := <-done; err == nil && fillErr != nil {
		err = fillErr
	}
	if err != nil {
		return r.n, fmt.Errorf("scale: copy %s: %w", t.name, err)
	}
	return r.n, nil
}

// progress reports what each step did and how long it took.
type progress struct {
	mu  sync.Mutex
	out io.Writer
	now func() time.Time
	// Steps are the steps done, in the order they were first met; a table
	// loaded in several parts is one step, with its parts' rows and times
	// added up.
	Steps []Step
}

// Step is one step of the load: a table, or a pass over several.
type Step struct {
	Name     string
	Rows     int64
	Duration time.Duration
}

// done records that step name did n rows since since, and prints it.
func (p *progress) done(name string, n int64, since time.Time) {
	p.print(p.add(name, n, p.now().Sub(since)))
}

// add adds n rows and d to step name, and returns the step.
func (p *progress) add(name string, n int64, d time.Duration) Step {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i := range p.Steps {
		if p.Steps[i].Name == name {
			p.Steps[i].Rows += n
			p.Steps[i].Duration += d
			return p.Steps[i]
		}
	}
	p.Steps = append(p.Steps, Step{Name: name, Rows: n, Duration: d})
	return p.Steps[len(p.Steps)-1]
}

// step returns step name as it stands.
func (p *progress) step(name string) Step {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, s := range p.Steps {
		if s.Name == name {
			return s
		}
	}
	return Step{Name: name}
}

func (p *progress) print(s Step) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if s.Rows > 0 {
		fmt.Fprintf(p.out, "  %-30s %12s rows %9.1fs\n", s.Name, thousands(s.Rows), s.Duration.Seconds())
	} else {
		fmt.Fprintf(p.out, "  %-30s %17s %9.1fs\n", s.Name, "", s.Duration.Seconds())
	}
}

// thousands prints n with commas between groups of three digits.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// load copies tables on one connection in one transaction, in order (a
// later table may refer to rows of an earlier one, and constraints that
// are checked at commit see them all), and reports each.
func (s *seeder) load(ctx context.Context, tables ...table) error {
	return s.loadAs(ctx, true, tables...)
}

// loadAs is load, printing each table as it is done when loud, else only
// adding it up.
func (s *seeder) loadAs(ctx context.Context, loud bool, tables ...table) error {
	conn, err := s.bulk.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
		return err
	}
	for _, t := range tables {
		start := s.p.now()
		n, err := copyIn(ctx, conn, t)
		if err != nil {
			_, _ = conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
			return err
		}
		if st := s.p.add(t.name, n, s.p.now().Sub(start)); loud {
			s.p.print(st)
		}
	}
	start := s.p.now()
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return fmt.Errorf("scale: commit %s…: %w", tables[0].name, err)
	}
	// Constraints deferred to the commit are checked there.
	if st := s.p.add("commit "+tables[0].name+"…", 0, s.p.now().Sub(start)); loud && st.Duration > time.Second {
		s.p.print(st)
	}
	return nil
}

// exec runs statements on the bulk pool, reported as one step.
func (s *seeder) exec(ctx context.Context, name string, stmts ...string) error {
	start := s.p.now()
	var n int64
	for _, q := range stmts {
		res, err := s.bulk.ExecContext(ctx, q)
		if err != nil {
			return fmt.Errorf("scale: %s: %w", name, err)
		}
		if k, err := res.RowsAffected(); err == nil {
			n += k
		}
	}
	s.p.done(name, n, start)
	return nil
}

// parallel runs the functions at once and returns the first error.
func parallel(fns ...func() error) error {
	errs := make(chan error, len(fns))
	var wg sync.WaitGroup
	for _, fn := range fns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- fn()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// jsonString appends s as a JSON string.
func jsonString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			b = append(b, c)
			i++
			continue
		}
		if c < utf8.RuneSelf {
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, `\n`...)
			case '\t':
				b = append(b, `\t`...)
			default:
				b = append(b, fmt.Sprintf(`\u%04x`, c)...)
			}
			i++
			continue
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		b = append(b, s[i:i+size]...)
		i += size
	}
	return append(b, '"')
}
