package web

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/csrf"
	"github.com/gofiber/fiber/v2/middleware/limiter"
	"github.com/gofiber/fiber/v2/utils"

	"wholesale/internal/apperr"
	"wholesale/internal/i18n"
	"wholesale/internal/money"
	"wholesale/internal/sessions"
	"wholesale/internal/users"
)

const requestIDKey = "request_id"

// observe gives each request an id, handles its error, logs it and counts it
// in the metrics by route.
func (s *Server) observe(c *fiber.Ctx) error {
	start := time.Now()
	id := c.Get(fiber.HeaderXRequestID)
	if id == "" || len(id) > 64 {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		id = hex.EncodeToString(b)
	}
	c.Locals(requestIDKey, id)
	c.Set(fiber.HeaderXRequestID, id)
	if err := c.Next(); err != nil {
		if herr := s.App.ErrorHandler(c, err); herr != nil {
			_ = c.SendStatus(fiber.StatusInternalServerError)
		}
	}
	status := c.Response().StatusCode()
	route := c.Route().Path
	if c.Route().Method == "USE" || route == "/" && c.Path() != "/" {
		route = "unmatched"
	}
	elapsed := time.Since(start)
	// The registry keeps label values for good; Fiber reuses the method's bytes.
	s.metrics.observe(utils.CopyString(c.Method()), route, status, elapsed)
	s.log.Info("request", "id", id, "method", c.Method(), "path", c.Path(), "route", route,
		"status", status, "ms", float64(elapsed.Microseconds())/1000, "ip", c.IP())
	return nil
}

// recoverPanic turns a panic of a handler into an internal error, answered
// 500 and logged with the request id and the stack by observe, instead of
// ending the server and every request under way with it.
func (s *Server) recoverPanic(c *fiber.Ctx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v\n%s", p, debug.Stack())
		}
	}()
	return c.Next()
}

// securityHeaders sets the headers every answer carries.
func (s *Server) securityHeaders(c *fiber.Ctx) error {
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Referrer-Policy", "same-origin")
	c.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'")
	if s.secure() {
		c.Set("Strict-Transport-Security", "max-age=31536000")
	}
	return c.Next()
}

// Session keys.
const (
	sessUserID  = sessions.KeyUserID
	sessFlash   = "flash"
	sessSavedAt = "saved"
	// sessResetEmail is the address a reset code was asked for, so the
	// reset form can show it without putting it in the address.
	sessResetEmail = sessions.KeyResetEmail
)

// reqSession is the session of one request; loadSession writes it back only
// when something changed, so most requests cost no write.
type reqSession struct {
	userID     int64
	flash      string
	resetEmail string
	savedAt    int64
	dirty      bool
	regenerate bool
	destroy    bool
}

const sessionKey = "session"

func sess(c *fiber.Ctx) *reqSession {
	rs, _ := c.Locals(sessionKey).(*reqSession)
	if rs == nil {
		rs = &reqSession{}
		c.Locals(sessionKey, rs)
	}
	return rs
}

