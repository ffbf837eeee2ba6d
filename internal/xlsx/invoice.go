package xlsx

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"wholesale/internal/i18n"
	"wholesale/internal/invoicing"
)

// The columns of an invoice's lines; the header block above them uses B
// and E for labels, C and F for values.
const (
	colNo = iota + 1
	colSKU
	colDescription
	colQuantity
	colUnitPrice
	colRate
	colAmount
)

var invoiceWidths = [...]float64{colNo: 6, colSKU: 22, colDescription: 42, colQuantity: 10, colUnitPrice: 20, colRate: 12, colAmount: 16}

// invoiceStyles are the cell styles of one invoice workbook.
type invoiceStyles struct {
	title, copy, bold, label, value, number, date, note, wrap       int
	head, headRight, qty, money, rate, totalLabel, total, totalBold int
}

func newInvoiceStyles(xl *excelize.File, lang i18n.Lang) (invoiceStyles, error) {
	var s invoiceStyles
	left := &excelize.Alignment{Horizontal: "left", Vertical: "top"}
	top := &excelize.Alignment{Vertical: "top"}
	bottom := []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}}
	topLine := []excelize.Border{{Type: "top", Color: "000000", Style: 1}}
	for _, d := range []struct {
		id    *int
		style excelize.Style
	}{
		{&s.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 16}}},
		{&s.copy, excelize.Style{Font: &excelize.Font{Bold: true, Size: 16, Color: "C00000"}, Alignment: &excelize.Alignment{Horizontal: "right"}}},
		{&s.bold, excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: left}},
		{&s.label, excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: left}},
		{&s.value, excelize.Style{Alignment: left}},
		{&s.number, excelize.Style{NumFmt: 1, Alignment: left}},
		{&s.date, excelize.Style{CustomNumFmt: dateFormat(lang), Alignment: left}},
		{&s.note, excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "top", WrapText: true}}},
		{&s.wrap, excelize.Style{Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "top", WrapText: true}}},
		{&s.head, excelize.Style{Font: &excelize.Font{Bold: true}, Border: bottom, Alignment: &excelize.Alignment{Vertical: "bottom", WrapText: true}}},
		{&s.headRight, excelize.Style{Font: &excelize.Font{Bold: true}, Border: bottom, Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "bottom", WrapText: true}}},
		{&s.qty, excelize.Style{CustomNumFmt: ptr(countFmt), Alignment: top}},
		{&s.money, excelize.Style{CustomNumFmt: euroFormat(lang), Alignment: top}},
		{&s.rate, excelize.Style{CustomNumFmt: ptr(percentFmt), Alignment: top}},
		{&s.totalLabel, excelize.Style{Alignment: &excelize.Alignment{Horizontal: "right"}}},
		{&s.total, excelize.Style{CustomNumFmt: euroFormat(lang)}},
		{&s.totalBold, excelize.Style{CustomNumFmt: euroFormat(lang), Font: &excelize.Font{Bold: true}, Border: topLine}},
	} {
		id, err := xl.NewStyle(&d.style)
		if err != nil {
			return s, err
		}
		*d.id = id
	}
	return s, nil
}

