// Package money handles amounts in integer euro cents: parsing what people
// type and printing amounts the Dutch way.
package money

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Cents is an amount in euro cents.
type Cents = int64

// MaxCents is the largest amount anyone may type or import: € 10.000.000,00
// (ten million euros), for a price, a shipping cost or a credit limit alike.
// It is far above any real amount of this business and keeps every sum
// safe: a line of QuantityMax (1,000,000) pieces at MaxCents is 10^15 cents,
// and int64 holds more than 9,000 such lines with their VAT. The database
// CHECKs of migration 0012 hold the same bound.
const MaxCents Cents = 1_000_000_000

// Errors of Parse.
var (
	// ErrFormat says an amount could not be read, or could be read in more
	// than one way.
	ErrFormat = errors.New("money: not an amount")
	// ErrNegative says the amount had a minus sign.
	ErrNegative = errors.New("money: negative amount")
	// ErrTooLarge says the amount is above MaxCents.
	ErrTooLarge = errors.New("money: amount above the maximum")
)

// Parse reads an amount in euros as people type it, by one rule that never
// guesses:
//
//   - Spaces around it and a leading "€" are ignored; a minus sign is refused
//     (ErrNegative).
//   - The decimal separator, if any, is the last comma or point when one or
//     two digits follow it to the end: "1250,5", "1250,50", "1250.50".
//   - Thousands may be grouped by points, or by spaces, or — only when a
//     decimal point is present — by commas; always by the character that is
//     not the decimal separator, by one kind of character throughout, and in
//     groups of exactly three digits after the first group of one to three:
//     "1.250,50", "€ 1.250.000,00", "1 250,50", "1,250.50", "1.250".
//   - Anything else is refused (ErrFormat): "12.50,0" (a group of two),
//     "1,250" and "12,505" (a comma with three digits: thousands or three
//     decimals?), "1.250.5" and "1,250,50" (grouping and decimal by the same
//     character), "1e5", "+5", "0x10", more than two decimals.
//   - Amounts above MaxCents are refused (ErrTooLarge).
//
// Input, Plain and Format all print amounts that Parse reads back exactly.
func Parse(s string) (Cents, error) {
	s = strings.TrimFunc(s, isSpace)
	s = strings.TrimFunc(strings.TrimPrefix(s, "€"), isSpace)
	if strings.HasPrefix(s, "-") {
		return 0, ErrNegative
	}
	if s == "" || len(s) > 40 {
		return 0, ErrFormat
	}
	whole, frac, dec := s, "", ""
	if i := strings.LastIndexAny(s, ",."); i >= 0 && len(s)-i-1 >= 1 && len(s)-i-1 <= 2 && digits(s[i+1:]) {
		whole, frac, dec = s[:i], s[i+1:], s[i:i+1]
	}
	whole, err := ungroup(whole, dec)
	if err != nil {
		return 0, err
	}
	if whole = strings.TrimLeft(whole, "0"); len(whole) > 8 {
		return 0, ErrTooLarge
	}
	euros, _ := strconv.ParseInt("0"+whole, 10, 64)
	for len(frac) < 2 {
		frac += "0"
	}
	cents, _ := strconv.ParseInt(frac, 10, 64)
	c := euros*100 + cents
	if c > MaxCents {
		return 0, ErrTooLarge
	}
	return c, nil
}

// ungroup checks the grouping of the whole euros and returns their digits.
// dec is the decimal separator found ("" for none).
func ungroup(whole, dec string) (string, error) {
	i := strings.IndexFunc(whole, func(r rune) bool { return r < '0' || r > '9' })
	if i < 0 {
		return whole, nil
	}
	r, _ := utf8.DecodeRuneInString(whole[i:])
	g := string(r)
	switch {
	case g == dec, g == "," && dec == "":
		return "", ErrFormat
	case g != "." && g != "," && !isSpace(r):
		return "", ErrFormat
	}
	groups := strings.Split(whole, g)
	if len(groups[0]) < 1 || len(groups[0]) > 3 || !digits(groups[0]) {
		return "", ErrFormat
	}
	for _, grp := range groups[1:] {
		if len(grp) != 3 || !digits(grp) {
			return "", ErrFormat
		}
	}
	return strings.Join(groups, ""), nil
}

func digits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// isSpace is a space people type or paste in an amount: space, no-break
// space and narrow no-break space.
func isSpace(r rune) bool { return r == ' ' || r == '\u00a0' || r == '\u202f' }

// Format prints cents as "€ 1.250,50" (negative: "€ -1.250,50").
func Format(c Cents) string {
	return "€ " + Plain(c)
}

// Plain prints cents as "1.250,50", without the euro sign.
func Plain(c Cents) string {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	euros := strconv.FormatInt(c/100, 10)
	var b strings.Builder
	for i, r := range euros {
		if i > 0 && (len(euros)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	return sign + b.String() + "," + leftPad(strconv.FormatInt(c%100, 10))
}

// Input prints cents as a form field shows them: "1250,50".
func Input(c Cents) string {
	if c%100 == 0 {
		return strconv.FormatInt(c/100, 10)
	}
	return strconv.FormatInt(c/100, 10) + "," + leftPad(strconv.FormatInt(c%100, 10))
}

func leftPad(s string) string {
	if len(s) < 2 {
		return "0" + s
	}
	return s
}
