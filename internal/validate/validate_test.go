package validate

import (
	"strings"
	"testing"
	"time"

	"wholesale/internal/apperr"
	"wholesale/internal/i18n"
)

func TestLine(t *testing.T) {
	for _, c := range []struct {
		name, in string
		max      int
		bad      string // a word of the message, "" when accepted
	}{
		{"plain", "Bakkerij Jansen B.V.", 200, ""},
		{"empty", "", 200, ""},
		{"accents and euro", "Café Zoë € ñ", 12, ""},
		{"exactly max runes", strings.Repeat("é", 35), 35, ""},
		{"one over max", strings.Repeat("é", 36), 35, "at most 35 characters (this has 36)"},
		{"3 KB", strings.Repeat("a", 3000), 254, "this has 3,000"},
		{"NUL", "Jansen\x00", 200, "NUL"},
		{"tab", "a\tb", 200, "one line"},
		{"newline", "a\nb", 200, "one line"},
		{"CRLF", "a\r\nb", 200, "one line"},
		{"escape", "a\x1b[31m", 200, "one line"},
		{"DEL", "a\x7f", 200, "one line"},
		{"C1 control", "a\u0085", 200, "one line"},
		{"line separator", "a\u2028b", 200, "one line"},
		{"invalid UTF-8", "a\xffb", 200, "UTF-8"},
		{"truncated UTF-8", "caf\xc3", 200, "UTF-8"},
	} {
		fe := apperr.FieldErrors{}
		ok := Line(fe, "name", c.in, c.max)
		if ok != (c.bad == "") {
			t.Errorf("%s: Line = %v, message %q", c.name, ok, fe["name"])
		}
		if c.bad != "" && !strings.Contains(fe["name"].String(), c.bad) {
			t.Errorf("%s: message %q does not say %q", c.name, fe["name"], c.bad)
		}
		if c.bad == "" && len(fe) != 0 {
			t.Errorf("%s: accepted but a message was added: %v", c.name, fe)
		}
	}
}

func TestText(t *testing.T) {
	for _, c := range []struct {
		name, in string
		max      int
		bad      string
	}{
		{"lines and tabs", "Regel 1\nRegel 2\r\n\tingesprongen", 200, ""},
		{"CRLF counts once", strings.Repeat("ab\r\n", 10), 30, ""},
		{"over max with CRLF", strings.Repeat("ab\r\n", 11), 30, "at most 30 characters (this has 33)"},
		{"lone CR", "a\rb", 200, "control character"},
		{"CR at the end", "a\r", 200, "control character"},
		{"NUL", "a\nb\x00", 200, "NUL"},
		{"bell", "a\a", 200, "control character"},
		{"vertical tab", "a\vb", 200, "control character"},
		{"invalid UTF-8", "\xc0\xaf", 200, "UTF-8"},
		{"10 MB", strings.Repeat("x", 10<<20), NoteMax, "at most 2,000 characters (this has 10,485,760)"},
	} {
		fe := apperr.FieldErrors{}
		ok := Text(fe, "note", c.in, c.max)
		if ok != (c.bad == "") || (c.bad != "" && !strings.Contains(fe["note"].String(), c.bad)) {
			t.Errorf("%s: Text = %v, message %q, want %q", c.name, ok, fe["note"], c.bad)
		}
	}
}

func TestEmail(t *testing.T) {
	long := strings.Repeat("a", 60) + "@" + strings.Repeat("b", 190) + ".nl" // 254
	for _, c := range []struct {
		in, bad string
	}{
		{"inkoop@bedrijf.nl", ""},
		{"a.b+c@sub.bedrijf.co.uk", ""},
		{"", ""},
		{long, ""},
		{long + "x", "at most 254 characters (this has 255)"},
		{strings.Repeat("a", 3000) + "@x.nl", "at most 254"},
		{strings.Repeat("a", 65) + "@x.nl", "at most 64"},
		{"inkoop", "exactly one @"},
		{"a@b@c.nl", "exactly one @"},
		{"@bedrijf.nl", "before the @"},
		{"inkoop@bedrijf", "domain"},
		{"inkoop@.nl", "domain"},
		{"inkoop@bedrijf.", "domain"},
		{"inkoop@bedrijf..nl", "domain"},
		{"in koop@bedrijf.nl", "no spaces"},
		{"inkoop@bedrijf.nl\r\nBcc: x@y.nl", "no spaces"},
		{"inkoop\x00@bedrijf.nl", "control"},
		{"inkoop@bedrijf.nl\xff", "UTF-8"},
		{"<inkoop@bedrijf.nl>", "brackets"},
		{"a,b@bedrijf.nl", "brackets"},
	} {
		fe := apperr.FieldErrors{}
		ok := Email(fe, "email", c.in)
		if ok != (c.bad == "") || (c.bad != "" && !strings.Contains(fe["email"].String(), c.bad)) {
			t.Errorf("Email(%.40q) = %v, message %q, want %q", c.in, ok, fe["email"], c.bad)
		}
	}
}

