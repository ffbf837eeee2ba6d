package scale

import (
	"fmt"
	"sort"
	"strconv"
	"time"

	"wholesale/internal/calendar"
	"wholesale/internal/clock"
	"wholesale/internal/i18n"
	"wholesale/internal/orders"
	"wholesale/internal/shipping"
)

// orderTables are the tables of the orders lo to hi (indexes): their
// demands and reservations, the orders, lines and revisions, and their
// shipments. One transaction: an order is never placed without lines.
func (s *seeder) orderTables(lo, hi int) []table {
	os := s.w.orders[lo:hi]
	return []table{
		{"demands", `id, product_id, company_id, reference, quantity, reserved, shipped, placed_at, priority, expected_date,
			expected_confirmed, promised_date, status`, func(r *rows) error { return s.demandRows(r, os) }},
		{"demand_reservations", "demand_id, warehouse_id, quantity", func(r *rows) error { return reservationRows(r, os) }},
		{"orders", `id, company_id, po_reference, state, status, prepayment, credit_hold, credit_note, credit_reason,
			confirmed_at, confirmed_by, confirmation_kind, confirmation_note, confirmation_received_on, confirmed_total_cents,
			payment_reference, paid_cents, delivery_name, delivery_street, delivery_postcode, delivery_city, delivery_country,
			ship_complete, shipping_method, shipping_cents, note, vat_mode, total_excl_cents, vat_cents, total_incl_cents, revision,
			cancel_reason, created_by, created_at, placed_at, updated_at, ship_state, invoice_state, invoiced_cents, first_invoiced_at`,
			func(r *rows) error { return orderRows(r, os) }},
		{"order_lines", "id, order_id, line_no, product_id, quantity, unit_price_cents, vat_rate, demand_id, cancelled, shipped",
			func(r *rows) error { return lineRows(r, os) }},
		{"order_revisions", "order_id, revision, changed_by, changed_at, summary, before, after", func(r *rows) error { return revisionRows(r, os) }},
		{"shipments", "id, order_id, company_id, carrier, tracking_number, tracking_url, shipped_on, delivered_on, created_by, created_at",
			func(r *rows) error { return shipmentRows(r, os) }},
		{"shipment_lines", "shipment_id, order_line_id, quantity", func(r *rows) error { return shipmentLineRows(r, os) }},
	}
}

// demandReference is the JSON of the message "order %d (PO %s) line %d"
// that orders gives each line's demand (stock.Reference).
func demandReference(b []byte, o *order, l *line) []byte {
	b = append(b, `{"id":"order %d (PO %s) line %d","args":[{"t":"i","v":`...)
	b = strconv.AppendInt(b, o.id, 10)
	b = append(b, `},{"t":"s","v":`...)
	b = jsonString(b, o.poRef())
	b = append(b, `},{"t":"i","v":`...)
	b = strconv.AppendInt(b, int64(l.no), 10)
	return append(b, `}]}`...)
}

func (s *seeder) demandRows(r *rows, os []*order) error {
	var ref []byte
	for _, o := range os {
		if o.placed.IsZero() {
			continue
		}
		for i := range o.lines {
			l := &o.lines[i]
			ref = demandReference(ref[:0], o, l)
			if l.oldDemand != 0 {
				r.Int(l.oldDemand).Int(l.product.id).Int(o.company.id).Str(string(ref)).Int(int64(o.oldQty)).Int(0).Int(0).
					Time(o.placed).Bool(false).Null().Bool(false).Null().Str("cancelled")
				if err := r.End(); err != nil {
					return err
				}
			}
			reserved, status := o.reservedNow(l), "open"
			switch {
			case o.state() != orders.StatePlaced || !l.cancelled.IsZero():
				status = "cancelled"
			case l.shipped == l.qty:
				status = "shipped"
			}
			r.Int(l.demand).Int(l.product.id).Int(o.company.id).Str(string(ref)).Int(int64(l.qty)).Int(int64(reserved)).
				Int(int64(l.shipped)).Time(o.placed).Bool(false)
			if status == "open" && reserved < l.qty {
				p := l.product
				r.Date(p.expected).Bool(p.confirmed).Date(p.expected)
			} else {
				r.Null().Bool(false).Null()
			}
			if err := r.Str(status).End(); err != nil {
				return err
			}
		}
	}
	return nil
}

