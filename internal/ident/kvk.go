package ident

import "wholesale/internal/i18n"

// ParseKvK cleans a KvK number (the Chamber of Commerce's registration
// number of a company) and checks it: exactly 8 digits, never all zeros.
// It returns the number and a message saying what is wrong, or a zero
// message when it is valid.
func ParseKvK(s string) (string, i18n.Message) {
	if len(s) > maxInput {
		return s, i18n.M("A KvK number is exactly 8 digits.")
	}
	n := clean(s)
	if len(n) != 8 || !isDigits(n) {
		return n, i18n.M("A KvK number is exactly 8 digits.")
	}
	if allZeros(n) {
		return n, i18n.M("A KvK number is never all zeros.")
	}
	return n, i18n.Message{}
}

// ParseBranch cleans a branch number (vestigingsnummer: the KvK's number
// of one establishment of a company) and checks it: exactly 12 digits,
// never all zeros. It returns the number and a message saying what is
// wrong, or a zero message when it is valid.
func ParseBranch(s string) (string, i18n.Message) {
	if len(s) > maxInput {
		return s, i18n.M("A branch number (vestigingsnummer) is exactly 12 digits.")
	}
	n := clean(s)
	if len(n) != 12 || !isDigits(n) {
		return n, i18n.M("A branch number (vestigingsnummer) is exactly 12 digits.")
	}
	if allZeros(n) {
		return n, i18n.M("A branch number is never all zeros.")
	}
	return n, i18n.Message{}
}
