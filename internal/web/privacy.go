package web

import (
	"encoding/json"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/i18n"
	"wholesale/internal/privacy"
)

func (s *Server) registerPrivacyRoutes() {
	// GET /profile/data shows everything held about the logged-in user (only their own).
	s.page(fiber.MethodGet, "/profile/data", everyRole, s.handleDataPage)
	// GET /profile/data.json downloads the same as JSON.
	s.page(fiber.MethodGet, "/profile/data.json", everyRole, s.handleDataJSON)
	// POST /profile/erasure asks for the erasure of the logged-in customer user.
	s.page(fiber.MethodPost, "/profile/erasure", customerOnly, s.handleErasureRequest)
	// POST /admin/users/:id/erasure puts in the erasure of a staff member who left.
	s.page(fiber.MethodPost, "/admin/users/:id/erasure", adminOnly, s.handleStaffErasure)
	// GET /admin/erasures lists the erasures awaiting confirmation.
	s.page(fiber.MethodGet, "/admin/erasures", salesDesk, s.handleErasureIndex)
	// POST /admin/erasures/:id/confirm erases the person of a request.
	s.page(fiber.MethodPost, "/admin/erasures/:id/confirm", salesDesk, s.handleErasureConfirm)
}

type dataPage struct {
	Page
	Data *privacy.Export
}

func (s *Server) handleDataPage(c *fiber.Ctx) error {
	x, err := s.privacy.Export(c.UserContext(), currentUser(c).ID)
	if err != nil {
		return err
	}
	return s.render(c, "account/data", &dataPage{Page: Page{Title: i18n.M("Your data")}, Data: x})
}

func (s *Server) handleDataJSON(c *fiber.Ctx) error {
	u := currentUser(c)
	x, err := s.privacy.Export(c.UserContext(), u.ID)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(x, "", "  ")
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="wholesale-data-user-%d.json"`, u.ID))
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(b)
}

func (s *Server) handleErasureRequest(c *fiber.Ctx) error {
	if _, err := s.privacy.RequestOwn(c.UserContext(), currentUser(c)); err != nil {
		p, perr := s.profilePage(c)
		if perr != nil {
			return perr
		}
		return s.rerender(c, "account/profile", p, err)
	}
	flash(c, i18n.M("Your request is in. Our sales desk confirms it; then your login ends and your name and e-mail address are erased."))
	return c.Redirect("/profile")
}

func (s *Server) handleStaffErasure(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	if _, err := s.privacy.RequestFor(c.UserContext(), currentUser(c), int64(id)); err != nil {
		return err
	}
	flash(c, i18n.M("The erasure is put in; sales or another admin confirms it at Erasures."))
	return c.Redirect(fmt.Sprintf("/admin/users/%d", id))
}

type erasuresPage struct {
	Page
	Requests []privacy.Pending
}

func (s *Server) erasuresPage(c *fiber.Ctx) (*erasuresPage, error) {
	rs, err := s.privacy.Open(c.UserContext())
	return &erasuresPage{Page: Page{Title: i18n.M("Erasures")}, Requests: rs}, err
}

func (s *Server) handleErasureIndex(c *fiber.Ctx) error {
	p, err := s.erasuresPage(c)
	if err != nil {
		return err
	}
	return s.render(c, "admin/erasures", p)
}

func (s *Server) handleErasureConfirm(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	staffConfirm, err := privacy.ConfirmInput{StaffConfirm: c.FormValue("staff_confirm")}.Validate()
	if err == nil {
		err = s.privacy.Confirm(c.UserContext(), currentUser(c), int64(id), staffConfirm)
	}
	if err != nil {
		p, perr := s.erasuresPage(c)
		if perr != nil {
			return perr
		}
		return s.rerender(c, "admin/erasures", p, err)
	}
	flash(c, i18n.M("The person is erased: their login ended, and their name, e-mail address and phone are gone but from issued invoices."))
	return c.Redirect("/admin/erasures")
}
