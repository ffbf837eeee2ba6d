package invoicing_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"wholesale/internal/catalog"
	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/invoicing"
	"wholesale/internal/orders"
	"wholesale/internal/stock"
	"wholesale/internal/ubl"
	"wholesale/internal/ubl/ublcheck"
)

// einvoiceData is the UBL schema and the official rules (../shared/data).
const einvoiceData = "../ubl/testdata/einvoice"

// parsed is what the agreement checks read back from a UBL file.
type parsed struct {
	XMLName         xml.Name
	CustomizationID string   `xml:"CustomizationID"`
	ID              string   `xml:"ID"`
	DueDate         string   `xml:"DueDate"`
	BuyerReference  string   `xml:"BuyerReference"`
	OrderReference  string   `xml:"OrderReference>ID"`
	BillingRef      string   `xml:"BillingReference>InvoiceDocumentReference>ID"`
	Embedded        string   `xml:"AdditionalDocumentReference>Attachment>EmbeddedDocumentBinaryObject"`
	PaymentID       string   `xml:"PaymentMeans>PaymentID"`
	PayeeAccount    string   `xml:"PaymentMeans>PayeeFinancialAccount>ID"`
	SellerVAT       string   `xml:"AccountingSupplierParty>Party>PartyTaxScheme>CompanyID"`
	SellerKvK       idScheme `xml:"AccountingSupplierParty>Party>PartyLegalEntity>CompanyID"`
	BuyerName       string   `xml:"AccountingCustomerParty>Party>PartyLegalEntity>RegistrationName"`
	BuyerVAT        string   `xml:"AccountingCustomerParty>Party>PartyTaxScheme>CompanyID"`
	BuyerEndpoint   idScheme `xml:"AccountingCustomerParty>Party>EndpointID"`
	SellerEndpoint  idScheme `xml:"AccountingSupplierParty>Party>EndpointID"`
	ProfileID       string   `xml:"ProfileID"`
	Notes           []string `xml:"Note"`
	TaxAmount       string   `xml:"TaxTotal>TaxAmount"`
	Subtotals       []struct {
		Taxable   string `xml:"TaxableAmount"`
		Tax       string `xml:"TaxAmount"`
		Category  string `xml:"TaxCategory>ID"`
		Percent   string `xml:"TaxCategory>Percent"`
		Exemption string `xml:"TaxCategory>TaxExemptionReason"`
	} `xml:"TaxTotal>TaxSubtotal"`
	LineExtension   string    `xml:"LegalMonetaryTotal>LineExtensionAmount"`
	TaxExclusive    string    `xml:"LegalMonetaryTotal>TaxExclusiveAmount"`
	TaxInclusive    string    `xml:"LegalMonetaryTotal>TaxInclusiveAmount"`
	Prepaid         string    `xml:"LegalMonetaryTotal>PrepaidAmount"`
	Payable         string    `xml:"LegalMonetaryTotal>PayableAmount"`
	InvoiceLines    []ublLine `xml:"InvoiceLine"`
	CreditNoteLines []ublLine `xml:"CreditNoteLine"`
}

type ublLine struct {
	ID       string `xml:"ID"`
	Invoiced string `xml:"InvoicedQuantity"`
	Credited string `xml:"CreditedQuantity"`
	Amount   string `xml:"LineExtensionAmount"`
	Price    string `xml:"Price>PriceAmount"`
	Category string `xml:"Item>ClassifiedTaxCategory>ID"`
	Percent  string `xml:"Item>ClassifiedTaxCategory>Percent"`
}

type idScheme struct {
	Scheme string `xml:"schemeID,attr"`
	Value  string `xml:",chardata"`
}

// cents reads a UBL amount ("1234.50") as cents; a UBL credit note's
// amounts are positive, so sign turns them back to the books' sign.
func cents(t *testing.T, s string, sign int64) int64 {
	t.Helper()
	neg := strings.HasPrefix(s, "-")
	whole, frac, _ := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	for len(frac) < 2 {
		frac += "0"
	}
	if len(frac) > 2 {
		t.Fatalf("amount %q has more than 2 decimals (BR-DEC)", s)
	}
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		t.Fatalf("amount %q: %v", s, err)
	}
	if neg {
		n = -n
	}
	return n * sign
}

// xlsxAmounts are the numbers of a workbook's first sheet, in cents.
func xlsxAmounts(t *testing.T, content []byte) map[int64]bool {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0], excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]bool{}
	for _, row := range rows {
		for _, v := range row {
			if n, err := strconv.ParseFloat(v, 64); err == nil {
				out[int64(math.Round(n*100))] = true
			}
		}
	}
	return out
}

