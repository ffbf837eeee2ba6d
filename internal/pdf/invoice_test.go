package pdf

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jung-kurt/gofpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"

	"wholesale/internal/i18n"
	"wholesale/internal/invoicing"
)

// check is an item a person must find on the document, and how it reads:
// texts that follow each other on one line of the page, or a sentence
// that may run over several lines (para).
type check struct {
	item string
	want []string
	para bool
}

// checklist is what Dutch VAT law (art. 35a Wet OB) asks an invoice or a
// credit note to show, and the wholesaler's payment terms, each derived
// from d as the document must print it.
func checklist(d *invoicing.Document) []check {
	l, lb := i18n.For(d.Language), invoicing.Labels
	text := func(m i18n.Message, args ...any) string { m.Args = args; return l.Text(m) }
	labelled := func(m i18n.Message, v string) string { return l.Text(m) + ": " + v }
	var cs []check
	add := func(item string, want ...string) { cs = append(cs, check{item: item, want: want}) }
	addIf := func(item, v string, want ...string) {
		if v != "" {
			add(item, want...)
		}
	}

	add("title and number", l.Text(d.Title())+" "+d.Number)
	add("number", l.Text(lb.Number), d.Number)
	for _, pt := range []struct {
		who string
		p   invoicing.Party
	}{{"seller", d.Seller}, {"buyer", d.Buyer}} {
		p := pt.p
		add(pt.who+"'s name", p.Name)
		add(pt.who+"'s street", p.Street)
		add(pt.who+"'s postcode and city", p.Postcode+" "+p.City)
		add(pt.who+"'s country", p.Country)
		addIf(pt.who+"'s VAT id", p.VATID, labelled(lb.VATID, p.VATID))
	}
	s := d.Seller
	add("seller's KvK number", labelled(lb.KvK, s.KvK))
	add("seller's IBAN", labelled(lb.IBAN, s.IBAN))
	addIf("seller's BIC", s.BIC, labelled(lb.BIC, s.BIC))
	addIf("seller's e-mail", s.Email, labelled(i18n.M("E-mail"), s.Email))
	addIf("seller's phone", s.Phone, labelled(i18n.M("Phone"), s.Phone))
	addIf("seller's website", s.Website, labelled(i18n.M("Web"), s.Website))
	add("buyer's customer number", labelled(lb.CustomerNumber, strconv.FormatInt(d.Buyer.CustomerNumber, 10)))

	add("invoice date", l.Text(d.DateLabel()), l.Date(d.IssueDate))
	add("date of supply", l.Text(lb.SupplyDate), l.Date(d.SupplyDate))
	if !d.DueDate.IsZero() {
		add("due date", l.Text(lb.DueDate), l.Date(d.DueDate))
	}
	add("payment reference", l.Text(lb.PaymentReference), d.PaymentReference)
	for i, o := range d.Orders {
		want := []string{strconv.FormatInt(o.OrderID, 10)}
		if o.POReference != "" {
			want[0] += " — " + labelled(lb.POReference, o.POReference)
		}
		if i == 0 {
			want = append([]string{l.Text(lb.Orders)}, want...)
		}
		add(fmt.Sprintf("order %d with its PO", o.OrderID), want...)
	}
	if d.Kind == invoicing.KindCreditNote {
		add("invoice corrected", l.Text(lb.CreditsInvoice), text(i18n.M("%s dated %s"), d.Credits, i18n.D(d.CreditsDate)))
		add("reason", l.Text(lb.Reason), d.Reason)
	}

	for _, ln := range d.Lines {
		want := []string{strconv.Itoa(ln.No), l.Num(int64(ln.Quantity)), ln.SKU, ln.Description,
			l.Amount(ln.UnitPriceCents), strconv.Itoa(ln.VATRate) + "%", l.Amount(ln.AmountCents)}
		if ln.SKU == "" {
			want = append(want[:2], want[3:]...)
		}
		add(fmt.Sprintf("line %d", ln.No), want...)
	}

	for _, r := range d.Rates {
		add(fmt.Sprintf("amount excl. VAT at %d%%", r.Rate), text(lb.BaseAt, r.Rate), l.Amount(r.BaseCents))
		add(fmt.Sprintf("VAT at %d%%", r.Rate), text(lb.VATAt, r.Rate, i18n.Amount(r.BaseCents)), l.Amount(r.VATCents))
	}
	add("total excl. VAT", l.Text(lb.TotalExcl), l.Amount(d.TotalExclCents))
	add("VAT", l.Text(lb.VAT), l.Amount(d.VATCents))
	add("total incl. VAT", l.Text(lb.TotalIncl), l.Amount(d.TotalInclCents))
	toPay := d.TotalInclCents - d.PrepaidCents
	if d.PrepaidCents > 0 {
		add("paid in advance", l.Text(lb.Prepaid), l.Amount(d.PrepaidCents))
		add("to pay", l.Text(lb.ToPay), l.Amount(toPay))
	}
	if note := l.Text(d.VATNote()); note != "" {
		cs = append(cs, check{item: "VAT note", want: []string{note}, para: true})
	}
	if d.Kind == invoicing.KindInvoice && toPay > 0 {
		pay := text(lb.PayBy, i18n.Amount(toPay), i18n.D(d.DueDate), s.IBAN, d.PaymentReference)
		cs = append(cs, check{item: "how to pay", want: []string{pay}, para: true})
	}
	return cs
}

