package xlsx_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"wholesale/internal/xlsx"
	"wholesale/internal/xlsx/xlsxtest"
)

// readAll returns the rows ReadRows gives, or its error.
func readAll(t testing.TB, content []byte) ([]xlsx.Row, error) {
	var rows []xlsx.Row
	err := xlsx.ReadRows(content, func(r xlsx.Row) error {
		rows = append(rows, r)
		return nil
	})
	return rows, err
}

// refused asserts that content is refused as a whole with a message
// containing want.
func refused(t *testing.T, content []byte, want string) {
	t.Helper()
	_, err := readAll(t, content)
	var fe *xlsx.Error
	if !errors.As(err, &fe) {
		t.Fatalf("not refused as a file: %v", err)
	}
	if !strings.Contains(fe.Msg.String(), want) {
		t.Fatalf("message %q lacks %q", fe.Msg.String(), want)
	}
}

func TestReadRowsOfWrittenFiles(t *testing.T) {
	for _, format := range []string{"xlsx", "csv"} {
		var buf bytes.Buffer
		w, err := xlsx.NewWriter(&buf, format, "Products", []string{"sku", "name", "unit_price"})
		if err != nil {
			t.Fatal(err)
		}
		w.Row("KR-1", " Kettle, steel ", "19,95")
		w.Row("KR-2", "Toaster", 25)
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		rows, err := readAll(t, buf.Bytes())
		if err != nil {
			t.Fatal(format, err)
		}
		got := fmt.Sprint(rows)
		want := "[{1 [sku name unit_price]} {2 [KR-1 Kettle, steel 19,95]} {3 [KR-2 Toaster 25]}]"
		if got != want {
			t.Errorf("%s: %s, want %s", format, got, want)
		}
	}
}

func TestReadRowsCSVSemicolonBOMAndBlankRows(t *testing.T) {
	rows, err := readAll(t, []byte("\xef\xbb\xbfsku;name\nA;B\n\n ; \nC;\"D\nE\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(rows); got != "[{1 [sku name]} {2 [A B]} {3 []} {4 [C D\nE]}]" {
		t.Fatalf("%q", got)
	}
}

func TestReadRowsNumbersRowsAsTheSheetDoes(t *testing.T) {
	f := xlsxtest.Workbook(func(w io.Writer) {
		xlsxtest.WriteRow(w, 1, "sku")
		xlsxtest.WriteRow(w, 4, "KR-4")
	}, nil)
	rows, err := readAll(t, f)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(rows); got != "[{1 [sku]} {2 []} {3 []} {4 [KR-4]}]" {
		t.Fatalf("%s", got)
	}
}

func TestReadRowsStopsAtTheRowCap(t *testing.T) {
	header := []string{"sku", "name"}
	for name, f := range map[string][]byte{
		"xlsx": xlsxtest.ManyRows(header, xlsx.MaxRows+1, "X", "Y"),
		"csv":  []byte("sku,name\n" + strings.Repeat("X,Y\n", xlsx.MaxRows+1)),
	} {
		seen := 0
		err := xlsx.ReadRows(f, func(xlsx.Row) error { seen++; return nil })
		var fe *xlsx.Error
		if !errors.As(err, &fe) || !strings.Contains(fe.Msg.String(), "more than 20,000 rows") {
			t.Fatalf("%s: %v", name, err)
		}
		if seen != xlsx.MaxRows+1 {
			t.Fatalf("%s: %d rows read before the refusal", name, seen)
		}
		ok := xlsxtest.ManyRows(header, xlsx.MaxRows, "X", "Y")
		if name == "csv" {
			ok = []byte("sku,name\n" + strings.Repeat("X,Y\n", xlsx.MaxRows))
		}
		if rows, err := readAll(t, ok); err != nil || len(rows) != xlsx.MaxRows+1 {
			t.Fatalf("%s: exactly the cap: %d rows, %v", name, len(rows), err)
		}
	}
}

func TestReadRowsRefusesHostileFiles(t *testing.T) {
	header := []string{"sku", "name", "unit_price"}
	cases := []struct {
		name    string
		content []byte
		want    string
	}{
		{"over 20 MB", append([]byte("sku\n"), bytes.Repeat([]byte("A\n"), 10<<20)...), "larger than 20 MB"},
		{"4 million rows in a small zip", xlsxtest.ManyRows(header, 4_000_000, "X", "", "1"), "more than 64 MB unpacked"},
		{"shared string bomb", xlsxtest.SharedStringBomb(header, 2_000_000), "more than 300,000 different texts"},
		{"a text longer than a cell", xlsxtest.LongText(header, 1<<20), "longer than a cell can hold"},
		{"a row wider than the cap", xlsxtest.Table(header, make([]string, 300)), ""},
		{"CSV wider than the cap", []byte("sku\n" + strings.Repeat("a,", 300) + "\n"), "more than 256 columns"},
		{"CSV line of 100 KB", []byte("sku,name\nX," + strings.Repeat("a", 100<<10) + "\n"), "longer than 64 KB"},
		{"not UTF-8", []byte("sku,name\nX,caf\xe9\n"), "UTF-8"},
		{"broken zip", []byte("PK\x03\x04 not really"), "not a readable .xlsx"},
		{"truncated xlsx", xlsxtest.Table(header, []string{"A", "B", "1"})[:300], "not a readable .xlsx"},
		{"too many parts", manyParts(1200), "more than 1000 parts"},
		{"a big styles part", bigPart("xl/styles.xml", 2<<20), "larger than 1 MB"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.name == "a row wider than the cap" {
				wide := make([]string, 300)
				for i := range wide {
					wide[i] = "x"
				}
				c.content, c.want = xlsxtest.Table(header, wide), "more than 256 columns"
			}
			refused(t, c.content, c.want)
		})
	}
}

// manyParts returns a zip of n empty parts.
func manyParts(n int) []byte {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for i := 0; i < n; i++ {
		z.Create(fmt.Sprintf("xl/p%d.xml", i))
	}
	z.Close()
	return buf.Bytes()
}

// bigPart returns a workbook with one more part of n bytes.
func bigPart(name string, n int) []byte {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	zr, _ := zip.NewReader(bytes.NewReader(xlsxtest.Table([]string{"sku"})), int64(len(xlsxtest.Table([]string{"sku"}))))
	for _, f := range zr.File {
		w, _ := z.Create(f.Name)
		r, _ := f.Open()
		io.Copy(w, r)
	}
	w, _ := z.Create(name)
	w.Write(bytes.Repeat([]byte(" "), n))
	z.Close()
	return buf.Bytes()
}

func TestReadRowsLetsThePanicOfItsCallerGoOn(t *testing.T) {
	defer func() {
		if r := recover(); r != "the caller's" {
			t.Fatalf("recovered %v", r)
		}
	}()
	xlsx.ReadRows(xlsxtest.Table([]string{"sku"}), func(xlsx.Row) error { panic("the caller's") })
}
