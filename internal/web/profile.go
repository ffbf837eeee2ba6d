package web

import (
	"wholesale/internal/i18n"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/users"
)

func (s *Server) registerProfileRoutes() {
	// GET /profile shows the user's own details and API tokens.
	s.page(fiber.MethodGet, "/profile", everyRole, s.handleProfile)
	// POST /profile/tokens creates an API token and shows it once.
	s.page(fiber.MethodPost, "/profile/tokens", everyRole, s.handleTokenCreate)
	// POST /profile/tokens/:id/revoke ends one of the user's tokens.
	s.page(fiber.MethodPost, "/profile/tokens/:id/revoke", everyRole, s.handleTokenRevoke)
}

type profilePage struct {
	Page
	Tokens    []users.Token
	NewToken  string
	TokenName string
}

func (s *Server) profilePage(c *fiber.Ctx) (*profilePage, error) {
	tokens, err := s.users.Tokens(c.UserContext(), currentUser(c).ID)
	return &profilePage{Page: Page{Title: i18n.M("Your profile")}, Tokens: tokens}, err
}

func (s *Server) handleProfile(c *fiber.Ctx) error {
	p, err := s.profilePage(c)
	if err != nil {
		return err
	}
	return s.render(c, "account/profile", p)
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
