package xlsx

import (
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/xuri/excelize/v2"

	"wholesale/internal/i18n"
	"wholesale/internal/invoicing"
)

// listRates are the VAT rates the invoice list has a base and a VAT column
// for, always, in this order (the rates invoice lines can have).
var listRates = [...]int{21, 9, 0}

// InvoiceList writes the bookkeeper's export of a period: a sheet of
// invoices and credit notes, one row per document with its totals per VAT
// rate, and optionally a sheet of their lines. Rows are streamed as they
// are added, so a caller feeds them from a database cursor; excelize keeps
// its stream buffer (past 16 MB a temporary file) and nothing else. The
// texts are in the localizer's language. An InvoiceList is not safe for
// concurrent use.
type InvoiceList struct {
	l     *i18n.Localizer
	dest  io.Writer
	xl    *excelize.File
	inv   rowWriter
	lines *rowWriter // nil until the first AddLine
	bold  int
	money int
	date  int
	count int
	rate  int
	cells []any // reused for each row
	err   error
	texts map[string]string
}

// NewInvoiceList starts an invoice list that Close writes to w, with the
// header row of its invoices sheet.
func NewInvoiceList(w io.Writer, l *i18n.Localizer) (*InvoiceList, error) {
	lb := invoicing.Labels
	il := &InvoiceList{l: l, dest: w, xl: excelize.NewFile(), texts: map[string]string{}}
	sheet := l.Text(i18n.M("Invoices"))
	if err := il.xl.SetSheetName("Sheet1", sheet); err != nil {
		il.xl.Close()
		return nil, err
	}
	if err := il.styles(); err != nil {
		il.xl.Close()
		return nil, err
	}
	head := []i18n.Message{lb.Number, i18n.M("Kind"), i18n.M("State"), i18n.M("Customer"), lb.VATID,
		lb.IssueDate, lb.DueDate, i18n.M("VAT treatment")}
	for _, rate := range listRates {
		head = append(head, with(lb.BaseAt, rate), i18n.M("VAT %d%%", rate))
	}
	head = append(head, lb.TotalExcl, lb.VAT, lb.TotalIncl, i18n.M("Paid"), lb.CreditsInvoice)
	const firstAmount = 9 // the base at 21%
	widths := map[int]float64{1: 14, 2: 12, 3: 12, 4: 32, 5: 18, 6: 13, 7: 13, 8: 20}
	styles := map[int]int{6: il.date, 7: il.date}
	for c := firstAmount; c < len(head); c++ {
		widths[c], styles[c] = 15, il.money
	}
	widths[len(head)] = 14
	sw, err := il.sheet(sheet, head, widths, styles)
	if err != nil {
		il.xl.Close()
		return nil, err
	}
	il.inv = rowWriter{sw: sw, n: 1}
	return il, nil
}

func (il *InvoiceList) styles() error {
	lang := il.l.Lang()
	for _, d := range []struct {
		id    *int
		style excelize.Style
	}{
		{&il.bold, excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Vertical: "bottom", WrapText: true}}},
		{&il.money, excelize.Style{CustomNumFmt: euroFormat(lang)}},
		{&il.date, excelize.Style{CustomNumFmt: dateFormat(lang)}},
		{&il.count, excelize.Style{CustomNumFmt: ptr(countFmt)}},
		{&il.rate, excelize.Style{CustomNumFmt: ptr(percentFmt)}},
	} {
		id, err := il.xl.NewStyle(&d.style)
		if err != nil {
			return err
		}
		*d.id = id
	}
	return nil
}

