package customers

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/clock"
	"wholesale/internal/i18n"
	"wholesale/internal/ident"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
)

func lockApplication(ctx context.Context, tx bun.IDB, id int64) (*Application, error) {
	a := new(Application)
	err := tx.NewSelect().Model(a).Where("a.id = ?", id).For("UPDATE").Scan(ctx)
	return a, postgres.Translate(err, i18n.M("Application"))
}

// lockOpenApplication locks an application that is still being decided.
// Returns NotFound, Conflict (decided already).
func lockOpenApplication(ctx context.Context, tx bun.IDB, id int64) (*Application, error) {
	a, err := lockApplication(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if !Open(a.Status) {
		return nil, apperr.Conflictf("This application is %s already.", AppStatusLabel(a.Status))
	}
	return a, nil
}

// ApplicationByID returns an application. Returns NotFound.
func ApplicationByID(ctx context.Context, db bun.IDB, id int64) (*Application, error) {
	a := new(Application)
	err := db.NewSelect().Model(a).Where("a.id = ?", id).Scan(ctx)
	return a, postgres.Translate(err, i18n.M("Application"))
}

// QueueItem is an application as the vetting queue shows it.
type QueueItem struct {
	ID          int64     `bun:"id"`
	Status      string    `bun:"status"`
	Source      string    `bun:"source"`
	CompanyName string    `bun:"company_name"`
	KvK         string    `bun:"kvk"`
	VATID       string    `bun:"vat_id"`
	CreatedAt   time.Time `bun:"created_at"`
	Duplicate   bool      `bun:"duplicate"`
	Waited      time.Duration
}

// Queue returns the applications with status (all open ones when empty),
// oldest first, with how long each has waited and whether it is a duplicate.
func (s *Service) Queue(ctx context.Context, status string) ([]QueueItem, error) {
	var out []QueueItem
	q := s.DB.NewSelect().TableExpr("applications AS a").
		ColumnExpr("a.id, a.status, a.source, a.company_name, a.kvk, a.vat_id, a.created_at").
		ColumnExpr(`EXISTS (SELECT 1 FROM companies c WHERE c.kvk = a.kvk OR c.vat_id = a.vat_id)
			OR EXISTS (SELECT 1 FROM applications o WHERE o.id <> a.id AND o.status IN ('new', 'in_review', 'waiting')
				AND (o.kvk = a.kvk OR o.vat_id = a.vat_id)) AS duplicate`).
		OrderExpr("a.created_at, a.id").Limit(500)
	if status == "" {
		q = q.Where("a.status IN ('new', 'in_review', 'waiting')")
	} else {
		q = q.Where("a.status = ?", status)
	}
	if err := q.Scan(ctx, &out); err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	for i := range out {
		out[i].Waited = now.Sub(out[i].CreatedAt)
	}
	return out, nil
}

// Duplicates says which customers and open applications share the
// application's KvK number or VAT id.
func Duplicates(ctx context.Context, db bun.IDB, a *Application) ([]i18n.Message, error) {
	var out []i18n.Message
	var cs []Company
	if err := db.NewSelect().Model(&cs).Where("co.kvk = ? OR co.vat_id = ?", a.KvK, a.VATID).OrderExpr("co.id").Scan(ctx); err != nil {
		return nil, err
	}
	for _, c := range cs {
		switch kvk, vat := c.KvK == a.KvK, c.VATID == a.VATID; {
		case kvk && vat:
			out = append(out, i18n.M("Customer %s (#%d) has the same KvK number and VAT id.", c.Name, c.ID))
		case kvk:
			out = append(out, i18n.M("Customer %s (#%d) has the same KvK number.", c.Name, c.ID))
		default:
			out = append(out, i18n.M("Customer %s (#%d) has the same VAT id.", c.Name, c.ID))
		}
	}
	var as []Application
	if err := db.NewSelect().Model(&as).Where("a.id <> ? AND a.status IN ('new', 'in_review', 'waiting')", a.ID).
		Where("(a.kvk = ? OR a.vat_id = ?)", a.KvK, a.VATID).OrderExpr("a.id").Scan(ctx); err != nil {
		return nil, err
	}
	for _, o := range as {
		switch kvk, vat := o.KvK == a.KvK, o.VATID == a.VATID; {
		case kvk && vat:
			out = append(out, i18n.M("Open application A-%d of %s has the same KvK number and VAT id.", o.ID, o.CompanyName))
		case kvk:
			out = append(out, i18n.M("Open application A-%d of %s has the same KvK number.", o.ID, o.CompanyName))
		default:
			out = append(out, i18n.M("Open application A-%d of %s has the same VAT id.", o.ID, o.CompanyName))
		}
	}
	return out, nil
}

// ApplicationView is everything the vetting page shows of an application.
type ApplicationView struct {
	App        *Application
	Documents  []Document
	Items      []CheckItem
	Checks     map[string]Check
	Duplicates []i18n.Message
	Missing    []i18n.Message
}

// View returns an application with its documents, checklist and flags.
// Returns NotFound.
func (s *Service) View(ctx context.Context, id int64) (*ApplicationView, error) {
	a, err := ApplicationByID(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	v := &ApplicationView{App: a, Items: Checklist(a), Checks: map[string]Check{}}
	if v.Documents, err = applicationDocuments(ctx, s.DB, id); err != nil {
		return nil, err
	}
	var checks []struct {
		Check       `bun:",extend"`
		CheckerName string `bun:"checker_name"`
	}
	err = s.DB.NewSelect().Model(&checks).ColumnExpr("ac.*, u.name AS checker_name").
		Join("JOIN users AS u ON u.id = ac.checked_by").Where("ac.application_id = ?", id).Scan(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range checks {
		c.Check.CheckerName = c.CheckerName
		v.Checks[c.Item] = c.Check
	}
	if v.Duplicates, err = Duplicates(ctx, s.DB, a); err != nil {
		return nil, err
	}
	v.Missing = Missing(v.Items, v.Checks)
	return v, nil
}

// CheckInput is a verdict on one checklist item as entered by sales.
type CheckInput struct {
	Item   string
	Passed bool
	Note   string
	// KvKExtractDate is the date printed on the KvK extract (2006-01-02), for the recency item.
	KvKExtractDate string
}

// RecordCheck passes or fails one checklist item, by the acting sales user.
// An item about a document passes only when the document is there, the KvK
// item only with an extract date within 6 months, the VIES item only with a
// valid VIES answer; failing needs a note. Returns NotFound, Invalid, Conflict.
func (s *Service) RecordCheck(ctx context.Context, by *users.User, appID int64, in CheckInput) error {
	if err := in.Validate().Err(); err != nil {
		return err
	}
	return postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		a, err := lockOpenApplication(ctx, tx, appID)
		if err != nil {
			return err
		}
		var item *CheckItem
		for _, it := range Checklist(a) {
			if it.Key == in.Item {
				item = &it
			}
		}
		if item == nil {
			return apperr.FieldErrors{"item": i18n.M("Choose an item of the checklist.")}.Err()
		}
		now := s.Clock.Now()
		fe := apperr.FieldErrors{}
		if in.Passed {
			switch {
			case item.Doc != "":
				n, err := tx.NewSelect().Model((*Document)(nil)).Where("application_id = ? AND kind = ?", appID, item.Doc).Count(ctx)
				if err != nil {
					return err
				}
				if n == 0 {
					fe.Add("item", i18n.M("This document is missing: ask the applicant for it."))
				}
			case item.Key == CheckKvKRecent:
				d, msg := kvkExtractDate(in.KvKExtractDate, now)
				if !msg.IsZero() {
					fe.Add("kvk_extract_date", msg)
				} else {
					a.KvKExtractDate = &d
					if _, err := tx.NewUpdate().Model(a).Column("kvk_extract_date").WherePK().Exec(ctx); err != nil {
						return err
					}
				}
			case item.Key == CheckVATValid:
				if _, msg := ident.ParseVAT(a.VATID); !msg.IsZero() {
					fe.Add("item", msg)
				}
			case item.Key == CheckIBANValid:
				if _, msg := ident.ParseIBAN(a.IBAN); !msg.IsZero() {
					fe.Add("item", msg)
				}
			case item.Key == CheckVIES:
				if a.VIESStatus != VIESValid {
					fe.Add("item", i18n.M("VIES has not confirmed this VAT id (%s). Ask VIES again first.", VIESLabel(a.VIESStatus)))
				}
			}
		}
		if err := fe.Err(); err != nil {
			return err
		}
		var before *Check
		old := new(Check)
		if err := tx.NewSelect().Model(old).Where("application_id = ? AND item = ?", appID, in.Item).Scan(ctx); err == nil {
			before = old
		}
		c := &Check{ApplicationID: appID, Item: in.Item, Passed: in.Passed, Note: in.Note, CheckedBy: by.ID, CheckedAt: now}
		if _, err := tx.NewInsert().Model(c).On("CONFLICT (application_id, item) DO UPDATE").
			Set("passed = EXCLUDED.passed, note = EXCLUDED.note, checked_by = EXCLUDED.checked_by, checked_at = EXCLUDED.checked_at").Exec(ctx); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Change{Entity: "application", EntityID: appID, Action: "check " + in.Item, Before: before, After: c}); err != nil {
			return err
		}
		if a.Status == AppNew {
			return s.setStatus(ctx, tx, a, AppInReview)
		}
		return nil
	})
}

