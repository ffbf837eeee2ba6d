// Command ublcheck validates UBL 2.1 invoices and credit notes by hand, as
// the test suite does: the UBL 2.1 schema (xmllint) and the EN 16931 rules,
// plus SI-UBL 2.0 for documents that declare it (Saxon-HE). `make
// validate-ubl F=file.xml` installs the tools and runs it.
//
//	ublcheck [-data DIR] [-nlcius] FILE...
package main

import (
	"flag"
	"fmt"
	"os"

	"wholesale/internal/ubl/ublcheck"
)

func main() {
	data := flag.String("data", "internal/ubl/testdata/einvoice", "the directory with the UBL schemas (xsd/) and rules (xslt/)")
	nlcius := flag.Bool("nlcius", false, "check against SI-UBL 2.0 too, whatever the file declares")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: ublcheck [-data DIR] [-nlcius] FILE...")
		os.Exit(2)
	}
	results, err := (&ublcheck.Checker{Data: *data, SIUBL: *nlcius}).Check(flag.Args())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	bad := 0
	for _, r := range results {
		verdict := "valid"
		if !r.Valid() {
			verdict, bad = "INVALID", bad+1
		}
		fmt.Printf("%s: %s (%s; rules %v)\n", r.File, verdict, r.Root, r.Rules)
		for _, p := range r.Problems() {
			fmt.Println("  error:", p)
		}
		for _, w := range r.Warnings {
			fmt.Println("  warning:", w)
		}
	}
	if bad > 0 {
		os.Exit(1)
	}
}
