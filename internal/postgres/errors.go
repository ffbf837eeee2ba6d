package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/uptrace/bun/driver/pgdriver"

	"wholesale/internal/apperr"
	"wholesale/internal/i18n"
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
// connection or another failure of the query. msg is a message
// (i18n.M("…"), printed in the reader's language); a plain string is
// shown as it is, untranslated.
func NoRows[M string | i18n.Message](err error, msg M) error {
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	switch m := any(msg).(type) {
	case i18n.Message:
		return apperr.Of(apperr.NotFound, m)
	case string:
		return apperr.Of(apperr.NotFound, i18n.Raw(m))
	}
	return err
}

// Unavailable tells whether err says that the database cannot be reached or
// used just now, a state expected to pass: the connection was refused,
// reset or timed out, the pool had no connection before the deadline, or
// PostgreSQL answered with a connection exception (SQLSTATE class 08), is
// shutting down or starting (57P01, 57P02, 57P03) or has no connection
// slot left (53300).
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	if code := Code(err); code != "" {
		switch code {
		case "57P01", "57P02", "57P03", "53300":
			return true
		}
		return strings.HasPrefix(code, "08")
	}
	var opErr *net.OpError
	return errors.As(err, &opErr) || // dialling, reading or writing the connection failed
		errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || // the server hung up without a word
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, context.DeadlineExceeded) // no connection free, or none made, before the deadline
}

// MsgUnavailable is what people are told while the database is unreachable.
var MsgUnavailable = i18n.M("The service is briefly unavailable: it cannot reach its database just now. Please try again in a minute.")

// UnavailableError is the Unavailable error, with MsgUnavailable, around
// err: a failure to reach the database.
func UnavailableError(err error) *apperr.Error {
	return &apperr.Error{Kind: apperr.Unavailable, Msg: MsgUnavailable, Err: err}
}

// TranslateUnavailable returns err as an apperr.Unavailable error when the
// database is unreachable (Unavailable), else err unchanged. The web error
// handler applies it to every error, wherever it was made.
func TranslateUnavailable(err error) error {
	if apperr.KindOf(err) != apperr.Internal {
		return err
	}
	if Unavailable(err) {
		return UnavailableError(err)
	}
	return err
}

// Translate turns sql.ErrNoRows into NotFound (with what as the thing not
// found), constraint violations into Conflict and an unreachable database
// into Unavailable; other errors pass through.
func Translate(err error, what i18n.Message) error {
	switch {
	case err == nil:
		return nil
	case Unavailable(err):
		return UnavailableError(err)
	case errors.Is(err, sql.ErrNoRows):
		return apperr.NotFoundf("%s not found.", what)
	case Code(err) == CodeUniqueViolation:
		return &apperr.Error{Kind: apperr.Conflict, Msg: i18n.M("%s already exists.", what), Err: err}
	case Code(err) == CodeForeignKeyViolation:
		return &apperr.Error{Kind: apperr.Conflict, Msg: i18n.M("%s is still in use or refers to something missing.", what), Err: err}
	}
	return err
}
