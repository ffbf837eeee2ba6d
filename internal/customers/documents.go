package customers

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/uptrace/bun"

	"wholesale/internal/i18n"
	"wholesale/internal/postgres"
)

// MaxUploadBytes is the largest file accepted: 10 MB.
const MaxUploadBytes = 10 << 20

// Document kinds.
const (
	DocVATStatement = "vat_statement"
	DocKvKExtract   = "kvk_extract"
	DocLetterhead   = "letterhead"
	DocSignedTerms  = "signed_terms"
	DocConfirmation = "confirmation"
)

// ApplicationDocKinds are the documents an application needs, in form order.
var ApplicationDocKinds = []string{DocVATStatement, DocKvKExtract, DocLetterhead, DocSignedTerms}

// DocLabel names a document kind for people.
func DocLabel(kind string) i18n.Message {
	switch kind {
	case DocVATStatement:
		return i18n.M("VAT statement (btw-verklaring / hoedanigheidsverklaring)")
	case DocKvKExtract:
		return i18n.M("KvK extract (uittreksel Kamer van Koophandel)")
	case DocLetterhead:
		return i18n.M("Letterhead with all contact and bank details")
	case DocSignedTerms:
		return i18n.M("Signed general terms")
	case DocConfirmation:
		return i18n.M("Written confirmation")
	}
	return i18n.Raw(kind)
}

// Upload is a file as it arrives from a form.
type Upload struct {
	Kind     string
	Filename string
	Content  []byte
	// Problem is why the form's reader refused the file whole (larger than
	// MaxUploadBytes, a control character in its name); CheckUpload reports it.
	Problem i18n.Message
}

// TooLargeMessage says a file is larger than MaxUploadBytes.
var TooLargeMessage = i18n.M("This file is larger than 10 MB. Scan it at a lower resolution or send a PDF.")

// Document is a stored upload; its content is in blobs, by SHA-256.
type Document struct {
	bun.BaseModel `bun:"table:documents,alias:d"`

	ID              int64     `bun:"id,pk,autoincrement" json:"id"`
	ApplicationID   *int64    `bun:"application_id" json:"application_id,omitempty"`
	ChangeRequestID *int64    `bun:"change_request_id" json:"change_request_id,omitempty"`
	OrderID         *int64    `bun:"order_id" json:"order_id,omitempty"`
	Kind            string    `bun:"kind" json:"kind"`
	Filename        string    `bun:"filename" json:"filename"`
	ContentType     string    `bun:"content_type" json:"content_type"`
	Size            int64     `bun:"size" json:"size"`
	SHA256          string    `bun:"sha256" json:"sha256"`
	UploadedAt      time.Time `bun:"uploaded_at" json:"uploaded_at"`
	UploadedBy      *int64    `bun:"uploaded_by" json:"uploaded_by,omitempty"`
}

// SniffType returns the type of a file judged by its first bytes, not its
// name: application/pdf, image/png or image/jpeg; "" for anything else.
func SniffType(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return "application/pdf"
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case bytes.HasPrefix(b, []byte("\xff\xd8\xff")):
		return "image/jpeg"
	}
	return ""
}

// CheckUpload says what is wrong with an upload, or "".
func CheckUpload(u Upload) i18n.Message {
	switch {
	case !u.Problem.IsZero():
		return u.Problem
	case len(u.Content) == 0:
		return i18n.M("Choose a file.")
	case len(u.Content) > MaxUploadBytes:
		return TooLargeMessage
	case SniffType(u.Content) == "":
		return i18n.M("Only PDF, PNG or JPEG files are accepted, judged by their content; this file is none of those.")
	}
	return i18n.Message{}
}

// FilenameMax is the longest stored file name, in characters.
const FilenameMax = 200

// cleanFilename keeps the base name of an upload as valid UTF-8 without
// control characters or quotes, at most FilenameMax characters (the end,
// with the extension, is kept).
func cleanFilename(name string) string {
	name = strings.ToValidUTF8(name, "")
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '"' || r == '\u2028' || r == '\u2029' {
			return -1
		}
		return r
	}, name)
	if name == "" || name == "." || name == "/" {
		name = "upload"
	}
	if r := []rune(name); len(r) > FilenameMax {
		name = string(r[len(r)-FilenameMax:])
	}
	return name
}

