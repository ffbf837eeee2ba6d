package pdf

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"wholesale/internal/i18n"
	"wholesale/internal/invoicing"
)

// The documents of the tests, built by hand as the invoicing service
// computes them.

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

var seller = invoicing.Party{
	Name: "Groothandel Van Dijk B.V.", Street: "Industrieweg 12", Postcode: "3542 AD", City: "Utrecht", Country: "Nederland",
	VATID: "NL859123456B01", KvK: "30123456", IBAN: "NL91 ABNA 0417 1643 00", BIC: "ABNANL2A",
	Email: "facturen@vandijk.example", Phone: "+31 30 123 4567", Website: "www.vandijk.example",
}

// domestic is a Dutch invoice in lang: goods at 21% and 9% from two orders
// and a shipping line.
func domestic(lang i18n.Lang) *invoicing.Document {
	return &invoicing.Document{
		Kind: invoicing.KindInvoice, Number: "2026-000123", Language: lang,
		IssueDate: day(2026, 11, 27), SupplyDate: day(2026, 11, 26), DueDate: day(2026, 12, 27),
		Seller: seller,
		Buyer: invoicing.Party{Name: "Bakkerij De Zon", Street: "Dorpsstraat 1", Postcode: "1234 AB", City: "Zonnedorp",
			Country: "Nederland", VATID: "NL001234567B01", CustomerNumber: 10042},
		VATMode:          invoicing.VATDomestic,
		Orders:           []invoicing.OrderRef{{OrderID: 5001, POReference: "PO-2026-118"}, {OrderID: 5002}},
		PaymentReference: "1000 0000 2026 0123",
		Lines: []invoicing.DocLine{
			{No: 1, OrderID: 5001, POReference: "PO-2026-118", SKU: "HP-305A", Description: "Toner HP 305A zwart", Quantity: 3, UnitPriceCents: 8950, VATRate: 21, AmountCents: 26850},
			{No: 2, OrderID: 5002, SKU: "KF-500", Description: "Koffiebonen 500 g", Quantity: 12, UnitPriceCents: 1295, VATRate: 9, AmountCents: 15540},
			{No: 3, OrderID: 5001, POReference: "PO-2026-118", Description: "Verzendkosten, order 5001", Quantity: 1, UnitPriceCents: 995, VATRate: 21, AmountCents: 995, Shipping: true},
		},
		Rates:          []invoicing.RateTotal{{Rate: 21, BaseCents: 27845, VATCents: 5847}, {Rate: 9, BaseCents: 15540, VATCents: 1399}},
		TotalExclCents: 43385, VATCents: 7246, TotalInclCents: 50631,
	}
}

// prepaid is the domestic invoice in English after € 200 paid in advance.
func prepaid() *invoicing.Document {
	d := domestic(i18n.EN)
	d.PrepaidCents = 20000
	return d
}

// reverseCharge is an English invoice to a Danish company: VAT reverse
// charged, both VAT ids printed.
func reverseCharge() *invoicing.Document {
	return &invoicing.Document{
		Kind: invoicing.KindInvoice, Number: "2026-000124", Language: i18n.EN,
		IssueDate: day(2026, 11, 27), SupplyDate: day(2026, 11, 25), DueDate: day(2026, 12, 27),
		Seller: seller,
		Buyer: invoicing.Party{Name: "Bjørnstad Æble ApS", Street: "Åboulevarden 7", Postcode: "8000", City: "Aarhus C",
			Country: "Danmark", VATID: "DK12345678", CustomerNumber: 20007},
		VATMode:          invoicing.VATReverseCharge,
		Orders:           []invoicing.OrderRef{{OrderID: 6001, POReference: "ØB-77"}},
		PaymentReference: "1000 0000 2026 0124",
		Lines: []invoicing.DocLine{
			{No: 1, OrderID: 6001, POReference: "ØB-77", SKU: "AP-KIST", Description: "Appelkist grenen", Quantity: 250, UnitPriceCents: 1234, VATRate: 0, AmountCents: 308500},
		},
		Rates:          []invoicing.RateTotal{{Rate: 0, BaseCents: 308500}},
		TotalExclCents: 308500, TotalInclCents: 308500,
	}
}

