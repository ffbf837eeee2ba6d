package pdf

import (
	"io"
	"strconv"
	"strings"

	"github.com/jung-kurt/gofpdf"

	"wholesale/internal/i18n"
	"wholesale/internal/invoicing"
)

// WriteInvoice writes d, an invoice or a credit note, to w as an A4 PDF in
// d's language. It prints what Dutch VAT law (art. 35a Wet OB) asks of an
// invoice — both parties with their addresses and VAT ids, the seller's KvK
// number and bank account, the dates, the lines with quantity, unit price
// and VAT rate, the amounts and VAT per rate, the VAT note of reverse charge
// or export — as d gives them: it computes no amount but what is left to
// pay after a prepayment. Lines flow onto further pages under a repeated
// table header, every page says "page n of m", and a copy (d.Copy) is
// marked KOPIE / COPY on every page. The same d gives the same bytes.
// WriteInvoice is safe for concurrent use.
func WriteInvoice(w io.Writer, d *invoicing.Document) error {
	return writeInvoice(w, d, addFonts)
}

// writeInvoice is WriteInvoice with the fonts added by fonts.
func writeInvoice(w io.Writer, d *invoicing.Document, fonts func(*gofpdf.Fpdf)) error {
	p := &invoicePDF{doc: doc{f: newDocument(d.IssueDate, fonts)}, d: d, l: i18n.For(d.Language)}
	p.title = p.l.Text(d.Title()) + " " + d.Number
	p.f.SetTitle(printable(p.title), true)
	p.f.SetAuthor(printable(d.Seller.Name), true)
	p.head()
	p.table()
	p.totals()
	p.notes()
	p.footers()
	return p.f.Output(w)
}

// invoicePDF is an invoice being written.
type invoicePDF struct {
	doc
	d     *invoicing.Document
	l     *i18n.Localizer
	title string // "Factuur 2026-000123"
	cols  []column
}

// Line heights of the body text (9 pt) and the small print (8 pt), in mm.
const (
	bodyLine  = 4.3
	smallLine = 3.8
)

// head writes the first page's top: the title with the copy mark, the
// seller, the buyer, and the invoice's numbers and dates.
func (p *invoicePDF) head() {
	p.newPage()
	p.font("B", 18)
	p.color(black)
	p.text(marginX, marginTop, p.width(p.title), 8, "L", p.title)
	p.copyMark(marginX+p.width(p.title)+5, marginTop+0.5, 7)

	const sellerX, sellerW = 128.0, pageW - marginX - 128.0
	sellerEnd := p.party(sellerX, marginTop, sellerW, invoicing.Labels.Seller, p.d.Seller, p.sellerItems())
	buyerEnd := p.party(marginX, marginTop+16, 100, invoicing.Labels.Buyer, p.d.Buyer, p.buyerItems())
	p.y = max(sellerEnd, buyerEnd) + 6
	p.facts()
}

// item is a label and its value, as a party's block prints it: "KvK: 30123456".
type item struct {
	label i18n.Message
	value string
}

// sellerItems are the seller's numbers and contacts.
func (p *invoicePDF) sellerItems() []item {
	s := p.d.Seller
	lb := invoicing.Labels
	return []item{{lb.VATID, s.VATID}, {lb.KvK, s.KvK}, {lb.IBAN, s.IBAN}, {lb.BIC, s.BIC},
		{i18n.M("E-mail"), s.Email}, {i18n.M("Phone"), s.Phone}, {i18n.M("Web"), s.Website}}
}

// buyerItems are the buyer's customer number and VAT id.
func (p *invoicePDF) buyerItems() []item {
	b := p.d.Buyer
	number := ""
	if b.CustomerNumber != 0 {
		number = strconv.FormatInt(b.CustomerNumber, 10)
	}
	return []item{{invoicing.Labels.CustomerNumber, number}, {invoicing.Labels.VATID, b.VATID}}
}

// party writes a party's block at x, y in width w: the label, the name in
// bold, the address and the items that have a value; it returns where the
// block ends.
func (p *invoicePDF) party(x, y, w float64, label i18n.Message, pt invoicing.Party, items []item) float64 {
	p.font("", 8)
	p.color(grey)
	p.text(x, y, w, smallLine, "L", p.l.Text(label))
	y += smallLine + 0.5
	p.font("B", 10)
	p.color(black)
	for _, line := range p.wrap(pt.Name, w) {
		p.text(x, y, w, 4.8, "L", line)
		y += 4.8
	}
	p.font("", 9)
	lines := func(s string) {
		for _, line := range p.wrap(s, w) {
			p.text(x, y, w, bodyLine, "L", line)
			y += bodyLine
		}
	}
	for _, s := range []string{pt.Street, strings.TrimSpace(pt.Postcode + " " + pt.City), pt.Country} {
		if s != "" {
			lines(s)
		}
	}
	y += 1.5 // the numbers apart from the address
	for _, it := range items {
		if it.value != "" {
			lines(p.l.Text(it.label) + ": " + it.value)
		}
	}
	return y
}

