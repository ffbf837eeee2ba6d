package web

import (
	"github.com/gofiber/fiber/v2"

	"wholesale/internal/customers"
	"wholesale/internal/i18n"
)

func (s *Server) registerTermsRoutes() {
	// GET /terms shows the general terms an applicant accepts and signs, printable.
	s.page(fiber.MethodGet, "/terms", anyone, s.handleTerms)
}

type termsPage struct {
	Page
	Terms customers.Terms
}

func (s *Server) handleTerms(c *fiber.Ctx) error {
	t := customers.CurrentTerms
	return s.render(c, "apply/terms", &termsPage{Page: Page{Title: i18n.Raw(t.Name)}, Terms: t})
}