// in reports whether c reads on the pages.
func (c check) in(pages []string) bool {
	if !c.para {
		return found(pages, c.want)
	}
	want := strings.Join(strings.Fields(strings.Join(c.want, " ")), " ")
	for _, p := range pages {
		if strings.Contains(strings.Join(strings.Fields(p), " "), want) {
			return true
		}
	}
	return false
}

// found reports whether want follows each other on one line of the pages.
func found(pages []string, want []string) bool {
	var parts []string
	for _, w := range want {
		parts = append(parts, regexp.QuoteMeta(w))
	}
	re := regexp.MustCompile(`(?m)(^|\s)` + strings.Join(parts, `[ \t]+`) + `(\s|$)`)
	for _, p := range pages {
		if re.MatchString(p) {
			return true
		}
	}
	return false
}

// testDoc is a document of the tests, with texts a person reads on it
// written out, and texts that must not be on it.
type testDoc struct {
	name   string
	doc    func() *invoicing.Document
	see    [][]string
	absent []string
}

var documents = []testDoc{
	{"domestic-nl", func() *invoicing.Document { return domestic(i18n.NL) },
		[][]string{{"Factuur 2026-000123"}, {"Totaal incl. btw", "€ 506,31"}, {"Btw 9% over € 155,40", "€ 13,99"},
			{"3", "1", "Verzendkosten, order 5001", "€ 9,95", "21%", "€ 9,95"},
			{"Graag € 506,31 vóór 27-12-2026 overmaken naar NL91 ABNA 0417 1643 00, onder vermelding van 1000 0000 2026 0123."}},
		[]string{"KOPIE", "Btw verlegd", "uitvoer", "Vooruitbetaald", "Te betalen"}},
	{"domestic-en-prepaid", prepaid,
		[][]string{{"Invoice 2026-000123"}, {"Invoice date", "27 Nov 2026"}, {"Total incl. VAT", "€506.31"},
			{"Paid in advance", "€200.00"}, {"To pay", "€306.31"},
			{"Please pay €306.31 by 27 Dec 2026 to NL91 ABNA 0417 1643 00, stating 1000 0000 2026 0123."}},
		[]string{"COPY", "reverse", "export"}},
	{"reverse-charge-en", reverseCharge,
		[][]string{{"VAT id: DK12345678"}, {"VAT id: NL859123456B01"}, {"Total incl. VAT", "€3,085.00"},
			{"VAT reverse charged — intra-Community supply, art. 138 Directive 2006/112/EC"}},
		[]string{"COPY", "export"}},
	{"export-nl", export,
		[][]string{{"ООО Ромашка"}, {"Totaal incl. btw", "€ 12.345,00"},
			{"Btw 0% — uitvoer buiten de EU, art. 146 Richtlijn 2006/112/EG"},
			{"Graag € 12.345,00 vóór 12-12-2026 overmaken naar NL91 ABNA 0417 1643 00, onder vermelding van"},
			{"1000 0000 2026 0125."}},
		[]string{"KOPIE", "verlegd"}},
	{"credit-note-nl", creditNote,
		[][]string{{"Creditnota 2026-000130"}, {"Correctie op factuur", "2026-000120 van 27-11-2026"},
			{"Reden", "Twee tonercartridges beschadigd geleverd"},
			{"1", "-2", "HP-305A", "Toner HP 305A zwart", "€ 89,50", "0%", "€ -179,00"}, {"Totaal incl. btw", "€ -179,00"}},
		[]string{"KOPIE", "Graag", "Vervaldatum", "Factuur 2026"}},
}