// fact is a row of the facts under the addresses: a label and its values.
type fact struct {
	label  string
	values []string
}

// facts writes the invoice's number, dates, payment reference, the
// invoice a credit note corrects and why, and the orders invoiced.
func (p *invoicePDF) facts() {
	d, l, lb := p.d, p.l, invoicing.Labels
	rows := []fact{{l.Text(lb.Number), []string{d.Number}}, {l.Text(d.DateLabel()), []string{l.Date(d.IssueDate)}}}
	add := func(label i18n.Message, value string) {
		if value != "" {
			rows = append(rows, fact{l.Text(label), []string{value}})
		}
	}
	add(lb.SupplyDate, l.Date(d.SupplyDate))
	if !d.DueDate.IsZero() {
		add(lb.DueDate, l.Date(d.DueDate))
	}
	add(lb.PaymentReference, d.PaymentReference)
	if d.Credits != "" {
		credits := d.Credits
		if !d.CreditsDate.IsZero() {
			credits = l.Text(i18n.M("%s dated %s", d.Credits, i18n.D(d.CreditsDate)))
		}
		add(lb.CreditsInvoice, credits)
	}
	add(lb.Reason, d.Reason)
	if len(d.Orders) > 0 {
		orders := fact{label: l.Text(lb.Orders)}
		for _, o := range d.Orders {
			v := strconv.FormatInt(o.OrderID, 10)
			if o.POReference != "" {
				v += " — " + l.Text(lb.POReference) + ": " + o.POReference
			}
			orders.values = append(orders.values, v)
		}
		rows = append(rows, orders)
	}

	p.font("", 9)
	labelW := 0.0
	for _, r := range rows {
		labelW = max(labelW, p.width(r.label))
	}
	labelW += 5
	valueW := contentW - labelW
	for _, r := range rows {
		for i, v := range r.values {
			lines := p.wrap(v, valueW)
			p.need(float64(len(lines))*bodyLine, false)
			p.color(grey)
			if i == 0 {
				p.text(marginX, p.y, labelW, bodyLine, "L", r.label)
			}
			p.color(black)
			for _, line := range lines {
				p.text(marginX+labelW, p.y, valueW, bodyLine, "L", line)
				p.y += bodyLine
			}
		}
	}
}

// need starts a new page when h mm no longer fit on this one, with the
// lines table's header when tableHeader; the font and colour stay.
func (p *invoicePDF) need(h float64, tableHeader bool) {
	if p.y+h <= bodyBottom {
		return
	}
	defer p.keep()()
	p.newPage()
	p.font("B", 11)
	p.color(black)
	p.text(marginX, marginTop, p.width(p.title), 6, "L", p.title)
	p.copyMark(marginX+p.width(p.title)+4, marginTop, 6)
	p.y = marginTop + 10
	if tableHeader {
		p.tableHeader()
	}
}

// newPage adds a page, with the light diagonal copy mark under its
// content when the document is a copy.
func (p *invoicePDF) newPage() {
	p.f.AddPage()
	if p.d.Copy {
		if err := p.drawWatermark(p.l.Text(invoicing.Labels.Copy), 150, pale); err != nil {
			p.f.SetError(err)
		}
	}
}

// copyMark writes KOPIE / COPY in a red box at x, y, h mm high, when the
// document is a copy.
func (p *invoicePDF) copyMark(x, y, h float64) {
	if !p.d.Copy {
		return
	}
	defer p.keep()()
	mark := p.l.Text(invoicing.Labels.Copy)
	p.font("B", h*2)
	p.color(copyRd)
	w := p.width(mark) + 4
	p.f.SetDrawColor(copyRd[0], copyRd[1], copyRd[2])
	p.f.SetLineWidth(0.5)
	p.f.Rect(x, y, w, h, "D")
	p.text(x, y, w, h, "C", mark)
}

// footers writes each page's footer once the number of pages is known: the
// title, and "Page n of m".
func (p *invoicePDF) footers() {
	n := p.f.PageCount()
	for i := 1; i <= n; i++ {
		p.f.SetPage(i)
		p.hline(footerY-1.5, rule)
		p.font("", 8)
		p.color(grey)
		p.text(marginX, footerY, contentW/2, smallLine, "L", p.title)
		page := invoicing.Labels.Page
		page.Args = []any{i, n}
		p.text(marginX+contentW/2, footerY, contentW/2, smallLine, "R", p.l.Text(page))
	}
}
