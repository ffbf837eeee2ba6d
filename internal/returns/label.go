package returns

import (
	"bytes"
	"time"

	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/settings"
)

// Label is what the printable return label says: the RA number to put on
// the parcel, where it goes, by when it must arrive, and what is in it.
// The label writer (internal/pdf) only lays it out.
type Label struct {
	Lang     i18n.Lang
	RA       string
	ArriveBy time.Time
	// To is the wholesaler's returns address, line by line.
	To []string
	// From is the customer, line by line.
	From     []string
	Order    int64
	PO       string
	SKU      string
	Name     string
	Quantity int
	Serials  []string
	Fault    string
	Created  time.Time
}

// LabelOf is the label of an approved return r of customer c, sent to the
// wholesaler st.
func LabelOf(r *Return, c *customers.Company, st *settings.Settings) *Label {
	l := &Label{Lang: c.Lang(), RA: r.RA(), Order: r.OrderID, PO: r.POReference, SKU: r.SKU, Name: r.ProductName,
		Quantity: r.Quantity, Serials: SplitSerials(r.Serials), Fault: r.Fault}
	if r.ArriveBy != nil {
		l.ArriveBy = *r.ArriveBy
	}
	if r.ApprovedAt != nil {
		l.Created = *r.ApprovedAt
	}
	l.To = nonEmpty(st.Name, i18n.For(l.Lang).Text(i18n.M("Returns department")), st.Street, st.Postcode+"  "+st.City, st.Country)
	l.From = nonEmpty(c.Name, c.Visiting.Street, c.Visiting.Postcode+"  "+c.Visiting.City, c.Visiting.Country)
	return l
}

func nonEmpty(lines ...string) []string {
	var out []string
	for _, s := range lines {
		if t := string(bytes.TrimSpace([]byte(s))); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// LabelFilename is the label's file name: RA-2026-000123.pdf.
func (l *Label) LabelFilename() string { return l.RA + ".pdf" }
