package web

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/complaints"
	"wholesale/internal/i18n"
)

func (s *Server) registerPortalComplaintRoutes() {
	// GET /portal/complaints lists the customer's complaints: open ones first, by the date of what we owe next.
	s.page(fiber.MethodGet, "/portal/complaints", customerOnly, s.handlePortalComplaints)
	// GET /portal/complaints/new is the complaint form (?order= prefills the order it concerns).
	s.page(fiber.MethodGet, "/portal/complaints/new", customerOnly, s.handlePortalComplaintNew)
	// POST /portal/complaints files the complaint form, with its documents.
	s.page(fiber.MethodPost, "/portal/complaints", customerOnly, s.handlePortalComplaintCreate)
	// GET /portal/complaints/:id shows one complaint: its state and the letters sent (never the internal notes).
	s.page(fiber.MethodGet, "/portal/complaints/:id", customerOnly, s.handlePortalComplaint)
	// POST /portal/complaints/:id/escalate asks the board to review the outcome, with the reason.
	s.page(fiber.MethodPost, "/portal/complaints/:id/escalate", customerOnly, s.handlePortalComplaintEscalate)
	// POST /portal/complaints/:id/documents adds documents to an open complaint.
	s.page(fiber.MethodPost, "/portal/complaints/:id/documents", customerOnly, s.handlePortalComplaintAddDocuments)
	// GET /portal/complaints/:id/documents/:doc downloads one of its documents.
	s.page(fiber.MethodGet, "/portal/complaints/:id/documents/:doc", customerOnly, s.handleComplaintDocument)
}

// portalComplaintHref is the address of a complaint in the portal.
func portalComplaintHref(id int64) string { return "/portal/complaints/" + strconv.FormatInt(id, 10) }

// dueText says what a complaint waits for of ours, by when and the time
// left on day today.
type dueText struct {
	complaints.Due
	today time.Time
}

// Left is the time left until the due date, or how late it is.
func (d dueText) Left() i18n.Message {
	n := d.DaysLeft(d.today)
	switch {
	case d.By.IsZero():
		return i18n.Message{}
	case n < 0:
		return i18n.N(-n, "overdue by %d days", -n)
	case n == 0:
		return i18n.M("due today")
	}
	return i18n.N(n, "%d days left", n)
}

// Late tells whether the due date passed.
func (d dueText) Late() bool { return d.Overdue(d.today) }

// complaintRow is a complaint as the portal's list shows it.
type complaintRow struct {
	complaints.Complaint
	Href string
	Next dueText
}

type portalComplaintsPage struct {
	Page
	Complaints []complaintRow
	NextURL    string
}

// portalComplaintsPerPage is how many complaints a page of the portal's list shows.
const portalComplaintsPerPage = 50

func (s *Server) handlePortalComplaints(c *fiber.Ctx) error {
	f := complaints.Filter{Limit: portalComplaintsPerPage + 1}
	f.BeforeID, _ = parseID(c.Query("before"))
	list, err := s.complaints.List(c.UserContext(), currentUser(c), f)
	if err != nil {
		return err
	}
	p := &portalComplaintsPage{Page: Page{Title: i18n.M("Our complaints")}}
	if len(list) > portalComplaintsPerPage {
		list = list[:portalComplaintsPerPage]
		p.NextURL = "/portal/complaints?before=" + strconv.FormatInt(list[len(list)-1].ID, 10)
	}
	today := s.complaints.Today()
	for _, x := range list {
		p.Complaints = append(p.Complaints, complaintRow{Complaint: x, Href: portalComplaintHref(x.ID), Next: dueText{x.Due(), today}})
	}
	return s.render(c, "complaints_portal/index", p)
}

// portalComplaintForm is the complaint form with what was typed.
type portalComplaintForm struct {
	Page
	complaintFiles
	Form complaints.FileInput
}

// newPortalComplaintForm is the form, its contact prefilled from the user.
func (s *Server) newPortalComplaintForm(c *fiber.Ctx) *portalComplaintForm {
	u := currentUser(c)
	return &portalComplaintForm{Page: Page{Title: i18n.M("File a complaint")},
		Form: complaints.FileInput{Order: c.Query("order"), ContactName: u.Name, ContactEmail: u.Email}}
}