// einvoiceScenarios issues the documents of issue 15's scenarios with the
// real writers: a Dutch customer with 21, 9 and 0 % lines and a shipping
// cost; an intra-EU reverse charge (Peppol by default); an export to a
// Cyrillic name; a Danish name with æøå that wants the UBL in its mail;
// a prepayment invoice; a Dutch customer that chose Peppol, with an
// invoice of 500 lines; and credit notes of the Dutch and the intra-EU
// invoice.
func einvoiceScenarios(t *testing.T) (*env, map[string]string) {
	e := newEnv(t)
	ctx := context.Background()
	e.svc.Writers = realWriters()
	cat := &catalog.Service{DB: e.db, Clock: e.clk}
	var csv, stockCSV strings.Builder
	csv.WriteString("sku,name,unit_price,vat_rate\nZ,Export crate,4.99,0\n")
	stockCSV.WriteString("sku,warehouse,on_hand\nZ,MAIN,1000\n")
	for i := 1; i <= 498; i++ {
		fmt.Fprintf(&csv, "L%03d,Part %d,%d.%02d,%d\n", i, i, i%37, (i*7)%100+1, []int{21, 9, 0}[i%3])
		fmt.Fprintf(&stockCSV, "L%03d,MAIN,100\n", i)
	}
	if rep, err := cat.ImportProducts(ctx, []byte(csv.String())); err != nil || rep.Failed() {
		t.Fatal(err, rep)
	}
	if rep, err := (&stock.Service{DB: e.db, Clock: e.clk}).ImportStock(ctx, []byte(stockCSV.String())); err != nil || len(rep.Errors) > 0 {
		t.Fatal(err, rep.Errors)
	}
	e.exec(`UPDATE settings SET bic = 'ABNANL2A', email = 'finance@groothandel.test', phone = '+31 10 123 4567'`)
	de := e.company("Küchenwelt Müller GmbH", "DE", "DE811907980", customers.TermsCredit)
	ru := e.company("ООО «Ромашка»", "RU", "", customers.TermsCredit)
	dk := e.company("Bjørnstad Æble & Søn ApS", "DK", "DK13585628", customers.TermsCredit)
	pre := e.company("Vooruit BV", "NL", "NL000099998B57", customers.TermsPrepayment)
	big := e.company("Groot & Co BV", "NL", "NL123456789B01", customers.TermsCredit)
	e.exec(`UPDATE companies SET ubl_in_mail = true WHERE id = ?`, dk.ID)
	e.exec(`UPDATE companies SET einvoice_profile = 'peppol', peppol_id = '0106:11223344', buyer_reference = 'AFD-INKOOP 7' WHERE id = ?`, big.ID)

	e.clk.Set(amsterdam(24, 10, 0))
	e.ship(e.order(e.customer, "PO-NL-1", line("A", 2), line("B", 3), line("Z", 4)))
	e.ship(e.order(de, "PO-DE-1", line("A", 1), line("B", 2)))
	e.ship(e.order(ru, "ЗАКАЗ-7", line("A", 3)))
	e.ship(e.order(dk, "PO-DK-1", line("B", 7)))
	e.ship(e.order(pre, "PO-PRE-1", line("A", 1), line("Z", 1)))
	var many []orders.LineInput
	for i := 1; i <= 498; i++ {
		many = append(many, line(fmt.Sprintf("L%03d", i), 1+i%5))
	}
	e.ship(e.order(big, "PO-BIG-1", many...)) // 498 lines and the shipping cost
	e.ship(e.order(big, "PO-BIG-2", line("A", 1)))
	e.clk.Set(amsterdam(24, 17, 0))
	numbers, err := e.svc.Run(ctx, nil, 0)
	if err != nil || len(numbers) != 6 {
		t.Fatalf("the run issued %v (%v)", numbers, err)
	}
	e.clk.Set(amsterdam(25, 9, 0))
	cn, err := e.svc.CreditNote(ctx, e.fin, invoicing.CreditNoteInput{Invoice: numbers[0], Quantities: map[int]int{1: 1, 2: 3}, Reason: "Één ketel defect, boeken beschadigd"})
	if err != nil {
		t.Fatal(err)
	}
	cnDE, err := e.svc.CreditNote(ctx, e.fin, invoicing.CreditNoteInput{Invoice: numbers[1], Quantities: map[int]int{2: 1}, Reason: "Ein Buch beschädigt"})
	if err != nil {
		t.Fatal(err)
	}
	scenario := map[string]string{
		numbers[0]: "Dutch customer, 21/9/0 % and shipping", numbers[1]: "intra-EU reverse charge", numbers[2]: "export, Cyrillic name",
		numbers[3]: "æøå, UBL in the mail", numbers[4]: "prepayment", numbers[5]: "Dutch customer on Peppol, 500 lines, two orders",
		cn.NumberOr(): "credit note", cnDE.NumberOr(): "credit note of an intra-EU supply",
	}
	return e, scenario
}

