package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/uptrace/bun"

	"wholesale/internal/clock"
	"wholesale/internal/invoicing"
	"wholesale/internal/pdf"
	"wholesale/internal/ubl"
	"wholesale/internal/xlsx"
)

// newInvoicing is the invoicing service with the calendar admins keep and
// the real PDF and Excel writers.
func newInvoicing(db *bun.DB, clk clock.Clock, log *slog.Logger) *invoicing.Service {
	return &invoicing.Service{DB: db, Clock: clk, Log: log, Calendar: invoicing.LoadCalendar,
		Writers: invoicing.Writers{PDF: pdf.WriteInvoice, XLSX: xlsx.WriteInvoice, UBL: ubl.Write}}
}

// runInvoiceRun is `wholesale invoice-run [-customer N]`: the cutoff run
// from the command line. It is safe beside the servers' scheduled runs.
func runInvoiceRun(ctx context.Context, args []string, db *bun.DB, log *slog.Logger, stdout io.Writer) error {
	fs := flag.NewFlagSet("invoice-run", flag.ContinueOnError)
	fs.SetOutput(stdout)
	customer := fs.Int64("customer", 0, "issue this customer's drafts now, before the cutoff")
	if err := fs.Parse(args); err != nil {
		return err
	}
	numbers, err := newInvoicing(db, clock.System{}, log).Run(ctx, nil, *customer)
	if len(numbers) > 0 {
		fmt.Fprintf(stdout, "issued %d invoices: %s\n", len(numbers), strings.Join([]string{numbers[0], numbers[len(numbers)-1]}, " … "))
	} else if err == nil {
		fmt.Fprintln(stdout, "nothing to invoice")
	}
	return err
}

// runInvoiceUBL is `wholesale invoice-ubl NUMBER [-o FILE]`: the e-invoice
// (UBL) of an issued invoice or credit note, to stdout or FILE; made and
// stored at the first call, the same bytes ever after.
func runInvoiceUBL(ctx context.Context, args []string, db *bun.DB, log *slog.Logger, stdout io.Writer) error {
	fs := flag.NewFlagSet("invoice-ubl", flag.ContinueOnError)
	fs.SetOutput(stdout)
	out := fs.String("o", "", "write the UBL to this file instead of stdout")
	if err := fs.Parse(args); err != nil {
		return err
	}
	number := fs.Arg(0)
	if fs.NArg() > 0 { // the flags may follow the number too
		if err := fs.Parse(fs.Args()[1:]); err != nil {
			return err
		}
	}
	if number == "" || fs.NArg() > 0 {
		return errors.New("usage: wholesale invoice-ubl NUMBER [-o FILE]")
	}
	f, err := newInvoicing(db, clock.System{}, log).UBLOf(ctx, number)
	if err != nil {
		return fmt.Errorf("invoice %s: %w", number, err)
	}
	if *out == "" {
		_, err = stdout.Write(f.Content)
		return err
	}
	return os.WriteFile(*out, f.Content, 0o644)
}
