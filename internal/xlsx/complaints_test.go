package xlsx_test

import (
	"bytes"
	"testing"
	"time"

	"wholesale/internal/i18n"
	"wholesale/internal/xlsx"
)

func TestComplaintsWorkbookHasARowPerComplaint(t *testing.T) {
	received := time.Date(2026, 11, 10, 14, 30, 0, 0, time.UTC)
	rows := []xlsx.ComplaintRow{
		{ID: 3, Reference: i18n.Raw("order 118"), Customer: "Bakkerij Jansen B.V.", Channel: i18n.Raw("in the portal"), Received: received,
			State: i18n.Raw("received, to acknowledge"), Next: i18n.Raw("acknowledgement"), DueBy: dayPtr("2026-11-13"), Overdue: true, Handler: "Anna"},
		{ID: 4, Reference: i18n.Raw("complaint 4"), Customer: "ООО «Ромашка»", Channel: i18n.Raw("by phone"), Received: received,
			State: i18n.Raw("resolved"), Handler: "Anna", Investigator: "Piet", Outcome: i18n.Raw("apology"), Resolved: dayPtr("2026-11-20")},
	}
	var buf bytes.Buffer
	if err := xlsx.WriteComplaints(&buf, i18n.For(i18n.EN), rows, date("2026-11-24")); err != nil {
		t.Fatal(err)
	}
	s := readBack(t, buf.Bytes(), "Complaints log")
	if got := s.shown("A1"); got != "Complaints log on 24 Nov 2026" {
		t.Errorf("title %q", got)
	}
	for cell, want := range map[string]string{"A2": "Complaint", "B2": "Reference", "H2": "Due by", "O2": "Board answered on",
		"A3": "3", "B3": "order 118", "C3": "Bakkerij Jansen B.V.", "D3": "in the portal", "E3": "10 Nov 2026", "F3": "received, to acknowledge",
		"G3": "acknowledgement", "H3": "13 Nov 2026", "I3": "too late", "J3": "Anna", "K3": "", "L3": "",
		"C4": "ООО «Ромашка»", "H4": "", "I4": "", "K4": "Piet", "L4": "apology", "M4": "20 Nov 2026"} {
		if got := s.shown(cell); got != want {
			t.Errorf("%s: %q, want %q", cell, got, want)
		}
	}
	if len(s.rows) != 4 {
		t.Errorf("%d rows, want the title, the header and 2 complaints", len(s.rows))
	}
}

func TestComplaintsWorkbookInDutch(t *testing.T) {
	var buf bytes.Buffer
	if err := xlsx.WriteComplaints(&buf, i18n.For(i18n.NL), nil, date("2026-11-24")); err != nil {
		t.Fatal(err)
	}
	s := readBack(t, buf.Bytes(), "Klachtenregister")
	if got := s.shown("A2"); got != "Klacht" {
		t.Errorf("header %q", got)
	}
}
