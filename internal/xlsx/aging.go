package xlsx

import (
	"io"

	"github.com/xuri/excelize/v2"

	"wholesale/internal/i18n"
	"wholesale/internal/receivables"
)

// WriteAging writes the aging report as .xlsx to w, streamed: one row per
// customer with its open amount per bucket, the open total, its
// unallocated payments and the balance, then the total row. Amounts are
// numbers in euros with the euro format of the localizer's language.
func WriteAging(w io.Writer, l *i18n.Localizer, a *receivables.Aging) error {
	xl := excelize.NewFile()
	defer xl.Close()
	sheet := l.Text(i18n.M("Aging"))
	if err := xl.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	bold, err := xl.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Vertical: "bottom", WrapText: true}})
	if err != nil {
		return err
	}
	money, err := xl.NewStyle(&excelize.Style{CustomNumFmt: euroFormat(l.Lang())})
	if err != nil {
		return err
	}
	boldMoney, err := xl.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, CustomNumFmt: euroFormat(l.Lang())})
	if err != nil {
		return err
	}
	sw, err := xl.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	head := []i18n.Message{i18n.M("Customer")}
	head = append(head, receivables.BucketLabels[:]...)
	head = append(head, i18n.M("Open"), i18n.M("Unallocated payments"), i18n.M("Balance"))
	if err := sw.SetColWidth(1, 1, 32); err != nil {
		return err
	}
	if err := sw.SetColWidth(2, len(head), 15); err != nil {
		return err
	}
	title := []any{excelize.Cell{StyleID: bold, Value: l.Text(i18n.M("Aging of receivables on %s", i18n.D(a.Today)))}}
	if err := sw.SetRow("A1", title); err != nil {
		return err
	}
	cells := make([]any, len(head))
	for i, m := range head {
		cells[i] = excelize.Cell{StyleID: bold, Value: l.Text(m)}
	}
	if err := sw.SetRow("A2", cells, excelize.RowOpts{Height: 30}); err != nil {
		return err
	}
	row := func(n int, name string, r receivables.AgingRow, nameStyle, style int) error {
		c := []any{excelize.Cell{StyleID: nameStyle, Value: name}}
		for _, b := range r.Buckets {
			c = append(c, excelize.Cell{StyleID: style, Value: euros(b)})
		}
		c = append(c, excelize.Cell{StyleID: style, Value: euros(r.OpenCents())}, excelize.Cell{StyleID: style, Value: euros(r.Unallocated)},
			excelize.Cell{StyleID: style, Value: euros(r.BalanceCents())})
		cell, err := excelize.CoordinatesToCellName(1, n)
		if err != nil {
			return err
		}
		return sw.SetRow(cell, c)
	}
	n := 3
	for _, r := range a.Rows {
		if err := row(n, r.CompanyName, r, 0, money); err != nil {
			return err
		}
		n++
	}
	if err := row(n, l.Text(i18n.M("Total")), a.Total, bold, boldMoney); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return xl.Write(w)
}
