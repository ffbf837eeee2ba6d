package users

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/clock"
	"wholesale/internal/i18n"
	"wholesale/internal/mail"
	"wholesale/internal/postgres"
)

// Service holds the use cases of users: login, reset, administration, tokens.
type Service struct {
	DB     *bun.DB
	Clock  clock.Clock
	Hasher Hasher

	dummyOnce sync.Once
	dummyHash string
}

// NewService returns the users service.
func NewService(db *bun.DB, c clock.Clock, h Hasher) *Service {
	return &Service{DB: db, Clock: c, Hasher: h}
}

// Messages of the login form. They never tell whether an address exists.
func msgLoginFailed() error {
	return apperr.Unauthenticatedf("That e-mail address and password do not match. After 5 failed attempts an account is locked for 15 minutes.")
}

func msgLocked(until time.Time) error {
	return apperr.Unauthenticatedf("Too many failed attempts: this account is locked for 15 minutes, until %s. Try again then, or reset your password.",
		until.In(clock.Amsterdam).Format("15:04"))
}

// Login checks an e-mail address and password. Failed attempts are counted
// per address; the fifth locks it for 15 minutes. Returns Invalid for empty
// input, for an address that is not one or is longer than validate.EmailMax,
// and for an over-long password, all before any lookup, hashing or count;
// Unauthenticated for a failed or locked login.
func (s *Service) Login(ctx context.Context, email, password string) (*User, error) {
	email = NormalizeEmail(email)
	fe := apperr.FieldErrors{}
	checkLoginEmail(fe, email)
	switch {
	case password == "":
		fe.Add("password", i18n.M("Enter your password."))
	case len(password) > maxLoginPasswordBytes:
		fe.Add("password", i18n.M("This is longer than any password can be."))
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	var user *User
	var loginErr error
	err := postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		now := s.Clock.Now()
		lf, err := lockFailures(ctx, tx, email)
		if err != nil {
			return err
		}
		if lf != nil && lf.LockedUntil != nil && lf.LockedUntil.After(now) {
			loginErr = msgLocked(*lf.LockedUntil)
			return audit.Record(ctx, tx, now, audit.Change{Entity: "login", EntityID: email, Action: "refused_locked"})
		}
		u, err := byEmail(ctx, tx, email)
		if err != nil {
			return err
		}
		if u == nil || !u.Active || !s.Hasher.Verify(u.PasswordHash, password) {
			if u == nil {
				s.Hasher.Verify(s.dummy(), password) // the same work whether or not the address exists
			}
			lf, err := countFailure(ctx, tx, email, now)
			if err != nil {
				return err
			}
			action := "failed"
			loginErr = msgLoginFailed()
			if lf.LockedUntil != nil {
				action = "locked"
				loginErr = msgLocked(*lf.LockedUntil)
			}
			return audit.Record(ctx, tx, now, audit.Change{Entity: "login", EntityID: email, Action: action})
		}
		if _, err := clearFailures(ctx, tx, email); err != nil {
			return err
		}
		user = u
		ctx = audit.WithActor(ctx, audit.Actor{UserID: u.ID, Label: u.Email})
		return audit.Record(ctx, tx, now, audit.Change{Entity: "user", EntityID: u.ID, Action: "login"})
	})
	if err != nil {
		return nil, err
	}
	return user, loginErr
}

func (s *Service) dummy() string {
	s.dummyOnce.Do(func() { s.dummyHash, _ = s.Hasher.Hash("not a password of anyone") })
	return s.dummyHash
}

