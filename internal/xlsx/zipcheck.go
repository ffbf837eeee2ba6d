package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"io"
	"path"
	"strings"

	"wholesale/internal/i18n"
)

// The shapes of an .xlsx file that checkZip bounds, so that excelize,
// which holds some parts in memory and parses them whole, never needs
// more than some tens of MB for a file within them.
const (
	// maxZipEntries bounds the parts of a workbook (a plain one has about 10).
	maxZipEntries = 1000
	// maxInMemoryBytes bounds what excelize keeps in memory unpacked: every
	// part but the sheets and shared strings larger than unzipXMLBytes.
	maxInMemoryBytes = 32 << 20
	// maxOtherXMLBytes bounds each XML part besides the sheets and shared
	// strings (styles, workbook, relations), which excelize parses whole.
	maxOtherXMLBytes = 1 << 20
	// maxSharedStrings bounds the texts of the shared string table, which
	// excelize indexes in memory.
	maxSharedStrings = 300_000
	// maxTextRun bounds the bytes between two tags: a cell holds at most
	// 32,767 characters.
	maxTextRun = 256 << 10
	// maxElementBytes bounds one shared string and one row of a sheet,
	// which excelize holds whole while it reads them.
	maxSIBytes  = 1 << 20
	maxRowBytes = 4 << 20
)

// checkZip refuses an .xlsx file whose parts, unpacked, would take excelize
// more memory or time than an import deserves: too many parts, too much
// unpacked, big parts that are parsed whole, more shared strings than
// maxSharedStrings, or text runs, shared strings or rows past their limits.
// It reads the sheets and shared strings once, as a stream.
func checkZip(content []byte) error {
	n, ok := zipEntries(content)
	if n < 0 {
		return refuse(i18n.M("This is not a readable .xlsx file (it ends before its table of contents). Save it again from your spreadsheet program, or as CSV."))
	}
	if !ok || n > maxZipEntries {
		return refuse(i18n.M("This .xlsx file has more than %d parts: save the import sheet alone as .xlsx, or as CSV.", maxZipEntries))
	}
	zr, err := zip.NewReader(bytes.NewReader(content), int64(len(content)))
	if err != nil {
		return refuse(i18n.M("This is not a readable .xlsx file (%s). Save it again from your spreadsheet program, or as CSV.", err.Error()))
	}
	var total, inMemory uint64
	for _, f := range zr.File {
		size := f.UncompressedSize64
		total += size
		if total > MaxUnzipBytes {
			return refuse(i18n.M("This .xlsx file holds more than %d MB unpacked: split it into smaller files.", MaxUnzipBytes>>20))
		}
		kind := partKind(f.Name)
		if kind == otherPart || size <= unzipXMLBytes {
			inMemory += size
		}
		if inMemory > maxInMemoryBytes {
			return refuse(i18n.M("This .xlsx file holds more than %d MB besides its sheets (pictures, other parts): save the import sheet alone as .xlsx, or as CSV.", maxInMemoryBytes>>20))
		}
		if kind == otherPart && isXML(f.Name) && size > maxOtherXMLBytes {
			return refuse(i18n.M("The part %s of this .xlsx file is larger than %d MB: save the import sheet alone as .xlsx, or as CSV.", short(f.Name, 60), maxOtherXMLBytes>>20))
		}
		if kind == otherPart {
			continue
		}
		if err := scanPart(f, kind); err != nil {
			return err
		}
	}
	return nil
}

type part int

const (
	otherPart part = iota
	sheetPart
	sharedStringsPart
)

// partKind tells the parts excelize reads as a stream (sheets) or indexes
// (shared strings) from the others, as excelize names them.
func partKind(name string) part {
	name = strings.ToLower(strings.ReplaceAll(name, "\\", "/"))
	switch {
	case strings.HasPrefix(name, "xl/worksheets/sheet"):
		return sheetPart
	case name == "xl/sharedstrings.xml":
		return sharedStringsPart
	}
	return otherPart
}

func isXML(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	return ext == ".xml" || ext == ".rels" || ext == ".vml"
}