func TestParseWholeAndQuantity(t *testing.T) {
	for _, c := range []struct {
		in         string
		productMax int
		want       int
		bad        string
	}{
		{"12", 0, 12, ""},
		{" 7 ", 0, 7, ""},
		{"0001", 0, 1, ""},
		{"1000000", 0, 1000000, ""},
		{"1000001", 0, 0, "at most 1,000,000"},
		{"2147483648", 0, 0, "at most 1,000,000"},
		{"9223372036854775807", 0, 0, "at most 1,000,000"},
		{"99999999999999999999999999", 0, 0, "at most 1,000,000"},
		{"0", 0, 0, "at least 1"},
		{"-1", 0, 0, "minus"},
		{"", 0, 0, "Enter a number"},
		{"1.5", 0, 0, "whole number"},
		{"1e3", 0, 0, "whole number"},
		{"+3", 0, 0, "whole number"},
		{"1 000", 0, 0, "whole number"},
		{"3\x00", 0, 0, "whole number"},
		{"٣", 0, 0, "whole number"}, // an Arabic-Indic three
		{"5", 4, 0, "at most 4 per order"},
		{"4", 4, 4, ""},
	} {
		fe := apperr.FieldErrors{}
		got, ok := QuantityText(fe, "qty", c.in, c.productMax)
		if ok != (c.bad == "") || (ok && got != c.want) || (c.bad != "" && !strings.Contains(fe["qty"].String(), c.bad)) {
			t.Errorf("QuantityText(%q, %d) = %d, %v, message %q; want %d, %q", c.in, c.productMax, got, ok, fe["qty"], c.want, c.bad)
		}
	}
	for q, bad := range map[int]string{1: "", QuantityMax: "", 0: "at least 1", -5: "at least 1", QuantityMax + 1: "at most", 1 << 62: "at most"} {
		fe := apperr.FieldErrors{}
		if ok := Quantity(fe, "q", q, 0); ok != (bad == "") || !strings.Contains(fe["q"].String(), bad) {
			t.Errorf("Quantity(%d) = %v, %q", q, ok, fe["q"])
		}
	}
}

func TestCount(t *testing.T) {
	fe := apperr.FieldErrors{}
	if !Count(fe, "days", 0, 0, 365) || !Count(fe, "days", 365, 0, 365) || len(fe) != 0 {
		t.Fatalf("bounds refused: %v", fe)
	}
	if Count(fe, "days", 366, 0, 365) || fe["days"].String() != "Enter a number from 0 to 365." {
		t.Errorf("366 days: %v", fe)
	}
}

func TestMoneyAndCents(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
		bad  string
	}{
		{"1.250,50", 125050, ""},
		{"1250.50", 125050, ""},
		{"12.50,0", 0, "at most 2 decimals"},
		{"1,250", 0, "one decimal comma"},
		{"-5", 0, "without a minus"},
		{"10.000.000,01", 0, "above €10,000,000.00"},
		{"9223372036854775807", 0, "above €10,000,000.00"},
		{"12\x00", 0, "Enter an amount"},
	} {
		fe := apperr.FieldErrors{}
		got, ok := Money(fe, "price", c.in)
		if ok != (c.bad == "") || got != c.want || !strings.Contains(fe["price"].String(), c.bad) {
			t.Errorf("Money(%q) = %d, %v, %q; want %d, %q", c.in, got, ok, fe["price"], c.want, c.bad)
		}
	}
	for cents, bad := range map[int64]string{0: "", 1_000_000_000: "", -1: "0 or more", 1_000_000_001: "above", 1 << 62: "above"} {
		fe := apperr.FieldErrors{}
		if ok := Cents(fe, "c", cents); ok != (bad == "") || !strings.Contains(fe["c"].String(), bad) {
			t.Errorf("Cents(%d) = %v, %q", cents, ok, fe["c"])
		}
	}
}

func TestFirstMessageStays(t *testing.T) {
	fe := apperr.FieldErrors{}
	Line(fe, "name", "", NameMax)
	Line(fe, "name", "a\x00", NameMax)
	Line(fe, "name", strings.Repeat("a", 201), NameMax)
	if !strings.Contains(fe["name"].String(), "NUL") {
		t.Errorf("message %q, want the first failure's", fe["name"])
	}
}

func TestLowerUpperKeepBadBytes(t *testing.T) {
	if Lower("AM@X.NL") != "am@x.nl" || Upper("1234ab") != "1234AB" {
		t.Fatal("case not mapped")
	}
	if Lower("AM@X.NL\xff") != "AM@X.NL\xff" || Upper("ab\xff") != "ab\xff" {
		t.Fatal("bad bytes replaced: the check after it would pass them")
	}
}

func TestDatesAreReadAsPeopleTypeThem(t *testing.T) {
	want := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	for _, s := range []string{"2026-11-24", "24-11-2026", " 24-11-2026 ", "24 Nov 2026"} {
		if d, msg := ParseDate(s); !msg.IsZero() || !d.Equal(want) {
			t.Errorf("%q: %v, %q", s, d, msg)
		}
	}
	for s, want := range map[string]string{"next week": "Enter the date, e.g. 24 Nov 2026.", "": "Enter the date, e.g. 24 Nov 2026.",
		"24-11-1999": "Enter a date from 2000 to 2099.", "20260-01-01": "Enter the date, e.g. 24 Nov 2026.", "31-02-2026": "Enter the date, e.g. 24 Nov 2026."} {
		if _, msg := ParseDate(s); msg.String() != want {
			t.Errorf("%q: %q, want %q", s, msg, want)
		}
	}
	if _, msg := ParseDate("later"); i18n.For(i18n.NL).Text(msg) != "Vul de datum in, bijvoorbeeld 24-11-2026." {
		t.Errorf("in Dutch: %q", i18n.For(i18n.NL).Text(msg))
	}
}
