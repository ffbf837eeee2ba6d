package bank_test

import (
	"fmt"
	"testing"

	"wholesale/internal/bank/camttest"
)

// tx and statement are the statements the tests build (camttest).
type (
	tx        = camttest.Tx
	statement = camttest.Statement
)

// xmlOf writes the statement as CAMT.053.
func xmlOf(t testing.TB, s statement) []byte { return camttest.XML(t, s) }

// many is a statement of n credits and debits, for the benchmark.
func many(version string, n int, entry func(i int) tx) statement {
	s := statement{Version: version, ID: fmt.Sprintf("STMT-%d", n), Account: "NL20INGB0001234567"}
	for i := range n {
		s.Entries = append(s.Entries, entry(i))
	}
	return s
}