func TestTheInvoiceShowsWhatTheLawAsks(t *testing.T) {
	for _, c := range documents {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			d := c.doc()
			text := pages(t, render(t, c.name, d))
			for _, ch := range checklist(d) {
				if !ch.in(text) {
					t.Errorf("%s: no line reads %q", ch.item, strings.Join(ch.want, " … "))
				}
			}
			for _, want := range c.see {
				if !found(text, want) {
					t.Errorf("no line reads %q", strings.Join(want, " … "))
				}
			}
			for _, s := range c.absent {
				if all := strings.Join(text, "\f"); strings.Contains(all, s) {
					t.Errorf("%q is on the document", s)
				}
			}
			if t.Failed() {
				t.Logf("the document reads:\n%s", strings.Join(text, "\n--- page break ---\n"))
			}
		})
	}
}

func TestNamesPrintAsWritten(t *testing.T) {
	regular, err := sfnt.Parse(goregular.TTF)
	if err != nil {
		t.Fatal(err)
	}
	var buf sfnt.Buffer
	for _, c := range []struct {
		doc  *invoicing.Document
		want []string
	}{
		{export(), []string{"ООО Ромашка", "ул. Тверская, д. 7", "125009 Москва", "Россия", "Заказ 15", "€ 12.345,00"}},
		{reverseCharge(), []string{"Bjørnstad Æble ApS", "Åboulevarden 7", "Danmark", "ØB-77", "€3,085.00"}},
		{creditNote(), []string{"Müller Straßenbau GmbH", "Müller Straße 17", "50667 Köln", "€ -179,00"}},
	} {
		pdf := render(t, "names", c.doc)
		text := pages(t, pdf)
		for _, w := range c.want {
			if !found(text, []string{w}) {
				t.Errorf("%q is not on the document:\n%s", w, text[0])
			}
			// The text is read back through the font's Unicode map; what a
			// person sees are the glyphs, which the embedded fonts must have.
			for _, r := range w {
				if g, err := regular.GlyphIndex(&buf, r); err != nil || g == 0 {
					t.Errorf("the Go font has no glyph for %q of %q", r, w)
				}
			}
		}
		for _, f := range fonts(t, pdf) {
			if !strings.Contains(f, "CID TrueType      Identity-H       yes no  yes") {
				t.Errorf("a font is not embedded as Unicode TrueType: %s", f)
			}
		}
	}
}

