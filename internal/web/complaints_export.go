package web

import (
	"mime"
	"time"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/complaints"
	"wholesale/internal/users"
	"wholesale/internal/xlsx"
)

// complaintLog is who reads the complaints log: the customer service
// manager, the board, sales, account managers (their customers') and admins.
var complaintLog = rule{roles: []users.Role{users.RoleAdmin, users.RoleSales, users.RoleAccountManager, users.RoleCustomerService, users.RoleBoard}}

func (s *Server) registerComplaintExportRoutes() {
	// GET /complaints.xlsx downloads the complaints log the user may see, filtered as the list (?state, open, overdue, flagged, unassigned), open ones first by due date, as .xlsx.
	s.page(fiber.MethodGet, "/complaints.xlsx", complaintLog, s.handleComplaintExport)
}

func (s *Server) handleComplaintExport(c *fiber.Ctx) error {
	f, _ := complaintFilter(c) // an unknown state exports them all
	list, err := s.complaints.Export(c.UserContext(), s.reports, currentUser(c), f)
	if err != nil {
		return err
	}
	today := s.complaints.Today()
	rows := make([]xlsx.ComplaintRow, len(list))
	for i, x := range list {
		due := x.Due()
		rows[i] = xlsx.ComplaintRow{ID: x.ID, Reference: x.Ref(), Customer: x.CompanyName, Channel: channelLabel(x.Channel), Received: x.ReceivedAt,
			State: x.State.Label(), Next: due.What, Overdue: due.Overdue(today), Handler: x.HandlerName, Investigator: x.InvestigatorName,
			Resolved: x.ResolvedAt, Escalated: x.EscalatedAt, BoardAnswer: x.BoardAnsweredAt}
		if !due.By.IsZero() {
			by := due.By
			rows[i].DueBy = &by
		}
		if x.Outcome != nil {
			rows[i].Outcome = complaints.OutcomeLabel(*x.Outcome)
		}
	}
	if err := xlsx.WriteComplaints(c.Response().BodyWriter(), loc(c), rows, today); err != nil {
		c.Response().ResetBody()
		return err
	}
	c.Set(fiber.HeaderContentType, xlsx.ContentType("xlsx"))
	c.Set(fiber.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": "complaints-" + today.Format(time.DateOnly) + ".xlsx"}))
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return nil
}
