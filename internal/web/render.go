package web

import (
	"html/template"
	"time"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/apperr"
	"wholesale/internal/clock"
	"wholesale/internal/users"
)

// Page is what every page's data embeds: the layout reads it.
type Page struct {
	Title  string
	User   *users.User
	CSRF   string
	Flash  string
	Nav    []NavItem
	Path   string
	Errors map[string]string
	// Message is a form-wide error shown above the form.
	Message string
}

// NavItem is one link of the navigation.
type NavItem struct {
	Label, Href string
}

// pager gives render access to the embedded Page of any page struct.
type pager interface{ base() *Page }

func (p *Page) base() *Page { return p }

// render shows a template in the base layout, filling in the common fields.
func (s *Server) render(c *fiber.Ctx, name string, data pager) error {
	p := data.base()
	p.User = currentUser(c)
	p.CSRF, _ = c.Locals(csrfKey).(string)
	p.Path = c.Path()
	if c.Locals(sessionKey) != nil {
		p.Flash = takeFlash(c)
	}
	p.Nav = navFor(p.User)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Render(name, data, "layouts/base")
}

// formError puts err's messages on the page when it is Invalid (or another
// kind that belongs next to the form) and reports whether it did; the caller
// then shows the form again with what was typed.
func formError(p *Page, err error) bool {
	ae, ok := apperr.As(err)
	if !ok {
		return false
	}
	switch ae.Kind {
	case apperr.Invalid, apperr.Conflict, apperr.Unauthenticated, apperr.TooManyRequests:
		p.Errors = ae.Fields
		if len(ae.Fields) == 0 || ae.Message != "Please correct the marked fields." {
			p.Message = ae.Message
		}
		return true
	}
	return false
}

// rerender answers a failed form post: 422 with the form and its messages.
func (s *Server) rerender(c *fiber.Ctx, name string, data pager, err error) error {
	if !formError(data.base(), err) {
		return err
	}
	status := fiber.StatusUnprocessableEntity
	if ae, _ := apperr.As(err); ae.Kind != apperr.Invalid {
		status = statusOf[ae.Kind]
	}
	c.Status(status)
	return s.render(c, name, data)
}

// navFor returns the navigation of a user's role.
func navFor(u *users.User) []NavItem {
	if u == nil {
		return []NavItem{{"Log in", "/login"}}
	}
	nav := []NavItem{{"Home", "/"}}
	if u.Role == users.RoleAdmin {
		nav = append(nav, NavItem{"Users", "/admin/users"}, NavItem{"Audit trail", "/admin/audit"}, NavItem{"Mail", "/admin/mail"})
	}
	return append(nav, NavItem{"Profile", "/profile"})
}

func templateFuncs() template.FuncMap {
	return template.FuncMap{
		"datetime": func(t any) string {
			switch v := t.(type) {
			case time.Time:
				return v.In(clock.Amsterdam).Format("2006-01-02 15:04")
			case *time.Time:
				if v == nil {
					return ""
				}
				return v.In(clock.Amsterdam).Format("2006-01-02 15:04")
			}
			return ""
		},
		"roleLabel": func(r users.Role) string { return r.Label() },
		"roles":     func() []users.Role { return users.Roles },
		"deref": func(p any) any {
			switch v := p.(type) {
			case *string:
				if v == nil {
					return ""
				}
				return *v
			case *int64:
				if v == nil {
					return int64(0)
				}
				return *v
			}
			return p
		},
		"str": func(b []byte) string { return string(b) },
	}
}
