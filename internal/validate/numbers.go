package validate

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"wholesale/internal/apperr"
	"wholesale/internal/i18n"
	"wholesale/internal/money"
)

// QuantityMax is the most pieces of one product a line, a delivery or a
// stock figure may hold. It keeps a line total (at most money.MaxCents per
// piece) far inside int64 and every quantity inside PostgreSQL's integer.
const QuantityMax = 1_000_000

// ParseWhole reads a whole number as typed: optional spaces around it, then
// only the digits 0–9 (no sign, no separators, no exponent). It returns the
// number and a message, "" when it was read; numbers above QuantityMax are
// refused here already, so no later arithmetic sees a huge value.
func ParseWhole(s string) (int, i18n.Message) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, i18n.M("Enter a number.")
	}
	if strings.Trim(s, "0123456789") != "" {
		if strings.HasPrefix(s, "-") {
			return 0, i18n.M("Enter the number without a minus sign: it cannot be negative.")
		}
		return 0, i18n.M("Enter a whole number with digits only, e.g. 12.")
	}
	t := strings.TrimLeft(s, "0")
	if len(t) > 7 { // more than QuantityMax's 7 digits: never convert it
		return 0, i18n.M("Enter at most %s.", i18n.Num(QuantityMax))
	}
	n, _ := strconv.Atoi("0" + t)
	if n > QuantityMax {
		return 0, i18n.M("Enter at most %s.", i18n.Num(QuantityMax))
	}
	return n, i18n.Message{}
}

// CheckQuantity returns what is wrong with a quantity of pieces: less than 1,
// more than QuantityMax, or more than the product's maximum per order
// (productMax; 0 or less means the product has none). "" when it is fine.
func CheckQuantity(q, productMax int) i18n.Message {
	switch {
	case q < 1:
		return i18n.M("The quantity must be at least 1.")
	case q > QuantityMax:
		return i18n.M("The quantity can be at most %s.", i18n.Num(QuantityMax))
	case productMax > 0 && q > productMax:
		return i18n.M("This product is sold at most %s per order.", i18n.Num(productMax))
	}
	return i18n.Message{}
}

// Quantity adds CheckQuantity's message to fe under field and reports
// whether the quantity passed. Use it for quantities that arrive as numbers
// (JSON); QuantityText reads a typed one.
func Quantity(fe apperr.FieldErrors, field string, q, productMax int) bool {
	return add(fe, field, CheckQuantity(q, productMax))
}

// QuantityText reads a typed quantity with ParseWhole and bounds it with
// CheckQuantity, adding the message to fe under field. It returns the
// quantity and whether it passed.
func QuantityText(fe apperr.FieldErrors, field, s string, productMax int) (int, bool) {
	q, msg := ParseWhole(s)
	if msg.IsZero() {
		msg = CheckQuantity(q, productMax)
	}
	return q, add(fe, field, msg)
}

// Count bounds a whole number that may be zero (pieces received, stock on
// hand, days) to lo..hi, adding a message under field. It reports whether
// the number passed.
func Count(fe apperr.FieldErrors, field string, n, lo, hi int) bool {
	if n < lo || n > hi {
		return add(fe, field, i18n.M("Enter a number from %s to %s.", i18n.Num(lo), i18n.Num(hi)))
	}
	return true
}

// CheckMoney reads a typed amount in euros with money.Parse and returns the
// cents and a message, "" when it was read. Too large amounts and ambiguous
// ones (like "12.50,0") get their own message.
func CheckMoney(s string) (money.Cents, i18n.Message) {
	c, err := money.Parse(s)
	switch {
	case err == nil:
		return c, i18n.Message{}
	case errors.Is(err, money.ErrTooLarge):
		return 0, i18n.M("Amounts above %s are not accepted.", i18n.Amount(money.MaxCents))
	case errors.Is(err, money.ErrNegative):
		return 0, i18n.M("Enter an amount of 0 or more, without a minus sign.")
	}
	return 0, i18n.M("Enter an amount in euros, e.g. 1250, 1250,50, 1.250,50 or 1250.50: with one decimal comma (or point) and at most 2 decimals.")
}

// Money reads a typed amount like CheckMoney and adds the message to fe
// under field. It returns the cents and whether the amount was read.
func Money(fe apperr.FieldErrors, field, s string) (money.Cents, bool) {
	c, msg := CheckMoney(s)
	return c, add(fe, field, msg)
}

// Cents bounds an amount that arrives as a number (JSON, a computed price)
// to 0..money.MaxCents, adding a message under field.
func Cents(fe apperr.FieldErrors, field string, c money.Cents) bool {
	switch {
	case c < 0:
		return add(fe, field, i18n.M("Enter an amount of 0 or more."))
	case c > money.MaxCents:
		return add(fe, field, i18n.M("Amounts above %s are not accepted.", i18n.Amount(money.MaxCents)))
	}
	return true
}

// Business dates are between these years: a date outside them is a typing
// error (0026 for 2026), and the database's date range is never reached.
const (
	MinYear = 2000
	MaxYear = 2099
)

// dateLayouts are the ways a date is read: as a date field sends it
// ("2026-11-24"), and as people type it where a browser shows a text
// field: the Dutch "24-11-2026" and the English "24 Nov 2026".
var dateLayouts = []string{"2006-01-02", "02-01-2006", "2-1-2006", "2 Jan 2006", "02 Jan 2006"}

// ParseDate reads a date in one of dateLayouts and returns it (midnight
// UTC) and a message, none when it was read and lies within
// MinYear..MaxYear.
func ParseDate(s string) (time.Time, i18n.Message) {
	s = strings.TrimSpace(s)
	for _, layout := range dateLayouts {
		d, err := time.Parse(layout, s)
		if err != nil {
			continue
		}
		if d.Year() < MinYear || d.Year() > MaxYear {
			return time.Time{}, i18n.M("Enter a date from %d to %d.", MinYear, MaxYear)
		}
		return d, i18n.Message{}
	}
	return time.Time{}, i18n.M("Enter the date, e.g. %s.", i18n.D(time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)))
}