func reservationRows(r *rows, os []*order) error {
	for _, o := range os {
		for i := range o.lines {
			l := &o.lines[i]
			if q := o.reservedNow(l) - l.shipped; q > 0 {
				if err := r.Int(l.demand).Int(int64(l.warehouse() + 1)).Int(int64(q)).End(); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// poRef is the order's PO reference: a replacement's is its RA number,
// or COMPLAINT-<id> for a complaint's exchange.
func (o *order) poRef() string {
	switch {
	case o.replacesReturn != nil:
		return o.replacesReturn.ra()
	case o.replacesComplaint != nil:
		return fmt.Sprintf("COMPLAINT-%d", o.replacesComplaint.id)
	}
	return o.po
}

// heldWhy is why a held order was held, as orders stores it.
func heldWhy(o *order) string {
	limit := max(o.company.limit, 500_000)
	v, _ := orders.Text{Message: i18n.M("Exposure %s + this order %s passes the credit limit %s.",
		i18n.Amount(limit-o.totals[2]/2), i18n.Amount(o.totals[2]), i18n.Amount(limit))}.Value()
	return v.(string)
}

func orderRows(r *rows, os []*order) error {
	for _, o := range os {
		c := o.company
		r.Int(o.id).Int(c.id).Str(o.poRef()).Str(o.state()).Str(o.status).Bool(c.prepay).Str(o.hold())
		switch o.hold() {
		case orders.HoldNone:
			r.Str("").Str("")
		case orders.HoldHeld:
			r.Str("").Str(heldWhy(o))
		case orders.HoldApproved:
			r.Str("Akkoord: klant betaalt de openstaande post deze week.").Str(heldWhy(o))
		default:
			r.Str(o.reason).Str(heldWhy(o))
		}
		if o.confirmedAt.IsZero() {
			r.Null().Null().Null().Str("").Null().Null()
		} else {
			kind, note, by, on := "portal", "", o.confirmedBy, time.Time{}
			switch {
			case o.replacement():
				kind, note, by = orders.ConfirmedByReturn, o.poRef(), o.by
			case o.written:
				kind, note, on = "written", "mail van "+c.contact, calendar.Day(o.confirmedAt.In(clock.Amsterdam))
			}
			a := o.app()
			r.Time(o.confirmedAt).Int(by.id).Str(kind).Str(note).Date(on).Int(*a.ConfirmedTotalCents)
		}
		if c.prepay && !o.placed.IsZero() {
			r.Str(orders.PaymentReference(o.id))
		} else {
			r.Null()
		}
		d := o.delivery
		r.Int(o.paid).Str(c.name).Str(d.street).Str(d.postcode).Str(d.city).Str(d.country).Bool(o.complete).Str(o.method).
			Int(o.shipping).Str(o.noteText()).Str(c.vatMode).Int(o.totals[0]).Int(o.totals[1]).Int(o.totals[2]).Int(int64(o.revisions))
		if o.state() == orders.StateCancelled {
			r.Str(o.reason)
		} else {
			r.Str("")
		}
		r.Int(o.by.id).Time(o.created).Time(o.placed).Time(o.updated).Str(o.shipState).Str(o.invState).Int(o.invoiced).Time(o.firstInv)
		if err := r.End(); err != nil {
			return err
		}
	}
	return nil
}

// noteText is the order's note: a replacement's says what it replaces,
// in the customer's language.
func (o *order) noteText() string {
	l := i18n.For(i18n.Lang(o.company.lang))
	switch {
	case o.replacesReturn != nil:
		return l.Text(i18n.M("Replacement for return %s, free of charge.", o.replacesReturn.ra()))
	case o.replacesComplaint != nil:
		return l.Text(i18n.M("Exchange for complaint %d, free of charge.", o.replacesComplaint.id))
	}
	return o.note
}

func lineRows(r *rows, os []*order) error {
	for _, o := range os {
		for i := range o.lines {
			l := &o.lines[i]
			r.Int(l.id).Int(o.id).Int(int64(l.no)).Int(l.product.id).Int(int64(l.qty)).Int(l.price).Int(int64(l.vat)).Ref(l.demand).
				Bool(!l.cancelled.IsZero()).Int(int64(l.shipped))
			if err := r.End(); err != nil {
				return err
			}
		}
	}
	return nil
}

func shipmentRows(r *rows, os []*order) error {
	for _, o := range os {
		for _, sh := range o.shipments {
			d := o.delivery
			r.Int(sh.id).Int(o.id).Int(o.company.id).Str(sh.carrier).Str(sh.tracking).
				Str(shipping.TrackingURL(sh.carrier, sh.tracking, d.country, d.postcode)).Date(sh.on).Date(sh.delivered).
				Int(sh.by.id).Time(sh.at)
			if err := r.End(); err != nil {
				return err
			}
		}
	}
	return nil
}

func shipmentLineRows(r *rows, os []*order) error {
	for _, o := range os {
		for _, sh := range o.shipments {
			lines := append([]shipLine(nil), sh.lines...)
			sort.Slice(lines, func(i, j int) bool { return lines[i].line.id < lines[j].line.id })
			for _, sl := range lines {
				if err := r.Int(sh.id).Int(sl.line.id).Int(int64(sl.qty)).End(); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
