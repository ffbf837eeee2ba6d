package stock

import (
	"encoding/json"
	"testing"

	"wholesale/internal/i18n"
)

// A reference is stored as a message's JSON and read back in the reader's
// language; a text (an old row, the demo's) is stored and read as it is,
// even one that looks like JSON; the JSON of the API is English text.
func TestReferenceStoredAndRead(t *testing.T) {
	nl := i18n.For(i18n.NL)
	msg := Reference{i18n.M("order %d (PO %s) line %d", int64(1), "BJ-2026-118", 2)}
	s, err := msg.stored()
	if err != nil {
		t.Fatal(err)
	}
	back := parseReference(s)
	if got := nl.Text(back.Message); got != "order 1 (PO BJ-2026-118) regel 2" {
		t.Errorf("Dutch %q (stored %s)", got, s)
	}
	if back.String() != "order 1 (PO BJ-2026-118) line 2" {
		t.Errorf("English %q", back.String())
	}
	if b, _ := json.Marshal(back); string(b) != `"order 1 (PO BJ-2026-118) line 2"` {
		t.Errorf("JSON %s", b)
	}
	for _, text := range []string{"order 7 (PO OLD-1) line 3", "demo PO BJ-0042", `{"id": "X"} not JSON`, `{"id":"%d","args":[{"t":"i","v":1}]}`, ""} {
		stored, err := RefText(text).stored()
		if err != nil {
			t.Fatal(err)
		}
		if got := nl.Text(parseReference(stored).Message); got != text {
			t.Errorf("text %q reads back as %q (stored %q)", text, got, stored)
		}
	}
}
