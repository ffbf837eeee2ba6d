package i18n

import "testing"

// BenchmarkText is the cost of one text of a page: a catalog lookup and
// its verbs filled in, in Dutch (from the catalog) and in English.
func BenchmarkText(b *testing.B) {
	for _, l := range Langs {
		b.Run(string(l), func(b *testing.B) {
			loc := For(l)
			m := M("Please correct the marked fields.")
			for b.Loop() {
				_ = loc.HTML(m)
			}
		})
	}
}

// BenchmarkUnmarshalMessage reads a stored message as a back order's
// reference is stored: every row of the back-order list reads one.
func BenchmarkUnmarshalMessage(b *testing.B) {
	raw := []byte(`{"id":"order %d (PO %s), line %d","args":[{"t":"i","v":1003008},{"t":"s","v":"SCALE-REVISIONS-50"},{"t":"i","v":2}]}`)
	b.ReportAllocs()
	for b.Loop() {
		var m Message
		if err := m.UnmarshalJSON(raw); err != nil || len(m.Args) != 3 {
			b.Fatal(m, err)
		}
	}
}
