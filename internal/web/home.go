package web

import (
	"github.com/gofiber/fiber/v2"

	"wholesale/templates"
)

func (s *Server) registerHomeRoutes() {
	// GET / is the start page of a logged-in user.
	s.page(fiber.MethodGet, "/", everyRole, s.handleHome)
	// GET /static/style.css is the one style sheet.
	s.page(fiber.MethodGet, "/static/style.css", anyone, s.handleStyle)
}

type homePage struct {
	Page
}

func (s *Server) handleHome(c *fiber.Ctx) error {
	return s.render(c, "home/index", &homePage{Page: Page{Title: "Home"}})
}

func (s *Server) handleStyle(c *fiber.Ctx) error {
	b, err := templates.FS.ReadFile("static/style.css")
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/css; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	return c.Send(b)
}
