package settings

import (
	"net/mail"
	"net/url"
	"regexp"
	"strings"

	"wholesale/internal/apperr"
	"wholesale/internal/i18n"
	"wholesale/internal/ident"
	"wholesale/internal/validate"
)

// The longest value of each text field, as the table's CHECKs allow.
const (
	NameMax     = 100
	StreetMax   = 100
	PostcodeMax = 20
	CityMax     = 100
	PhoneMax    = 30
	WebsiteMax  = 100
	// ReasonMax bounds the reason of a closing day.
	ReasonMax = 200
)

// Input is the settings form as typed: every detail and the cutoff as
// "HH:MM".
type Input struct {
	Name, Street, Postcode, City, Country string
	VATID, KvK, IBAN, BIC                 string
	Email, Phone, Website                 string
	Cutoff                                string
}

// InputOf is the form filled in with s.
func InputOf(s *Settings) Input {
	return Input{Name: s.Name, Street: s.Street, Postcode: s.Postcode, City: s.City, Country: s.Country,
		VATID: s.VATID, KvK: s.KvK, IBAN: s.IBAN, BIC: s.BIC, Email: s.Email, Phone: s.Phone, Website: s.Website,
		Cutoff: s.Cutoff()}
}

var (
	nlPostcode = regexp.MustCompile(`^(\d{4})\s*([A-Z]{2})$`)
	country    = regexp.MustCompile(`^[A-Z]{2}$`)
	bic        = regexp.MustCompile(`^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$`)
	cutoff     = regexp.MustCompile(`^(\d{1,2})[:.](\d{2})$`)
)

// Validate normalises the input and returns a message per wrong field.
// Every text is one line of valid UTF-8 without control characters, within
// the length the table allows. The details may be empty (Missing tells
// which an invoice still needs), but what is filled in must be right: a
// Dutch postcode as 1234 AB, the two-letter country code (NL when empty),
// the VAT id in its member state's format with the Dutch check digits,
// the KvK number as 8 digits, the IBAN with its length and mod-97 check
// digits, the BIC as 8 or 11 letters and digits, the e-mail address, a
// telephone number of 8 to 15 digits and a web address starting with
// http:// or https://. The cutoff is required, 00:00 to 23:59.
func (in *Input) Validate() apperr.FieldErrors {
	fe := apperr.FieldErrors{}
	line := func(field string, s *string, max int) bool {
		*s = strings.TrimSpace(*s)
		return validate.Line(fe, field, *s, max)
	}
	line("name", &in.Name, NameMax)
	line("street", &in.Street, StreetMax)
	line("city", &in.City, CityMax)
	if line("country", &in.Country, validate.ShortMax) {
		if in.Country = validate.Upper(in.Country); in.Country == "" {
			in.Country = "NL"
		}
		if !country.MatchString(in.Country) {
			fe.Add("country", i18n.M("Enter the two-letter country code, e.g. NL or BE."))
		}
	}
	if line("postcode", &in.Postcode, PostcodeMax) && in.Postcode != "" {
		in.Postcode = validate.Upper(in.Postcode)
		if m := nlPostcode.FindStringSubmatch(in.Postcode); m != nil && in.Country == "NL" {
			in.Postcode = m[1] + " " + m[2]
		} else if in.Country == "NL" {
			fe.Add("postcode", i18n.M("A Dutch postcode is 4 digits and 2 letters, e.g. 1234 AB."))
		}
	}
	in.validateIDs(fe, line)
	if line("email", &in.Email, validate.EmailMax) && in.Email != "" {
		in.Email = validate.Lower(in.Email)
		if validate.Email(fe, "email", in.Email) {
			if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email {
				fe.Add("email", i18n.M("Enter a valid e-mail address, like inkoop@bedrijf.nl."))
			}
		}
	}
	if line("phone", &in.Phone, PhoneMax) && in.Phone != "" {
		if digits := strings.Map(keepDigit, in.Phone); len(digits) < 8 || len(digits) > 15 || strings.Trim(in.Phone, "0123456789 +-()") != "" {
			fe.Add("phone", i18n.M("Enter a telephone number of 8 to 15 digits, e.g. +31 20 123 4567."))
		}
	}
	if line("website", &in.Website, WebsiteMax) && in.Website != "" {
		if u, err := url.Parse(in.Website); err != nil || (u.Scheme != "https" && u.Scheme != "http") || !strings.Contains(u.Host, ".") {
			fe.Add("website", i18n.M("Enter the web address in full, starting with https://."))
		}
	}
	if line("cutoff", &in.Cutoff, validate.ShortMax) {
		if _, msg := ParseCutoff(in.Cutoff); !msg.IsZero() {
			fe.Add("cutoff", msg)
		}
	}
	return fe
}

// validateIDs checks and normalises the VAT id, the KvK number, the IBAN
// and the BIC, each when filled in.
func (in *Input) validateIDs(fe apperr.FieldErrors, line func(string, *string, int) bool) {
	var msg i18n.Message
	if line("vat_id", &in.VATID, validate.ShortMax) && in.VATID != "" {
		if in.VATID, msg = ident.ParseVAT(in.VATID); !msg.IsZero() {
			fe.Add("vat_id", msg)
		}
	}
	if line("kvk", &in.KvK, validate.ShortMax) && in.KvK != "" {
		if in.KvK, msg = ident.ParseKvK(in.KvK); !msg.IsZero() {
			fe.Add("kvk", msg)
		}
	}
	if line("iban", &in.IBAN, validate.ShortMax) && in.IBAN != "" {
		if in.IBAN, msg = ident.ParseIBAN(in.IBAN); !msg.IsZero() {
			fe.Add("iban", msg)
		}
	}
	if line("bic", &in.BIC, validate.ShortMax) && in.BIC != "" {
		in.BIC = strings.ReplaceAll(validate.Upper(in.BIC), " ", "")
		if !bic.MatchString(in.BIC) {
			fe.Add("bic", i18n.M("A BIC is 8 or 11 letters and digits, e.g. ABNANL2A."))
		}
	}
}

func keepDigit(r rune) rune {
	if r >= '0' && r <= '9' {
		return r
	}
	return -1
}

// ParseCutoff reads a time of day typed as "17:00" (or "17.00", or
// "9:30") and returns it in minutes after midnight, with a message when
// it is not a time from 00:00 to 23:59.
func ParseCutoff(s string) (int, i18n.Message) {
	m := cutoff.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, i18n.M("Enter the time as hours and minutes, e.g. 17:00.")
	}
	hours, minutes := atoi(m[1]), atoi(m[2])
	if hours > 23 || minutes > 59 {
		return 0, i18n.M("Enter a time from 00:00 to 23:59.")
	}
	return hours*60 + minutes, i18n.Message{}
}

// atoi reads at most two ASCII digits.
func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

// apply puts the validated input into s.
func (in *Input) apply(s *Settings) {
	s.Name, s.Street, s.Postcode, s.City, s.Country = in.Name, in.Street, in.Postcode, in.City, in.Country
	s.VATID, s.KvK, s.IBAN, s.BIC = in.VATID, in.KvK, in.IBAN, in.BIC
	s.Email, s.Phone, s.Website = in.Email, in.Phone, in.Website
	s.CutoffMinutes, _ = ParseCutoff(in.Cutoff)
}
