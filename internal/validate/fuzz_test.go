package validate

import (
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzParseWhole: ParseWhole never panics, and a number it reads is within
// 0..QuantityMax and prints back to itself.
func FuzzParseWhole(f *testing.F) {
	for _, s := range []string{"12", "0", "-1", "1000000", "1000001", "2147483648", "9223372036854775807",
		"18446744073709551616", "1e9", "1\x00", "\xff", " 42 ", strings.Repeat("0", 5000) + "7"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, msg := ParseWhole(s)
		if !msg.IsZero() {
			return
		}
		if n < 0 || n > QuantityMax {
			t.Fatalf("ParseWhole(%q) = %d", s, n)
		}
		if back, msg := ParseWhole(strconv.Itoa(n)); !msg.IsZero() || back != n {
			t.Fatalf("ParseWhole(%q) = %d, read back %d %q", s, n, back, msg)
		}
	})
}

// FuzzText: what CheckLine accepts is valid UTF-8 without any control
// character and within the length; what CheckText accepts may add only
// newlines, tabs and CRLF pairs. Neither panics.
func FuzzText(f *testing.F) {
	for _, s := range []string{"Jansen", "a\x00b", "a\nb", "a\r\nb", "a\rb", "\xff", "\u2028", strings.Repeat("é", 201)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if CheckLine(s, NameMax).IsZero() {
			if !utf8.ValidString(s) || utf8.RuneCountInString(s) > NameMax || strings.IndexFunc(s, unicode.IsControl) >= 0 {
				t.Fatalf("CheckLine accepted %q", s)
			}
		}
		if CheckText(s, NameMax).IsZero() {
			rest := strings.NewReplacer("\r\n", "", "\n", "", "\t", "").Replace(s)
			if !utf8.ValidString(s) || strings.IndexFunc(rest, unicode.IsControl) >= 0 ||
				utf8.RuneCountInString(strings.ReplaceAll(s, "\r\n", "\n")) > NameMax {
				t.Fatalf("CheckText accepted %q", s)
			}
		}
	})
}

// FuzzEmail: an address CheckEmail accepts has one @, at most 254
// characters, and no space or control character.
func FuzzEmail(f *testing.F) {
	for _, s := range []string{"inkoop@bedrijf.nl", "a@b@c.nl", strings.Repeat("a", 3000) + "@x.nl", "a\x00@b.nl", "a@b.nl\r\n", "\xff@b.nl"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !CheckEmail(s).IsZero() || s == "" {
			return
		}
		if strings.Count(s, "@") != 1 || utf8.RuneCountInString(s) > EmailMax || !utf8.ValidString(s) ||
			strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
			t.Fatalf("CheckEmail accepted %q", s)
		}
	})
}
