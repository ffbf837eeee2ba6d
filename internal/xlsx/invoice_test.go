package xlsx_test

import (
	"bytes"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"wholesale/internal/i18n"
	"wholesale/internal/invoicing"
	"wholesale/internal/xlsx"
)

func date(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

var seller = invoicing.Party{
	Name: "Groothandel Noord B.V.", Street: "Kade 12", Postcode: "1011 AB", City: "Amsterdam", Country: "NL",
	VATID: "NL123456789B01", KvK: "12345678", IBAN: "NL91ABNA0417164300", BIC: "ABNANL2A",
}

// dutchInvoice is an invoice in Dutch with lines at 21% and 9% and a
// shipping line.
func dutchInvoice() *invoicing.Document {
	return &invoicing.Document{
		Kind: invoicing.KindInvoice, Number: "2026-00012", Language: i18n.NL,
		IssueDate: date("2026-11-27"), SupplyDate: date("2026-11-26"), DueDate: date("2026-12-27"),
		Seller: seller,
		Buyer: invoicing.Party{Name: "Bakkerij De Korenaar", Street: "Dorpsstraat 3", Postcode: "3511 AA", City: "Utrecht",
			Country: "NL", VATID: "NL987654321B01", CustomerNumber: 1042},
		VATMode:          invoicing.VATDomestic,
		Orders:           []invoicing.OrderRef{{OrderID: 1001, POReference: "PO-2026-77"}, {OrderID: 1002}},
		PaymentReference: "1000 0000 0012 2026",
		Lines: []invoicing.DocLine{
			{No: 1, OrderID: 1001, SKU: "KR-1", Description: "Waterkoker RVS 1,7 l", Quantity: 3, UnitPriceCents: 1995, VATRate: 21, AmountCents: 5985},
			{No: 2, OrderID: 1002, SKU: "TF-2", Description: "Koffiebonen 1 kg", Quantity: 10, UnitPriceCents: 1249, VATRate: 9, AmountCents: 12490},
			{No: 3, OrderID: 1001, Description: "Shipping", Quantity: 1, UnitPriceCents: 850, VATRate: 21, AmountCents: 850, Shipping: true},
		},
		Rates:          []invoicing.RateTotal{{Rate: 21, BaseCents: 6835, VATCents: 1435}, {Rate: 9, BaseCents: 12490, VATCents: 1124}},
		TotalExclCents: 19325, VATCents: 2559, TotalInclCents: 21884,
	}
}

// sheet is a written workbook read back, with its one sheet's cells as
// a person sees them.
type sheet struct {
	t    *testing.T
	f    *excelize.File
	name string
	rows [][]string
}

func readBack(t *testing.T, content []byte, name string) *sheet {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	if got := f.GetSheetList(); !strings.Contains(strings.Join(got, "|"), name) {
		t.Fatalf("sheets %q, want %q", got, name)
	}
	rows, err := f.GetRows(name)
	if err != nil {
		t.Fatal(err)
	}
	return &sheet{t, f, name, rows}
}

func writeInvoice(t *testing.T, d *invoicing.Document) *sheet {
	t.Helper()
	var buf bytes.Buffer
	if err := xlsx.WriteInvoice(&buf, d); err != nil {
		t.Fatal(err)
	}
	return readBack(t, buf.Bytes(), i18n.For(d.Language).Text(d.Title()))
}

// shown is the text of cell as the reader sees it, number format applied.
func (s *sheet) shown(cell string) string {
	s.t.Helper()
	v, err := s.f.GetCellValue(s.name, cell)
	if err != nil {
		s.t.Fatal(err)
	}
	return v
}

// number is the number stored in cell.
func (s *sheet) number(cell string) float64 {
	s.t.Helper()
	v, err := s.f.GetCellValue(s.name, cell, excelize.Options{RawCellValue: true})
	if err != nil {
		s.t.Fatal(err)
	}
	n, err := strconv.ParseFloat(v, 64)
	if err != nil {
		s.t.Fatalf("%s holds %q, not a number", cell, v)
	}
	return n
}

// numFmt is the custom number format of cell.
func (s *sheet) numFmt(cell string) string {
	s.t.Helper()
	id, err := s.f.GetCellStyle(s.name, cell)
	if err != nil {
		s.t.Fatal(err)
	}
	st, err := s.f.GetStyle(id)
	if err != nil {
		s.t.Fatal(err)
	}
	if st.CustomNumFmt == nil {
		return ""
	}
	return *st.CustomNumFmt
}

// formula is the formula of cell, "" for none.
func (s *sheet) formula(cell string) string {
	s.t.Helper()
	f, err := s.f.GetCellFormula(s.name, cell)
	if err != nil {
		s.t.Fatal(err)
	}
	return f
}

// find is the cell whose text is text (the first, row by row).
func (s *sheet) find(text string) (col, row int) {
	s.t.Helper()
	for r, cells := range s.rows {
		for c, v := range cells {
			if v == text {
				return c + 1, r + 1
			}
		}
	}
	s.t.Fatalf("no cell reads %q", text)
	return 0, 0
}

func (s *sheet) has(text string) bool {
	for _, cells := range s.rows {
		for _, v := range cells {
			if v == text {
				return true
			}
		}
	}
	return false
}

// next is the cell col columns right of the cell reading label.
func (s *sheet) next(label string, cols int) string {
	s.t.Helper()
	c, r := s.find(label)
	name, _ := excelize.CoordinatesToCellName(c+cols, r)
	return name
}

// amount asserts that cell holds cents in euros, with a euro format, and
// that a formula in it, recalculated, gives the same figure.
func (s *sheet) amount(cell string, cents int64) {
	s.t.Helper()
	if got := s.number(cell); got != float64(cents)/100 {
		s.t.Errorf("%s holds %v, want %v", cell, got, float64(cents)/100)
	}
	if f := s.numFmt(cell); !strings.Contains(f, "€") || !strings.Contains(f, "0.00") {
		s.t.Errorf("%s has the number format %q, not euros", cell, f)
	}
	if formula := s.formula(cell); formula != "" {
		calc, err := s.f.CalcCellValue(s.name, cell, excelize.Options{RawCellValue: true})
		if err != nil {
			s.t.Fatalf("%s: =%s: %v", cell, formula, err)
		}
		n, _ := strconv.ParseFloat(calc, 64)
		if int64(n*100+0.5*sign(n)) != cents {
			s.t.Errorf("%s: =%s recalculates to %s, the document says %d cents", cell, formula, calc, cents)
		}
	}
}

func sign(n float64) float64 {
	if n < 0 {
		return -1
	}
	return 1
}

// total asserts the amount right of the total labelled label.
func (s *sheet) total(label string, cents int64) {
	s.t.Helper()
	_, r := s.find(label)
	s.amount("G"+strconv.Itoa(r), cents)
}

// isDate asserts that cell holds day as a date, shown as want.
func (s *sheet) isDate(cell string, day time.Time, want string) {
	s.t.Helper()
	got, err := excelize.ExcelDateToTime(s.number(cell), false)
	if err != nil || !got.Equal(day) {
		s.t.Errorf("%s holds the day %v, want %v (%v)", cell, got, day, err)
	}
	if f := s.numFmt(cell); !strings.Contains(f, "yyyy") {
		s.t.Errorf("%s has the number format %q, not a date", cell, f)
	}
	if v := s.shown(cell); v != want {
		s.t.Errorf("%s shows %q, want %q", cell, v, want)
	}
}

func TestInvoiceInDutchWithTwoRatesAndShipping(t *testing.T) {
	d := dutchInvoice()
	s := writeInvoice(t, d)
	if v := s.shown("A1"); v != "Factuur 2026-00012" {
		t.Errorf("title %q", v)
	}
	if s.has("KOPIE") || s.has("COPY") {
		t.Error("the original is marked as a copy")
	}
	for label, want := range map[string]string{
		"Van": "Groothandel Noord B.V.", "Aan": "Bakkerij De Korenaar", "Nummer": "2026-00012",
		"KvK": "12345678", "IBAN": "NL91ABNA0417164300", "Klantnummer": "1042",
		"Betalingskenmerk": "1000 0000 0012 2026", "Orders": "1001", "Uw inkoopordernummer": "PO-2026-77",
	} {
		if got := s.shown(s.next(label, 1)); got != want {
			t.Errorf("%s: %q, want %q", label, got, want)
		}
	}
	for _, text := range []string{"Kade 12", "1011 AB Amsterdam", "NL123456789B01", "NL987654321B01", "3511 AA Utrecht"} {
		if !s.has(text) {
			t.Errorf("no cell reads %q", text)
		}
	}
	s.isDate(s.next("Factuurdatum", 1), d.IssueDate, "27-11-2026")
	s.isDate(s.next("Leverdatum", 1), d.SupplyDate, "26-11-2026")
	s.isDate(s.next("Vervaldatum", 1), d.DueDate, "27-12-2026")

	_, head := s.find("Nr.")
	if got := strings.Join(s.rows[head-1], "|"); got != "Nr.|Artikelnummer|Omschrijving|Aantal|Stukprijs excl. btw|Btw-tarief|Bedrag excl. btw" {
		t.Errorf("header of the lines: %s", got)
	}
	for i, ln := range d.Lines {
		r := strconv.Itoa(head + 1 + i)
		if got := s.number("D" + r); got != float64(ln.Quantity) {
			t.Errorf("line %d quantity %v", ln.No, got)
		}
		s.amount("E"+r, ln.UnitPriceCents)
		s.amount("G"+r, ln.AmountCents)
		if got, shown := s.number("F"+r), s.shown("F"+r); got != float64(ln.VATRate) || shown != strconv.Itoa(ln.VATRate)+"%" {
			t.Errorf("line %d VAT rate %v shown %q", ln.No, got, shown)
		}
	}
	r := strconv.Itoa(head + 3)
	if got := s.shown("C" + r); got != "Verzendkosten, order 1001" {
		t.Errorf("shipping line reads %q", got)
	}
	if got := s.shown("C" + strconv.Itoa(head+1)); got != "Waterkoker RVS 1,7 l" {
		t.Errorf("first line reads %q", got)
	}

	s.total("Excl. btw 21%", 6835)
	s.total("Btw 21% over € 68,35", 1435)
	s.total("Excl. btw 9%", 12490)
	s.total("Btw 9% over € 124,90", 1124)
	s.total("Totaal excl. btw", 19325)
	s.total("Btw", 2559)
	s.total("Totaal incl. btw", 21884)
	if s.has("Te betalen") || s.has("Vooruitbetaald") {
		t.Error("nothing was paid in advance")
	}
	if !s.has("Graag € 218,84 vóór 27-12-2026 overmaken naar NL91ABNA0417164300, onder vermelding van 1000 0000 0012 2026.") {
		t.Error("no payment instruction")
	}
	props, err := s.f.GetDocProps()
	if err != nil || props.Created != "2026-11-27T00:00:00Z" || props.Modified != props.Created {
		t.Errorf("document properties %+v (%v), want the invoice date", props, err)
	}
}

func TestInvoiceCopyIsMarked(t *testing.T) {
	d := dutchInvoice()
	d.Copy = true
	s := writeInvoice(t, d)
	if got := s.shown("G1"); got != "KOPIE" {
		t.Errorf("a Dutch copy says %q", got)
	}
	d.Language = i18n.EN
	s = writeInvoice(t, d)
	if got := s.shown("G1"); got != "COPY" || s.shown("A1") != "Invoice 2026-00012" {
		t.Errorf("an English copy says %q, %q", got, s.shown("A1"))
	}
}

func TestInvoiceInEnglishReverseCharged(t *testing.T) {
	d := &invoicing.Document{
		Kind: invoicing.KindInvoice, Number: "2026-00013", Language: i18n.EN,
		IssueDate: date("2026-11-27"), SupplyDate: date("2026-11-27"), DueDate: date("2026-12-27"),
		Seller: seller,
		Buyer: invoicing.Party{Name: "Kaffeehaus GmbH", Street: "Torstraße 5", Postcode: "10115", City: "Berlin",
			Country: "DE", VATID: "DE123456789", CustomerNumber: 2001},
		VATMode:          invoicing.VATReverseCharge,
		Orders:           []invoicing.OrderRef{{OrderID: 1003, POReference: "B-55"}},
		PaymentReference: "1000 0000 0013 2026",
		Lines: []invoicing.DocLine{
			{No: 1, OrderID: 1003, SKU: "KR-1", Description: "Kettle, steel 1.7 l", Quantity: 1200, UnitPriceCents: 1895, VATRate: 0, AmountCents: 2274000},
			{No: 2, OrderID: 1003, Quantity: 1, UnitPriceCents: 12500, VATRate: 0, AmountCents: 12500, Shipping: true},
		},
		Rates:          []invoicing.RateTotal{{Rate: 0, BaseCents: 2286500, VATCents: 0}},
		TotalExclCents: 2286500, TotalInclCents: 2286500,
	}
	s := writeInvoice(t, d)
	if got := s.shown("A1"); got != "Invoice 2026-00013" {
		t.Errorf("title %q", got)
	}
	if !s.has("VAT reverse charged — intra-Community supply, art. 138 Directive 2006/112/EC") {
		t.Error("no reverse-charge note")
	}
	s.isDate(s.next("Invoice date", 1), d.IssueDate, "27 Nov 2026")
	s.isDate(s.next("Due date", 1), d.DueDate, "27 Dec 2026")
	for _, text := range []string{"Kaffeehaus GmbH", "Torstraße 5", "DE123456789", "Shipping costs, order 1003", "Amount excl. VAT"} {
		if !s.has(text) {
			t.Errorf("no cell reads %q", text)
		}
	}
	_, r := s.find("Kettle, steel 1.7 l")
	if got := s.shown("D" + strconv.Itoa(r)); got != "1,200" {
		t.Errorf("quantity shows %q", got)
	}
	s.amount("G"+strconv.Itoa(r), 2274000)
	s.total("Excl. VAT at 0%", 2286500)
	s.total("VAT 0% over €22,865.00", 0)
	s.total("Total excl. VAT", 2286500)
	s.total("VAT", 0)
	s.total("Total incl. VAT", 2286500)
	if !s.has("Please pay €22,865.00 by 27 Dec 2026 to NL91ABNA0417164300, stating 1000 0000 0013 2026.") {
		t.Error("no payment instruction in English")
	}
}

func TestCreditNoteHasNegativeAmounts(t *testing.T) {
	d := &invoicing.Document{
		Kind: invoicing.KindCreditNote, Number: "2026-00003", Language: i18n.NL,
		IssueDate: date("2026-12-02"), SupplyDate: date("2026-11-26"),
		Seller:      seller,
		Buyer:       invoicing.Party{Name: "Bakkerij De Korenaar", Street: "Dorpsstraat 3", Postcode: "3511 AA", City: "Utrecht", Country: "NL", CustomerNumber: 1042},
		VATMode:     invoicing.VATDomestic,
		Credits:     "2026-00012",
		CreditsDate: date("2026-11-27"),
		Reason:      "Defect bij aankomst (RA-15): twee waterkokers lekken.",
		Lines: []invoicing.DocLine{
			{No: 1, OrderID: 1001, SKU: "KR-1", Description: "Waterkoker RVS 1,7 l", Quantity: -2, UnitPriceCents: 1995, VATRate: 21, AmountCents: -3990},
		},
		Rates:          []invoicing.RateTotal{{Rate: 21, BaseCents: -3990, VATCents: -838}},
		TotalExclCents: -3990, VATCents: -838, TotalInclCents: -4828,
	}
	s := writeInvoice(t, d)
	if got := s.shown("A1"); got != "Creditnota 2026-00003" {
		t.Errorf("title %q", got)
	}
	if got := s.shown(s.next("Correctie op factuur", 1)); got != "2026-00012" {
		t.Errorf("corrects %q", got)
	}
	s.isDate(s.next("Correctie op factuur", 4), d.CreditsDate, "27-11-2026")
	if got := s.shown(s.next("Reden", 1)); got != d.Reason {
		t.Errorf("reason %q", got)
	}
	if s.has("Vervaldatum") || s.has("KOPIE") {
		t.Error("a credit note without a due date shows one, or is marked a copy")
	}
	_, r := s.find("Waterkoker RVS 1,7 l")
	if got := s.number("D" + strconv.Itoa(r)); got != -2 {
		t.Errorf("quantity %v", got)
	}
	s.amount("G"+strconv.Itoa(r), -3990)
	if got := s.shown("G" + strconv.Itoa(r)); !strings.Contains(got, "-39") {
		t.Errorf("the amount shows %q, not negative", got)
	}
	s.total("Excl. btw 21%", -3990)
	s.total("Btw 21% over € -39,90", -838)
	s.total("Totaal excl. btw", -3990)
	s.total("Btw", -838)
	s.total("Totaal incl. btw", -4828)
	for _, row := range s.rows {
		if strings.HasPrefix(strings.Join(row, ""), "Graag") {
			t.Errorf("a credit note asks for payment: %q", row)
		}
	}
}

func TestInvoiceKeepsCyrillicAndNordicNames(t *testing.T) {
	d := dutchInvoice()
	d.Language = i18n.EN
	d.Buyer = invoicing.Party{Name: "ООО «Ромашка» — Søren Ærø Åberg", Street: "Ærøgade 7, кв. 5", Postcode: "5970", City: "Ærøskøbing",
		Country: "DK", VATID: "DK12345678", CustomerNumber: 3003}
	d.Lines[0].Description = "Чайник «Øresund» æøå ÆØÅ"
	d.Orders[0].POReference = "=HYPERLINK(\"http://x\",\"Ø\")"
	s := writeInvoice(t, d)
	for _, text := range []string{"ООО «Ромашка» — Søren Ærø Åberg", "Ærøgade 7, кв. 5", "5970 Ærøskøbing", "Чайник «Øresund» æøå ÆØÅ"} {
		if !s.has(text) {
			t.Errorf("no cell reads %q", text)
		}
	}
	// A text that looks like a formula stays the text.
	po := s.next("Your PO", 1)
	if got, f := s.shown(po), s.formula(po); got != d.Orders[0].POReference || f != "" {
		t.Errorf("the PO reference reads %q with the formula %q", got, f)
	}
	props, _ := s.f.GetDocProps()
	if props.Title != "Invoice 2026-00012" || props.Language != "en" {
		t.Errorf("document properties %+v", props)
	}
}

func TestInvoicePrepaidShowsWhatIsLeftToPay(t *testing.T) {
	d := dutchInvoice()
	d.PrepaidCents = 5000
	s := writeInvoice(t, d)
	s.total("Totaal incl. btw", 21884)
	s.total("Vooruitbetaald", 5000)
	s.total("Te betalen", 16884)
	if !s.has("Graag € 168,84 vóór 27-12-2026 overmaken naar NL91ABNA0417164300, onder vermelding van 1000 0000 0012 2026.") {
		t.Error("the payment instruction does not ask for what is left")
	}
}

// A writer prints the document's figures, never its own: where the lines
// do not add up to the document's total, the total is the document's, as
// a value without a formula.
func TestInvoicePrintsTheDocumentsFiguresNotItsOwnSums(t *testing.T) {
	d := dutchInvoice()
	d.TotalExclCents++
	d.Rates[0].BaseCents++
	s := writeInvoice(t, d)
	for label, cents := range map[string]int64{"Totaal excl. btw": 19326, "Excl. btw 21%": 6836} {
		_, r := s.find(label)
		cell := "G" + strconv.Itoa(r)
		s.amount(cell, cents)
		if f := s.formula(cell); f != "" {
			t.Errorf("%s: a formula =%s that disagrees with the document", label, f)
		}
	}
	s = writeInvoice(t, dutchInvoice())
	_, r := s.find("Totaal excl. btw")
	if s.formula("G"+strconv.Itoa(r)) == "" {
		t.Error("no formula where the lines add up")
	}
}

func TestInvoiceIsTheSameBytesOnEveryCore(t *testing.T) {
	d := dutchInvoice()
	var want bytes.Buffer
	if err := xlsx.WriteInvoice(&want, d); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	got := make([][]byte, 8)
	errs := make([]error, len(got))
	for i := range got {
		wg.Go(func() {
			var buf bytes.Buffer
			errs[i] = xlsx.WriteInvoice(&buf, d)
			got[i] = buf.Bytes()
		})
	}
	wg.Wait()
	for i := range got {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if !bytes.Equal(got[i], want.Bytes()) {
			t.Fatalf("write %d differs from the first (%d and %d bytes)", i, len(got[i]), want.Len())
		}
	}
}
