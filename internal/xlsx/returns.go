package xlsx

import (
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"wholesale/internal/i18n"
)

// ReturnRow is one return as the list of returns exports it: what the
// returns area read and named, nothing computed here but the age. (xlsx
// cannot import internal/returns, which imports the catalogue, which
// reads spreadsheets with this package: web fills the rows.)
type ReturnRow struct {
	ID int64
	// RA is the RA number, "" before one is issued.
	RA       string
	Customer string
	OrderID  int64
	PO       string
	SKU      string
	Product  string
	Quantity int
	// Status is the state as the list shows it ("RA expired…").
	Status     i18n.Message
	Created    time.Time
	Updated    time.Time
	WindowEnds time.Time
	ArriveBy   *time.Time
	// Settlement names how the return was settled; zero while open.
	Settlement i18n.Message
	CreditNote string
}

// AgeDays is how many calendar days lie between t (in Amsterdam) and
// today: the age the list shows.
func AgeDays(t, today time.Time) int {
	d := day(t)
	td := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	return max(int(td.Sub(d).Hours()/24), 0)
}

// WriteReturns writes the list of returns as .xlsx to w, streamed: a title
// with today's date, a bold header row, then one row per return with its
// RA number, customer, order, product, quantity, state, age in days, the
// date its parcel must arrive by, its DOA window and its settlement. Dates
// have the date format of the localizer's language.
func WriteReturns(w io.Writer, l *i18n.Localizer, rows []ReturnRow, today time.Time) error {
	xl := excelize.NewFile()
	defer xl.Close()
	sheet := l.Text(i18n.M("Returns"))
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
	count, err := xl.NewStyle(&excelize.Style{CustomNumFmt: ptr(countFmt)})
	if err != nil {
		return err
	}
	sw, err := xl.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	head := []i18n.Message{i18n.M("Return"), i18n.M("RA number"), i18n.M("Customer"), i18n.M("Order"), i18n.M("PO reference"),
		i18n.M("SKU"), i18n.M("Product"), i18n.M("Quantity"), i18n.M("State"), i18n.M("Requested"), i18n.M("Age (days)"),
		i18n.M("Last change"), i18n.M("Must arrive by"), i18n.M("End of the DOA window"), i18n.M("Settlement"), i18n.M("Credit note")}
	for col, width := range map[int]float64{1: 9, 2: 17, 3: 30, 4: 9, 5: 16, 6: 12, 7: 28, 8: 9, 9: 30, 10: 12, 11: 9, 12: 12, 13: 13, 14: 13, 15: 24, 16: 13} {
		if err := sw.SetColWidth(col, col, width); err != nil {
			return err
		}
	}
	r := rowWriter{sw: sw}
	r.add(excelize.Cell{StyleID: bold, Value: l.Text(i18n.M("Returns on %s", i18n.D(today)))})
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
	for _, x := range rows {
		var ra, cn any
		if x.RA != "" {
			ra = x.RA
		}
		if x.CreditNote != "" {
			cn = x.CreditNote
		}
		created, updated, window := x.Created, x.Updated, x.WindowEnds
		r.add(x.ID, ra, x.Customer, x.OrderID, x.PO, x.SKU, x.Product, excelize.Cell{StyleID: count, Value: x.Quantity}, text(x.Status),
			dateCell(&created), AgeDays(x.Created, today), dateCell(&updated), dateCell(x.ArriveBy), dateCell(&window), text(x.Settlement), cn)
	}
	if r.err != nil {
		return r.err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return xl.Write(w)
}
