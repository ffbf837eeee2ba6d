package i18n

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func TestFormatsFollowTheLanguage(t *testing.T) {
	day := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)    // a DATE column
	at := time.Date(2026, 11, 29, 13, 5, 0, 0, time.UTC)    // 14:05 in Amsterdam
	late := time.Date(2026, 11, 29, 23, 30, 0, 0, time.UTC) // 30 November in Amsterdam
	nl, en := For(NL), For(EN)
	for _, c := range []struct{ got, want string }{
		{nl.Date(day), "29-11-2026"}, {en.Date(day), "29 Nov 2026"},
		{nl.LongDate(day), "29 november 2026"}, {en.LongDate(day), "29 November 2026"},
		{nl.DateTime(at), "29-11-2026 14:05"}, {en.DateTime(at), "29 Nov 2026 14:05"},
		{nl.Date(late), "30-11-2026"}, {en.Date(late), "30 Nov 2026"},
		{nl.Amount(125050), "€ 1.250,50"}, {en.Amount(125050), "€1,250.50"},
		{nl.Amount(-5), "€ -0,05"}, {en.Amount(-5), "-€0.05"},
		{nl.Amount(100000000000), "€ 1.000.000.000,00"}, {en.Amount(100000000000), "€1,000,000,000.00"},
		{nl.Num(1000000), "1.000.000"}, {en.Num(1000000), "1,000,000"}, {en.Num(999), "999"},
		{nl.Input(125050), "1250,50"}, {en.Input(125050), "1250.50"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestEnglishAmountsAreReadTheEnglishWay(t *testing.T) {
	for _, c := range []struct {
		lang Lang
		in   string
		want int64
		ok   bool
	}{
		{EN, "1,250", 125000, true}, {EN, "€1,250", 125000, true}, {EN, "1,250.50", 125050, true}, {EN, "12,50", 1250, true},
		{NL, "1,250", 0, false}, {NL, "1.250", 125000, true}, {NL, "1.250,50", 125050, true},
		{EN, "1,25,0", 0, false}, {EN, "-1,250", 0, false},
	} {
		got, err := For(c.lang).ParseAmount(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("%s %q: %d, %v; want %d, ok %v", c.lang, c.in, got, err, c.want, c.ok)
		}
	}
}

func TestHTMLEscapesTheTextAndKeepsAmountsWhole(t *testing.T) {
	m := M("%s owes %s since %s (order %d).", "<b>Jansen & Co</b>", Amount(125050), D(time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)), 12345)
	got := string(For(EN).HTML(m))
	want := `&lt;b&gt;Jansen &amp; Co&lt;/b&gt; owes <span class="amount">€1,250.50</span> since 29 Nov 2026 (order 12345).`
	if got != want {
		t.Fatalf("HTML:\n got %s\nwant %s", got, want)
	}
	if got := For(EN).Text(m); got != "<b>Jansen & Co</b> owes €1,250.50 since 29 Nov 2026 (order 12345)." {
		t.Fatalf("Text: %s", got)
	}
}

func TestRawTextIsNotTranslatedOrFormatted(t *testing.T) {
	if got := For(NL).Text(Raw("100% of %s")); got != "100% of %s" {
		t.Fatalf("raw: %q", got)
	}
}

func TestMessagesSurviveJSON(t *testing.T) {
	at := time.Date(2026, 11, 29, 13, 5, 0, 0, time.UTC)
	m := M("%s: %s, %s, %s, %s, %d, %s", M("Please correct the marked fields."), Amount(99), Num(1234), D(at), Time{at}, 7, "text")
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var back Message
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	for _, l := range Langs {
		if got, want := For(l).Text(back), For(l).Text(m); got != want {
			t.Errorf("%s: %q after JSON, want %q", l, got, want)
		}
	}
	var old Message
	if err := json.Unmarshal([]byte(`"a text stored before"`), &old); err != nil || For(NL).Text(old) != "a text stored before" {
		t.Errorf("a plain stored text reads %q, %v", For(NL).Text(old), err)
	}
}

// FromDecoded reads a stored message from what a JSON decoder made of it
// (numbers as json.Number or float64) as UnmarshalJSON reads the JSON.
func TestFromDecodedReadsWhatUnmarshalReads(t *testing.T) {
	at := time.Date(2026, 11, 29, 13, 5, 7, 500, time.UTC)
	for _, m := range []Message{
		M("%s: %s, %s, %s, %s, %s, %d, %s", M("Please correct the marked fields."), Amount(-99), Num(1234), D(at), LongDate{at}, Time{at}, 7, "text"),
		{ID: "%d orders", Count: 3, Args: []any{3}},
		M("line %d (%s) %d → %d", 1, "KR-BA1001", 2, 4),
		M("Please correct the marked fields."),
	} {
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		var want Message
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatal(err)
		}
		for _, useNumber := range []bool{true, false} {
			d := json.NewDecoder(bytes.NewReader(b))
			if useNumber {
				d.UseNumber()
			}
			var x map[string]any
			if err := d.Decode(&x); err != nil {
				t.Fatal(err)
			}
			got, err := FromDecoded(x)
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("numbers as json.Number %v: %#v, %v\nwant %#v", useNumber, got, err, want)
			}
		}
	}
	// A message stored inside another before messages were translated, as text.
	if got, err := FromDecoded(map[string]any{"id": "%s", "args": []any{map[string]any{"t": "msg", "v": "old text"}}}); err != nil ||
		For(NL).Text(got) != "old text" {
		t.Errorf("a stored text as an argument: %q, %v", For(NL).Text(got), err)
	}
	for _, bad := range []map[string]any{
		{"id": "%d", "args": []any{map[string]any{"t": "i", "v": "seven"}}},
		{"id": "%d", "args": []any{map[string]any{"t": "i", "v": 7.5}}},
		{"id": "%s", "args": []any{map[string]any{"t": "date", "v": "yesterday"}}},
		{"id": "%s", "args": []any{"not an object"}},
		{"id": "%d things", "count": "three"},
	} {
		if m, err := FromDecoded(bad); err == nil {
			t.Errorf("%v read as %#v", bad, m)
		}
	}
}

