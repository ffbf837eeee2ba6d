package invoicing_test

import (
	"wholesale/internal/invoicing"
	"wholesale/internal/pdf"
	"wholesale/internal/ubl"
	"wholesale/internal/xlsx"
)

// realWriters are the PDF and Excel writers the application uses.
func realWriters() invoicing.Writers {
	return invoicing.Writers{PDF: pdf.WriteInvoice, XLSX: xlsx.WriteInvoice, UBL: ubl.Write}
}

// benchWriters are the writers the benchmark renders with: the real ones.
func benchWriters() invoicing.Writers { return realWriters() }
