package web

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/audit"
	"wholesale/internal/i18n"
	"wholesale/internal/users"
)

func (s *Server) registerAuthRoutes() {
	limit := s.loginLimiter()
	// GET /login shows the login form.
	s.page(fiber.MethodGet, "/login", anyone, s.handleLoginForm)
	// POST /login logs in; rate-limited per IP.
	s.page(fiber.MethodPost, "/login", anyone, limit, s.handleLogin)
	// POST /logout ends the session.
	s.page(fiber.MethodPost, "/logout", anyone, s.handleLogout)
	// GET /password/forgot asks for the address to send a reset code to.
	s.page(fiber.MethodGet, "/password/forgot", anyone, s.handleForgotForm)
	// POST /password/forgot mails a reset code; rate-limited per IP.
	s.page(fiber.MethodPost, "/password/forgot", anyone, limit, s.handleForgot)
	// GET /password/reset shows the form for the code and the new password.
	s.page(fiber.MethodGet, "/password/reset", anyone, s.handleResetForm)
	// POST /password/reset sets the new password; rate-limited per IP.
	s.page(fiber.MethodPost, "/password/reset", anyone, limit, s.handleReset)
}

type loginPage struct {
	Page
	Email string
	Next  string
}

func (s *Server) handleLoginForm(c *fiber.Ctx) error {
	if currentUser(c) != nil {
		return c.Redirect("/")
	}
	return s.render(c, "auth/login", &loginPage{Page: Page{Title: i18n.M("Log in")}, Next: safeNext(c.Query("next"))})
}

func (s *Server) handleLogin(c *fiber.Ctx) error {
	p := &loginPage{Page: Page{Title: i18n.M("Log in")}, Email: c.FormValue("email"), Next: safeNext(c.FormValue("next"))}
	u, err := s.users.Login(c.UserContext(), p.Email, c.FormValue("password"))
	if err != nil {
		return s.rerender(c, "auth/login", p, err)
	}
	logIn(c, u)
	if p.Next != "" {
		return c.Redirect(p.Next)
	}
	return c.Redirect("/")
}

// safeNext keeps a redirect target only when it is a path on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return ""
	}
	if u, err := url.Parse(next); err != nil || u.Host != "" || u.Scheme != "" {
		return ""
	}
	return next
}

func (s *Server) handleLogout(c *fiber.Ctx) error {
	if u := currentUser(c); u != nil {
		if err := audit.Record(c.UserContext(), s.db, s.clock.Now(), audit.Change{Entity: "user", EntityID: u.ID, Action: "logout"}); err != nil {
			return err
		}
	}
	logOut(c)
	return c.Redirect("/login")
}

type forgotPage struct {
	Page
	Email string
}

func (s *Server) handleForgotForm(c *fiber.Ctx) error {
	return s.render(c, "auth/forgot", &forgotPage{Page: Page{Title: i18n.M("Forgot your password")}})
}

// handleForgot asks for a code and sends the browser to the reset form. The
// address is kept in the session for that form, never put in the redirect:
// the Location header stays short whatever was typed.
func (s *Server) handleForgot(c *fiber.Ctx) error {
	p := &forgotPage{Page: Page{Title: i18n.M("Forgot your password")}, Email: c.FormValue("email")}
	if err := s.users.RequestReset(c.UserContext(), p.Email); err != nil {
		return s.rerender(c, "auth/forgot", p, err)
	}
	rs := sess(c)
	rs.resetEmail, rs.dirty = users.NormalizeEmail(p.Email), true
	flash(c, i18n.M("If an account has this address, a 6-digit code is on its way to it. It works once, for 15 minutes."))
	return c.Redirect("/password/reset")
}

type resetPage struct {
	Page
	Email string
	Code  string
}

func (s *Server) handleResetForm(c *fiber.Ctx) error {
	return s.render(c, "auth/reset", &resetPage{Page: Page{Title: i18n.M("Set a new password")}, Email: sess(c).resetEmail})
}

func (s *Server) handleReset(c *fiber.Ctx) error {
	p := &resetPage{Page: Page{Title: i18n.M("Set a new password")}, Email: c.FormValue("email"), Code: c.FormValue("code")}
	err := s.users.ResetPassword(c.UserContext(), users.ResetInput{Email: p.Email, Code: p.Code, Password: c.FormValue("password")})
	if err != nil {
		return s.rerender(c, "auth/reset", p, err)
	}
	sess(c).resetEmail = ""
	flash(c, i18n.M("Your password is set. Log in with it now."))
	return c.Redirect("/login")
}
