package web

import (
	"bytes"
	"fmt"
	"html/template"
	"mime"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/audit"
	"wholesale/internal/i18n"
	"wholesale/internal/orders"
	"wholesale/internal/pdf"
	"wholesale/internal/returns"
	"wholesale/internal/shipping"
	"wholesale/internal/users"
)

// registerReturnPageRoutes puts the page of one return and what is done
// on it; registerReturnRoutes calls it after the fixed addresses under
// /returns/.
func (s *Server) registerReturnPageRoutes() {
	// GET /returns/:id shows a return: its state, dates, RA, units and tests, settlement, service centre, audit trail, and the forms its reader may use.
	s.page(fiber.MethodGet, "/returns/:id", staffRoles, s.handleReturnShow)
	// POST /returns/:id/approve issues the RA number and mails the customer the instructions with the label.
	s.page(fiber.MethodPost, "/returns/:id/approve", orderDesk, s.handleReturnApprove)
	// POST /returns/:id/reject turns a requested return down, with the reason the customer is mailed.
	s.page(fiber.MethodPost, "/returns/:id/reject", orderDesk, s.handleReturnReject)
	// POST /returns/:id/cancel withdraws a return before its parcel arrived, with the reason.
	s.page(fiber.MethodPost, "/returns/:id/cancel", orderDesk, s.handleReturnCancel)
	// POST /returns/:id/test records the warehouse's test of each unit (result_N, note_N).
	s.page(fiber.MethodPost, "/returns/:id/test", warehouseDesk, s.handleReturnTest)
	// POST /returns/:id/settle settles a tested return: replacement or credit note, units without fault back or into stock.
	s.page(fiber.MethodPost, "/returns/:id/settle", orderDesk, s.handleReturnSettle)
	// POST /returns/:id/send-back records that the units going back to the customer left, with carrier and tracking number.
	s.page(fiber.MethodPost, "/returns/:id/send-back", warehouseDesk, s.handleReturnSendBack)
	// GET /returns/:id/label.pdf is the printable label of a return with an RA.
	s.page(fiber.MethodGet, "/returns/:id/label.pdf", staffRoles, s.handleReturnLabel)
}

// returnPage is one return, its history and the forms on it as typed.
type returnPage struct {
	Page
	returnLabels
	Return *returns.Return
	Today  time.Time
	Audit  []audit.Entry
	// CanDecide: the user approves, rejects and settles it (the customer's
	// account manager, an admin); CanHandle: receives and tests (the
	// warehouse, an admin); CanSeeCustomer and CanSeeInvoices: the
	// customer's and the credit note's pages are the user's to open.
	CanDecide, CanHandle, CanSeeCustomer, CanSeeInvoices bool
	// Failed is the form that was refused: reject, cancel, test or settle.
	Failed   string
	Reason   string
	Tests    map[int]returns.UnitTest
	Settle   returns.SettleInput
	SendBack returns.SendBackInput
}

// CanSendBack: units wait to go back to the customer, and the user sends them.
func (p *returnPage) CanSendBack() bool { return p.CanHandle && p.Return.ToSendBack() > 0 }

// Carriers are the choices of the send-back form.
func (p *returnPage) Carriers() []carrierOption { return carrierOptions() }

// BackCarrier names the carrier the units went back with.
func (p *returnPage) BackCarrier() i18n.Message {
	if p.Return.BackCarrier == nil {
		return i18n.Message{}
	}
	return shipping.CarrierLabel(*p.Return.BackCarrier)
}

// Status is the return's state as lists show it ("RA expired…").
func (p *returnPage) Status() i18n.Message { return p.Return.StatusLabel(p.Today) }

// RuleLabel says how the receipt date was found.
func (p *returnPage) RuleLabel() i18n.Message { return returns.ReceiptRuleLabel(p.Return.ReceivedRule) }

// Closed says why the return has no RA, or was closed without one.
func (p *returnPage) Closed() i18n.Message {
	return returns.ClosedLabel(p.Return.ClosedReason, p.Return.WindowEnds)
}

// Counts are the units by test result.
func (p *returnPage) Counts() returns.Counts { return returns.CountResults(p.Return.Units) }

// Results are the choices of a unit's test.
func (p *returnPage) Results() []string { return returns.Results }

