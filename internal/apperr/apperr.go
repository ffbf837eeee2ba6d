// Package apperr is the one error vocabulary of the application. Domain code
// returns these kinds with a message that is safe to show; the web layer maps
// each kind once to an HTTP status and an HTML page or JSON body.
package apperr

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"wholesale/internal/i18n"
)

// Kind classifies an error for the people and programs that see it.
type Kind int

// The kinds of error. Internal is everything that is not one of the others.
const (
	Internal Kind = iota
	NotFound
	Invalid
	Conflict
	Forbidden
	Unauthenticated
	TooManyRequests
	// Unavailable is a failure of something the application depends on,
	// such as the database, that is expected to pass: try again shortly.
	Unavailable
)

func (k Kind) String() string {
	switch k {
	case NotFound:
		return "not_found"
	case Invalid:
		return "invalid"
	case Conflict:
		return "conflict"
	case Forbidden:
		return "forbidden"
	case Unauthenticated:
		return "unauthenticated"
	case TooManyRequests:
		return "too_many_requests"
	case Unavailable:
		return "unavailable"
	default:
		return "internal"
	}
}

// Error is an error with a kind, a message safe to show and, for Invalid,
// a message per form field. The messages are i18n messages: the web layer
// prints them in the reader's language; Error() prints them in English.
type Error struct {
	Kind   Kind
	Msg    i18n.Message
	Fields map[string]i18n.Message
	Err    error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Msg.String())
	if len(e.Fields) > 0 {
		keys := make([]string, 0, len(e.Fields))
		for k := range e.Fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			b.WriteString("; " + k + ": " + e.Fields[k].String())
		}
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an error of the kind with a message safe to show: format is
// the message's ID (its English text, a string literal the catalog test
// finds), args its values.
func New(kind Kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Msg: i18n.M(format, args...)}
}

// Of returns an error of the kind with the message m.
func Of(kind Kind, m i18n.Message) *Error { return &Error{Kind: kind, Msg: m} }

// NotFoundf returns a NotFound error.
func NotFoundf(format string, args ...any) *Error { return New(NotFound, format, args...) }

// Conflictf returns a Conflict error.
func Conflictf(format string, args ...any) *Error { return New(Conflict, format, args...) }

// Forbiddenf returns a Forbidden error.
func Forbiddenf(format string, args ...any) *Error { return New(Forbidden, format, args...) }

// Unauthenticatedf returns an Unauthenticated error.
func Unauthenticatedf(format string, args ...any) *Error {
	return New(Unauthenticated, format, args...)
}

// Unavailablef returns an Unavailable error around err, the failure behind
// it, which is logged but not shown.
func Unavailablef(err error, format string, args ...any) *Error {
	return &Error{Kind: Unavailable, Msg: i18n.M(format, args...), Err: err}
}

// Invalidf returns an Invalid error without field messages.
func Invalidf(format string, args ...any) *Error { return New(Invalid, format, args...) }

// Wrap returns an Internal error around err; its message is not shown to
// users (and not translated: it is for the log).
func Wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return &Error{Kind: Internal, Msg: i18n.Raw(fmt.Sprintf(format, args...)), Err: err}
}

// KindOf returns the kind of err, Internal when it carries none.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// FieldErrors collects per-field messages while validating input.
type FieldErrors map[string]i18n.Message

// Add records msg for field unless the field already has a message (or
// msg is none).
func (f FieldErrors) Add(field string, msg i18n.Message) {
	if _, ok := f[field]; !ok && !msg.IsZero() {
		f[field] = msg
	}
}

// Addf records the message format with args for field, as Add does.
func (f FieldErrors) Addf(field, format string, args ...any) {
	f.Add(field, i18n.M(format, args...))
}

// Corrections is the message of an error with field messages.
var Corrections = i18n.M("Please correct the marked fields.")

// Err returns an Invalid error holding the messages, or nil when there are none.
func (f FieldErrors) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Kind: Invalid, Msg: Corrections, Fields: map[string]i18n.Message(f)}
}
