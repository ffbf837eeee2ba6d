package xlsx

import (
	"time"

	"github.com/xuri/excelize/v2"

	"wholesale/internal/clock"
	"wholesale/internal/i18n"
)

// Number formats of the written workbooks, in the reader's language as
// i18n prints amounts and dates ("€ 1.250,50", "29-11-2026"; "€1,250.50",
// "29 Nov 2026"). The separators of thousands and decimals are the
// spreadsheet program's own.
const (
	euroNL = `"€ "#,##0.00;"€ "-#,##0.00`
	euroEN = `"€"#,##0.00;-"€"#,##0.00`
	dateNL = `dd-mm-yyyy`
	dateEN = `d mmm yyyy`
	// percentFmt prints a VAT rate stored as 21 as "21%".
	percentFmt = `0"%"`
	// countFmt groups a quantity by thousands.
	countFmt = `#,##0`
)

func euroFormat(l i18n.Lang) *string {
	if l == i18n.EN {
		return ptr(euroEN)
	}
	return ptr(euroNL)
}

func dateFormat(l i18n.Lang) *string {
	if l == i18n.EN {
		return ptr(dateEN)
	}
	return ptr(dateNL)
}

func ptr[T any](v T) *T { return &v }

// euros is cents as the number a cell holds: the nearest float64 to the
// amount in euros, which a spreadsheet shows to the cent.
func euros(c int64) float64 { return float64(c) / 100 }

// day is the calendar day of t as a cell's date: midnight UTC stands for
// the day (as DATE columns come back); another instant is the day it is in
// Europe/Amsterdam, as i18n prints it.
func day(t time.Time) time.Time {
	if t.Location() != time.UTC || t.Hour() != 0 || t.Minute() != 0 || t.Second() != 0 || t.Nanosecond() != 0 {
		t = t.In(clock.Amsterdam)
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// with is m with args: a message of invoicing.Labels that has verbs.
func with(m i18n.Message, args ...any) i18n.Message {
	m.Args = args
	return m
}

// cellName is the name of the cell at col and row (1-based): "G12".
func cellName(col, row int) string {
	name, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		panic(err) // col and row come from this package and are in range
	}
	return name
}

// rowWriter adds rows to a StreamWriter one after another, keeping the
// first error.
type rowWriter struct {
	sw  *excelize.StreamWriter
	n   int
	err error
}

// add writes cells (from column A; a nil cell stays empty) as the next
// row and returns its number.
func (r *rowWriter) add(cells ...any) int { return r.addOpts(nil, cells...) }

func (r *rowWriter) addOpts(opts *excelize.RowOpts, cells ...any) int {
	r.n++
	if r.err != nil {
		return r.n
	}
	if opts != nil {
		r.err = r.sw.SetRow(cellName(1, r.n), cells, *opts)
	} else {
		r.err = r.sw.SetRow(cellName(1, r.n), cells)
	}
	return r.n
}

// skip leaves a row empty.
func (r *rowWriter) skip() { r.n++ }
