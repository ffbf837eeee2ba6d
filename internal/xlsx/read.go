package xlsx

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"io/fs"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"wholesale/internal/i18n"
)

// The limits of an import file. A file past any of them is refused whole,
// with a message saying which, before anything of it is used.
const (
	// MaxImportBytes is the largest import file: 20 MB.
	MaxImportBytes = 20 << 20
	// MaxRows is the most rows an import reads after its header row.
	MaxRows = 20_000
	// MaxColumns is the widest row an import reads.
	MaxColumns = 256
	// MaxUnzipBytes is the most an .xlsx file may hold unpacked: 64 MB,
	// which MaxRows rows with descriptions of 2,000 characters fit in.
	MaxUnzipBytes = 64 << 20
	// unzipXMLBytes is the size above which a sheet or the shared strings
	// of an .xlsx file are unpacked to a temporary file and read from
	// there as a stream instead of being held in memory.
	unzipXMLBytes = 4 << 20
	// maxCSVLine is the longest line of a CSV file: a row of an import
	// holds at most a few thousand characters.
	maxCSVLine = 64 << 10
)

// Error is what is wrong with an import file as a whole, in words for the
// person who sent it: a message printed in the reader's language.
type Error struct{ Msg i18n.Message }

// Error is the message in English, for logs.
func (e *Error) Error() string { return e.Msg.String() }

// refuse is an *Error with the message m.
func refuse(m i18n.Message) error { return &Error{m} }

// Row is one row of a table: N is its number as the spreadsheet shows it
// (the header is row 1), Cells its cells with spaces trimmed.
type Row struct {
	N     int
	Cells []string
}

// ReadRows reads the rows of an .xlsx file's first sheet, or of a CSV file
// (comma or semicolon separated, UTF-8), judged by content, as a stream: fn
// gets each row in turn, blank rows included, and an error it returns stops
// the reading and is returned. A file past a limit (MaxImportBytes, MaxRows
// after the header, MaxColumns, MaxUnzipBytes and the shapes checked by
// checkZip) or unreadable gives an *Error; any other error is the machine's.
func ReadRows(content []byte, fn func(Row) error) error {
	if len(content) > MaxImportBytes {
		return refuse(i18n.M("The file is larger than %d MB: split it into smaller files.", MaxImportBytes>>20))
	}
	if bytes.HasPrefix(content, []byte("PK\x03\x04")) {
		return readXLSX(content, fn)
	}
	return readCSV(content, fn)
}

// tooManyRows is the message for a file past MaxRows.
func tooManyRows() error {
	return refuse(i18n.M("The file has more than %s rows after the header: split it into files of at most %s rows.", i18n.Num(MaxRows), i18n.Num(MaxRows)))
}

func tooWide(n int) error {
	return refuse(i18n.M("Row %d has more than %d columns: keep only the columns of the import.", n, MaxColumns))
}

func readXLSX(content []byte, fn func(Row) error) (err error) {
	if err := checkZip(content); err != nil {
		return err
	}
	// excelize is a large parser of hostile input and the server has no
	// recover: a panic of it refuses the file instead of ending the process.
	// A panic of fn is not excelize's and goes on.
	inFn := false
	defer func() {
		if r := recover(); r != nil {
			if inFn {
				panic(r)
			}
			err = refuse(i18n.M("This is not a readable .xlsx file. Save it again from your spreadsheet program, or as CSV."))
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(content), excelize.Options{UnzipSizeLimit: MaxUnzipBytes, UnzipXMLSizeLimit: unzipXMLBytes})
	if err != nil {
		return unreadable(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return refuse(i18n.M("The workbook has no sheets."))
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return unreadable(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
		if n > MaxRows+1 {
			return tooManyRows()
		}
		cells, err := rows.Columns()
		if err != nil {
			return unreadable(err)
		}
		if len(cells) > MaxColumns {
			return tooWide(n)
		}
		inFn = true
		err = fn(Row{N: n, Cells: trim(cells)})
		inFn = false
		if err != nil {
			return err
		}
	}
	if err := rows.Error(); err != nil {
		return unreadable(err)
	}
	return nil
}

// unreadable turns an error of excelize into an *Error, unless it is the
// machine's (a temporary file that could not be written).
func unreadable(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return err
	}
	return refuse(i18n.M("This is not a readable .xlsx file (%s). Save it again from your spreadsheet program, or as CSV.", short(err.Error(), 120)))
}

func readCSV(content []byte, fn func(Row) error) error {
	if !utf8.Valid(content) {
		return refuse(i18n.M("The file is neither .xlsx nor CSV in UTF-8: save it as .xlsx, or as CSV UTF-8."))
	}
	content = bytes.TrimPrefix(content, []byte("\xef\xbb\xbf"))
	r := csv.NewReader(&lineLimit{r: bytes.NewReader(content), max: maxCSVLine})
	r.Comma = ','
	if first, _, _ := bytes.Cut(content, []byte("\n")); bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		r.Comma = ';'
	}
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	for n := 1; ; n++ {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if errors.Is(err, errLineTooLong) {
			return refuse(i18n.M("Line %d or the one after it is longer than %d KB: a CSV row of an import is a few thousand characters at most.", n, maxCSVLine>>10))
		}
		if err != nil {
			return refuse(i18n.M("This is not a readable CSV file (%s).", short(err.Error(), 120)))
		}
		if n > MaxRows+1 {
			return tooManyRows()
		}
		if len(rec) > MaxColumns {
			return tooWide(n)
		}
		if err := fn(Row{N: n, Cells: trim(rec)}); err != nil {
			return err
		}
	}
}

var errLineTooLong = errors.New("xlsx: CSV line too long")

// lineLimit passes r through but fails once a line grows past max bytes,
// so that no single record (and its slice of fields) can take the file.
type lineLimit struct {
	r    io.Reader
	max  int
	line int
}

func (l *lineLimit) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for _, b := range p[:n] {
		if b == '\n' {
			l.line = 0
		} else if l.line++; l.line > l.max {
			return 0, errLineTooLong
		}
	}
	return n, err
}

// trim returns the cells with spaces trimmed, in a new slice (the reader
// may reuse its own), without the empty cells at the end.
func trim(cells []string) []string {
	end := len(cells)
	for end > 0 && strings.TrimSpace(cells[end-1]) == "" {
		end--
	}
	out := make([]string, end)
	for i := range out {
		out[i] = strings.TrimSpace(cells[i])
	}
	return out
}

// short cuts s to at most n characters, marking the cut.
func short(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}
