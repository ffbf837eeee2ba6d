package xlsx_test

import (
	"errors"
	"io"
	"strings"
	"testing"

	"wholesale/internal/xlsx"
	"wholesale/internal/xlsx/xlsxtest"
)

// FuzzReadRows reads any bytes as an import file: it never panics, refuses
// with an *xlsx.Error or reads at most MaxRows rows after the header, each
// at most MaxColumns wide, numbered upwards, with trimmed cells. The seeds
// are the hostile files of the import tests, small.
func FuzzReadRows(f *testing.F) {
	header := []string{"sku", "name", "unit_price"}
	table := xlsxtest.Table(header, []string{"KR-1", " Kettle ", "19,95"})
	for _, seed := range [][]byte{
		[]byte("sku,name,unit_price\nKR-1,Kettle,\"19,95\"\n"),
		[]byte("\xef\xbb\xbfsku;name\nA;\"multi\nline\"\n\n"),
		[]byte("sku,name\nKR-1,Ket\x00tle\n"),
		[]byte("sku,name\nX,caf\xe9\n"),
		[]byte("sku\n" + strings.Repeat("a,", 300) + "\n"),
		[]byte("sku\n\"unterminated\n"),
		[]byte("sku,name,unit_price,max_per_order\nKR-1,Kettle,19,2147483648\n"),
		table,
		table[:len(table)/2],
		[]byte("PK\x03\x04"),
		xlsxtest.ManyRows(header, xlsx.MaxRows+5, "", "Kettle", "x"),
		xlsxtest.SharedStringBomb(header, 300_001),
		xlsxtest.LongText(header, 300<<10),
		xlsxtest.Workbook(func(w io.Writer) { io.WriteString(w, `<row r="1048577"><c r="XFD1"><v>1</v></c></row>`) }, nil),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, content []byte) {
		last := 0
		err := xlsx.ReadRows(content, func(r xlsx.Row) error {
			if r.N <= last || r.N > xlsx.MaxRows+1 || len(r.Cells) > xlsx.MaxColumns {
				t.Fatalf("row %d after %d, %d cells", r.N, last, len(r.Cells))
			}
			last = r.N
			for _, c := range r.Cells {
				if c != strings.TrimSpace(c) {
					t.Fatalf("cell %q not trimmed", c)
				}
			}
			return nil
		})
		var fe *xlsx.Error
		if err != nil && !errors.As(err, &fe) {
			t.Fatalf("not a file's problem: %v", err)
		}
	})
}
