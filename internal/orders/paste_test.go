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
