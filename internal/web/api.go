package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/audit"
	"wholesale/internal/users"
)

// The JSON API lives under /api/v1. It authenticates with bearer tokens made
// on the profile page and applies the same access rules as the pages.
func (s *Server) registerAPIRoutes() {
	s.App.Use("/api/", s.bearerUser)
	// GET /api/v1/openapi.json describes the API.
	s.api(fiber.MethodGet, "/openapi.json", anyone, s.handleOpenAPI)
	// GET /api/v1/me returns the token's user.
	s.api(fiber.MethodGet, "/me", everyRole, s.handleAPIMe)
	// GET /api/v1/users lists the users (admin).
	s.api(fiber.MethodGet, "/users", adminOnly, s.handleAPIUsers)
	// GET /api/v1/audit lists audit entries, newest first (admin).
	s.api(fiber.MethodGet, "/audit", adminOnly, s.handleAPIAudit)
}

func (s *Server) handleAPIMe(c *fiber.Ctx) error { return c.JSON(currentUser(c)) }

func (s *Server) handleAPIUsers(c *fiber.Ctx) error {
	list, err := users.List(c.UserContext(), s.db)
	if err != nil {
		return err
	}
	out := apiUserList{Users: make([]users.User, len(list))}
	for i := range list {
		out.Users[i] = list[i].User
	}
	return c.JSON(out)
}

func (s *Server) handleAPIAudit(c *fiber.Ctx) error {
	f := audit.Filter{Entity: c.Query("entity"), EntityID: c.Query("entity_id")}
	f.ActorID, _ = strconv.ParseInt(c.Query("user"), 10, 64)
	f.BeforeID, _ = strconv.ParseInt(c.Query("before"), 10, 64)
	f.Limit, _ = strconv.Atoi(c.Query("limit"))
	entries, err := audit.List(c.UserContext(), s.db, f)
	if err != nil {
		return err
	}
	if entries == nil {
		entries = []audit.Entry{}
	}
	return c.JSON(apiAuditList{Entries: entries})
}
