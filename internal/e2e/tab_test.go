package e2e_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"wholesale/internal/users"
)

// actionTimeout only ends a step that hangs (an element that never comes),
// lookTimeout a look at the page for a failure's report; no assertion
// depends on time.
const (
	actionTimeout = 60 * time.Second
	lookTimeout   = 10 * time.Second
)

// tab is one browser tab with cookies of its own, as one person at one
// computer: it opens pages, fills in forms by their labels, presses
// buttons by their text and reads what the page shows. Every page it
// reaches is checked (checkPage): axe-core, labels, and the phone width.
type tab struct {
	t     *testing.T
	b     *browser
	app   *app
	ctx   context.Context
	phone bool   // the tab is a phone: 390 px wide throughout
	saved int    // artifacts saved so far
	marks int    // elements marked so far (mark)
	scope string // CSS selector of the part of the page a lookup is limited to (within)
}

// newTab opens a desktop tab on a.
func (b *browser) newTab(t *testing.T, a *app) *tab { return b.open(t, a, false) }

// newPhone opens a tab as a phone, 390 px wide.
func (b *browser) newPhone(t *testing.T, a *app) *tab { return b.open(t, a, true) }

func (b *browser) open(t *testing.T, a *app, phone bool) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	p := &tab{t: t, b: b, app: a, ctx: ctx, phone: phone}
	if err := chromedp.Do(ctx, p.viewport(phone)); err != nil { // opens the tab
		cancel()
		t.Fatalf("opening a tab: %v", err)
	}
	t.Cleanup(func() {
		if t.Failed() && p.saved == 0 {
			p.saveArtifacts("at-the-end")
		}
		cancel()
	})
	return p
}

func (p *tab) viewport(phone bool) chromedp.Action[chromedp.Void] {
	if phone {
		return chromedp.EmulateViewport(phoneWidth, phoneHeight, chromedp.EmulateMobile)
	}
	return chromedp.EmulateViewport(desktopWidth, desktopHeight)
}

// run runs one action on the tab and returns its value; a failure ends the test.
func run[T any](p *tab, what string, a chromedp.Action[T]) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, actionTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		p.fatalf("%s: %v", what, err)
	}
	return v
}

func (p *tab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	run(p, what, chromedp.Steps(actions...))
}

// eval calls the JavaScript function js in the page with args and decodes
// its JSON-able result.
func eval[T any](p *tab, js string, args ...any) T {
	p.t.Helper()
	b, err := json.Marshal(append([]any{}, args...))
	if err != nil {
		p.fatalf("arguments of a script: %v", err)
	}
	return run(p, "script "+excerpt(js, 60), chromedp.Evaluate[T](fmt.Sprintf("(%s)(...%s)", js, b), chromedp.EvalAwaitPromise))
}

// navigation runs actions that load a page, waits for it, checks it and
// returns the HTTP status of the document.
func (p *tab) navigation(what string, actions ...chromedp.Action[chromedp.Void]) int {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, actionTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, actions...)
	if err != nil {
		p.fatalf("%s: %v", what, err)
	}
	p.checkPage()
	return status(resp)
}

func status(r *network.Response) int {
	if r == nil {
		return 0
	}
	return int(r.Status)
}

// open goes to path as if typed into the address bar and wants a 200.
func (p *tab) open(path string) {
	p.t.Helper()
	if st := p.navigation("opening "+path, chromedp.Navigate(p.app.base+path)); st != 200 {
		p.fatalf("GET %s answered %d", path, st)
	}
}

// login logs in as the demo user of role through the login form.
func (p *tab) login(role users.Role) {
	p.t.Helper()
	l := login(role)
	p.open("/login")
	p.fill("E-mail address", l.Email)
	p.fill("Password", l.Password)
	p.press("Log in", 200)
}

// where is the page's path and heading, for messages.
func (p *tab) where() string {
	ctx, cancel := context.WithTimeout(p.ctx, lookTimeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname + location.search + ' ("' + (document.querySelector('h1')?.innerText ?? '') + '")'`))
	if err != nil {
		return "(unknown page)"
	}
	return s
}

// errorf reports a failure with the page it happened on and keeps its
// screenshot and HTML.
func (p *tab) errorf(format string, args ...any) {
	p.t.Helper()
	msg := fmt.Sprintf(format, args...)
	p.t.Errorf("%s\n    on %s%s", msg, p.where(), p.saveArtifacts(msg))
}

func (p *tab) fatalf(format string, args ...any) {
	p.t.Helper()
	p.errorf(format, args...)
	p.t.FailNow()
}

// saveArtifacts writes a screenshot and the HTML of the page and says where.
func (p *tab) saveArtifacts(why string) string {
	p.saved++
	dir := filepath.Join(artifactsDir(p.t), fileName(p.t.Name()))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Sprintf("\n    (no artifacts: %v)", err)
	}
	base := filepath.Join(dir, fmt.Sprintf("%02d-%s", p.saved, fileName(excerpt(why, 40))))
	ctx, cancel := context.WithTimeout(p.ctx, lookTimeout)
	defer cancel()
	var notes []string
	if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
		if err := os.WriteFile(base+".png", png, 0o644); err != nil {
			notes = append(notes, err.Error())
		}
	} else {
		notes = append(notes, "screenshot: "+err.Error())
	}
	if html, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`)); err == nil {
		if err := os.WriteFile(base+".html", []byte(html), 0o644); err != nil {
			notes = append(notes, err.Error())
		}
	} else {
		notes = append(notes, "HTML: "+err.Error())
	}
	return fmt.Sprintf("\n    artifacts: %s.png and .html %s", base, strings.Join(notes, "; "))
}

func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
