package ident

import (
	"strings"

	"wholesale/internal/i18n"
)

// vatRule is how one member state's VAT ids are checked: fix completes a
// number written without a leading zero the country's rules allow to be
// left off, check says what is wrong with the number after the prefix
// (a zero message when it is valid).
type vatRule struct {
	fix   func(n string) string
	check func(n string) i18n.Message
}

// vatRules are the rules of the EU member states and XI (Northern Ireland,
// under the Windsor Framework). Greece uses EL, not GR.
var vatRules = map[string]vatRule{
	"AT": {nil, checkAT}, "BE": {fixBE, checkBE}, "BG": {nil, checkBG}, "CY": {nil, checkCY},
	"CZ": {nil, checkCZ}, "DE": {nil, checkDE}, "DK": {nil, checkDK}, "EE": {nil, checkEE},
	"EL": {fixEL, checkEL}, "ES": {nil, checkES}, "FI": {nil, checkFI}, "FR": {nil, checkFR},
	"HR": {nil, checkHR}, "HU": {nil, checkHU}, "IE": {nil, checkIE}, "IT": {nil, checkIT},
	"LT": {nil, checkLT}, "LU": {nil, checkLU}, "LV": {nil, checkLV}, "MT": {nil, checkMT},
	"NL": {fixNL, checkNL}, "PL": {nil, checkPL}, "PT": {nil, checkPT}, "RO": {nil, checkRO},
	"SE": {nil, checkSE}, "SI": {nil, checkSI}, "SK": {nil, checkSK}, "XI": {nil, checkXI},
}

// VATShaped is s cleaned as ParseVAT cleans it, when it has the shape of a
// VAT id (a member state's prefix, then at most 13 letters and digits),
// whether or not its check digits hold; false otherwise. A search looks
// a text up as a VAT id only then: a customer's name ("Hotel Smits
// Amersfoort B.V.") never is one, and asking the index for it cost the
// customer search more than the name's own lookup.
func VATShaped(s string) (string, bool) {
	id, msg := ParseVAT(s)
	if msg.IsZero() {
		return id, true
	}
	if len(id) < 3 || len(id) > 15 {
		return "", false
	}
	if _, ok := vatRules[id[:2]]; !ok {
		return "", false
	}
	for i := 2; i < len(id); i++ {
		if c := id[i]; !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c == '+' || c == '*') {
			return "", false
		}
	}
	return id, true
}

// ParseVAT cleans a VAT id as people paste it (spaces, dots, dashes,
// commas, slashes, a colon after the prefix, a Belgian "(0)", a leading
// zero left off where the country allows it) and checks it by its member
// state's rules: length, format, check digits, and no all-zero or
// reserved numbers. It returns the canonical id (prefix and number, upper
// case, nothing between) and a message saying what is wrong, or a zero
// message when the id is valid.
func ParseVAT(s string) (string, i18n.Message) {
	if len(s) > maxInput {
		return s, i18n.M("A VAT id has at most 15 letters and digits; this is far longer.")
	}
	id := clean(s)
	if len(id) < 3 {
		return id, i18n.M("Enter the VAT id with its country prefix, e.g. NL123456789B01.")
	}
	cc, n := id[:2], id[2:]
	if cc == "GR" {
		return id, i18n.M("Greek VAT ids start with EL, not GR.")
	}
	rule, ok := vatRules[cc]
	if !ok {
		if isDigits(cc) {
			return id, i18n.M("Enter the VAT id with its country prefix, e.g. NL123456789B01.")
		}
		return id, i18n.M("The VAT id must start with the code of an EU member state (NL, BE, DE, …).")
	}
	if cc == "BE" && strings.HasPrefix(n, "(0)") {
		n = "0" + n[3:]
	}
	for i := 0; i < len(n); i++ {
		c := n[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || cc == "IE" && i == 1 && (c == '+' || c == '*')) {
			return id, i18n.M("A VAT id has only letters and digits after its country code.")
		}
	}
	if len(n) > 13 {
		return id, vatShape(cc)
	}
	if rule.fix != nil {
		n = rule.fix(n)
	}
	id = cc + n
	if allZeros(n) {
		return id, i18n.M("A VAT id is never all zeros.")
	}
	return id, rule.check(n)
}

