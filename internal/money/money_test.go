package money

import "testing"

func TestParse(t *testing.T) {
	ok := map[string]Cents{
		"1250": 125000, "1.250": 125000, "1.250,50": 125050, "1250.50": 125050, "1250,5": 125050,
		"€ 1 250,00": 125000, "0,99": 99, ",5": 50, "12.500.000": 1250000000, "1,250.75": 125075,
	}
	for in, want := range ok {
		if got, err := Parse(in); err != nil || got != want {
			t.Errorf("Parse(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "abc", "-5", "1,2,3x", "1e5", "€", "99999999999999"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
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

func FuzzParse(f *testing.F) {
	f.Add("1.250,50")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Parse(s)
		if err == nil && c < 0 {
			t.Fatalf("%q → %d", s, c)
		}
		if err == nil {
			if back, err := Parse(Input(c)); err != nil || back != c {
				t.Fatalf("%q → %d → %q → %d", s, c, Input(c), back)
			}
		}
	})
}
