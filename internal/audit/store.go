package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
	"wholesale/internal/postgres"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// Record writes one entry for the change, by the actor carried in ctx, at now.
// Call it with the transaction that makes the change.
func Record(ctx context.Context, db bun.IDB, now time.Time, c Change) error {
	return RecordMany(ctx, db, now, []Change{c})
}

// RecordMany writes one entry per change in one statement, by the actor
// carried in ctx, at now. Call it with the transaction that makes the
// changes: in a use case's transaction (postgres.Tx) the entries travel
// with its commit, and are kept exactly when the changes are.
func RecordMany(ctx context.Context, db bun.IDB, now time.Time, cs []Change) error {
	if len(cs) == 0 {
		return nil
	}
	b := postgres.NewBatch(db)
	if err := addEntries(ctx, b, now, cs); err != nil {
		return err
	}
	if tx, ok := db.(*postgres.Tx); ok {
		return tx.AtCommit(ctx, b)
	}
	if err := b.Exec(ctx, db); err != nil {
		return fmt.Errorf("audit: record %s %s (%d changes): %w", cs[0].Entity, cs[0].Action, len(cs), err)
	}
	return nil
}

// insertEntries writes a use case's entries in one statement, prepared:
// every use case runs it.
var insertEntries = postgres.NewStmt("audit_insert", `INSERT INTO audit_log (at, actor_id, actor, entity, entity_id, action, before, after)
	SELECT ?0::timestamptz, NULLIF(?1::bigint, 0), ?2::text, x.entity, x.entity_id, x.action, NULLIF(x.before, '')::jsonb, NULLIF(x.after, '')::jsonb
	FROM unnest(?3::text[], ?4::text[], ?5::text[], ?6::text[], ?7::text[]) AS x(entity, entity_id, action, before, after)`)

// addEntries adds the insert of one entry per change to b.
func addEntries(ctx context.Context, b *postgres.Batch, now time.Time, cs []Change) error {
	actor := ActorFrom(ctx)
	n := len(cs)
	entity, entityID, action, before, after := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	for i, c := range cs {
		entity[i], entityID[i], action[i] = c.Entity, fmt.Sprint(c.EntityID), c.Action
		bf, err := toJSON(c.Before)
		if err != nil {
			return err
		}
		af, err := toJSON(c.After)
		if err != nil {
			return err
		}
		before[i], after[i] = string(bf), string(af)
	}
	A := pgdialect.Array
	b.Stmt(insertEntries, now.UTC(), actor.UserID, actor.Label, A(entity), A(entityID), A(action), A(before), A(after))
	return nil
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
	if f.Entity != "" && f.EntityID != "" && f.ActorID == 0 && f.BeforeID == 0 { // a thing's history, as its page shows it
		if err := postgres.ScanStmtIn(ctx, db, historyOf, []any{f.Entity, f.EntityID, f.Limit}, &out); err != nil {
			return nil, fmt.Errorf("audit: list: %w", err)
		}
		return out, nil
	}
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

// historyOf is prepared: the pages of orders, customers, returns and
// complaints show their newest entries.
var historyOf = postgres.NewStmt("audit_history_of", `SELECT `+postgres.Columns((*Entry)(nil), "a")+`
	FROM audit_log AS a WHERE a.entity = ?0 AND a.entity_id = ?1 ORDER BY a.id DESC LIMIT ?2::bigint`)

// Entities returns the distinct entity names in the trail, for filter menus.
func Entities(ctx context.Context, db bun.IDB) ([]string, error) {
	var out []string
	err := db.NewSelect().Table("audit_log").ColumnExpr("DISTINCT entity").OrderExpr("entity").Scan(ctx, &out)
	return out, err
}
