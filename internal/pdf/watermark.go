package pdf

import (
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// A watermark is a word drawn as the outlines of its letters in Go Bold,
// not as text: a large rotated word among the text makes text extraction
// (pdftotext, a screen reader, copy and paste) read the page out of order.
// The word people read, and tools find, is printed as text beside it.
type watermark struct {
	segs  []sfnt.Segment // the letters one after the other, y down, in 1/64 units
	width float64        // the advance of the word, in units
}

// watermarkEm is the size of an em the outlines are taken at, in units.
const watermarkEm = 1000

var (
	watermarksMu sync.Mutex
	watermarks   = map[string]*watermark{}
	goBold       = sync.OnceValues(func() (*sfnt.Font, error) { return sfnt.Parse(gobold.TTF) })
)

// watermarkOf is the outline of word, read from the font once and kept:
// the documents only ever mark the few words of the copy mark.
func watermarkOf(word string) (*watermark, error) {
	watermarksMu.Lock()
	defer watermarksMu.Unlock()
	if w, ok := watermarks[word]; ok {
		return w, nil
	}
	f, err := goBold()
	if err != nil {
		return nil, err
	}
	var b sfnt.Buffer
	ppem := fixed.I(watermarkEm)
	w := &watermark{}
	var x fixed.Int26_6
	for _, r := range word {
		g, err := f.GlyphIndex(&b, r)
		if err != nil {
			return nil, err
		}
		segs, err := f.LoadGlyph(&b, g, ppem, nil)
		if err != nil {
			return nil, err
		}
		for _, s := range segs {
			for i := range s.Args {
				s.Args[i].X += x
			}
			w.segs = append(w.segs, s)
		}
		adv, err := f.GlyphAdvance(&b, g, ppem, font.HintingNone)
		if err != nil {
			return nil, err
		}
		x += adv
	}
	w.width = float64(x) / 64
	watermarks[word] = w
	return w, nil
}

// drawWatermark fills word's outline in colour c across the page's centre,
// rotated 45° and width mm wide.
func (p *doc) drawWatermark(word string, width float64, c [3]int) error {
	w, err := watermarkOf(word)
	if err != nil {
		return err
	}
	scale := width / w.width // mm per unit
	x0 := pageW/2 - width/2
	y0 := pageH/2 + 0.35*watermarkEm*scale // the baseline, so that capitals sit round the centre
	pt := func(q fixed.Point26_6) (float64, float64) {
		return x0 + float64(q.X)/64*scale, y0 + float64(q.Y)/64*scale
	}
	f := p.f
	f.SetFillColor(c[0], c[1], c[2])
	f.TransformBegin()
	f.TransformRotate(45, pageW/2, pageH/2)
	for _, s := range w.segs {
		switch s.Op {
		case sfnt.SegmentOpMoveTo:
			f.MoveTo(pt(s.Args[0]))
		case sfnt.SegmentOpLineTo:
			f.LineTo(pt(s.Args[0]))
		case sfnt.SegmentOpQuadTo:
			cx, cy := pt(s.Args[0])
			x, y := pt(s.Args[1])
			f.CurveTo(cx, cy, x, y)
		case sfnt.SegmentOpCubeTo:
			cx0, cy0 := pt(s.Args[0])
			cx1, cy1 := pt(s.Args[1])
			x, y := pt(s.Args[2])
			f.CurveBezierCubicTo(cx0, cy0, cx1, cy1, x, y)
		}
	}
	f.DrawPath("F")
	f.TransformEnd()
	return nil
}
