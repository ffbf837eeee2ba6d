package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/apperr"
	"wholesale/internal/orders"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
)

var orderViewers = rule{roles: []users.Role{users.RoleAdmin, users.RoleSales, users.RoleAccountManager, users.RoleCustomer}}
var orderConfirmers = rule{roles: []users.Role{users.RoleAdmin, users.RoleAccountManager, users.RoleCustomer}}

func (s *Server) registerOrderAPIRoutes() {
	// GET /api/v1/orders lists orders, newest first (?status, customer, po, from, to, before).
	s.api(fiber.MethodGet, "/orders", orderViewers, s.handleAPIOrderList)
	// POST /api/v1/orders creates a draft, or places it with "place": true.
	s.api(fiber.MethodPost, "/orders", orderDesk, s.handleAPIOrderCreate)
	// GET /api/v1/orders/:id returns one order.
	s.api(fiber.MethodGet, "/orders/:id", orderViewers, s.handleAPIOrderGet)
	// POST /api/v1/orders/:id/place places a draft.
	s.api(fiber.MethodPost, "/orders/:id/place", orderDesk, s.handleAPIOrderPlace)
	// POST /api/v1/orders/:id/amend amends an order (lines by id or SKU, address, shipping).
	s.api(fiber.MethodPost, "/orders/:id/amend", orderDesk, s.handleAPIOrderAmend)
	// POST /api/v1/orders/:id/cancel cancels an order ({"reason": …}).
	s.api(fiber.MethodPost, "/orders/:id/cancel", orderDesk, s.handleAPIOrderCancel)
	// POST /api/v1/orders/:id/confirm confirms it: a customer in the portal; an account manager records a written confirmation ({"note": …}).
	s.api(fiber.MethodPost, "/orders/:id/confirm", orderConfirmers, s.handleAPIOrderConfirm)
}

// forViewer hides what a customer does not see: internal notes and credit remarks.
func forViewer(u *users.User, o *orders.Order) *orders.Order {
	if u.Role == users.RoleCustomer {
		o.Note, o.CreditNote, o.CreditReason = "", "", ""
	}
	return o
}

func (s *Server) handleAPIOrderList(c *fiber.Ctx) error {
	u := currentUser(c)
	list, next, err := orders.List(c.UserContext(), s.db, orderFilter(c, u))
	if err != nil {
		return err
	}
	for i := range list {
		forViewer(u, &list[i])
	}
	out := fiber.Map{"orders": list}
	if next != 0 {
		out["next_before"] = next
	}
	return c.JSON(out)
}

type apiOrderCreate struct {
	orders.Input
	Place bool `json:"place"`
}

func bodyInto(c *fiber.Ctx, v any) error {
	if err := c.BodyParser(v); err != nil {
		return apperr.Invalidf("The body is not valid JSON for this request: %v", err)
	}
	return nil
}

func (s *Server) handleAPIOrderCreate(c *fiber.Ctx) error {
	var in apiOrderCreate
	if err := bodyInto(c, &in); err != nil {
		return err
	}
	var o *orders.Order
	var err error
	if in.Place {
		o, err = s.orders.CreateAndPlace(c.UserContext(), currentUser(c), in.Input)
	} else {
		o, err = s.orders.Create(c.UserContext(), currentUser(c), in.Input)
	}
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderLocation, "/api/v1/orders/"+strconv.FormatInt(o.ID, 10))
	return c.Status(fiber.StatusCreated).JSON(o)
}

func (s *Server) handleAPIOrderGet(c *fiber.Ctx) error {
	o, err := s.viewableOrder(c)
	if err != nil {
		return err
	}
	return c.JSON(forViewer(currentUser(c), o))
}

func (s *Server) apiOrderID(c *fiber.Ctx) (int64, error) {
	o, err := s.viewableOrder(c)
	if err != nil {
		return 0, err
	}
	return o.ID, nil
}

// apiAfter answers with the order as it stands after a use case.
func (s *Server) apiAfter(c *fiber.Ctx, id int64) error {
	o, err := orders.Get(c.UserContext(), postgres.DB(c.UserContext(), s.db), id)
	if err != nil {
		return err
	}
	return c.JSON(forViewer(currentUser(c), o))
}

func (s *Server) handleAPIOrderPlace(c *fiber.Ctx) error {
	id, err := s.apiOrderID(c)
	if err != nil {
		return err
	}
	if _, err := s.orders.Place(c.UserContext(), currentUser(c), id); err != nil {
		return err
	}
	return s.apiAfter(c, id)
}

func (s *Server) handleAPIOrderAmend(c *fiber.Ctx) error {
	id, err := s.apiOrderID(c)
	if err != nil {
		return err
	}
	var in orders.Input
	if err := bodyInto(c, &in); err != nil {
		return err
	}
	if _, err := s.orders.Amend(c.UserContext(), currentUser(c), id, in); err != nil {
		return err
	}
	return s.apiAfter(c, id)
}

func (s *Server) handleAPIOrderCancel(c *fiber.Ctx) error {
	id, err := s.apiOrderID(c)
	if err != nil {
		return err
	}
	var in struct {
		Reason string `json:"reason"`
	}
	if err := bodyInto(c, &in); err != nil {
		return err
	}
	if err := s.orders.Cancel(c.UserContext(), currentUser(c), id, in.Reason); err != nil {
		return err
	}
	return s.apiAfter(c, id)
}

func (s *Server) handleAPIOrderConfirm(c *fiber.Ctx) error {
	id, err := s.apiOrderID(c)
	if err != nil {
		return err
	}
	u := currentUser(c)
	if u.Role == users.RoleCustomer {
		err = s.orders.ConfirmInPortal(c.UserContext(), u, id)
	} else {
		var in struct {
			Note       string `json:"note"`
			ReceivedOn string `json:"received_on"`
		}
		if err := bodyInto(c, &in); err != nil {
			return err
		}
		err = s.orders.ConfirmWritten(c.UserContext(), u, id, orders.WrittenConfirmation{Note: in.Note, ReceivedOn: in.ReceivedOn})
	}
	if err != nil {
		return err
	}
	return s.apiAfter(c, id)
}
