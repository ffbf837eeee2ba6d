package customers_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"wholesale/internal/customers"
)

func TestKvK(t *testing.T) {
	for in, ok := range map[string]bool{
		"12345678": true, " 1234 5678 ": true, "1234567": false, "123456789": false,
		"1234567a": false, "": false, "１２３４５６７８": false, "12345678\x00": false,
	} {
		if _, got := customers.NormalizeKvK(in); got != ok {
			t.Errorf("KvK %q: %v, want %v", in, got, ok)
		}
	}
}

func TestVATID(t *testing.T) {
	valid := map[string]string{
		"NL000099998B57":    "NL000099998B57", // mod 97-10
		"NL004495445B01":    "NL004495445B01", // elfproef
		"nl 0044.95445 b01": "NL004495445B01",
		"BE0123456789":      "BE0123456789",
		"DE123456789":       "DE123456789",
		"ATU12345678":       "ATU12345678",
		"FR12345678901":     "FR12345678901",
		"EL123456789":       "EL123456789",
		"ESX1234567X":       "ESX1234567X",
		"IE1234567WA":       "IE1234567WA",
		"SE123456789001":    "SE123456789001",
		"XI123456789":       "XI123456789",
	}
	for in, want := range valid {
		got, msg := customers.ParseVATID(in)
		if !msg.IsZero() || got != want {
			t.Errorf("%q: %q %q, want %q valid", in, got, msg, want)
		}
	}
	invalid := map[string]string{
		"NL123456789B90":  "check digits",
		"NL12345678B01":   "Dutch VAT id is NL",
		"NL123456789X01":  "Dutch VAT id is NL",
		"GR123456789":     "EL, not GR",
		"US123456789":     "EU member state",
		"DE12345678":      "format",
		"BE2123456789":    "format",
		"SE123456789012":  "format",
		"":                "country prefix",
		"NL":              "country prefix",
		"<script>NL1":     "EU member state",
		"NL004495445B01'": "Dutch VAT id is NL",
	}
	for in, want := range invalid {
		_, msg := customers.ParseVATID(in)
		if !strings.Contains(msg.String(), want) {
			t.Errorf("%q: message %q, want it to say %q", in, msg, want)
		}
	}
}

func TestIBAN(t *testing.T) {
	valid := []string{
		"NL91ABNA0417164300", "nl91 abna 0417 1643 00", "NL20INGB0001234567", "BE68539007547034",
		"DE89370400440532013000", "GB82WEST12345698765432", "FR1420041010050500013M02606",
		"NO9386011117947", "CH9300762011623852957", "ES9121000418450200051332", "MT84MALT011000012345MTLCAST001S",
	}
	for _, in := range valid {
		if got, msg := customers.ParseIBAN(in); !msg.IsZero() {
			t.Errorf("%q: %q %q", in, got, msg)
		}
	}
	invalid := map[string]string{
		"NL91ABNA0417164301":       "check digits",
		"NL91ABNA041716430":        "has 18 characters",
		"DE8937040044053201300":    "has 22 characters",
		"XX91ABNA0417164300":       "country code",
		"NLAAABNA0417164300":       "digits",
		"NL91-ABNA-0417-1643-0€":   "only letters and digits",
		"":                         "Enter the IBAN",
		"NL91ABNA0417164300\n; --": "only letters and digits",
	}
	for in, want := range invalid {
		if _, msg := customers.ParseIBAN(in); !strings.Contains(msg.String(), want) {
			t.Errorf("%q: %q, want %q", in, msg, want)
		}
	}
	if got := customers.FormatIBAN("NL91ABNA0417164300"); got != "NL91 ABNA 0417 1643 00" {
		t.Errorf("format: %q", got)
	}
}

// huge are the long seeds of the parsers' fuzz targets: a 4 KB number and a
// 4 KB run of bad bytes. (Longer seeds stall the fuzzer, which minimises
// every new interesting input; TestParsersRefuseHugeInput has 10 MB.)
var huge = []string{strings.Repeat("1", 4<<10), strings.Repeat("\xff", 4<<10)}

func TestParsersRefuseHugeInput(t *testing.T) {
	for _, s := range []string{strings.Repeat("1", 10<<20), "NL" + strings.Repeat("\x00", 10<<20), strings.Repeat("\xff", 10<<20)} {
		if _, ok := customers.NormalizeKvK(s); ok {
			t.Error("KvK accepted")
		}
		if _, msg := customers.ParseVATID(s); msg.IsZero() {
			t.Error("VAT id accepted")
		}
		if _, msg := customers.ParseIBAN(s); msg.IsZero() {
			t.Error("IBAN accepted")
		}
	}
}

// Each parser never panics, and what it accepts it accepts again in its
// normalised form, which is plain ASCII.
func FuzzVATID(f *testing.F) {
	for _, s := range append([]string{"NL000099998B57", "NL004495445B01", "NL123456789B90", "ATU12345678", "", "ΕΛ123", "IE1+23456W",
		"NL004495445B01\x00", "NL\x00004495445B01", "NL004495445B0\xff", "\xffNL004495445B01"}, huge...) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, msg := customers.ParseVATID(s)
		if msg.IsZero() {
			if again, msg2 := customers.ParseVATID(id); !msg2.IsZero() || again != id {
				t.Fatalf("%q → %q not stable: %q", s, id, msg2)
			}
			if !utf8.ValidString(id) || strings.ContainsAny(id, " .-\x00") || len(id) > 16 {
				t.Fatalf("%q → %q not normalised", s, id)
			}
		}
	})
}

func FuzzIBAN(f *testing.F) {
	for _, s := range append([]string{"NL91ABNA0417164300", "GB82WEST12345698765432", "", "NL", "NL91ABNA04171643ÿ0",
		"NL91ABNA0417164300\x00", "NL91\x00ABNA0417164300", "NL91ABNA041716430\xff", "NL91 ABNA\r\n0417164300"}, huge...) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		iban, msg := customers.ParseIBAN(s)
		if msg.IsZero() {
			if again, msg2 := customers.ParseIBAN(iban); !msg2.IsZero() || again != iban {
				t.Fatalf("%q → %q not stable", s, iban)
			}
			if len(iban) > 34 {
				t.Fatalf("%q → %q longer than any IBAN", s, iban)
			}
			for _, r := range iban {
				if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z') {
					t.Fatalf("%q → %q has %q", s, iban, r)
				}
			}
		}
	})
}

func FuzzKvK(f *testing.F) {
	for _, s := range append([]string{"12345678", " 1234 5678", "", "abc", "1234567\x00", "1234\x005678", "1234567\xff", "12345678\xff"}, huge...) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := customers.NormalizeKvK(s)
		if ok && (len(n) != 8 || strings.Trim(n, "0123456789") != "") {
			t.Fatalf("%q accepted as %q", s, n)
		}
	})
}
