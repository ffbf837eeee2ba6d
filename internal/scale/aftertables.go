package scale

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"wholesale/internal/shipping"
)

// writeAftercare loads the returns and complaints, links the replacement
// orders to what they settle, and sets the gapless series to the numbers
// handed out.
func (s *seeder) writeAftercare(ctx context.Context) error {
	if err := s.load(ctx, s.returnTable(), s.unitTable(), s.complaintTable(), s.noteTable()); err != nil {
		return err
	}
	return s.exec(ctx, "replacements and series",
		`UPDATE orders o SET return_id = r.id FROM returns r WHERE r.replacement_order_id = o.id`,
		`UPDATE orders o SET complaint_id = c.id FROM complaints c WHERE c.replacement_order_id = o.id`,
		`INSERT INTO invoice_series (kind, year, last_number) SELECT kind, year, max(seq) FROM invoices WHERE state = 'issued' GROUP BY kind, year`,
		`INSERT INTO return_series (year, last_number) SELECT ra_year, max(ra_seq) FROM returns WHERE ra_year IS NOT NULL GROUP BY ra_year`)
}

func (s *seeder) returnTable() table {
	centres := map[string][]byte{}
	for i, b := range s.w.brands {
		centres[b.name], _ = json.Marshal(centre(i, b))
	}
	return table{"returns", `id, company_id, order_id, order_line_id, shipment_id, product_id, quantity, serials, fault, doa, remedy,
		received_on, received_rule, window_ends, state, closed_reason, service_centre, ra_number, ra_year, ra_seq, arrive_by,
		approved_by, approved_at, parcel_received_at, parcel_received_by, tested_at, settlement, good_units, replacement_order_id,
		credit_note_id, settled_by, settled_at, back_carrier, back_tracking, back_tracking_url, sent_back_at, sent_back_by,
		created_by, created_at, updated_at, sends_back`, func(r *rows) error {
		for _, x := range s.w.returns {
			l := x.sl.line
			r.Int(x.id).Int(x.order.company.id).Int(x.order.id).Int(l.id).Int(x.ship.id).Int(l.product.id).Int(int64(x.qty)).
				Str(strings.Join(x.serials, "\n")).Str(x.fault).Bool(x.doa).Str(x.remedy).Date(x.received).Str(x.rule).Date(x.window).
				Str(x.state).Str(x.closed)
			if x.state == "referred" {
				r.Str(string(centres[l.product.brand]))
			} else {
				r.Null()
			}
			if x.approved.IsZero() {
				r.Null().Null().Null().Null().Null().Null()
			} else {
				r.Str(x.ra()).Int(int64(x.raYear)).Int(int64(x.raSeq)).Date(x.arriveBy).Int(x.manager.id).Time(x.approved)
			}
			r.Time(x.arrived)
			if x.arrived.IsZero() {
				r.Null()
			} else {
				r.Int(s.w.warehouse[0].id)
			}
			r.Time(x.tested).StrOrNull(x.settle).StrOrNull(x.good)
			if x.replaced != nil {
				r.Int(x.replaced.id)
			} else {
				r.Null()
			}
			if x.cn != nil {
				r.Int(x.cn.id)
			} else {
				r.Null()
			}
			if x.settled.IsZero() {
				r.Null().Null()
			} else {
				r.Int(x.manager.id).Time(x.settled)
			}
			if x.sentBack.IsZero() {
				r.Null().Str("").Str("").Null().Null()
			} else {
				r.Str("UPS").Str(x.backTrack).Str(shipping.TrackingURL("UPS", x.backTrack, "", "")).Time(x.sentBack).Int(s.w.warehouse[0].id)
			}
			if err := r.Int(x.by.id).Time(x.created).Time(x.updated).Bool(x.sendsBack()).End(); err != nil {
				return err
			}
		}
		return nil
	}}
}

