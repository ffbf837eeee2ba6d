package ident_test

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"wholesale/internal/ident"
)

// memberStates are the prefixes ParseVAT knows: the 27 member states
// (Greece as EL) and XI, Northern Ireland.
var memberStates = strings.Fields("AT BE BG CY CZ DE DK EE EL ES FI FR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK XI")

// TestVATPublishedExamples checks every id of testdata/vat.txt, country by
// country: the valid ones in all the ways they were written, the invalid
// ones (wrong check digits, format, length or component) refused with a
// message. Every member state has examples of both.
func TestVATPublishedExamples(t *testing.T) {
	f, err := os.Open("testdata/vat.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type example struct {
		id string
		ok bool
	}
	byCountry := map[string][]example{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		kind, id, _ := strings.Cut(sc.Text(), " ")
		if kind != "ok" && kind != "bad" {
			continue
		}
		cc := strings.ToUpper(id[:2])
		byCountry[cc] = append(byCountry[cc], example{id, kind == "ok"})
	}
	for _, cc := range memberStates {
		t.Run(cc, func(t *testing.T) {
			oks, bads := 0, 0
			for _, e := range byCountry[cc] {
				got, msg := ident.ParseVAT(e.id)
				switch {
				case e.ok && !msg.IsZero():
					t.Errorf("%q refused: %s", e.id, msg)
				case e.ok:
					oks++
					if again, msg := ident.ParseVAT(got); !msg.IsZero() || again != got || strings.Trim(got[2:], "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != "" {
						t.Errorf("%q → %q is not canonical", e.id, got)
					}
				case msg.IsZero():
					t.Errorf("%q accepted as %q", e.id, got)
				default:
					bads++
				}
			}
			if oks < 1 || bads < 1 {
				t.Errorf("%s has %d valid and %d invalid examples", cc, oks, bads)
			}
		})
	}
}

// TestVATIsCleanedToItsCanonicalForm checks that what people paste
// becomes the id that is stored and printed.
func TestVATIsCleanedToItsCanonicalForm(t *testing.T) {
	for in, want := range map[string]string{
		"DE136,695 976":        "DE136695976",
		"DK: 21599336":         "DK21599336",
		"CZ 640229/4448":       "CZ6402294448",
		"BE (0)468.561.072":    "BE0468561072",
		"BE403019261":          "BE0403019261",
		"EL 94051189":          "EL094051189",
		"NL4495445B01":         "NL004495445B01",
		"nl 0044.95445 b01":    "NL004495445B01",
		"  FR 40 303 265 045 ": "FR40303265045",
		"ie 6433435oa":         "IE6433435OA",
		"XI 980 7806 84":       "XI980780684",
		"XI-GD100":             "XIGD100",
		"ATU\u00a013585627":    "ATU13585627",
		"SE 556.383.740.901":   "SE556383740901",
		"ES-x-2482300w":        "ESX2482300W",
	} {
		got, msg := ident.ParseVAT(in)
		if !msg.IsZero() || got != want {
			t.Errorf("%q → %q %q, want %q", in, got, msg, want)
		}
	}
}

// TestVATMessagesSayWhatIsWrong checks the message of each kind of
// mistake.
func TestVATMessagesSayWhatIsWrong(t *testing.T) {
	for in, want := range map[string]string{
		"NL000000000B01":  "never all zeros",
		"NL004495445B00":  "never ends in B00",
		"BE0000000000":    "never all zeros",
		"DE000000000":     "never all zeros",
		"BE04030192611":   "A Belgian VAT id is BE and 10 digits",
		"BE2403019261":    "starting with 0 or 1",
		"DE136695978":     "check digits of this VAT id do not add up",
		"FR43303265046":   "check digits of this VAT id do not add up", // the key fits, the SIREN's Luhn digit does not
		"IE6433435OZ":     "An Irish VAT id is IE",
		"RO1630615123458": "check digits of this VAT id do not add up",
		"RO1631315123457": "date of birth",
		"NL123456789B90":  "check digits of this Dutch VAT id do not add up",
		"NL12345678X01":   "A Dutch VAT id is NL, 9 digits, B and 2 digits",
		"DE12345678":      "A German VAT id is DE and 9 digits",
		"SE123456789012":  "and 01",
		"GR094259216":     "EL, not GR",
		"US123456789":     "EU member state",
		"GB980780684":     "EU member state",
		"123456789":       "country prefix",
		"":                "country prefix",
		"NL":              "country prefix",
		"<script>NL1":     "EU member state",
		"NL004495445B01'": "only letters and digits",
		"IT00687129980":   "office code",
		"LT100001509922":  "1 as its second last digit",
		"CY12259033P":     "never starts with 12",
		"CZ95123891":      "never starts with 9",
		"XIGD600":         "GD000 to GD499",
		"LV16137519997":   "date of birth",
		"ESI1234567X":     "starts with a digit or one of the letters",
		"IT0000000012345": "An Italian VAT id is IT and 11 digits",
		"NL004495445B01" + strings.Repeat(" ", 100): "far longer",
	} {
		_, msg := ident.ParseVAT(in)
		if !strings.Contains(msg.String(), want) {
			t.Errorf("%q: %q, want it to say %q", in, msg, want)
		}
	}
}

// TestVATShapesGiveValidExamples checks that the example in each member
// state's message on the format is itself a valid id.
func TestVATShapesGiveValidExamples(t *testing.T) {
	for _, cc := range memberStates {
		_, msg := ident.ParseVAT(cc + "Q")
		text := msg.String()
		i := strings.Index(text, "e.g. ")
		if i < 0 {
			t.Errorf("%s: %q has no example", cc, text)
			continue
		}
		example := strings.TrimSuffix(text[i+5:], ".")
		if cc == "NL" {
			continue // the Dutch text shows the format with made-up digits
		}
		if _, msg := ident.ParseVAT(example); !msg.IsZero() {
			t.Errorf("%s: the example %q is refused: %s", cc, example, msg)
		}
	}
}

// VATShaped keeps what could be a VAT id to look up, check digits right or
// wrong, cleaned as ParseVAT cleans it, and nothing else: not a name.
func TestVATShaped(t *testing.T) {
	for in, want := range map[string]string{
		"NL004495445B01":              "NL004495445B01", // valid
		"nl 0044.954.45 b01":          "NL004495445B01",
		"NL004495445B02":              "NL004495445B02", // check digits wrong: still looked up
		"DE136695976":                 "DE136695976",
		"BER-AA1000":                  "BERAA1000", // a SKU that has the shape
		"Hotel Smits Amersfoort B.V.": "",
		"Bakkerij Jansen":             "", // BA is no member state
		"-":                           "",
		"NL":                          "",
		"NL12345678901234":            "", // 14 after the prefix
		"NL1234+*":                    "NL1234+*",
		"NL12«34»":                    "",
	} {
		got, ok := ident.VATShaped(in)
		if got != want || ok != (want != "") {
			t.Errorf("VATShaped(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}
