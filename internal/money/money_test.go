package money

import (
	"errors"
	"strings"
	"testing"
)

func TestParseAccepts(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Cents
	}{
		{"1250", 125000},
		{"1250,5", 125050},
		{"1250,50", 125050},
		{"1.250,50", 125050},
		{"1250.50", 125050},
		{"€ 1.250,50", 125050},
		{"€1.250,50", 125050},
		{"1.250.000,00", 125000000},
		{"1.250", 125000},
		{"1.250.000", 125000000},
		{"9.999.999,99", MaxCents - 1},
		{"1,250.50", 125050},
		{"1,250,000.75", 125000075},
		{"1 250,50", 125050},
		{"€\u00a01\u00a0250,00", 125000},
		{"  0,99 ", 99},
		{",5", 50},
		{"0", 0},
		{"007", 700},
		{"10.000.000,00", MaxCents},
		{"10000000", MaxCents},
	} {
		got, err := Parse(c.in)
		if err != nil || got != c.want {
			t.Errorf("Parse(%q) = %d, %v; want %d", c.in, got, err, c.want)
		}
	}
}

func TestParseRefuses(t *testing.T) {
	for _, c := range []struct {
		in   string
		want error
	}{
		{"12.50,0", ErrFormat},   // the amount that was read as € 1.250,00 and mailed
		{"1,250", ErrFormat},     // thousands, or 1,25 with three decimals?
		{"12,505", ErrFormat},    // three decimals
		{"1,250,000", ErrFormat}, // comma grouping without a decimal point
		{"1.250.5", ErrFormat},   // grouping and decimal by the same character
		{"1,250,50", ErrFormat},  // the same with commas
		{"1.25.00", ErrFormat},   // a group of two
		{"1250.", ErrFormat},
		{"1250,", ErrFormat},
		{"1250,505", ErrFormat},
		{"1.2500,00", ErrFormat},
		{"1 250.000,00", ErrFormat}, // two kinds of grouping
		{".", ErrFormat},
		{"", ErrFormat},
		{"   ", ErrFormat},
		{"€", ErrFormat},
		{"abc", ErrFormat},
		{"1e5", ErrFormat},
		{"+5", ErrFormat},
		{"0x10", ErrFormat},
		{"5\x00", ErrFormat},
		{"\x005", ErrFormat},
		{"12\xff", ErrFormat},
		{"1250 €", ErrFormat},
		{"−5", ErrFormat}, // U+2212, not an ASCII minus
		{strings.Repeat("1", 10<<10), ErrFormat},
		{"-5", ErrNegative},
		{"-0,01", ErrNegative},
		{"€ -5", ErrNegative},
		{"10.000.000,01", ErrTooLarge},
		{"99999999999999", ErrTooLarge},
		{"9223372036854775807", ErrTooLarge},
		{"21474836,48", ErrTooLarge},
	} {
		if got, err := Parse(c.in); !errors.Is(err, c.want) {
			t.Errorf("Parse(%q) = %d, %v; want %v", c.in, got, err, c.want)
		}
	}
}

func TestFormat(t *testing.T) {
	for c, want := range map[Cents]string{0: "€ 0,00", 5: "€ 0,05", 125050: "€ 1.250,50", 100000000: "€ 1.000.000,00", -1999: "€ -19,99"} {
		if got := Format(c); got != want {
			t.Errorf("Format(%d) = %q, want %q", c, got, want)
		}
	}
	if Input(125000) != "1250" || Input(125005) != "1250,05" {
		t.Error("Input")
	}
}

// FuzzParse: Parse never panics, never returns a negative amount or one
// above MaxCents, and what Input, Plain and Format print of its result reads
// back as the same cents.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"1250", "1250,5", "1250,50", "1.250,50", "1250.50", "€ 1.250,50", "1.250.000,00", "1,250.50",
		"12.50,0", "1,250", "2147483648", "9223372036854775807", "-1", "1\x002", "\xff\xfe", "€",
		"10.000.000,00", "10.000.000,01", strings.Repeat("9", 3000),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Parse(s)
		if err != nil {
			return
		}
		if c < 0 || c > MaxCents {
			t.Fatalf("Parse(%q) = %d, outside 0..MaxCents", s, c)
		}
		for _, printed := range []string{Input(c), Plain(c), Format(c)} {
			if back, err := Parse(printed); err != nil || back != c {
				t.Fatalf("Parse(%q) = %d, printed %q, read back %d, %v", s, c, printed, back, err)
			}
		}
	})
}
