// Command importfiles writes the worst product import files of
// docs/BENCHMARKS.md (xlsxtest.WorstProductFiles) into a folder, to post
// them to a running server and measure it:
//
//	go run ./cmd/importfiles /tmp/import-files
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"wholesale/internal/xlsx/xlsxtest"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "importfiles:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: importfiles FOLDER")
	}
	if err := os.MkdirAll(args[0], 0o755); err != nil {
		return err
	}
	for _, f := range xlsxtest.WorstProductFiles() {
		ext := ".xlsx"
		if strings.HasPrefix(f.Name, "csv") {
			ext = ".csv"
		}
		content := f.Build()
		name := filepath.Join(args[0], f.Name+ext)
		if err := os.WriteFile(name, content, 0o644); err != nil {
			return err
		}
		fmt.Printf("%s\t%d bytes\n", name, len(content))
	}
	return nil
}
