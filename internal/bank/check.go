package bank

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// MaxFileBytes is the largest statement file taken: a statement of 10,000
// entries is about 15 MB.
const MaxFileBytes = 20 << 20

// schemas are the ISO 20022 schemas of the versions read (from genkgo/camt,
// MIT; LICENSE-genkgo-camt.txt).
//
//go:embed xsd/*.xsd
var schemas embed.FS

var (
	schemaDirOnce sync.Once
	schemaDir     string
	schemaDirErr  error
)

// schemaPath writes the embedded schemas to a folder of their own once per
// process, for xmllint, and returns the path of version's.
func schemaPath(version string) (string, error) {
	schemaDirOnce.Do(func() {
		dir, err := os.MkdirTemp("", "wholesale-camt-xsd-")
		if err != nil {
			schemaDirErr = err
			return
		}
		for _, v := range Versions {
			b, err := schemas.ReadFile("xsd/" + v + ".xsd")
			if err == nil {
				err = os.WriteFile(filepath.Join(dir, v+".xsd"), b, 0o600)
			}
			if err != nil {
				schemaDirErr = err
				return
			}
		}
		schemaDir = dir
	})
	if schemaDirErr != nil {
		return "", fmt.Errorf("bank: schemas: %w", schemaDirErr)
	}
	return filepath.Join(schemaDir, version+".xsd"), nil
}

// errNoXmllint is returned when xmllint (Debian's libxml2-utils) is missing.
var errNoXmllint = errors.New("bank: xmllint is not installed (Debian package libxml2-utils)")

// Check refuses a file that is not a CAMT.053 statement the import reads:
// larger than MaxFileBytes, not well-formed XML, of an unknown version, or
// not valid against its version's schema (xmllint --nonet, from Debian's
// libxml2-utils). The ParseError says why, with xmllint's first lines.
// Other errors mean the check could not run.
func Check(ctx context.Context, content []byte) (version string, err error) {
	if len(content) > MaxFileBytes {
		return "", parseErr("the file is larger than %d MB", MaxFileBytes>>20)
	}
	if version, err = Version(content); err != nil {
		return "", err
	}
	xsd, err := schemaPath(version)
	if err != nil {
		return "", err
	}
	if _, err := exec.LookPath("xmllint"); err != nil {
		return "", errNoXmllint
	}
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, "xmllint", "--nonet", "--noout", "--schema", xsd, "-")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = bytes.NewReader(content), &out, &out
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return version, nil
	case !errors.As(err, &exit):
		return "", fmt.Errorf("bank: xmllint: %w", err)
	}
	return "", parseErr("the file is not a valid %s statement: %s", version, complaint(out.String()))
}

// complaint is the first lines of xmllint's answer, without the name of
// standard input and the closing verdict.
func complaint(out string) string {
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || l == "- fails to validate" || strings.HasPrefix(l, "- validates") {
			continue
		}
		if rest, ok := strings.CutPrefix(l, "-:"); ok {
			l = "line " + rest
		}
		lines = append(lines, l)
		if len(lines) == 3 {
			break
		}
	}
	s := strings.Join(lines, "; ")
	if r := []rune(s); len(r) > 600 {
		s = string(r[:600]) + "…"
	}
	if s == "" {
		s = "xmllint gave no reason"
	}
	return s
}
