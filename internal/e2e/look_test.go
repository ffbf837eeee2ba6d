package e2e_test

import (
	"strings"

	"github.com/chromedp/chromedp"
)

// What a person reads on a page: headings, messages, table rows.

// text is what the first element of the CSS selector shows ("" when there
// is none), its white space collapsed.
func (p *tab) text(css string) string {
	p.t.Helper()
	return eval[string](p, `css => (document.querySelector(css)?.innerText ?? '').replace(/\s+/g, ' ').trim()`, css)
}

// texts is what each element of the CSS selector shows.
func (p *tab) texts(css string) []string {
	p.t.Helper()
	return eval[[]string](p, `css => [...document.querySelectorAll(css)].map(e => e.innerText.replace(/\s+/g, ' ').trim())`, css)
}

// rows are the cells' texts of each body row of the first table in main
// whose header has a cell with text header.
func (p *tab) rows(header string) [][]string {
	p.t.Helper()
	return eval[[][]string](p, `header => {
		const norm = s => s.replace(/\s+/g, ' ').trim();
		const t = [...document.querySelectorAll('main table')].find(t => [...t.querySelectorAll('thead th')].some(th => norm(th.innerText) === header));
		if (!t) return null;
		return [...t.querySelectorAll('tbody tr')].map(tr => [...tr.cells].map(td => norm(td.innerText)));
	}`, header)
}

// row is the body row of the table with column header whose cells include
// one with text key; it fails the test when there is none.
func (p *tab) row(header, key string) []string {
	p.t.Helper()
	for _, r := range p.rows(header) {
		for _, c := range r {
			if c == key {
				return r
			}
		}
	}
	p.fatalf("no row %q in the table with column %q", key, header)
	return nil
}

// heading is the page's <h1>.
func (p *tab) heading() string { p.t.Helper(); return p.text("main h1") }

// wantHeading checks the page's <h1>.
func (p *tab) wantHeading(want string) {
	p.t.Helper()
	if got := p.heading(); got != want {
		p.errorf("the heading is %q, want %q", got, want)
	}
}

// wantFlash checks the message a finished action leaves at the top.
func (p *tab) wantFlash(want string) {
	p.t.Helper()
	if got := p.text("main .flash"); got != want {
		p.errorf("the message is %q, want %q", got, want)
	}
}

// see checks that the page's main part (or the part within selects)
// shows each text.
func (p *tab) see(texts ...string) {
	p.t.Helper()
	root := "main"
	if p.scope != "" {
		root = p.scope
	}
	main := p.text(root)
	for _, s := range texts {
		if !strings.Contains(main, s) {
			p.errorf("the page does not show %q", s)
		}
	}
}

// fieldError is the message shown at the field labelled label: the first
// .field-error after the control, before the next control.
func (p *tab) fieldError(label string) string {
	p.t.Helper()
	sel := p.field(label)
	return eval[string](p, `sel => {
		const c = document.querySelector(sel);
		const all = [...document.querySelectorAll('input:not([type=hidden]), select, textarea, .field-error')];
		const next = all[all.indexOf(c) + 1];
		return next && next.classList.contains('field-error') ? next.innerText.replace(/\s+/g, ' ').trim() : '';
	}`, string(sel))
}

// wantFieldError checks the message at the field labelled label.
func (p *tab) wantFieldError(label, want string) {
	p.t.Helper()
	if got := p.fieldError(label); got != want {
		p.errorf("at %q the message is %q, want %q", label, got, want)
	}
}

// value is what the field labelled label holds.
func (p *tab) value(label string) string {
	p.t.Helper()
	return run(p, "reading "+label, chromedp.Value(p.field(label)))
}
