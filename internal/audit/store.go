package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
	"wholesale/internal/postgres"

	"github.com/uptrace/bun"
)

// Record writes one entry for the change, by the actor carried in ctx, at now.
// Call it with the transaction that makes the change.
func Record(ctx context.Context, db bun.IDB, now time.Time, c Change) error {
	return RecordMany(ctx, db, now, []Change{c})
}

// Flush writes the collected entries (see WithBatch) with tx, at now.
func (b *Batch) Flush(ctx context.Context, tx bun.IDB, now time.Time) error {
	cs := b.changes
	b.changes = nil
	return RecordMany(context.WithValue(ctx, batchKey{}, (*Batch)(nil)), tx, now, cs)
}

// RecordMany writes one entry per change in one statement, by the actor
// carried in ctx, at now. Call it with the transaction that makes the changes.
func RecordMany(ctx context.Context, db bun.IDB, now time.Time, cs []Change) error {
	if len(cs) == 0 {
		return nil
	}
	if b := batchFrom(ctx); b != nil {
		b.changes = append(b.changes, cs...)
		return nil
	}
	q, err := insertQuery(ctx, db, now, cs)
	if err != nil {
		return err
	}
	if _, err := q.Exec(ctx); err != nil {
		return fmt.Errorf("audit: record %s %s (%d changes): %w", cs[0].Entity, cs[0].Action, len(cs), err)
	}
	return nil
}

// FlushIn adds the collected entries (see WithBatch) to b, the statements
// the use case sends in one round trip at its end.
func (bt *Batch) FlushIn(ctx context.Context, b *postgres.Batch, db bun.IDB, now time.Time) error {
	cs := bt.changes
	bt.changes = nil
	if len(cs) == 0 {
		return nil
	}
	q, err := insertQuery(ctx, db, now, cs)
	if err != nil {
		return err
	}
	b.Add(q)
	return nil
}

func insertQuery(ctx context.Context, db bun.IDB, now time.Time, cs []Change) (*bun.InsertQuery, error) {
	actor := ActorFrom(ctx)
	entries := make([]Entry, len(cs))
	for i, c := range cs {
		e := Entry{At: now.UTC(), Actor: actor.Label, Entity: c.Entity, EntityID: fmt.Sprint(c.EntityID), Action: c.Action}
		if actor.UserID != 0 {
			id := actor.UserID
			e.ActorID = &id
		}
		var err error
		if e.Before, err = toJSON(c.Before); err != nil {
			return nil, err
		}
		if e.After, err = toJSON(c.After); err != nil {
			return nil, err
		}
		entries[i] = e
	}
	return db.NewInsert().Model(&entries).ExcludeColumn("id").Returning("NULL"), nil
}

func toJSON(v any) (json.RawMessage, error) {
	if v == nil {
		return nil, nil
	}
	if raw, ok := v.(json.RawMessage); ok {
		return raw, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("audit: encode: %w", err)
	}
	return b, nil
}

// Filter narrows a listing of the trail. Zero fields do not filter.
type Filter struct {
	Entity   string
	EntityID string
	ActorID  int64
	// BeforeID pages backwards: only entries older than this id.
	BeforeID int64
	Limit    int
}

// List returns entries matching f, newest first.
func List(ctx context.Context, db bun.IDB, f Filter) ([]Entry, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	var out []Entry
	q := db.NewSelect().Model(&out).OrderExpr("id DESC").Limit(int64(f.Limit))
	if f.Entity != "" {
		q = q.Where("entity = ?", f.Entity)
	}
	if f.EntityID != "" {
		q = q.Where("entity_id = ?", f.EntityID)
	}
	if f.ActorID != 0 {
		q = q.Where("actor_id = ?", f.ActorID)
	}
	if f.BeforeID != 0 {
		q = q.Where("id < ?", f.BeforeID)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("audit: list: %w", err)
	}
	return out, nil
}

// Entities returns the distinct entity names in the trail, for filter menus.
func Entities(ctx context.Context, db bun.IDB) ([]string, error) {
	var out []string
	err := db.NewSelect().Table("audit_log").ColumnExpr("DISTINCT entity").OrderExpr("entity").Scan(ctx, &out)
	return out, err
}
