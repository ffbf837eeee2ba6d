package ident

import (
	"fmt"
	"strings"
	"testing"
)

// ibanExamples are the example IBANs of the SWIFT IBAN registry, one for
// each of its countries; their banks compute them with the national check
// digits too.
var ibanExamples = []string{
	"AD1200012030200359100100", "AE070331234567890123456", "AL47212110090000000235698741", "AT611904300234573201",
	"AZ21NABZ00000000137010001944", "BA391290079401028494", "BE68539007547034", "BG80BNBG96611020345678",
	"BH67BMAG00001299123456", "BI4210000100010000332045181", "BR1800360305000010009795493C1", "BY13NBRB3600900000002Z00AB00",
	"CH9300762011623852957", "CR05015202001026284066", "CY17002001280000001200527600", "CZ6508000000192000145399",
	"DE89370400440532013000", "DJ2100010000000154000100186", "DK5000400440116243", "DO28BAGR00000001212453611324",
	"EE382200221020145685", "EG380019000500000000263180002", "ES9121000418450200051332", "FI2112345600000785",
	"FK88SC123456789012", "FO6264600001631634", "FR1420041010050500013M02606", "GB29NWBK60161331926819",
	"GE29NB0000000101904917", "GI75NWBK000000007099453", "GL8964710001000206", "GR1601101250000000012300695",
	"GT82TRAJ01020000001210029690", "HN88CABF00000000000250005469", "HR1210010051863000160", "HU42117730161111101800000000",
	"IE29AIBK93115212345678", "IL620108000000099999999", "IQ98NBIQ850123456789012", "IS140159260076545510730339",
	"IT60X0542811101000000123456", "JO94CBJO0010000000000131000302", "KW81CBKU0000000000001234560101", "KZ86125KZT5004100100",
	"LB62099900000001001901229114", "LC55HEMM000100010012001200023015", "LI21088100002324013AA", "LT121000011101001000",
	"LU280019400644750000", "LV80BANK0000435195001", "LY83002048000020100120361", "MC5811222000010123456789030",
	"MD24AG000225100013104168", "ME25505000012345678951", "MK07250120000058984", "MN121234123456789123",
	"MR1300020001010000123456753", "MT84MALT011000012345MTLCAST001S", "MU17BOMM0101101030300200000MUR", "NI45BAPR00000013000003558124",
	"NL91ABNA0417164300", "NO9386011117947", "OM810180000001299123456", "PK36SCBL0000001123456702",
	"PL61109010140000071219812874", "PS92PALS000000000400123456702", "PT50000201231234567890154", "QA58DOHB00001234567890ABCDEFG",
	"RO49AAAA1B31007593840000", "RS35260005601001611379", "RU0204452560040702810412345678901", "SA0380000000608010167519",
	"SC18SSCB11010000000000001497USD", "SD2129010501234001", "SE4550000000058398257466", "SI56263300012039086",
	"SK3112000000198742637541", "SM86U0322509800000000270100", "SO211000001001000100141", "ST68000100010051845310112",
	"SV62CENR00000000000000700025", "TL380080012345678910157", "TN5910006035183598478831", "TR330006100519786457841326",
	"UA213223130000026007233566001", "VA59001123000012345678", "VG96VPVG0000012345678901", "XK051212012345678906",
	"YE15CBYE0001018861234567891234",
}

// TestEveryRegistryCountryHasItsValidExample checks that each country of
// the registry is known with its length, its account structure and its
// national checks: the registry's own example passes, also written in
// groups of four, and every registry country has an example.
func TestEveryRegistryCountryHasItsValidExample(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range ibanExamples {
		seen[s[:2]] = true
		for _, in := range []string{s, FormatIBAN(s), "IBAN: " + strings.ToLower(FormatIBAN(s))} {
			if got, msg := ParseIBAN(in); !msg.IsZero() || got != s {
				t.Errorf("%q: %q %s", in, got, msg)
			}
		}
	}
	for cc := range ibanRegistry {
		if !seen[cc] {
			t.Errorf("%s has no example", cc)
		}
	}
	for _, cc := range strings.Fields("BI DJ FK HN LY MN NI OM RU SD SO YE") {
		if ibanRegistry[cc] == "" {
			t.Errorf("%s is missing from the registry", cc)
		}
	}
}

