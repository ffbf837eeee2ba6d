package web

import (
	"io"
	"strings"
	"testing"
	"testing/fstest"
)

func testFS(page string) fstest.MapFS {
	return fstest.MapFS{
		"layouts/base.html": {Data: []byte(`<main>{{template "content" .}}</main>`)},
		"partials/x.html":   {Data: []byte(`<b>{{.}}</b>`)},
		"orders/index.html": {Data: []byte(page)},
	}
}

// A template html/template refuses at its first use (here the trap of
// STACK.md: an {{if}} inside a URL before a value) stops Load, so the
// server does not start, instead of failing a page for its users.
func TestViewsRefuseAnAmbiguousURLAtLoad(t *testing.T) {
	v := newViews(testFS(`<a href="{{if .P}}/portal{{end}}/orders/{{.ID}}">x</a>`), templateFuncs)
	err := v.Load()
	if err == nil || !strings.Contains(err.Error(), "orders/index") || !strings.Contains(err.Error(), "ambiguous context within a URL") {
		t.Fatalf("Load = %v, want the ambiguous URL of orders/index", err)
	}
}

// A page that fails while it runs fails the whole render: nothing of it,
// and no error text, reaches the layout's output as a page.
func TestViewsPageErrorFailsTheRender(t *testing.T) {
	v := newViews(testFS(`<p>before</p>{{.Missing}}`), templateFuncs)
	if err := v.Load(); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	err := v.Render(&out, "orders/index", struct{ ID int }{1}, "layouts/base")
	if err == nil || !strings.Contains(err.Error(), "Missing") {
		t.Fatalf("Render = %v, want the page's error", err)
	}
	ok := newViews(testFS(`<p>order {{.ID}}</p>{{template "partials/x" "hi"}}`), templateFuncs)
	out.Reset()
	if err := ok.Render(&out, "orders/index", struct{ ID int }{7}, "layouts/base"); err != nil {
		t.Fatal(err)
	}
	if out.String() != "<main><p>order 7</p><b>hi</b></main>" {
		t.Fatalf("rendered %q", out.String())
	}
	if err := ok.Render(io.Discard, "orders/nosuch", nil); err == nil {
		t.Fatal("an unknown page rendered")
	}
}