func (s *Server) handlePortalComplaintNew(c *fiber.Ctx) error {
	return s.render(c, "complaints_portal/new", s.newPortalComplaintForm(c))
}

func (s *Server) handlePortalComplaintCreate(c *fiber.Ctx) error {
	p := s.newPortalComplaintForm(c)
	p.Form = complaints.FileInput{Order: c.FormValue("order"), ContactName: c.FormValue("contact_name"),
		ContactEmail: c.FormValue("contact_email"), ContactPhone: c.FormValue("contact_phone"), Description: c.FormValue("description")}
	x, err := s.fileComplaintForm(c, &p.Form, &p.complaintFiles)
	if err != nil {
		return s.rerender(c, "complaints_portal/new", p, err)
	}
	flash(c, i18n.M("Your complaint is filed. We acknowledge it within %d working days, saying who handles it and when you can expect an answer.", complaints.AckWorkingDays))
	return c.Redirect(portalComplaintHref(x.ID))
}

// portalComplaintPage is one complaint as the customer follows it: what
// was sent to it, never the internal notes or who investigates.
type portalComplaintPage struct {
	Page
	emphasis
	complaintDocs
	C    *complaints.Complaint
	Next dueText
	// Reason is the reason typed in the escalation form.
	Reason string
}

// Status names the complaint's state.
func (p *portalComplaintPage) Status() i18n.Message { return p.C.State.Label() }

// Outcome names the outcome of a resolved complaint.
func (p *portalComplaintPage) Outcome() i18n.Message {
	if p.C.Outcome == nil {
		return i18n.Message{}
	}
	return complaints.OutcomeLabel(*p.C.Outcome)
}

// ExternalBody is where the customer may turn after the board's answer.
func (p *portalComplaintPage) ExternalBody() i18n.Message { return complaints.ExternalBody }

// CanEscalate tells whether the customer may ask the board to review the outcome.
func (p *portalComplaintPage) CanEscalate() bool { return p.C.State.Allowed(complaints.ActEscalate) }

// Href is the complaint's address.
func (p *portalComplaintPage) Href() string { return portalComplaintHref(p.C.ID) }

// OrderHref is the address of the order the complaint concerns.
func (p *portalComplaintPage) OrderHref() string {
	if p.C.OrderID == nil {
		return ""
	}
	return "/portal/orders/" + strconv.FormatInt(*p.C.OrderID, 10)
}

// ReplacementHref is the address of the replacement order of an exchange.
func (p *portalComplaintPage) ReplacementHref() string {
	if p.C.ReplacementID == nil {
		return ""
	}
	return "/portal/orders/" + strconv.FormatInt(*p.C.ReplacementID, 10)
}

// portalComplaint is the page of the complaint of the path, when it is the customer's.
func (s *Server) portalComplaint(c *fiber.Ctx) (*portalComplaintPage, error) {
	id, ok := parseID(c.Params("id"))
	if !ok {
		return nil, fiber.ErrNotFound
	}
	x, err := s.complaints.Get(c.UserContext(), currentUser(c), id)
	if err != nil {
		return nil, err
	}
	docs, err := s.loadComplaintDocs(c, x, portalComplaintHref(x.ID))
	if err != nil {
		return nil, err
	}
	return &portalComplaintPage{Page: Page{Title: i18n.M("Complaint: %s", x.Ref())}, complaintDocs: docs, C: x, Next: dueText{x.Due(), s.complaints.Today()}}, nil
}

func (s *Server) handlePortalComplaint(c *fiber.Ctx) error {
	p, err := s.portalComplaint(c)
	if err != nil {
		return err
	}
	return s.render(c, "complaints_portal/show", p)
}

func (s *Server) handlePortalComplaintEscalate(c *fiber.Ctx) error {
	p, err := s.portalComplaint(c)
	if err != nil {
		return err
	}
	p.Reason = c.FormValue("reason")
	if _, err := s.complaints.Escalate(c.UserContext(), currentUser(c), p.C.ID, p.Reason); err != nil {
		return s.rerender(c, "complaints_portal/show", p, err)
	}
	flash(c, i18n.M("Your complaint goes to the board, which answers within a week."))
	return c.Redirect(p.Href())
}
