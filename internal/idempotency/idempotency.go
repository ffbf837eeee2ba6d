// Package idempotency makes a use case safe to retry: a client that sends a
// key with a request gets, for every retry with that key, the answer of the
// first request, and the work is done once.
//
// The key is claimed, the use case run and its answer stored in one
// transaction: the answer is kept exactly when the work is. A retry that
// arrives while the first request runs waits at the claim and then gets the
// first answer. A refusal (an apperr kind other than Internal) is kept too,
// after the work is rolled back; an internal error is not, so the client
// may try again.
package idempotency

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
	"wholesale/internal/i18n"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/postgres"
)

// Field is the name under which a bad key is reported: the HTTP header that
// carries it.
const Field = "Idempotency-Key"

// MaxLen is the longest key accepted.
const MaxLen = 200

// Key is one client's key for one request.
type Key struct {
	UserID int64
	// Value is the key the client sent.
	Value string
	// Request is a fingerprint of what was asked (for HTTP: method, path
	// and body): a key used again for another request is refused.
	Request string
	// Replayed is set when the answer is the stored one of an earlier request.
	Replayed bool
}

// Validate checks the key: 1 to MaxLen visible ASCII characters. Returns Invalid.
func (k *Key) Validate() error {
	if k.Value == "" || len(k.Value) > MaxLen {
		return apperr.FieldErrors{Field: i18n.M("Send a key of 1 to %d characters.", MaxLen)}.Err()
	}
	for i := 0; i < len(k.Value); i++ {
		if c := k.Value[i]; c < 0x21 || c > 0x7e {
			return apperr.FieldErrors{Field: i18n.M("A key is made of visible ASCII characters (letters, digits, - _ . and the like), without spaces or control characters.")}.Err()
		}
	}
	return nil
}

var (
	// claim fails with a unique violation when the key was claimed before;
	// it waits for a claim not yet committed.
	claim = postgres.NewStmt("idempotency_claim", `INSERT INTO idempotency_keys (user_id, key, request_hash, created_at)
		VALUES (?0, ?1, ?2, ?3)`)
	storeResult = postgres.NewStmt("idempotency_result", "UPDATE idempotency_keys SET result = ?0::jsonb WHERE user_id = ?1 AND key = ?2")
)

// errClaimed says the key was claimed by an earlier request.
var errClaimed = errors.New("idempotency: key claimed already")

// Run runs fn once per key: in one transaction (postgres.Run, Retrying)
// with the key's claim, which travels with its first statement, and its
// result, which travels with its commit. For a key claimed before, fn's
// first statement fails and nothing of fn is kept: fn must do nothing
// outside its transaction. For a key seen before it returns
// the stored answer (result or refusal) and sets k.Replayed. Returns
// Invalid for a bad key or a key used for another request, Conflict while
// an earlier request with the key has not ended, and what fn returns.
func Run[T any](ctx context.Context, db *bun.DB, now time.Time, k *Key, fn func(ctx context.Context, tx *postgres.Tx) (T, error)) (T, error) {
	var zero, out T
	if err := k.Validate(); err != nil {
		return zero, err
	}
	err := postgres.Run(ctx, db, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		if err := tx.First(ctx, postgres.NewBatch(tx).Stmt(claim, k.UserID, k.Value, k.Request, now.UTC())); err != nil {
			return err
		}
		v, err := fn(ctx, tx)
		if postgres.IsUniqueViolation(tx.FirstErr(), "idempotency_keys_pkey") {
			return errClaimed
		}
		if err != nil {
			return err
		}
		result, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("idempotency: encode the result: %w", err)
		}
		out = v
		return tx.AtCommit(ctx, postgres.NewBatch(tx).Stmt(storeResult, string(result), k.UserID, k.Value))
	})
	switch {
	case err == nil:
		return out, nil
	case errors.Is(err, errClaimed):
		return replay[T](ctx, db, k)
	case apperr.KindOf(err) == apperr.Internal:
		return zero, err // not kept: the client may try again
	}
	kept, serr := keepRefusal(ctx, db, now, k, err)
	if serr != nil {
		return zero, serr
	}
	if !kept { // the key was claimed meanwhile, or before this request sent anything
		return replay[T](ctx, db, k)
	}
	return zero, err
}

// refusal is a stored apperr.
type refusal struct {
	Kind    apperr.Kind             `json:"kind"`
	Message i18n.Message            `json:"message"`
	Fields  map[string]i18n.Message `json:"fields,omitempty"`
}

// keepRefusal stores the refusal err as the key's answer, unless the key
// has one; it reports whether it stored it.
func keepRefusal(ctx context.Context, db bun.IDB, now time.Time, k *Key, err error) (bool, error) {
	ae, _ := apperr.As(err)
	doc, jerr := json.Marshal(refusal{Kind: ae.Kind, Message: ae.Msg, Fields: ae.Fields})
	if jerr != nil {
		return false, jerr
	}
	res, xerr := db.ExecContext(ctx, `INSERT INTO idempotency_keys (user_id, key, request_hash, created_at, error)
		VALUES (?, ?, ?, ?, ?::jsonb) ON CONFLICT (user_id, key) DO NOTHING`, k.UserID, k.Value, k.Request, now.UTC(), string(doc))
	if xerr != nil {
		return false, xerr
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// replay returns the stored answer of the key.
func replay[T any](ctx context.Context, db bun.IDB, k *Key) (T, error) {
	var zero T
	var stored struct {
		Request string          `bun:"request_hash"`
		Result  json.RawMessage `bun:"result"`
		Error   json.RawMessage `bun:"error"`
	}
	err := db.NewSelect().Table("idempotency_keys").Column("request_hash", "result", "error").
		Where("user_id = ? AND key = ?", k.UserID, k.Value).Scan(ctx, &stored)
	if errors.Is(err, sql.ErrNoRows) {
		// The earlier request's claim was rolled back between our two looks.
		return zero, apperr.Conflictf("A request with this Idempotency-Key has just failed; send it again.")
	}
	if err != nil {
		return zero, err
	}
	switch {
	case stored.Request != k.Request:
		return zero, apperr.FieldErrors{Field: i18n.M("This key was used for a different request: use a new key for a new request.")}.Err()
	case stored.Result != nil:
		var v T
		if err := json.Unmarshal(stored.Result, &v); err != nil {
			return zero, fmt.Errorf("idempotency: decode the stored result: %w", err)
		}
		k.Replayed = true
		return v, nil
	case stored.Error != nil:
		var r refusal
		if err := json.Unmarshal(stored.Error, &r); err != nil {
			return zero, fmt.Errorf("idempotency: decode the stored refusal: %w", err)
		}
		k.Replayed = true
		return zero, &apperr.Error{Kind: r.Kind, Msg: r.Message, Fields: r.Fields}
	}
	return zero, apperr.Conflictf("A request with this Idempotency-Key is still being processed; retry shortly.")
}
