// Package users holds the people who use the system, their roles, logins
// with lockout, password reset codes and API tokens.
package users

import (
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/i18n"
	"wholesale/internal/validate"
)

// Role is what a user may do. Each user has one.
type Role string

// The roles.
const (
	RoleAdmin          Role = "admin"
	RoleSales          Role = "sales"
	RoleAccountManager Role = "account_manager"
	RoleWarehouse      Role = "warehouse"
	RoleFinance        Role = "finance"
	// RoleCustomerService is the customer service manager, who keeps the
	// complaints log and assigns investigators; RoleBoard answers the
	// complaints escalated to the board.
	RoleCustomerService Role = "customer_service"
	RoleBoard           Role = "board"
	RoleCustomer        Role = "customer"
)

// Roles lists every role, staff first.
var Roles = []Role{RoleAdmin, RoleSales, RoleAccountManager, RoleWarehouse, RoleFinance, RoleCustomerService, RoleBoard, RoleCustomer}

// Valid tells whether r is one of the roles.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// Label is the role's name for people.
func (r Role) Label() i18n.Message {
	switch r {
	case RoleAdmin:
		return i18n.M("Admin")
	case RoleSales:
		return i18n.M("Sales")
	case RoleAccountManager:
		return i18n.M("Account manager")
	case RoleWarehouse:
		return i18n.M("Warehouse")
	case RoleFinance:
		return i18n.M("Finance")
	case RoleCustomerService:
		return i18n.M("Customer service manager")
	case RoleBoard:
		return i18n.M("Board")
	case RoleCustomer:
		return i18n.M("Customer")
	}
	return i18n.Raw(string(r))
}

// Staff tells whether r is a role of the wholesaler's own people.
func (r Role) Staff() bool { return r.Valid() && r != RoleCustomer }

// User is a person with a login.
type User struct {
	ID           int64  `bun:"id,pk,autoincrement" json:"id"`
	Email        string `bun:"email" json:"email"`
	Name         string `bun:"name" json:"name"`
	Role         Role   `bun:"role" json:"role"`
	CompanyID    *int64 `bun:"company_id" json:"company_id,omitempty"`
	PasswordHash string `bun:"password_hash" json:"-"`
	Active       bool   `bun:"active" json:"active"`
	// Language is the language the user reads the application in: "nl"
	// or "en" (i18n.Lang).
	Language string `bun:"language,nullzero" json:"language"`
	// ErasedAt is when the person was erased (internal/privacy): the row
	// stays, under "erased user #N", so that records still name it.
	ErasedAt      *time.Time `bun:"erased_at" json:"erased_at,omitempty"`
	CreatedAt     time.Time  `bun:"created_at" json:"created_at"`
	UpdatedAt     time.Time  `bun:"updated_at" json:"updated_at"`
	bun.BaseModel `bun:"table:users,alias:u"`
}

// Is tells whether the user has one of the roles.
func (u *User) Is(roles ...Role) bool {
	for _, r := range roles {
		if u.Role == r {
			return true
		}
	}
	return false
}

// Locking rules.
const (
	MaxFailedLogins = 5
	LockoutDuration = 15 * time.Minute
	ResetCodeTTL    = 15 * time.Minute
	MaxResetTries   = 5
	// MinPasswordChars and MaxPasswordChars bound a new password, in characters.
	MinPasswordChars = 12
	MaxPasswordChars = 128
	// maxLoginPasswordBytes bounds a password typed to log in: the longest
	// that could ever be set (256 bytes before the bound above), so nobody
	// is locked out, and nothing bigger reaches the hasher.
	maxLoginPasswordBytes = 1024
)

// NormalizeEmail trims and lower-cases an e-mail address.
func NormalizeEmail(s string) string { return validate.Lower(strings.TrimSpace(s)) }

