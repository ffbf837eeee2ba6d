// Package ublcheck validates UBL 2.1 invoices and credit notes the way the
// receivers do: against the OASIS UBL 2.1 schema (xmllint, from Debian's
// libxml2-utils) and the official business rules compiled to XSLT 2.0
// (Saxon-HE, from Debian's libsaxonhe-java): EN 16931 (CEN, 1.3.16) for
// every document, and SI-UBL 2.0 (NLCIUS, 2.0.3.12) for documents that
// declare it. Many files are checked with one xmllint and one Saxon run per
// rule file, as compiling a rule file costs a second or two.
//
// The schema and rule files are in ../testdata/einvoice (copied unmodified
// from ../shared/data, licences kept).
package ublcheck

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// Rule files, relative to the data directory.
const (
	RulesEN16931 = "xslt/CEN-EN16931-UBL-1.3.16.xslt"
	RulesSIUBL   = "xslt/SI-UBL-2.0.3.12.xsl"
)

// CustomizationNLCIUS marks a document as SI-UBL 2.0.
const CustomizationNLCIUS = "urn:fdc:nen.nl:nlcius:v1.0"

// Assert is one failed rule of a report.
type Assert struct {
	ID       string // BR-CO-15, BR-NL-10, …
	Flag     string // fatal, error or warning
	Text     string
	Location string
}

func (a Assert) String() string { return fmt.Sprintf("%s (%s) %s", a.ID, a.Flag, a.Text) }

// Result is what the checks found in one file.
type Result struct {
	File string
	// Root is the document's root element: Invoice or CreditNote.
	Root string
	// Rules are the rule files the document was checked against.
	Rules []string
	// Schema is xmllint's complaint, "" when the file is schema-valid.
	Schema string
	// Runtime is a rule file's run-time error: some stop instead of
	// reporting a failed assert. The document is not valid then.
	Runtime  string
	Errors   []Assert
	Warnings []Assert
}

// Valid tells whether the file passed the schema and every rule that is
// not a warning.
func (r *Result) Valid() bool { return r.Schema == "" && r.Runtime == "" && len(r.Errors) == 0 }

// Problems lists every reason the file is not valid.
func (r *Result) Problems() []string {
	var out []string
	if r.Schema != "" {
		out = append(out, "schema: "+r.Schema)
	}
	if r.Runtime != "" {
		out = append(out, "rules stopped: "+r.Runtime)
	}
	for _, a := range r.Errors {
		out = append(out, a.String())
	}
	return out
}

// Checker runs the validators.
type Checker struct {
	// Data is the directory with xsd/ and xslt/ (internal/ubl/testdata/einvoice).
	Data string
	// SaxonJar is Saxon-HE's jar (default $SAXON_JAR or /usr/share/java/Saxon-HE.jar).
	SaxonJar string
	// SIUBL checks every file against SI-UBL 2.0 too, whatever it
	// declares (as a Dutch receiver does).
	SIUBL bool
}

func (c *Checker) jar() string {
	switch {
	case c.SaxonJar != "":
		return c.SaxonJar
	case os.Getenv("SAXON_JAR") != "":
		return os.Getenv("SAXON_JAR")
	}
	return "/usr/share/java/Saxon-HE.jar"
}

// Check validates files, each an Invoice or a CreditNote, and returns a
// result per file in their order. An error means a validator could not
// run at all (missing, or files it cannot read).
func (c *Checker) Check(files []string) ([]*Result, error) {
	results := make([]*Result, len(files))
	byRule := map[string][]int{}
	byRoot := map[string][]int{}
	for i, f := range files {
		r := &Result{File: f}
		results[i] = r
		root, custom, err := head(f)
		if err != nil {
			r.Schema = err.Error()
			continue
		}
		r.Root = root
		byRoot[root] = append(byRoot[root], i)
		r.Rules = []string{RulesEN16931}
		if c.SIUBL || strings.Contains(custom, CustomizationNLCIUS) {
			r.Rules = append(r.Rules, RulesSIUBL)
		}
		for _, rule := range r.Rules {
			byRule[rule] = append(byRule[rule], i)
		}
	}
	for root, idx := range byRoot {
		if err := c.schema(root, files, idx, results); err != nil {
			return nil, err
		}
	}
	rules := make([]string, 0, len(byRule))
	for rule := range byRule {
		rules = append(rules, rule)
	}
	sort.Strings(rules)
	for _, rule := range rules {
		if err := c.rules(rule, files, byRule[rule], results); err != nil {
			return nil, err
		}
	}
	return results, nil
}

// head reads the root element and the CustomizationID of a file.
func head(file string) (root, customization string, err error) {
	f, err := os.Open(file)
	if err != nil {
		return "", "", err
	}
	defer f.Close()
	dec := xml.NewDecoder(f)
	in := ""
	for {
		tok, err := dec.Token()
		if err != nil {
			if root != "" {
				return root, customization, nil
			}
			return "", "", fmt.Errorf("not an XML document: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = t.Name.Local
				if root != "Invoice" && root != "CreditNote" {
					return "", "", fmt.Errorf("the root element is %s, not Invoice or CreditNote", root)
				}
			}
			in = t.Name.Local
		case xml.CharData:
			if in == "CustomizationID" {
				customization += string(t)
			}
		case xml.EndElement:
			if t.Name.Local == "CustomizationID" {
				return root, strings.TrimSpace(customization), nil
			}
			in = ""
		}
	}
}

