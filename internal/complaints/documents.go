package complaints

import (
	"context"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
)

// Documents are attached under the upload rules of applications
// (customers.CheckUpload): PDF, PNG or JPEG judged by their content, at
// most customers.MaxUploadBytes each.
const (
	// MaxFiles is how many files one form attaches.
	MaxFiles = 5
	// MaxDocuments is how many documents a complaint holds.
	MaxDocuments = 20
)

// DocumentsField is the form field of a complaint's documents, where their
// messages go.
const DocumentsField = "documents"

// Document is a file attached to a complaint: a photo of the damage, a
// scan, a mail saved as PDF. Its content is in the blobs, by SHA-256.
type Document struct {
	bun.BaseModel `bun:"table:complaint_documents,alias:cd"`

	ID          int64     `bun:"id,pk,autoincrement" json:"id"`
	ComplaintID int64     `bun:"complaint_id" json:"-"`
	Filename    string    `bun:"filename" json:"filename"`
	ContentType string    `bun:"content_type" json:"content_type"`
	Size        int64     `bun:"size" json:"size"`
	SHA256      string    `bun:"sha256" json:"-"`
	UploadedAt  time.Time `bun:"uploaded_at" json:"uploaded_at"`
	UploadedBy  int64     `bun:"uploaded_by" json:"-"`
}

// FileResult is the outcome of a complaint form.
type FileResult struct {
	Complaint *Complaint
	// Stash is the token under which the good files of a refused form
	// are kept, so that it can be sent again without choosing them again;
	// Kept names those files.
	Stash string
	Kept  []string
}

// FileForm files a complaint as File does, with the documents of the form
// attached in the same transaction: the files kept under in.Stash and the
// new ones of in.Documents. When the form is refused (Invalid) its good
// new files are kept under res.Stash for a day (customers.StashTTL); a
// refused file, or a form with too many, is kept nowhere. Returns
// Forbidden, NotFound, Invalid.
func (s *Service) FileForm(ctx context.Context, by *users.User, in FileInput) (FileResult, error) {
	res := FileResult{Stash: in.Stash}
	kept, err := s.kept(ctx, in.Stash)
	if err != nil {
		return res, err
	}
	att := checkFiles(kept, in.Documents, MaxFiles)
	c, err := s.file(ctx, by, in, att)
	if err == nil {
		return FileResult{Complaint: c}, nil
	}
	files := kept
	if apperr.KindOf(err) == apperr.Invalid && len(att.fresh) > 0 {
		var serr error
		if res.Stash, serr = customers.Stash(ctx, s.DB, s.now(), in.Stash, att.fresh); serr != nil {
			return res, serr
		}
		files = att.files
	}
	for _, u := range files {
		res.Kept = append(res.Kept, u.Name())
	}
	return res, err
}

// stashPrefix begins the key of a complaint's file kept in the stash.
const stashPrefix = "complaint_"

// kept returns the complaint files kept under token.
func (s *Service) kept(ctx context.Context, token string) ([]customers.Upload, error) {
	all, err := customers.Stashed(ctx, s.DB, s.now(), token)
	var out []customers.Upload
	for _, u := range all {
		if strings.HasPrefix(u.Kind, stashPrefix) {
			out = append(out, u)
		}
	}
	return out, err
}

// attachments are the files of a form: the ones kept from an earlier try,
// then the good new ones (fresh), each with its stash key in Kind; and
// the messages of the refused ones.
type attachments struct {
	files, fresh []customers.Upload
	problems     apperr.FieldErrors
}

