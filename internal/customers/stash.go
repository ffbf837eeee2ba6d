package customers

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/postgres"
)

// StashTTL is how long the good files of a refused form are kept, so that
// the form can be sent again without choosing them again.
const StashTTL = 24 * time.Hour

// Stashed returns the files kept under token that are younger than
// StashTTL, oldest first, each with the key it was kept under in Kind (an
// application's kind of document, a complaint's file).
func Stashed(ctx context.Context, db bun.IDB, now time.Time, token string) ([]Upload, error) {
	if token == "" {
		return nil, nil
	}
	var rows []struct {
		Kind     string `bun:"kind"`
		Filename string `bun:"filename"`
		Content  []byte `bun:"content"`
	}
	err := db.NewSelect().Table("upload_stash").Column("kind", "filename", "content").
		Where("token = ? AND created_at > ?", token, now.Add(-StashTTL)).OrderExpr("created_at, kind").Scan(ctx, &rows)
	out := make([]Upload, len(rows))
	for i, r := range rows {
		out[i] = Upload{Kind: r.Kind, Filename: r.Filename, Content: r.Content}
	}
	return out, err
}

// stashedByKind returns the files kept under token by their key: an
// application's by kind of document.
func stashedByKind(ctx context.Context, db bun.IDB, now time.Time, token string) (map[string]Upload, error) {
	files, err := Stashed(ctx, db, now, token)
	out := make(map[string]Upload, len(files))
	for _, u := range files {
		out[u.Kind] = u
	}
	return out, err
}

// Stash keeps good files of a refused form for StashTTL under token (a new
// one when token is empty), each under its Kind (a file kept under the
// same key is replaced), and returns the token. Stashes older than
// StashTTL are swept on the way.
func Stash(ctx context.Context, db *bun.DB, now time.Time, token string, files []Upload) (string, error) {
	if token == "" {
		token = randomToken()
	}
	err := postgres.Run(ctx, db, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM upload_stash WHERE created_at < ?", now.Add(-StashTTL)); err != nil {
			return err
		}
		for _, u := range files {
			_, err := tx.ExecContext(ctx, `INSERT INTO upload_stash (token, kind, filename, content_type, content, created_at)
				VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (token, kind) DO UPDATE
				SET filename = EXCLUDED.filename, content_type = EXCLUDED.content_type, content = EXCLUDED.content, created_at = EXCLUDED.created_at`,
				token, u.Kind, u.Name(), SniffType(u.Content), u.Content, now)
			if err != nil {
				return err
			}
		}
		return nil
	})
	return token, err
}

// Unstash deletes the files kept under token with tx, once the form they
// were kept for is stored.
func Unstash(ctx context.Context, tx bun.IDB, token string) error {
	if token == "" {
		return nil
	}
	_, err := tx.ExecContext(ctx, "DELETE FROM upload_stash WHERE token = ?", token)
	return err
}