// TestEInvoicesPassTheOfficialRules: every scenario's UBL passes the UBL
// 2.1 schema and the rules of its profile (EN 16931, and SI-UBL 2.0 for
// SI-UBL documents) with no failed assert; warnings are listed.
func TestEInvoicesPassTheOfficialRules(t *testing.T) {
	e, scenario := einvoiceScenarios(t)
	ctx := context.Background()
	dir := t.TempDir()
	var files []string
	numberOf := map[string]string{}
	for number := range scenario {
		f, err := e.svc.UBLOf(ctx, number)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, f.Name)
		if err := os.WriteFile(path, f.Content, 0o644); err != nil {
			t.Fatal(err)
		}
		files, numberOf[path] = append(files, path), number
	}
	results, err := (&ublcheck.Checker{Data: einvoiceData}).Check(files)
	if err != nil {
		t.Fatal(err)
	}
	profiles := map[string]int{}
	for _, r := range results {
		n := numberOf[r.File]
		if !r.Valid() {
			t.Errorf("%s (%s) fails validation:\n  %s", n, scenario[n], strings.Join(r.Problems(), "\n  "))
		}
		for _, w := range r.Warnings {
			t.Logf("%s (%s): warning %s", n, scenario[n], w)
		}
		profiles[strings.Join(r.Rules, "+")]++
		t.Logf("%s (%s): %s, checked against %v", n, scenario[n], r.Root, r.Rules)
	}
	if len(profiles) != 2 {
		t.Errorf("want documents of both profiles, checked by their rules; got %v", profiles)
	}
}

