package settings_test

import (
	"strings"
	"testing"

	"wholesale/internal/apperr"
	"wholesale/internal/settings"
)

// good is a complete, valid form.
func good() settings.Input {
	return settings.Input{Name: "Wholesale Demo B.V.", Street: "Keizersgracht 100", Postcode: "1015 aa", City: "Amsterdam", Country: "nl",
		VATID: "nl 0044.95.445 b01", KvK: "3012 3456", IBAN: "nl91 abna 0417 1643 00", BIC: "abnanl2a", Email: "Factuur@Wholesale-Demo.test",
		Phone: "+31 20 123 4567", Website: "https://www.wholesale-demo.test", Cutoff: "17.30"}
}

func TestValidateNormalises(t *testing.T) {
	in := good()
	if fe := in.Validate(); len(fe) > 0 {
		t.Fatalf("a good form refused: %v", fe.Err())
	}
	want := settings.Input{Name: "Wholesale Demo B.V.", Street: "Keizersgracht 100", Postcode: "1015 AA", City: "Amsterdam", Country: "NL",
		VATID: "NL004495445B01", KvK: "30123456", IBAN: "NL91ABNA0417164300", BIC: "ABNANL2A", Email: "factuur@wholesale-demo.test",
		Phone: "+31 20 123 4567", Website: "https://www.wholesale-demo.test", Cutoff: "17.30"}
	if in != want {
		t.Errorf("normalised:\n%+v\nwant\n%+v", in, want)
	}
	empty := settings.Input{Cutoff: "17:00"}
	if fe := empty.Validate(); len(fe) > 0 || empty.Country != "NL" {
		t.Errorf("details may wait: %v, country %q", fe.Err(), empty.Country)
	}
}

func TestValidateRefuses(t *testing.T) {
	for _, tc := range []struct {
		field, value, want string
	}{
		{"name", "Demo\x00 B.V.", "NUL"},
		{"name", strings.Repeat("é", 101), "at most 100"},
		{"street", "Kade 1\r\nBcc: x", "one line"},
		{"postcode", "1015", "4 digits and 2 letters"},
		{"postcode", strings.Repeat("9", 21), "at most 20"},
		{"city", "Amster\x1bdam", "control"},
		{"country", "Nederland", "two-letter"},
		{"vat_id", "NL004495446B01", "check digits"},
		{"vat_id", "NL004495445B01\xff", "UTF-8"},
		{"kvk", "3012345", "exactly 8 digits"},
		{"iban", "NL91ABNA0417164301", "check digits"},
		{"bic", "ABNA", "8 or 11"},
		{"email", "factuur@", "domain"},
		{"phone", "020-12", "8 to 15 digits"},
		{"website", "javascript:alert(1)", "https://"},
		{"website", "https://" + strings.Repeat("w", 100) + ".nl", "at most 100"},
		{"cutoff", "", "e.g. 17:00"},
		{"cutoff", "24:00", "00:00 to 23:59"},
		{"cutoff", "17:60", "00:00 to 23:59"},
		{"cutoff", "5 pm", "e.g. 17:00"},
		{"cutoff", "١٧:٠٠", "e.g. 17:00"}, // Arabic-Indic digits are no time
	} {
		in := good()
		set(&in, tc.field, tc.value)
		fe := in.Validate()
		msg := fe[tc.field].String()
		if !strings.Contains(msg, tc.want) {
			t.Errorf("%s = %q: message %q, want one saying %q", tc.field, tc.value, msg, tc.want)
		}
		if len(fe) != 1 {
			t.Errorf("%s = %q: messages at %v, want only at %s", tc.field, tc.value, fe.Err(), tc.field)
		}
		if apperr.KindOf(fe.Err()) != apperr.Invalid {
			t.Errorf("%s: kind %v", tc.field, apperr.KindOf(fe.Err()))
		}
	}
}

func set(in *settings.Input, field, v string) {
	switch field {
	case "name":
		in.Name = v
	case "street":
		in.Street = v
	case "postcode":
		in.Postcode = v
	case "city":
		in.City = v
	case "country":
		in.Country = v
	case "vat_id":
		in.VATID = v
	case "kvk":
		in.KvK = v
	case "iban":
		in.IBAN = v
	case "bic":
		in.BIC = v
	case "email":
		in.Email = v
	case "phone":
		in.Phone = v
	case "website":
		in.Website = v
	case "cutoff":
		in.Cutoff = v
	default:
		panic(field)
	}
}

func TestParseCutoff(t *testing.T) {
	for s, want := range map[string]int{"17:00": 1020, "9:30": 570, "09.30": 570, "00:00": 0, " 23:59 ": 1439} {
		if got, msg := settings.ParseCutoff(s); got != want || !msg.IsZero() {
			t.Errorf("ParseCutoff(%q) = %d %q, want %d", s, got, msg, want)
		}
	}
	if got := settings.FormatCutoff(570); got != "09:30" {
		t.Errorf("FormatCutoff(570) = %q", got)
	}
}

func TestMissingNamesWhatAnInvoiceNeeds(t *testing.T) {
	s := &settings.Settings{Name: "Wholesale Demo B.V.", Country: "NL", City: "Amsterdam", IBAN: "NL91ABNA0417164300"}
	if got := strings.Join(s.Missing(), ","); got != "street,postcode,vat_id,kvk" {
		t.Errorf("missing %q", got)
	}
	err := s.ReadyToInvoice()
	if apperr.KindOf(err) != apperr.Conflict || !strings.Contains(err.Error(), "lack Street and number, Postcode, VAT id, KvK number.") {
		t.Errorf("ReadyToInvoice: %v", err)
	}
	s.Street, s.Postcode, s.VATID, s.KvK = "Keizersgracht 100", "1015 AA", "NL004495445B01", "30123456"
	if err := s.ReadyToInvoice(); err != nil || len(s.Missing()) != 0 {
		t.Errorf("complete details: %v %v", err, s.Missing())
	}
}
