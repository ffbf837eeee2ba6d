package audit

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"wholesale/internal/i18n"
	"wholesale/internal/money"
)

// FieldChange is one field of an entry that changed, as people read it:
// "delivery.city: Utrecht → Haarlem". Its label and values are messages,
// printed in the reader's language.
type FieldChange struct {
	// Field is the dotted path of the field: "delivery.city", "lines.2.quantity"
	// (list items are numbered from 1).
	Field string
	// Old and New are the values printed for people: amounts, dates and
	// times in the reader's format, booleans as yes/no; zero when empty.
	Old, New i18n.Message
	// HadOld and HasNew say whether the field had a value before and has one
	// after: a field only set shows no old value, a removed one no new.
	HadOld, HasNew bool
}

// Label names the field for people: each part of the path by its label
// (FieldLabel: "lines.2.unit price", in Dutch "regels.2.stukprijs").
func (c FieldChange) Label() i18n.Message {
	var m i18n.Message
	for i, p := range strings.Split(c.Field, ".") {
		if i == 0 {
			m = FieldLabel(p)
		} else {
			m = i18n.M("%s.%s", m, FieldLabel(p))
		}
	}
	return m
}

// maxListItems is the longest list compared item by item; a longer one is
// summarised by its length.
const maxListItems = 50

// Diff turns an entry's before and after (JSON documents, either may be
// empty or null) into the fields that changed, in path order: nested
// objects are flattened into dotted names, lists of objects are compared
// item by item (an item only on one side is summarised on one line), lists
// of plain values are printed as one value, and lists longer than 50 items
// by their length. Amounts in cents (fields named *_cents) print in euros,
// times in Europe/Amsterdam, booleans as yes/no, each in the reader's
// language when the message is printed. Fields that hold secrets
// (password, token hash, secret) are left out, and so are empty values
// set where there was none, or dropped. Returns an error only for a
// document that is not JSON.
func Diff(before, after json.RawMessage) ([]FieldChange, error) {
	return DiffWith(before, after, nil)
}

// Values name stored codes for people, by the name of their field (any
// spelling: "vies_status" and "VIESStatus" are the same field, see key):
// the field's value "awaiting_credit" is printed as its label, "awaiting
// credit approval", in Dutch "wacht op kredietgoedkeuring". A function
// returns the code as it is (i18n.Raw) for a value it does not know.
type Values map[string]func(code string) i18n.Message

// label is the label of the code s of the field named name; false when
// the field has no labels.
func (v Values) label(name, s string) (i18n.Message, bool) {
	if len(v) == 0 {
		return i18n.Message{}, false
	}
	if f, ok := v[key(name)]; ok {
		return f(s), true
	}
	return i18n.Message{}, false
}

// DiffWith is Diff with the codes of the fields named in values printed
// as their labels.
func DiffWith(before, after json.RawMessage, values Values) ([]FieldChange, error) {
	return (*Docs)(nil).DiffWith(before, after, values)
}

// normalise keys values by key, so that they can be written as field names.
func normalise(values Values) Values {
	if len(values) == 0 {
		return nil
	}
	out := make(Values, len(values))
	for k, f := range values {
		out[key(k)] = f
	}
	return out
}

// differ collects the changes of one Diff.
type differ struct {
	values Values
	out    []FieldChange
}