// export is a Dutch invoice to a Russian company: VAT 0%, export.
func export() *invoicing.Document {
	return &invoicing.Document{
		Kind: invoicing.KindInvoice, Number: "2026-000125", Language: i18n.NL,
		IssueDate: day(2026, 11, 28), SupplyDate: day(2026, 11, 28), DueDate: day(2026, 12, 12),
		Seller: seller,
		Buyer: invoicing.Party{Name: "ООО Ромашка", Street: "ул. Тверская, д. 7", Postcode: "125009", City: "Москва",
			Country: "Россия", CustomerNumber: 30001},
		VATMode:          invoicing.VATExport,
		Orders:           []invoicing.OrderRef{{OrderID: 7001, POReference: "Заказ 15"}},
		PaymentReference: "1000 0000 2026 0125",
		Lines: []invoicing.DocLine{
			{No: 1, OrderID: 7001, SKU: "TH-1000", Description: "Thermoskan 1 l, RVS", Quantity: 1500, UnitPriceCents: 823, VATRate: 0, AmountCents: 1234500},
		},
		Rates:          []invoicing.RateTotal{{Rate: 0, BaseCents: 1234500}},
		TotalExclCents: 1234500, TotalInclCents: 1234500,
	}
}

// creditNote is a Dutch credit note for two damaged toners to a German
// company, VAT reverse charged: negative quantities and amounts.
func creditNote() *invoicing.Document {
	return &invoicing.Document{
		Kind: invoicing.KindCreditNote, Number: "2026-000130", Language: i18n.NL,
		IssueDate: day(2026, 12, 2), SupplyDate: day(2026, 11, 26),
		Seller: seller,
		Buyer: invoicing.Party{Name: "Müller Straßenbau GmbH", Street: "Müller Straße 17", Postcode: "50667", City: "Köln",
			Country: "Deutschland", VATID: "DE123456789", CustomerNumber: 40003},
		VATMode:          invoicing.VATReverseCharge,
		Orders:           []invoicing.OrderRef{{OrderID: 8001, POReference: "BE-4711"}},
		PaymentReference: "1000 0000 2026 0130",
		Credits:          "2026-000120", CreditsDate: day(2026, 11, 27),
		Reason: "Twee tonercartridges beschadigd geleverd",
		Lines: []invoicing.DocLine{
			{No: 1, OrderID: 8001, POReference: "BE-4711", SKU: "HP-305A", Description: "Toner HP 305A zwart", Quantity: -2, UnitPriceCents: 8950, VATRate: 0, AmountCents: -17900},
		},
		Rates:          []invoicing.RateTotal{{Rate: 0, BaseCents: -17900}},
		TotalExclCents: -17900, TotalInclCents: -17900,
	}
}

// manyLines is the domestic invoice with n lines of goods at 21%.
func manyLines(n int) *invoicing.Document {
	d := domestic(i18n.NL)
	d.Lines = nil
	var base int64
	for i := 1; i <= n; i++ {
		price := int64(100 + i)
		d.Lines = append(d.Lines, invoicing.DocLine{No: i, OrderID: 5001, SKU: fmt.Sprintf("ART-%04d", i),
			Description: fmt.Sprintf("Artikel nummer %d", i), Quantity: i, UnitPriceCents: price, VATRate: 21, AmountCents: int64(i) * price})
		base += int64(i) * price
	}
	vat := (base*21 + 50) / 100
	d.Rates = []invoicing.RateTotal{{Rate: 21, BaseCents: base, VATCents: vat}}
	d.TotalExclCents, d.VATCents, d.TotalInclCents = base, vat, base+vat
	return d
}

// render writes d as a PDF; with PDF_DIR set it keeps the file there to
// look at.
func render(t testing.TB, name string, d *invoicing.Document) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteInvoice(&buf, d); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if dir := os.Getenv("PDF_DIR"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name+".pdf"), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

// pages is the text of each page of a PDF as `pdftotext -layout` (Debian's
// poppler-utils) reads it.
func pages(t testing.TB, pdf []byte) []string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext is missing: the PDF tests read the documents back with it; install Debian's poppler-utils (`make tools` does)")
	}
	cmd := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v: %s", err, stderr.String())
	}
	if stderr.Len() > 0 {
		t.Errorf("pdftotext complains: %s", stderr.String())
	}
	return strings.Split(strings.TrimSuffix(string(out), "\f"), "\f")
}
