package pdf

import (
	"bytes"

	"github.com/jung-kurt/gofpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// gofpdf writes into a font's bytes: computing a table's checksum it
// appends zero padding to a slice of them (utf8FontFile.generateChecksum).
// The bytes it is given must be the document's own, or documents written
// at once race on them.

// addFonts adds the Go fonts to f, parsing copies of them.
func addFonts(f *gofpdf.Fpdf) {
	f.AddUTF8FontFromBytes(family, "", bytes.Clone(goregular.TTF))
	f.AddUTF8FontFromBytes(family, "B", bytes.Clone(gobold.TTF))
}
