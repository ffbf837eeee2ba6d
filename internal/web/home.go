package web

import (
	"context"
	"html/template"
	"time"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/i18n"
	"wholesale/internal/users"
	"wholesale/templates"
)

func (s *Server) registerHomeRoutes() {
	// GET / is the start page of a logged-in user: the work waiting for their role.
	s.page(fiber.MethodGet, "/", everyRole, s.handleHome)
	// GET /static/style.css is the one style sheet.
	s.page(fiber.MethodGet, "/static/style.css", anyone, s.handleStyle)
	s.registerWork()
}

// workItem is one queue of a home page: how many things wait, the list
// that shows them, and how long the oldest has waited.
type workItem struct {
	Title i18n.Message
	Count int
	// Href is the list of the waiting things, filtered to them.
	Href string
	// Age is how long ago the oldest began to wait (0: none, or not known);
	// AgeOf says it, with a %s for the time: "the oldest placed %s ago".
	Age   time.Duration
	AgeOf i18n.Message
	// Note says more, e.g. what waits for somebody else.
	Note i18n.Message
	// Rows are the first things of the queue, oldest first unless
	// RowsOrder says how they stand ("overdue first, then due soonest").
	Rows      []workRow
	RowsOrder i18n.Message
}

// workRow is one waiting thing shown on the home page.
type workRow struct {
	Label i18n.Message
	Href  string
	Age   time.Duration
}

// workQueue counts one queue of work for the roles that do it.
type workQueue struct {
	roles []users.Role
	count func(ctx context.Context, u *users.User, now time.Time) (workItem, error)
}

// addWork puts a queue on the home page of its roles, after those added
// before. Each area adds its queues when it registers its routes (see
// registerWork for today's).
func (s *Server) addWork(roles []users.Role, count func(ctx context.Context, u *users.User, now time.Time) (workItem, error)) {
	s.work = append(s.work, workQueue{roles: roles, count: count})
}

// workFor counts the queues of u's role, one query each.
func (s *Server) workFor(ctx context.Context, u *users.User) ([]workItem, error) {
	now := s.clock.Now()
	var out []workItem
	for _, q := range s.work {
		if !u.Is(q.roles...) {
			continue
		}
		item, err := q.count(ctx, u, now)
		if err != nil {
			return nil, err
		}
		out = append(out, item)
	}
	return out, nil
}

// ageSince is how long ago t was at now; 0 for nil.
func ageSince(t *time.Time, now time.Time) time.Duration {
	if t == nil || t.After(now) {
		return 0
	}
	return now.Sub(*t)
}

type homePage struct {
	Page
	Work []workItem
}

// RoleHTML is the user's role, in bold, for "You are logged in as %s.".
func (p *homePage) RoleHTML() template.HTML {
	return "<strong>" + i18n.For(p.Lang).HTML(p.User.Role.Label()) + "</strong>"
}

func (s *Server) handleHome(c *fiber.Ctx) error {
	work, err := s.workFor(c.UserContext(), currentUser(c))
	if err != nil {
		return err
	}
	return s.render(c, "home/index", &homePage{Page: Page{Title: i18n.M("Home")}, Work: work})
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