// Name is the upload's file name as it is stored: its base name, without
// control characters or quotes, at most FilenameMax characters.
func (u Upload) Name() string { return cleanFilename(u.Filename) }

// SHA256 is the hex SHA-256 of the upload's content, the key of its blob.
func (u Upload) SHA256() string {
	sum := sha256.Sum256(u.Content)
	return hex.EncodeToString(sum[:])
}

// Blob is what a document row records of a stored upload.
type Blob struct {
	Filename, ContentType, SHA256 string
	Size                          int64
}

// StoreBlob writes the upload's content with tx, once per SHA-256, and
// returns what a document row records of it: the documents of
// applications, change requests, orders and complaints share the blobs.
// The caller has checked the upload with CheckUpload.
func StoreBlob(ctx context.Context, tx bun.IDB, u Upload) (Blob, error) {
	b := Blob{Filename: u.Name(), ContentType: SniffType(u.Content), SHA256: u.SHA256(), Size: int64(len(u.Content))}
	_, err := tx.ExecContext(ctx, "INSERT INTO blobs (sha256, size, content) VALUES (?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
		b.SHA256, b.Size, u.Content)
	return b, err
}

// BlobContent returns the content stored under a SHA-256. Returns NotFound.
func BlobContent(ctx context.Context, db bun.IDB, sha string) ([]byte, error) {
	var b []byte
	err := db.NewSelect().Table("blobs").Column("content").Where("sha256 = ?", sha).Scan(ctx, &b)
	return b, postgres.Translate(err, i18n.M("Document"))
}

// storeDocument writes the upload's content (once per SHA-256) and its
// document row with tx. The caller has checked it with CheckUpload.
func storeDocument(ctx context.Context, tx bun.IDB, now time.Time, u Upload, d *Document) error {
	b, err := StoreBlob(ctx, tx, u)
	if err != nil {
		return err
	}
	d.Kind, d.Filename, d.ContentType, d.Size, d.SHA256, d.UploadedAt = u.Kind, b.Filename, b.ContentType, b.Size, b.SHA256, now
	_, err = tx.NewInsert().Model(d).ExcludeColumn("id").Returning("id").Exec(ctx)
	return err
}

// DocumentByID returns a document's record. Returns NotFound.
func DocumentByID(ctx context.Context, db bun.IDB, id int64) (*Document, error) {
	d := new(Document)
	err := db.NewSelect().Model(d).Where("d.id = ?", id).Scan(ctx)
	return d, postgres.Translate(err, i18n.M("Document"))
}

// DocumentContent returns the bytes of a document.
func DocumentContent(ctx context.Context, db bun.IDB, d *Document) ([]byte, error) {
	return BlobContent(ctx, db, d.SHA256)
}

// DocumentCompany returns the company whose users may see the document: the
// company made from its application, or the company of its change request; 0 when none.
func DocumentCompany(ctx context.Context, db bun.IDB, d *Document) (int64, error) {
	var id *int64
	var err error
	switch {
	case d.ApplicationID != nil:
		err = db.NewSelect().Table("applications").Column("company_id").Where("id = ?", *d.ApplicationID).Scan(ctx, &id)
	case d.ChangeRequestID != nil:
		err = db.NewSelect().Table("change_requests").Column("company_id").Where("id = ?", *d.ChangeRequestID).Scan(ctx, &id)
	case d.OrderID != nil:
		err = db.NewSelect().Table("orders").Column("company_id").Where("id = ?", *d.OrderID).Scan(ctx, &id)
	}
	if err != nil || id == nil {
		return 0, err
	}
	return *id, nil
}

// applicationDocuments returns an application's documents, oldest first.
func applicationDocuments(ctx context.Context, db bun.IDB, appID int64) ([]Document, error) {
	var out []Document
	err := db.NewSelect().Model(&out).Where("d.application_id = ?", appID).OrderExpr("d.id").Scan(ctx)
	return out, err
}

// StoreOrderDocument stores an upload (already checked) as a document of an order.
func StoreOrderDocument(ctx context.Context, tx bun.IDB, now time.Time, u Upload, orderID, by int64) (*Document, error) {
	d := &Document{OrderID: &orderID, UploadedBy: &by}
	return d, storeDocument(ctx, tx, now, u, d)
}
