package scale

import (
	"encoding/json"

	"wholesale/internal/orders"
)

// placedStatus is the status an order had right after it was placed.
func (o *order) placedStatus() string {
	switch {
	case !o.heldAt.IsZero():
		return string(orders.StatusAwaitingCredit)
	case o.replacement():
		return string(orders.StatusReleased)
	case o.company.prepay:
		return string(orders.StatusAwaitingPayment)
	}
	return string(orders.StatusAwaitingConfirmation)
}

// orderEntry is the audit entry e of an order: who, which order, the
// action and what it changed.
func (s *seeder) orderEntry(e entry, before, after []byte) (*user, int64, string, []byte, []byte) {
	if e.kind == aShip {
		sh := s.w.shipments[e.i]
		o := sh.order
		lines := []byte{'['}
		for i, sl := range sh.lines {
			if i > 0 {
				lines = append(lines, ',')
			}
			lines = obj(lines, "line_no", sl.line.no, "quantity", sl.qty, "sku", sl.line.product.sku)
		}
		lines = append(lines, ']')
		state, status := orders.ShipPartly, string(orders.StatusPartlyShipped)
		if sh == o.shipments[len(o.shipments)-1] && o.shipState == orders.ShipAll {
			state, status = orders.ShipAll, string(orders.StatusShipped)
		}
		var inv int64
		if sh.invoice != nil {
			inv = sh.invoice.id
		}
		before = obj(before, "ship_state", orders.ShipNone, "status", string(orders.StatusReleased))
		after = obj(after, "carrier", sh.carrier, "invoice_id", inv, "lines", lines, "ship_state", state, "shipment_id", sh.id,
			"shipped_on", sh.on, "status", status, "tracking_number", sh.tracking)
		return sh.by, o.id, "ship", before, after
	}
	o := s.w.orders[e.i]
	switch e.kind {
	case aCreate:
		return o.by, o.id, "create", nil, snapshot(after, o, o.created)
	case aPlace:
		var reason any = ""
		if !o.heldAt.IsZero() {
			reason = json.RawMessage(heldWhy(o))
		}
		hold := orders.HoldNone
		if !o.heldAt.IsZero() {
			hold = orders.HoldHeld
		}
		after = obj(after, "credit_hold", hold, "credit_reason", rawOr(reason), "status", o.placedStatus())
		return o.by, o.id, "place", obj(before, "status", string(orders.StatusDraft)), after
	case aCredit:
		sales := s.w.roles["sales"]
		if o.rejected {
			return sales, o.id, "credit_reject", obj(before, "status", string(orders.StatusAwaitingCredit)),
				obj(after, "reason", o.reason, "status", string(orders.StatusCancelled))
		}
		return sales, o.id, "credit_approve", obj(before, "credit_hold", orders.HoldHeld),
			obj(after, "credit_hold", orders.HoldApproved, "note", "Akkoord: klant betaalt de openstaande post deze week.",
				"status", string(orders.StatusAwaitingConfirmation))
	case aConfirm:
		kind := "portal"
		if o.written {
			kind = "written"
		}
		return o.confirmedBy, o.id, "confirm", nil, obj(after, "kind", kind, "status", string(orders.StatusReleased),
			"total_incl_cents", *o.app().ConfirmedTotalCents)
	case aPrepay:
		return s.w.finance[0], o.id, "prepayment", obj(before, "paid_cents", 0, "status", string(orders.StatusAwaitingPayment)),
			obj(after, "paid_cents", o.totals[2], "status", string(orders.StatusReleased))
	case aChange:
		ch := o.changes()[e.n]
		rev := int(e.n) + 2
		if ch.line >= 0 {
			l := &o.lines[ch.line]
			return o.by, o.id, "cancel_line", nil, obj(after, "line", l.no, "reason", o.cancelWhy(ch.line))
		}
		return o.by, o.id, "amend", obj(before, "revision", rev-1), obj(after, "revision", rev, "summary", []byte(o.summary(ch)))
	}
	return o.by, o.id, "cancel", obj(before, "status", o.placedStatus()), obj(after, "reason", o.reason, "status", string(orders.StatusCancelled))
}

