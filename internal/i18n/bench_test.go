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