// WriteInvoice writes the invoice or credit note d as an .xlsx workbook
// of one sheet in d.Language: the parties and the invoice's details, its
// lines and its totals, every figure as d holds it. Amounts are numbers
// in euros with a euro format, dates are dates; the totals that are sums
// of the sheet's cells are formulas that carry d's figure as their value,
// and only where the sum equals d's figure. The same d gives the same
// bytes. WriteInvoice is safe for concurrent use.
func WriteInvoice(w io.Writer, d *invoicing.Document) error {
	l := i18n.For(d.Language)
	xl := excelize.NewFile()
	defer xl.Close()
	sheet := l.Text(d.Title())
	if err := xl.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	props := &excelize.DocProperties{Title: l.Text(d.Title()) + " " + d.Number, Creator: d.Seller.Name, Language: d.Language.Tag()}
	if !d.IssueDate.IsZero() {
		// The invoice date, not the time of writing: the same bytes again.
		props.Created = d.IssueDate.UTC().Format(time.RFC3339)
		props.Modified = props.Created
	}
	if err := xl.SetDocProps(props); err != nil {
		return err
	}
	if err := xl.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: ptr(9), Orientation: ptr("portrait"), FitToWidth: ptr(1), FitToHeight: ptr(0)}); err != nil {
		return err
	}
	if err := xl.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: ptr(true)}); err != nil {
		return err
	}
	st, err := newInvoiceStyles(xl, l.Lang())
	if err != nil {
		return err
	}
	sw, err := xl.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for col := colNo; col <= colAmount; col++ {
		if err := sw.SetColWidth(col, col, invoiceWidths[col]); err != nil {
			return err
		}
	}
	iw := &invoiceWriter{d: d, l: l, st: st, sw: sw, r: rowWriter{sw: sw}}
	iw.header()
	iw.details()
	first, last := iw.lines()
	iw.totals(first, last)
	if iw.r.err != nil {
		return iw.r.err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return xl.Write(w)
}

// invoiceWriter writes the parts of one invoice's sheet, top to bottom.
type invoiceWriter struct {
	d  *invoicing.Document
	l  *i18n.Localizer
	st invoiceStyles
	sw *excelize.StreamWriter
	r  rowWriter
}

func (iw *invoiceWriter) text(m i18n.Message) string { return iw.l.Text(m) }

func (iw *invoiceWriter) cell(style int, v any) excelize.Cell {
	return excelize.Cell{StyleID: style, Value: v}
}

// header writes the title with the number, COPY when d is a copy, and the
// seller and the buyer side by side.
func (iw *invoiceWriter) header() {
	d, lb, st := iw.d, invoicing.Labels, iw.st
	title := []any{iw.cell(st.title, iw.text(d.Title())+" "+d.Number)}
	if d.Copy {
		title = append(title, nil, nil, nil, nil, nil, iw.cell(st.copy, iw.text(lb.Copy)))
	}
	iw.r.addOpts(&excelize.RowOpts{Height: 24}, title...)
	iw.r.skip()

	type field struct {
		label i18n.Message
		value any
	}
	party := func(who i18n.Message, p invoicing.Party) []field {
		fs := []field{{who, p.Name}, {value: p.Street}, {value: strings.TrimSpace(p.Postcode + " " + p.City)}, {value: p.Country}}
		if p.CustomerNumber != 0 {
			fs = append(fs, field{lb.CustomerNumber, p.CustomerNumber})
		}
		fs = append(fs, field{lb.VATID, p.VATID}, field{lb.KvK, p.KvK}, field{lb.IBAN, p.IBAN}, field{lb.BIC, p.BIC})
		out := fs[:0]
		for _, f := range fs {
			if s, ok := f.value.(string); !ok || s != "" {
				out = append(out, f)
			}
		}
		return out
	}
	seller, buyer := party(lb.Seller, d.Seller), party(lb.Buyer, d.Buyer)
	put := func(row []any, col int, f field, first bool) {
		if !f.label.IsZero() {
			row[col-1] = iw.cell(st.label, iw.text(f.label))
		}
		style := st.value
		switch {
		case first:
			style = st.bold
		case f.label.ID == lb.CustomerNumber.ID:
			style = st.number
		}
		row[col] = iw.cell(style, f.value)
	}
	for i := range max(len(seller), len(buyer)) {
		row := make([]any, colRate)
		if i < len(seller) {
			put(row, colSKU, seller[i], i == 0)
		}
		if i < len(buyer) {
			put(row, colUnitPrice, buyer[i], i == 0)
		}
		iw.r.add(row...)
	}
	iw.r.skip()
}

