package web

import (
	"fmt"
	"strconv"
	"wholesale/internal/i18n"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/users"
)

func (s *Server) registerAdminUserRoutes() {
	// GET /admin/users lists every user with role, company and lockout (?locked=1: those locked out now).
	s.page(fiber.MethodGet, "/admin/users", adminOnly, s.handleUserIndex)
	// GET /admin/users/new shows the form for a new user.
	s.page(fiber.MethodGet, "/admin/users/new", adminOnly, s.handleUserNew)
	// POST /admin/users creates a user.
	s.page(fiber.MethodPost, "/admin/users", adminOnly, s.handleUserCreate)
	// GET /admin/users/:id shows a user with the form to change name, role and company.
	s.page(fiber.MethodGet, "/admin/users/:id", adminOnly, s.handleUserShow)
	// POST /admin/users/:id changes name, role and company.
	s.page(fiber.MethodPost, "/admin/users/:id", adminOnly, s.handleUserUpdate)
	// POST /admin/users/:id/unlock lifts a login lockout.
	s.page(fiber.MethodPost, "/admin/users/:id/unlock", adminOnly, s.handleUserUnlock)
	// POST /admin/users/:id/deactivate stops a user from logging in.
	s.page(fiber.MethodPost, "/admin/users/:id/deactivate", adminOnly, s.handleUserSetActive(false))
	// POST /admin/users/:id/activate lets a deactivated user log in again.
	s.page(fiber.MethodPost, "/admin/users/:id/activate", adminOnly, s.handleUserSetActive(true))
}

type userIndexPage struct {
	Page
	Users []users.ListItem
	// Locked tells that only the users locked out now are shown.
	Locked bool
}

func (s *Server) handleUserIndex(c *fiber.Ctx) error {
	p := &userIndexPage{Page: Page{Title: i18n.M("Users")}, Locked: c.Query("locked") == "1"}
	var err error
	if p.Locked {
		p.Title = i18n.M("Users locked out after failed logins")
		p.Users, err = users.ListLocked(c.UserContext(), s.db, s.clock.Now())
	} else {
		p.Users, err = users.List(c.UserContext(), s.db)
	}
	if err != nil {
		return err
	}
	return s.render(c, "admin/users", p)
}

// userForm is the user form as typed.
type userForm struct {
	Email, Name, Role, CompanyID string
}

type userFormPage struct {
	Page
	Form userForm
	// Pick is the field of a customer user's company.
	Pick   customerPick
	Edit   *users.User
	Locked bool
}

func (s *Server) userFormPage(c *fiber.Ctx, title i18n.Message) (*userFormPage, error) {
	pick, err := s.pick(c, customerPick{ID: "company_id", Name: "company_id", Blank: i18n.Raw("—"),
		Label: i18n.M("Company (customer users only)"), NumberLabel: i18n.M("Customer number (customer users only)")})
	return &userFormPage{Page: Page{Title: title}, Pick: pick}, err
}

// company reads the company typed or chosen, into the form as typed.
func (s *Server) company(c *fiber.Ctx, p *userFormPage) (int64, error) {
	p.Form.CompanyID, p.Pick.Value = c.FormValue("company_id"), c.FormValue("company_id")
	co, err := s.picked(c, "company_id", p.Form.CompanyID)
	return co.ID, err
}

func (s *Server) handleUserNew(c *fiber.Ctx) error {
	p, err := s.userFormPage(c, i18n.M("New user"))
	if err != nil {
		return err
	}
	p.Form.Role = string(users.RoleAccountManager)
	return s.render(c, "admin/user_new", p)
}

func (s *Server) handleUserCreate(c *fiber.Ctx) error {
	p, err := s.userFormPage(c, i18n.M("New user"))
	if err != nil {
		return err
	}
	p.Form = userForm{Email: c.FormValue("email"), Name: c.FormValue("name"), Role: c.FormValue("role")}
	companyID, picked := s.company(c, p)
	in := users.NewUser{Email: p.Form.Email, Name: p.Form.Name, Role: users.Role(p.Form.Role), CompanyID: companyID, Password: c.FormValue("password")}
	if picked != nil {
		return s.rerender(c, "admin/user_new", p, joinFields(picked, in.Validate()))
	}
	u, err := s.users.Create(c.UserContext(), in)
	if err != nil {
		return s.rerender(c, "admin/user_new", p, err)
	}
	flash(c, i18n.M("User %s created.", u.Email))
	return c.Redirect(fmt.Sprintf("/admin/users/%d", u.ID))
}

func (s *Server) editPage(c *fiber.Ctx) (*userFormPage, error) {
	id, err := c.ParamsInt("id")
	if err != nil {
		return nil, fiber.ErrNotFound
	}
	u, err := users.ByID(c.UserContext(), s.db, int64(id))
	if err != nil {
		return nil, err
	}
	p, err := s.userFormPage(c, i18n.Raw(u.Name))
	if err != nil {
		return nil, err
	}
	p.Edit = u
	p.Form = userForm{Email: u.Email, Name: u.Name, Role: string(u.Role)}
	if u.CompanyID != nil {
		p.Form.CompanyID = strconv.FormatInt(*u.CompanyID, 10)
		p.Pick.Value = p.Form.CompanyID
	}
	list, err := users.List(c.UserContext(), s.db)
	for _, it := range list {
		if it.ID == u.ID && it.LockedUntil != nil && it.LockedUntil.After(s.clock.Now()) {
			p.Locked = true
		}
	}
	return p, err
}

func (s *Server) handleUserShow(c *fiber.Ctx) error {
	p, err := s.editPage(c)
	if err != nil {
		return err
	}
	return s.render(c, "admin/user_edit", p)
}

func (s *Server) handleUserUpdate(c *fiber.Ctx) error {
	p, err := s.editPage(c)
	if err != nil {
		return err
	}
	p.Form.Name, p.Form.Role = c.FormValue("name"), c.FormValue("role")
	companyID, picked := s.company(c, p)
	in := users.RoleInput{Name: p.Form.Name, Role: users.Role(p.Form.Role), CompanyID: companyID}
	if picked != nil {
		return s.rerender(c, "admin/user_edit", p, joinFields(picked, in.Validate()))
	}
	_, err = s.users.Update(c.UserContext(), p.Edit.ID, in)
	if err != nil {
		return s.rerender(c, "admin/user_edit", p, err)
	}
	flash(c, i18n.M("Changes saved."))
	return c.Redirect(fmt.Sprintf("/admin/users/%d", p.Edit.ID))
}

func (s *Server) handleUserUnlock(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	if err := s.users.Unlock(c.UserContext(), int64(id)); err != nil {
		return err
	}
	flash(c, i18n.M("The account is unlocked."))
	return c.Redirect(fmt.Sprintf("/admin/users/%d", id))
}

func (s *Server) handleUserSetActive(active bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := c.ParamsInt("id")
		if err != nil {
			return fiber.ErrNotFound
		}
		if err := s.users.SetActive(c.UserContext(), int64(id), active); err != nil {
			return err
		}
		flash(c, map[bool]i18n.Message{true: i18n.M("The user can log in again."), false: i18n.M("The user is deactivated and logged out.")}[active])
		return c.Redirect(fmt.Sprintf("/admin/users/%d", id))
	}
}
