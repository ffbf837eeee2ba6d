package ident_test

import (
	"strings"
	"testing"

	"wholesale/internal/ident"
)

// TestKvKNumbers checks KvK numbers: 8 digits, cleaned of spaces and dots,
// never all zeros.
func TestKvKNumbers(t *testing.T) {
	for in, want := range map[string]string{
		"12345678": "", " 1234 5678 ": "", "69.59.96.59": "", "1234567": "exactly 8 digits", "123456789": "exactly 8 digits",
		"1234567a": "exactly 8 digits", "": "exactly 8 digits", "１２３４５６７８": "exactly 8 digits",
		"12345678\x00": "exactly 8 digits", "00000000": "never all zeros", "0000 0000": "never all zeros",
	} {
		got, msg := ident.ParseKvK(in)
		if !strings.Contains(msg.String(), want) || want == "" && (!msg.IsZero() || len(got) != 8) {
			t.Errorf("KvK %q: %q %q, want %q", in, got, msg, want)
		}
	}
}

// TestBranchNumbers checks branch numbers (vestigingsnummers): 12 digits,
// never all zeros.
func TestBranchNumbers(t *testing.T) {
	for in, want := range map[string]string{
		"000012345678": "", "0000 1234 5678": "", "12345678": "exactly 12 digits", "1234567890123": "exactly 12 digits",
		"00001234567X": "exactly 12 digits", "000000000000": "never all zeros",
	} {
		got, msg := ident.ParseBranch(in)
		if !strings.Contains(msg.String(), want) || want == "" && (!msg.IsZero() || len(got) != 12) {
			t.Errorf("branch %q: %q %q, want %q", in, got, msg, want)
		}
	}
}
