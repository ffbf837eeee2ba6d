package e2e_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"wholesale/internal/users"
)

// journeyApplicant: a wholesaler's buyer fills in /apply with a typing
// error in the VAT id and attaches the four documents (PDF and PNG). The
// form comes back with a message at the VAT id, everything typed still
// there and the documents kept; the applicant corrects the VAT id and
// sends the application, is thanked with its reference, and sales find it
// in their queue with the corrected VAT id and the four documents.
func journeyApplicant(t *testing.T, b *browser) {
	a := startApp(t)
	docs := applicationFiles(t)

	p := b.newTab(t, a)
	p.open("/apply")
	p.wantHeading("Apply for a customer account")
	p.fill("Company name (as registered at the KvK)", "Groente Groothandel Pieters")
	p.fill("KvK number", "41234567")
	p.fill("VAT id", "NL812345687B01") // the last digits swapped
	p.within(p.fieldset("Visiting address"), func() {
		p.fill("Street and number", "Veilingweg 3")
		p.fill("Postcode", "2671 AA")
		p.fill("City", "Naaldwijk")
	})
	p.within(p.fieldset("Contact person"), func() {
		p.fill("Name", "Piet Pieters")
		p.fill("E-mail (becomes the first login)", "piet@pieters.test")
		p.fill("Telephone", "0174 123 456")
	})
	p.fill("IBAN", "NL20 INGB 0001 2345 67")
	p.fill("Account holder", "Groente Groothandel Pieters")
	for _, d := range docs {
		p.upload(d.label, d.path)
	}
	terms := p.termsLabel()
	p.tick(terms)
	p.press("Send the application", 422)

	p.wantFieldError("VAT id", "The check digits of this Dutch VAT id do not add up: please check it for typing errors.")
	if v := p.value("Company name (as registered at the KvK)"); v != "Groente Groothandel Pieters" {
		p.errorf("the company name came back as %q", v)
	}
	if v := p.value("VAT id"); v != "NL812345687B01" {
		p.errorf("the VAT id came back as %q, not as typed", v)
	}
	var kept []string
	for _, d := range docs {
		kept = append(kept, "Kept: "+filepath.Base(d.path)+" — choose a file only to replace it.")
	}
	if got := p.texts("p.kept"); strings.Join(got, "\n") != strings.Join(kept, "\n") {
		p.errorf("the documents shown as kept are %q, want %q", got, kept)
	}
	if !eval[bool](p, `() => document.querySelector('input[name=terms]').checked`) {
		p.errorf("the general terms are no longer accepted")
	}

	p.fill("VAT id", "NL812345678B01")
	p.press("Send the application", 200)
	p.wantHeading("Application received")
	p.wantFlash("Thank you: we received your application (reference A-2) and sent a receipt to piet@pieters.test.")

	sales := b.newTab(t, a)
	sales.login(users.RoleSales)
	sales.follow("Applications")
	if r := sales.row("Ref.", "A-2"); r[1] != "Groente Groothandel Pieters" || r[3] != "NL812345678B01" || r[4] != "new" {
		sales.errorf("the queue shows A-2 as %q", r)
	}
	sales.follow("A-2")
	sales.within("main ul", func() {
		sales.see("VAT statement", "btw-verklaring.pdf, application/pdf", "briefpapier.png, image/png", "voorwaarden-getekend.pdf, application/pdf")
	})
}

// document is a file an applicant attaches, with the label of its field.
type document struct{ label, path string }

// applicationFiles writes the four documents of an application, small but
// real: three one-page PDFs and a PNG of the letterhead.
func applicationFiles(t *testing.T) []document {
	t.Helper()
	write := tempFiles(t)
	img := image.NewRGBA(image.Rect(0, 0, 60, 20))
	for x := range 60 {
		img.Set(x, 10, color.RGBA{0, 90, 170, 255})
	}
	var letterhead bytes.Buffer
	if err := png.Encode(&letterhead, img); err != nil {
		t.Fatal(err)
	}
	return []document{
		{"VAT statement (btw-verklaring / hoedanigheidsverklaring)", write("btw-verklaring.pdf", onePagePDF("BTW-verklaring NL812345678B01"))},
		{"KvK extract (uittreksel Kamer van Koophandel)", write("kvk-uittreksel.pdf", onePagePDF("Uittreksel KvK 41234567"))},
		{"Letterhead with all contact and bank details", write("briefpapier.png", letterhead.Bytes())},
		{"Signed general terms", write("voorwaarden-getekend.pdf", onePagePDF("Algemene voorwaarden, getekend P. Pieters"))},
	}
}

// tempFiles returns a function that writes a file of the test's own
// folder and returns its path.
func tempFiles(t *testing.T) func(name string, content []byte) string {
	dir := t.TempDir()
	return func(name string, content []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, content, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
}

// onePagePDF is a valid one-page PDF showing text.
func onePagePDF(text string) []byte {
	stream := fmt.Sprintf("BT /F1 18 Tf 72 720 Td (%s) Tj ET", text)
	return []byte(fmt.Sprintf("%%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"+
		"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"+
		"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 4 0 R>>>>/Contents 5 0 R>>endobj\n"+
		"4 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"+
		"5 0 obj<</Length %d>>stream\n%s\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%%%EOF\n", len(stream), stream))
}

// fieldset is a selector for the group of fields whose legend is legend.
func (p *tab) fieldset(legend string) string {
	p.t.Helper()
	return string(p.mark(`legend => [...document.querySelectorAll('fieldset')].find(f => f.querySelector('legend')?.innerText.trim() === legend) || null`, legend))
}

// termsLabel is the label of the check box that accepts the general terms.
func (p *tab) termsLabel() string {
	p.t.Helper()
	for _, l := range p.texts("label.check") {
		if strings.HasPrefix(l, "We accept the ") {
			return l
		}
	}
	p.fatalf("no check box to accept the general terms")
	return ""
}
