package privacy

import (
	"context"
	"strconv"
	"time"

	"wholesale/internal/audit"
	"wholesale/internal/i18n"
	"wholesale/internal/postgres"
	"wholesale/internal/sessions"
	"wholesale/internal/users"
)

// Export is everything held about a person (GDPR art. 15), as they
// download it from /profile: never a secret (password hash, token, session
// key, reset code).
type Export struct {
	Account Account `json:"account"`
	// Sessions are the person's stored sessions (logged in somewhere).
	Sessions []sessions.Session `json:"sessions"`
	// Logins are the logins and failed logins of the person's account.
	Logins []audit.Entry `json:"logins"`
	// LoginFailures is the count of failed logins not yet cleared.
	LoginFailures *LoginFailures `json:"login_failures,omitempty"`
	Tokens        []Token        `json:"api_tokens"`
	// AuditEntries are the entries of the audit trail the person made.
	AuditEntries []audit.Entry `json:"audit_entries"`
	Mails        []Mail        `json:"mails"`
	Complaints   []Complaint   `json:"complaints"`
	Returns      []Return      `json:"returns"`
	Erasure      []Request     `json:"erasure_requests"`
}

// Account is the person's user account.
type Account struct {
	ID          int64      `bun:"id" json:"id"`
	Name        string     `bun:"name" json:"name"`
	Email       string     `bun:"email" json:"email"`
	Role        users.Role `bun:"role" json:"role"`
	Language    string     `bun:"language" json:"language"`
	Active      bool       `bun:"active" json:"active"`
	CompanyID   *int64     `bun:"company_id" json:"company_id,omitempty"`
	CompanyName string     `bun:"company_name" json:"company_name,omitempty"`
	CreatedAt   time.Time  `bun:"created_at" json:"created_at"`
	UpdatedAt   time.Time  `bun:"updated_at" json:"updated_at"`
}

// LoginFailures is the lockout record of the person's address.
type LoginFailures struct {
	Failures     int        `bun:"failures" json:"failures"`
	LockedUntil  *time.Time `bun:"locked_until" json:"locked_until,omitempty"`
	LastFailedAt time.Time  `bun:"last_failed_at" json:"last_failed_at"`
}

// Token is one of the person's API tokens: its name and dates only.
type Token struct {
	Name       string     `bun:"name" json:"name"`
	CreatedAt  time.Time  `bun:"created_at" json:"created_at"`
	LastUsedAt *time.Time `bun:"last_used_at" json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `bun:"revoked_at" json:"revoked_at,omitempty"`
}

// Mail is a mail sent (or to be sent) to the person.
type Mail struct {
	ID        int64      `bun:"id" json:"id"`
	To        string     `bun:"to_address" json:"to"`
	Subject   string     `bun:"subject" json:"subject"`
	Body      string     `bun:"body" json:"body"`
	CreatedAt time.Time  `bun:"created_at" json:"created_at"`
	SentAt    *time.Time `bun:"sent_at" json:"sent_at,omitempty"`
	// BodyDeletedAt is when the body was deleted (retention).
	BodyDeletedAt *time.Time `bun:"body_deleted_at" json:"body_deleted_at,omitempty"`
}

// Complaint is a complaint the person filed, or that names them as contact.
type Complaint struct {
	ID           int64     `bun:"id" json:"id"`
	OrderID      *int64    `bun:"order_id" json:"order_id,omitempty"`
	Channel      string    `bun:"channel" json:"channel"`
	ContactName  string    `bun:"contact_name" json:"contact_name"`
	ContactEmail string    `bun:"contact_email" json:"contact_email,omitempty"`
	ContactPhone string    `bun:"contact_phone" json:"contact_phone,omitempty"`
	Description  string    `bun:"description" json:"description"`
	State        string    `bun:"state" json:"state"`
	ReceivedAt   time.Time `bun:"received_at" json:"received_at"`
}

// Return is a return the person filed.
type Return struct {
	ID        int64     `bun:"id" json:"id"`
	RANumber  *string   `bun:"ra_number" json:"ra_number,omitempty"`
	OrderID   int64     `bun:"order_id" json:"order_id"`
	Quantity  int       `bun:"quantity" json:"quantity"`
	Serials   string    `bun:"serials" json:"serials,omitempty"`
	Fault     string    `bun:"fault" json:"fault"`
	State     string    `bun:"state" json:"state"`
	CreatedAt time.Time `bun:"created_at" json:"created_at"`
}

// Export returns everything held about the user userID: only ever the
// logged-in user's own (the web layer passes its id, never one from the
// request). Returns NotFound.
func (s *Service) Export(ctx context.Context, userID int64) (*Export, error) {
	x := &Export{}
	err := s.DB.NewRaw(`SELECT u.id, u.name, u.email, u.role, u.language, u.active, u.company_id, COALESCE(c.name, '') AS company_name,
		    u.created_at, u.updated_at
		FROM users u LEFT JOIN companies c ON c.id = u.company_id WHERE u.id = ?`, userID).Scan(ctx, &x.Account)
	if err != nil {
		return nil, translateUser(err)
	}
	email, db := x.Account.Email, s.DB
	parts := []func() error{
		func() (err error) { x.Sessions, err = sessions.OfUser(ctx, db, userID, email); return err },
		func() error {
			return db.NewSelect().Model(&x.Logins).
				Where("(entity = 'user' AND entity_id = ? AND action = 'login') OR (entity = 'login' AND entity_id = ?)", itoa(userID), email).
				OrderExpr("id").Scan(ctx)
		},
		func() error {
			var fs []LoginFailures
			err := db.NewRaw("SELECT failures, locked_until, last_failed_at FROM login_failures WHERE email = ?", email).Scan(ctx, &fs)
			if len(fs) > 0 {
				x.LoginFailures = &fs[0]
			}
			return err
		},
		func() error {
			return db.NewRaw("SELECT name, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = ? ORDER BY id", userID).Scan(ctx, &x.Tokens)
		},
		func() error {
			return db.NewSelect().Model(&x.AuditEntries).Where("actor_id = ?", userID).OrderExpr("id").Scan(ctx)
		},
		func() error {
			return db.NewRaw(`SELECT id, to_address, subject, body, created_at, sent_at, body_deleted_at FROM outbox
			WHERE lower(to_address) = ? ORDER BY id`, email).Scan(ctx, &x.Mails)
		},
		func() error {
			return db.NewRaw(`SELECT id, order_id, channel, contact_name, contact_email, contact_phone, description, state, received_at
			FROM complaints WHERE created_by = ?0 OR lower(contact_email) = ?1 ORDER BY id`, userID, email).Scan(ctx, &x.Complaints)
		},
		func() error {
			return db.NewRaw(`SELECT id, ra_number, order_id, quantity, serials, fault, state, created_at
			FROM returns WHERE created_by = ? ORDER BY id`, userID).Scan(ctx, &x.Returns)
		},
		func() error {
			return db.NewSelect().Model(&x.Erasure).Where("user_id = ?", userID).OrderExpr("id").Scan(ctx)
		},
	}
	for _, part := range parts {
		if err := part(); err != nil {
			return nil, err
		}
	}
	return x, nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func translateUser(err error) error { return postgres.Translate(err, i18n.M("User")) }
