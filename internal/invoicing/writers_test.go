package invoicing_test

import "wholesale/internal/invoicing"

// benchWriters are the writers the benchmark renders with.
func benchWriters() invoicing.Writers {
	return invoicing.Writers{PDF: jsonWriter, XLSX: jsonWriter}
}
