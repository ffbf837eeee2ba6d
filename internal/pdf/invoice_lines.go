package pdf

import (
	"strconv"

	"wholesale/internal/i18n"
	"wholesale/internal/invoicing"
)

// column is a column of the lines table.
type column struct {
	head  string
	x, w  float64
	align string
	wrap  bool // text that wraps within the column; else one line
}

// The lines table's columns, in order.
const (
	colNo = iota
	colQuantity
	colSKU
	colDescription
	colUnitPrice
	colVATRate
	colAmount
	numCols
)

// Sizes of the lines table: fonts in points, the rest in mm.
const (
	headSize  = 7.5
	cellSize  = 8.5
	cellLine  = 3.8
	cellPad   = 1.5 // left and right in a cell
	rowPad    = 1.2 // above and below a row
	headH     = 6.5
	maxSKUW   = 34.0
	minDescrW = 50.0
)

// cells are the texts of a line in the table's columns.
func (p *invoicePDF) cells(ln invoicing.DocLine) [numCols]string {
	l := p.l
	return [numCols]string{
		colNo:          strconv.Itoa(ln.No),
		colQuantity:    l.Num(int64(ln.Quantity)),
		colSKU:         ln.SKU,
		colDescription: ln.Description,
		colUnitPrice:   l.Amount(ln.UnitPriceCents),
		colVATRate:     rate(ln.VATRate),
		colAmount:      l.Amount(ln.AmountCents),
	}
}

// rate prints a VAT rate: "21%".
func rate(r int) string { return strconv.Itoa(r) + "%" }

// layout sizes the columns to their header and their widest cell; the
// description takes the width left.
func (p *invoicePDF) layout(rows [][numCols]string) {
	lb := invoicing.Labels
	heads := [numCols]i18n.Message{lb.LineNo, lb.Quantity, lb.SKU, lb.Description, lb.UnitPrice, lb.VATRate, lb.Amount}
	p.cols = make([]column, numCols)
	p.font("B", headSize)
	for i, h := range heads {
		p.cols[i] = column{head: p.l.Text(h), align: "R", w: p.width(p.l.Text(h))}
	}
	p.cols[colSKU].align, p.cols[colSKU].wrap = "L", true
	p.cols[colDescription].align, p.cols[colDescription].wrap = "L", true
	p.font("", cellSize)
	for _, r := range rows {
		for i, s := range r {
			if i != colDescription {
				p.cols[i].w = max(p.cols[i].w, p.width(s))
			}
		}
	}
	fixed := 0.0
	for i := range p.cols {
		p.cols[i].w += 2 * cellPad
		if i == colSKU {
			p.cols[i].w = min(p.cols[i].w, max(maxSKUW, p.cols[i].w-(minDescrW-p.cols[colDescription].w)))
		}
		if i != colDescription {
			fixed += p.cols[i].w
		}
	}
	p.cols[colDescription].w = contentW - fixed
	x := marginX
	for i := range p.cols {
		p.cols[i].x = x
		x += p.cols[i].w
	}
}

// tableHeader writes the header of the lines table.
func (p *invoicePDF) tableHeader() {
	p.f.SetFillColor(shade[0], shade[1], shade[2])
	p.f.Rect(marginX, p.y, contentW, headH, "F")
	p.font("B", headSize)
	p.color(black)
	for _, c := range p.cols {
		p.text(c.x+cellPad, p.y, c.w-2*cellPad, headH, c.align, c.head)
	}
	p.y += headH
}

// table writes the lines, onto as many pages as they need.
func (p *invoicePDF) table() {
	rows := make([][numCols]string, len(p.d.Lines))
	for i, ln := range p.d.Lines {
		rows[i] = p.cells(ln)
	}
	p.layout(rows)
	p.y += 4
	p.need(headH+cellLine+2*rowPad, false)
	p.tableHeader()
	for _, r := range rows {
		p.font("", cellSize)
		var wrapped [numCols][]string
		n := 1
		for i, c := range p.cols {
			if c.wrap {
				wrapped[i] = p.wrap(r[i], c.w-2*cellPad)
				n = max(n, len(wrapped[i]))
			}
		}
		h := float64(n)*cellLine + 2*rowPad
		p.need(h, true)
		p.font("", cellSize)
		p.color(black)
		for i, c := range p.cols {
			lines := wrapped[i]
			if !c.wrap {
				lines = []string{r[i]}
			}
			for j, line := range lines {
				p.text(c.x+cellPad, p.y+rowPad+float64(j)*cellLine, c.w-2*cellPad, cellLine, c.align, line)
			}
		}
		p.y += h
		p.hline(p.y, rule)
	}
}