// kvkExtractDate parses the date on a KvK extract and says what is wrong with it.
func kvkExtractDate(s string, now time.Time) (time.Time, i18n.Message) {
	d, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(s), time.UTC)
	if err != nil {
		return d, i18n.M("Enter the date printed on the KvK extract, as YYYY-MM-DD.")
	}
	today := now.In(clock.Amsterdam)
	todayDate := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	switch {
	case d.After(todayDate):
		return d, i18n.M("The extract cannot be dated in the future.")
	case d.Before(todayDate.AddDate(0, -6, 0)):
		return d, i18n.M("This extract is older than 6 months: ask the applicant for a recent one.")
	}
	return d, i18n.Message{}
}

func (s *Service) setStatus(ctx context.Context, tx bun.IDB, a *Application, status string) error {
	before := a.Status
	a.Status, a.UpdatedAt = status, s.Clock.Now()
	if _, err := tx.NewUpdate().Model(a).Column("status", "updated_at").WherePK().Exec(ctx); err != nil {
		return err
	}
	return audit.Record(ctx, tx, a.UpdatedAt, audit.Change{Entity: "application", EntityID: a.ID, Action: "status",
		Before: map[string]string{"status": before}, After: map[string]string{"status": status}})
}

// DocumentLinkTTL is how long the link for adding documents works.
const DocumentLinkTTL = 14 * 24 * time.Hour

