package customers

import (
	"regexp"
	"strings"

	"wholesale/internal/i18n"
)

// normalizeID upper-cases an identifier and drops the spaces, dots and
// dashes people type in it.
func normalizeID(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == ' ' || r == '.' || r == '-' || r == '\t' || r == '\u00a0':
			return -1
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		}
		return r
	}, s)
}

// NormalizeKvK returns the KvK number without spaces and whether it is
// exactly 8 digits.
func NormalizeKvK(s string) (string, bool) {
	n := normalizeID(s)
	if len(n) != 8 {
		return n, false
	}
	for _, r := range n {
		if r < '0' || r > '9' {
			return n, false
		}
	}
	return n, true
}

// vatFormats are the VAT id formats of the EU member states (and XI, Northern
// Ireland), after the two-letter prefix. Greece uses EL, not GR.
var vatFormats = map[string]*regexp.Regexp{
	"AT": regexp.MustCompile(`^U\d{8}$`),
	"BE": regexp.MustCompile(`^[01]\d{9}$`),
	"BG": regexp.MustCompile(`^\d{9,10}$`),
	"CY": regexp.MustCompile(`^\d{8}[A-Z]$`),
	"CZ": regexp.MustCompile(`^\d{8,10}$`),
	"DE": regexp.MustCompile(`^\d{9}$`),
	"DK": regexp.MustCompile(`^\d{8}$`),
	"EE": regexp.MustCompile(`^\d{9}$`),
	"EL": regexp.MustCompile(`^\d{9}$`),
	"ES": regexp.MustCompile(`^[A-Z0-9]\d{7}[A-Z0-9]$`),
	"FI": regexp.MustCompile(`^\d{8}$`),
	"FR": regexp.MustCompile(`^[A-HJ-NP-Z0-9]{2}\d{9}$`),
	"HR": regexp.MustCompile(`^\d{11}$`),
	"HU": regexp.MustCompile(`^\d{8}$`),
	"IE": regexp.MustCompile(`^(\d{7}[A-W][A-I]?|\d[A-Z+*]\d{5}[A-W])$`),
	"IT": regexp.MustCompile(`^\d{11}$`),
	"LT": regexp.MustCompile(`^(\d{9}|\d{12})$`),
	"LU": regexp.MustCompile(`^\d{8}$`),
	"LV": regexp.MustCompile(`^\d{11}$`),
	"MT": regexp.MustCompile(`^\d{8}$`),
	"NL": regexp.MustCompile(`^\d{9}B\d{2}$`),
	"PL": regexp.MustCompile(`^\d{10}$`),
	"PT": regexp.MustCompile(`^\d{9}$`),
	"RO": regexp.MustCompile(`^\d{2,10}$`),
	"SE": regexp.MustCompile(`^\d{10}01$`),
	"SI": regexp.MustCompile(`^\d{8}$`),
	"SK": regexp.MustCompile(`^\d{10}$`),
	"XI": regexp.MustCompile(`^(\d{9}|\d{12}|GD\d{3}|HA\d{3})$`),
}

// ParseVATID normalises a VAT id and checks it against its member state's
// format and, for NL, its check digits. It returns the normalised id and a
// message saying what is wrong, or "" when it is valid.
func ParseVATID(s string) (string, i18n.Message) {
	id := normalizeID(s)
	if len(id) < 4 {
		return id, i18n.M("Enter the VAT id with its country prefix, e.g. NL123456789B01.")
	}
	cc := id[:2]
	if cc == "GR" {
		return id, i18n.M("Greek VAT ids start with EL, not GR.")
	}
	re, ok := vatFormats[cc]
	if !ok {
		return id, i18n.M("The VAT id must start with the code of an EU member state (NL, BE, DE, …).")
	}
	if !re.MatchString(id[2:]) {
		if cc == "NL" {
			return id, i18n.M("A Dutch VAT id is NL, 9 digits, B and 2 digits, e.g. NL123456789B01.")
		}
		return id, i18n.M("This is not the format of a VAT id of %s.", cc)
	}
	if cc == "NL" && !nlVATCheck(id) {
		return id, i18n.M("The check digits of this Dutch VAT id do not add up: please check it for typing errors.")
	}
	return id, i18n.Message{}
}

// nlVATCheck is the Dutch rule: the 9 digits pass the elfproef (the old
// RSIN-based numbers) or the whole id passes ISO 7064 mod 97-10 (the
// numbers issued to sole proprietors since 2020).
func nlVATCheck(id string) bool {
	d := id[2:11]
	sum := 0
	for i := 0; i < 8; i++ {
		sum += (9 - i) * int(d[i]-'0')
	}
	sum -= int(d[8] - '0')
	if sum%11 == 0 {
		return true
	}
	return mod97(id) == 1
}

// mod97 reads s as digits, letters counting A=10 … Z=35, and returns it mod 97.
func mod97(s string) int {
	rem := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			rem = (rem*10 + int(r-'0')) % 97
		case r >= 'A' && r <= 'Z':
			rem = (rem*100 + int(r-'A'+10)) % 97
		default:
			return -1
		}
	}
	return rem
}

// ibanLengths are the IBAN lengths per country (the SWIFT IBAN registry).
var ibanLengths = map[string]int{
	"AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29,
	"BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29,
	"ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28,
	"HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20,
	"LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
	"MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29,
	"RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28,
	"TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}

// ParseIBAN normalises an IBAN and checks its country length and mod-97
// check digits. It returns the normalised IBAN and a message, or "" when valid.
func ParseIBAN(s string) (string, i18n.Message) {
	iban := normalizeID(s)
	if len(iban) < 5 {
		return iban, i18n.M("Enter the IBAN, e.g. NL91ABNA0417164300.")
	}
	for _, r := range iban {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z') {
			return iban, i18n.M("An IBAN has only letters and digits.")
		}
	}
	want, ok := ibanLengths[iban[:2]]
	if !ok {
		return iban, i18n.M("The IBAN must start with a known country code.")
	}
	if iban[2] < '0' || iban[2] > '9' || iban[3] < '0' || iban[3] > '9' {
		return iban, i18n.M("The 3rd and 4th characters of an IBAN are digits.")
	}
	if len(iban) != want {
		return iban, i18n.M("An IBAN of %s has %d characters; this one has %d.", iban[:2], want, len(iban))
	}
	if mod97(iban[4:]+iban[:4]) != 1 {
		return iban, i18n.M("The check digits of this IBAN do not add up: please check it for typing errors.")
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
