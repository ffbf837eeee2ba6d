package customers

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/clock"
	"wholesale/internal/i18n"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
)

// VIESAnswer is what VIES says of a VAT id.
type VIESAnswer struct {
	Valid   bool
	Name    string
	Address string
}

// VIESChecker asks the EU's VIES service about a VAT id. An error means VIES
// could not answer (down, busy); the check then stays pending.
type VIESChecker interface {
	Check(ctx context.Context, vatID string) (VIESAnswer, error)
}

// Service holds the use cases of customers: applying, vetting, approving and
// changing account details.
type Service struct {
	DB      *bun.DB
	Clock   clock.Clock
	Users   *users.Service
	VIES    VIESChecker // nil: VIES checks are off
	BaseURL string
	Log     *slog.Logger
}

// Source of an application.
const (
	SourceWeb   = "web"
	SourceEmail = "email"
)

// ApplyResult is the outcome of an application form.
type ApplyResult struct {
	Application *Application
	// Stash is the token under which the valid files of a failed form are
	// kept, so the form can be sent again without choosing them again.
	Stash string
	// Kept names the kept file per document kind.
	Kept map[string]string
}

// Apply records an application with its documents in one transaction and
// mails the applicant a receipt, in the language of the application
// (in.Language). When a field or file is wrong it returns
// Invalid and keeps the valid files under res.Stash; a refused file is not
// stored anywhere. enteredBy is the sales user entering an application that
// came by e-mail, or nil for the public form.
func (s *Service) Apply(ctx context.Context, in ApplicationInput, stash string, enteredBy *users.User) (ApplyResult, error) {
	res := ApplyResult{Stash: stash, Kept: map[string]string{}}
	fe := in.Validate()
	kept, err := stashedByKind(ctx, s.DB, s.Clock.Now(), stash)
	if err != nil {
		return res, err
	}
	uploads := map[string]Upload{}
	var fresh []Upload
	for _, kind := range ApplicationDocKinds {
		u, ok := in.Uploads[kind]
		if ok && len(u.Content) > 0 {
			u.Kind = kind
			if msg := CheckUpload(u); !msg.IsZero() {
				fe.Add("doc_"+kind, msg)
				if k, ok := kept[kind]; ok {
					uploads[kind] = k // the earlier good file stays
				}
				continue
			}
			uploads[kind] = u
			fresh = append(fresh, u)
		} else if k, ok := kept[kind]; ok {
			uploads[kind] = k
		} else {
			fe.Add("doc_"+kind, i18n.M("Attach the %s as PDF, PNG or JPEG.", DocLabel(kind)))
		}
	}
	for kind, u := range uploads {
		res.Kept[kind] = u.Filename
	}
	if len(fe) > 0 {
		if len(fresh) > 0 {
			if res.Stash, err = Stash(ctx, s.DB, s.Clock.Now(), stash, fresh); err != nil {
				return res, err
			}
		}
		return res, fe.Err()
	}

	now := s.Clock.Now()
	a := &Application{
		Status: AppNew, Source: SourceWeb, CompanyName: in.CompanyName, KvK: in.KvK, BranchNumber: in.BranchNumber, VATID: in.VATID,
		Visiting: in.Visiting, Invoice: in.Invoice, ContactName: in.ContactName, ContactEmail: in.ContactEmail,
		ContactPhone: in.ContactPhone, IBAN: in.IBAN, AccountHolder: in.AccountHolder,
		TermsVersion: CurrentTerms.Version, TermsAcceptedAt: now, VIESStatus: VIESOff, Language: in.Language, CreatedAt: now, UpdatedAt: now,
	}
	if enteredBy != nil {
		a.Source, a.EnteredBy = SourceEmail, &enteredBy.ID
	}
	if s.VIES != nil {
		a.VIESStatus = VIESPending
	}
	err = postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		if _, err := tx.NewInsert().Model(a).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
			return err
		}
		for _, kind := range ApplicationDocKinds {
			d := &Document{ApplicationID: &a.ID}
			if enteredBy != nil {
				d.UploadedBy = &enteredBy.ID
			}
			if err := storeDocument(ctx, tx, now, uploads[kind], d); err != nil {
				return err
			}
		}
		if err := Unstash(ctx, tx, stash); err != nil {
			return err
		}
		body := i18n.M("Dear %s,\n\nWe received the application of %s to become a customer (reference A-%d).\nOne of our sales staff checks the documents and the KvK, VAT and bank details, and tells you the outcome by mail.\n",
			a.ContactName, a.CompanyName, a.ID)
		if err := mailApplicant(ctx, tx, now, a, i18n.M("Your application A-%d", a.ID), body); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Change{Entity: "application", EntityID: a.ID, Action: "create", After: a})
	})
	if err != nil {
		return res, err
	}
	res.Application, res.Stash = a, ""
	if s.VIES != nil {
		s.checkVIES(ctx, a.ID)
	}
	return res, nil
}

func randomToken() string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on Linux
	}
	return hex.EncodeToString(b)
}

func hashToken(t string) string {
	sum := sha256.Sum256([]byte(t))
	return hex.EncodeToString(sum[:])
}

// checkVIES asks VIES about the application's VAT id and records the answer.
// When VIES cannot answer, the check stays pending; nothing is lost.
func (s *Service) checkVIES(ctx context.Context, appID int64) {
	if err := s.RecheckVIES(ctx, appID); err != nil && s.Log != nil {
		s.Log.Warn("VIES check", "application", appID, "err", err)
	}
}

// RecheckVIES asks VIES again and records its answer. Returns Conflict when
// VIES is off, or VIES's error (the status stays pending).
func (s *Service) RecheckVIES(ctx context.Context, appID int64) error {
	if s.VIES == nil {
		return apperr.Conflictf("VIES checks are switched off (set VIES_URL).")
	}
	var vat string
	if err := s.DB.NewSelect().Table("applications").Column("vat_id").Where("id = ?", appID).Scan(ctx, &vat); err != nil {
		return postgres.Translate(err, i18n.M("Application"))
	}
	cctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	answer, viesErr := s.VIES.Check(cctx, vat)
	cancel()
	err := postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		a, err := lockApplication(ctx, tx, appID)
		if err != nil {
			return err
		}
		before := map[string]string{"vies_status": a.VIESStatus}
		now := s.Clock.Now()
		a.VIESCheckedAt = &now
		if viesErr != nil {
			a.VIESStatus, a.VIESError = VIESPending, viesErr.Error()
		} else {
			a.VIESStatus, a.VIESError, a.VIESName, a.VIESAddress = VIESInvalid, "", answer.Name, answer.Address
			if answer.Valid {
				a.VIESStatus = VIESValid
			}
		}
		if _, err := tx.NewUpdate().Model(a).Column("vies_status", "vies_checked_at", "vies_error", "vies_name", "vies_address").WherePK().Exec(ctx); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Change{Entity: "application", EntityID: appID, Action: "vies_check", Before: before,
			After: map[string]string{"vies_status": a.VIESStatus, "vies_name": a.VIESName, "vies_error": a.VIESError}}); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return err
	}
	if viesErr != nil {
		return &apperr.Error{Kind: apperr.Conflict, Msg: i18n.M("VIES did not answer; the check stays pending. Try again later."), Err: viesErr}
	}
	return nil
}
