package web

import (
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"strings"
	"sync"

	"wholesale/internal/i18n"
)

// views renders the HTML templates for Fiber (fiber.Views). Template names
// are paths without ".html": "orders/show".
//
// Each page is parsed together with the layouts and partials into a set of
// its own, in which the page is the template "content" that a layout
// includes with {{template "content" .}}. A page that fails therefore fails
// the whole render: Fiber keeps nothing of it and the error handler answers
// 500. (Fiber's html engine put a page into its layout through a function
// returning only an error, which html/template prints as text: a failing
// page came out as its error message with status 200.)
//
// Load also escapes every template once, so a template html/template would
// refuse at its first use (a value in an ambiguous URL context, say) stops
// the server from starting instead of failing a page for its users.
//
// Every page is parsed once per language, with the functions of that
// language (funcs(lang)): "t" prints a text from the catalog, "money" an
// amount, "date" a date, each the language's way.
type views struct {
	fsys  fs.FS
	funcs func(*i18n.Localizer) template.FuncMap

	once  sync.Once
	err   error
	pages map[i18n.Lang]map[string]*template.Template
}

func newViews(fsys fs.FS, funcs func(*i18n.Localizer) template.FuncMap) *views {
	return &views{fsys: fsys, funcs: funcs}
}

// shared are the folders whose templates every page may use.
var shared = map[string]bool{"layouts": true, "partials": true}

// Load parses and escapes every template; it does so once.
func (v *views) Load() error {
	v.once.Do(func() { v.err = v.load() })
	return v.err
}

func (v *views) load() error {
	v.pages = map[i18n.Lang]map[string]*template.Template{}
	for _, l := range i18n.Langs {
		pages, err := v.loadLang(i18n.For(l))
		if err != nil {
			return err
		}
		v.pages[l] = pages
	}
	return nil
}

func (v *views) loadLang(l *i18n.Localizer) (map[string]*template.Template, error) {
	base := template.New("").Funcs(v.funcs(l))
	var layouts []string
	pages := map[string]string{}
	err := fs.WalkDir(v.fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".html" {
			return err
		}
		text, err := fs.ReadFile(v.fsys, p)
		if err != nil {
			return err
		}
		name := strings.TrimSuffix(p, ".html")
		dir, _, _ := strings.Cut(name, "/")
		if !shared[dir] {
			pages[name] = string(text)
			return nil
		}
		if dir == "layouts" {
			layouts = append(layouts, name)
		}
		_, err = base.New(name).Parse(string(text))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	sets := make(map[string]*template.Template, len(pages))
	for name, text := range pages {
		set, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := set.New("content").Parse(text); err != nil {
			return nil, fmt.Errorf("templates: %s: %w", name, err)
		}
		entries := append(layouts, "content")
		if set.Lookup(navPartial) != nil { // drawn on its own (Fragment)
			entries = append(entries, navPartial)
		}
		for _, entry := range entries {
			if err := escapes(set, entry); err != nil {
				return nil, fmt.Errorf("templates: %s in %s: %w", name, entry, err)
			}
		}
		sets[name] = set
	}
	return sets, nil
}

// escapes makes html/template escape the template entry of set and what it
// includes, by executing it without data: an escaping error is returned,
// an error of the execution itself (no data) is not.
func escapes(set *template.Template, entry string) error {
	err := set.ExecuteTemplate(io.Discard, entry, nil)
	var escErr *template.Error
	if errors.As(err, &escErr) {
		return err
	}
	return nil
}

// Fragment executes the shared template name (a partial) with data, in
// lang, on its own: HTML that pages then print whole (see navHTML).
func (v *views) Fragment(w io.Writer, lang i18n.Lang, name string, data any) error {
	if err := v.Load(); err != nil {
		return err
	}
	for _, set := range v.pages[lang.Or(i18n.Default)] { // each page's set holds every partial
		return set.ExecuteTemplate(w, name, data)
	}
	return fmt.Errorf("templates: no pages in %s", lang)
}

// Render executes the page name, in the first of layouts when one is given.
func (v *views) Render(w io.Writer, name string, data any, layouts ...string) error {
	if err := v.Load(); err != nil {
		return err
	}
	lang := i18n.Default
	if p, ok := data.(pager); ok {
		lang = p.base().Lang.Or(i18n.Default)
	}
	set, ok := v.pages[lang][name]
	if !ok {
		return fmt.Errorf("templates: no page %s", name)
	}
	entry := "content"
	if len(layouts) > 0 && layouts[0] != "" {
		entry = layouts[0]
	}
	return set.ExecuteTemplate(w, entry, data)
}
