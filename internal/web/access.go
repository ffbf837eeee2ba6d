package web

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/users"
)

// rule says who may use a route: anyone, or logged-in users with one of roles.
type rule struct {
	public bool
	roles  []users.Role
}

type routeInfo struct {
	method, path string
	rule         rule
}

var (
	anyone       = rule{public: true}
	everyRole    = rule{roles: users.Roles}
	staffRoles   = rule{roles: []users.Role{users.RoleAdmin, users.RoleSales, users.RoleAccountManager, users.RoleWarehouse, users.RoleFinance}}
	adminOnly    = rule{roles: []users.Role{users.RoleAdmin}}
	salesDesk    = rule{roles: []users.Role{users.RoleAdmin, users.RoleSales}}
	accountMgt   = rule{roles: []users.Role{users.RoleAdmin, users.RoleSales, users.RoleAccountManager}}
	customerOnly = rule{roles: []users.Role{users.RoleCustomer}}
)

// page registers an HTML route with its access rule; the rule is checked
// before the handler runs.
func (s *Server) page(method, path string, r rule, hs ...fiber.Handler) {
	s.routes = append(s.routes, routeInfo{method, path, r})
	s.App.Add(method, path, append([]fiber.Handler{s.authorize(r, false)}, hs...)...)
}

// api registers a JSON route under /api/v1 with its access rule.
func (s *Server) api(method, path string, r rule, h fiber.Handler) {
	full := "/api/v1" + path
	s.routes = append(s.routes, routeInfo{method, full, r})
	s.App.Add(method, full, s.authorize(r, true), h)
}

// authorize checks the rule: without a user a page redirects to the login
// (GET) or answers 401; a user of another role gets 403.
func (s *Server) authorize(r rule, isAPI bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if r.public {
			return c.Next()
		}
		u := currentUser(c)
		if u == nil {
			if !isAPI && c.Method() == fiber.MethodGet {
				return c.Redirect("/login?next=" + url.QueryEscape(c.OriginalURL()))
			}
			return apperr.Unauthenticatedf("Please log in.")
		}
		for _, role := range r.roles {
			if u.Role == role {
				return c.Next()
			}
		}
		return apperr.Forbiddenf("Your role (%s) may not open this page.", u.Role.Label())
	}
}

const userKey = "user"

// currentUser returns the logged-in user of the request, or nil.
func currentUser(c *fiber.Ctx) *users.User {
	u, _ := c.Locals(userKey).(*users.User)
	return u
}

// setUser makes u the user of the request and of the audit trail.
func setUser(c *fiber.Ctx, u *users.User) {
	c.Locals(userKey, u)
	c.SetUserContext(audit.WithActor(c.UserContext(), audit.Actor{UserID: u.ID, Label: u.Email}))
}

// bearerUser authenticates the API request by its bearer token.
func (s *Server) bearerUser(c *fiber.Ctx) error {
	h := c.Get(fiber.HeaderAuthorization)
	if h == "" {
		return c.Next()
	}
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		return apperr.Unauthenticatedf("Send the API token as: Authorization: Bearer <token>.")
	}
	u, err := s.users.Authenticate(c.UserContext(), strings.TrimSpace(token))
	if err != nil {
		return err
	}
	setUser(c, u)
	return c.Next()
}

// pageOf returns the page a form that posts to path is on: path itself, or
// the nearest address above it, that a registered GET page route matches
// ("/applications/7/approve" → "/applications/7"); "" when none does.
func (s *Server) pageOf(path string) string {
	for p := path; p != "" && p != "/"; p = p[:strings.LastIndex(p, "/")] {
		for _, r := range s.routes {
			if r.method == fiber.MethodGet && !strings.HasPrefix(r.path, "/api/") && routeMatches(r.path, p) {
				return p
			}
		}
	}
	return ""
}

// routeMatches says whether path fits the route pattern's segments, a
// :param segment fitting any one segment.
func routeMatches(pattern, path string) bool {
	ps, xs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(xs) {
		return false
	}
	for i := range ps {
		if !strings.HasPrefix(ps[i], ":") && ps[i] != xs[i] || strings.HasPrefix(ps[i], ":") && xs[i] == "" {
			return false
		}
	}
	return true
}
