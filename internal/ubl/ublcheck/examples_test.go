package ublcheck_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"wholesale/internal/ubl/ublcheck"
)

// data is the schema and rule files, copied from ../shared/data.
const data = "../testdata/einvoice"

// TestSIUBLExamples judges the 95 SI-UBL 2.0 test files of the Dutch
// e-invoicing platform as their names say: *_ok* pass with no failed
// assert at all, *_warning* pass with at least one warning, *_error* fail.
// It proves the harness really runs the rules, and can fail.
func TestSIUBLExamples(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(data, "examples/si-ubl-2.0/*.xml"))
	if err != nil || len(files) != 95 {
		t.Fatalf("want the 95 SI-UBL 2.0 examples, got %d (%v)", len(files), err)
	}
	c := &ublcheck.Checker{Data: data, SIUBL: true}
	results, err := c.Check(files)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, r := range results {
		name := filepath.Base(r.File)
		switch {
		case strings.Contains(name, "_error"):
			counts["error"]++
			if r.Valid() {
				t.Errorf("%s: passed, but it should fail (warnings: %v)", name, r.Warnings)
			}
		case strings.Contains(name, "_warning"):
			counts["warning"]++
			if !r.Valid() {
				t.Errorf("%s: failed, but it should pass with a warning: %v", name, r.Problems())
			} else if len(r.Warnings) == 0 {
				t.Errorf("%s: passed without the warning it should get", name)
			}
		case strings.Contains(name, "_ok"):
			counts["ok"]++
			if !r.Valid() {
				t.Errorf("%s: failed, but it should pass: %v", name, r.Problems())
			}
		default:
			t.Errorf("%s: the name says neither ok, warning nor error", name)
		}
		if !strings.Contains(strings.Join(r.Rules, " "), ublcheck.RulesSIUBL) {
			t.Errorf("%s: not checked against SI-UBL 2.0: %v", name, r.Rules)
		}
	}
	t.Logf("SI-UBL 2.0 examples: %d ok, %d with warnings, %d with errors, judged as named", counts["ok"], counts["warning"], counts["error"])
}

// TestBrokenFiles: a file that is not UBL, or not XML, fails with a reason.
func TestBrokenFiles(t *testing.T) {
	dir := t.TempDir()
	notXML := filepath.Join(dir, "a.xml")
	other := filepath.Join(dir, "b.xml")
	os.WriteFile(notXML, []byte("no xml here"), 0o644)
	os.WriteFile(other, []byte(`<?xml version="1.0"?><Order/>`), 0o644)
	results, err := (&ublcheck.Checker{Data: data}).Check([]string{notXML, other})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.Valid() || r.Schema == "" {
			t.Errorf("%s: want a schema failure, got %+v", r.File, r)
		}
	}
}
