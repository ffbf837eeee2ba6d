package catalog

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// lineRule and textRule are the text rules every input shares, until the
// shared package of these rules (internal/validate, under way, with the
// same two functions CheckLine and CheckText) is merged: valid UTF-8, no
// NUL or other control characters (a multi-line text may hold line breaks
// and tabs), at most max characters. They return the message to show, ""
// when the text is fine.
func lineRule(s string, max int) string { return textRules(s, max, false) }

func textRule(s string, max int) string { return textRules(s, max, true) }

func textRules(s string, max int, multiline bool) string {
	if !utf8.ValidString(s) {
		return "This text has bytes that are not valid UTF-8 characters: please type it again or paste it as plain text."
	}
	n := 0
	for i, r := range s {
		switch {
		case multiline && (r == '\n' || r == '\t'):
		case multiline && r == '\r' && i+1 < len(s) && s[i+1] == '\n':
			continue // counted with its \n
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			if r == 0 {
				return "This text contains a NUL character, which is not allowed: please remove it."
			}
			if multiline {
				return "This text contains a control character, which is not allowed (only line breaks and tabs are): please remove it."
			}
			return "This field takes one line of text without tabs, line breaks or other control characters."
		}
		n++
	}
	if n > max {
		return fmt.Sprintf("Use at most %s characters (this has %s).", thousands(max), thousands(n))
	}
	return ""
}