// details writes the number, the dates, the payment reference, the orders,
// for a credit note the corrected invoice and the reason, and the VAT note.
func (iw *invoiceWriter) details() {
	d, lb, st := iw.d, invoicing.Labels, iw.st
	pair := func(label i18n.Message, value excelize.Cell) {
		iw.r.add(nil, iw.cell(st.label, iw.text(label)), value)
	}
	pair(lb.Number, iw.cell(st.value, d.Number))
	for _, f := range []struct {
		label i18n.Message
		t     time.Time
	}{{d.DateLabel(), d.IssueDate}, {lb.SupplyDate, d.SupplyDate}, {lb.DueDate, d.DueDate}} {
		if !f.t.IsZero() {
			pair(f.label, iw.cell(st.date, day(f.t)))
		}
	}
	if d.PaymentReference != "" {
		pair(lb.PaymentReference, iw.cell(st.value, d.PaymentReference))
	}
	for i, o := range d.Orders {
		row := []any{nil, nil, iw.cell(st.number, o.OrderID)}
		if i == 0 {
			row[1] = iw.cell(st.label, iw.text(lb.Orders))
		}
		if o.POReference != "" {
			row = append(row, nil, iw.cell(st.label, iw.text(lb.POReference)), iw.cell(st.value, o.POReference))
		}
		iw.r.add(row...)
	}
	if d.Credits != "" {
		row := []any{nil, iw.cell(st.label, iw.text(lb.CreditsInvoice)), iw.cell(st.value, d.Credits)}
		if !d.CreditsDate.IsZero() {
			row = append(row, nil, iw.cell(st.label, iw.text(lb.IssueDate)), iw.cell(st.date, day(d.CreditsDate)))
		}
		iw.r.add(row...)
	}
	if d.Reason != "" {
		iw.wide(iw.cell(st.label, iw.text(lb.Reason)), iw.cell(st.wrap, d.Reason))
	}
	if note := d.VATNote(); !note.IsZero() {
		iw.wide(nil, iw.cell(st.note, iw.text(note)))
	}
	iw.r.skip()
}

// wide writes label in B and text in C, merged over C:G and wrapped, in a
// row high enough for its lines.
func (iw *invoiceWriter) wide(label any, text excelize.Cell) {
	s, _ := text.Value.(string)
	chars := invoiceWidths[colDescription] + invoiceWidths[colQuantity] + invoiceWidths[colUnitPrice] + invoiceWidths[colRate] + invoiceWidths[colAmount]
	lines := 0
	for _, part := range strings.Split(s, "\n") {
		lines += 1 + int(float64(utf8.RuneCountInString(part))/(chars*0.95))
	}
	row := iw.r.addOpts(&excelize.RowOpts{Height: 15 * float64(min(lines, 27))}, nil, label, text)
	if iw.r.err == nil {
		iw.r.err = iw.sw.MergeCell(cellName(colDescription, row), cellName(colAmount, row))
	}
}

// lines writes the table of lines and returns the rows of its first and
// last line (first > last when there are none).
func (iw *invoiceWriter) lines() (first, last int) {
	lb, st := invoicing.Labels, iw.st
	head := make([]any, 0, colAmount)
	for i, m := range []i18n.Message{lb.LineNo, lb.SKU, lb.Description, lb.Quantity, lb.UnitPrice, lb.VATRate, lb.Amount} {
		style := st.headRight
		if col := i + 1; col == colSKU || col == colDescription {
			style = st.head
		}
		head = append(head, iw.cell(style, iw.text(m)))
	}
	iw.r.addOpts(&excelize.RowOpts{Height: 30}, head...)
	first = iw.r.n + 1
	for _, ln := range iw.d.Lines {
		desc := ln.Description
		if ln.Shipping {
			desc = iw.text(with(lb.Shipping, ln.OrderID))
		}
		iw.r.add(
			iw.cell(st.qty, ln.No),
			iw.cell(st.wrap, ln.SKU),
			iw.cell(st.wrap, desc),
			iw.cell(st.qty, ln.Quantity),
			iw.cell(st.money, euros(ln.UnitPriceCents)),
			iw.cell(st.rate, ln.VATRate),
			iw.cell(st.money, euros(ln.AmountCents)),
		)
	}
	return first, iw.r.n
}

