package web

import (
	"github.com/gofiber/fiber/v2"

	"wholesale/internal/customers"
)

func (s *Server) registerTermsRoutes() {
	// GET /terms shows the general terms an applicant accepts and signs,
	// printable, in Dutch (the original) or English.
	s.page(fiber.MethodGet, "/terms", anyone, s.handleTerms)
}

type termsPage struct {
	Page
	Terms customers.Terms
}

func (s *Server) handleTerms(c *fiber.Ctx) error {
	t := customers.CurrentTerms
	return s.render(c, "apply/terms", &termsPage{Page: Page{Title: t.Name}, Terms: t})
}