// zipEntries reads the number of entries from the end of central directory
// record, before archive/zip allocates one record per entry: -1 when the
// record is missing, and ok false when it announces ZIP64 (never needed by
// a file of MaxImportBytes holding fewer than maxZipEntries parts).
func zipEntries(b []byte) (n int, ok bool) {
	from := max(0, len(b)-(22+0xffff))
	i := bytes.LastIndex(b[from:], []byte("PK\x05\x06"))
	if i < 0 || from+i+22 > len(b) {
		return -1, false
	}
	count := binary.LittleEndian.Uint16(b[from+i+10:])
	return int(count), count != 0xffff
}

// scanPart reads a sheet or the shared strings as a stream and refuses it
// when a text run, a shared string or a row is too long, or when there
// are more than maxSharedStrings shared strings. It looks at bytes, not
// XML tokens, so it never holds more than a buffer: comments or CDATA can
// make it count more elements than there are, never fewer.
func scanPart(f *zip.File, kind part) error {
	rc, err := f.Open()
	if err != nil {
		return refuse(i18n.M("This is not a readable .xlsx file (%s).", err.Error()))
	}
	defer rc.Close()
	s := partScan{kind: kind}
	buf := make([]byte, 64<<10)
	for {
		n, err := rc.Read(buf)
		if msg := s.feed(buf[:n]); !msg.IsZero() {
			return refuse(msg)
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return refuse(i18n.M("This is not a readable .xlsx file (%s).", err.Error()))
		}
	}
}

// partScan is the state of scanPart between buffers.
type partScan struct {
	kind    part
	pos     int64 // bytes read
	lastLT  int64 // where the last '<' was
	inName  bool  // reading a tag's name
	closing bool  // the tag is an end tag
	name    []byte
	start   int64 // where the open si or row element began; -1: none open
	open    bool
	prev    byte
	count   int
}

func (s *partScan) feed(b []byte) i18n.Message {
	for _, c := range b {
		s.pos++
		if c == '<' {
			s.lastLT, s.inName, s.closing, s.name = s.pos, true, false, s.name[:0]
			s.prev = c
			continue
		}
		if s.pos-s.lastLT > maxTextRun {
			return i18n.M("This .xlsx file has a text longer than a cell can hold (%s characters).", i18n.Num(32767))
		}
		if s.inName {
			switch {
			case c == '/' && len(s.name) == 0:
				s.closing = true
			case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '>' || c == '/':
				s.inName = false
				if msg := s.tag(); !msg.IsZero() {
					return msg
				}
			case len(s.name) < 16:
				s.name = append(s.name, c)
			}
		}
		if c == '>' && s.prev == '/' && s.open && s.start == s.lastLT {
			s.open = false // <si/> or <row .../>
		}
		if s.open && s.pos-s.start > s.maxElement() {
			if s.kind == sharedStringsPart {
				return i18n.M("This .xlsx file has a text longer than a cell can hold.")
			}
			return i18n.M("This .xlsx file has a row larger than %d MB: keep only the columns of the import.", maxRowBytes>>20)
		}
		s.prev = c
	}
	return i18n.Message{}
}

func (s *partScan) maxElement() int64 {
	if s.kind == sharedStringsPart {
		return maxSIBytes
	}
	return maxRowBytes
}

// tag handles the name of a tag just read.
func (s *partScan) tag() i18n.Message {
	name := s.name
	if i := bytes.IndexByte(name, ':'); i >= 0 {
		name = name[i+1:]
	}
	want := "row"
	if s.kind == sharedStringsPart {
		want = "si"
	}
	if string(name) != want {
		return i18n.Message{}
	}
	if s.closing {
		s.open = false
		return i18n.Message{}
	}
	s.open, s.start = true, s.lastLT
	if s.kind == sharedStringsPart {
		if s.count++; s.count > maxSharedStrings {
			return i18n.M("This .xlsx file holds more than %s different texts: save the import sheet alone as .xlsx, or as CSV.", i18n.Num(maxSharedStrings))
		}
	}
	return i18n.Message{}
}
