package xlsx_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"wholesale/internal/i18n"
	"wholesale/internal/invoicing"
	"wholesale/internal/xlsx"
)

func dayPtr(s string) *time.Time {
	t := date(s)
	return &t
}

// summaries are an invoice at 21% and 9%, a reverse-charged one at 0%
// and a credit note, as the bookkeeper's export of November gets them.
func summaries() []*invoicing.Summary {
	return []*invoicing.Summary{
		{Kind: invoicing.KindInvoice, Number: "2026-00012", State: "issued", CompanyName: "Bakkerij De Korenaar",
			CompanyVATID: "NL987654321B01", IssueDate: dayPtr("2026-11-27"), DueDate: dayPtr("2026-12-27"), VATMode: invoicing.VATDomestic,
			ExclCents: 19325, VATCents: 2559, InclCents: 21884, PaidCents: 21884,
			PerRate: []invoicing.RateTotal{{Rate: 21, BaseCents: 6835, VATCents: 1435}, {Rate: 9, BaseCents: 12490, VATCents: 1124}}},
		{Kind: invoicing.KindInvoice, Number: "2026-00013", State: "issued", CompanyName: "ООО «Ромашка» æøå",
			CompanyVATID: "DE123456789", IssueDate: dayPtr("2026-11-27"), DueDate: dayPtr("2026-12-27"), VATMode: invoicing.VATReverseCharge,
			ExclCents: 2286500, InclCents: 2286500,
			PerRate: []invoicing.RateTotal{{Rate: 0, BaseCents: 2286500}}},
		{Kind: invoicing.KindCreditNote, Number: "2026-00003", State: "issued", CompanyName: "Bakkerij De Korenaar",
			CompanyVATID: "NL987654321B01", IssueDate: dayPtr("2026-12-02"), VATMode: invoicing.VATDomestic, Credits: "2026-00012",
			ExclCents: -3990, VATCents: -838, InclCents: -4828,
			PerRate: []invoicing.RateTotal{{Rate: 21, BaseCents: -3990, VATCents: -838}}},
	}
}

func writeList(t *testing.T, lang i18n.Lang, add func(l *xlsx.InvoiceList)) []byte {
	t.Helper()
	var buf bytes.Buffer
	l, err := xlsx.NewInvoiceList(&buf, i18n.For(lang))
	if err != nil {
		t.Fatal(err)
	}
	add(l)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestInvoiceListHasARowPerDocumentWithItsRates(t *testing.T) {
	content := writeList(t, i18n.NL, func(l *xlsx.InvoiceList) {
		for _, s := range summaries() {
			if err := l.Add(s); err != nil {
				t.Fatal(err)
			}
		}
	})
	s := readBack(t, content, "Facturen")
	if got := s.f.GetSheetList(); len(got) != 1 {
		t.Errorf("sheets %q: no lines were added", got)
	}
	want := [][]string{
		{"Nummer", "Soort", "Status", "Klant", "Btw-nummer", "Factuurdatum", "Vervaldatum", "Btw-behandeling",
			"Excl. btw 21%", "Btw 21%", "Excl. btw 9%", "Btw 9%", "Excl. btw 0%", "Btw 0%",
			"Totaal excl. btw", "Btw", "Totaal incl. btw", "Betaald", "Correctie op factuur"},
		{"2026-00012", "Factuur", "definitief", "Bakkerij De Korenaar", "NL987654321B01", "27-11-2026", "27-12-2026", "Nederlandse btw",
			"€ 68.35", "€ 14.35", "€ 124.90", "€ 11.24", "€ 0.00", "€ 0.00", "€ 193.25", "€ 25.59", "€ 218.84", "€ 218.84"},
		{"2026-00013", "Factuur", "definitief", "ООО «Ромашка» æøå", "DE123456789", "27-11-2026", "27-12-2026", "Btw verlegd",
			"€ 0.00", "€ 0.00", "€ 0.00", "€ 0.00", "€ 22,865.00", "€ 0.00", "€ 22,865.00", "€ 0.00", "€ 22,865.00", "€ 0.00"},
		{"2026-00003", "Creditnota", "definitief", "Bakkerij De Korenaar", "NL987654321B01", "02-12-2026", "", "Nederlandse btw",
			"€ -39.90", "€ -8.38", "€ 0.00", "€ 0.00", "€ 0.00", "€ 0.00", "€ -39.90", "€ -8.38", "€ -48.28", "€ 0.00", "2026-00012"},
	}
	if len(s.rows) != len(want) {
		t.Fatalf("%d rows, want %d: %q", len(s.rows), len(want), s.rows)
	}
	for i := range want {
		if got, w := strings.Join(s.rows[i], "|"), strings.Join(want[i], "|"); got != w {
			t.Errorf("row %d:\n got %s\nwant %s", i+1, got, w)
		}
	}
	// The figures are numbers, to the cent, and the dates dates.
	for cell, cents := range map[string]int64{"I2": 6835, "J2": 1435, "K2": 12490, "L2": 1124, "M3": 2286500, "I4": -3990, "J4": -838, "Q4": -4828, "R2": 21884} {
		s.amount(cell, cents)
	}
	s.isDate("F4", date("2026-12-02"), "02-12-2026")
	s.isDate("G2", date("2026-12-27"), "27-12-2026")

	panes, err := s.f.GetPanes(s.name)
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("the header row is not frozen: %+v %v", panes, err)
	}
	style, _ := s.f.GetCellStyle(s.name, "A1")
	if st, _ := s.f.GetStyle(style); st == nil || st.Font == nil || !st.Font.Bold {
		t.Error("the header row is not bold")
	}
	if w, _ := s.f.GetColWidth(s.name, "D"); w < 30 {
		t.Errorf("the customer column is %v wide", w)
	}
}