// badCheck is the message for check digits that do not add up.
func badCheck() i18n.Message {
	return i18n.M("The check digits of this VAT id do not add up: please check it for typing errors.")
}

// badDate is the message for a VAT id that holds a date of birth (of a
// person trading under it) which is not a date.
func badDate() i18n.Message {
	return i18n.M("The date of birth in this VAT id is not a date: please check it for typing errors.")
}

// vatShape says how a VAT id of the member state cc is written, with a
// valid example.
func vatShape(cc string) i18n.Message {
	switch cc {
	case "AT":
		return i18n.M("An Austrian VAT id is ATU and 8 digits, e.g. ATU13585627.")
	case "BE":
		return i18n.M("A Belgian VAT id is BE and 10 digits, starting with 0 or 1, e.g. BE0403019261.")
	case "BG":
		return i18n.M("A Bulgarian VAT id is BG and 9 or 10 digits, e.g. BG175074752.")
	case "CY":
		return i18n.M("A Cypriot VAT id is CY, 8 digits and a letter, e.g. CY10259033P.")
	case "CZ":
		return i18n.M("A Czech VAT id is CZ and 8, 9 or 10 digits, e.g. CZ25123891.")
	case "DE":
		return i18n.M("A German VAT id is DE and 9 digits, not starting with 0, e.g. DE136695976.")
	case "DK":
		return i18n.M("A Danish VAT id is DK and 8 digits, not starting with 0, e.g. DK13585628.")
	case "EE":
		return i18n.M("An Estonian VAT id is EE and 9 digits, e.g. EE100931558.")
	case "EL":
		return i18n.M("A Greek VAT id is EL and 9 digits, e.g. EL094259216.")
	case "ES":
		return i18n.M("A Spanish VAT id is ES and 9 characters: 7 digits between a letter or digit and a letter or digit, e.g. ESB58378431.")
	case "FI":
		return i18n.M("A Finnish VAT id is FI and 8 digits, e.g. FI20774740.")
	case "FR":
		return i18n.M("A French VAT id is FR, 2 check digits or letters and the 9-digit SIREN, e.g. FR40303265045.")
	case "HR":
		return i18n.M("A Croatian VAT id is HR and 11 digits, e.g. HR33392005961.")
	case "HU":
		return i18n.M("A Hungarian VAT id is HU and 8 digits, e.g. HU12892312.")
	case "IE":
		return i18n.M("An Irish VAT id is IE, 7 digits and 1 or 2 letters, e.g. IE6433435OA.")
	case "IT":
		return i18n.M("An Italian VAT id is IT and 11 digits, e.g. IT00743110157.")
	case "LT":
		return i18n.M("A Lithuanian VAT id is LT and 9 or 12 digits, e.g. LT119511515.")
	case "LU":
		return i18n.M("A Luxembourg VAT id is LU and 8 digits, e.g. LU15027442.")
	case "LV":
		return i18n.M("A Latvian VAT id is LV and 11 digits, e.g. LV40003521600.")
	case "MT":
		return i18n.M("A Maltese VAT id is MT and 8 digits, not starting with 0, e.g. MT11679112.")
	case "NL":
		return i18n.M("A Dutch VAT id is NL, 9 digits, B and 2 digits, e.g. NL123456789B01.")
	case "PL":
		return i18n.M("A Polish VAT id is PL and 10 digits, e.g. PL8567346215.")
	case "PT":
		return i18n.M("A Portuguese VAT id is PT and 9 digits, not starting with 0, e.g. PT501964843.")
	case "RO":
		return i18n.M("A Romanian VAT id is RO and 2 to 10 digits, not starting with 0 (or a 13-digit CNP), e.g. RO18547290.")
	case "SE":
		return i18n.M("A Swedish VAT id is SE, the 10-digit organisation number and 01, e.g. SE556188840401.")
	case "SI":
		return i18n.M("A Slovenian VAT id is SI and 8 digits, not starting with 0, e.g. SI50223054.")
	case "SK":
		return i18n.M("A Slovak VAT id is SK and 10 digits, e.g. SK2022749619.")
	default:
		return i18n.M("A Northern Ireland VAT id is XI and 9 or 12 digits, or GD or HA and 3 digits, e.g. XI980780684.")
	}
}
