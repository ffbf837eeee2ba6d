package pdf

import (
	"fmt"
	"io"
	"strings"

	"github.com/jung-kurt/gofpdf/contrib/barcode"

	"wholesale/internal/i18n"
	"wholesale/internal/returns"
)

// WriteReturnLabel writes the printable label of an approved return: one
// A4 page whose top half is the label to stick on the parcel (the RA
// number large, the address it goes to, the sender, the date it must
// arrive by) and whose bottom half are the instructions and what is in the
// parcel, in the customer's language. The same label gives the same bytes.
func WriteReturnLabel(w io.Writer, lb *returns.Label) error {
	p := &doc{f: newDocument(lb.Created, addFonts)}
	l := i18n.For(lb.Lang)
	p.f.SetTitle(printable(l.Text(i18n.M("Return label %s", lb.RA))), true)
	p.f.AddPage()
	p.color(black)

	// The label: a box with a dashed cut line under it.
	const boxH = 120.0
	p.f.SetDrawColor(0, 0, 0)
	p.f.SetLineWidth(0.6)
	p.f.Rect(marginX, marginTop, contentW, boxH, "D")
	x, y := marginX+8, marginTop+8
	p.font("B", 11)
	p.text(x, y, 0, 5, "L", l.Text(i18n.M("RETURN — RA NUMBER")))
	p.font("B", 34)
	p.text(x, y+7, contentW-16, 14, "L", lb.RA)
	p.font("", 10)
	p.text(x, y+24, contentW-16, 5, "L", l.Text(i18n.M("Must arrive by %s", i18n.LongDate{T: lb.ArriveBy})))

	p.font("B", 10)
	p.text(x, y+36, 0, 5, "L", l.Text(i18n.M("Send to")))
	p.font("B", 15)
	for i, a := range lb.To {
		p.text(x, y+43+float64(i)*7, contentW-16, 7, "L", a)
	}
	p.font("B", 9)
	p.text(x, y+88, 0, 4, "L", l.Text(i18n.M("Sender")))
	p.font("", 9)
	const senderW = contentW - 16 - 84 // left of the barcode
	p.text(x, y+93, senderW, 4, "L", fitted(p, strings.Join(lb.From, ", "), senderW))
	p.text(x, y+98, senderW, 4, "L", fitted(p, l.Text(i18n.M("Order %d, your reference %s", lb.Order, lb.PO)), senderW))
	// The RA number as a Code 128 barcode, for the warehouse's scanner.
	barcode.Barcode(p.f, barcode.RegisterCode128(p.f, lb.RA), marginX+contentW-8-76, y+84, 76, 18, false)

	p.f.SetLineWidth(0.2)
	p.f.SetDashPattern([]float64{2, 2}, 0)
	p.f.Line(marginX, marginTop+boxH+6, marginX+contentW, marginTop+boxH+6)
	p.f.SetDashPattern([]float64{}, 0)
	p.font("", 7)
	p.color(grey)
	p.text(marginX, marginTop+boxH+7, contentW, 3, "C", l.Text(i18n.M("Cut along the line and stick the label on the parcel.")))
	p.color(black)

	// The instructions.
	y = marginTop + boxH + 16
	p.font("B", 12)
	p.text(marginX, y, 0, 6, "L", l.Text(i18n.M("How to send the return")))
	y += 9
	p.font("", 10)
	steps := []i18n.Message{
		i18n.M("1. Pack the units safely, with their accessories."),
		i18n.M("2. Stick the label above on the outside of the parcel, so that the RA number %s can be read.", lb.RA),
		i18n.M("3. Send the parcel to the address on the label."),
		i18n.M("4. It must arrive by %s. After that the RA expires and the parcel is refused.", i18n.LongDate{T: lb.ArriveBy}),
	}
	for _, m := range steps {
		for _, ln := range p.wrap(l.Text(m), contentW) {
			p.text(marginX, y, contentW, 5, "L", ln)
			y += 5
		}
		y += 1
	}
	y += 5
	p.font("B", 12)
	p.text(marginX, y, 0, 6, "L", l.Text(i18n.M("In the parcel")))
	y += 9
	p.font("", 10)
	p.text(marginX, y, contentW, 5, "L", fmt.Sprintf("%d × %s  %s", lb.Quantity, lb.SKU, lb.Name))
	y += 6
	if len(lb.Serials) > 0 {
		for _, ln := range p.wrap(l.Text(i18n.M("Serial numbers: %s", strings.Join(lb.Serials, ", "))), contentW) {
			p.text(marginX, y, contentW, 5, "L", ln)
			y += 5
		}
	}
	fault := l.Text(i18n.M("Fault: %s", lb.Fault))
	for i, ln := range p.wrap(fault, contentW) {
		if y > bodyBottom-5 || i > 8 {
			break
		}
		p.text(marginX, y, contentW, 5, "L", ln)
		y += 5
	}
	return p.f.Output(w)
}

// fitted is s cut to width w in the current font, with an ellipsis when it
// was longer.
func fitted(p *doc, s string, w float64) string {
	if p.width(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && p.width(string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}
