// Package xlsx reads and writes the spreadsheets of imports and exports:
// .xlsx through excelize (streamed on write) and CSV through encoding/csv.
package xlsx

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// MaxImportBytes is the largest import file accepted.
const MaxImportBytes = 20 << 20

// ReadTable returns the rows of an .xlsx file's first sheet, or of a CSV file
// (comma or semicolon separated), judged by content. Cells are trimmed.
func ReadTable(content []byte) ([][]string, error) {
	if len(content) > MaxImportBytes {
		return nil, errors.New("the file is larger than 20 MB")
	}
	var rows [][]string
	if bytes.HasPrefix(content, []byte("PK\x03\x04")) {
		f, err := excelize.OpenReader(bytes.NewReader(content))
		if err != nil {
			return nil, fmt.Errorf("not a readable .xlsx file: %w", err)
		}
		defer f.Close()
		sheets := f.GetSheetList()
		if len(sheets) == 0 {
			return nil, errors.New("the workbook has no sheets")
		}
		if rows, err = f.GetRows(sheets[0]); err != nil {
			return nil, err
		}
	} else {
		if !utf8.Valid(content) {
			return nil, errors.New("the file is neither .xlsx nor UTF-8 CSV")
		}
		content = bytes.TrimPrefix(content, []byte("\xef\xbb\xbf"))
		r := csv.NewReader(bytes.NewReader(content))
		r.Comma = ','
		if first, _, _ := bytes.Cut(content, []byte("\n")); bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
			r.Comma = ';'
		}
		r.FieldsPerRecord = -1
		var err error
		if rows, err = r.ReadAll(); err != nil {
			return nil, fmt.Errorf("not a readable CSV file: %w", err)
		}
	}
	for _, row := range rows {
		for i := range row {
			row[i] = strings.TrimSpace(row[i])
		}
	}
	return rows, nil
}

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
