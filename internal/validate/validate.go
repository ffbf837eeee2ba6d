// Package validate holds the input rules every Validate() shares: text that
// is valid UTF-8 without control characters and within a length, e-mail
// addresses, whole-number quantities and money amounts. Each check comes in
// two forms: a Check… function that returns the message to show ("" when the
// value is fine), for callers that collect messages per row (imports), and a
// function that adds the message to an apperr.FieldErrors under the field's
// name and tells whether the value passed. The form, the JSON API, the
// imports and the CLI all go through the same rules; the database CHECKs of
// migration 0012 are the backstop.
package validate

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"wholesale/internal/apperr"
	"wholesale/internal/i18n"
)

// Text lengths, counted in characters (runes).
const (
	// POReferenceMax is the length of a purchase-order reference in EDI
	// (EDIFACT an..35) and UBL.
	POReferenceMax = 35
	// NameMax bounds names: company, person, street, product, supplier.
	NameMax = 200
	// ShortMax bounds short codes and single words: postcode, phone, city
	// parts that have no reason to be long.
	ShortMax = 50
	// NoteMax bounds free text: notes, reasons, descriptions.
	NoteMax = 2000
	// EmailMax is the longest e-mail address SMTP can carry (RFC 5321: a
	// path of 256 octets including the angle brackets).
	EmailMax = 254
	// emailLocalMax is the longest local part (before the @), RFC 5321.
	emailLocalMax = 64
)

// CheckLine returns what is wrong with a single-line text: invalid UTF-8,
// a control character (NUL, tab, newline, escape, …; also the Unicode line
// and paragraph separators), or more than max characters. It returns ""
// when the text is fine; an empty text is fine (callers say when a field is
// required).
func CheckLine(s string, max int) i18n.Message {
	return checkText(s, max, false)
}

// CheckText is CheckLine for multi-line text (notes, reasons, addresses):
// newline, carriage return followed by newline, and tab are allowed; a
// "\r\n" counts as one character, as the browser that sent it counted it.
func CheckText(s string, max int) i18n.Message {
	return checkText(s, max, true)
}

func checkText(s string, max int, multiline bool) i18n.Message {
	if !utf8.ValidString(s) {
		return i18n.M("This text has bytes that are not valid UTF-8 characters: please type it again or paste it as plain text.")
	}
	n := 0
	for i, r := range s {
		switch {
		case multiline && (r == '\n' || r == '\t'):
		case multiline && r == '\r' && i+1 < len(s) && s[i+1] == '\n':
			continue // counted with its \n
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			if r == 0 {
				return i18n.M("This text contains a NUL character, which is not allowed: please remove it.")
			}
			if multiline {
				return i18n.M("This text contains a control character, which is not allowed (only line breaks and tabs are): please remove it.")
			}
			return i18n.M("This field takes one line of text without tabs, line breaks or other control characters.")
		}
		n++
	}
	if n > max {
		return i18n.M("Use at most %s characters (this has %s).", i18n.Num(max), i18n.Num(n))
	}
	return i18n.Message{}
}

// Line adds CheckLine's message to fe under field and reports whether the
// text passed.
func Line(fe apperr.FieldErrors, field, s string, max int) bool {
	return add(fe, field, CheckLine(s, max))
}

// Text adds CheckText's message to fe under field and reports whether the
// text passed.
func Text(fe apperr.FieldErrors, field, s string, max int) bool {
	return add(fe, field, CheckText(s, max))
}

// CheckEmail returns what is wrong with an e-mail address: more than 254
// characters, not exactly one @, an empty or over-long (64) local part, a
// domain without a dot, or spaces, control characters or invalid UTF-8. It
// does not trim or lower-case: normalise first (strings.TrimSpace and, where
// addresses are compared, strings.ToLower). An empty address is "" too:
// callers say when the field is required.
func CheckEmail(s string) i18n.Message {
	if s == "" {
		return i18n.Message{}
	}
	if !utf8.ValidString(s) {
		return i18n.M("This e-mail address has bytes that are not valid UTF-8 characters.")
	}
	if n := utf8.RuneCountInString(s); n > EmailMax {
		return i18n.M("An e-mail address has at most %d characters (this has %s).", EmailMax, i18n.Num(n))
	}
	if strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return i18n.M("An e-mail address has no spaces or control characters.")
	}
	at := strings.IndexByte(s, '@')
	if at < 0 || strings.Count(s, "@") != 1 {
		return i18n.M("An e-mail address has exactly one @, like inkoop@bedrijf.nl.")
	}
	local, domain := s[:at], s[at+1:]
	switch {
	case local == "":
		return i18n.M("Enter the part before the @, like inkoop@bedrijf.nl.")
	case utf8.RuneCountInString(local) > emailLocalMax:
		return i18n.M("The part before the @ has at most %d characters.", emailLocalMax)
	case !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.Contains(domain, ".."):
		return i18n.M("Enter the domain after the @ in full, like bedrijf.nl.")
	case strings.ContainsAny(s, `<>()[]\,;:"`):
		return i18n.M("An e-mail address has no brackets, commas, semicolons, colons or quotes.")
	}
	return i18n.Message{}
}

// Email adds CheckEmail's message to fe under field and reports whether the
// address passed.
func Email(fe apperr.FieldErrors, field, s string) bool {
	return add(fe, field, CheckEmail(s))
}

func add(fe apperr.FieldErrors, field string, msg i18n.Message) bool {
	if msg.IsZero() {
		return true
	}
	fe.Add(field, msg)
	return false
}

// Lower lower-cases s when it is valid UTF-8 and returns it unchanged
// otherwise, so the check that follows still sees the bad bytes:
// strings.ToLower would have replaced them with U+FFFD, and the value would
// pass.
func Lower(s string) string {
	if !utf8.ValidString(s) {
		return s
	}
	return strings.ToLower(s)
}

// Upper is Lower's counterpart.
func Upper(s string) string {
	if !utf8.ValidString(s) {
		return s
	}
	return strings.ToUpper(s)
}
