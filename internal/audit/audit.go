// Package audit writes and reads the append-only audit trail. Every state
// change records an entry in the same transaction as the change, so a rolled
// back change leaves no entry.
package audit

import (
	"context"
	"encoding/json"
	"time"

	"github.com/uptrace/bun"
)

// Actor is who causes a change: a user, or the system itself.
type Actor struct {
	UserID int64
	Label  string
}

// System is the actor of changes no person made (schedulers, demo data).
var System = Actor{Label: "system"}

type actorKey struct{}

// WithActor returns a context that carries the actor of the request.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor carried by ctx, or System.
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok {
		return a
	}
	return System
}

// Entry is one line of the trail.
type Entry struct {
	ID       int64           `bun:"id,pk,autoincrement" json:"id"`
	At       time.Time       `bun:"at" json:"at"`
	ActorID  *int64          `bun:"actor_id" json:"actor_id,omitempty"`
	Actor    string          `bun:"actor" json:"actor"`
	Entity   string          `bun:"entity" json:"entity"`
	EntityID string          `bun:"entity_id" json:"entity_id"`
	Action   string          `bun:"action" json:"action"`
	Before   json.RawMessage `bun:"before,type:jsonb,nullzero" json:"before,omitempty"`
	After    json.RawMessage `bun:"after,type:jsonb,nullzero" json:"after,omitempty"`

	bun.BaseModel `bun:"table:audit_log"`
}

// Change describes a state change to record.
type Change struct {
	Entity   string
	EntityID any
	Action   string
	Before   any
	After    any
}
