// Package xlsx reads and writes the spreadsheets of imports and exports:
// .xlsx through excelize and CSV through encoding/csv, both streamed; and
// it renders invoices (WriteInvoice) and the bookkeeper's invoice list
// (InvoiceList) as .xlsx from what the invoicing area computed.
package xlsx

import (
	"encoding/csv"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// Writer writes one sheet row by row, streaming, as .xlsx or CSV.
type Writer struct {
	xl   *excelize.File
	sw   *excelize.StreamWriter
	csv  *csv.Writer
	row  int
	err  error
	dest io.Writer
}

// NewWriter starts a sheet with a bold header row; format is "xlsx" or "csv".
func NewWriter(w io.Writer, format, sheet string, header []string) (*Writer, error) {
	out := &Writer{dest: w}
	cells := make([]any, len(header))
	for i, h := range header {
		cells[i] = h
	}
	if format == "csv" {
		out.csv = csv.NewWriter(w)
		return out, out.Row(cells...)
	}
	out.xl = excelize.NewFile()
	if err := out.xl.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	sw, err := out.xl.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	out.sw = sw
	bold, err := out.xl.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	hc := make([]any, len(header))
	for i, h := range header {
		hc[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	out.row = 1
	return out, sw.SetRow("A1", hc)
}

// Row adds one row of values.
func (w *Writer) Row(values ...any) error {
	if w.err != nil {
		return w.err
	}
	if w.csv != nil {
		rec := make([]string, len(values))
		for i, v := range values {
			if v != nil {
				rec[i] = fmt.Sprint(v)
			}
		}
		w.err = w.csv.Write(rec)
		return w.err
	}
	w.row++
	cell, err := excelize.CoordinatesToCellName(1, w.row)
	if err != nil {
		return err
	}
	w.err = w.sw.SetRow(cell, values)
	return w.err
}

// Close finishes the sheet and writes it out.
func (w *Writer) Close() error {
	if w.err != nil {
		return w.err
	}
	if w.csv != nil {
		w.csv.Flush()
		return w.csv.Error()
	}
	defer w.xl.Close()
	if err := w.sw.Flush(); err != nil {
		return err
	}
	return w.xl.Write(w.dest)
}

// ContentType returns the MIME type of format.
func ContentType(format string) string {
	if format == "csv" {
		return "text/csv; charset=utf-8"
	}
	return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
}
