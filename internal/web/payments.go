package web

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/clock"
	"wholesale/internal/i18n"
	"wholesale/internal/payments"
	"wholesale/internal/users"
)

func (s *Server) registerPaymentRoutes() {
	// GET /payments lists payments (?customer, unallocated, before) with the form to register one.
	s.page(fiber.MethodGet, "/payments", invoiceDesk, s.handlePaymentIndex)
	// POST /payments registers a payment and allocates it.
	s.page(fiber.MethodPost, "/payments", financeDesk, s.handlePaymentRegister)
	// GET /payments/:id shows a payment and its allocations.
	s.page(fiber.MethodGet, "/payments/:id", invoiceDesk, s.handlePaymentShow)
	// POST /payments/:id/allocate puts what is left of a payment on an invoice or prepayment order.
	s.page(fiber.MethodPost, "/payments/:id/allocate", financeDesk, s.handlePaymentAllocate)
	// POST /allocations/:id/undo takes an allocation back, with the reason.
	s.page(fiber.MethodPost, "/allocations/:id/undo", financeDesk, s.handleAllocationUndo)
	// POST /invoices/:ref/set-off sets a credit note off against an open invoice.
	s.page(fiber.MethodPost, "/invoices/:ref/set-off", financeDesk, s.handleSetOff)
}

// paymentIndexPage is the list of payments and the register form, as typed.
type paymentIndexPage struct {
	Page
	Payments []payments.Payment
	More     bool
	// Filter is the list's customer filter, Pick the register form's
	// customer field.
	Filter, Pick customerPick
	Customer     string
	// Unallocated keeps payments with money left.
	Unallocated bool
	CanBook     bool
	Form        payments.RegisterInput
	Chosen      string
}

// NextHref continues the list below its last payment.
func (p *paymentIndexPage) NextHref() string {
	if !p.More || len(p.Payments) == 0 {
		return ""
	}
	href := fmt.Sprintf("/payments?before=%d&customer=%s", p.Payments[len(p.Payments)-1].ID, p.Customer)
	if p.Unallocated {
		href += "&unallocated=1"
	}
	return href
}

func (s *Server) paymentIndex(c *fiber.Ctx) (*paymentIndexPage, error) {
	u := currentUser(c)
	p := &paymentIndexPage{Page: Page{Title: i18n.M("Payments")}, Customer: c.Query("customer"), Unallocated: c.Query("unallocated") != "",
		CanBook: u.Is(financeDesk.roles...)}
	// The order page's "Register the payment" fills in the form.
	p.Form = payments.RegisterInput{Reference: c.Query("reference"), Amount: c.Query("amount"), ReceivedOn: s.today()}
	p.Form.CompanyID, _ = parseID(p.Customer)
	f := payments.Filter{CompanyID: p.Form.CompanyID, Unallocated: p.Unallocated}
	f.Before, _ = parseID(c.Query("before"))
	var err error
	if p.Payments, p.More, err = payments.List(c.UserContext(), s.db, u, f); err != nil {
		return nil, err
	}
	list, err := s.pickNames(c, u)
	p.Filter = customerPick{ID: "filter-customer", Name: "customer", Blank: i18n.M("all"), Value: p.Customer}.of(list)
	p.Pick = customerPick{ID: "customer", Name: "customer", Blank: i18n.M("choose"), Label: i18n.M("Customer"), Value: p.Customer}.of(list)
	return p, err
}

// today is the date a form proposes: today in Amsterdam.
func (s *Server) today() string { return s.clock.Now().In(clock.Amsterdam).Format(time.DateOnly) }

// parseID reads a positive id; 0 and false otherwise.
func parseID(s string) (int64, bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	return n, err == nil && n > 0
}

func (s *Server) handlePaymentIndex(c *fiber.Ctx) error {
	p, err := s.paymentIndex(c)
	if err != nil {
		return err
	}
	return s.render(c, "payments/index", p)
}

func (s *Server) handlePaymentRegister(c *fiber.Ctx) error {
	p, err := s.paymentIndex(c)
	if err != nil {
		return err
	}
	p.Pick.Value = c.FormValue("customer")
	co, picked := s.picked(c, "customer", p.Pick.Value)
	p.Form = payments.RegisterInput{CompanyID: co.ID, Amount: c.FormValue("amount"), ReceivedOn: c.FormValue("received_on"), Reference: c.FormValue("reference")}
	p.Chosen = c.FormValue("invoices")
	p.Form.Invoices = strings.FieldsFunc(p.Chosen, func(r rune) bool { return r == ',' || r == ' ' || r == ';' })
	if picked != nil {
		_, _, valid := p.Form.Validate()
		return s.rerender(c, "payments/index", p, joinFields(picked, valid))
	}
	pay, err := s.payments.Register(c.UserContext(), currentUser(c), p.Form)
	if err != nil {
		return s.rerender(c, "payments/index", p, err)
	}
	flash(c, i18n.M("Payment %d of %s is booked.", pay.ID, i18n.Amount(pay.AmountCents)))
	return c.Redirect(fmt.Sprintf("/payments/%d", pay.ID))
}

