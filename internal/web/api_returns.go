package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/apperr"
	"wholesale/internal/i18n"
	"wholesale/internal/returns"
	"wholesale/internal/users"
)

// returnAskers file returns: customers for their own company, account
// managers for their customers, admins.
var returnAskers = rule{roles: []users.Role{users.RoleAdmin, users.RoleAccountManager, users.RoleCustomer}}

// returnReaders read returns: the staff who work with them and customers
// (not the customer service manager or the board).
var returnReaders = rule{roles: append(append([]users.Role{}, staffRoles.roles...), users.RoleCustomer)}

func (s *Server) registerReturnAPIRoutes() {
	// GET /api/v1/returns lists the returns the caller may see, newest first (?state, customer, order, before, limit).
	s.api(fiber.MethodGet, "/returns", returnReaders, s.handleAPIReturnList)
	// GET /api/v1/returns/shipped-lines lists the shipped lines a return may be filed for (?customer, order).
	s.api(fiber.MethodGet, "/returns/shipped-lines", returnAskers, s.handleAPIShippedLines)
	// GET /api/v1/returns/:id returns one return with its units.
	s.api(fiber.MethodGet, "/returns/:id", returnReaders, s.handleAPIReturnGet)
	// POST /api/v1/returns files a return form (Idempotency-Key).
	s.api(fiber.MethodPost, "/returns", returnAskers, s.handleAPIReturnCreate)
}

// apiReturnsPerPage and apiReturnsMax are the default and the largest page
// of the API's list of returns.
const (
	apiReturnsPerPage = 50
	apiReturnsMax     = 200
)

// apiReturnFilter reads the list's filters (state, customer, order, before,
// limit); the service adds the caller's scope. Returns Invalid with a
// message at each one it cannot read.
func apiReturnFilter(c *fiber.Ctx) (returns.Filter, error) {
	f := returns.Filter{State: strings.TrimSpace(c.Query("state")), Limit: apiReturnsPerPage}
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
	f.CompanyID, f.OrderID, f.BeforeID = id("customer"), id("order"), id("before")
	if n := id("limit"); n > 0 {
		f.Limit = int(min(n, apiReturnsMax))
	}
	known := f.State == "" || f.State == "open"
	for _, st := range returns.States {
		known = known || f.State == string(st)
	}
	if !known {
		fe.Add("state", i18n.M("Choose one of requested, approved, received, tested, settled, referred, rejected, cancelled and open, or none."))
	}
	return f, fe.Err()
}

// forReturnViewer hides the account manager's own settlement note from a
// customer.
func forReturnViewer(c *fiber.Ctx, r *returns.Return) *returns.Return {
	if currentUser(c).Is(users.RoleCustomer) {
		r.SettleNote = ""
	}
	return r
}

func (s *Server) handleAPIReturnList(c *fiber.Ctx) error {
	f, err := apiReturnFilter(c)
	if err != nil {
		return err
	}
	limit := f.Limit
	f.Limit++
	list, err := s.returns.List(c.UserContext(), currentUser(c), f)
	if err != nil {
		return err
	}
	more := len(list) > limit
	if more {
		list = list[:limit]
	}
	if list == nil {
		list = []returns.Return{}
	}
	for i := range list {
		forReturnViewer(c, &list[i])
	}
	out := apiReturnList{Returns: list, More: more}
	if more {
		out.NextBefore = list[len(list)-1].ID
	}
	return c.JSON(out)
}

func (s *Server) handleAPIReturnGet(c *fiber.Ctx) error {
	id, ok := parseID(c.Params("id"))
	if !ok {
		return fiber.ErrNotFound
	}
	r, err := s.returns.Get(c.UserContext(), currentUser(c), id)
	if err != nil {
		return err
	}
	return c.JSON(forReturnViewer(c, r))
}

func (s *Server) handleAPIShippedLines(c *fiber.Ctx) error {
	fe := apperr.FieldErrors{}
	read := func(field string) int64 {
		v := strings.TrimSpace(c.Query(field))
		if v == "" {
			return 0
		}
		n, ok := parseID(v)
		if !ok {
			fe.Add(field, i18n.M("Enter a whole number with digits only, e.g. 12."))
		}
		return n
	}
	companyID, orderID := read("customer"), read("order")
	u := currentUser(c)
	if companyID == 0 && !u.Is(users.RoleCustomer) && len(fe) == 0 {
		fe.Add("customer", i18n.M("Choose the customer."))
	}
	if err := fe.Err(); err != nil {
		return err
	}
	lines, err := s.returns.ShippedLines(c.UserContext(), u, companyID, orderID)
	if err != nil {
		return err
	}
	if lines == nil {
		lines = []returns.ShippedLine{}
	}
	out := make([]apiShippedLine, len(lines))
	for i := range lines {
		out[i] = apiShippedLine{lines[i], lines[i].Left()}
	}
	return c.JSON(apiShippedLineList{ShippedLines: out, More: len(lines) >= returns.MaxShippedLines})
}

func (s *Server) handleAPIReturnCreate(c *fiber.Ctx) error {
	var in returns.RequestInput
	if err := bodyInto(c, &in); err != nil {
		return err
	}
	k := idempotencyKey(c)
	r, err := s.returns.Keyed(k).Request(c.UserContext(), currentUser(c), in)
	if k != nil && k.Replayed {
		c.Set("Idempotent-Replayed", "true")
	}
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderLocation, "/api/v1/returns/"+strconv.FormatInt(r.ID, 10))
	return c.Status(fiber.StatusCreated).JSON(forReturnViewer(c, r))
}
