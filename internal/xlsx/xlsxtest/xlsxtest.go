// Package xlsxtest builds .xlsx files for tests and benchmarks of imports,
// hostile ones included (millions of rows in a small file, shared-string
// bombs), writing the parts by hand as a stream so that building a file
// never holds it unpacked.
package xlsxtest

import (
	"archive/zip"
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
)

const contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`

const rootRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`

const workbook = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`

const workbookRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`

const sheetHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`

const sheetTail = `</sheetData></worksheet>`

// Workbook returns an .xlsx file of one sheet: sheetData writes the rows
// (the inside of <sheetData>) and sharedStrings, when not nil, the items
// of the shared string table (the inside of <sst>).
func Workbook(sheetData, sharedStrings func(w io.Writer)) []byte {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	part := func(name string, write func(w io.Writer)) {
		w, err := z.Create(name)
		if err != nil {
			panic(err)
		}
		bw := bufio.NewWriterSize(w, 64<<10)
		write(bw)
		if err := bw.Flush(); err != nil {
			panic(err)
		}
	}
	text := func(s string) func(io.Writer) { return func(w io.Writer) { io.WriteString(w, s) } }
	part("[Content_Types].xml", text(contentTypes))
	part("_rels/.rels", text(rootRels))
	part("xl/workbook.xml", text(workbook))
	part("xl/_rels/workbook.xml.rels", text(workbookRels))
	part("xl/worksheets/sheet1.xml", func(w io.Writer) {
		io.WriteString(w, sheetHead)
		sheetData(w)
		io.WriteString(w, sheetTail)
	})
	if sharedStrings != nil {
		part("xl/sharedStrings.xml", func(w io.Writer) {
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
			sharedStrings(w)
			io.WriteString(w, `</sst>`)
		})
	}
	if err := z.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// WriteRow writes row n (1-based) with the cells as inline strings.
func WriteRow(w io.Writer, n int, cells ...string) {
	fmt.Fprintf(w, `<row r="%d">`, n)
	for i, c := range cells {
		fmt.Fprintf(w, `<c r="%s%d" t="inlineStr"><is><t>%s</t></is></c>`, column(i), n, escape(c))
	}
	io.WriteString(w, `</row>`)
}

// Table returns an .xlsx file whose first sheet holds the header and then
// the rows, as inline strings.
func Table(header []string, rows ...[]string) []byte {
	return Workbook(func(w io.Writer) {
		WriteRow(w, 1, header...)
		for i, r := range rows {
			WriteRow(w, i+2, r...)
		}
	}, nil)
}

// ManyRows returns an .xlsx file with the header and then n copies of row,
// written without row and cell references (they are optional), so that
// they pack tightly: 4,000,000 rows of three cells unpack to about 300 MB
// and pack into less than 1 MB.
func ManyRows(header []string, n int, row ...string) []byte {
	var one bytes.Buffer
	one.WriteString(`<row>`)
	for _, c := range row {
		fmt.Fprintf(&one, `<c t="inlineStr"><is><t>%s</t></is></c>`, escape(c))
	}
	one.WriteString(`</row>`)
	return Workbook(func(w io.Writer) {
		WriteRow(w, 1, header...)
		for i := 0; i < n; i++ {
			w.Write(one.Bytes())
		}
	}, nil)
}

// SharedStringBomb returns an .xlsx file whose shared string table holds n
// tiny texts and whose sheet holds the header (as shared strings).
func SharedStringBomb(header []string, n int) []byte {
	return Workbook(func(w io.Writer) {
		fmt.Fprintf(w, `<row r="1">`)
		for i := range header {
			fmt.Fprintf(w, `<c r="%s1" t="s"><v>%d</v></c>`, column(i), i)
		}
		io.WriteString(w, `</row>`)
	}, func(w io.Writer) {
		for _, h := range header {
			fmt.Fprintf(w, `<si><t>%s</t></si>`, escape(h))
		}
		for i := 0; i < n; i++ {
			io.WriteString(w, `<si><t>x</t></si>`)
		}
	})
}

// LongText returns an .xlsx file whose header is followed by one row whose
// first cell is a text of n bytes.
func LongText(header []string, n int) []byte {
	return Workbook(func(w io.Writer) {
		WriteRow(w, 1, header...)
		io.WriteString(w, `<row r="2"><c r="A2" t="inlineStr"><is><t>`)
		chunk := strings.Repeat("a", 64<<10)
		for left := n; left > 0; left -= len(chunk) {
			io.WriteString(w, chunk[:min(left, len(chunk))])
		}
		io.WriteString(w, `</t></is></c></row>`)
	}, nil)
}

// column returns the letters of the 0-based column i.
func column(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

func escape(s string) string {
	var b bytes.Buffer
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
