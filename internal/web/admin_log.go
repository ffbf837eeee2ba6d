package web

import (
	"strconv"
	"wholesale/internal/i18n"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/audit"
	"wholesale/internal/mail"
	"wholesale/internal/users"
)

func (s *Server) registerAdminMailRoutes() {
	// GET /admin/mail lists the outbox: what was sent, logged or is waiting (?failed=1: what failed to send).
	s.page(fiber.MethodGet, "/admin/mail", adminOnly, s.handleMailIndex)
	// GET /admin/mail/:id shows one mail.
	s.page(fiber.MethodGet, "/admin/mail/:id", adminOnly, s.handleMailShow)
}

type mailIndexPage struct {
	Page
	Mails []mail.Message
	// Failed tells that only the mails that failed to send are shown.
	Failed bool
}

func (s *Server) handleMailIndex(c *fiber.Ctx) error {
	p := &mailIndexPage{Page: Page{Title: i18n.M("Mail outbox")}, Failed: c.Query("failed") == "1"}
	var err error
	if p.Failed {
		p.Title = i18n.M("Mail that failed to send")
		p.Mails, err = mail.Failed(c.UserContext(), s.db, 200)
	} else {
		p.Mails, err = mail.List(c.UserContext(), s.db, 200)
	}
	if err != nil {
		return err
	}
	return s.render(c, "admin/mail", p)
}

type mailShowPage struct {
	Page
	Mail  *mail.Message
	Files []mail.File
}

func (s *Server) handleMailShow(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	m, err := mail.Get(c.UserContext(), s.db, int64(id))
	if err != nil {
		return fiber.ErrNotFound
	}
	files, err := mail.Files(c.UserContext(), s.db, m.ID)
	if err != nil {
		return err
	}
	return s.render(c, "admin/mail_show", &mailShowPage{Page: Page{Title: i18n.Raw(m.Subject)}, Mail: m, Files: files})
}

func (s *Server) registerAdminAuditRoutes() {
	// GET /admin/audit browses the audit trail, filtered by entity, entity id and user.
	s.page(fiber.MethodGet, "/admin/audit", adminOnly, s.handleAuditIndex)
}

type auditPage struct {
	Page
	Entries  []audit.Entry
	Entities []string
	Users    []users.ListItem
	Filter   audit.Filter
	NextID   int64
}

// entityOption is one kind of audited thing to filter on.
type entityOption struct {
	Value string
	Label i18n.Message
}

// EntityOptions are the kinds of things in the trail, named for people.
func (p *auditPage) EntityOptions() []entityOption {
	out := make([]entityOption, len(p.Entities))
	for i, e := range p.Entities {
		out[i] = entityOption{Value: e, Label: entityLabel(e)}
	}
	return out
}

func (s *Server) handleAuditIndex(c *fiber.Ctx) error {
	ctx := c.UserContext()
	f := audit.Filter{Entity: c.Query("entity"), EntityID: c.Query("entity_id"), Limit: 100}
	f.ActorID, _ = strconv.ParseInt(c.Query("user"), 10, 64)
	f.BeforeID, _ = strconv.ParseInt(c.Query("before"), 10, 64)
	entries, err := audit.List(ctx, s.db, f)
	if err != nil {
		return err
	}
	p := &auditPage{Page: Page{Title: i18n.M("Audit trail")}, Entries: entries, Filter: f}
	if len(entries) == f.Limit {
		p.NextID = entries[len(entries)-1].ID
	}
	if p.Entities, err = audit.Entities(ctx, s.db); err != nil {
		return err
	}
	if p.Users, err = users.List(ctx, s.db); err != nil {
		return err
	}
	return s.render(c, "admin/audit", p)
}
