package xlsxtest

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"wholesale/internal/xlsx"
)

var productHeader = []string{"sku", "name", "brand", "description", "unit_price"}

var worstDesc = strings.Repeat("Roestvrijstalen waterkoker met kalkfilter. ", 50)[:2000]

// refusedRow is a product row every check refuses (no SKU, no price).
var refusedRow = []string{"", "Kettle", "", "", "x"}

// File is a product import file that costs much to read, and how the
// import ends: the first problem it lists, or "" when it is imported.
type File struct {
	Name  string
	Build func() []byte
	First string
}

// WorstProductFiles are the product import files that cost the most: the
// most rows in the smallest file, the most rows a file of 20 MB or of 64 MB
// unpacked holds, shared-string bombs, and the largest files that are
// imported (docs/BENCHMARKS.md; cmd/importfiles writes them out).
func WorstProductFiles() []File {
	return []File{
		{"xlsx_4M_rows", func() []byte { return ManyRows(productHeader, 4_000_000, refusedRow...) }, "more than 64 MB unpacked"},
		{"xlsx_300k_rows_under_64MB_unpacked", func() []byte { return ManyRows(productHeader, 300_000, refusedRow...) }, "more than 20,000 rows"},
		{"csv_20MB_of_rows", func() []byte {
			var b bytes.Buffer
			b.WriteString("sku,name,unit_price\n")
			for b.Len() < xlsx.MaxImportBytes-32 {
				b.WriteString(",Kettle,x\n")
			}
			return b.Bytes()
		}, "more than 20,000 rows"},
		{"xlsx_shared_string_bomb_50M", func() []byte { return SharedStringBomb(productHeader, 50_000_000) }, "more than 64 MB unpacked"},
		{"xlsx_shared_string_bomb_3.5M_under_64MB", func() []byte { return SharedStringBomb(productHeader, 3_500_000) }, "more than 300,000 different texts"},
		{"xlsx_300k_shared_strings_of_200_bytes", func() []byte {
			return Workbook(func(w io.Writer) {
				WriteRow(w, 1, productHeader...)
				for i := 2; i <= xlsx.MaxRows+1; i++ {
					fmt.Fprintf(w, `<row r="%d"><c r="A%d" t="s"><v>%d</v></c><c r="B%d" t="s"><v>%d</v></c></row>`, i, i, i%300_000, i, (i*7)%300_000)
				}
			}, func(w io.Writer) {
				for i := 0; i < 299_990; i++ {
					fmt.Fprintf(w, `<si><t>%08d %s</t></si>`, i, strings.Repeat("z", 190))
				}
			})
		}, "sku: A SKU is"},
		{"xlsx_20000_rows_imported_2000_char_descriptions", func() []byte {
			return Workbook(func(w io.Writer) {
				WriteRow(w, 1, productHeader...)
				for i := 0; i < xlsx.MaxRows; i++ {
					WriteRow(w, i+2, fmt.Sprintf("BENCH-%05d", i), "Waterkoker "+strconv.Itoa(i), "Krups", worstDesc, "19,95")
				}
			}, nil)
		}, ""},
		{"csv_20000_rows_imported_900_char_descriptions", func() []byte {
			var b bytes.Buffer
			b.WriteString("sku,name,brand,description,unit_price\n")
			for i := 0; i < xlsx.MaxRows; i++ {
				fmt.Fprintf(&b, "CSV-%05d,Waterkoker %d,Krups,%s,\"19,95\"\n", i, i, worstDesc[:900])
			}
			return b.Bytes()
		}, ""},
	}
}
