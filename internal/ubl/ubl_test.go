package ubl_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/invoicing"
	"wholesale/internal/pdf"
	"wholesale/internal/ubl"
	"wholesale/internal/ubl/ublcheck"
)

const data = "testdata/einvoice"

var seller = invoicing.Party{Name: "Groothandel <Demo> & Zn B.V.", Street: "Havenweg 1", Postcode: "3011 AA", City: "Rotterdam", Country: "NL",
	VATID: "NL123456782B01", KvK: "12345678", IBAN: "NL91 ABNA 0417 1643 00", BIC: "ABNANL2A", Email: "finance@groothandel.test", Phone: "+31 10 123 4567"}

// sample is an issued invoice of n lines at 21, 9 and 0 % to buyer,
// computed as invoicing computes it.
func sample(n int, buyer invoicing.Party, vatMode string) *invoicing.Document {
	day := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	d := &invoicing.Document{Kind: invoicing.KindInvoice, Number: "2026-000042", Language: i18n.NL, IssueDate: day, SupplyDate: day.AddDate(0, 0, -1),
		DueDate: day.AddDate(0, 0, 30), Seller: seller, Buyer: buyer, VATMode: vatMode, PaymentReference: "2026-000042",
		Orders: []invoicing.OrderRef{{OrderID: 7, POReference: "PO-7"}}}
	for i := 1; i <= n; i++ {
		q, price := 1+i%4, int64(i*137%5000+5)
		d.Lines = append(d.Lines, invoicing.DocLine{No: i, OrderID: 7, POReference: "PO-7", SKU: fmt.Sprintf("SKU-%d", i),
			Description: fmt.Sprintf("Onderdeel %d", i), Quantity: q, UnitPriceCents: price,
			VATRate: invoicing.LineRate(vatMode, []int{21, 9, 0}[i%3]), AmountCents: int64(q) * price})
	}
	d.Rates, d.TotalExclCents, d.VATCents, d.TotalInclCents = invoicing.Totals(d.Lines, vatMode)
	return d
}

var dutchBuyer = invoicing.Party{Name: "Jansen & Zonen BV", Street: "Kade 1", Postcode: "1011 AA", City: "Amsterdam", Country: "NL",
	VATID: "NL000099998B57", KvK: "87654321", Email: "facturen@jansen.test", CustomerNumber: 12}

