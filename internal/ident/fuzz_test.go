package ident_test

import (
	"strings"
	"testing"

	"wholesale/internal/i18n"
	"wholesale/internal/ident"
)

// huge are long seeds: a 4 KB number and a 4 KB run of bad bytes.
var huge = []string{strings.Repeat("1", 4<<10), strings.Repeat("\xff", 4<<10)}

// TestParsersRefuseHugeInput gives each parser 10 MB.
func TestParsersRefuseHugeInput(t *testing.T) {
	for _, s := range []string{strings.Repeat("1", 10<<20), "NL" + strings.Repeat("\x00", 10<<20), strings.Repeat("\xff", 10<<20)} {
		for name, parse := range map[string]func(string) (string, i18n.Message){
			"VAT": ident.ParseVAT, "IBAN": ident.ParseIBAN, "KvK": ident.ParseKvK, "branch": ident.ParseBranch,
		} {
			if _, msg := parse(s); msg.IsZero() {
				t.Errorf("%s accepted", name)
			}
		}
	}
}

// canonical checks what a parser gives for s: either a message, which
// prints in both languages without a formatting error, or an id that
// only has the characters allowed and that the parser accepts again
// unchanged.
func canonical(t *testing.T, parse func(string) (string, i18n.Message), s string, maxLen int, allowed string) {
	t.Helper()
	id, msg := parse(s)
	if !msg.IsZero() {
		for _, l := range []i18n.Lang{i18n.EN, i18n.NL} {
			if text := i18n.For(l).Text(msg); text == "" || strings.Contains(text, "%!") {
				t.Fatalf("%q: message %q in %s", s, text, l)
			}
		}
		return
	}
	if len(id) > maxLen || strings.Trim(id, allowed) != "" {
		t.Fatalf("%q → %q not canonical", s, id)
	}
	if again, msg := parse(id); !msg.IsZero() || again != id {
		t.Fatalf("%q → %q not stable: %q %q", s, id, again, msg)
	}
}

const upperDigits = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// FuzzVAT: cleaning and checking any input never panics and gives either
// a canonical VAT id or a message.
func FuzzVAT(f *testing.F) {
	for _, s := range append([]string{"NL000099998B57", "NL004495445B01", "NL123456789B90", "ATU13585627", "", "ΕΛ123", "IE8+79739I",
		"BE (0)468.561.072", "DK: 21599336", "CZ 640229/4448", "XIGD888810003", "RO 1630615123457", "ESX2482300W",
		"NL004495445B01\x00", "NL\x00004495445B01", "NL004495445B0\xff", "\xffNL004495445B01", "BE(0)", "NLB01"}, huge...) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		canonical(t, ident.ParseVAT, s, 15, upperDigits+"+*")
	})
}

// FuzzIBAN: the same for IBANs.
func FuzzIBAN(f *testing.F) {
	for _, s := range append([]string{"NL91ABNA0417164300", "GB82WEST12345698765432", "", "NL", "NL91ABNA04171643ÿ0", "IBAN",
		"NL91ABNA0417164300\x00", "NL91\x00ABNA0417164300", "NL91ABNA041716430\xff", "NL91 ABNA\r\n0417164300",
		"IT60X0542811101000000123456", "FR1420041010050500013M02606", "NO9386011117947"}, huge...) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		canonical(t, ident.ParseIBAN, s, 34, upperDigits)
	})
}

// FuzzKvK: the same for KvK and branch numbers.
func FuzzKvK(f *testing.F) {
	for _, s := range append([]string{"12345678", " 1234 5678", "", "abc", "00000000", "000012345678", "1234567\x00", "1234\x005678", "12345678\xff"}, huge...) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		canonical(t, ident.ParseKvK, s, 8, "0123456789")
		canonical(t, ident.ParseBranch, s, 12, "0123456789")
	})
}