// NewUser is the input for creating a user.
type NewUser struct {
	Email     string
	Name      string
	Role      Role
	CompanyID int64
	Password  string
	// Invited users get no password: they set one through an invitation link.
	Invited bool
	// Language is the language the user reads the application and their
	// mail in ("nl", "en"); empty: the company's, for a customer user,
	// else Dutch.
	Language string
}

// Validate checks the input and returns field errors (Invalid): an e-mail
// address of at most validate.EmailMax characters, a name of one line of at
// most validate.NameMax, a role (and a company for a customer user) and,
// unless invited, a password of MinPasswordChars to MaxPasswordChars.
func (in *NewUser) Validate() error {
	fe := apperr.FieldErrors{}
	in.Email = NormalizeEmail(in.Email)
	validateEmail(fe, "email", in.Email)
	validateName(fe, &in.Name)
	validateRole(fe, in.Role, in.CompanyID)
	if in.Language != "" {
		validateLanguage(fe, in.Language)
	}
	if msg := PasswordProblem(in.Password); !msg.IsZero() && !in.Invited {
		fe.Add("password", msg)
	}
	return fe.Err()
}

// Validate normalises an edit of a user and returns field errors (Invalid).
func (in *RoleInput) Validate() error {
	fe := apperr.FieldErrors{}
	validateName(fe, &in.Name)
	validateRole(fe, in.Role, in.CompanyID)
	return fe.Err()
}

func validateName(fe apperr.FieldErrors, name *string) {
	*name = strings.TrimSpace(*name)
	if *name == "" {
		fe.Add("name", i18n.M("Enter the person's name."))
	}
	validate.Line(fe, "name", *name, validate.NameMax)
}

// validateEmail checks a normalised, required e-mail address.
func validateEmail(fe apperr.FieldErrors, field, email string) {
	if email == "" {
		fe.Add(field, i18n.M("Enter an e-mail address."))
		return
	}
	if !validate.Email(fe, field, email) {
		return
	}
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
		fe.Add(field, i18n.M("Enter a valid e-mail address, like name@example.nl."))
	}
}

// checkLoginEmail checks the address typed to log in or to ask for a reset
// code, before anything is looked up, hashed or counted: it must be there and
// be an e-mail address of at most validate.EmailMax characters.
func checkLoginEmail(fe apperr.FieldErrors, email string) {
	if email == "" {
		fe.Add("email", i18n.M("Enter your e-mail address."))
		return
	}
	validate.Email(fe, "email", email)
}

func validateRole(fe apperr.FieldErrors, role Role, companyID int64) {
	switch {
	case !role.Valid():
		fe.Add("role", i18n.M("Choose a role."))
	case role == RoleCustomer && companyID == 0:
		fe.Add("company_id", i18n.M("A customer user belongs to a company: choose one."))
	case role != RoleCustomer && companyID != 0:
		fe.Add("company_id", i18n.M("Only customer users belong to a company."))
	}
}

// validateLanguage checks a language a user chose: one of i18n.Langs.
func validateLanguage(fe apperr.FieldErrors, lang string) {
	if !i18n.Lang(lang).Valid() {
		fe.Add("language", i18n.M("Choose Nederlands or English."))
	}
}

// PasswordProblem says what is wrong with a new password, or "": it has
// MinPasswordChars to MaxPasswordChars characters of valid UTF-8 without
// control characters (spaces are fine).
func PasswordProblem(pw string) i18n.Message {
	switch n := utf8.RuneCountInString(pw); {
	case !utf8.ValidString(pw):
		return i18n.M("This password has bytes that are not valid UTF-8 characters: type it again.")
	case strings.IndexFunc(pw, unicode.IsControl) >= 0:
		return i18n.M("A password cannot contain tabs, line breaks or other control characters.")
	case n < MinPasswordChars:
		return i18n.M("Use at least 12 characters.")
	case n > MaxPasswordChars:
		return i18n.M("Use at most 128 characters.")
	}
	return i18n.Message{}
}
