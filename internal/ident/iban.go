package ident

import (
	"strings"

	"wholesale/internal/i18n"
)

// bbanKind is what one position of an account part may hold.
type bbanKind byte

const (
	kindDigit  bbanKind = 'n'
	kindLetter bbanKind = 'a'
	kindEither bbanKind = 'c'
)

// ibanLayouts are ibanRegistry spelt out: the kind of every position of
// the account part.
var ibanLayouts = layouts(ibanRegistry)

// layouts spells out each structure of registry ("4!a10!n") position by
// position.
func layouts(registry map[string]string) map[string][]bbanKind {
	out := make(map[string][]bbanKind, len(registry))
	for cc, spec := range registry {
		var l []bbanKind
		n := 0
		for i := 0; i < len(spec); i++ {
			switch c := spec[i]; {
			case c >= '0' && c <= '9':
				n = n*10 + digit(c)
			case c == 'n' || c == 'a' || c == 'c':
				for ; n > 0; n-- {
					l = append(l, bbanKind(c))
				}
			}
		}
		out[cc] = l
	}
	return out
}

// ParseIBAN cleans an IBAN as people paste it (spaces, dots, dashes and
// the like, lower case, a leading "IBAN") and checks it: a country of the
// SWIFT IBAN registry, that country's length and account structure (which
// positions are digits and which letters), the ISO 7064 mod-97 check
// digits, and the national check digits of the account number where the
// country has them. It returns the canonical IBAN (upper case, no spaces)
// and a message saying what is wrong, or a zero message when it is valid.
func ParseIBAN(s string) (string, i18n.Message) {
	if len(s) > maxInput {
		return s, i18n.M("An IBAN has at most 34 characters; this is far longer.")
	}
	iban := strings.TrimPrefix(clean(s), "IBAN")
	if len(iban) < 5 {
		return iban, i18n.M("Enter the IBAN, e.g. NL91ABNA0417164300.")
	}
	for i := 0; i < len(iban); i++ {
		if c := iban[i]; !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') {
			return iban, i18n.M("An IBAN has only letters and digits.")
		}
	}
	cc := iban[:2]
	layout, ok := ibanLayouts[cc]
	if !ok {
		return iban, i18n.M("The IBAN must start with a known country code.")
	}
	if !isDigits(iban[2:4]) {
		return iban, i18n.M("The 3rd and 4th characters of an IBAN are digits.")
	}
	if len(iban) != 4+len(layout) {
		return iban, i18n.M("An IBAN of %s has %d characters; this one has %d.", cc, 4+len(layout), len(iban))
	}
	for i, kind := range layout {
		c := iban[4+i]
		isDigit := c >= '0' && c <= '9'
		switch {
		case kind == kindDigit && !isDigit:
			return iban, i18n.M("Character %d of an IBAN of %s is a digit, not a letter.", 5+i, cc)
		case kind == kindLetter && isDigit:
			return iban, i18n.M("Character %d of an IBAN of %s is a letter, not a digit.", 5+i, cc)
		}
	}
	if allZeros(iban[4:]) {
		return iban, i18n.M("The account number in an IBAN is never all zeros.")
	}
	if mod97(iban[4:]+iban[:4]) != 1 {
		return iban, i18n.M("The check digits of this IBAN do not add up: please check it for typing errors.")
	}
	if check := nationalChecks[cc]; check != nil && !check(iban[4:]) {
		return iban, i18n.M("The bank's own check digits in this account number do not add up: please check it for typing errors.")
	}
	return iban, i18n.Message{}
}

// FormatIBAN groups an IBAN in fours, as it is printed.
func FormatIBAN(iban string) string {
	var b strings.Builder
	for i, r := range iban {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}