func TestInvoiceListInEnglishWithLines(t *testing.T) {
	lines := []*invoicing.LineRow{
		{Number: "2026-00013", IssueDate: date("2026-11-27"), CompanyName: "Kaffeehaus GmbH",
			DocLine: invoicing.DocLine{No: 1, OrderID: 1003, POReference: "B-55", SKU: "KR-1", Description: "Kettle, steel 1.7 l", Quantity: 1200, UnitPriceCents: 1895, AmountCents: 2274000}},
		{Number: "2026-00013", IssueDate: date("2026-11-27"), CompanyName: "Kaffeehaus GmbH",
			DocLine: invoicing.DocLine{No: 2, OrderID: 1003, POReference: "B-55", Quantity: 1, UnitPriceCents: 12500, AmountCents: 12500, Shipping: true}},
	}
	content := writeList(t, i18n.EN, func(l *xlsx.InvoiceList) {
		for _, r := range lines {
			if err := l.AddLine(r); err != nil {
				t.Fatal(err)
			}
		}
		if err := l.Add(summaries()[1]); err != nil {
			t.Fatal(err)
		}
	})
	s := readBack(t, content, "Invoices")
	if got := strings.Join(s.rows[0][:8], "|"); got != "Number|Kind|State|Customer|VAT id|Invoice date|Due date|VAT treatment" {
		t.Errorf("header %s", got)
	}
	if got := strings.Join(s.rows[1][:8], "|"); got != "2026-00013|Invoice|issued|ООО «Ромашка» æøå|DE123456789|27 Nov 2026|27 Dec 2026|VAT reverse-charged" {
		t.Errorf("row %s", got)
	}
	s.amount("M2", 2286500)
	if got := s.shown("M2"); got != "€22,865.00" {
		t.Errorf("the base at 0%% shows %q", got)
	}

	l := readBack(t, content, "Lines")
	l.name = "Lines"
	l.rows, _ = l.f.GetRows("Lines")
	want := [][]string{
		{"Invoice", "Invoice date", "Customer", "No.", "Order", "Your PO", "SKU", "Description", "Quantity", "Unit price excl. VAT", "VAT rate", "Amount excl. VAT"},
		{"2026-00013", "27 Nov 2026", "Kaffeehaus GmbH", "1", "1003", "B-55", "KR-1", "Kettle, steel 1.7 l", "1,200", "€18.95", "0%", "€22,740.00"},
		{"2026-00013", "27 Nov 2026", "Kaffeehaus GmbH", "2", "1003", "B-55", "", "Shipping costs, order 1003", "1", "€125.00", "0%", "€125.00"},
	}
	for i := range want {
		if i >= len(l.rows) {
			t.Fatalf("%d rows of lines, want %d", len(l.rows), len(want))
		}
		if got, w := strings.Join(l.rows[i], "|"), strings.Join(want[i], "|"); got != w {
			t.Errorf("line row %d:\n got %s\nwant %s", i+1, got, w)
		}
	}
	l.amount("L2", 2274000)
	l.isDate("B3", date("2026-11-27"), "27 Nov 2026")
	if panes, _ := l.f.GetPanes("Lines"); !panes.Freeze {
		t.Error("the lines' header row is not frozen")
	}
}

func TestInvoiceListRefusesARateWithoutAColumn(t *testing.T) {
	l, err := xlsx.NewInvoiceList(&bytes.Buffer{}, i18n.For(i18n.NL))
	if err != nil {
		t.Fatal(err)
	}
	s := summaries()[0]
	s.PerRate = append(s.PerRate, invoicing.RateTotal{Rate: 6, BaseCents: 100, VATCents: 6})
	if err := l.Add(s); err == nil || !strings.Contains(err.Error(), "VAT rate 6") {
		t.Errorf("a rate of 6%% is added: %v", err)
	}
	if err := l.Close(); err == nil {
		t.Error("the list is written after an error")
	}
}

// The list reads back with the package's own reader, as an import of it
// would.
func TestInvoiceListReadsBackWithReadRows(t *testing.T) {
	content := writeList(t, i18n.NL, func(l *xlsx.InvoiceList) {
		for _, s := range summaries() {
			l.Add(s)
		}
	})
	rows, err := readAll(t, content)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[3].Cells[0] != "2026-00003" || rows[3].Cells[3] != "Bakkerij De Korenaar" {
		t.Errorf("rows %v", rows)
	}
}
