// Package pdf writes the documents people download as PDF: the invoice and
// the credit note. It renders what other packages computed and computes
// nothing itself; the PDF library, gofpdf, is used nowhere else.
//
// Text is set in the Go fonts, embedded as UTF-8 TrueType, so that Dutch,
// Danish, German and Cyrillic names and the euro sign print as written
// (gofpdf's core fonts cannot); they are parsed once per process (see
// fonts.go). Every call builds its own gofpdf document and shares only what
// gofpdf reads and never changes, so the writers are safe for concurrent
// use.
package pdf

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jung-kurt/gofpdf"
)

// family is the name of the Go fonts in a document: style "" is Go Regular,
// "B" Go Bold.
const family = "go"

// The page, in millimetres: A4 with 15 mm margins; the body ends above the
// footer.
const (
	pageW      = 210.0
	pageH      = 297.0
	marginX    = 15.0
	marginTop  = 15.0
	contentW   = pageW - 2*marginX
	bodyBottom = 279.0
	footerY    = 284.0
)

// Colours, in RGB.
var (
	black  = [3]int{0, 0, 0}
	grey   = [3]int{100, 100, 100} // labels, the footer
	rule   = [3]int{190, 190, 190} // lines between table rows
	shade  = [3]int{235, 235, 235} // the table header
	copyRd = [3]int{200, 30, 30}   // the copy mark
	pale   = [3]int{246, 226, 226} // the copy mark across the page
)

// newDocument is an empty A4 document in millimetres with the Go fonts
// added by fonts (addFonts), dated created so that the same content gives
// the same bytes: the resource catalogs are written in a fixed order and
// the dates are fixed. Page breaks are the caller's: text never breaks a
// page by itself.
func newDocument(created time.Time, fonts func(*gofpdf.Fpdf)) *gofpdf.Fpdf {
	f := gofpdf.New("P", "mm", "A4", "")
	f.SetMargins(marginX, marginTop, marginX)
	f.SetAutoPageBreak(false, 0)
	f.SetCellMargin(0)
	f.SetCatalogSort(true)
	if created.IsZero() {
		// gofpdf takes the zero time for "now".
		created = time.Unix(0, 0).UTC()
	}
	f.SetCreationDate(created)
	f.SetModificationDate(created)
	fonts(f)
	return f
}

// printable is s as the fonts can print it: gofpdf writes text as UTF-16
// code units of the Basic Multilingual Plane and panics on a rune beyond
// it, so such runes (emoji) become U+FFFD; control characters (a tab or a
// line break pasted into a name) become spaces.
func printable(s string) string {
	ok := true
	for _, r := range s {
		if r > 0xFFFF || unicode.IsControl(r) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r > 0xFFFF:
			b.WriteRune(utf8.RuneError)
		case unicode.IsControl(r):
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// doc is a document being written: gofpdf's, and where the next block
// starts on the current page.
type doc struct {
	f *gofpdf.Fpdf
	y float64
	// The font and text colour set last.
	style string
	size  float64
	rgb   [3]int
}

// font sets the Go font of style "" or "B" in size points.
func (p *doc) font(style string, size float64) {
	p.style, p.size = style, size
	p.f.SetFont(family, style, size)
}

// color sets the text colour.
func (p *doc) color(c [3]int) {
	p.rgb = c
	p.f.SetTextColor(c[0], c[1], c[2])
}

// keep returns a function that sets the font and the text colour back to
// what they are now.
func (p *doc) keep() func() {
	style, size, rgb := p.style, p.size, p.rgb
	return func() {
		if size > 0 {
			p.font(style, size)
		}
		p.color(rgb)
	}
}

// text prints s on one line in a box of width w (0: to the right margin)
// and height h at x, y, aligned "L", "C" or "R".
func (p *doc) text(x, y, w, h float64, align, s string) {
	p.f.SetXY(x, y)
	p.f.CellFormat(w, h, printable(s), "", 0, align+"M", false, 0, "")
}

// width is the width of s in the current font.
func (p *doc) width(s string) float64 { return p.f.GetStringWidth(printable(s)) }

// wrap breaks s into lines of at most width w in the current font, at
// spaces where it can; it returns one line at least.
func (p *doc) wrap(s string, w float64) []string {
	lines := p.f.SplitText(printable(s), w)
	if len(lines) == 0 {
		return []string{""}
	}
	return lines
}

// wrapKeeping is wrap at spaces only, never inside any of keep (an
// amount, a date, an IBAN, a payment reference); a word wider than w stays
// whole.
func (p *doc) wrapKeeping(s string, w float64, keep ...string) []string {
	const glue = "\uE000" // a space inside a kept text while s is split
	for _, k := range keep {
		if k != "" {
			s = strings.ReplaceAll(s, k, strings.ReplaceAll(k, " ", glue))
		}
	}
	var lines []string
	line := ""
	for _, word := range strings.Split(printable(s), " ") {
		word = strings.ReplaceAll(word, glue, " ")
		switch longer := line + " " + word; {
		case line == "":
			line = word
		case p.width(longer) > w:
			lines = append(lines, line)
			line = word
		default:
			line = longer
		}
	}
	return append(lines, line)
}

// hline draws a horizontal rule across the body at y.
func (p *doc) hline(y float64, c [3]int) {
	p.f.SetDrawColor(c[0], c[1], c[2])
	p.f.SetLineWidth(0.2)
	p.f.Line(marginX, y, pageW-marginX, y)
}
