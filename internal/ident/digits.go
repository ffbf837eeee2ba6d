// Package ident checks the identifiers a company gives: VAT ids of the EU
// member states and Northern Ireland, IBANs of every country in the SWIFT
// IBAN registry, and KvK numbers. Each Parse function cleans what people
// paste (spaces, dots, dashes and the like) into the canonical form that is
// stored and printed, and returns it with a message saying what is wrong,
// or a zero message when the identifier is valid.
//
// The rules and check digits follow each country's published rules as
// python-stdnum documents and tests them; the IBAN account structures
// follow the SWIFT IBAN registry.
package ident

// maxInput bounds what the parsers read: no identifier, however it is
// written, is longer, so anything longer is refused before it is cleaned.
const maxInput = 80

// isDigits reports whether s is one or more ASCII digits.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// allZeros reports whether every digit of s is 0 (letters are skipped),
// and s has a digit.
func allZeros(s string) bool {
	seen := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '0':
			seen = true
		case c >= '1' && c <= '9':
			return false
		}
	}
	return seen
}

// digit is the value of the ASCII digit c.
func digit(c byte) int { return int(c - '0') }

// weighted is the sum of each digit of s times its weight (s as long as
// weights at least).
func weighted(s string, weights ...int) int {
	sum := 0
	for i, w := range weights {
		sum += w * digit(s[i])
	}
	return sum
}

// luhnSum is the Luhn checksum of the digits s: 0 when s ends in its
// Luhn check digit.
func luhnSum(s string) int {
	sum := 0
	for i := 0; i < len(s); i++ {
		d := digit(s[len(s)-1-i])
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum % 10
}

// mod11_10 reports whether the digits s pass ISO 7064 MOD 11,10.
func mod11_10(s string) bool {
	check := 5
	for i := 0; i < len(s); i++ {
		if check == 0 {
			check = 10
		}
		check = (check*2%11 + digit(s[i])) % 10
	}
	return check == 1
}

// mod97 reads s as digits, letters counting A=10 … Z=35, and returns it
// mod 97, or -1 when s has another character.
func mod97(s string) int {
	rem := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			rem = (rem*10 + digit(c)) % 97
		case c >= 'A' && c <= 'Z':
			rem = (rem*100 + int(c-'A'+10)) % 97
		default:
			return -1
		}
	}
	return rem
}

// mod returns the digits s as a number mod m.
func mod(s string, m int) int {
	rem := 0
	for i := 0; i < len(s); i++ {
		rem = (rem*10 + digit(s[i])) % m
	}
	return rem
}

// atoi is the value of the digits s (at most 9 of them).
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + digit(s[i])
	}
	return n
}

// validDate reports whether day, month and year (full) make a date.
func validDate(year, month, day int) bool {
	if month < 1 || month > 12 || day < 1 {
		return false
	}
	days := [...]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[month-1]
	if month == 2 && (year%4 == 0 && year%100 != 0 || year%400 == 0) {
		days = 29
	}
	return day <= days
}

// clean upper-cases s and drops the separators people type or paste in
// an identifier: white space, dots, dashes, commas, slashes and colons.
// Other characters are kept, so the checks that follow can refuse them.
func clean(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '.' || c == '-' || c == ',' || c == '/' || c == ':':
		case c == 0xc2 && i+1 < len(s) && s[i+1] == 0xa0: // no-break space
			i++
		case c >= 'a' && c <= 'z':
			b = append(b, c-'a'+'A')
		default:
			b = append(b, c)
		}
	}
	return string(b)
}
