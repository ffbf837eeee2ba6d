package web

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/apperr"
)

// idempotent makes a POST with an Idempotency-Key header safe to retry: the
// first request's answer is stored and every retry with the same key gets
// it again, so a retried create never makes a second order. The key is
// claimed before the handler runs, so concurrent retries cannot both run.
// An answer of 5xx is not kept: the client may try again.
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
	res, err := s.db.ExecContext(ctx, `INSERT INTO idempotency_keys (user_id, key, request_hash, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (user_id, key) DO NOTHING`, u.ID, key, hash, time.Now().UTC())
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		var stored struct {
			Hash   string `bun:"request_hash"`
			Status *int   `bun:"status"`
			Body   []byte `bun:"body"`
		}
		if err := s.db.NewSelect().Table("idempotency_keys").Column("request_hash", "status", "body").
			Where("user_id = ? AND key = ?", u.ID, key).Scan(ctx, &stored); err != nil {
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
	if err := c.Next(); err != nil {
		if herr := s.App.ErrorHandler(c, err); herr != nil {
			return herr
		}
	}
	status := c.Response().StatusCode()
	if status >= 500 {
		_, err = s.db.ExecContext(ctx, "DELETE FROM idempotency_keys WHERE user_id = ? AND key = ?", u.ID, key)
		return err
	}
	_, err = s.db.ExecContext(ctx, "UPDATE idempotency_keys SET status = ?, body = ? WHERE user_id = ? AND key = ?",
		status, append([]byte{}, c.Response().Body()...), u.ID, key)
	return err
}
