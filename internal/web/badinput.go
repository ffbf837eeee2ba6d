package web

import (
	"math"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/i18n"
	"wholesale/internal/validate"
)

// cleanQuery refuses a request whose query string holds a NUL or another
// control character, or bytes that are not UTF-8, in a parameter's name or
// value: 400 with a page, or JSON under /api/, naming the parameter when its
// name is clean. No handler ever sees such a value, so none can pass it to
// PostgreSQL (which cannot store a NUL) or into a page.
func (s *Server) cleanQuery(c *fiber.Ctx) error {
	var bad i18n.Message
	var badName string
	c.Context().QueryArgs().VisitAll(func(k, v []byte) {
		if !bad.IsZero() {
			return
		}
		key := string(k)
		if msg := validate.CheckLine(key, math.MaxInt); !msg.IsZero() {
			bad = i18n.M("The address has a query parameter whose name has control characters or bytes that are not UTF-8. Remove them and try again.")
			return
		}
		if msg := validate.CheckLine(string(v), math.MaxInt); !msg.IsZero() {
			badName = key
			bad = i18n.M("The query parameter \"%s\" of the address has control characters (such as NUL, tab or line break) or bytes that are not UTF-8. Remove them and try again.", key)
		}
	})
	if bad.IsZero() {
		return c.Next()
	}
	if !utf8.ValidString(badName) {
		badName = ""
	}
	return &badRequest{Message: bad, Param: badName}
}

// badRequest is a request refused before any handler ran: 400 with the
// message, and in JSON the parameter in "fields".
type badRequest struct {
	Message i18n.Message
	Param   string
}

func (e *badRequest) Error() string { return e.Message.String() }
