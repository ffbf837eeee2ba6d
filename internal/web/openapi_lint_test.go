package web_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// redoclyPath finds the redocly CLI: $REDOCLY, else the one `make tools`
// installs into the repository's bin/node_modules.
func redoclyPath(t *testing.T) string {
	if p := os.Getenv("REDOCLY"); p != "" {
		return p
	}
	root, _ := os.Getwd()
	for ; root != "/"; root = filepath.Dir(root) {
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			break
		}
	}
	p := filepath.Join(root, "bin", "node_modules", ".bin", "redocly")
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("redocly is missing (%v): 'make tools' installs it from npm", err)
	}
	return p
}

// The document passes redocly's recommended rules with no error and no
// warning, offline: a client generator gets what it needs (operation ids,
// 4xx answers, a security scheme, examples that fit their schemas).
func TestOpenAPIPassesRedoclyLint(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	file := filepath.Join(t.TempDir(), "openapi.json")
	if err := os.WriteFile(file, a.srv.OpenAPI(), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(redoclyPath(t), "lint", "--extends=recommended", "--max-problems=1000", "--format=codeframe", file)
	cmd.Dir = filepath.Dir(file)
	cmd.Env = append(os.Environ(), "REDOCLY_TELEMETRY=off", "REDOCLY_SUPPRESS_UPDATE_NOTICE=true", "NO_COLOR=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("redocly lint: %v\n%s", err, out)
	}
	if strings.Contains(string(out), "Warning was generated") || strings.Contains(string(out), "You have ") {
		t.Fatalf("redocly lint warns:\n%s", out)
	}
	if !strings.Contains(string(out), "Your API description is valid") {
		t.Fatalf("redocly lint did not say the document is valid:\n%s", out)
	}
}
