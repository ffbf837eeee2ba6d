package e2e_test

import (
	"fmt"
	"strings"

	"github.com/chromedp/chromedp"
)

// checkPage checks the page the tab shows, as every page a journey reaches
// is checked: axe-core finds no serious or critical violation, every form
// control has a label, and at 390 px nothing makes the page scroll
// sideways and no amount breaks away from its €. Each problem is reported
// (with the page's screenshot and HTML) and the journey goes on.
func (p *tab) checkPage() {
	p.t.Helper()
	for _, v := range p.axeViolations() {
		p.errorf("axe: %s", v)
	}
	for _, c := range eval[[]string](p, unlabelled) {
		p.errorf("a form control without a label: %s", c)
	}
	wide, wrapped := p.onAPhone()
	if wide != "" {
		p.errorf("at %d px the page scrolls sideways: %s", phoneWidth, wide)
	}
	for _, w := range wrapped {
		p.errorf("at %d px an amount wraps away from its €: %q", phoneWidth, w)
	}
}

// axeResult is what the injected script returns of axe.run.
type axeResult struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

func (v axeResult) String() string {
	return fmt.Sprintf("%s (%s): %s, at %s", v.ID, v.Impact, v.Help, strings.Join(v.Nodes, " | "))
}

// axeViolations injects axe-core into the page (once per document) and
// returns its serious and critical violations.
func (p *tab) axeViolations() []axeResult {
	p.t.Helper()
	if !eval[bool](p, `() => typeof window.axe === 'object'`) {
		run(p, "injecting axe-core", chromedp.Evaluate[chromedp.Void](p.b.axe+"\n;undefined"))
	}
	return eval[[]axeResult](p, `async () => {
		const r = await axe.run(document, {resultTypes: ['violations']});
		return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => ({
			id: v.id, impact: v.impact, help: v.help,
			nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' ' + n.html.slice(0, 160)),
		}));
	}`)
}

// unlabelled lists the visible form controls that have no label: no
// <label> for them or around them, no aria-label, no aria-labelledby.
const unlabelled = `() => [...document.querySelectorAll('input, select, textarea')]
	.filter(e => e.type !== 'hidden' && e.type !== 'submit' && e.type !== 'button')
	.filter(e => e.labels.length === 0 && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
	.map(e => e.outerHTML.slice(0, 160))`

// phoneLayout is what onAPhone finds.
type phoneLayout struct {
	Wide    []string `json:"wide"`
	Wrapped []string `json:"wrapped"`
}

// onAPhone sets the tab to a phone's width and says what sticks out of the
// page there ("" when nothing does) and which amounts ("€ 1.250,50", "€1,250.50") break
// over two lines; then it sets the tab back.
func (p *tab) onAPhone() (string, []string) {
	p.t.Helper()
	if !p.phone {
		p.do("narrowing to a phone", p.viewport(true))
		defer p.do("widening to the desktop", p.viewport(false))
	}
	l := eval[phoneLayout](p, `width => {
		const out = {wide: [], wrapped: []};
		if (document.documentElement.scrollWidth > width) {
			out.wide.push('the page is ' + document.documentElement.scrollWidth + ' px wide');
			const describe = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
				(e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '');
			for (const e of document.body.querySelectorAll('*')) {
				const r = e.getBoundingClientRect().right + window.scrollX;
				const parent = e.parentElement.getBoundingClientRect().right + window.scrollX;
				if (r > width + 1 && parent <= width + 1 && out.wide.length < 8) {
					out.wide.push(describe(e) + ' reaches ' + Math.round(r) + ' px: ' + JSON.stringify(e.innerText.slice(0, 60)));
				} else if (r <= width + 1 && e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible' && out.wide.length < 8) {
					out.wide.push('the text of ' + describe(e) + ' sticks out: ' + JSON.stringify(e.innerText.slice(0, 60)));
				}
			}
		}
		const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
		while (texts.nextNode()) {
			const n = texts.currentNode;
			for (const m of n.data.matchAll(/-?€\s*-?(?:[\d.]+,\d\d|[\d,]+\.\d\d)/g)) {
				const r = document.createRange();
				r.setStart(n, m.index);
				r.setEnd(n, m.index + m[0].length);
				const lines = new Set([...r.getClientRects()].filter(b => b.width > 0).map(b => Math.round(b.top)));
				if (lines.size > 1) out.wrapped.push(m[0]);
			}
		}
		return out;
	}`, phoneWidth)
	return strings.Join(l.Wide, "; "), l.Wrapped
}
