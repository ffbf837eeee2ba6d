package web

import (
	"github.com/gofiber/fiber/v2"

	"wholesale/internal/i18n"
	"wholesale/internal/privacy"
	"wholesale/internal/users"
)

func (s *Server) registerProfileRoutes() {
	// GET /profile shows the user's own details, language and API tokens.
	s.page(fiber.MethodGet, "/profile", everyRole, s.handleProfile)
	// POST /profile/language sets the language of the user's pages and mail.
	s.page(fiber.MethodPost, "/profile/language", everyRole, s.handleLanguage)
	// POST /profile/tokens creates an API token and shows it once.
	s.page(fiber.MethodPost, "/profile/tokens", everyRole, s.handleTokenCreate)
	// POST /profile/tokens/:id/revoke ends one of the user's tokens.
	s.page(fiber.MethodPost, "/profile/tokens/:id/revoke", everyRole, s.handleTokenRevoke)
}

type profilePage struct {
	Page
	// Language is the language chosen in the form: the user's own, or
	// what was sent.
	Language  string
	Tokens    []users.Token
	NewToken  string
	TokenName string
	// Erasure is the user's open request to be erased, if any.
	Erasure *privacy.Request
}

func (s *Server) profilePage(c *fiber.Ctx) (*profilePage, error) {
	u := currentUser(c)
	tokens, err := s.users.Tokens(c.UserContext(), u.ID)
	if err != nil {
		return nil, err
	}
	erasure, err := s.privacy.OpenRequest(c.UserContext(), u.ID)
	return &profilePage{Page: Page{Title: i18n.M("Your profile")}, Language: string(i18n.Lang(u.Language).Or(i18n.Default)), Tokens: tokens,
		Erasure: erasure}, err
}

func (s *Server) handleProfile(c *fiber.Ctx) error {
	p, err := s.profilePage(c)
	if err != nil {
		return err
	}
	return s.render(c, "account/profile", p)
}

// handleLanguage stores the user's language; the next page, with its
// flash, is in it.
func (s *Server) handleLanguage(c *fiber.Ctx) error {
	lang := c.FormValue("language")
	if _, err := s.users.SetLanguage(c.UserContext(), currentUser(c).ID, lang); err != nil {
		p, perr := s.profilePage(c)
		if perr != nil {
			return perr
		}
		p.Language = lang
		return s.rerender(c, "account/profile", p, err)
	}
	flash(c, i18n.M("Language saved: our pages and mail to you personally are in this language from now on."))
	return c.Redirect("/profile")
}

func (s *Server) handleTokenCreate(c *fiber.Ctx) error {
	name := c.FormValue("name")
	plain, _, createErr := s.users.CreateToken(c.UserContext(), currentUser(c).ID, name)
	p, err := s.profilePage(c)
	if err != nil {
		return err
	}
	if createErr != nil {
		p.TokenName = name
		return s.rerender(c, "account/profile", p, createErr)
	}
	p.NewToken = plain
	return s.render(c, "account/profile", p)
}

func (s *Server) handleTokenRevoke(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	if err := s.users.RevokeToken(c.UserContext(), currentUser(c).ID, int64(id)); err != nil {
		return err
	}
	flash(c, i18n.M("The token no longer works."))
	return c.Redirect("/profile")
}
