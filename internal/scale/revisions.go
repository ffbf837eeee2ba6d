package scale

import (
	"sort"
	"strconv"
	"time"

	"wholesale/internal/i18n"
	"wholesale/internal/orders"
)

var lineCancelReasons = []string{"Klant wacht niet op nalevering.", "Artikel uit het assortiment van de klant.",
	"Verkeerd artikel ingevoerd.", "Klant bestelt een ander model."}

// change is an amendment of an order after it was entered: a quantity
// changed, or a line cancelled.
type change struct {
	at   time.Time
	line int // index; -1: the amended quantity
}

// changes are the order's amendments, oldest first, each a revision
// after the first.
func (o *order) changes() []change {
	var out []change
	if !o.amended.IsZero() {
		out = append(out, change{o.amended, -1})
	}
	for i := range o.lines {
		if !o.lines[i].cancelled.IsZero() {
			out = append(out, change{o.lines[i].cancelled, i})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].at.Before(out[j].at) })
	return out
}

// cancelWhy is why line i of the order was cancelled.
func (o *order) cancelWhy(i int) string {
	return lineCancelReasons[(int(o.id)+i)%len(lineCancelReasons)]
}

// summary is the JSON of what change ch changed (orders.Changes).
func (o *order) summary(ch change) string {
	var m i18n.Message
	if ch.line < 0 {
		l := &o.lines[o.amendedLine]
		m = i18n.M("line %d (%s) %d → %d", int(l.no), l.product.sku, int(o.oldQty), int(l.qty))
	} else {
		l := &o.lines[ch.line]
		m = i18n.M("line %d (%s) cancelled: %s", int(l.no), l.product.sku, o.cancelWhy(ch.line))
	}
	v, _ := orders.Changes{m}.Value()
	return v.(string)
}

// snapshot appends what a revision records of the order as it was at t
// (orders' snapshot): its lines then, terms and total.
func snapshot(b []byte, o *order, at time.Time) []byte {
	ls := appLines(make([]orders.Line, 0, len(o.lines)), o, at)
	for i := range ls {
		if !o.amended.IsZero() && i == o.amendedLine && at.Before(o.amended) {
			ls[i].Quantity = int(o.oldQty)
		}
	}
	total := orders.ComputeTotals(ls, o.shipping, o.company.vatMode).InclCents
	d := o.delivery
	b = append(b, `{"delivery":{"name":`...)
	b = jsonString(b, o.company.name)
	b = append(b, `,"street":`...)
	b = jsonString(b, d.street)
	b = append(b, `,"postcode":`...)
	b = jsonString(b, d.postcode)
	b = append(b, `,"city":`...)
	b = jsonString(b, d.city)
	b = append(b, `,"country":`...)
	b = jsonString(b, d.country)
	b = append(b, `},"lines":[`...)
	for i, l := range ls {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"cancelled":`...)
		b = strconv.AppendBool(b, l.Cancelled)
		b = append(b, `,"line_no":`...)
		b = strconv.AppendInt(b, int64(o.lines[i].no), 10)
		b = append(b, `,"quantity":`...)
		b = strconv.AppendInt(b, int64(l.Quantity), 10)
		b = append(b, `,"sku":`...)
		b = jsonString(b, o.lines[i].product.sku)
		b = append(b, `,"unit_price_cents":`...)
		b = strconv.AppendInt(b, l.UnitPriceCents, 10)
		b = append(b, '}')
	}
	b = append(b, `],"note":`...)
	b = jsonString(b, o.noteText())
	b = append(b, `,"po_reference":`...)
	b = jsonString(b, o.poRef())
	b = append(b, `,"ship_complete":`...)
	b = strconv.AppendBool(b, o.complete)
	b = append(b, `,"shipping_cents":`...)
	b = strconv.AppendInt(b, o.shipping, 10)
	b = append(b, `,"shipping_method":`...)
	b = jsonString(b, o.method)
	b = append(b, `,"total_incl_cents":`...)
	b = strconv.AppendInt(b, total, 10)
	return append(b, '}')
}

// created is the summary of every order's first revision.
const created = `[{"id":"created"}]`

func revisionRows(r *rows, os []*order) error {
	var before, after []byte
	for _, o := range os {
		after = snapshot(after[:0], o, o.created)
		r.Int(o.id).Int(1).Int(o.by.id).Time(o.created).Str(created).Null().Str(string(after))
		if err := r.End(); err != nil {
			return err
		}
		for n, ch := range o.changes() {
			before = snapshot(before[:0], o, ch.at.Add(-time.Microsecond))
			after = snapshot(after[:0], o, ch.at)
			r.Int(o.id).Int(int64(n + 2)).Int(o.by.id).Time(ch.at).Str(o.summary(ch)).Str(string(before)).Str(string(after))
			if err := r.End(); err != nil {
				return err
			}
		}
	}
	return nil
}
