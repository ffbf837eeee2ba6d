package audit_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"wholesale/internal/audit"
	"wholesale/internal/pgtest"
	"wholesale/internal/postgres"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// Entries are written in one statement, on a transaction's connection
// prepared: what comes back is what was recorded, in order, NULL where
// nothing was given, whatever the documents contain.
func TestEntriesRoundTripWhetherPreparedOrNot(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	now := time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC)
	tricky := map[string]any{"note": `a "quoted" {brace}, back\slash, comma, 'single', € and 日本`, "n": 1}
	changes := []audit.Change{
		{Entity: "order", EntityID: 7, Action: "create", After: tricky},
		{Entity: "order", EntityID: 7, Action: "place", Before: map[string]string{"status": "draft"}, After: json.RawMessage(`{"status":"placed"}`)},
		{Entity: "demand", EntityID: "42", Action: "cancel"},
	}
	ctx := context.Background()
	// By the system, outside a known connection (sent as plain SQL).
	if err := audit.RecordMany(ctx, db, now, changes); err != nil {
		t.Fatal(err)
	}
	// By a user, in a use case's transaction (prepared, sent with the
	// commit): not written before the commit, written with it.
	uctx := audit.WithActor(ctx, audit.Actor{Label: "someone"})
	if err := postgres.Run(ctx, db, postgres.Once, func(_ context.Context, tx *postgres.Tx) error {
		if err := audit.RecordMany(uctx, tx, now, changes); err != nil {
			return err
		}
		n, err := tx.NewSelect().Table("audit_log").Count(ctx)
		if err != nil || n != 3 {
			t.Errorf("%d entries before the commit (%v), want the 3 of the system", n, err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// A use case that fails keeps none of its entries.
	errUndo := errors.New("undo")
	if err := postgres.Run(ctx, db, postgres.Once, func(_ context.Context, tx *postgres.Tx) error {
		if err := audit.RecordMany(uctx, tx, now, changes); err != nil {
			return err
		}
		return errUndo
	}); err != errUndo {
		t.Fatal(err)
	}
	got, err := audit.List(ctx, db, audit.Filter{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 6 {
		t.Fatalf("%d entries, want 6", len(got))
	}
	for round, actor := range []string{"someone", "system"} {
		es := got[round*3 : round*3+3] // newest first
		if es[2].Actor != actor || es[2].ActorID != nil || !es[2].At.Equal(now) {
			t.Fatalf("round %d: %+v", round, es[2])
		}
		var back map[string]any
		if err := json.Unmarshal(es[2].After, &back); err != nil || back["note"] != tricky["note"] || es[2].Before != nil {
			t.Fatalf("round %d: after %s (%v), before %s", round, es[2].After, err, es[2].Before)
		}
		if string(es[1].Before) != `{"status": "draft"}` || string(es[1].After) != `{"status": "placed"}` || es[1].Action != "place" {
			t.Fatalf("round %d: %s → %s", round, es[1].Before, es[1].After)
		}
		if es[0].Entity != "demand" || es[0].EntityID != "42" || es[0].Before != nil || es[0].After != nil {
			t.Fatalf("round %d: %+v", round, es[0])
		}
	}
}
