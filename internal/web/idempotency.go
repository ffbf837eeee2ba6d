package web

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/apperr"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
)

const idempotencyKey = "Idempotency-Key"

// The statements of every keyed request, prepared once per connection.
var (
	claimKey = postgres.NewStmt("idempotency_claim", `INSERT INTO idempotency_keys (user_id, key, request_hash, created_at)
		VALUES (?0, ?1, ?2, ?3) ON CONFLICT (user_id, key) DO NOTHING`)
	// authClaim authenticates an API token and claims the key for its user
	// in one statement, the first of the request's transaction.
	authClaim = postgres.NewStmt("idempotency_auth_claim", `WITH tu AS (`+users.TokenUserQuery+`),
		claim AS (INSERT INTO idempotency_keys (user_id, key, request_hash, created_at)
			SELECT id, ?1, ?2, ?3 FROM tu ON CONFLICT (user_id, key) DO NOTHING RETURNING 1)
		SELECT `+postgres.Columns((*users.User)(nil), "tu")+`, tu.token_id, tu.token_last_used, EXISTS (SELECT 1 FROM claim) AS claimed FROM tu`)
	storeAnswer = postgres.NewStmt("idempotency_answer", "UPDATE idempotency_keys SET status = ?0, body = ?1 WHERE user_id = ?2 AND key = ?3")
)

// keyedTx is the Locals key of the transaction bearerKeyed began.
const keyedTx = "idempotency-tx"

// checkKey refuses an Idempotency-Key too long to store.
func checkKey(key string) error {
	if len(key) > 200 {
		return apperr.FieldErrors{idempotencyKey: "Use at most 200 characters."}.Err()
	}
	return nil
}

// requestHash identifies a request's method, path and body: a key reused
// for another request is refused.
func requestHash(c *fiber.Ctx) string {
	sum := sha256.Sum256(append([]byte(c.Method()+" "+c.Path()+"\n"), c.Body()...))
	return hex.EncodeToString(sum[:])
}

// bearerKeyed authenticates an API POST that carries an Idempotency-Key
// and claims the key in the same round trip, the first of the request's
// transaction; idempotent carries on with that transaction.
func (s *Server) bearerKeyed(c *fiber.Ctx, token, key string) error {
	hash, err := users.TokenHash(token)
	if err != nil {
		return err
	}
	if err := checkKey(key); err != nil {
		return err
	}
	ctx := c.UserContext()
	reqHash := requestHash(c)
	var row struct {
		users.TokenUser `bun:",extend"`
		Claimed         bool `bun:"claimed"`
	}
	tx, err := postgres.BeginScan(ctx, s.db, authClaim, []any{hash, key, reqHash, time.Now().UTC()}, &row)
	if errors.Is(err, sql.ErrNoRows) {
		_, err = users.Authenticated(nil)
		return err
	}
	if err != nil {
		return err
	}
	defer func() {
		tx.Rollback(ctx) // a no-op once committed
		// Outside the transaction, on a connection of its own.
		if err := s.users.TouchToken(ctx, &row.TokenUser); err != nil {
			s.log.Warn("api token: recording its use", "err", err)
		}
	}()
	u, _ := users.Authenticated(&row.TokenUser)
	setUser(c, u)
	if !row.Claimed {
		tx.Rollback(ctx)
		return s.replay(c, u.ID, key, reqHash)
	}
	c.Locals(keyedTx, tx)
	return c.Next()
}

// idempotent makes a POST with an Idempotency-Key header safe to retry: the
// first request's answer is stored and every retry with the same key gets
// it again, so a retried create never makes a second order.
//
// The key is claimed, the request handled and its answer stored in one
// transaction, which the use case joins (postgres.RunInTx): the answer is
// kept exactly when the work is. A retry arriving while the first request
// runs waits at the claim and then gets the first answer. A refusal (4xx)
// is kept too, after its work is rolled back; an answer of 5xx is not kept,
// so the client may try again. For a bearer token the key was claimed
// already, with the authentication (bearerKeyed).
//
// When the use case meets another transaction (a serialization failure or
// deadlock, e.g. the stock it read changed before it booked it) the
// request runs again from the claim, pessimistically (postgres.Attempts).
func (s *Server) idempotent(h fiber.Handler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		key := c.Get(idempotencyKey)
		u := currentUser(c)
		if key == "" || u == nil {
			return h(c)
		}
		if err := checkKey(key); err != nil {
			return err
		}
		hash := requestHash(c)
		ctx := c.UserContext()
		tx, _ := c.Locals(keyedTx).(*postgres.ConnTx)
		defer func() {
			if tx != nil {
				tx.Rollback(ctx)
			}
		}()
		for attempt := 1; ; attempt++ {
			if tx == nil {
				var res sql.Result
				var err error
				tx, res, err = postgres.BeginWith(ctx, s.db, claimKey, u.ID, key, hash, time.Now().UTC())
				if err != nil {
					return err
				}
				if n, _ := res.RowsAffected(); n == 0 {
					tx.Rollback(ctx)
					return s.replay(c, u.ID, key, hash)
				}
			}
			actx := ctx
			if attempt > 1 {
				actx = postgres.Pessimistically(ctx)
			}
			c.SetUserContext(tx.With(actx))
			err := h(c)
			c.SetUserContext(ctx)
			again := attempt < postgres.Attempts
			if again && postgres.Retryable(err) {
				tx.Rollback(ctx)
				tx = nil
				resetResponse(c)
				continue
			}
			if err != nil {
				if herr := s.App.ErrorHandler(c, err); herr != nil {
					return herr
				}
			}
			status := c.Response().StatusCode()
			body := append([]byte{}, c.Response().Body()...)
			if status < 400 {
				err := tx.CommitWith(ctx, storeAnswer, status, body, u.ID, key)
				if again && postgres.Retryable(err) {
					tx = nil // rolled back
					resetResponse(c)
					continue
				}
				return err
			}
			tx.Rollback(ctx)
			if status >= 500 {
				return nil
			}
			_, err = s.db.ExecContext(ctx, `INSERT INTO idempotency_keys (user_id, key, request_hash, created_at, status, body)
				VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, key) DO NOTHING`, u.ID, key, hash, time.Now().UTC(), status, body)
			return err
		}
	}
}

// resetResponse forgets the answer of an attempt that runs again.
func resetResponse(c *fiber.Ctx) {
	c.Response().ResetBody()
	c.Response().Header.Del(fiber.HeaderLocation)
	c.Status(fiber.StatusOK)
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