// checkFiles checks new uploads after the files kept: each must pass
// customers.CheckUpload (a refused one is named in the message at
// DocumentsField), and together they are at most limit, or none of the
// new ones is taken. A file chosen twice counts once.
func checkFiles(kept, uploads []customers.Upload, limit int) attachments {
	att := attachments{files: kept, problems: apperr.FieldErrors{}}
	seen := map[string]bool{}
	for _, u := range kept {
		seen[u.Kind] = true
	}
	var fresh []customers.Upload
	for _, u := range uploads {
		if len(u.Content) == 0 && u.Problem.IsZero() {
			continue // an empty file input
		}
		if msg := customers.CheckUpload(u); !msg.IsZero() {
			att.problems.Add(DocumentsField, i18n.M("%s: %s", u.Name(), msg))
			continue
		}
		if u.Kind = stashPrefix + u.SHA256()[:32]; !seen[u.Kind] {
			seen[u.Kind] = true
			fresh = append(fresh, u)
		}
	}
	if n := len(kept) + len(fresh); n > limit {
		att.problems[DocumentsField] = i18n.M("Attach at most %d files at a time; these are %d.", limit, n)
		return att
	}
	att.fresh = fresh
	att.files = append(append([]customers.Upload{}, kept...), fresh...)
	return att
}

// attach stores files as documents of complaint c with tx, each with an
// entry in the audit trail.
func (s *Service) attach(ctx context.Context, tx bun.IDB, by *users.User, c *Complaint, files []customers.Upload) error {
	now := s.now()
	for _, u := range files {
		b, err := customers.StoreBlob(ctx, tx, u)
		if err != nil {
			return err
		}
		d := &Document{ComplaintID: c.ID, Filename: b.Filename, ContentType: b.ContentType, Size: b.Size, SHA256: b.SHA256,
			UploadedAt: now, UploadedBy: by.ID}
		if _, err := tx.NewInsert().Model(d).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Change{Entity: "complaint", EntityID: c.ID, Action: ActDocument,
			After: map[string]any{"document_id": d.ID, "filename": d.Filename, "size": d.Size, "sha256": d.SHA256}}); err != nil {
			return err
		}
	}
	return nil
}

// AddDocuments attaches files to an open complaint (one that waits for
// an answer of ours), in one transaction with an entry in the audit trail
// each: a customer's user to its company's complaints, staff to the ones
// they see. At most MaxFiles at a time, and MaxDocuments in all. Returns
// NotFound, Invalid, Conflict.
func (s *Service) AddDocuments(ctx context.Context, by *users.User, id int64, uploads []customers.Upload) (*Complaint, error) {
	att := checkFiles(nil, uploads, MaxFiles)
	if len(att.files) == 0 {
		att.problems.Add(DocumentsField, i18n.M("Choose at least one file."))
	}
	if err := att.problems.Err(); err != nil {
		return nil, err
	}
	return s.onComplaint(ctx, by, id, ActDocument, func(ctx context.Context, tx *postgres.Tx, c *Complaint) error {
		var n int
		err := tx.NewSelect().Model((*Document)(nil)).ColumnExpr("count(*)").Where("cd.complaint_id = ?", c.ID).Scan(ctx, &n)
		if err != nil {
			return err
		}
		if n+len(att.files) > MaxDocuments {
			return apperr.FieldErrors{DocumentsField: i18n.M("A complaint holds at most %d documents; this one has %d.", MaxDocuments, n)}.Err()
		}
		return s.attach(ctx, tx, by, c, att.files)
	})
}

// DocumentsOf are a complaint's documents, oldest first.
func DocumentsOf(ctx context.Context, db bun.IDB, id int64) ([]Document, error) {
	var out []Document
	err := db.NewSelect().Model(&out).Where("cd.complaint_id = ?", id).OrderExpr("cd.id").Scan(ctx)
	return out, err
}

// Document returns document docID of complaint id with its content, when
// by may see the complaint. Returns NotFound.
func (s *Service) Document(ctx context.Context, by *users.User, id, docID int64) (*Document, []byte, error) {
	if _, err := s.Get(ctx, by, id); err != nil {
		return nil, nil, err
	}
	d := new(Document)
	if err := s.DB.NewSelect().Model(d).Where("cd.id = ? AND cd.complaint_id = ?", docID, id).Scan(ctx); err != nil {
		return nil, nil, postgres.Translate(err, i18n.M("Document"))
	}
	b, err := customers.BlobContent(ctx, s.DB, d.SHA256)
	if err != nil {
		return nil, nil, err
	}
	return d, b, nil
}