// totals writes the base and the VAT of each rate, the totals, what was
// paid in advance and what is left to pay, and how to pay it.
func (iw *invoiceWriter) totals(first, last int) {
	d, lb, st := iw.d, invoicing.Labels, iw.st
	iw.r.skip()
	amounts := fmt.Sprintf("%s%d:%s%d", colLetter(colAmount), first, colLetter(colAmount), last)
	rates := fmt.Sprintf("%s%d:%s%d", colLetter(colRate), first, colLetter(colRate), last)
	sumLines := func(rate int, all bool) int64 {
		var sum int64
		for _, ln := range d.Lines {
			if all || ln.VATRate == rate {
				sum += ln.AmountCents
			}
		}
		return sum
	}
	total := func(label i18n.Message, cents int64, formula string, style int) int {
		row := iw.r.add(nil, nil, iw.cell(st.totalLabel, iw.text(label)), nil, nil, nil,
			excelize.Cell{StyleID: style, Value: euros(cents), Formula: formula})
		if iw.r.err == nil {
			iw.r.err = iw.sw.MergeCell(cellName(colDescription, row), cellName(colRate, row))
		}
		return row
	}
	hasLines := first <= last
	var vatRows []string
	var vatSum int64
	for _, rt := range d.Rates {
		formula := ""
		if hasLines && sumLines(rt.Rate, false) == rt.BaseCents {
			formula = fmt.Sprintf("SUMIF(%s,%d,%s)", rates, rt.Rate, amounts)
		}
		total(with(lb.BaseAt, rt.Rate), rt.BaseCents, formula, st.total)
		row := total(with(lb.VATAt, rt.Rate, i18n.Amount(rt.BaseCents)), rt.VATCents, "", st.total)
		vatRows = append(vatRows, cellName(colAmount, row))
		vatSum += rt.VATCents
	}
	formula := ""
	if hasLines && sumLines(0, true) == d.TotalExclCents {
		formula = "SUM(" + amounts + ")"
	}
	excl := total(lb.TotalExcl, d.TotalExclCents, formula, st.totalBold)
	formula = ""
	if len(vatRows) > 0 && vatSum == d.VATCents {
		formula = "SUM(" + strings.Join(vatRows, ",") + ")"
	}
	vat := total(lb.VAT, d.VATCents, formula, st.total)
	formula = ""
	if d.TotalExclCents+d.VATCents == d.TotalInclCents {
		formula = cellName(colAmount, excl) + "+" + cellName(colAmount, vat)
	}
	incl := total(lb.TotalIncl, d.TotalInclCents, formula, st.totalBold)
	toPay := d.TotalInclCents
	if d.PrepaidCents > 0 {
		prepaid := total(lb.Prepaid, d.PrepaidCents, "", st.total)
		toPay -= d.PrepaidCents
		total(lb.ToPay, toPay, cellName(colAmount, incl)+"-"+cellName(colAmount, prepaid), st.totalBold)
	}
	if d.Kind == invoicing.KindInvoice && toPay > 0 && d.Seller.IBAN != "" && !d.DueDate.IsZero() {
		iw.r.skip()
		payBy := with(lb.PayBy, i18n.Amount(toPay), i18n.D(d.DueDate), d.Seller.IBAN, d.PaymentReference)
		iw.wide(nil, iw.cell(st.wrap, iw.text(payBy)))
	}
}

// colLetter is the letter of column col: "G".
func colLetter(col int) string {
	name, err := excelize.ColumnNumberToName(col)
	if err != nil {
		panic(err)
	}
	return name
}