func write(t testing.TB, d *invoicing.Document, pdf []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := ubl.Write(&buf, d, pdf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestEndpointOfAParty(t *testing.T) {
	for _, c := range []struct {
		p          invoicing.Party
		scheme, id string
	}{
		{invoicing.Party{Country: "NL", KvK: "87654321", VATID: "NL000099998B57"}, "0106", "87654321"},
		{invoicing.Party{Country: "NL", KvK: "87654321", PeppolID: "9944:NL000099998B57"}, "9944", "NL000099998B57"},
		{invoicing.Party{Country: "DE", VATID: "DE811907980"}, "9930", "DE811907980"},
		{invoicing.Party{Country: "FR", VATID: "FR40303265045"}, "9957", "FR40303265045"},
		{invoicing.Party{Country: "SE", VATID: "SE556000016701", Email: "ap@se.test"}, "EM", "ap@se.test"},
		{invoicing.Party{Country: "RU", Email: "buh@kuhnya.test"}, "EM", "buh@kuhnya.test"},
		{invoicing.Party{Country: "RU"}, "", ""},
	} {
		if s, id := ubl.Endpoint(c.p); s != c.scheme || id != c.id {
			t.Errorf("Endpoint(%+v) = %s:%s, want %s:%s", c.p, s, id, c.scheme, c.id)
		}
	}
}

func TestCategories(t *testing.T) {
	for _, c := range []struct {
		mode string
		rate int
		want string
	}{{invoicing.VATDomestic, 21, "S"}, {invoicing.VATDomestic, 9, "S"}, {invoicing.VATDomestic, 0, "Z"},
		{invoicing.VATReverseCharge, 0, "K"}, {invoicing.VATExport, 0, "G"}} {
		if got := ubl.Category(c.mode, c.rate); got != c.want {
			t.Errorf("Category(%s, %d) = %s, want %s", c.mode, c.rate, got, c.want)
		}
	}
}

// The profile follows the buyer's country unless the buyer chose one.
func TestProfiles(t *testing.T) {
	de := invoicing.Party{Name: "Küchenwelt", Street: "Hauptstraße 1", Postcode: "10115", City: "Berlin", Country: "DE", VATID: "DE811907980"}
	peppolNL := dutchBuyer
	peppolNL.EInvoiceProfile = customers.ProfilePeppol
	nlciusDE := de
	nlciusDE.EInvoiceProfile = customers.ProfileNLCIUS
	for _, c := range []struct {
		buyer invoicing.Party
		want  string
	}{{dutchBuyer, ubl.CustomizationNLCIUS}, {de, ubl.CustomizationPeppol}, {peppolNL, ubl.CustomizationPeppol}, {nlciusDE, ubl.CustomizationNLCIUS}} {
		out := write(t, sample(2, c.buyer, invoicing.VATDomestic), nil)
		if !bytes.Contains(out, []byte("<cbc:CustomizationID>"+c.want+"</cbc:CustomizationID>")) {
			t.Errorf("%s (%s, chose %q): want %s", c.buyer.Name, c.buyer.Country, c.buyer.EInvoiceProfile, c.want)
		}
	}
}

// Names with &, < and > are escaped, every figure has two decimals, and a
// document without a number is refused.
func TestWriteEscapesAndRefuses(t *testing.T) {
	out := write(t, sample(3, dutchBuyer, invoicing.VATDomestic), []byte("%PDF"))
	var probe struct {
		Seller string `xml:"AccountingSupplierParty>Party>PartyName>Name"`
		Buyer  string `xml:"AccountingCustomerParty>Party>PartyName>Name"`
		Total  string `xml:"LegalMonetaryTotal>PayableAmount"`
	}
	if err := xml.Unmarshal(out, &probe); err != nil {
		t.Fatal(err)
	}
	if probe.Seller != seller.Name || probe.Buyer != dutchBuyer.Name {
		t.Errorf("names read back as %q and %q", probe.Seller, probe.Buyer)
	}
	if _, frac, _ := strings.Cut(probe.Total, "."); len(frac) != 2 {
		t.Errorf("payable amount %q has not two decimals", probe.Total)
	}
	if !bytes.Contains(out, []byte("<cbc:ID>NL91ABNA0417164300</cbc:ID>")) {
		t.Error("the IBAN is not written without spaces")
	}
	d := sample(1, dutchBuyer, invoicing.VATDomestic)
	d.Number = ""
	if err := ubl.Write(&bytes.Buffer{}, d, nil); err == nil {
		t.Error("a document without a number was written")
	}
}

// A synthetic set beyond the scenarios of the invoicing tests: every
// treatment in both profiles, a 1,000-line invoice, prices that round
// half a cent, validated in one go.
func TestSyntheticDocumentsPassTheRules(t *testing.T) {
	de := invoicing.Party{Name: "Küchenwelt Müller GmbH", Street: "Hauptstraße 1", Postcode: "10115", City: "Berlin", Country: "DE",
		VATID: "DE811907980", KvK: "HRB 12345", Email: "rechnung@kw.test"}
	ru := invoicing.Party{Name: "ООО «Кухня-Опт»", Street: "ул. Ленина, 1", Postcode: "101000", City: "Москва", Country: "RU", Email: "buh@kuhnya.test"}
	dir := t.TempDir()
	var files []string
	add := func(name string, d *invoicing.Document) {
		path := filepath.Join(dir, name+".xml")
		if err := os.WriteFile(path, write(t, d, []byte("%PDF-1.4\n%test\n")), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, path)
	}
	for _, b := range []invoicing.Party{dutchBuyer, de, ru} {
		for _, prof := range []string{customers.ProfileNLCIUS, customers.ProfilePeppol} {
			b.EInvoiceProfile = prof
			mode := map[string]string{"NL": invoicing.VATDomestic, "DE": invoicing.VATReverseCharge, "RU": invoicing.VATExport}[b.Country]
			add(b.Country+"-"+prof, sample(7, b, mode))
		}
	}
	add("NL-1000-lines", sample(1000, dutchBuyer, invoicing.VATDomestic))
	half := sample(1, dutchBuyer, invoicing.VATDomestic) // 0.50 at 21 %: VAT 0.105, rounded to 0.11
	half.Lines[0].Quantity, half.Lines[0].UnitPriceCents, half.Lines[0].AmountCents, half.Lines[0].VATRate = 1, 50, 50, 21
	half.Rates, half.TotalExclCents, half.VATCents, half.TotalInclCents = invoicing.Totals(half.Lines, half.VATMode)
	if half.VATCents != 11 {
		t.Fatalf("VAT on 0.50 at 21 %% is %d cents, want 11", half.VATCents)
	}
	add("NL-half-cent", half)
	results, err := (&ublcheck.Checker{Data: data}).Check(files)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if !r.Valid() {
			t.Errorf("%s: %s", filepath.Base(r.File), strings.Join(r.Problems(), "\n  "))
		}
		for _, w := range r.Warnings {
			t.Logf("%s: warning %s", filepath.Base(r.File), w)
		}
	}
}

// samplePDF is a real invoice PDF, as the run embeds.
func samplePDF(b *testing.B, d *invoicing.Document) []byte {
	var buf bytes.Buffer
	if err := pdf.WriteInvoice(&buf, d); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkWrite: UBL documents of 5 lines per second, without and with
// the PDF inside.
func BenchmarkWrite(b *testing.B) {
	d := sample(5, dutchBuyer, invoicing.VATDomestic)
	for _, c := range []struct {
		name string
		pdf  []byte
	}{{"without-pdf", nil}, {"with-pdf", samplePDF(b, d)}} {
		b.Run(c.name, func(b *testing.B) {
			var buf bytes.Buffer
			b.ReportAllocs()
			for b.Loop() {
				buf.Reset()
				if err := ubl.Write(&buf, d, c.pdf); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
			b.ReportMetric(float64(buf.Len()), "bytes/doc")
		})
	}
}

// BenchmarkValidate: the time to validate BENCH_UBL_DOCS documents (50 by
// default, 1000 in docs/BENCHMARKS.md) of 5 lines with their PDF inside,
// in one xmllint and one Saxon run per rule file.
func BenchmarkValidate(b *testing.B) {
	n := 50
	if s := os.Getenv("BENCH_UBL_DOCS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	dir := b.TempDir()
	d := sample(5, dutchBuyer, invoicing.VATDomestic)
	pdfBytes := samplePDF(b, d)
	files := make([]string, n)
	for i := range files {
		d.Number = fmt.Sprintf("2026-%06d", i+1)
		files[i] = filepath.Join(dir, d.Number+".xml")
		var buf bytes.Buffer
		if err := ubl.Write(&buf, d, pdfBytes); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(files[i], buf.Bytes(), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	c := &ublcheck.Checker{Data: data}
	for b.Loop() {
		results, err := c.Check(files)
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range results {
			if !r.Valid() {
				b.Fatalf("%s: %v", r.File, r.Problems())
			}
		}
	}
	b.ReportMetric(float64(n), "docs")
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/run")
}