func (s *seeder) unitTable() table {
	return table{"return_units", "return_id, unit_no, serial, result, tested_by, tested_at, disposition", func(r *rows) error {
		for _, x := range s.w.returns {
			if x.arrived.IsZero() {
				continue
			}
			for i := range int(x.qty) {
				r.Int(x.id).Int(int64(i + 1)).Str(x.serials[i])
				if x.tested.IsZero() {
					r.Null().Null().Null()
				} else {
					r.Str(x.results[i]).Int(x.tester.id).Time(x.tested)
				}
				if x.settled.IsZero() {
					r.Null()
				} else {
					r.Str(x.disposition(x.results[i]))
				}
				if err := r.End(); err != nil {
					return err
				}
			}
		}
		return nil
	}}
}

func (s *seeder) complaintTable() table {
	return table{"complaints", `id, company_id, order_id, channel, contact_name, contact_email, contact_phone, description, state,
		received_at, received_on, ack_due, flag_on, resolve_due, handler_id, investigator_id, acknowledged_at, answer_expected_on,
		progress_sent_at, answer_by, outcome, explanation, credit_note_id, replacement_order_id, resolved_at, escalated_at,
		escalation_reason, board_due, board_answer, board_answered_at, created_by, created_at, updated_at`, func(r *rows) error {
		for _, c := range s.w.complaint {
			co := c.company
			r.Int(c.id).Int(co.id)
			if c.order != nil {
				r.Int(c.order.id)
			} else {
				r.Null()
			}
			r.Str(c.channel).Str(c.contact).Str(co.email).Str(co.phone).Str(c.description).Str(c.state).Time(c.received).
				Date(s.w.cal.LocalDay(c.received)).Date(c.due.Acknowledge).Date(c.due.Flag).Date(c.due.Resolve)
			ref(r, c.handler)
			ref(r, c.investigator)
			r.Time(c.acked).Date(c.expected).Time(c.progress).Date(c.answerBy).StrOrNull(c.outcome).Str(c.explanation)
			if c.cn != nil {
				r.Int(c.cn.id)
			} else {
				r.Null()
			}
			if c.replaced != nil {
				r.Int(c.replaced.id)
			} else {
				r.Null()
			}
			r.Time(c.resolved).Time(c.escalated)
			if c.escalated.IsZero() {
				r.Str("")
			} else {
				r.Str("Wij zijn het niet eens met de afhandeling.")
			}
			r.Date(c.boardDue)
			if c.answered.IsZero() {
				r.Str("")
			} else {
				r.Str(fmt.Sprintf("De directie heeft de klacht opnieuw bekeken en handhaaft het besluit (klacht %d).", c.id))
			}
			if err := r.Time(c.answered).Int(c.by.id).Time(c.received).Time(c.updated).End(); err != nil {
				return err
			}
		}
		return nil
	}}
}

func ref(r *rows, u *user) {
	if u == nil {
		r.Null()
	} else {
		r.Int(u.id)
	}
}

func (s *seeder) noteTable() table {
	return table{"complaint_notes", "id, complaint_id, body, created_by, created_at", func(r *rows) error {
		var id int64
		for _, c := range s.w.complaint {
			for _, n := range c.notes {
				id++
				if err := r.Int(id).Int(c.id).Str(n.body).Int(n.by.id).Time(n.at).End(); err != nil {
					return err
				}
			}
		}
		return nil
	}}
}

// sequences moves each table's id sequence past the ids loaded.
func (s *seeder) sequences(ctx context.Context) error {
	var stmts []string
	for _, t := range []string{"users", "companies", "products", "service_centres", "suppliers", "supplier_orders",
		"supplier_order_lines", "demands", "orders", "order_lines", "shipments", "invoices", "payments", "allocations",
		"returns", "complaints", "complaint_notes", "audit_log"} {
		stmts = append(stmts, fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%s', 'id'), GREATEST((SELECT max(id) FROM %s), 1))`, t, t))
	}
	return s.exec(ctx, "sequences", stmts...)
}
