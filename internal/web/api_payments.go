package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/payments"
)

func (s *Server) registerPaymentAPIRoutes() {
	// GET /api/v1/payments lists payments, newest first (?customer, unallocated, before, limit).
	s.api(fiber.MethodGet, "/payments", invoiceViewers, s.apiPaymentList)
	// GET /api/v1/payments/:id returns one payment with its allocations.
	s.api(fiber.MethodGet, "/payments/:id", invoiceViewers, s.apiPaymentGet)
	// POST /api/v1/payments registers a payment and allocates it (Idempotency-Key).
	s.api(fiber.MethodPost, "/payments", financeDesk, s.apiPaymentRegister)
}

func (s *Server) apiPaymentList(c *fiber.Ctx) error {
	f := payments.Filter{Unallocated: c.Query("unallocated") == "true" || c.Query("unallocated") == "1"}
	f.CompanyID, _ = parseID(c.Query("customer"))
	f.Before, _ = parseID(c.Query("before"))
	if n, ok := parseID(c.Query("limit")); ok {
		f.Limit = int(min(n, 200))
	}
	list, more, err := payments.List(c.UserContext(), s.db, currentUser(c), f)
	if err != nil {
		return err
	}
	if list == nil {
		list = []payments.Payment{}
	}
	out := apiPaymentList{Payments: list, More: more}
	if more {
		out.NextBefore = list[len(list)-1].ID
	}
	return c.JSON(out)
}

func (s *Server) apiPaymentGet(c *fiber.Ctx) error {
	id, ok := parseID(c.Params("id"))
	if !ok {
		return fiber.ErrNotFound
	}
	p, err := payments.Get(c.UserContext(), s.db, currentUser(c), id)
	if err != nil {
		return err
	}
	return c.JSON(p)
}

func (s *Server) apiPaymentRegister(c *fiber.Ctx) error {
	var in payments.RegisterInput
	if err := bodyInto(c, &in); err != nil {
		return err
	}
	k := idempotencyKey(c)
	p, err := s.payments.Keyed(k).Register(c.UserContext(), currentUser(c), in)
	if k != nil && k.Replayed {
		c.Set("Idempotent-Replayed", "true")
	}
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderLocation, "/api/v1/payments/"+strconv.FormatInt(p.ID, 10))
	return c.Status(fiber.StatusCreated).JSON(p)
}
