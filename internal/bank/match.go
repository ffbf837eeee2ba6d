package bank

import (
	"regexp"
	"strings"

	"wholesale/internal/i18n"
	"wholesale/internal/payments"
)

// How an entry stands (bank_entries.state).
const (
	StateMatched = "matched"
	StateOpen    = "open"
	StateIgnored = "ignored"
)

// Why an entry was not matched (bank_entries.match_reason of entries that
// are not matched; matched ones hold the payments.Reason).
const (
	WhyDebit      = "debit"
	WhyNotEUR     = "not_eur"
	WhyNoMatch    = "no_match"
	WhySetAside   = "set_aside"
	WhyZeroAmount = "zero_amount"
)

// ReasonLabel says an entry's match_reason for people.
func ReasonLabel(reason string) i18n.Message {
	switch reason {
	case "":
		return i18n.Message{}
	case WhyDebit:
		return i18n.M("a debit: money we paid, not a customer's payment")
	case WhyNotEUR:
		return i18n.M("not in euros: book it by hand if it is a customer's payment")
	case WhyNoMatch:
		return i18n.M("no open invoice or prepayment order matches its reference, description or amount and IBAN")
	case WhySetAside:
		return i18n.M("set aside by finance")
	case WhyZeroAmount:
		return i18n.M("an amount of zero")
	}
	return payments.Reason(reason).Label()
}

// invoiceNumberRE finds an invoice number in a free text: 2026-000123 or
// C2026-000123, with a space, dot or nothing instead of the dash.
var invoiceNumberRE = regexp.MustCompile(`(?i)(?:^|[^0-9A-Z])(C?)\s*(20[0-9]{2})\s*[-./]?\s*([0-9]{6})(?:$|[^0-9])`)

// InvoiceNumbers returns the invoice numbers a free text names, in the
// form the invoices carry (2026-000123, C2026-000123), first first.
func InvoiceNumbers(text string) []string {
	var out []string
	for _, m := range invoiceNumberRE.FindAllStringSubmatch(text, -1) {
		n := strings.ToUpper(m[1]) + m[2] + "-" + m[3]
		if !contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// orderRefRE finds a prepayment order's payment reference (WS, nine
// digits of the order, two check digits) in a text without spaces or dots.
var orderRefRE = regexp.MustCompile(`WS[0-9]{11}`)

// OrderReferences returns the prepayment references (WS00000012345) a
// text names, spaces and dots inside them ignored.
func OrderReferences(text string) []string {
	squeezed := strings.NewReplacer(" ", "", ".", "", "-", "").Replace(strings.ToUpper(text))
	var out []string
	for _, m := range orderRefRE.FindAllString(squeezed, -1) {
		if !contains(out, m) {
			out = append(out, m)
		}
	}
	return out
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}
