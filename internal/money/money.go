// Package money handles amounts in integer euro cents: parsing what people
// type and printing amounts the Dutch way.
package money

import (
	"errors"
	"strconv"
	"strings"
)

// Cents is an amount in euro cents.
type Cents = int64

// ErrFormat says an amount could not be read.
var ErrFormat = errors.New("money: not an amount")

// Parse reads an amount in euros as people type it: "1250", "1.250,50",
// "1250.50", "€ 1 250,5". A comma or a point followed by one or two digits at
// the end is the decimal separator; other points, commas and spaces group
// thousands. Negative amounts are refused.
func Parse(s string) (Cents, error) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "€"))
	s = strings.ReplaceAll(strings.ReplaceAll(s, " ", ""), "\u00a0", "")
	if s == "" {
		return 0, ErrFormat
	}
	whole, frac := s, ""
	if i := strings.LastIndexAny(s, ",."); i >= 0 && len(s)-i-1 <= 2 && len(s)-i-1 >= 1 {
		whole, frac = s[:i], s[i+1:]
	}
	whole = strings.NewReplacer(".", "", ",", "").Replace(whole)
	if whole == "" {
		whole = "0"
	}
	for _, part := range []string{whole, frac} {
		if strings.Trim(part, "0123456789") != "" {
			return 0, ErrFormat
		}
	}
	if len(whole) > 13 {
		return 0, ErrFormat
	}
	euros, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, ErrFormat
	}
	for len(frac) < 2 {
		frac += "0"
	}
	cents, _ := strconv.ParseInt(frac, 10, 64)
	return euros*100 + cents, nil
}

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