// ResultField and NoteField name unit no's fields of the test form.
func (p *returnPage) ResultField(no int) string { return returns.ResultField(no) }

// NoteField names unit no's note of the test form.
func (p *returnPage) NoteField(no int) string { return returns.NoteField(no) }

// Tested is unit u's test as the form shows it: as typed when the form was
// refused, else as recorded.
func (p *returnPage) Tested(u returns.Unit) returns.UnitTest {
	if t, ok := p.Tests[u.UnitNo]; ok {
		return t
	}
	return returns.UnitTest{UnitNo: u.UnitNo, Result: u.ResultOr(), Note: u.Note}
}

// CanTest: the units may be tested now, by the user.
func (p *returnPage) CanTest() bool {
	st := p.Return.State
	return p.CanHandle && (st == returns.StateReceived || st == returns.StateTested)
}

// CanCancel: the return may be withdrawn now, by the user.
func (p *returnPage) CanCancel() bool {
	st := p.Return.State
	return p.CanDecide && (st == returns.StateRequested || st == returns.StateApproved)
}

// ReplacementHref is the replacement order's page, "" for none.
func (p *returnPage) ReplacementHref() string {
	if p.Return.ReplacementID == nil {
		return ""
	}
	return fmt.Sprintf("/orders/%d", *p.Return.ReplacementID)
}

// History is the return's audit entries for the history partial.
func (p *returnPage) History() ([]historyRow, error) { return p.history(auditEvents(p.Audit, false)) }

func (s *Server) returnPage(c *fiber.Ctx) (*returnPage, error) {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return nil, fiber.ErrNotFound
	}
	u := currentUser(c)
	ctx := c.UserContext()
	r, err := s.returns.Get(ctx, u, int64(id))
	if err != nil {
		return nil, err
	}
	title := i18n.M("Return %d", r.ID)
	if r.RANumber != nil {
		title = i18n.M("Return %s", *r.RANumber)
	}
	p := &returnPage{Page: Page{Title: title}, Return: r, Today: s.returns.Today(),
		CanDecide:      u.Is(users.RoleAdmin) || u.Is(users.RoleAccountManager) && r.CompanyManagerID != nil && *r.CompanyManagerID == u.ID,
		CanHandle:      u.Is(warehouseDesk.roles...),
		CanSeeCustomer: u.Is(customerPageViewers.roles...), CanSeeInvoices: u.Is(invoiceDesk.roles...),
		Settle: returns.SettleInput{Remedy: r.Remedy, GoodUnits: returns.GoodSentBack}}
	p.Audit, err = audit.List(ctx, s.db, audit.Filter{Entity: "return", EntityID: strconv.FormatInt(r.ID, 10), Limit: 100})
	return p, err
}

func (s *Server) handleReturnShow(c *fiber.Ctx) error {
	p, err := s.returnPage(c)
	if err != nil {
		return err
	}
	return s.render(c, "returns/show", p)
}

// returnAction runs a use case on the return of the path: on success it
// says msg and shows the return again, else the form with its messages.
func (s *Server) returnAction(c *fiber.Ctx, form string, msg i18n.Message, act func(p *returnPage, u *users.User) error) error {
	p, err := s.returnPage(c)
	if err != nil {
		return err
	}
	if err := act(p, currentUser(c)); err != nil {
		p.Failed = form
		return s.rerender(c, "returns/show", p, err)
	}
	flash(c, msg)
	return c.Redirect(fmt.Sprintf("/returns/%d", p.Return.ID))
}

func (s *Server) handleReturnApprove(c *fiber.Ctx) error {
	return s.returnAction(c, "approve", i18n.M("The RA number is issued and the customer is mailed the instructions with the label."),
		func(p *returnPage, u *users.User) error {
			_, err := s.returns.Approve(c.UserContext(), u, p.Return.ID)
			return err
		})
}

func (s *Server) handleReturnReject(c *fiber.Ctx) error {
	return s.returnAction(c, "reject", i18n.M("The return is rejected; the customer is mailed the reason."), func(p *returnPage, u *users.User) error {
		p.Reason = c.FormValue("reason")
		_, err := s.returns.Reject(c.UserContext(), u, p.Return.ID, returns.ReasonInput{Reason: p.Reason})
		return err
	})
}

