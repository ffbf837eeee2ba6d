package invoicing_test

import (
	"bytes"
	"context"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"wholesale/internal/i18n"
	"wholesale/internal/invoicing"
)

// pdfText is the text of a PDF as pdftotext (Debian's poppler-utils,
// installed by `make tools`) reads it.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	cmd := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext (make tools installs poppler-utils): %v", err)
	}
	return string(out)
}

// xlsxTotal is the number right of the cell that reads label, in cents.
func xlsxTotal(t *testing.T, content []byte, label string) int64 {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetList()[0]
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for r, row := range rows {
		for c, v := range row {
			if v != label {
				continue
			}
			for cc := c + 1; cc < len(row)+4; cc++ {
				cell, _ := excelize.CoordinatesToCellName(cc+1, r+1)
				raw, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
				if n, err := strconv.ParseFloat(raw, 64); err == nil {
					if n < 0 {
						return int64(n*100 - 0.5)
					}
					return int64(n*100 + 0.5)
				}
			}
		}
	}
	t.Fatalf("no %q in the workbook", label)
	return 0
}

// The documents the run stores and mails say what the database says, to
// the cent, with every name intact.
func TestIssuedDocumentsMatchTheDatabase(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.svc.Writers = realWriters()
	e.clk.Set(amsterdam(24, 10, 0))
	ru := e.company("ООО Ромашка", "RU", "", "credit")
	dk := e.company("Bjørnstad Æble ApS", "DK", "DK13585628", "credit")
	e.ship(e.order(e.customer, "PO-NL", line("A", 2), line("B", 3)))
	e.ship(e.order(ru, "PO-RU", line("A", 1)))
	e.ship(e.order(dk, "PO-DK", line("B", 7)))
	e.clk.Set(amsterdam(24, 17, 0))
	if _, err := e.svc.Run(ctx, nil, 0); err != nil {
		t.Fatal(err)
	}
	e.clk.Set(amsterdam(25, 9, 0))
	if _, err := e.svc.CreditNote(ctx, e.fin, invoicing.CreditNoteInput{Invoice: "2026-000001", Quantities: map[int]int{2: 1}, Reason: "Één boek beschadigd"}); err != nil {
		t.Fatal(err)
	}
	for _, s := range e.issued() {
		inv, err := e.svc.Get(ctx, e.fin, s.Number)
		if err != nil {
			t.Fatal(err)
		}
		l := i18n.For(inv.Language)
		pdf, err := invoicing.Original(ctx, e.db, inv.ID, "pdf")
		if err != nil {
			t.Fatal(err)
		}
		text := pdfText(t, pdf)
		for _, want := range []string{s.Number, s.CompanyName, l.Amount(inv.TotalInclCents), l.Amount(inv.TotalExclCents),
			"Groothandel BV", "NL123456782B01", "NL91ABNA0417164300"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: the PDF does not read %q:\n%s", s.Number, want, text)
			}
		}
		for _, r := range inv.PerRate {
			if !strings.Contains(text, l.Amount(r.VATCents)) {
				t.Errorf("%s: the PDF lacks the VAT %s at %d %%", s.Number, l.Amount(r.VATCents), r.Rate)
			}
		}
		// A credit note is dated as one and has no due date.
		dated, due := l.Text(invoicing.Labels.IssueDate), strings.Contains(text, l.Text(invoicing.Labels.DueDate))
		if inv.Kind == invoicing.KindCreditNote {
			dated, due = l.Text(i18n.M("Date of the credit note")), !due
		}
		if !strings.Contains(text, dated) || !due {
			t.Errorf("%s: the PDF is not dated with %q, or its due date is wrong for a %s", s.Number, dated, inv.Kind)
		}
		if strings.Contains(text, l.Text(invoicing.Labels.Copy)) {
			t.Errorf("%s: the original is marked as a copy", s.Number)
		}
		book, err := invoicing.Original(ctx, e.db, inv.ID, "xlsx")
		if err != nil {
			t.Fatal(err)
		}
		if got := xlsxTotal(t, book, l.Text(i18n.M("Total incl. VAT"))); got != inv.TotalInclCents {
			t.Errorf("%s: the workbook's total incl. VAT is %d cents, the database says %d", s.Number, got, inv.TotalInclCents)
		}
		if got := xlsxTotal(t, book, l.Text(i18n.M("Total excl. VAT"))); got != inv.TotalExclCents {
			t.Errorf("%s: the workbook's total excl. VAT is %d cents, the database says %d", s.Number, got, inv.TotalExclCents)
		}
		copyFile, err := e.svc.Download(ctx, e.fin, s.Number, "pdf")
		if err != nil {
			t.Fatal(err)
		}
		if c := pdfText(t, copyFile.Content); !strings.Contains(c, l.Text(invoicing.Labels.Copy)) || !strings.Contains(c, s.Number) {
			t.Errorf("%s: the download is not marked %s", s.Number, l.Text(invoicing.Labels.Copy))
		}
	}
	// The reverse-charge invoice names both VAT ids and the rule.
	dkInv, _ := e.svc.Get(ctx, e.fin, "2026-000003")
	raw, _ := invoicing.Original(ctx, e.db, dkInv.ID, "pdf")
	if text := pdfText(t, raw); !strings.Contains(text, "DK13585628") || !strings.Contains(text, "art. 138") {
		t.Errorf("the reverse-charge invoice lacks the buyer's VAT id or the rule:\n%s", text)
	}
}
