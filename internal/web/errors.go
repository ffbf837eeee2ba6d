package web

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/apperr"
	"wholesale/internal/i18n"
	"wholesale/internal/postgres"
)

// retryAfter is how many seconds a client is asked to wait when a service
// the app depends on is unavailable.
const retryAfter = 5

var statusOf = map[apperr.Kind]int{
	apperr.Internal:        fiber.StatusInternalServerError,
	apperr.NotFound:        fiber.StatusNotFound,
	apperr.Invalid:         fiber.StatusUnprocessableEntity,
	apperr.Conflict:        fiber.StatusConflict,
	apperr.Forbidden:       fiber.StatusForbidden,
	apperr.Unauthenticated: fiber.StatusUnauthorized,
	apperr.TooManyRequests: fiber.StatusTooManyRequests,
	apperr.Unavailable:     fiber.StatusServiceUnavailable,
}

// apiError is the JSON body of an error answer.
type apiError struct {
	Error struct {
		Kind      string            `json:"kind"`
		Message   string            `json:"message"`
		Fields    map[string]string `json:"fields,omitempty"`
		RequestID string            `json:"request_id"`
	} `json:"error"`
}

type errorPage struct {
	Page
	Status  int
	Message i18n.Message
}

// databaseUnreachable returns an Unavailable error when the database
// cannot be reached just now, else nil.
func (s *Server) databaseUnreachable(c *fiber.Ctx) error {
	if err := s.db.PingContext(c.UserContext()); postgres.Unavailable(err) {
		return postgres.UnavailableError(err)
	}
	return nil
}

// internalMessage is what people are told of an internal error.
var internalMessage = i18n.M("Something went wrong on our side. It has been logged; please try again.")

// handleError is the one place where errors become answers: the kind gives the
// status, the API gets JSON, people get a page. Only internal errors are logged
// with their detail, and their detail is never shown. An unreachable
// database, wherever it was met, is 503 with Retry-After.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	kind, msg := apperr.Internal, internalMessage
	var fields map[string]i18n.Message
	status := fiber.StatusInternalServerError
	var fe *fiber.Error
	var br *badRequest
	err = postgres.TranslateUnavailable(err)
	if ae, ok := apperr.As(err); ok && ae.Kind != apperr.Internal {
		kind, msg, fields, status = ae.Kind, ae.Msg, ae.Fields, statusOf[ae.Kind]
		if kind == apperr.Unavailable {
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(retryAfter))
			s.log.Warn("unavailable", "id", c.Locals(requestIDKey), "method", c.Method(), "path", c.Path(), "err", err)
		}
	} else if errors.As(err, &br) {
		kind, msg, status = apperr.Invalid, br.Message, fiber.StatusBadRequest
		if br.Param != "" {
			fields = map[string]i18n.Message{br.Param: br.Message}
		}
	} else if errors.As(err, &fe) {
		if page := s.pageOf(c.Path()); fe.Code == fiber.StatusMethodNotAllowed && c.Method() == fiber.MethodGet && page != "" {
			// The address of a form's POST, reloaded or bookmarked after the
			// form came back with a message: the page the form is on.
			return c.Redirect(page, fiber.StatusSeeOther)
		}
		status = fe.Code
		kind, msg = fiberError(fe.Code)
	} else {
		s.log.Error("internal error", "id", c.Locals(requestIDKey), "method", c.Method(), "path", c.Path(), "err", err)
	}
	c.Status(status)
	if isAPI(c) {
		var body apiError
		l := loc(c)
		body.Error.Kind, body.Error.Message = kind.String(), l.Text(msg)
		if len(fields) > 0 {
			body.Error.Fields = make(map[string]string, len(fields))
			for f, m := range fields {
				body.Error.Fields[f] = l.Text(m)
			}
		}
		body.Error.RequestID, _ = c.Locals(requestIDKey).(string)
		return c.JSON(body)
	}
	p := errorPage{Status: status, Message: msg}
	p.Title = titleOf(status)
	if err := s.render(c, "errors/error", &p); err != nil {
		s.log.Error("error page", "id", c.Locals(requestIDKey), "err", err)
		c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
		return c.Status(fiber.StatusInternalServerError).SendString(loc(c).Text(internalMessage) + "\n")
	}
	return nil
}

// fiberError is the kind and the message of an error Fiber answered with
// before or instead of a handler (its own message is English only).
func fiberError(code int) (apperr.Kind, i18n.Message) {
	switch code {
	case fiber.StatusNotFound:
		return apperr.NotFound, i18n.M("This page does not exist.")
	case fiber.StatusRequestEntityTooLarge:
		return apperr.Invalid, i18n.M("What you sent is too large.")
	case fiber.StatusTooManyRequests:
		return apperr.TooManyRequests, i18n.M("Too many requests. Wait a minute and try again.")
	case fiber.StatusMethodNotAllowed:
		return apperr.Invalid, i18n.M("This address cannot be used this way: open it as a link, or send its form.")
	case fiber.StatusUnsupportedMediaType:
		return apperr.Invalid, i18n.M("Send the body as JSON, with the header Content-Type: application/json.")
	case fiber.StatusRequestHeaderFieldsTooLarge, fiber.StatusRequestURITooLong:
		return apperr.Invalid, i18n.M("The address or the headers of this request are too long.")
	case fiber.StatusServiceUnavailable:
		return apperr.Unavailable, i18n.M("The service is briefly unavailable. Please try again in a minute.")
	}
	if code >= 500 {
		return apperr.Internal, internalMessage
	}
	return apperr.Invalid, i18n.M("This request cannot be read.")
}

func isAPI(c *fiber.Ctx) bool { return strings.HasPrefix(c.Path(), "/api/") }

func titleOf(status int) i18n.Message {
	switch status {
	case fiber.StatusNotFound:
		return i18n.M("Not found")
	case fiber.StatusForbidden:
		return i18n.M("Not allowed")
	case fiber.StatusUnauthorized:
		return i18n.M("Please log in")
	case fiber.StatusTooManyRequests:
		return i18n.M("Too many attempts")
	case fiber.StatusConflict:
		return i18n.M("Not possible now")
	case fiber.StatusUnprocessableEntity:
		return i18n.M("Please check what you entered")
	case fiber.StatusBadRequest, fiber.StatusUnsupportedMediaType, fiber.StatusRequestHeaderFieldsTooLarge, fiber.StatusRequestURITooLong:
		return i18n.M("This request cannot be read")
	case fiber.StatusMethodNotAllowed:
		return i18n.M("Not possible this way")
	case fiber.StatusRequestEntityTooLarge:
		return i18n.M("Too large")
	case fiber.StatusServiceUnavailable:
		return i18n.M("Briefly unavailable")
	}
	return i18n.M("Error")
}