// RequestReset mails a one-time 6-digit code to the user with email, valid
// 15 minutes; earlier codes stop working. For an unknown or inactive address
// it does nothing and says nothing, so the answer never tells which exist.
// Returns Invalid for an empty, malformed or over-long address.
func (s *Service) RequestReset(ctx context.Context, email string) error {
	email = NormalizeEmail(email)
	fe := apperr.FieldErrors{}
	checkLoginEmail(fe, email)
	if err := fe.Err(); err != nil {
		return err
	}
	return postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		u, err := byEmail(ctx, tx, email)
		if err != nil || u == nil || !u.Active {
			return err
		}
		now := s.Clock.Now()
		if _, err := tx.NewUpdate().Model((*passwordReset)(nil)).Set("used_at = ?", now).
			Where("user_id = ? AND used_at IS NULL", u.ID).Exec(ctx); err != nil {
			return err
		}
		code, err := randomDigits(6)
		if err != nil {
			return err
		}
		r := passwordReset{UserID: u.ID, CodeHash: hashCode(u.ID, code), CreatedAt: now, ExpiresAt: now.Add(ResetCodeTTL)}
		if _, err := tx.NewInsert().Model(&r).ExcludeColumn("id").Exec(ctx); err != nil {
			return err
		}
		// The mail is in the user's language.
		l := i18n.For(i18n.Lang(u.Language))
		body := paragraphs(
			l.Text(i18n.M("Hello %s,", u.Name)),
			l.Text(i18n.M("Your code to set a new password is:")),
			"    "+code,
			l.Text(i18n.M("It works once, for 15 minutes (until %s). If you did not ask for it, ignore this mail: your password stays as it is.",
				r.ExpiresAt.In(clock.Amsterdam).Format("15:04"))),
		)
		if err := mail.Enqueue(ctx, tx, now, l.Lang(), u.Email, l.Text(i18n.M("Your password reset code")), body); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Change{Entity: "user", EntityID: u.ID, Action: "reset_requested"})
	})
}

// ResetInput is what the reset form sends.
type ResetInput struct {
	Email    string
	Code     string
	Password string
}

// ResetPassword sets a new password when the code is the latest one mailed,
// unused, unexpired and tried fewer than 5 times. A wrong code counts a try.
// Success also lifts a login lockout. Returns Invalid with a message at the
// failing field.
func (s *Service) ResetPassword(ctx context.Context, in ResetInput) error {
	in.Email = NormalizeEmail(in.Email)
	in.Code = strings.TrimSpace(in.Code)
	fe := apperr.FieldErrors{}
	checkLoginEmail(fe, in.Email)
	if len(in.Code) != 6 || strings.Trim(in.Code, "0123456789") != "" {
		fe.Add("code", i18n.M("Enter the 6 digits of the code from the mail."))
	}
	if msg := PasswordProblem(in.Password); !msg.IsZero() {
		fe.Add("password", msg)
	}
	if err := fe.Err(); err != nil {
		return err
	}
	var resetErr error
	err := postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		now := s.Clock.Now()
		invalid := func(msg i18n.Message) error {
			resetErr = apperr.FieldErrors{"code": msg}.Err()
			return nil
		}
		u, err := byEmail(ctx, tx, in.Email)
		if err != nil {
			return err
		}
		if u == nil || !u.Active {
			return invalid(i18n.M("This code is not valid. Request a new one."))
		}
		r := new(passwordReset)
		err = tx.NewSelect().Model(r).Where("user_id = ? AND used_at IS NULL", u.ID).
			OrderExpr("created_at DESC").Limit(1).For("UPDATE").Scan(ctx)
		if err != nil {
			return invalid(i18n.M("This code is not valid. Request a new one."))
		}
		switch {
		case !now.Before(r.ExpiresAt):
			return invalid(i18n.M("This code has expired: a code works for 15 minutes. Request a new one."))
		case r.Tries >= MaxResetTries:
			return invalid(i18n.M("This code was tried too often. Request a new one."))
		}
		if subtle.ConstantTimeCompare([]byte(hashCode(u.ID, in.Code)), []byte(r.CodeHash)) != 1 {
			r.Tries++
			left := MaxResetTries - r.Tries
			if left == 0 {
				r.UsedAt = &now
				invalid(i18n.M("Wrong code. It was tried 5 times and no longer works: request a new one."))
			} else {
				invalid(i18n.N(left, "Wrong code: %d more tries.", left))
			}
			if _, err := tx.NewUpdate().Model(r).Column("tries", "used_at").WherePK().Exec(ctx); err != nil {
				return err
			}
			return audit.Record(ctx, tx, now, audit.Change{Entity: "user", EntityID: u.ID, Action: "reset_code_wrong",
				After: map[string]int{"tries": r.Tries}})
		}
		hash, err := s.Hasher.Hash(in.Password)
		if err != nil {
			return err
		}
		r.UsedAt = &now
		if _, err := tx.NewUpdate().Model(r).Column("used_at").WherePK().Exec(ctx); err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Model(u).Set("password_hash = ?, updated_at = ?", hash, now).WherePK().Exec(ctx); err != nil {
			return err
		}
		if _, err := clearFailures(ctx, tx, u.Email); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Change{Entity: "user", EntityID: u.ID, Action: "password_reset"})
	})
	if err != nil {
		return err
	}
	return resetErr
}