// loadSession reads the server-side session, loads its user and, after the
// handler, writes back what changed.
func (s *Server) loadSession(c *fiber.Ctx) error {
	st, err := s.sessions.Get(c)
	if err != nil {
		return err
	}
	rs := sess(c)
	rs.userID, _ = st.Get(sessUserID).(int64)
	rs.flash, _ = st.Get(sessFlash).(string)
	rs.resetEmail, _ = st.Get(sessResetEmail).(string)
	rs.savedAt, _ = st.Get(sessSavedAt).(int64)
	if rs.userID != 0 {
		u, err := users.ByID(c.UserContext(), s.db, rs.userID)
		switch {
		case err == nil && u.Active:
			setUser(c, u)
		case err == nil || apperr.KindOf(err) == apperr.NotFound:
			rs.destroy = true // deactivated or removed: the session ends
		default:
			return err
		}
	}
	// Sessions slide: one used for an hour since it was last written is written again.
	if rs.userID != 0 && s.clock.Now().Sub(time.Unix(rs.savedAt, 0)) > time.Hour {
		rs.dirty = true
	}
	handlerErr := c.Next()
	switch {
	case rs.destroy:
		return firstErr(handlerErr, st.Destroy())
	case rs.dirty:
		if rs.regenerate {
			if err := st.Regenerate(); err != nil {
				return firstErr(handlerErr, err)
			}
		}
		st.Set(sessUserID, rs.userID)
		st.Set(sessFlash, rs.flash)
		if rs.resetEmail != "" {
			st.Set(sessResetEmail, rs.resetEmail)
		} else {
			st.Delete(sessResetEmail)
		}
		st.Set(sessSavedAt, s.clock.Now().Unix())
		return firstErr(handlerErr, st.Save())
	}
	return handlerErr
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// logIn starts a fresh session (a new id) for the user.
func logIn(c *fiber.Ctx, u *users.User) {
	rs := sess(c)
	rs.userID, rs.dirty, rs.regenerate = u.ID, true, true
	setUser(c, u)
}

// logOut ends the session.
func logOut(c *fiber.Ctx) { sess(c).destroy = true }

// flash keeps a message for the next page shown.
func flash(c *fiber.Ctx, msg i18n.Message) {
	rs := sess(c)
	b, err := json.Marshal(msg)
	if err != nil {
		b, _ = json.Marshal(i18n.Raw(msg.String()))
	}
	rs.flash, rs.dirty = string(b), true
}

// takeFlash returns the kept message once.
func takeFlash(c *fiber.Ctx) i18n.Message {
	rs := sess(c)
	var msg i18n.Message
	if rs.flash != "" {
		if err := json.Unmarshal([]byte(rs.flash), &msg); err != nil {
			msg = i18n.Raw(rs.flash)
		}
		rs.flash, rs.dirty = "", true
	}
	return msg
}

const csrfKey = "csrf"

// csrf protects every state-changing form: the token is in a cookie and in
// the form (field _csrf) or the X-CSRF-Token header, and kept server-side.
func (s *Server) csrf() fiber.Handler {
	return csrf.New(csrf.Config{
		CookieName:     "wholesale_csrf",
		CookieHTTPOnly: true,
		CookieSameSite: "Lax",
		CookieSecure:   s.secure(),
		Expiration:     12 * time.Hour,
		Storage:        sessions.NewStorage(s.db, "csrf", s.clock).Refreshing(10 * time.Minute),
		ContextKey:     csrfKey,
		Extractor: func(c *fiber.Ctx) (string, error) {
			if t := c.FormValue("_csrf"); t != "" {
				return t, nil
			}
			if t := c.Get("X-CSRF-Token"); t != "" {
				return t, nil
			}
			return "", csrf.ErrTokenNotFound
		},
		ErrorHandler: func(c *fiber.Ctx, err error) error {
			// The middleware does not tell a token it could not read
			// because the database is down from a missing one.
			if err := s.databaseUnreachable(c); err != nil {
				return err
			}
			return apperr.Forbiddenf("This form has expired or did not come from this site. Go back, reload the page and send it again.")
		},
	})
}

// loginLimiter limits login and reset posts per client IP, shared by every app server.
func (s *Server) loginLimiter() fiber.Handler {
	return limiter.New(limiter.Config{
		Max:        s.cfg.LoginRateLimit,
		Expiration: time.Minute,
		Storage:    sessions.NewStorage(s.db, "limiter", s.clock),
		KeyGenerator: func(c *fiber.Ctx) string {
			return "login:" + c.IP()
		},
		LimitReached: func(c *fiber.Ctx) error {
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(60))
			return apperr.New(apperr.TooManyRequests, "Too many attempts from your address. Wait a minute and try again.")
		},
	})
}

// moneyFields are the names of the form fields that hold an amount in
// euros: a credit limit (approval), a shipping cost (orders), a unit price
// (products) and a customer's price.
var moneyFields = []string{"credit_limit", "shipping", "unit_price", "price"}

// englishAmounts lets a reader of English type an amount the English way:
// an amount field that money.Parse refuses as ambiguous but that reads as
// an English amount ("1,250": one thousand two hundred and fifty) is
// rewritten to the unambiguous form ("1250") before a handler reads it.
// Everything money.Parse reads, and every other request, is left alone:
// in Dutch "1,250" stays refused, with its message at the field.
func (s *Server) englishAmounts(c *fiber.Ctx) error {
	if c.Method() != fiber.MethodPost || isAPI(c) || langOf(c) != i18n.EN {
		return c.Next()
	}
	l := loc(c)
	english := func(v string) (string, bool) {
		if _, err := money.Parse(v); err == nil {
			return v, false
		}
		cents, err := l.ParseAmount(v)
		if err != nil {
			return v, false
		}
		return money.Input(cents), true
	}
	if len(c.Request().Header.MultipartFormBoundary()) > 0 {
		if form, err := c.MultipartForm(); err == nil {
			for _, f := range moneyFields {
				for i, v := range form.Value[f] {
					form.Value[f][i], _ = english(v)
				}
			}
		}
		return c.Next()
	}
	args := c.Request().PostArgs()
	for _, f := range moneyFields {
		if v := args.Peek(f); v != nil {
			if amount, ok := english(string(v)); ok {
				args.Set(f, amount)
			}
		}
	}
	return c.Next()
}
