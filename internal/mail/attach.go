package mail

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"wholesale/internal/i18n"
	"wholesale/internal/postgres"
)

// Attachment is a file sent with a mail: a stored invoice document by its
// id, or bytes.
type Attachment struct {
	Filename    string `bun:"filename"`
	ContentType string `bun:"content_type"`
	DocumentID  int64  `bun:"-"`
	Content     []byte `bun:"content"`
}

// EnqueueWithIn is EnqueueIn for a mail with attachments: its inserts join
// b, which the caller runs in its transaction.
func EnqueueWithIn(b *postgres.Batch, now time.Time, lang i18n.Lang, to, subject, body string, atts []Attachment) error {
	m, err := newMessage(now, to, subject, body, Footer(lang))
	if err != nil {
		return err
	}
	n := len(atts)
	names, types, docs := make([]string, n), make([]string, n), make([]int64, n)
	contents := make([][]byte, n)
	for i, a := range atts {
		names[i], types[i], docs[i], contents[i] = a.Filename, a.ContentType, a.DocumentID, a.Content
	}
	A := pgdialect.Array
	b.Raw(`WITH m AS (INSERT INTO outbox (to_address, subject, body, created_at, next_try_at) VALUES (?, ?, ?, ?, ?) RETURNING id)
		INSERT INTO outbox_attachments (outbox_id, position, filename, content_type, document_id, content)
		SELECT m.id, x.pos, x.name, x.type, NULLIF(x.doc, 0), CASE WHEN x.doc = 0 THEN x.content END
		FROM m, unnest(?::text[], ?::text[], ?::bigint[], ?::bytea[]) WITH ORDINALITY AS x(name, type, doc, content, pos)`,
		m.To, m.Subject, m.Body, m.CreatedAt, m.NextTryAt, A(names), A(types), A(docs), A(contents))
	return nil
}

// Attachments returns the files of mail id, in order.
func Attachments(ctx context.Context, db bun.IDB, id int64) ([]Attachment, error) {
	var out []Attachment
	err := db.NewRaw(`SELECT a.filename, a.content_type, COALESCE(a.content, d.content) AS content
		FROM outbox_attachments a LEFT JOIN invoice_documents d ON d.id = a.document_id
		WHERE a.outbox_id = ? ORDER BY a.position`, id).Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("mail: attachments of %d: %w", id, err)
	}
	return out, nil
}

// File names an attachment of a mail for people: name, type and size.
type File struct {
	Filename    string `bun:"filename"`
	ContentType string `bun:"content_type"`
	Size        int64  `bun:"size"`
}

// Files lists the attachments of mail id, in order, without their bytes.
func Files(ctx context.Context, db bun.IDB, id int64) ([]File, error) {
	var out []File
	err := db.NewRaw(`SELECT a.filename, a.content_type, octet_length(COALESCE(a.content, d.content)) AS size
		FROM outbox_attachments a LEFT JOIN invoice_documents d ON d.id = a.document_id
		WHERE a.outbox_id = ? ORDER BY a.position`, id).Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("mail: attachments of %d: %w", id, err)
	}
	return out, nil
}