// paragraphs joins the paragraphs of a mail's body.
func paragraphs(ps ...string) string { return strings.Join(ps, "\n\n") + "\n" }

func hashCode(userID int64, code string) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%d:%s", userID, code)))
	return hex.EncodeToString(sum[:])
}

func randomDigits(n int) (string, error) {
	max := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
	v, err := rand.Int(rand.Reader, max)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%0*d", n, v), nil
}

// Create adds a user. Returns Invalid for bad input and Conflict when the
// e-mail address is taken.
func (s *Service) Create(ctx context.Context, in NewUser) (*User, error) {
	var u *User
	err := postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		var err error
		u, err = s.CreateWith(ctx, tx, in)
		return err
	})
	return u, err
}

// CreateWith adds a user within the caller's transaction tx, for use cases
// that create users along with other things. Returns Invalid, Conflict.
func (s *Service) CreateWith(ctx context.Context, tx bun.IDB, in NewUser) (*User, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	hash := "" // an empty hash never verifies: invited users set their password by link
	if !in.Invited {
		var err error
		if hash, err = s.Hasher.Hash(in.Password); err != nil {
			return nil, err
		}
	}
	lang, err := newUserLanguage(ctx, tx, in)
	if err != nil {
		return nil, err
	}
	u := &User{Email: in.Email, Name: in.Name, Role: in.Role, PasswordHash: hash, Active: true, Language: string(lang)}
	if in.CompanyID != 0 {
		u.CompanyID = &in.CompanyID
	}
	return u, s.insert(ctx, tx, u)
}

// newUserLanguage is the language of a new user: the one asked for, else
// the language of the user's company (a customer user reads what the
// company gets), else the default.
func newUserLanguage(ctx context.Context, tx bun.IDB, in NewUser) (i18n.Lang, error) {
	if l := i18n.Lang(in.Language); l.Valid() {
		return l, nil
	}
	if in.CompanyID != 0 {
		var lang string
		err := tx.NewRaw("SELECT language FROM companies WHERE id = ?", in.CompanyID).Scan(ctx, &lang)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return "", err
		}
		if l := i18n.Lang(lang); l.Valid() {
			return l, nil
		}
	}
	return i18n.Default, nil
}

// insert writes a new user and its audit entry with tx.
func (s *Service) insert(ctx context.Context, tx bun.IDB, u *User) error {
	now := s.Clock.Now()
	u.CreatedAt, u.UpdatedAt = now, now
	_, err := tx.NewInsert().Model(u).ExcludeColumn("id").Returning("id").Exec(ctx)
	if postgres.IsUniqueViolation(err, "users_email_key") {
		return apperr.FieldErrors{"email": i18n.M("A user with this e-mail address exists already.")}.Err()
	}
	if postgres.Code(err) == postgres.CodeForeignKeyViolation {
		return apperr.FieldErrors{"company_id": i18n.M("This company does not exist.")}.Err()
	}
	if err != nil {
		return err
	}
	return audit.Record(ctx, tx, now, audit.Change{Entity: "user", EntityID: u.ID, Action: "create", After: u})
}

// RoleInput changes a user's name, role and company.
type RoleInput struct {
	Name      string
	Role      Role
	CompanyID int64
}

