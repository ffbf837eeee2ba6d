package invoicing_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/uptrace/bun"
)

// benchDrafts is how many drafts BenchmarkCutoffRun issues per run:
// BENCH_DRAFTS, or 200 so that `make test` runs it once quickly
// (docs/BENCHMARKS.md runs it with 10,000).
func benchDrafts() int {
	if n, err := strconv.Atoi(os.Getenv("BENCH_DRAFTS")); err == nil && n > 0 {
		return n
	}
	return 200
}

// clone copies the row of table with id n times, with set's columns
// taken from the expressions given (g is the copy's number, 1…n), and
// returns the new ids.
func clone(ctx context.Context, db bun.IDB, table string, id int64, n int, set map[string]string) ([]int64, error) {
	var cols []string
	if err := db.NewRaw(`SELECT column_name FROM information_schema.columns WHERE table_name = ? AND column_name <> 'id'
		AND is_generated = 'NEVER' ORDER BY ordinal_position`, table).Scan(ctx, &cols); err != nil {
		return nil, err
	}
	exprs := make([]string, len(cols))
	for i, c := range cols {
		exprs[i] = "t." + c
		if e, ok := set[c]; ok {
			exprs[i] = e
		}
	}
	var ids []int64
	err := db.NewRaw(fmt.Sprintf(`INSERT INTO %s (%s) SELECT %s FROM %s t, generate_series(1, %d) g WHERE t.id = ? ORDER BY g RETURNING id`,
		table, strings.Join(cols, ", "), strings.Join(exprs, ", "), table, n), id).Scan(ctx, &ids)
	return ids, err
}

// BenchmarkCutoffRun issues benchDrafts() drafts of as many customers,
// each of an order of two lines at two VAT rates plus shipping, with
// their PDF and Excel, and reports invoices/s.
func BenchmarkCutoffRun(b *testing.B) {
	n := benchDrafts()
	for range b.N {
		b.StopTimer()
		e := newEnv(b)
		ctx := context.Background()
		e.svc.Writers = benchWriters()
		e.clk.Set(amsterdam(24, 10, 0))
		o := e.order(e.customer, "PO-bench", line("A", 2), line("B", 3))
		draft := e.ship(o)
		var shipment int64
		must(b, e.db.NewRaw(`SELECT shipment_id FROM invoice_lines WHERE invoice_id = ? LIMIT 1`, draft).Scan(ctx, &shipment))
		companies, err := clone(ctx, e.db, "companies", e.customer.ID, n-1, map[string]string{"name": "t.name || ' ' || g"})
		must(b, err)
		arr := "ARRAY[" + joinIDs(companies) + "]::bigint[]"
		var orders []int64
		must(b, e.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			var err error
			if orders, err = clone(ctx, tx, "orders", o.ID, n-1, map[string]string{"company_id": "(" + arr + ")[g]"}); err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO order_lines (order_id, line_no, product_id, quantity, unit_price_cents, vat_rate, shipped)
				SELECT (ARRAY[`+joinIDs(orders)+`]::bigint[])[g], l.line_no, l.product_id, l.quantity, l.unit_price_cents, l.vat_rate, l.shipped
				FROM order_lines l, generate_series(1, ?) g WHERE l.order_id = ?`, n-1, o.ID)
			return err
		}))
		oarr := "ARRAY[" + joinIDs(orders) + "]::bigint[]"
		drafts, err := clone(ctx, e.db, "invoices", draft, n-1, map[string]string{"company_id": "(" + arr + ")[g]"})
		must(b, err)
		darr := "ARRAY[" + joinIDs(drafts) + "]::bigint[]"
		_, err = e.db.ExecContext(ctx, `INSERT INTO invoice_lines (invoice_id, line_no, order_id, order_line_id, shipment_id, sku, description,
			quantity, unit_price_cents, vat_rate, amount_cents)
			SELECT (`+darr+`)[g], l.line_no, (`+oarr+`)[g], l.order_line_id, l.shipment_id, l.sku, l.description, l.quantity,
				l.unit_price_cents, l.vat_rate, l.amount_cents
			FROM invoice_lines l, generate_series(1, ?) g WHERE l.invoice_id = ?`, n-1, draft)
		must(b, err)
		e.clk.Set(amsterdam(24, 17, 0))
		start, cpu := time.Now(), cpuTime()
		b.StartTimer()
		got, err := e.svc.Run(ctx, nil, 0)
		b.StopTimer()
		must(b, err)
		if len(got) != n {
			b.Fatalf("issued %d of %d", len(got), n)
		}
		b.ReportMetric(float64(n)/time.Since(start).Seconds(), "invoices/s")
		b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/1000/float64(n), "app-cpu-ms/invoice")
	}
}

func joinIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}

func must(b *testing.B, err error) {
	b.Helper()
	if err != nil {
		b.Fatal(err)
	}
}

// cpuTime is the processor time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