// sheet starts the stream of a sheet with its column widths and styles
// and a bold header row that stays in view.
func (il *InvoiceList) sheet(name string, head []i18n.Message, widths map[int]float64, styles map[int]int) (*excelize.StreamWriter, error) {
	sw, err := il.xl.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	for col := 1; col <= len(head); col++ {
		if w, ok := widths[col]; ok {
			if err := sw.SetColWidth(col, col, w); err != nil {
				return nil, err
			}
		}
		if s, ok := styles[col]; ok {
			if err := sw.SetColStyle(col, col, s); err != nil {
				return nil, err
			}
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	cells := make([]any, len(head))
	for i, m := range head {
		cells[i] = excelize.Cell{StyleID: il.bold, Value: il.l.Text(m)}
	}
	return sw, sw.SetRow("A1", cells, excelize.RowOpts{Height: 30})
}

// text is the text of m, looked up once per list.
func (il *InvoiceList) text(m i18n.Message) string {
	s, ok := il.texts[m.ID]
	if !ok {
		s = il.l.Text(m)
		il.texts[m.ID] = s
	}
	return s
}

// Add writes s as the next row of the invoices sheet. A VAT rate without
// a column (not one of listRates) is an error, as its amounts would be missing
// from the columns.
func (il *InvoiceList) Add(s *invoicing.Summary) error {
	if il.err != nil {
		return il.err
	}
	for _, rt := range s.PerRate {
		if !slices.Contains(listRates[:], rt.Rate) {
			il.err = fmt.Errorf("xlsx: %s %s has VAT rate %d, which the invoice list has no column for", s.Kind, s.Number, rt.Rate)
			return il.err
		}
	}
	c := il.cells[:0]
	c = append(c, s.Number, il.text(kindText(s.Kind)), il.text(stateText(s.State)), s.CompanyName, s.CompanyVATID,
		optDay(s.IssueDate), optDay(s.DueDate), il.text(vatModeText(s.VATMode)))
	for _, rate := range listRates {
		var base, vat int64
		for _, rt := range s.PerRate {
			if rt.Rate == rate {
				base, vat = base+rt.BaseCents, vat+rt.VATCents
			}
		}
		c = append(c, euros(base), euros(vat))
	}
	c = append(c, euros(s.ExclCents), euros(s.VATCents), euros(s.InclCents), euros(s.PaidCents), s.Credits)
	il.cells = c
	il.inv.add(c...)
	il.err = il.inv.err
	return il.err
}

// AddLine writes r as the next row of the lines sheet, which the first
// AddLine starts.
func (il *InvoiceList) AddLine(r *invoicing.LineRow) error {
	if il.err != nil {
		return il.err
	}
	if il.lines == nil {
		if il.err = il.startLines(); il.err != nil {
			return il.err
		}
	}
	desc := r.Description
	if r.Shipping {
		desc = il.l.Text(with(invoicing.Labels.Shipping, r.OrderID))
	}
	var issued any
	if !r.IssueDate.IsZero() {
		issued = day(r.IssueDate)
	}
	c := append(il.cells[:0], r.Number, issued, r.CompanyName, r.No, r.OrderID, r.POReference, r.SKU, desc,
		r.Quantity, euros(r.UnitPriceCents), r.VATRate, euros(r.AmountCents))
	il.cells = c
	il.lines.add(c...)
	il.err = il.lines.err
	return il.err
}

func (il *InvoiceList) startLines() error {
	lb := invoicing.Labels
	name := il.l.Text(i18n.M("Lines"))
	if _, err := il.xl.NewSheet(name); err != nil {
		return err
	}
	head := []i18n.Message{i18n.M("Invoice"), lb.IssueDate, i18n.M("Customer"), lb.LineNo, lb.Order, lb.POReference,
		lb.SKU, lb.Description, lb.Quantity, lb.UnitPrice, lb.VATRate, lb.Amount}
	widths := map[int]float64{1: 14, 2: 13, 3: 32, 4: 6, 5: 10, 6: 18, 7: 16, 8: 40, 9: 10, 10: 15, 11: 10, 12: 15}
	styles := map[int]int{2: il.date, 9: il.count, 10: il.money, 11: il.rate, 12: il.money}
	sw, err := il.sheet(name, head, widths, styles)
	if err != nil {
		return err
	}
	il.lines = &rowWriter{sw: sw, n: 1}
	return nil
}

// Close finishes the sheets and writes the workbook to the writer given
// to NewInvoiceList. Close must be called, after an error too: it removes
// excelize's temporary files.
func (il *InvoiceList) Close() error {
	defer il.xl.Close()
	if il.err != nil {
		return il.err
	}
	if err := il.inv.sw.Flush(); err != nil {
		return err
	}
	if il.lines != nil {
		if err := il.lines.sw.Flush(); err != nil {
			return err
		}
	}
	il.err = fmt.Errorf("xlsx: the invoice list is closed")
	return il.xl.Write(il.dest)
}

// optDay is the day of t as a cell, or no cell for no date.
func optDay(t *time.Time) any {
	if t == nil || t.IsZero() {
		return nil
	}
	return day(*t)
}

func kindText(kind string) i18n.Message {
	switch kind {
	case invoicing.KindInvoice:
		return i18n.M("Invoice")
	case invoicing.KindCreditNote:
		return i18n.M("Credit note")
	}
	return i18n.Raw(kind)
}

func stateText(state string) i18n.Message {
	switch state {
	case "draft":
		return i18n.M("draft")
	case "issued":
		return i18n.M("issued")
	}
	return i18n.Raw(state)
}

func vatModeText(mode string) i18n.Message {
	switch mode {
	case invoicing.VATDomestic:
		return i18n.M("Dutch VAT")
	case invoicing.VATReverseCharge:
		return i18n.M("VAT reverse-charged")
	case invoicing.VATExport:
		return i18n.M("Export outside the EU")
	}
	return i18n.Raw(mode)
}