func rawOr(v any) any {
	if raw, ok := v.(json.RawMessage); ok {
		return []byte(raw)
	}
	return v
}

// returnEntry is the audit entry e of a return.
func (s *seeder) returnEntry(e entry, before, after []byte) (*user, int64, string, []byte, []byte) {
	r := s.w.returns[e.i]
	switch e.kind {
	case rRequest:
		state, closed := "requested", ""
		if r.state == "referred" {
			state, closed = "referred", r.closed
		}
		return r.by, r.id, "request", nil, obj(after, "closed_reason", closed, "dead_on_arrival", r.doa, "fault", r.fault,
			"order_id", r.order.id, "quantity", r.qty, "received_on", r.received, "received_rule", r.rule, "remedy", r.remedy,
			"shipment_id", r.ship.id, "sku", r.sl.line.product.sku, "state", state, "window_ends", r.window)
	case rDecide:
		action := "reject"
		if r.state == "cancelled" {
			action = "cancel"
		}
		return r.manager, r.id, action, obj(before, "state", "requested"), obj(after, "reason", r.closed, "state", r.state)
	case rApprove:
		return r.manager, r.id, "approve", obj(before, "state", "requested"),
			obj(after, "arrive_by", r.arriveBy, "ra_number", r.ra(), "state", "approved")
	case rReceive:
		return s.w.warehouse[0], r.id, "receive", obj(before, "state", "approved"), obj(after, "state", "received", "units", int(r.qty))
	case rTest:
		units := []byte{'['}
		for i, res := range r.results {
			if i > 0 {
				units = append(units, ',')
			}
			units = obj(units, "result", res, "serial", r.serials[i], "unit_no", i+1)
		}
		units = append(units, ']')
		return r.tester, r.id, "test", obj(before, "state", "received"), obj(after, "state", "tested", "units", units)
	case rSettle:
		var cn any
		if r.cn != nil {
			cn = r.cn.number()
		}
		return r.manager, r.id, "settle", obj(before, "state", "tested"), obj(after, "credit_note", cn, "good_units", r.good,
			"remedy", r.remedy, "settlement", r.settle, "state", "settled")
	}
	return s.w.warehouse[0], r.id, "send_back", nil, obj(after, "carrier", "UPS", "tracking_number", r.backTrack)
}

// complaintEntry is the audit entry e of a complaint.
func (s *seeder) complaintEntry(e entry, before, after []byte) (*user, int64, string, []byte, []byte) {
	c := s.w.complaint[e.i]
	switch e.kind {
	case cFile:
		var order any
		if c.order != nil {
			order = c.order.id
		}
		return c.by, c.id, "file", nil, obj(after, "acknowledge_by", c.due.Acknowledge, "channel", c.channel, "order_id", order,
			"received_on", s.w.cal.LocalDay(c.received), "resolve_by", c.due.Resolve, "state", "received")
	case cAck:
		return c.handler, c.id, "acknowledge", nil, obj(after, "answer_expected_on", c.expected, "handler_id", c.handler.id, "state", "acknowledged")
	case cNote:
		return c.notes[e.n].by, c.id, "note", nil, obj(after, "note", c.notes[e.n].body)
	case cAssign:
		return s.w.service[0], c.id, "assign", obj(before, "investigator_id", nil), obj(after, "investigator_id", c.investigator.id)
	case cProgress:
		return c.handler, c.id, "progress", nil, obj(after, "answer_by", c.answerBy)
	case cResolve:
		var cn, repl any
		if c.cn != nil {
			cn = c.cn.number()
		}
		if c.replaced != nil {
			repl = c.replaced.id
		}
		return c.handler, c.id, "resolve", nil, obj(after, "credit_note", cn, "outcome", c.outcome, "replacement_order_id", repl, "state", "resolved")
	case cEscalate:
		return c.by, c.id, "escalate", nil, obj(after, "state", "escalated")
	}
	return s.w.roles["board"], c.id, "board_answer", nil, obj(after, "state", "closed")
}
