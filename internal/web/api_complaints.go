package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/apperr"
	"wholesale/internal/complaints"
	"wholesale/internal/i18n"
	"wholesale/internal/users"
)

// complaintFilers file complaints: customers for their own company,
// account managers for their customers, the customer service manager,
// admins.
var complaintFilers = rule{roles: []users.Role{users.RoleAdmin, users.RoleAccountManager, users.RoleCustomerService, users.RoleCustomer}}

// complaintReaders read complaints: those who read the complaints log, and
// customers their own company's.
var complaintReaders = rule{roles: append(append([]users.Role{}, complaintLog.roles...), users.RoleCustomer)}

func (s *Server) registerComplaintAPIRoutes() {
	// GET /api/v1/complaints lists the complaints the caller may see, open ones first by due date (?state, open, overdue, customer, before, limit).
	s.api(fiber.MethodGet, "/complaints", complaintReaders, s.handleAPIComplaintList)
	// GET /api/v1/complaints/:id returns one complaint with its documents' names and sizes (staff: with its internal notes).
	s.api(fiber.MethodGet, "/complaints/:id", complaintReaders, s.handleAPIComplaintGet)
	// POST /api/v1/complaints files a complaint.
	s.api(fiber.MethodPost, "/complaints", complaintFilers, s.handleAPIComplaintCreate)
}

// apiComplaintsPerPage and apiComplaintsMax are the default and the
// largest page of the API's list of complaints.
const (
	apiComplaintsPerPage = 50
	apiComplaintsMax     = 200
)

// apiComplaint is a complaint as the API answers it: a customer never
// gets the internal notes or who investigates.
type apiComplaint struct {
	*complaints.Complaint
	Reference string            `json:"reference"`
	Notes     []complaints.Note `json:"notes,omitempty"`
	Due       *apiComplaintDue  `json:"due,omitempty"`
	// Documents are the files attached (one complaint's answer only):
	// their names, types and sizes.
	Documents []complaints.Document `json:"documents,omitempty"`
}

// apiComplaintDue is what the complaint waits for of ours, and by when.
type apiComplaintDue struct {
	What    string `json:"what"`
	By      string `json:"by"`
	Overdue bool   `json:"overdue"`
}

// apiComplaintFor is c as user u may read it.
func (s *Server) apiComplaintFor(u *users.User, c *complaints.Complaint) apiComplaint {
	if u.Is(users.RoleCustomer) {
		c.InvestigatorName = ""
	}
	out := apiComplaint{Complaint: c, Reference: i18n.For(i18n.EN).Text(c.Ref())}
	if d := c.Due(); !d.By.IsZero() {
		out.Due = &apiComplaintDue{What: i18n.For(i18n.EN).Text(d.What), By: d.By.Format("2006-01-02"), Overdue: d.Overdue(s.complaints.Today())}
	}
	return out
}

// apiComplaintFilter reads the list's filters; the service adds the
// caller's scope. Returns Invalid with a message at each one it cannot read.
func apiComplaintFilter(c *fiber.Ctx) (complaints.Filter, error) {
	f := complaints.Filter{State: complaints.State(strings.TrimSpace(c.Query("state"))), Limit: apiComplaintsPerPage,
		Open: c.Query("open") == "true", Overdue: c.Query("overdue") == "true"}
	fe := apperr.FieldErrors{}
	id := func(field string) int64 {
		s := strings.TrimSpace(c.Query(field))
		if s == "" {
			return 0
		}
		n, ok := parseID(s)
		if !ok {
			fe.Add(field, i18n.M("Enter a whole number with digits only, e.g. 12."))
		}
		return n
	}
	f.CompanyID, f.BeforeID = id("customer"), id("before")
	if n := id("limit"); n > 0 {
		f.Limit = int(min(n, apiComplaintsMax))
	}
	switch f.State {
	case "", complaints.StateReceived, complaints.StateAcknowledged, complaints.StateResolved, complaints.StateEscalated, complaints.StateClosed:
	default:
		fe.Add("state", i18n.M("Choose one of received, acknowledged, resolved, escalated and closed, or none."))
	}
	return f, fe.Err()
}

func (s *Server) handleAPIComplaintList(c *fiber.Ctx) error {
	f, err := apiComplaintFilter(c)
	if err != nil {
		return err
	}
	limit := f.Limit
	f.Limit++
	u := currentUser(c)
	list, err := s.complaints.List(c.UserContext(), u, f)
	if err != nil {
		return err
	}
	more := len(list) > limit
	if more {
		list = list[:limit]
	}
	out := make([]apiComplaint, len(list))
	for i := range list {
		out[i] = s.apiComplaintFor(u, &list[i])
	}
	m := apiComplaintList{Complaints: out, More: more}
	if more {
		m.NextBefore = list[len(list)-1].ID
	}
	return c.JSON(m)
}

func (s *Server) handleAPIComplaintGet(c *fiber.Ctx) error {
	id, ok := parseID(c.Params("id"))
	if !ok {
		return fiber.ErrNotFound
	}
	ctx, u := c.UserContext(), currentUser(c)
	x, err := s.complaints.Get(ctx, u, id)
	if err != nil {
		return err
	}
	out := s.apiComplaintFor(u, x)
	if out.Documents, err = complaints.DocumentsOf(ctx, s.db, x.ID); err != nil {
		return err
	}
	if u.Role.Staff() {
		if out.Notes, err = complaints.NotesOf(ctx, s.db, x.ID); err != nil {
			return err
		}
	}
	return c.JSON(out)
}

func (s *Server) handleAPIComplaintCreate(c *fiber.Ctx) error {
	var in complaints.FileInput
	if err := bodyInto(c, &in); err != nil {
		return err
	}
	u := currentUser(c)
	k := idempotencyKey(c)
	x, err := s.complaints.Keyed(k).File(c.UserContext(), u, in)
	if err == nil && k != nil && k.Replayed {
		c.Set("Idempotent-Replayed", "true")
		x, err = s.complaints.Get(c.UserContext(), u, x.ID)
	}
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderLocation, "/api/v1/complaints/"+strconv.FormatInt(x.ID, 10))
	return c.Status(fiber.StatusCreated).JSON(s.apiComplaintFor(u, x))
}
