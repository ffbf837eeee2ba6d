package xlsx_test

import (
	"bytes"
	"testing"
	"time"

	"wholesale/internal/i18n"
	"wholesale/internal/xlsx"
)

// returnRows are an open return with its RA (its parcel expected), one
// waiting for approval and one settled with a credit note.
func returnRows() []xlsx.ReturnRow {
	created := time.Date(2026, 11, 10, 14, 30, 0, 0, time.UTC)
	return []xlsx.ReturnRow{
		{ID: 7, RA: "RA-2026-000012", Customer: "Bakkerij Jansen B.V.", OrderID: 118, PO: "BJ-2026-118", SKU: "KR-F3090", Product: "Kettle Pro Aroma 1.7 l",
			Quantity: 2, Status: i18n.Raw("RA issued, parcel on its way"), Created: created, Updated: created.AddDate(0, 0, 1),
			WindowEnds: date("2026-12-28"), ArriveBy: dayPtr("2026-11-25")},
		{ID: 8, Customer: "ООО «Ромашка»", OrderID: 120, PO: "RU-1", SKU: "KR-GVX2", Product: "Coffee grinder", Quantity: 1,
			Status: i18n.Raw("waiting for approval"), Created: created, Updated: created, WindowEnds: date("2026-12-28")},
		{ID: 9, RA: "RA-2026-000013", Customer: "Bakkerij Jansen B.V.", OrderID: 118, PO: "BJ-2026-118", SKU: "KR-F3090", Product: "Kettle Pro Aroma 1.7 l",
			Quantity: 1, Status: i18n.Raw("settled"), Created: created, Updated: created, WindowEnds: date("2026-12-28"), ArriveBy: dayPtr("2026-11-25"),
			Settlement: i18n.Raw("credit note issued"), CreditNote: "2026-000004"},
	}
}

func TestReturnsWorkbookHasARowPerReturn(t *testing.T) {
	var buf bytes.Buffer
	today := date("2026-11-24")
	if err := xlsx.WriteReturns(&buf, i18n.For(i18n.EN), returnRows(), today); err != nil {
		t.Fatal(err)
	}
	s := readBack(t, buf.Bytes(), "Returns")
	if got := s.shown("A1"); got != "Returns on 24 Nov 2026" {
		t.Errorf("title %q", got)
	}
	for cell, want := range map[string]string{"A2": "Return", "B2": "RA number", "K2": "Age (days)", "M2": "Must arrive by", "P2": "Credit note",
		"A3": "7", "B3": "RA-2026-000012", "C3": "Bakkerij Jansen B.V.", "D3": "118", "F3": "KR-F3090", "H3": "2",
		"I3": "RA issued, parcel on its way", "J3": "10 Nov 2026", "K3": "14", "L3": "11 Nov 2026", "M3": "25 Nov 2026", "N3": "28 Dec 2026",
		"B4": "", "C4": "ООО «Ромашка»", "M4": "", "O4": "",
		"O5": "credit note issued", "P5": "2026-000004"} {
		if got := s.shown(cell); got != want {
			t.Errorf("%s: %q, want %q", cell, got, want)
		}
	}
	if n := s.number("K3"); n != 14 {
		t.Errorf("the age is %v, not the number 14", n)
	}
	if len(s.rows) != 5 {
		t.Errorf("%d rows, want the title, the header and 3 returns", len(s.rows))
	}
}

func TestReturnsWorkbookOfNoReturnsHasItsHeader(t *testing.T) {
	var buf bytes.Buffer
	if err := xlsx.WriteReturns(&buf, i18n.For(i18n.NL), nil, date("2026-11-24")); err != nil {
		t.Fatal(err)
	}
	s := readBack(t, buf.Bytes(), "Retouren")
	if got := s.shown("B2"); got != "RA-nummer" {
		t.Errorf("header %q", got)
	}
	if len(s.rows) != 2 {
		t.Errorf("%d rows", len(s.rows))
	}
}

func TestAgeDaysCountsCalendarDaysInAmsterdam(t *testing.T) {
	today := date("2026-11-24")
	for _, c := range []struct {
		at   time.Time
		want int
	}{
		{time.Date(2026, 11, 23, 22, 30, 0, 0, time.UTC), 1}, // 23:30 on the 23rd in Amsterdam
		{time.Date(2026, 11, 23, 23, 30, 0, 0, time.UTC), 0}, // 00:30 on the 24th in Amsterdam
		{time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC), 23},
		{time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC), 0}, // a clock ahead never gives a negative age
	} {
		if got := xlsx.AgeDays(c.at, today); got != c.want {
			t.Errorf("%s: %d days, want %d", c.at, got, c.want)
		}
	}
}
