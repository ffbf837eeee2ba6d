package xlsx

import (
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"wholesale/internal/i18n"
)

// ComplaintRow is one complaint as the complaints log exports it: what
// the complaints area read and named (web fills the rows, as for
// ReturnRow).
type ComplaintRow struct {
	ID int64
	// Reference is the complaint's reference: its order number when it concerns one.
	Reference i18n.Message
	Customer  string
	// Channel names how the complaint came in ("by phone").
	Channel  i18n.Message
	Received time.Time
	State    i18n.Message
	// Next is what the complaint waits for of ours, by DueBy; zero when nothing.
	Next  i18n.Message
	DueBy *time.Time
	// Overdue tells that DueBy passed.
	Overdue      bool
	Handler      string
	Investigator string
	Outcome      i18n.Message
	Resolved     *time.Time
	Escalated    *time.Time
	BoardAnswer  *time.Time
}

// WriteComplaints writes the complaints log as .xlsx to w, streamed: a
// title with today's date, a bold header row, then one row per complaint
// with its reference, customer, channel, date of receipt, state, what we
// owe next and by when (with "overdue" when it passed), handler,
// investigator, outcome and the dates of the answer, the escalation and
// the board's answer. Dates have the date format of the localizer's language.
func WriteComplaints(w io.Writer, l *i18n.Localizer, rows []ComplaintRow, today time.Time) error {
	xl := excelize.NewFile()
	defer xl.Close()
	sheet := l.Text(i18n.M("Complaints log"))
	if err := xl.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	bold, err := xl.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Vertical: "bottom", WrapText: true}})
	if err != nil {
		return err
	}
	date, err := xl.NewStyle(&excelize.Style{CustomNumFmt: dateFormat(l.Lang())})
	if err != nil {
		return err
	}
	sw, err := xl.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	head := []i18n.Message{i18n.M("Complaint"), i18n.M("Reference"), i18n.M("Customer"), i18n.M("Came in by"), i18n.M("Received on"),
		i18n.M("State"), i18n.M("Next from us"), i18n.M("Due by"), i18n.M("Too late"), i18n.M("Handled by"), i18n.M("Investigated by"),
		i18n.M("Outcome"), i18n.M("Answered on"), i18n.M("Escalated on"), i18n.M("Board answered on")}
	for col, width := range map[int]float64{1: 10, 2: 16, 3: 30, 4: 10, 5: 12, 6: 26, 7: 30, 8: 12, 9: 10, 10: 22, 11: 22, 12: 24, 13: 12, 14: 12, 15: 12} {
		if err := sw.SetColWidth(col, col, width); err != nil {
			return err
		}
	}
	r := rowWriter{sw: sw}
	r.add(excelize.Cell{StyleID: bold, Value: l.Text(i18n.M("Complaints log on %s", i18n.D(today)))})
	cells := make([]any, len(head))
	for i, m := range head {
		cells[i] = excelize.Cell{StyleID: bold, Value: l.Text(m)}
	}
	r.addOpts(&excelize.RowOpts{Height: 30}, cells...)
	dateCell := func(t *time.Time) any {
		if t == nil || t.IsZero() {
			return nil
		}
		return excelize.Cell{StyleID: date, Value: day(*t)}
	}
	text := func(m i18n.Message) any {
		if m.IsZero() {
			return nil
		}
		return l.Text(m)
	}
	str := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	for _, x := range rows {
		var overdue any
		if x.Overdue {
			overdue = l.Text(i18n.M("too late"))
		}
		received := x.Received
		r.add(x.ID, text(x.Reference), x.Customer, text(x.Channel), dateCell(&received), text(x.State), text(x.Next), dateCell(x.DueBy), overdue,
			str(x.Handler), str(x.Investigator), text(x.Outcome), dateCell(x.Resolved), dateCell(x.Escalated), dateCell(x.BoardAnswer))
	}
	if r.err != nil {
		return r.err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return xl.Write(w)
}
