package orders

import (
	"strings"
	"testing"
)

// A pasted PO becomes lines whatever the shape customers send it in.
func TestPastedRowsBecomeLines(t *testing.T) {
	known := map[string]string{"KR-F3090": "KR-F3090", "TF-GC7148": "TF-GC7148", "8710103924520": "KR-EA8108", "KR-EA8108": "KR-EA8108"}
	text := strings.Join([]string{
		"KR-F3090 4",      // SKU quantity
		"12 x TF-GC7148",  // quantity x SKU
		"3x kr-f3090",     // no space, lower case
		"",                // empty lines are left out
		"8710103924520 2", // an EAN
		"1\tKR-EA8108\tEspresso machine\t6\t329,00", // spreadsheet columns: position, SKU, name, quantity, price
		"Kettle\t8710103924520\t5 st",               // a name first, an EAN, a unit
		"NOPE-1 7",                                  // unknown: kept as typed
		"TF-GC7148",                                 // no quantity
		"  2  ×  KR-F3090  ",
	}, "\r\n")
	var got []string
	for _, r := range splitPaste(text) {
		l := parseRow(r, known)
		got = append(got, l.SKU+"="+l.QuantityText)
	}
	want := []string{"KR-F3090=4", "TF-GC7148=12", "KR-F3090=3", "KR-EA8108=2", "KR-EA8108=6", "KR-EA8108=5", "NOPE-1=7", "TF-GC7148=", "KR-F3090=2"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("got  %v\nwant %v", got, want)
	}
	if rows := splitPaste(text); rows[3].row != 5 {
		t.Fatalf("the EAN line is row %d of the text, want 5", rows[3].row)
	}
}

// CSV from Excel in a Dutch locale separates its columns with semicolons
// (and may quote its cells): read like tab-separated columns. A negative
// or decimal quantity is no quantity.
func TestPastedSemicolonRowsAreColumns(t *testing.T) {
	known := map[string]string{"KR-F3090": "KR-F3090", "TF-GC7148": "TF-GC7148", "KR-XS5300": "KR-XS5300"}
	text := strings.Join([]string{
		"KR-F3090;4",
		`"TF-GC7148";"Iron";"6";"24,95"`,
		"TF-GC7148;-1",
		"KR-XS5300 1,5",
		"1;KR-XS5300;Kettle;2 st;12,50",
	}, "\n")
	var got []string
	for _, r := range splitPaste(text) {
		l := parseRow(r, known)
		got = append(got, l.SKU+"="+l.QuantityText)
	}
	want := []string{"KR-F3090=4", "TF-GC7148=6", "TF-GC7148=", "KR-XS5300=", "KR-XS5300=2"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("got  %v\nwant %v", got, want)
	}
}

// The message of unreadable pasted lines names them: one, several, and
// at most ten.
func TestUnreadPastedLinesAreNamed(t *testing.T) {
	for _, c := range []struct {
		rows []int
		want string
	}{
		{nil, ""},
		{[]int{3}, "Line 3: write the SKU and a whole quantity, e.g. KR-100 24."},
		{[]int{3, 5}, "Lines 3, 5: write the SKU and a whole quantity on each line, e.g. KR-100 24."},
		{[]int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, "Lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, …: write the SKU and a whole quantity on each line, e.g. KR-100 24."},
	} {
		if got := unreadMsg(c.rows); got.String() != c.want {
			t.Errorf("%v: %q, want %q", c.rows, got.String(), c.want)
		}
	}
}