// walk adds the changes between b and a (nil: absent or null) under path.
func (d *differ) walk(path string, b, a any) {
	bm, bIsMap := b.(map[string]any)
	am, aIsMap := a.(map[string]any)
	if (bIsMap || b == nil) && (aIsMap || a == nil) && (bIsMap || aIsMap) {
		// The fields that may have changed: most of a snapshot's are the
		// same scalar before and after, which add would pass over.
		keys := make([]string, 0, 4)
		for k, bv := range bm {
			if !sameScalar(bv, am[k]) && !secret(k) {
				keys = append(keys, k)
			}
		}
		for k := range am {
			if _, inBefore := bm[k]; !inBefore && !secret(k) {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			d.walk(join(path, k), bm[k], am[k])
		}
		return
	}
	bl, bIsList := b.([]any)
	al, aIsList := a.([]any)
	if (bIsList || b == nil) && (aIsList || a == nil) && (records(bl) && records(al)) && (bIsList || aIsList) &&
		len(bl) <= maxListItems && len(al) <= maxListItems {
		for i := 0; i < max(len(bl), len(al)); i++ {
			var bi, ai any
			if i < len(bl) {
				bi = bl[i]
			}
			if i < len(al) {
				ai = al[i]
			}
			item := join(path, strconv.Itoa(i+1))
			if bi == nil || ai == nil { // added or removed: one line
				d.add(item, bi, ai)
				continue
			}
			d.walk(item, bi, ai)
		}
		return
	}
	d.add(path, b, a)
}

// add records path when its printed value differs before and after.
func (d *differ) add(path string, b, a any) {
	if sameScalar(b, a) {
		return // most fields of a snapshot: not worth printing to compare
	}
	name := path[strings.LastIndex(path, ".")+1:]
	old, nw := d.show(name, b), d.show(name, a)
	ot, nt := english.Text(old), english.Text(nw)
	if ot == nt || b == nil && nt == "" || a == nil && ot == "" {
		return // the same, or an empty value set or dropped
	}
	d.out = append(d.out, FieldChange{Field: path, Old: old, New: nw, HadOld: b != nil, HasNew: a != nil})
}

// sameScalar tells whether b and a are the same string, number or
// boolean, which print the same.
func sameScalar(b, a any) bool {
	switch x := b.(type) {
	case string:
		y, ok := a.(string)
		return ok && x == y
	case json.Number:
		y, ok := a.(json.Number)
		return ok && x == y
	case bool:
		y, ok := a.(bool)
		return ok && x == y
	}
	return false
}

// english prints values to compare them: two values are the same change
// when they read the same.
var english = i18n.For(i18n.EN)

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

// objects tells whether every item of l is an object (true for none).
func objects(l []any) bool {
	for _, v := range l {
		switch v.(type) {
		case map[string]any, storedMessage:
		default:
			return false
		}
	}
	return true
}

// records tells whether every item of l is an object that is not a
// message (true for none): a list compared item by item. A list of
// messages (a summary of changes) is one value.
func records(l []any) bool {
	for _, v := range l {
		if _, ok := v.(map[string]any); !ok { // a storedMessage is not
			return false
		}
	}
	return true
}

// separators are left out of a field's name before secret reads it; one
// replacer for all, as building one costs more than a page's diff.
var separators = strings.NewReplacer("_", "", "-", "")

// secret tells whether a field holds something never shown: passwords,
// token hashes, secrets.
func secret(key string) bool {
	k := strings.ToLower(separators.Replace(key))
	return strings.Contains(k, "password") || strings.Contains(k, "secret") || strings.Contains(k, "tokenhash")
}

// show is a value of the field named name for people; zero for no value.
func (d *differ) show(name string, v any) i18n.Message {
	switch x := v.(type) {
	case nil:
		return i18n.Message{}
	case bool:
		if x {
			return i18n.M("yes")
		}
		return i18n.M("no")
	case json.Number:
		if strings.HasSuffix(name, "_cents") || strings.HasSuffix(name, "Cents") {
			if n, err := x.Int64(); err == nil {
				return i18n.M("%s", i18n.Amount(n))
			}
		}
		return i18n.Raw(x.String())
	case string:
		if m, ok := d.values.label(name, x); ok && x != "" {
			return m
		}
		return showString(x)
	case storedMessage:
		return x.m
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			if !secret(k) {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		parts := make([]i18n.Message, 0, len(keys))
		for _, k := range keys {
			if s := d.show(k, x[k]); !s.IsZero() {
				parts = append(parts, i18n.M("%s %s", FieldLabel(k), s))
			}
		}
		return list(parts, false)
	case []any:
		if len(x) > maxListItems {
			return i18n.M("%d items", len(x))
		}
		parts := make([]i18n.Message, 0, len(x))
		for _, item := range x {
			parts = append(parts, d.show(name, item))
		}
		return list(parts, objects(x))
	}
	return i18n.Raw(fmt.Sprint(v))
}

// list is parts one after another: "A, B, C"; the parts of objects, which
// have commas in them, "A; B".
func list(parts []i18n.Message, objects bool) i18n.Message {
	if len(parts) == 0 {
		return i18n.Message{}
	}
	m := parts[len(parts)-1]
	for i := len(parts) - 2; i >= 0; i-- {
		if objects {
			m = i18n.M("%s; %s", parts[i], m)
		} else {
			m = i18n.M("%s, %s", parts[i], m)
		}
	}
	return m
}

// showString prints a string; a time in Europe/Amsterdam, a date (a time
// at midnight UTC, as date columns encode) as the date alone, both in the
// reader's format.
func showString(s string) i18n.Message {
	if s == "" {
		return i18n.Message{}
	}
	if len(s) == len(time.DateOnly) && s[4] == '-' && s[7] == '-' { // a date as a date field stores it
		if d, err := time.Parse(time.DateOnly, s); err == nil {
			return i18n.M("%s", i18n.D(d))
		}
	}
	if len(s) < 20 || s[4] != '-' || s[10] != 'T' {
		return Text(s)
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return Text(s)
	}
	if t.Equal(t.Truncate(24*time.Hour)) && t.Location() == time.UTC {
		return i18n.M("%s", i18n.D(t))
	}
	return i18n.M("%s", i18n.Time{T: t})
}

// amountText is an amount as money.Format prints it: "€ 1.250,50",
// "€ -12,00".
var amountText = regexp.MustCompile(`€ -?[0-9]{1,3}(\.[0-9]{3})*,[0-9]{2}`)

// Text is a text written in Go before it was a message (a reason, a
// revision's summary), untranslated, with each amount in it as
// money.Format prints it made an i18n.Amount: printed in the reader's
// format, and kept on one line in HTML.
func Text(s string) i18n.Message {
	var parts []i18n.Message
	prev := 0
	for _, loc := range amountText.FindAllStringIndex(s, -1) {
		amount, neg := s[loc[0]:loc[1]], false
		if i := strings.Index(amount, "-"); i >= 0 {
			amount, neg = amount[:i]+amount[i+1:], true
		}
		c, err := money.Parse(amount)
		if err != nil {
			continue
		}
		if neg {
			c = -c
		}
		if loc[0] > prev {
			parts = append(parts, i18n.Raw(s[prev:loc[0]]))
		}
		parts = append(parts, i18n.M("%s", i18n.Amount(c)))
		prev = loc[1]
	}
	if parts == nil {
		return i18n.Raw(s)
	}
	if prev < len(s) {
		parts = append(parts, i18n.Raw(s[prev:]))
	}
	m := parts[len(parts)-1]
	for i := len(parts) - 2; i >= 0; i-- {
		m = i18n.M("%s%s", parts[i], m)
	}
	return m
}

// words spaces a field name for people: "unit_price_cents" → "unit price",
// "CompanyName" → "Company name", "KvKExtractDate" → "KvK extract date".
func words(name string) string {
	name = strings.TrimSuffix(strings.TrimSuffix(name, "_cents"), "Cents")
	var b strings.Builder
	rs := []rune(name)
	for i, r := range rs {
		if r == '_' || r == '-' {
			b.WriteRune(' ')
			continue
		}
		if i > 0 && unicode.IsUpper(r) && i+1 < len(rs) && unicode.IsLower(rs[i+1]) && rs[i-1] != '_' {
			b.WriteRune(' ')
		}
		b.WriteRune(r)
	}
	ws := strings.Fields(b.String())
	for i, w := range ws {
		rw := []rune(w)
		if i > 0 && len(rw) > 1 && unicode.IsUpper(rw[0]) && strings.ToLower(string(rw[1:])) == string(rw[1:]) {
			ws[i] = strings.ToLower(w)
		}
	}
	return strings.Join(ws, " ")
}

// Changes returns what the entry changed: Diff of its before and after.
func (e Entry) Changes() ([]FieldChange, error) { return Diff(e.Before, e.After) }

// ChangesWith returns what the entry changed, the codes of the fields
// named in values printed as their labels: DiffWith of its before and
// after.
func (e Entry) ChangesWith(values Values) ([]FieldChange, error) {
	return DiffWith(e.Before, e.After, values)
}