// fonts are the lines of `pdffonts` (poppler-utils) for the fonts of a PDF.
func fonts(t *testing.T, pdf []byte) []string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(f, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdffonts", f).CombinedOutput()
	if err != nil {
		t.Fatalf("pdffonts (poppler-utils): %v: %s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 4 {
		t.Fatalf("not the two Go fonts:\n%s", out)
	}
	return lines[2:]
}

func TestTextTheFontsCannotPrintDoesNotStopTheDocument(t *testing.T) {
	d := domestic(i18n.NL)
	d.Buyer.Name = "Zon 🌞 Bakkerij\tNoord"
	d.Lines[0].Description = "Toner\nzwart"
	text := pages(t, render(t, "unprintable", d))
	for _, want := range []string{"Zon \uFFFD Bakkerij Noord", "Toner zwart"} {
		if !found(text, []string{want}) {
			t.Errorf("%q is not on the document:\n%s", want, text[0])
		}
	}
}

func TestALongDescriptionWrapsWithinItsLine(t *testing.T) {
	d := domestic(i18n.NL)
	long := "Koffiebonen 500 g, biologisch, fairtrade, medium branding, uit Colombia en Ethiopië, " +
		"geschikt voor volautomaten en filterkoffie, houdbaar tot 12 maanden na levering"
	d.Lines[1].Description = long
	text := pages(t, render(t, "long-description", d))
	if len(text) != 1 {
		t.Fatalf("%d pages", len(text))
	}
	if !found(text, []string{"2", "12", "KF-500", "Koffiebonen 500 g,"}) || !found(text, []string{"€ 12,95", "9%", "€ 155,40"}) {
		t.Errorf("the line does not start with its number, quantity, SKU, description and amounts:\n%s", text[0])
	}
	// Every word of the description, in order, before the next line.
	words := strings.Fields(text[0])
	at := slices.Index(words, "Koffiebonen")
	for _, w := range strings.Fields(long) {
		i := slices.Index(words[at:], w)
		if i < 0 {
			t.Fatalf("%q of the description is missing after %q:\n%s", w, words[at-1], text[0])
		}
		at += i + 1
	}
	if next := slices.Index(words[at:], "Verzendkosten,"); next < 0 {
		t.Errorf("the line after the long one is not after it:\n%s", text[0])
	}
}

func TestACopyIsMarkedOnEveryPage(t *testing.T) {
	for _, c := range []struct {
		lang        i18n.Lang
		title, mark string
	}{{i18n.NL, "Factuur 2026-000123", "KOPIE"}, {i18n.EN, "Invoice 2026-000123", "COPY"}} {
		d := manyLines(120)
		d.Language = c.lang
		original := pages(t, render(t, "original-"+string(c.lang), d))
		d.Copy = true
		copied := pages(t, render(t, "copy-"+string(c.lang), d))
		if len(copied) < 2 || len(copied) != len(original) {
			t.Fatalf("%d pages for the copy, %d for the original", len(copied), len(original))
		}
		for i, page := range copied {
			if !found([]string{page}, []string{c.title, c.mark}) {
				t.Errorf("%s: page %d has no %q beside its title:\n%s", c.lang, i+1, c.mark, page)
			}
			if strings.Contains(original[i], c.mark) {
				t.Errorf("%s: page %d of the original says %q", c.lang, i+1, c.mark)
			}
		}
	}
}

func TestManyLinesFlowOntoPagesUnderTheTableHeader(t *testing.T) {
	d := manyLines(120)
	l, lb := i18n.For(d.Language), invoicing.Labels
	text := pages(t, render(t, "many-lines", d))
	n := len(text)
	if n < 3 {
		t.Fatalf("120 lines on %d pages", n)
	}
	header := []string{l.Text(lb.LineNo), l.Text(lb.Quantity), l.Text(lb.SKU), l.Text(lb.Description), l.Text(lb.UnitPrice), l.Text(lb.VATRate), l.Text(lb.Amount)}
	if want := []string{"Nr.", "Aantal", "Artikelnummer", "Omschrijving", "Stukprijs excl. btw", "Btw-tarief", "Bedrag excl. btw"}; strings.Join(header, "|") != strings.Join(want, "|") {
		t.Fatalf("the table header reads %q", header)
	}
	next := 1 // the line expected next
	for i, page := range text {
		if !found([]string{page}, header) {
			t.Errorf("page %d has no table header", i+1)
		}
		if foot := fmt.Sprintf("Pagina %d van %d", i+1, n); !found([]string{page}, []string{"Factuur 2026-000123", foot}) {
			t.Errorf("page %d has no footer %q", i+1, foot)
		}
		if i > 0 && !found([]string{page}, []string{"Factuur 2026-000123"}) {
			t.Errorf("page %d does not say whose it is", i+1)
		}
		for next <= len(d.Lines) && found([]string{page}, checkOfLine(d, next)) {
			next++
		}
		if total := found([]string{page}, []string{"Totaal incl. btw", l.Amount(d.TotalInclCents)}); total != (i == n-1) {
			t.Errorf("page %d of %d: the total is there: %v", i+1, n, total)
		}
	}
	if next <= len(d.Lines) {
		t.Errorf("line %d is not where it should be, after line %d", next, next-1)
	}
}

// checkOfLine is how line no of d reads.
func checkOfLine(d *invoicing.Document, no int) []string {
	for _, c := range checklist(d) {
		if c.item == fmt.Sprintf("line %d", no) {
			return c.want
		}
	}
	return nil
}

func TestTheSameDocumentGivesTheSameBytes(t *testing.T) {
	d := domestic(i18n.NL)
	first := render(t, "same", d)
	if !bytes.Contains(first, []byte("/CreationDate (D:20261127000000")) {
		t.Error("the PDF is not dated on the invoice date")
	}
	// gofpdf writes some catalogs in map order unless told otherwise: 20
	// documents would show it but by a chance of one in a million.
	for range 20 {
		if again := render(t, "same", d); !bytes.Equal(first, again) {
			t.Fatal("the same document gave other bytes")
		}
	}
}

func TestDocumentsWrittenAtOnceAreTheDocumentsWrittenOneByOne(t *testing.T) {
	var want [][]byte
	for _, c := range documents {
		want = append(want, render(t, c.name, c.doc()))
	}
	var wg sync.WaitGroup
	got := make([][]byte, 4*len(documents))
	for i := range got {
		wg.Go(func() {
			var buf bytes.Buffer
			if err := WriteInvoice(&buf, documents[i%len(documents)].doc()); err != nil {
				t.Error(err)
			}
			got[i] = buf.Bytes()
		})
	}
	wg.Wait()
	for i := range got {
		if !bytes.Equal(got[i], want[i%len(want)]) {
			t.Errorf("%s written alongside others differs", documents[i%len(documents)].name)
		}
	}
}

func TestFontsParsedOnceWriteWhatFontsParsedPerDocumentWrite(t *testing.T) {
	if prototype() == nil {
		t.Fatal("the fonts are parsed per document: gofpdf's font fields are not those fonts.go copies")
	}
	many := testDoc{name: "many-lines", doc: func() *invoicing.Document { return manyLines(120) }}
	for _, c := range append(documents[:len(documents):len(documents)], many) {
		var shared, parsed bytes.Buffer
		if err := writeInvoice(&shared, c.doc(), addFonts); err != nil {
			t.Fatal(err)
		}
		if err := writeInvoice(&parsed, c.doc(), parseFonts); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(shared.Bytes(), parsed.Bytes()) {
			t.Errorf("%s: the fonts parsed once give other bytes than the fonts parsed for the document", c.name)
		}
	}
}

// cpuTime is the processor time the process used so far, in all threads.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchmarkWrite writes a typical invoice of 10 lines b.N times, also
// reporting the processor time per invoice (garbage collection included),
// which other work on the machine does not inflate as it does the time
// on the clock.
func benchmarkWrite(b *testing.B, parallel bool, fonts func(*gofpdf.Fpdf)) {
	d := manyLines(10)
	b.ReportAllocs()
	start := cpuTime()
	write := func() {
		if err := writeInvoice(io.Discard, d, fonts); err != nil {
			b.Error(err)
		}
	}
	if parallel {
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				write()
			}
		})
	} else {
		for b.Loop() {
			write()
		}
	}
	b.ReportMetric(float64((cpuTime()-start).Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

func BenchmarkWriteInvoice(b *testing.B) { benchmarkWrite(b, false, addFonts) }

func BenchmarkWriteInvoiceParallel(b *testing.B) { benchmarkWrite(b, true, addFonts) }

// BenchmarkWriteInvoiceParsingFonts is the reference for the fonts parsed
// once: WriteInvoice parsing the fonts for every document.
func BenchmarkWriteInvoiceParsingFonts(b *testing.B) { benchmarkWrite(b, false, parseFonts) }

// fontBytes are the font bytes gofpdf writes f's fonts from.
func fontBytes(t *testing.T, f *gofpdf.Fpdf) [][]byte {
	t.Helper()
	fonts, ok := field(reflect.ValueOf(f).Elem(), "fonts", reflect.Map)
	if !ok {
		t.Fatal("no fonts in gofpdf's document")
	}
	var out [][]byte
	for _, k := range fonts.MapKeys() {
		def := reflect.New(fonts.Type().Elem()).Elem()
		def.Set(fonts.MapIndex(k))
		file, _ := field(def, "utf8File", reflect.Pointer)
		reader, _ := field(file.Elem(), "fileReader", reflect.Pointer)
		array, _ := field(reader.Elem(), "array", reflect.Slice)
		out = append(out, array.Bytes())
	}
	return out
}

// gofpdf pads the font's bytes while it writes a document (see fonts.go):
// documents written at once must not share them.
func TestEveryDocumentHasItsOwnFontBytes(t *testing.T) {
	for name, fonts := range map[string]func(*gofpdf.Fpdf){"parsed once": addFonts, "parsed per document": parseFonts} {
		seen := map[*byte]bool{&goregular.TTF[0]: true, &gobold.TTF[0]: true}
		for range 2 {
			for _, b := range fontBytes(t, newDocument(day(2026, 11, 27), fonts)) {
				if seen[&b[0]] {
					t.Errorf("fonts %s: a document writes from font bytes another one uses", name)
				}
				seen[&b[0]] = true
			}
		}
	}
}
