package postgres

import "testing"

// Literals quotes texts as string literals, a quote in one doubled.
func TestLiterals(t *testing.T) {
	type state string
	if got := Literals[state]("received", "it's"); got != `'received', 'it''s'` {
		t.Fatalf("Literals = %s", got)
	}
	if got := Literals("one"); got != `'one'` {
		t.Fatalf("Literals = %s", got)
	}
}
