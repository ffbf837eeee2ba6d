package pdf

import (
	"bytes"
	"reflect"
	"sync"
	"unsafe"

	"github.com/jung-kurt/gofpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// Parsing the two Go fonts is about a third of the work of a one-page
// document: gofpdf reads each font's tables, fills a table of 65,536
// widths and hashes its JSON encoding for an ID. gofpdf has no way to hand a parsed
// font to another document, and its parse cannot be shared as it is: while
// writing a document it cuts the font down to the glyphs used, changing the
// parse (utf8FontFile) and the map of runes used.
//
// gofpdf also writes into the font's bytes: computing a table's checksum it
// appends zero padding to a slice of them (utf8FontFile.generateChecksum).
// The bytes it is given must be the document's own, or documents written
// at once race on them.
//
// So the fonts are parsed once, into a prototype document that is never
// written, and each document gets a copy of the prototype's font
// definitions in which only what gofpdf changes is new: an empty parse
// holding its own copy of the font bytes (gofpdf's writer parses the font
// again from them anyway) and the starting set of runes used. The widths,
// the descriptor and the ID are shared read-only. gofpdf keeps these fields
// unexported, so the copy is made by reflection; gofpdf v1.16.2 is the last
// release of a module marked "no maintenance intended", and when its
// fields are not as expected the fonts are parsed per document as before. The tests check that both
// ways write the same bytes.

// parseFonts adds the Go fonts to f, parsing copies of them.
func parseFonts(f *gofpdf.Fpdf) {
	f.AddUTF8FontFromBytes(family, "", bytes.Clone(goregular.TTF))
	f.AddUTF8FontFromBytes(family, "B", bytes.Clone(gobold.TTF))
}

// addFonts adds the Go fonts to f, from the fonts parsed once when it can.
func addFonts(f *gofpdf.Fpdf) {
	if p := prototype(); p != nil {
		p.copyTo(f)
		return
	}
	parseFonts(f)
}

// fontPrototype is the font definitions of a document with the Go fonts
// parsed, and the types of their fields gofpdf changes while writing.
type fontPrototype struct {
	fonts    reflect.Value // map[string]fontDefType, never changed
	defType  reflect.Type  // fontDefType
	fileType reflect.Type  // utf8FontFile
	readType reflect.Type  // fileReader
}

// prototype parses the fonts once; it is nil when gofpdf's fields are not
// those copyTo knows.
var prototype = sync.OnceValue(func() *fontPrototype {
	f := gofpdf.New("P", "mm", "A4", "")
	parseFonts(f)
	if f.Err() {
		return nil
	}
	fonts, ok := field(reflect.ValueOf(f).Elem(), "fonts", reflect.Map)
	if !ok || fonts.Len() != 2 || fonts.Type().Key().Kind() != reflect.String {
		return nil
	}
	p := &fontPrototype{fonts: fonts, defType: fonts.Type().Elem()}
	def := reflect.New(p.defType).Elem()
	def.Set(fonts.MapIndex(fonts.MapKeys()[0]))
	runes, ok := field(def, "usedRunes", reflect.Map)
	file, ok2 := field(def, "utf8File", reflect.Pointer)
	if !ok || !ok2 || runes.Type() != reflect.TypeFor[map[int]int]() || file.IsNil() {
		return nil
	}
	p.fileType = file.Type().Elem()
	reader, ok := field(file.Elem(), "fileReader", reflect.Pointer)
	if !ok || reader.IsNil() {
		return nil
	}
	p.readType = reader.Type().Elem()
	if array, ok := field(reader.Elem(), "array", reflect.Slice); !ok || array.Type() != reflect.TypeFor[[]byte]() {
		return nil
	}
	return p
})

// copyTo gives f the prototype's fonts, each with its own parse to cut
// down, its own font bytes and its own set of runes used.
func (p *fontPrototype) copyTo(f *gofpdf.Fpdf) {
	fonts, _ := field(reflect.ValueOf(f).Elem(), "fonts", reflect.Map)
	iter := p.fonts.MapRange()
	for iter.Next() {
		def := reflect.New(p.defType).Elem()
		def.Set(iter.Value())

		runes, _ := field(def, "usedRunes", reflect.Map)
		used := make(map[int]int, runes.Len())
		for r, n := range runes.Interface().(map[int]int) {
			used[r] = n
		}
		runes.Set(reflect.ValueOf(used))

		file, _ := field(def, "utf8File", reflect.Pointer)
		reader, _ := field(file.Elem(), "fileReader", reflect.Pointer)
		array, _ := field(reader.Elem(), "array", reflect.Slice)
		newReader := reflect.New(p.readType)
		newArray, _ := field(newReader.Elem(), "array", reflect.Slice)
		newArray.Set(reflect.ValueOf(bytes.Clone(array.Bytes())))
		newFile := reflect.New(p.fileType)
		newFileReader, _ := field(newFile.Elem(), "fileReader", reflect.Pointer)
		newFileReader.Set(newReader)
		file.Set(newFile)

		fonts.SetMapIndex(iter.Key(), def)
	}
}

// field is the field name of the struct v, of kind k, made settable
// although gofpdf does not export it; ok is false when v has no such
// field.
func field(v reflect.Value, name string, k reflect.Kind) (reflect.Value, bool) {
	fv := v.FieldByName(name)
	if !fv.IsValid() || fv.Kind() != k || !fv.CanAddr() {
		return reflect.Value{}, false
	}
	return reflect.NewAt(fv.Type(), unsafe.Pointer(fv.UnsafeAddr())).Elem(), true
}
