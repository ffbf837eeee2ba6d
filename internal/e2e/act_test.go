package e2e_test

import (
	"context"
	"fmt"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// How a person acts on a page: fills in fields found by their labels and
// presses buttons found by their text.

// press clicks the button labelled text (the first one when several
// forms have it; see within) and wants the page that answers to have
// status want.
func (p *tab) press(text string, want int) {
	p.t.Helper()
	sel := p.mark(`(within, text) => {
		const root = within ? document.querySelector(within) : document;
		if (!root) return null;
		const norm = s => s.replace(/\s+/g, ' ').trim();
		return [...root.querySelectorAll('button, input[type=submit]')].find(b => norm(b.innerText || b.value) === text) || null;
	}`, p.scope, text)
	if st := p.navigation("pressing "+text, chromedp.Click(sel)); st != want {
		p.fatalf("pressing %q answered %d, want %d", text, st, want)
	}
}

// follow clicks the link whose text is text (the first; see within) and
// wants a 200.
func (p *tab) follow(text string) {
	p.t.Helper()
	sel := p.mark(`(scope, text) => {
		const root = scope ? document.querySelector(scope) : document;
		const norm = s => s.replace(/\s+/g, ' ').trim();
		return [...(root ?? document).querySelectorAll('a')].find(a => norm(a.innerText) === text) || null;
	}`, p.scope, text)
	if st := p.navigation("following "+text, chromedp.Click(sel)); st != 200 {
		p.fatalf("following %q answered %d", text, st)
	}
}

// unfold clicks the summary whose text is text to open its <details>, as a
// person unfolds a part of a form; the page stays.
func (p *tab) unfold(text string) {
	p.t.Helper()
	sel := p.mark(`(scope, text) => {
		const root = scope ? document.querySelector(scope) : document;
		const norm = s => s.replace(/\s+/g, ' ').trim();
		return [...(root ?? document).querySelectorAll('details > summary')].find(s => norm(s.innerText) === text) || null;
	}`, p.scope, text)
	p.do("opening "+text, chromedp.Click(sel))
	if !eval[bool](p, `sel => document.querySelector(sel).parentElement.open`, string(sel)) {
		p.fatalf("%q did not open", text)
	}
}

// control finds the form control a person finds by its label: the one a
// <label> with this text names, or the one whose aria-label is this text;
// only in the part of the page scope selects, when it is not "".
const control = `(scope, label) => {
	const root = scope ? document.querySelector(scope) : document;
	if (!root) return null;
	const norm = s => s.replace(/\s+/g, ' ').trim();
	const byAria = [...root.querySelectorAll('[aria-label]')].filter(e => e.getAttribute('aria-label') === label);
	const byLabel = [...root.querySelectorAll('label')].filter(l => norm(l.innerText) === label).map(l => l.control).filter(Boolean);
	const found = [...new Set([...byLabel, ...byAria])];
	return found.length === 1 ? found[0] : null;
}`

// field is a selector for the control labelled label (see control).
func (p *tab) field(label string) chromedp.CSS {
	p.t.Helper()
	return p.mark(control, p.scope, label)
}

// within limits the lookups of fill, press and the like to the part of
// the page the CSS selector css selects while f runs, as a person looks at
// one form of several.
func (p *tab) within(css string, f func()) {
	p.t.Helper()
	outer := p.scope
	p.scope = css
	defer func() { p.scope = outer }()
	f()
}

// mark runs find, a script that returns an element (or null), and gives
// back a selector for that element, which gets a data-e2e attribute. A
// script that finds no element fails the test.
func (p *tab) mark(find string, args ...any) chromedp.CSS {
	p.t.Helper()
	p.marks++
	id := fmt.Sprint(p.marks)
	ok := eval[bool](p, fmt.Sprintf(`(id, ...args) => {
		const el = (%s)(...args);
		if (!el) return false;
		el.setAttribute('data-e2e', id);
		return true;
	}`, find), append([]any{id}, args...)...)
	if !ok {
		p.fatalf("nothing found for %q", args)
	}
	return chromedp.CSS(`[data-e2e="` + id + `"]`)
}

// fill types value into the field labelled label, as a person does, after
// emptying it.
func (p *tab) fill(label, value string) {
	p.t.Helper()
	p.typeInto("typing into "+label, p.field(label), value)
}

// fillCSS types value into the field of the CSS selector css, as fill does
// (for the rows of a table of fields, found by their names).
func (p *tab) fillCSS(css, value string) {
	p.t.Helper()
	p.typeInto("typing into "+css, chromedp.CSS(css), value)
}

func (p *tab) typeInto(what string, sel chromedp.CSS, value string) {
	p.t.Helper()
	p.empty(sel)
	if value != "" {
		p.do(what, chromedp.SendKeys(sel, value))
	}
}

// empty empties the field of sel, as selecting all and deleting does.
func (p *tab) empty(sel chromedp.CSS) {
	p.t.Helper()
	if !eval[bool](p, `sel => {
		const e = document.querySelector(sel);
		if (!e) return false;
		e.value = '';
		e.dispatchEvent(new Event('input', {bubbles: true}));
		return true;
	}`, string(sel)) {
		p.fatalf("no field %s", sel)
	}
}

// paste puts text into the field labelled label as a paste does: in one
// go, tabs and line breaks included.
func (p *tab) paste(label, text string) {
	p.t.Helper()
	sel := p.field(label)
	p.empty(sel)
	p.do("pasting into "+label, chromedp.Focus(sel),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := chromedp.Call(ctx, input.InsertText, input.InsertTextParams{Text: text})
			return err
		}))
}

// setDate sets the date field labelled label (a date picker's work).
func (p *tab) setDate(label, isoDate string) {
	p.t.Helper()
	p.do("choosing a date in "+label, chromedp.SetValue(p.field(label), isoDate))
}

// choose picks the option with text option in the list labelled label.
func (p *tab) choose(label, option string) {
	p.t.Helper()
	sel := p.field(label)
	ok := eval[bool](p, `(sel, option) => {
		const s = document.querySelector(sel);
		const o = [...s.options].find(o => o.text.trim() === option);
		if (!o) return false;
		s.value = o.value;
		s.dispatchEvent(new Event('change', {bubbles: true}));
		return true;
	}`, string(sel), option)
	if !ok {
		p.fatalf("%q offers no option %q", label, option)
	}
}

// tick clicks the check box or radio button labelled label.
func (p *tab) tick(label string) {
	p.t.Helper()
	p.do("ticking "+label, chromedp.Click(p.field(label)))
}

// upload chooses files for the file field labelled label.
func (p *tab) upload(label string, files ...string) {
	p.t.Helper()
	p.do("choosing a file for "+label, chromedp.SetUploadFiles(p.field(label), files))
}