// paymentPage is one payment with its allocations and the forms on it.
type paymentPage struct {
	Page
	Payment  *payments.Payment
	CanBook  bool
	Allocate payments.AllocateInput
	// UndoID is the allocation whose undo was refused, with the reason typed.
	UndoID     int64
	UndoReason string
}

func (s *Server) paymentPage(c *fiber.Ctx) (*paymentPage, error) {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return nil, fiber.ErrNotFound
	}
	return s.paymentPageOf(c, int64(id))
}

func (s *Server) paymentPageOf(c *fiber.Ctx, id int64) (*paymentPage, error) {
	u := currentUser(c)
	pay, err := payments.Get(c.UserContext(), s.db, u, id)
	if err != nil {
		return nil, err
	}
	return &paymentPage{Page: Page{Title: i18n.M("Payment %d", pay.ID)}, Payment: pay, CanBook: canBook(u)}, nil
}

func (s *Server) handlePaymentShow(c *fiber.Ctx) error {
	p, err := s.paymentPage(c)
	if err != nil {
		return err
	}
	return s.render(c, "payments/show", p)
}

func (s *Server) handlePaymentAllocate(c *fiber.Ctx) error {
	p, err := s.paymentPage(c)
	if err != nil {
		return err
	}
	p.Allocate = payments.AllocateInput{Invoice: c.FormValue("invoice"), Amount: c.FormValue("amount")}
	if err := s.payments.Allocate(c.UserContext(), currentUser(c), p.Payment.ID, p.Allocate); err != nil {
		return s.rerender(c, "payments/show", p, err)
	}
	flash(c, i18n.M("The payment is allocated to %s.", strings.TrimSpace(p.Allocate.Invoice)))
	return c.Redirect(fmt.Sprintf("/payments/%d", p.Payment.ID))
}

func (s *Server) handleAllocationUndo(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return fiber.ErrNotFound
	}
	// The undo form is on the payment's page; a set-off's on the credit note's.
	pay, err := payments.AllocationOf(c.UserContext(), s.db, int64(id))
	if err != nil {
		return err
	}
	reason := c.FormValue("reason")
	if err := s.payments.Undo(c.UserContext(), currentUser(c), int64(id), reason); err != nil {
		if pay.PaymentID == nil {
			p, perr := s.invoicePageOf(c, pay.CreditNote, false)
			if perr != nil {
				return perr
			}
			p.UndoID, p.UndoReason = int64(id), reason
			return s.rerender(c, "invoices/show", p, err)
		}
		p, perr := s.paymentPageOf(c, *pay.PaymentID)
		if perr != nil {
			return perr
		}
		p.UndoID, p.UndoReason = int64(id), reason
		return s.rerender(c, "payments/show", p, err)
	}
	flash(c, i18n.M("The allocation is undone."))
	if pay.PaymentID != nil {
		return c.Redirect(fmt.Sprintf("/payments/%d", *pay.PaymentID))
	}
	return c.Redirect(invoiceHref(false, pay.CreditNote))
}

func (s *Server) handleSetOff(c *fiber.Ctx) error {
	inv, err := s.viewableInvoice(c)
	if err != nil {
		return err
	}
	in := payments.SetOffInput{Invoice: c.FormValue("invoice"), Amount: c.FormValue("amount")}
	back := invoiceHref(false, inv.Ref())
	if err := s.payments.SetOff(c.UserContext(), currentUser(c), inv.NumberOr(), in); err != nil {
		p, perr := s.invoicePage(c, false)
		if perr != nil {
			return perr
		}
		p.SetOff = in
		return s.rerender(c, "invoices/show", p, err)
	}
	flash(c, i18n.M("Credit note %s is set off against invoice %s.", inv.NumberOr(), strings.TrimSpace(in.Invoice)))
	return c.Redirect(back)
}

// canBook tells whether u books payments.
func canBook(u *users.User) bool { return u.Is(financeDesk.roles...) }
