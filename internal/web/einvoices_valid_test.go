package web_test

import (
	"archive/zip"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"wholesale/internal/ubl/ublcheck"
	"wholesale/internal/users"
)

// The e-invoices finance export are valid: every document of the demo's
// period (a Dutch invoice with two rates and its credit note, a German one
// by Peppol, an export to Russia) passes the UBL 2.1 schema and the
// EN 16931 rules, and the SI-UBL 2.0 rules where it declares SI-UBL (as
// internal/ubl/ublcheck judges them: `make einvoice-tools`).
func TestExportedEInvoicesAreValid(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	resp, file := a.as(users.RoleFinance).get("/invoices/export-ubl.zip?from=2026-11-01&to=2026-11-30")
	wantStatus(t, resp, http.StatusOK)
	z, err := zip.NewReader(strings.NewReader(file), int64(len(file)))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var files []string
	for _, e := range z.File {
		r, err := e.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Join(dir, e.Name)
		if err := os.WriteFile(name, b, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, name)
	}
	if len(files) != 5 {
		t.Fatalf("the demo's November holds %d e-invoices, want 5 (3 invoices, 2 credit notes)", len(files))
	}
	wd, _ := os.Getwd()
	results, err := (&ublcheck.Checker{Data: filepath.Join(wd, "..", "ubl", "testdata", "einvoice")}).Check(files)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if !r.Valid() {
			t.Errorf("%s (%s, rules %v): %q", filepath.Base(r.File), r.Root, r.Rules, r.Problems())
		}
	}
}