// TestEInvoicesAgreeWithTheBooks: the UBL's totals, VAT per category and
// line amounts equal the database, the PDF and the Excel to the cent; EN
// 16931's BR-CO rules recompute every total exactly; the PDF inside is the
// original; each profile carries what its receivers need.
func TestEInvoicesAgreeWithTheBooks(t *testing.T) {
	e, scenario := einvoiceScenarios(t)
	ctx := context.Background()
	for number, what := range scenario {
		inv, err := e.svc.Get(ctx, e.fin, number)
		if err != nil {
			t.Fatal(err)
		}
		f, err := e.svc.UBLOf(ctx, number)
		if err != nil {
			t.Fatal(err)
		}
		var u parsed
		if err := xml.Unmarshal(f.Content, &u); err != nil {
			t.Fatalf("%s: %v", number, err)
		}
		sign := int64(1)
		if inv.Kind == invoicing.KindCreditNote {
			sign = -1
			if u.XMLName.Local != "CreditNote" || u.BillingRef != inv.Credits || inv.Credits == "" {
				t.Errorf("%s (%s): want a CreditNote referring to %q, got %s referring to %q", number, what, inv.Credits, u.XMLName.Local, u.BillingRef)
			}
		} else if u.XMLName.Local != "Invoice" || u.DueDate != inv.DueDate.Format("2006-01-02") || u.PaymentID != number {
			t.Errorf("%s (%s): want an Invoice due %s paid with reference %s, got %s due %q ref %q", number, what, inv.DueDate, number, u.XMLName.Local, u.DueDate, u.PaymentID)
		}
		if u.ID != number || u.BuyerName != inv.Buyer.Name || u.BuyerVAT != inv.Buyer.VATID || u.SellerVAT != inv.Seller.VATID ||
			u.SellerKvK != (idScheme{"0106", inv.Seller.KvK}) {
			t.Errorf("%s (%s): parties differ: %+v", number, what, u)
		}
		// The database.
		if got := cents(t, u.TaxInclusive, sign); got != inv.TotalInclCents {
			t.Errorf("%s (%s): UBL total incl. VAT %d, database %d", number, what, got, inv.TotalInclCents)
		}
		if got := cents(t, u.TaxExclusive, sign); got != inv.TotalExclCents {
			t.Errorf("%s (%s): UBL total excl. VAT %d, database %d", number, what, got, inv.TotalExclCents)
		}
		if got := cents(t, u.TaxAmount, sign); got != inv.VATCents {
			t.Errorf("%s (%s): UBL VAT %d, database %d", number, what, got, inv.VATCents)
		}
		if len(u.Subtotals) != len(inv.PerRate) {
			t.Fatalf("%s (%s): %d tax subtotals, database %d rates", number, what, len(u.Subtotals), len(inv.PerRate))
		}
		var lineSum, vatSum int64
		for i, r := range inv.PerRate {
			st := u.Subtotals[i]
			want := ubl.Category(inv.VATMode, r.Rate)
			if st.Category != want || st.Percent != strconv.Itoa(r.Rate) || cents(t, st.Taxable, sign) != r.BaseCents || cents(t, st.Tax, sign) != r.VATCents {
				t.Errorf("%s (%s): subtotal %+v, database %+v (category %s)", number, what, st, r, want)
			}
			// BR-CO-17: the VAT of a category is its base × rate, rounded to the cent.
			base := cents(t, st.Taxable, 1)
			if got, want := cents(t, st.Tax, 1), invoicing.VATOf(base, r.Rate); got != want {
				t.Errorf("%s: BR-CO-17: VAT %d on %d at %d %%, want %d", number, got, base, r.Rate, want)
			}
			if (want == ubl.CategoryIntraCommunity || want == ubl.CategoryExport) != (st.Exemption != "") {
				t.Errorf("%s (%s): category %s with exemption reason %q", number, what, want, st.Exemption)
			}
			vatSum += cents(t, st.Tax, 1)
		}
		lines := append(u.InvoiceLines, u.CreditNoteLines...)
		if len(lines) != len(inv.Lines) {
			t.Fatalf("%s (%s): %d UBL lines, database %d", number, what, len(lines), len(inv.Lines))
		}
		for i, l := range inv.Lines {
			ul := lines[i]
			if ul.ID != strconv.Itoa(l.LineNo) || cents(t, ul.Amount, sign) != l.AmountCents || cents(t, ul.Price, 1) != l.UnitPriceCents ||
				ul.Invoiced+ul.Credited != strconv.Itoa(int(sign)*l.Quantity) ||
				ul.Percent != strconv.Itoa(l.VATRate) || ul.Category != ubl.Category(inv.VATMode, l.VATRate) {
				t.Errorf("%s (%s): line %d: UBL %+v, database %+v", number, what, l.LineNo, ul, l)
			}
			lineSum += cents(t, ul.Amount, 1)
		}
		// BR-CO-10, 13, 14, 15, 16: the totals add up.
		excl, incl, vat := cents(t, u.TaxExclusive, 1), cents(t, u.TaxInclusive, 1), cents(t, u.TaxAmount, 1)
		prepaid := int64(0)
		if u.Prepaid != "" {
			prepaid = cents(t, u.Prepaid, 1)
		}
		if lineSum != cents(t, u.LineExtension, 1) || excl != lineSum || vat != vatSum || incl != excl+vat || cents(t, u.Payable, 1) != incl-prepaid {
			t.Errorf("%s (%s): the BR-CO sums do not hold: lines %d, excl %d, VAT %d (subtotals %d), incl %d, prepaid %d, payable %s",
				number, what, lineSum, excl, vat, vatSum, incl, prepaid, u.Payable)
		}
		// The PDF inside is the original, and it and the workbook say the same.
		original, err := invoicing.Original(ctx, e.db, inv.ID, "pdf")
		if err != nil {
			t.Fatal(err)
		}
		if embedded, err := base64.StdEncoding.DecodeString(strings.TrimSpace(u.Embedded)); err != nil || !bytes.Equal(embedded, original) {
			t.Errorf("%s (%s): the embedded PDF is not the original (%v)", number, what, err)
		}
		l := i18n.For(inv.Language)
		text := pdfText(t, original)
		for _, c := range []int64{inv.TotalInclCents, inv.TotalExclCents, inv.VATCents} {
			if !strings.Contains(text, l.Amount(c)) {
				t.Errorf("%s (%s): the PDF lacks %s", number, what, l.Amount(c))
			}
		}
		if inv.Kind == invoicing.KindInvoice && len(inv.Lines) < 50 {
			for _, ln := range inv.Lines {
				if !strings.Contains(text, l.Amount(ln.AmountCents)) {
					t.Errorf("%s (%s): the PDF lacks line %d's %s", number, what, ln.LineNo, l.Amount(ln.AmountCents))
				}
			}
		}
		book, err := invoicing.Original(ctx, e.db, inv.ID, "xlsx")
		if err != nil {
			t.Fatal(err)
		}
		if got := xlsxTotal(t, book, l.Text(i18n.M("Total incl. VAT"))); got != inv.TotalInclCents {
			t.Errorf("%s (%s): the workbook's total incl. VAT is %d, the UBL's %d", number, what, got, inv.TotalInclCents)
		}
		inBook := xlsxAmounts(t, book)
		for _, ln := range inv.Lines {
			if !inBook[ln.AmountCents] {
				t.Errorf("%s (%s): the workbook lacks line %d's amount %d", number, what, ln.LineNo, ln.AmountCents)
			}
		}
		for _, r := range inv.PerRate {
			if !inBook[r.VATCents] || !inBook[r.BaseCents] || !strings.Contains(text, l.Amount(r.VATCents)) {
				t.Errorf("%s (%s): the workbook or PDF lacks the base %d or VAT %d at %d %%", number, what, r.BaseCents, r.VATCents, r.Rate)
			}
		}
		// The profile, and what each receiver needs.
		profile := customers.EInvoiceProfileFor(inv.Buyer.Country, inv.Buyer.EInvoiceProfile)
		wantCustom := map[string]string{customers.ProfileNLCIUS: ubl.CustomizationNLCIUS, customers.ProfilePeppol: ubl.CustomizationPeppol}[profile]
		if u.CustomizationID != wantCustom {
			t.Errorf("%s (%s): customization %q, want %q", number, what, u.CustomizationID, wantCustom)
		}
		// Peppol's own rules we rely on: the business process (R001), at most
		// one note (R002), both electronic addresses (R010, R020).
		if u.ProfileID != ubl.ProfileBilling || len(u.Notes) > 1 {
			t.Errorf("%s (%s): profile %q, %d notes", number, what, u.ProfileID, len(u.Notes))
		}
		if u.BuyerEndpoint.Value == "" || u.BuyerEndpoint.Scheme == "" || u.SellerEndpoint != (idScheme{"0106", inv.Seller.KvK}) {
			t.Errorf("%s (%s): electronic addresses buyer %+v, seller %+v", number, what, u.BuyerEndpoint, u.SellerEndpoint)
		}
		if u.BuyerReference == "" && u.OrderReference == "" {
			t.Errorf("%s (%s): neither buyer nor order reference", number, what)
		}
	}
	// The customer's choices: Peppol with its Peppol id and reference; a
	// German customer gets Peppol by default, addressed by its VAT id.
	for number, want := range map[string][3]string{"2026-000006": {"0106", "11223344", "AFD-INKOOP 7"}, "2026-000002": {"9930", "DE811907980", ""}} {
		f, _ := e.svc.UBLOf(ctx, number)
		var u parsed
		xml.Unmarshal(f.Content, &u)
		if u.CustomizationID != ubl.CustomizationPeppol || u.BuyerEndpoint != (idScheme{want[0], want[1]}) || u.BuyerReference != want[2] {
			t.Errorf("%s: %s, endpoint %+v, buyer reference %q; want Peppol, %v", number, u.CustomizationID, u.BuyerEndpoint, u.BuyerReference, want)
		}
	}
	// The customer that asked for it got the UBL in the invoice mail, the same bytes as every download.
	var att struct {
		Filename string `bun:"filename"`
		Content  []byte `bun:"content"`
	}
	if err := e.db.NewRaw(`SELECT a.filename, d.content FROM outbox_attachments a JOIN invoice_documents d ON d.id = a.document_id
		WHERE d.format = 'ubl' AND d.invoice_id = (SELECT id FROM invoices WHERE number = '2026-000004')`).Scan(ctx, &att); err != nil {
		t.Fatalf("no UBL attached to the mail of 2026-000004: %v", err)
	}
	f, _ := e.svc.UBLOf(ctx, "2026-000004")
	if att.Filename != "invoice-2026-000004.xml" || !bytes.Equal(att.Content, f.Content) {
		t.Errorf("the mailed UBL is %q and differs from the download: %v", att.Filename, !bytes.Equal(att.Content, f.Content))
	}
	var others int
	e.db.NewRaw(`SELECT count(*) FROM outbox_attachments a JOIN invoice_documents d ON d.id = a.document_id WHERE d.format = 'ubl'`).Scan(ctx, &others)
	if others != 1 {
		t.Errorf("%d mails carry a UBL; only the customer that asked should get one", others)
	}
}
