package postgres

import (
	"database/sql"
	"errors"

	"github.com/uptrace/bun/driver/pgdriver"

	"wholesale/internal/apperr"
)

// SQLSTATE codes the application reacts to.
const (
	CodeUniqueViolation      = "23505"
	CodeForeignKeyViolation  = "23503"
	CodeCheckViolation       = "23514"
	CodeSerializationFailure = "40001"
	CodeDeadlockDetected     = "40P01"
)

// Code returns the SQLSTATE of a PostgreSQL error, or "".
func Code(err error) string {
	var pgErr pgdriver.Error
	if errors.As(err, &pgErr) {
		return pgErr.Field('C')
	}
	return ""
}

// Constraint returns the name of the constraint a PostgreSQL error is about, or "".
func Constraint(err error) string {
	var pgErr pgdriver.Error
	if errors.As(err, &pgErr) {
		return pgErr.Field('n')
	}
	return ""
}

// IsUniqueViolation tells whether err is a unique violation, of constraint
// when one is named.
func IsUniqueViolation(err error, constraint string) bool {
	return Code(err) == CodeUniqueViolation && (constraint == "" || Constraint(err) == constraint)
}

// NoRows returns NotFound with msg when err is sql.ErrNoRows, and err
// itself otherwise: only a missing row is "not found", never a lost
// connection or another failure of the query.
func NoRows(err error, msg string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.NotFoundf("%s", msg)
	}
	return err
}

// Translate turns sql.ErrNoRows into NotFound (with what as the thing not found)
// and constraint violations into Conflict; other errors pass through.
func Translate(err error, what string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows):
		return apperr.NotFoundf("%s not found.", what)
	case Code(err) == CodeUniqueViolation:
		return &apperr.Error{Kind: apperr.Conflict, Message: what + " already exists.", Err: err}
	case Code(err) == CodeForeignKeyViolation:
		return &apperr.Error{Kind: apperr.Conflict, Message: what + " is still in use or refers to something missing.", Err: err}
	}
	return err
}
