package scale

import (
	"context"
	"strconv"
	"time"
)

// The audit entries the pages read: an order's, a return's and a
// complaint's history. (Demands, invoices and payments write entries of
// their own in the app; the data set leaves those out.)
const (
	aCreate = iota
	aPlace
	aCredit
	aConfirm
	aPrepay
	aChange
	aShip
	aCancel
	rRequest
	rDecide
	rApprove
	rReceive
	rTest
	rSettle
	rSendBack
	cFile
	cAck
	cNote
	cAssign
	cProgress
	cResolve
	cEscalate
	cAnswer
)

// entry is one audit entry to write: what happened (kind) to which order,
// shipment, return or complaint (i), and its change or note (n).
type entry struct {
	at   time.Time
	kind uint8
	n    int16
	i    int32
}

// entries lists the audit entries, oldest first.
func (w *world) entries() []entry {
	out := make([]entry, 0, 5*len(w.orders)+len(w.shipments))
	add := func(at time.Time, kind uint8, i int, n int) {
		if !at.IsZero() {
			out = append(out, entry{at: at, kind: kind, i: int32(i), n: int16(n)})
		}
	}
	for i, o := range w.orders {
		add(o.created, aCreate, i, 0)
		add(o.placed, aPlace, i, 0)
		add(o.decided, aCredit, i, 0)
		if !o.replacement() {
			add(o.confirmedAt, aConfirm, i, 0)
		}
		add(o.paidAt, aPrepay, i, 0)
		for n, ch := range o.changes() {
			add(ch.at, aChange, i, n)
		}
		if !o.rejected {
			add(o.cancelled, aCancel, i, 0)
		}
	}
	for i, s := range w.shipments {
		add(s.at, aShip, i, 0)
	}
	for i, r := range w.returns {
		add(r.created, rRequest, i, 0)
		if r.state == "rejected" || r.state == "cancelled" {
			add(r.updated, rDecide, i, 0)
		}
		add(r.approved, rApprove, i, 0)
		add(r.arrived, rReceive, i, 0)
		add(r.tested, rTest, i, 0)
		add(r.settled, rSettle, i, 0)
		add(r.sentBack, rSendBack, i, 0)
	}
	for i, c := range w.complaint {
		add(c.received, cFile, i, 0)
		add(c.acked, cAck, i, 0)
		for n, nt := range c.notes {
			add(nt.at, cNote, i, n)
		}
		if c.investigator != nil {
			add(w.cal.Cutoff(c.due.Flag).Add(-8*time.Hour), cAssign, i, 0)
		}
		add(c.progress, cProgress, i, 0)
		add(c.resolved, cResolve, i, 0)
		add(c.escalated, cEscalate, i, 0)
		add(c.answered, cAnswer, i, 0)
	}
	sortBy(out, func(e entry) time.Time { return e.at })
	return out
}

// obj appends a JSON object of keys and values: strings, whole numbers,
// booleans, raw JSON (a []byte) and nil.
func obj(b []byte, kv ...any) []byte {
	b = append(b, '{')
	for i := 0; i+1 < len(kv); i += 2 {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonString(b, kv[i].(string))
		b = append(b, ':')
		switch v := kv[i+1].(type) {
		case string:
			b = jsonString(b, v)
		case int:
			b = strconv.AppendInt(b, int64(v), 10)
		case int32:
			b = strconv.AppendInt(b, int64(v), 10)
		case int64:
			b = strconv.AppendInt(b, v, 10)
		case bool:
			b = strconv.AppendBool(b, v)
		case []byte:
			b = append(b, v...)
		case time.Time:
			b = jsonString(b, v.Format(time.DateOnly))
		default:
			b = append(b, "null"...)
		}
	}
	return append(b, '}')
}

// auditTable writes the entries es, which have the ids from first on:
// their places in the trail, oldest first.
func (s *seeder) auditTable(es []entry, first int64) table {
	return table{"audit_log", "id, at, actor_id, actor, entity, entity_id, action, before, after", func(r *rows) error {
		var before, after []byte
		for i, e := range es {
			before, after = before[:0], after[:0]
			var (
				by             *user
				entity, action string
				entityID       int64
			)
			switch {
			case e.kind <= aCancel:
				entity = "order"
				by, entityID, action, before, after = s.orderEntry(e, before, after)
			case e.kind <= rSendBack:
				entity = "return"
				by, entityID, action, before, after = s.returnEntry(e, before, after)
			default:
				entity = "complaint"
				by, entityID, action, before, after = s.complaintEntry(e, before, after)
			}
			r.Int(first + int64(i)).Time(e.at).Int(by.id).Str(by.email).Str(entity).Str(strconv.FormatInt(entityID, 10)).Str(action)
			if len(before) == 0 {
				r.Null()
			} else {
				r.Bytes(before)
			}
			if err := r.Bytes(after).End(); err != nil {
				return err
			}
		}
		return nil
	}}
}

// auditParts splits the audit trail into n parts to load beside other
// tables, its ids following those the app wrote before (the settings').
func (s *seeder) auditParts(ctx context.Context, n int) (func(k int) table, error) {
	var last int64
	if err := s.db.NewRaw(`SELECT COALESCE(max(id), 0) FROM audit_log`).Scan(ctx, &last); err != nil {
		return nil, err
	}
	es := s.w.entries()
	return func(k int) table {
		lo, hi := k*len(es)/n, (k+1)*len(es)/n
		return s.auditTable(es[lo:hi], last+1+int64(lo))
	}, nil
}
