package users

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/i18n"
	"wholesale/internal/postgres"
	"wholesale/internal/validate"
)

// TokenNameMax is the longest name of an API token, in characters.
const TokenNameMax = 100

// TokenPrefix starts every API token, so a leaked one is easy to recognise.
const TokenPrefix = "whs_"

// Token is a bearer token for the JSON API. Only its SHA-256 is stored.
type Token struct {
	ID            int64      `bun:"id,pk,autoincrement" json:"id"`
	UserID        int64      `bun:"user_id" json:"-"`
	Name          string     `bun:"name" json:"name"`
	Prefix        string     `bun:"prefix" json:"prefix"`
	TokenHash     string     `bun:"token_hash" json:"-"`
	CreatedAt     time.Time  `bun:"created_at" json:"created_at"`
	LastUsedAt    *time.Time `bun:"last_used_at" json:"last_used_at,omitempty"`
	RevokedAt     *time.Time `bun:"revoked_at" json:"revoked_at,omitempty"`
	bun.BaseModel `bun:"table:api_tokens"`
}

func hashToken(plain string) string {
	sum := sha256.Sum256([]byte(plain))
	return hex.EncodeToString(sum[:])
}

// CreateToken makes a token for the user and returns its plain text, which
// is shown once and never stored. Returns Invalid for an empty name or one
// that is not a line of at most TokenNameMax characters.
func (s *Service) CreateToken(ctx context.Context, userID int64, name string) (string, *Token, error) {
	name = strings.TrimSpace(name)
	fe := apperr.FieldErrors{}
	if name == "" {
		fe.Add("name", i18n.M("Name the token, e.g. after the program that uses it."))
	}
	validate.Line(fe, "name", name, TokenNameMax)
	if err := fe.Err(); err != nil {
		return "", nil, err
	}
	raw := make([]byte, 24)
	if _, err := rand.Read(raw); err != nil {
		return "", nil, err
	}
	plain := TokenPrefix + hex.EncodeToString(raw)
	t := &Token{UserID: userID, Name: name, Prefix: plain[:len(TokenPrefix)+6], TokenHash: hashToken(plain), CreatedAt: s.Clock.Now()}
	err := postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		if _, err := tx.NewInsert().Model(t).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, t.CreatedAt, audit.Change{Entity: "api_token", EntityID: t.ID, Action: "create",
			After: map[string]any{"user_id": userID, "name": name, "prefix": t.Prefix}})
	})
	if err != nil {
		return "", nil, err
	}
	return plain, t, nil
}

// Tokens returns the user's tokens, newest first.
func (s *Service) Tokens(ctx context.Context, userID int64) ([]Token, error) {
	var out []Token
	err := s.DB.NewSelect().Model(&out).Where("user_id = ?", userID).OrderExpr("id DESC").Scan(ctx)
	return out, err
}

// RevokeToken ends one of the user's tokens. Returns NotFound when the user
// has no such token.
func (s *Service) RevokeToken(ctx context.Context, userID, tokenID int64) error {
	return postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		now := s.Clock.Now()
		res, err := tx.NewUpdate().Model((*Token)(nil)).Set("revoked_at = ?", now).
			Where("id = ? AND user_id = ? AND revoked_at IS NULL", tokenID, userID).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.NotFoundf("Token not found.")
		}
		return audit.Record(ctx, tx, now, audit.Change{Entity: "api_token", EntityID: tokenID, Action: "revoke"})
	})
}

// revokeTokensOf revokes every live token of the user with tx, with an
// audit entry for each.
func revokeTokensOf(ctx context.Context, tx bun.IDB, userID int64, now time.Time) error {
	var revoked []int64
	err := tx.NewUpdate().Model((*Token)(nil)).Set("revoked_at = ?", now).
		Where("user_id = ? AND revoked_at IS NULL", userID).Returning("id").Scan(ctx, &revoked)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	for _, id := range revoked {
		if err := audit.Record(ctx, tx, now, audit.Change{Entity: "api_token", EntityID: id, Action: "revoke",
			After: map[string]any{"user_id": userID, "reason": "user deactivated"}}); err != nil {
			return err
		}
	}
	return nil
}

// TokenUserQuery reads the active user of an unrevoked token by the
// token's hash (?0), with the token's id and when it was last used: the
// columns of TokenUser. A statement that authenticates along with other
// work may embed it.
var TokenUserQuery = `SELECT ` + postgres.Columns((*User)(nil), "u") + `, t.id AS token_id, t.last_used_at AS token_last_used
	FROM users AS u JOIN api_tokens AS t ON t.user_id = u.id
	WHERE t.token_hash = ?0 AND t.revoked_at IS NULL AND u.active`

// tokenUser is prepared: every API request runs it.
var tokenUser = postgres.NewStmt("users_token_user", TokenUserQuery)

// TokenUser is a row of TokenUserQuery.
type TokenUser struct {
	User     `bun:",extend"`
	TokenID  int64      `bun:"token_id"`
	LastUsed *time.Time `bun:"token_last_used"`
}

// TokenHash is the stored form of a plain token, the argument of
// TokenUserQuery. Returns Unauthenticated for what cannot be a token.
func TokenHash(plain string) (string, error) {
	if !strings.HasPrefix(plain, TokenPrefix) {
		return "", apperr.Unauthenticatedf("The API token is not valid.")
	}
	return hashToken(plain), nil
}

// Authenticate returns the active user owning the plain token. Returns
// Unauthenticated for an unknown, revoked or inactive one.
func (s *Service) Authenticate(ctx context.Context, plain string) (*User, error) {
	hash, err := TokenHash(plain)
	if err != nil {
		return nil, err
	}
	var row TokenUser
	err = postgres.ScanStmt(ctx, s.DB, tokenUser, []any{hash}, &row)
	if errors.Is(err, sql.ErrNoRows) {
		return Authenticated(nil)
	}
	if err != nil {
		return nil, err
	}
	if err := s.TouchToken(ctx, &row); err != nil {
		return nil, err
	}
	return Authenticated(&row)
}

// Authenticated is the user a TokenUserQuery row authenticates (nil: no
// row). Returns Unauthenticated without a row.
func Authenticated(row *TokenUser) (*User, error) {
	if row == nil {
		return nil, apperr.Unauthenticatedf("The API token is not valid.")
	}
	return &row.User, nil
}

// TouchToken records that the token of row was used. When a token was last
// used is bookkeeping, kept to the minute, not a state change worth an
// audit entry or a write per request. It writes on a connection of its
// own: call it outside the request's transaction.
func (s *Service) TouchToken(ctx context.Context, row *TokenUser) error {
	now := s.Clock.Now()
	if row.LastUsed != nil && now.Sub(*row.LastUsed) <= time.Minute {
		return nil
	}
	_, err := s.DB.NewUpdate().Model((*Token)(nil)).Set("last_used_at = ?", now).Where("id = ?", row.TokenID).Exec(ctx)
	return err
}