// withCheckDigits gives iban the ISO 7064 check digits that make it pass
// mod 97, whatever its account part.
func withCheckDigits(iban string) string {
	return fmt.Sprintf("%s%02d%s", iban[:2], 98-mod97(iban[4:]+iban[:2]+"00"), iban[4:])
}

// TestNationalCheckDigitsAreChecked changes one digit of the account part
// of each registry example whose country has national check digits, keeps
// the IBAN's own check digits right, and expects the national check to
// refuse it; the same change in a country without national checks passes.
func TestNationalCheckDigitsAreChecked(t *testing.T) {
	for _, s := range ibanExamples {
		cc := s[:2]
		last := len(s) - 1
		switch cc {
		case "IT", "SM":
			last = 5 // a digit of the ABI: the CIN letter is computed over it
		case "AL", "PL":
			last = 11 // the check digit of bank and branch
		case "IS":
			last = 24 // the check digit of the holder's kennitala
		}
		for s[last] < '0' || s[last] > '9' {
			last--
		}
		b := []byte(s)
		b[last] = '0' + (b[last]-'0'+1)%10
		changed := withCheckDigits(string(b))
		_, msg := ParseIBAN(changed)
		switch {
		case nationalChecks[cc] != nil && !strings.Contains(msg.String(), "bank's own check digits"):
			t.Errorf("%s: %q: %q", cc, changed, msg)
		case nationalChecks[cc] == nil && !msg.IsZero():
			t.Errorf("%s (no national check): %q: %q", cc, changed, msg)
		}
	}
	if len(nationalChecks) < 20 {
		t.Errorf("%d countries with national checks", len(nationalChecks))
	}
}

// TestIBANMessagesSayWhatIsWrong checks the message of each kind of
// mistake, the letter in a Dutch account number first.
func TestIBANMessagesSayWhatIsWrong(t *testing.T) {
	for in, want := range map[string]string{
		"NL56 3003 0A17 1643 00":                    "Character 5 of an IBAN of NL is a letter, not a digit",
		withCheckDigits("NL00ABNA0A17164300"):       "Character 10 of an IBAN of NL is a digit, not a letter",
		withCheckDigits("GB00WEST1234569876543A"):   "Character 22 of an IBAN of GB is a digit",
		"NL91ABNA0417164301":                        "check digits of this IBAN do not add up",
		"NL91ABNA041716430":                         "An IBAN of NL has 18 characters; this one has 17",
		"DE8937040044053201300":                     "has 22 characters",
		"XX91ABNA0417164300":                        "known country code",
		"NLAAABNA0417164300":                        "3rd and 4th characters",
		"NL91-ABNA-0417-1643-0€":                    "only letters and digits",
		"":                                          "Enter the IBAN",
		"NL91ABNA0417164300\n; --":                  "only letters and digits",
		withCheckDigits("DE00000000000000000000"):   "never all zeros",
		withCheckDigits("BE00539007547035"):         "bank's own check digits",
		withCheckDigits("ES0021000418460200051332"): "bank's own check digits",
		strings.Repeat("NL91ABNA0417164300", 10):    "far longer",
	} {
		if _, msg := ParseIBAN(in); !strings.Contains(msg.String(), want) {
			t.Errorf("%q: %q, want %q", in, msg, want)
		}
	}
	if got := FormatIBAN("NL91ABNA0417164300"); got != "NL91 ABNA 0417 1643 00" {
		t.Errorf("format: %q", got)
	}
}