// Update changes a user's name, role and company. Returns NotFound, Invalid.
func (s *Service) Update(ctx context.Context, id int64, in RoleInput) (*User, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var u *User
	err := postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		var err error
		if u, err = lockUser(ctx, tx, id); err != nil {
			return err
		}
		before := *u
		u.Name, u.Role, u.CompanyID, u.UpdatedAt = in.Name, in.Role, nil, s.Clock.Now()
		if in.CompanyID != 0 {
			u.CompanyID = &in.CompanyID
		}
		_, err = tx.NewUpdate().Model(u).Column("name", "role", "company_id", "updated_at").WherePK().Exec(ctx)
		if postgres.Code(err) == postgres.CodeForeignKeyViolation {
			return apperr.FieldErrors{"company_id": i18n.M("This company does not exist.")}.Err()
		}
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, u.UpdatedAt, audit.Change{Entity: "user", EntityID: id, Action: "update", Before: before, After: u})
	})
	return u, err
}

// SetActive activates or deactivates a user; a deactivated user cannot log in
// and its sessions stop working. Deactivation revokes the user's API tokens
// in the same transaction, each with an audit entry, so that reactivation
// does not bring them back: the user makes new ones. Returns NotFound,
// Conflict when an admin would deactivate themself.
func (s *Service) SetActive(ctx context.Context, id int64, active bool) error {
	return postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		u, err := lockUser(ctx, tx, id)
		if err != nil {
			return err
		}
		if !active && audit.ActorFrom(ctx).UserID == id {
			return apperr.Conflictf("You cannot deactivate your own account.")
		}
		if active && u.ErasedAt != nil {
			return apperr.Conflictf("An erased user cannot be activated again: invite the person anew.")
		}
		if u.Active == active {
			return nil
		}
		now := s.Clock.Now()
		if _, err := tx.NewUpdate().Model(u).Set("active = ?, updated_at = ?", active, now).WherePK().Exec(ctx); err != nil {
			return err
		}
		action := map[bool]string{true: "activate", false: "deactivate"}[active]
		if err := audit.Record(ctx, tx, now, audit.Change{Entity: "user", EntityID: id, Action: action,
			Before: map[string]bool{"active": u.Active}, After: map[string]bool{"active": active}}); err != nil {
			return err
		}
		if active {
			return nil
		}
		return revokeTokensOf(ctx, tx, id, now)
	})
}

// SetLanguage sets the language the user reads the application and their
// mail in, "nl" or "en", with an audit entry in the same transaction.
// Returns Invalid at "language" for another value, NotFound.
func (s *Service) SetLanguage(ctx context.Context, id int64, lang string) (*User, error) {
	fe := apperr.FieldErrors{}
	validateLanguage(fe, lang)
	if err := fe.Err(); err != nil {
		return nil, err
	}
	var u *User
	err := postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		var err error
		if u, err = lockUser(ctx, tx, id); err != nil {
			return err
		}
		before := u.Language
		if before == lang {
			return nil
		}
		u.Language, u.UpdatedAt = lang, s.Clock.Now()
		if _, err := tx.NewUpdate().Model(u).Column("language", "updated_at").WherePK().Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, u.UpdatedAt, audit.Change{Entity: "user", EntityID: id, Action: "language",
			Before: map[string]string{"language": before}, After: map[string]string{"language": lang}})
	})
	return u, err
}

// Unlock lifts a login lockout of the user. Returns NotFound.
func (s *Service) Unlock(ctx context.Context, id int64) error {
	return postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		u, err := ByID(ctx, tx, id)
		if err != nil {
			return err
		}
		cleared, err := clearFailures(ctx, tx, u.Email)
		if err != nil || !cleared {
			return err
		}
		return audit.Record(ctx, tx, s.Clock.Now(), audit.Change{Entity: "user", EntityID: id, Action: "unlock"})
	})
}

func lockUser(ctx context.Context, tx bun.IDB, id int64) (*User, error) {
	u := new(User)
	err := tx.NewSelect().Model(u).Where("id = ?", id).For("UPDATE").Scan(ctx)
	return u, postgres.Translate(err, i18n.M("User"))
}