func TestLangFallsBackToDutch(t *testing.T) {
	if For("de").Lang() != NL || Lang("xx").Or(Default) != NL || !EN.Valid() || Lang("").Valid() {
		t.Fatal("languages")
	}
}

// unmarshalArg's shortcuts read what json.Unmarshal reads, and refuse
// what it refuses, for any JSON value.
func FuzzUnmarshalArgReadsWhatJSONReads(f *testing.F) {
	for _, seed := range []string{`7`, `-12`, `0`, `-0`, `9223372036854775807`, `9223372036854775808`, `1e3`, `7.5`, `null`, `"x"`,
		`""`, `"KR-BA1001"`, `"a \"quoted\" b"`, `"caf\u00e9"`, `"café"`, "\"\xff\"", `"tab\there"`, `true`, `{"a":1}`, `[1]`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if !json.Valid(raw) {
			return // an argument's value is one of a stored message, which is JSON
		}
		var n, wantN int64
		err, wantErr := unmarshalArg(raw, &n), json.Unmarshal(raw, &wantN)
		if (err == nil) != (wantErr == nil) || n != wantN {
			t.Errorf("%q as a number: %d, %v; json.Unmarshal: %d, %v", raw, n, err, wantN, wantErr)
		}
		var s, wantS string
		err, wantErr = unmarshalArg(raw, &s), json.Unmarshal(raw, &wantS)
		if (err == nil) != (wantErr == nil) || s != wantS {
			t.Errorf("%q as a string: %q, %v; json.Unmarshal: %q, %v", raw, s, err, wantS, wantErr)
		}
	})
}
