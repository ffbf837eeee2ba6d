package shipping

import (
	"net/url"
	"regexp"
	"strings"

	"wholesale/internal/i18n"
)

// TrackingMax is the longest tracking number kept (shipments.tracking_number).
const TrackingMax = 40

// The tracking numbers each carrier prints on its labels, as typed or
// scanned (spaces and hyphens are dropped, letters made upper case first):
//
//   - UPS: "1Z", a 6-character shipper number, a 2-digit service code and
//     an 8-digit package number with its check digit: 1Z + 16 letters or
//     digits, e.g. 1Z999AA10123456784. (The check digit is not verified:
//     UPS does not publish its rule.)
//   - DHL Express: the 10-digit waybill number, e.g. 1234567890.
//   - DHL Parcel and DHL eCommerce: "JJD" + 18 to 20 digits (e.g.
//     JJD000390012345678901), "JVGL" + 16 to 20 digits (DHL Parcel
//     Benelux, e.g. JVGL0599123456789012), or the 12- or 20-digit parcel
//     number of DHL Paket (e.g. 00340434161094015902).
//   - PostNL: the domestic barcode "3S" + the 4-letter customer code + a
//     serial of 6 to 9 digits (PostNL's Barcode API: type 3S, range,
//     serie), e.g. 3SDEVC123456789; or, abroad, the UPU S10 item number
//     of 2 letters, 8 digits, a check digit and "NL", e.g. RR123456785NL,
//     whose check digit is verified (UPU standard S10).
//   - Own transport: any reference of ours, optional.
var trackingFormats = map[string][]trackingFormat{
	CarrierUPS: {{re: regexp.MustCompile(`^1Z[0-9A-Z]{16}$`)}},
	CarrierDHL: {{re: regexp.MustCompile(`^[0-9]{10}$`)}, {re: regexp.MustCompile(`^JJD[0-9]{18,20}$`)},
		{re: regexp.MustCompile(`^JVGL[0-9]{16,20}$`)}, {re: regexp.MustCompile(`^([0-9]{12}|[0-9]{20})$`)}},
	CarrierPostNL: {{re: regexp.MustCompile(`^3S[A-Z]{4}[0-9]{6,9}$`)}, {re: regexp.MustCompile(`^[A-Z]{2}[0-9]{9}NL$`), check: s10Valid}},
}

// trackingFormat is one form of a carrier's tracking numbers, with its
// check digit's rule when it has one that is published.
type trackingFormat struct {
	re    *regexp.Regexp
	check func(string) bool
}

// trackingHelp says what a carrier's tracking number looks like.
func trackingHelp(carrier string) i18n.Message {
	switch carrier {
	case CarrierUPS:
		return i18n.M("A UPS tracking number is 1Z followed by 16 letters or digits, e.g. %s.", "1Z999AA10123456784")
	case CarrierDHL:
		return i18n.M("A DHL tracking number is a waybill of 10 digits, a parcel number of 12 or 20 digits, or JJD or JVGL followed by digits, e.g. %s.", "JJD000390012345678901")
	}
	return i18n.M("A PostNL barcode is 3S, the 4 letters of the customer code and 6 to 9 digits, e.g. %s; abroad, 2 letters, 9 digits and NL.", "3SDEVC123456789")
}

// NormalizeTracking reads a tracking number of carrier as typed: spaces
// and hyphens dropped and letters made upper case for the carriers, the
// text itself for own transport. It returns the number and what is wrong
// with it, zero when it is fine; a carrier's number is required, own
// transport's is not.
func NormalizeTracking(carrier, typed string) (string, i18n.Message) {
	s := strings.TrimSpace(typed)
	if carrier == CarrierOwn {
		return s, i18n.Message{}
	}
	s = strings.ToUpper(strings.NewReplacer(" ", "", "-", "", "\u00a0", "").Replace(s))
	if s == "" {
		return "", i18n.M("Enter the carrier's tracking number of the parcel.")
	}
	for _, f := range trackingFormats[carrier] {
		switch {
		case !f.re.MatchString(s):
		case f.check != nil && !f.check(s):
			return s, i18n.M("The check digit of this number does not match: please check the number.")
		default:
			return s, i18n.Message{}
		}
	}
	return s, trackingHelp(carrier)
}

// s10Valid checks the check digit of a UPU S10 item number (AA123456785NL):
// the 8 digits weighted 8, 6, 4, 2, 3, 5, 9, 7; 11 less the sum modulo 11,
// where 10 is 0 and 11 is 5.
func s10Valid(s string) bool {
	weights := [8]int{8, 6, 4, 2, 3, 5, 9, 7}
	sum := 0
	for i, w := range weights {
		sum += int(s[2+i]-'0') * w
	}
	check := 11 - sum%11
	switch check {
	case 10:
		check = 0
	case 11:
		check = 5
	}
	return int(s[10]-'0') == check
}

// TrackingURL is the carrier's page that follows a parcel, "" for own
// transport. PostNL's page wants the destination's country and postcode
// too.
func TrackingURL(carrier, number, country, postcode string) string {
	if number == "" {
		return ""
	}
	n := url.PathEscape(number)
	switch carrier {
	case CarrierUPS:
		return "https://www.ups.com/track?tracknum=" + url.QueryEscape(number)
	case CarrierDHL:
		return "https://www.dhl.com/nl-en/home/tracking.html?tracking-id=" + url.QueryEscape(number)
	case CarrierPostNL:
		u := "https://jouw.postnl.nl/track-and-trace/" + n
		if country != "" && postcode != "" {
			u += "-" + url.PathEscape(strings.ToUpper(country)) + "-" + url.PathEscape(strings.ToUpper(strings.ReplaceAll(postcode, " ", "")))
		}
		return u
	}
	return ""
}
