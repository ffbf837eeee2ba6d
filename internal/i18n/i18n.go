// Package i18n puts every text people read — pages, form errors, flash
// messages, mails, API messages — in the reader's language, Dutch or
// English, and prints dates, amounts and numbers the way that language
// does.
//
// A text is a Message: its ID is the English text as a fmt format ("Order
// %d: awaiting confirmation."), its Args the values for the verbs. Domain
// code builds messages with M and returns them (in apperr errors, as field
// messages); they are turned into text only where a reader is known, by a
// Localizer. The Dutch texts are in the catalog files catalog/*.nl.toml,
// one per area, keyed by the English ID; catalog/*.en.toml holds English
// texts that differ from their ID (plural forms). The catalogs are read by
// github.com/nicksnyder/go-i18n, which picks the message and its plural
// form; the verbs are then filled in by fmt, after the arguments of the
// types below are printed in the language: money.Cents in Amount, Date,
// LongDate and Time, Num, and nested Messages.
//
// The tests of this package check that every ID the code and the templates
// use has a Dutch text with the same verbs, and that no catalog entry is
// left unused.
package i18n

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/nicksnyder/go-i18n/v2/i18n/template"
	"golang.org/x/text/language"
)

// Lang is a language people read the application in.
type Lang string

// The languages. Dutch is the default: the wholesaler and most of its
// customers are Dutch.
const (
	NL      Lang = "nl"
	EN      Lang = "en"
	Default      = NL
)

// Langs are the languages, the default first.
var Langs = []Lang{NL, EN}

// Valid reports whether l is one of Langs.
func (l Lang) Valid() bool { return l == NL || l == EN }

// Or returns l when it is valid and def otherwise.
func (l Lang) Or(def Lang) Lang {
	if l.Valid() {
		return l
	}
	return def
}

// Tag is the BCP 47 tag of l, for <html lang> and Content-Language.
func (l Lang) Tag() string { return string(l.Or(Default)) }

// Name is the language's name in itself: "Nederlands", "English".
func (l Lang) Name() string {
	if l == EN {
		return "English"
	}
	return "Nederlands"
}

// Message is a text to show: the English fmt format that is its ID, and
// the values for its verbs.
type Message struct {
	ID   string
	Args []any
	// Count, when set, picks the plural form ("%d line" / "%d lines").
	Count any
}

// M is the message id with args. id must be a string literal so the
// catalog test finds it.
func M(id string, args ...any) Message { return Message{ID: id, Args: args} }

// N is M with a plural form picked by count (an integer), which is
// usually one of args too.
func N(count any, id string, args ...any) Message {
	return Message{ID: id, Args: args, Count: count}
}

// IsZero reports whether m is no message.
func (m Message) IsZero() bool { return m.ID == "" }

// String is m in English, for logs and error strings.
func (m Message) String() string { return For(EN).Text(m) }

//go:embed catalog/*.toml
var catalogFiles embed.FS

var (
	bundleOnce sync.Once
	bundle     *goi18n.Bundle
	bundleErr  error
	localizers map[Lang]*Localizer
)

// load reads the catalogs once.
func load() {
	bundleOnce.Do(func() {
		bundle, bundleErr = newBundle(catalogFiles)
		localizers = map[Lang]*Localizer{}
		for _, l := range Langs {
			localizers[l] = &Localizer{lang: l, loc: goi18n.NewLocalizer(bundle, string(l))}
		}
	})
	if bundleErr != nil {
		panic(fmt.Sprintf("i18n: the message catalogs do not load: %v", bundleErr))
	}
}

// newBundle reads every catalog/*.toml file of fsys: <area>.<lang>.toml.
func newBundle(fsys fs.FS) (*goi18n.Bundle, error) {
	b := goi18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	names, err := fs.Glob(fsys, "catalog/*.toml")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		buf, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		if _, err := b.ParseMessageFileBytes(buf, path.Base(name)); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	return b, nil
}

// Check loads the catalogs and reports an error in them; the server calls
// it at start.
func Check() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	load()
	return nil
}

// Localizer prints messages, amounts and dates in one language.
type Localizer struct {
	lang Lang
	loc  *goi18n.Localizer
	// formats keeps the text of each ID without plural forms, as the
	// catalogs do not change once loaded.
	formats sync.Map
}

// For returns the Localizer of l (of Default when l is not valid).
func For(l Lang) *Localizer {
	load()
	return localizers[l.Or(Default)]
}

// Lang is the localizer's language.
func (l *Localizer) Lang() Lang { return l.lang }

// Text is m in l's language. A message missing from the catalog prints
// its English ID (the catalog test fails on it).
func (l *Localizer) Text(m Message) string {
	if m.ID == "" {
		return ""
	}
	if raw, ok := strings.CutPrefix(m.ID, rawMark); ok {
		return raw
	}
	format := l.textOf(m)
	if len(m.Args) == 0 {
		return format
	}
	return fmt.Sprintf(format, l.args(m.Args, nil)...)
}

// textOf is the text of m's ID in l's language, its plural form picked by
// m.Count.
func (l *Localizer) textOf(m Message) string {
	if m.Count == nil {
		if f, ok := l.formats.Load(m.ID); ok {
			return f.(string)
		}
	}
	format := m.ID
	s, err := l.loc.Localize(&goi18n.LocalizeConfig{
		DefaultMessage: &goi18n.Message{ID: m.ID, Other: m.ID},
		PluralCount:    m.Count,
		TemplateParser: template.IdentityParser{},
	})
	if err == nil || s != "" {
		format = s
	}
	if m.Count == nil {
		l.formats.Store(m.ID, format)
	}
	return format
}

// Sprintf is Text(M(id, args...)).
func (l *Localizer) Sprintf(id string, args ...any) string { return l.Text(M(id, args...)) }

// args prints the arguments of the types the language prints its own way;
// html, when set, turns each printed argument into HTML.
func (l *Localizer) args(in []any, html func(any, string) string) []any {
	out := make([]any, len(in))
	for i, a := range in {
		s, ok := l.format(a)
		switch {
		case ok && html != nil:
			out[i] = html(a, s)
		case ok:
			out[i] = s
		case html != nil:
			out[i] = html(a, fmt.Sprint(a))
		default:
			out[i] = a
		}
	}
	return out
}

// format prints a of a type with its own printing in l's language.
func (l *Localizer) format(a any) (string, bool) {
	switch v := a.(type) {
	case Amount:
		return l.Amount(int64(v)), true
	case Date:
		return l.Date(v.T), true
	case LongDate:
		return l.LongDate(v.T), true
	case Time:
		return l.DateTime(v.T), true
	case Num:
		return l.Num(int64(v)), true
	case Message:
		return l.Text(v), true
	}
	return "", false
}

// Join is the texts of ms in l's language, separated by sep.
func (l *Localizer) Join(ms []Message, sep string) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = l.Text(m)
	}
	return strings.Join(parts, sep)
}

// Raw is a text that is not translated: a message for the log, or text
// that came from outside (a person's note). Its ID starts with a marker
// the catalog test knows.
func Raw(s string) Message { return Message{ID: rawMark + s} }

const rawMark = "\x02raw:"
