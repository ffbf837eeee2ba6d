package users

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/clock"
	"wholesale/internal/i18n"
	"wholesale/internal/mail"
	"wholesale/internal/postgres"
)

// InvitationTTL is how long an invitation link works.
const InvitationTTL = 7 * 24 * time.Hour

type invitation struct {
	bun.BaseModel `bun:"table:invitations"`

	ID        int64      `bun:"id,pk,autoincrement"`
	UserID    int64      `bun:"user_id"`
	TokenHash string     `bun:"token_hash"`
	CreatedAt time.Time  `bun:"created_at"`
	ExpiresAt time.Time  `bun:"expires_at"`
	UsedAt    *time.Time `bun:"used_at"`
}

// Invite creates a user without a password within tx and mails a one-time
// link (baseURL + /invite/<token>) by which they set one. The mail is in
// the new user's language (in.Language; for a customer user without one,
// the company's): intro, a paragraph after the greeting, must be in that
// language too. Returns Invalid, or Invalid at "email" when the address
// has a login already.
func (s *Service) Invite(ctx context.Context, tx bun.IDB, in NewUser, baseURL, intro string) (*User, error) {
	in.Invited = true
	u, err := s.CreateWith(ctx, tx, in)
	if err != nil {
		return nil, err
	}
	raw := make([]byte, 24)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	token := hex.EncodeToString(raw)
	now := s.Clock.Now()
	inv := invitation{UserID: u.ID, TokenHash: hashToken(token), CreatedAt: now, ExpiresAt: now.Add(InvitationTTL)}
	if _, err := tx.NewInsert().Model(&inv).ExcludeColumn("id").Exec(ctx); err != nil {
		return nil, err
	}
	l := i18n.For(i18n.Lang(u.Language))
	paras := []string{l.Text(i18n.M("Hello %s,", u.Name))}
	if intro = strings.TrimSpace(intro); intro != "" {
		paras = append(paras, intro)
	}
	until := inv.ExpiresAt.In(clock.Amsterdam)
	paras = append(paras,
		l.Text(i18n.M("Set your password with this link; it works once, until %s %s:", i18n.LongDate{T: until}, until.Format("15:04"))),
		"    "+baseURL+"/invite/"+token,
		l.Text(i18n.M("Your login is your e-mail address: %s", u.Email)))
	if err := mail.Enqueue(ctx, tx, now, l.Lang(), u.Email, l.Text(i18n.M("Your login for wholesale")), paragraphs(paras...)); err != nil {
		return nil, err
	}
	return u, audit.Record(ctx, tx, now, audit.Change{Entity: "user", EntityID: u.ID, Action: "invite"})
}

// inviteGone is the answer to an unknown, used or expired invitation.
var inviteGone = i18n.M("This invitation link is not valid: it was used already or has expired. Ask your account manager for a new one.")

// InvitedUser returns the user a valid, unused invitation token belongs to.
// Returns NotFound for an unknown, used or expired token.
func (s *Service) InvitedUser(ctx context.Context, token string) (*User, error) {
	inv := new(invitation)
	err := s.DB.NewSelect().Model(inv).Where("token_hash = ? AND used_at IS NULL AND expires_at > ?", hashToken(token), s.Clock.Now()).Scan(ctx)
	if err != nil {
		return nil, postgres.NoRows(err, inviteGone)
	}
	return ByID(ctx, s.DB, inv.UserID)
}

// AcceptInvite sets the first password of an invited user and uses up the
// link. Returns NotFound for a bad link, Invalid for a bad password.
func (s *Service) AcceptInvite(ctx context.Context, token, password string) (*User, error) {
	if msg := PasswordProblem(password); !msg.IsZero() {
		return nil, apperr.FieldErrors{"password": msg}.Err()
	}
	var u *User
	err := postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		now := s.Clock.Now()
		inv := new(invitation)
		err := tx.NewSelect().Model(inv).Where("token_hash = ? AND used_at IS NULL AND expires_at > ?", hashToken(token), now).For("UPDATE").Scan(ctx)
		if err != nil {
			return postgres.NoRows(err, inviteGone)
		}
		if u, err = lockUser(ctx, tx, inv.UserID); err != nil {
			return err
		}
		hash, err := s.Hasher.Hash(password)
		if err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Model(inv).Set("used_at = ?", now).WherePK().Exec(ctx); err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Model(u).Set("password_hash = ?, updated_at = ?", hash, now).WherePK().Exec(ctx); err != nil {
			return err
		}
		ctx = audit.WithActor(ctx, audit.Actor{UserID: u.ID, Label: u.Email})
		return audit.Record(ctx, tx, now, audit.Change{Entity: "user", EntityID: u.ID, Action: "invite_accepted"})
	})
	return u, err
}
