package web

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/apperr"
	"wholesale/internal/postgres"
)

// The statements of every keyed request, prepared once per connection.
var (
	claimKey = postgres.NewStmt("idempotency_claim", `INSERT INTO idempotency_keys (user_id, key, request_hash, created_at)
		VALUES (?0, ?1, ?2, ?3) ON CONFLICT (user_id, key) DO NOTHING`)
	storeAnswer = postgres.NewStmt("idempotency_answer", "UPDATE idempotency_keys SET status = ?0, body = ?1 WHERE user_id = ?2 AND key = ?3")
)

// idempotent makes a POST with an Idempotency-Key header safe to retry: the
// first request's answer is stored and every retry with the same key gets
// it again, so a retried create never makes a second order.
//
// The key is claimed, the request handled and its answer stored in one
// transaction, which the use case joins (postgres.RunInTx): the answer is
// kept exactly when the work is. A retry arriving while the first request
// runs waits at the claim and then gets the first answer. A refusal (4xx)
// is kept too, after its work is rolled back; an answer of 5xx is not kept,
// so the client may try again.
func (s *Server) idempotent(c *fiber.Ctx) error {
	key := c.Get("Idempotency-Key")
	u := currentUser(c)
	if key == "" || u == nil {
		return c.Next()
	}
	if len(key) > 200 {
		return apperr.FieldErrors{"Idempotency-Key": "Use at most 200 characters."}.Err()
	}
	sum := sha256.Sum256(append([]byte(c.Method()+" "+c.Path()+"\n"), c.Body()...))
	hash := hex.EncodeToString(sum[:])
	ctx := c.UserContext()
	tx, res, err := postgres.BeginWith(ctx, s.db, claimKey, u.ID, key, hash, time.Now().UTC())
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if n, _ := res.RowsAffected(); n == 0 {
		tx.Rollback(ctx)
		return s.replay(c, u.ID, key, hash)
	}
	c.SetUserContext(tx.With(ctx))
	err = c.Next()
	c.SetUserContext(ctx)
	if err != nil {
		if herr := s.App.ErrorHandler(c, err); herr != nil {
			return herr
		}
	}
	status := c.Response().StatusCode()
	body := append([]byte{}, c.Response().Body()...)
	if status < 400 {
		return tx.CommitWith(ctx, storeAnswer, status, body, u.ID, key)
	}
	tx.Rollback(ctx)
	if status >= 500 {
		return nil
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO idempotency_keys (user_id, key, request_hash, created_at, status, body)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, key) DO NOTHING`, u.ID, key, hash, time.Now().UTC(), status, body)
	return err
}

// replay answers a retry with the stored answer of the first request.
func (s *Server) replay(c *fiber.Ctx, userID int64, key, hash string) error {
	var stored struct {
		Hash   string `bun:"request_hash"`
		Status *int   `bun:"status"`
		Body   []byte `bun:"body"`
	}
	if err := s.db.NewSelect().Table("idempotency_keys").Column("request_hash", "status", "body").
		Where("user_id = ? AND key = ?", userID, key).Scan(c.UserContext(), &stored); err != nil {
		return err
	}
	switch {
	case stored.Hash != hash:
		return apperr.Invalidf("This Idempotency-Key was used for a different request.")
	case stored.Status == nil:
		return apperr.Conflictf("A request with this Idempotency-Key is still being processed; retry shortly.")
	}
	c.Set("Idempotent-Replayed", "true")
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Status(*stored.Status).Send(stored.Body)
}