// RequestDocuments mails the applicant a link where documents can be added
// to this application only, saying what is missing or wrong, in the
// language of the application (the link opens the page in it too). Returns
// NotFound, Invalid (no note), Conflict (decided already).
func (s *Service) RequestDocuments(ctx context.Context, appID int64, note string) error {
	if err := requiredNote("request_note", &note, i18n.M("Say which document is missing or wrong, and why.")); err != nil {
		return err
	}
	return postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		a, err := lockOpenApplication(ctx, tx, appID)
		if err != nil {
			return err
		}
		token := randomToken()
		hash, expires := hashToken(token), s.Clock.Now().Add(DocumentLinkTTL)
		a.UploadTokenHash, a.UploadTokenExpires, a.UploadRequestNote = &hash, &expires, note
		if _, err := tx.NewUpdate().Model(a).Column("upload_token_hash", "upload_token_expires", "upload_request_note").WherePK().Exec(ctx); err != nil {
			return err
		}
		link := s.BaseURL + "/apply/documents/" + token + "?lang=" + i18n.Lang(a.Language).Tag()
		body := i18n.M("Dear %s,\n\nTo finish the application of %s (A-%d) we need the following:\n\n%s\n\nAdd the documents (PDF, PNG or JPEG, at most 10 MB each) on this page, until %s:\n\n    %s\n",
			a.ContactName, a.CompanyName, a.ID, note, i18n.LongDate{T: expires}, link)
		if err := mailApplicant(ctx, tx, s.Clock.Now(), a, i18n.M("Documents needed for your application A-%d", a.ID), body); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, s.Clock.Now(), audit.Change{Entity: "application", EntityID: a.ID, Action: "documents_requested",
			After: map[string]string{"note": note}}); err != nil {
			return err
		}
		return s.setStatus(ctx, tx, a, AppWaiting)
	})
}

// ApplicationByUploadToken returns the open application a document link
// belongs to. Returns NotFound for an unknown or expired link.
func (s *Service) ApplicationByUploadToken(ctx context.Context, token string) (*Application, error) {
	a := new(Application)
	err := s.DB.NewSelect().Model(a).Where("a.upload_token_hash = ? AND a.upload_token_expires > ?", hashToken(token), s.Clock.Now()).
		Where("a.status IN ('new', 'in_review', 'waiting')").Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.NotFoundf("This link is not valid or has expired. Reply to our mail and we send a new one.")
	}
	if err != nil {
		return nil, err
	}
	return a, nil
}

// AddDocuments stores documents the applicant sends through the link. The
// checklist items of those documents are cleared for sales to check again,
// and the application goes back to review. Returns NotFound, Invalid.
func (s *Service) AddDocuments(ctx context.Context, token string, uploads []Upload) (*Application, error) {
	a, err := s.ApplicationByUploadToken(ctx, token)
	if err != nil {
		return nil, err
	}
	fe := apperr.FieldErrors{}
	var good []Upload
	for _, u := range uploads {
		if len(u.Content) == 0 {
			continue
		}
		if !isApplicationDoc(u.Kind) {
			fe.Add("doc", i18n.M("Unknown kind of document."))
			continue
		}
		if msg := CheckUpload(u); !msg.IsZero() {
			fe.Add("doc_"+u.Kind, msg)
		}
		good = append(good, u)
	}
	if len(good) == 0 {
		fe.Add("doc", i18n.M("Choose at least one file."))
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	err = postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		a, err := lockApplication(ctx, tx, a.ID)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		for _, u := range good {
			d := &Document{ApplicationID: &a.ID}
			if err := storeDocument(ctx, tx, now, u, d); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "DELETE FROM application_checks WHERE application_id = ? AND item = ?", a.ID, "doc_"+u.Kind); err != nil {
				return err
			}
			if err := audit.Record(ctx, tx, now, audit.Change{Entity: "application", EntityID: a.ID, Action: "document_added",
				After: map[string]any{"kind": u.Kind, "filename": d.Filename, "sha256": d.SHA256, "size": d.Size}}); err != nil {
				return err
			}
		}
		if a.Status == AppWaiting {
			return s.setStatus(ctx, tx, a, AppInReview)
		}
		return nil
	})
	return a, err
}

func isApplicationDoc(kind string) bool {
	for _, k := range ApplicationDocKinds {
		if k == kind {
			return true
		}
	}
	return false
}