// schema runs xmllint over the files idx, all with root element root.
func (c *Checker) schema(root string, files []string, idx []int, results []*Result) error {
	xsd := filepath.Join(c.Data, "xsd/2.1/maindoc/UBL-"+root+"-2.1.xsd")
	for start := 0; start < len(idx); start += 500 { // keep the command line short
		part := idx[start:min(start+500, len(idx))]
		args := []string{"--nonet", "--noout", "--schema", xsd}
		for _, i := range part {
			args = append(args, files[i])
		}
		var out bytes.Buffer
		cmd := exec.Command("xmllint", args...)
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			return fmt.Errorf("ublcheck: xmllint: %w", err)
		}
		complaints := map[string][]string{}
		failed := map[string]bool{}
		for _, l := range strings.Split(out.String(), "\n") {
			switch {
			case strings.HasSuffix(l, " fails to validate"):
				failed[strings.TrimSuffix(l, " fails to validate")] = true
			case strings.HasSuffix(l, " validates"):
			case l != "":
				for _, i := range part {
					if strings.HasPrefix(l, files[i]+":") {
						complaints[files[i]] = append(complaints[files[i]], strings.TrimPrefix(l, files[i]+":"))
						break
					}
				}
			}
		}
		for _, i := range part {
			if failed[files[i]] || len(complaints[files[i]]) > 0 {
				msg := strings.Join(complaints[files[i]], "; ")
				if msg == "" {
					msg = "fails to validate"
				}
				results[i].Schema = msg
			}
		}
		if err != nil && len(failed) == 0 && len(complaints) == 0 {
			return fmt.Errorf("ublcheck: xmllint: %v: %s", err, out.String())
		}
	}
	return nil
}

// rules runs Saxon with one rule file over the files idx in one go, and
// reads each file's SVRL report.
func (c *Checker) rules(rule string, files []string, idx []int, results []*Result) error {
	in, err := os.MkdirTemp("", "ublcheck-in-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(in)
	out, err := os.MkdirTemp("", "ublcheck-out-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(out)
	names := make([]string, len(idx))
	for k, i := range idx {
		names[k] = fmt.Sprintf("%06d.xml", k)
		abs, err := filepath.Abs(files[i])
		if err != nil {
			return err
		}
		if err := os.Symlink(abs, filepath.Join(in, names[k])); err != nil {
			return err
		}
	}
	stderr, runErr := c.saxon(rule, in, out)
	for k, i := range idx {
		report, err := os.ReadFile(filepath.Join(out, names[k]))
		var failed []Assert
		if err == nil {
			failed, err = parseSVRL(report)
		}
		if err != nil {
			// The rule file stopped on this document, leaving no report or
			// half of one: run it alone to learn why.
			msg, one := c.alone(rule, filepath.Join(in, names[k]))
			if one == nil {
				if msg == "" {
					msg = stderr
				}
				if msg == "" && runErr != nil {
					msg = runErr.Error()
				}
				results[i].Runtime = fmt.Sprintf("%s: %s", filepath.Base(rule), firstLines(msg, 3))
				continue
			}
			failed = one
		}
		for _, a := range failed {
			if a.Flag == "warning" {
				results[i].Warnings = append(results[i].Warnings, a)
			} else {
				results[i].Errors = append(results[i].Errors, a)
			}
		}
	}
	return nil
}

// alone runs the rule file over one file: its failed asserts, or nil and
// what Saxon said when it stopped without a whole report.
func (c *Checker) alone(rule, file string) (string, []Assert) {
	dir, err := os.MkdirTemp("", "ublcheck-one-")
	if err != nil {
		return err.Error(), nil
	}
	defer os.RemoveAll(dir)
	msg, runErr := c.saxon(rule, file, filepath.Join(dir, "r.xml"))
	report, err := os.ReadFile(filepath.Join(dir, "r.xml"))
	if runErr != nil || err != nil {
		return msg, nil
	}
	failed, err := parseSVRL(report)
	if err != nil {
		return msg + " " + err.Error(), nil
	}
	if failed == nil {
		failed = []Assert{}
	}
	return msg, failed
}

// saxon runs the rule file over source (a file or a directory) into out.
func (c *Checker) saxon(rule, source, out string) (string, error) {
	var stderr bytes.Buffer
	cmd := exec.Command("java", "-Xss8m", "-cp", c.jar(), "net.sf.saxon.Transform",
		"-s:"+source, "-xsl:"+filepath.Join(c.Data, rule), "-o:"+out)
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			return "", fmt.Errorf("ublcheck: java (Saxon-HE): %w", err)
		}
		return stderr.String(), err
	}
	return stderr.String(), nil
}

func firstLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, " / ")
}

// parseSVRL returns the failed asserts of an SVRL report.
func parseSVRL(report []byte) ([]Assert, error) {
	dec := xml.NewDecoder(bytes.NewReader(report))
	var out []Assert
	var cur *Assert
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "failed-assert", "successful-report":
				cur = &Assert{}
				for _, a := range t.Attr {
					switch a.Name.Local {
					case "id":
						cur.ID = a.Value
					case "flag":
						cur.Flag = a.Value
					case "location":
						cur.Location = a.Value
					}
				}
				if t.Name.Local == "successful-report" && cur.Flag == "" {
					cur.Flag = "warning"
				}
			case "text":
				inText = cur != nil
			}
		case xml.CharData:
			if inText {
				cur.Text += string(t)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "text":
				inText = false
			case "failed-assert", "successful-report":
				cur.Text = strings.Join(strings.Fields(cur.Text), " ")
				if cur.Flag == "" {
					cur.Flag = "error"
				}
				out = append(out, *cur)
				cur = nil
			}
		}
	}
}
