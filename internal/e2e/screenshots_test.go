package e2e_test

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/chromedp/chromedp"
)

// screenshot keeps the page as docs/screenshots/<name>.png, or wherever
// SCREENSHOTS says (a path relative to the repository's root, e.g.
// SCREENSHOTS=docs/screenshots); without SCREENSHOTS it does nothing.
func (p *tab) screenshot(name string) {
	p.t.Helper()
	dir := os.Getenv("SCREENSHOTS")
	if dir == "" {
		return
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(repoRoot(p.t), dir)
	}
	png := run(p, "taking a screenshot", chromedp.FullScreenshot(100))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		p.fatalf("screenshots: %v", err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		p.fatalf("screenshots: %v", err)
	}
	p.t.Logf("screenshot %s", path)
}

// containsText reports whether s contains sub, white space collapsed.
func containsText(s, sub string) bool {
	return strings.Contains(strings.Join(strings.Fields(s), " "), strings.Join(strings.Fields(sub), " "))
}
