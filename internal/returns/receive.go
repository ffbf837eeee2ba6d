package returns

import (
	"context"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
)

// Receive books a parcel that arrived by the RA number on it: the return's
// units are listed for testing, with the serial numbers given. A parcel
// without a valid, unexpired RA is refused: nothing is written and the
// message says why. The warehouse and admins only. Returns Forbidden,
// Invalid (the refusal, at the field "ra").
func (s *Service) Receive(ctx context.Context, by *users.User, in ReceiveInput) (*Return, error) {
	if err := mayHandle(by); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var id int64
	err := s.DB.NewSelect().Table("returns").Column("id").Where("ra_number = ?", in.RA).Scan(ctx, &id)
	if err != nil {
		if apperr.KindOf(postgres.Translate(err, i18n.M("Return"))) == apperr.NotFound {
			return nil, refuse(i18n.M("No return has RA number %s: refuse the parcel.", in.RA))
		}
		return nil, err
	}
	return s.onReturn(ctx, id, func(ctx context.Context, tx *postgres.Tx, r *Return, c *customers.Company) error {
		today := s.Today()
		switch {
		case r.Expired(today):
			return refuse(i18n.M("RA %s expired on %s: refuse the parcel.", in.RA, i18n.D(*r.ArriveBy)))
		case r.State == StateCancelled:
			return refuse(i18n.M("RA %s was cancelled: refuse the parcel.", in.RA))
		case r.State != StateApproved && r.ParcelReceivedAt != nil:
			return refuse(i18n.M("The parcel of RA %s was received on %s already.", in.RA, i18n.D(*r.ParcelReceivedAt)))
		case r.State != StateApproved:
			return refuse(i18n.M("RA %s is %s: refuse the parcel.", in.RA, r.State.Label()))
		}
		now := s.now()
		serials := SplitSerials(r.Serials)
		units := make([]Unit, r.Quantity)
		for i := range units {
			units[i] = Unit{ReturnID: r.ID, UnitNo: i + 1}
			if i < len(serials) {
				units[i].Serial = serials[i]
			}
		}
		if _, err := tx.NewInsert().Model(&units).Exec(ctx); err != nil {
			return err
		}
		r.Units = units
		r.State, r.ParcelReceivedAt, r.ParcelReceivedBy, r.UpdatedAt = StateReceived, &now, &by.ID, now
		if _, err := tx.NewUpdate().Model(r).Column("state", "parcel_received_at", "parcel_received_by", "updated_at").WherePK().Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Change{Entity: "return", EntityID: r.ID, Action: "receive",
			Before: map[string]any{"state": StateApproved}, After: map[string]any{"state": r.State, "ra_number": in.RA, "units": r.Quantity}})
	})
}

// refuse is the refusal of a parcel, at the RA field.
func refuse(m i18n.Message) error { return apperr.FieldErrors{"ra": m}.Err() }

// Test records the test of units of a received return: each result with
// a note. Once every unit has one, the return waits for the account
// manager to settle it; until then a result may be corrected. The
// warehouse and admins only. Returns Forbidden, NotFound, Invalid, Conflict.
func (s *Service) Test(ctx context.Context, by *users.User, id int64, in TestInput) (*Return, error) {
	if err := mayHandle(by); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	return s.onReturn(ctx, id, func(ctx context.Context, tx *postgres.Tx, r *Return, c *customers.Company) error {
		if r.State != StateReceived && r.State != StateTested {
			return apperr.Conflictf("This return is %s: its units are not being tested.", r.State.Label())
		}
		now := s.now()
		byNo := map[int]*Unit{}
		for i := range r.Units {
			byNo[r.Units[i].UnitNo] = &r.Units[i]
		}
		var told []map[string]any
		for _, t := range in.Units {
			if t.Result == "" {
				continue
			}
			u, ok := byNo[t.UnitNo]
			if !ok {
				return apperr.FieldErrors{"units": i18n.M("The return has no unit %d.", t.UnitNo)}.Err()
			}
			result := t.Result
			u.Result, u.Note, u.TestedBy, u.TestedAt = &result, t.Note, &by.ID, &now
			if _, err := tx.NewUpdate().Model(u).Column("result", "note", "tested_by", "tested_at").WherePK().Exec(ctx); err != nil {
				return err
			}
			told = append(told, map[string]any{"unit_no": u.UnitNo, "serial": u.Serial, "result": result, "note": t.Note})
		}
		before := r.State
		if CountResults(r.Units).Untested == 0 && r.State == StateReceived {
			r.State, r.TestedAt = StateTested, &now
		}
		r.UpdatedAt = now
		if _, err := tx.NewUpdate().Model(r).Column("state", "tested_at", "updated_at").WherePK().Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Change{Entity: "return", EntityID: r.ID, Action: "test",
			Before: map[string]any{"state": before}, After: map[string]any{"state": r.State, "units": told}})
	})
}