// total is a row of the totals: a label, an amount, in bold or not.
type total struct {
	label  string
	amount string
	bold   bool
}

// toPay is what the buyer still has to pay: the total less what was paid
// in advance.
func (p *invoicePDF) toPay() int64 { return p.d.TotalInclCents - p.d.PrepaidCents }

// totals writes the amounts excl. VAT and the VAT per rate, the totals and,
// after a prepayment, what was paid and what is left to pay.
func (p *invoicePDF) totals() {
	d, l, lb := p.d, p.l, invoicing.Labels
	with := func(m i18n.Message, args ...any) string { m.Args = args; return l.Text(m) }
	var rows []total
	for _, r := range d.Rates {
		rows = append(rows, total{with(lb.BaseAt, r.Rate), l.Amount(r.BaseCents), false})
	}
	rows = append(rows, total{l.Text(lb.TotalExcl), l.Amount(d.TotalExclCents), false})
	for _, r := range d.Rates {
		rows = append(rows, total{with(lb.VATAt, r.Rate, i18n.Amount(r.BaseCents)), l.Amount(r.VATCents), false})
	}
	rows = append(rows,
		total{l.Text(lb.VAT), l.Amount(d.VATCents), false},
		total{l.Text(lb.TotalIncl), l.Amount(d.TotalInclCents), true})
	if d.PrepaidCents > 0 {
		rows = append(rows,
			total{l.Text(lb.Prepaid), l.Amount(d.PrepaidCents), false},
			total{l.Text(lb.ToPay), l.Amount(p.toPay()), true})
	}

	p.font("B", 9)
	amountW := p.cols[colAmount].w - 2*cellPad
	for _, r := range rows {
		amountW = max(amountW, p.width(r.amount))
	}
	right := pageW - marginX - cellPad
	labelRight := right - amountW - 6
	p.y += 3
	p.need(float64(len(rows))*bodyLine+2, false)
	for i, r := range rows {
		if r.bold {
			p.f.SetDrawColor(black[0], black[1], black[2])
			p.f.SetLineWidth(0.3)
			p.f.Line(labelRight-60, p.y+0.3, pageW-marginX, p.y+0.3)
			p.y += 0.8
		} else if i > 0 && rows[i-1].bold {
			p.y += 1
		}
		style := ""
		if r.bold {
			style = "B"
		}
		p.font(style, 9)
		p.color(black)
		p.text(marginX, p.y, labelRight-marginX, bodyLine, "R", r.label)
		p.text(right-amountW, p.y, amountW, bodyLine, "R", r.amount)
		p.y += bodyLine
	}
}

// notes writes the VAT note of reverse charge or export and, on an
// invoice with something to pay, how to pay it.
func (p *invoicePDF) notes() {
	d, l := p.d, p.l
	if note := l.Text(d.VATNote()); note != "" {
		p.font("B", 9)
		p.paragraph(p.wrap(note, contentW))
	}
	if d.Kind == invoicing.KindInvoice && p.toPay() > 0 {
		ref := d.PaymentReference
		if ref == "" {
			ref = d.Number
		}
		amount, due := l.Amount(p.toPay()), l.Date(d.DueDate)
		pay := invoicing.Labels.PayBy
		pay.Args = []any{amount, due, d.Seller.IBAN, ref}
		p.font("", 9)
		p.paragraph(p.wrapKeeping(l.Text(pay), contentW, amount, due, d.Seller.IBAN, ref))
	}
}

// paragraph writes lines across the body in the current font, after a
// space.
func (p *invoicePDF) paragraph(lines []string) {
	p.y += 5
	p.need(float64(len(lines))*bodyLine, false)
	p.color(black)
	for _, line := range lines {
		p.text(marginX, p.y, contentW, bodyLine, "L", line)
		p.y += bodyLine
	}
}