func (s *Server) handleReturnCancel(c *fiber.Ctx) error {
	return s.returnAction(c, "cancel", i18n.M("The return is cancelled."), func(p *returnPage, u *users.User) error {
		p.Reason = c.FormValue("reason")
		_, err := s.returns.Cancel(c.UserContext(), u, p.Return.ID, returns.ReasonInput{Reason: p.Reason})
		return err
	})
}

func (s *Server) handleReturnTest(c *fiber.Ctx) error {
	return s.returnAction(c, "test", i18n.M("The test results are recorded."), func(p *returnPage, u *users.User) error {
		in := returns.TestInput{}
		p.Tests = map[int]returns.UnitTest{}
		for _, unit := range p.Return.Units {
			t := returns.UnitTest{UnitNo: unit.UnitNo, Result: c.FormValue(returns.ResultField(unit.UnitNo)), Note: c.FormValue(returns.NoteField(unit.UnitNo))}
			in.Units = append(in.Units, t)
			p.Tests[unit.UnitNo] = t
		}
		_, err := s.returns.Test(c.UserContext(), u, p.Return.ID, in)
		return err
	})
}

func (s *Server) handleReturnSettle(c *fiber.Ctx) error {
	return s.returnAction(c, "settle", i18n.M("The return is settled; the customer is mailed the results."), func(p *returnPage, u *users.User) error {
		p.Settle = returns.SettleInput{Remedy: c.FormValue("remedy"), GoodUnits: c.FormValue("good_units"), Note: c.FormValue("note")}
		_, err := s.returns.Settle(c.UserContext(), u, p.Return.ID, p.Settle)
		return err
	})
}

func (s *Server) handleReturnSendBack(c *fiber.Ctx) error {
	return s.returnAction(c, "send-back", i18n.M("The units are on their way back; the customer is mailed the tracking link."), func(p *returnPage, u *users.User) error {
		p.SendBack = returns.SendBackInput{Carrier: c.FormValue("carrier"), TrackingNumber: c.FormValue("tracking_number")}
		_, err := s.returns.SendBack(c.UserContext(), u, p.Return.ID, p.SendBack)
		return err
	})
}

func (s *Server) handleReturnLabel(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return fiber.ErrNotFound
	}
	lb, err := s.returns.Label(c.UserContext(), currentUser(c), int64(id))
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := pdf.WriteReturnLabel(&b, lb); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, mime.FormatMediaType("inline", map[string]string{"filename": lb.LabelFilename()}))
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(b.Bytes())
}

// orderReturns is what the order page shows of returns: the order's
// returns, and whether the user may start one.
type orderReturns struct {
	Returns   []returns.Return
	CanReturn bool
	today     time.Time
}

// ReturnStatus is how the order page shows r's state.
func (o *orderReturns) ReturnStatus(r *returns.Return) i18n.Message { return r.StatusLabel(o.today) }

// orderReturnsOf reads the returns of order o the user may see; an account
// manager or admin may start one once something shipped. Every return is
// of a shipment (returns.shipment_id is NOT NULL), so an order that has
// not shipped has none, and the page of an open order does not ask.
func (s *Server) orderReturnsOf(c *fiber.Ctx, o *orders.Order, shipped bool) (orderReturns, error) {
	u := currentUser(c)
	out := orderReturns{CanReturn: shipped && u.Is(orderDesk.roles...), today: s.returns.Today()}
	if !shipped {
		return out, nil
	}
	var err error
	out.Returns, err = s.returns.List(c.UserContext(), u, returns.Filter{OrderID: o.ID, Limit: returnListShown})
	return out, err
}

// ReplacementOf is the link to the return an order replaces goods of,
// "" for another order; in the portal to the customer's page of it.
func (p *orderPage) ReplacementOf() template.HTML {
	o := p.Order
	if o.ReturnID == nil {
		return ""
	}
	href := fmt.Sprintf("/returns/%d", *o.ReturnID)
	if p.Portal {
		href = fmt.Sprintf("/portal/returns/%d", *o.ReturnID)
	}
	return template.HTML(`<a href="` + template.HTMLEscapeString(href) + `">` + template.HTMLEscapeString(o.POReference) + `</a>`)
}
