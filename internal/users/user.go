// Package users holds the people who use the system, their roles, logins
// with lockout, password reset codes and API tokens.
package users

import (
	"github.com/uptrace/bun"
	"net/mail"
	"strings"
	"time"

	"wholesale/internal/apperr"
)

// Role is what a user may do. Each user has one.
type Role string

// The roles.
const (
	RoleAdmin          Role = "admin"
	RoleSales          Role = "sales"
	RoleAccountManager Role = "account_manager"
	RoleWarehouse      Role = "warehouse"
	RoleCustomer       Role = "customer"
)

// Roles lists every role, staff first.
var Roles = []Role{RoleAdmin, RoleSales, RoleAccountManager, RoleWarehouse, RoleCustomer}

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
func (r Role) Label() string {
	switch r {
	case RoleAdmin:
		return "Admin"
	case RoleSales:
		return "Sales"
	case RoleAccountManager:
		return "Account manager"
	case RoleWarehouse:
		return "Warehouse"
	case RoleCustomer:
		return "Customer"
	}
	return string(r)
}

// Staff tells whether r is a role of the wholesaler's own people.
func (r Role) Staff() bool { return r.Valid() && r != RoleCustomer }

// User is a person with a login.
type User struct {
	ID            int64     `bun:"id,pk,autoincrement" json:"id"`
	Email         string    `bun:"email" json:"email"`
	Name          string    `bun:"name" json:"name"`
	Role          Role      `bun:"role" json:"role"`
	CompanyID     *int64    `bun:"company_id" json:"company_id,omitempty"`
	PasswordHash  string    `bun:"password_hash" json:"-"`
	Active        bool      `bun:"active" json:"active"`
	CreatedAt     time.Time `bun:"created_at" json:"created_at"`
	UpdatedAt     time.Time `bun:"updated_at" json:"updated_at"`
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
	MaxFailedLogins  = 5
	LockoutDuration  = 15 * time.Minute
	ResetCodeTTL     = 15 * time.Minute
	MaxResetTries    = 5
	MinPasswordChars = 10
)

// NormalizeEmail trims and lower-cases an e-mail address.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// NewUser is the input for creating a user.
type NewUser struct {
	Email     string
	Name      string
	Role      Role
	CompanyID int64
	Password  string
	// Invited users get no password: they set one through an invitation link.
	Invited bool
}

// Validate checks the input and returns field errors (Invalid).
func (in *NewUser) Validate() error {
	fe := apperr.FieldErrors{}
	in.Email = NormalizeEmail(in.Email)
	in.Name = strings.TrimSpace(in.Name)
	validateEmail(fe, "email", in.Email)
	if in.Name == "" {
		fe.Add("name", "Enter the person's name.")
	}
	validateRole(fe, in.Role, in.CompanyID)
	if msg := PasswordProblem(in.Password); msg != "" && !in.Invited {
		fe.Add("password", msg)
	}
	return fe.Err()
}

func validateEmail(fe apperr.FieldErrors, field, email string) {
	if email == "" {
		fe.Add(field, "Enter an e-mail address.")
		return
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || !strings.Contains(email[strings.LastIndex(email, "@")+1:], ".") {
		fe.Add(field, "Enter a valid e-mail address, like name@example.nl.")
	}
}

func validateRole(fe apperr.FieldErrors, role Role, companyID int64) {
	switch {
	case !role.Valid():
		fe.Add("role", "Choose a role.")
	case role == RoleCustomer && companyID == 0:
		fe.Add("company_id", "A customer user belongs to a company: choose one.")
	case role != RoleCustomer && companyID != 0:
		fe.Add("company_id", "Only customer users belong to a company.")
	}
}

// PasswordProblem says what is wrong with a new password, or "".
func PasswordProblem(pw string) string {
	switch {
	case len([]rune(pw)) < MinPasswordChars:
		return "Use at least 10 characters."
	case len(pw) > 256:
		return "Use at most 256 characters."
	}
	return ""
}
