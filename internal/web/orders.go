package web

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/catalog"
	"wholesale/internal/clock"
	"wholesale/internal/credit"
	"wholesale/internal/customers"
	"wholesale/internal/orders"
	"wholesale/internal/postgres"
	"wholesale/internal/stock"
	"wholesale/internal/users"
)

var orderDesk = rule{roles: []users.Role{users.RoleAdmin, users.RoleAccountManager}}

func (s *Server) registerOrderRoutes() {
	// GET /orders lists orders (an account manager's customers), filtered, newest first, by pages.
	s.page(fiber.MethodGet, "/orders", accountMgt, s.handleOrderIndex)
	// GET /orders/new is the order entry form.
	s.page(fiber.MethodGet, "/orders/new", orderDesk, s.handleOrderNew)
	// POST /orders checks the form (action=check), saves a draft (action=draft) or places the order (action=place).
	s.page(fiber.MethodPost, "/orders", orderDesk, s.handleOrderCreate)
	// GET /orders/:id shows an order: lines, back orders, totals, revisions, audit entries.
	s.page(fiber.MethodGet, "/orders/:id", accountMgt, s.handleOrderShow)
	// GET /orders/:id/edit is the amendment form.
	s.page(fiber.MethodGet, "/orders/:id/edit", orderDesk, s.handleOrderEdit)
	// POST /orders/:id amends the order (a new revision).
	s.page(fiber.MethodPost, "/orders/:id", orderDesk, s.handleOrderAmend)
	// POST /orders/:id/place places a draft.
	s.page(fiber.MethodPost, "/orders/:id/place", orderDesk, s.handleOrderPlace)
	// POST /orders/:id/cancel cancels the order.
	s.page(fiber.MethodPost, "/orders/:id/cancel", orderDesk, s.handleOrderCancel)
	// POST /orders/:id/lines/:line/cancel cancels one line.
	s.page(fiber.MethodPost, "/orders/:id/lines/:line/cancel", orderDesk, s.handleOrderLineCancel)
	// POST /orders/:id/confirm-written records the customer's written confirmation.
	s.page(fiber.MethodPost, "/orders/:id/confirm-written", orderDesk, s.handleOrderConfirmWritten)
	// GET /credit-holds lists orders awaiting credit approval.
	s.page(fiber.MethodGet, "/credit-holds", salesDesk, s.handleCreditHolds)
	// POST /orders/:id/credit/approve releases a held order, with a note.
	s.page(fiber.MethodPost, "/orders/:id/credit/approve", salesDesk, s.handleCreditApprove)
	// POST /orders/:id/credit/reject rejects a held order, with a note.
	s.page(fiber.MethodPost, "/orders/:id/credit/reject", salesDesk, s.handleCreditReject)
	// GET /portal/orders lists the customer's own orders.
	s.page(fiber.MethodGet, "/portal/orders", customerOnly, s.handlePortalOrders)
	// GET /portal/orders/:id shows one of them, with its terms and the confirmation button.
	s.page(fiber.MethodGet, "/portal/orders/:id", customerOnly, s.handlePortalOrder)
	// POST /portal/orders/:id/confirm is the customer's confirmation of the order.
	s.page(fiber.MethodPost, "/portal/orders/:id/confirm", customerOnly, s.handlePortalConfirm)
}

// orderFilter reads the list filters and the user's scope.
func orderFilter(c *fiber.Ctx, u *users.User) orders.Filter {
	f := orders.Filter{Status: orders.Status(c.Query("status")), PO: strings.TrimSpace(c.Query("po")), Limit: 50}
	f.CompanyID, _ = strconv.ParseInt(c.Query("customer"), 10, 64)
	f.BeforeID, _ = strconv.ParseInt(c.Query("before"), 10, 64)
	if d, err := time.ParseInLocation("2006-01-02", c.Query("from"), clock.Amsterdam); err == nil {
		f.From = &d
	}
	if d, err := time.ParseInLocation("2006-01-02", c.Query("to"), clock.Amsterdam); err == nil {
		end := d.AddDate(0, 0, 1)
		f.To = &end
	}
	switch u.Role {
	case users.RoleAccountManager:
		f.ManagerID = u.ID
	case users.RoleCustomer:
		f.OnlyCompanyID = *u.CompanyID
	}
	return f
}

type orderIndexPage struct {
	Page
	Orders    []orders.Order
	Companies []customers.Company
	Statuses  []orders.Status
	Q         map[string]string
	NextURL   string
	Portal    bool
}

func (s *Server) orderIndex(c *fiber.Ctx, portal bool) error {
	u := currentUser(c)
	f := orderFilter(c, u)
	list, next, err := orders.List(c.UserContext(), s.db, f)
	if err != nil {
		return err
	}
	p := &orderIndexPage{Page: Page{Title: "Orders"}, Orders: list, Statuses: orders.Statuses, Portal: portal,
		Q: map[string]string{"status": c.Query("status"), "customer": c.Query("customer"), "po": c.Query("po"), "from": c.Query("from"), "to": c.Query("to")}}
	if !portal {
		if p.Companies, err = s.companiesOf(c, u); err != nil {
			return err
		}
	}
	if next != 0 {
		q := c.Request().URI().QueryArgs()
		q.Set("before", strconv.FormatInt(next, 10))
		p.NextURL = c.Path() + "?" + string(q.QueryString())
	}
	return s.render(c, "orders/index", p)
}

func (s *Server) companiesOf(c *fiber.Ctx, u *users.User) ([]customers.Company, error) {
	if u.Role == users.RoleAccountManager {
		return customers.ListForManager(c.UserContext(), s.db, u.ID)
	}
	return customers.List(c.UserContext(), s.db)
}

func (s *Server) handleOrderIndex(c *fiber.Ctx) error { return s.orderIndex(c, false) }

func (s *Server) handlePortalOrders(c *fiber.Ctx) error { return s.orderIndex(c, true) }

// orderForm is the order form as typed, with what the check found.
type orderForm struct {
	CompanyID, POReference, Address, ShippingMethod, Shipping, Note string
	ShipComplete                                                    bool
	Lines                                                           []formLine
}

type formLine struct {
	ID       int64
	SKU      string
	Name     string
	Quantity string
	Status   string
	Expected string
}

type orderFormPage struct {
	Page
	Form      orderForm
	Companies []customers.Company
	Products  []catalog.Product
	Methods   []string
	Position  *credit.Position
	Edit      *orders.Order
}

const blankLines = 6

func (s *Server) orderFormPage(c *fiber.Ctx, title string) (*orderFormPage, error) {
	u := currentUser(c)
	comps, err := s.companiesOf(c, u)
	if err != nil {
		return nil, err
	}
	prods, err := catalog.Search(c.UserContext(), s.db, "", 1000)
	return &orderFormPage{Page: Page{Title: title}, Companies: comps, Products: prods, Methods: orders.ShippingMethods}, err
}

func (s *Server) handleOrderNew(c *fiber.Ctx) error {
	p, err := s.orderFormPage(c, "New order")
	if err != nil {
		return err
	}
	p.Form = orderForm{CompanyID: c.Query("customer"), Address: "visiting", ShippingMethod: "UPS", Shipping: "0", Lines: make([]formLine, blankLines)}
	return s.render(c, "orders/form", p)
}

// readOrderForm reads the posted form into the page and the service input.
func readOrderForm(c *fiber.Ctx, p *orderFormPage) orders.Input {
	f := orderForm{CompanyID: c.FormValue("company_id"), POReference: c.FormValue("po_reference"), Address: c.FormValue("address"),
		ShippingMethod: c.FormValue("shipping_method"), Shipping: c.FormValue("shipping"), Note: c.FormValue("note"),
		ShipComplete: c.FormValue("ship_complete") != ""}
	in := orders.Input{POReference: f.POReference, Address: f.Address, ShipComplete: f.ShipComplete,
		ShippingMethod: f.ShippingMethod, Shipping: f.Shipping, Note: f.Note}
	in.CompanyID, _ = strconv.ParseInt(f.CompanyID, 10, 64)
	for i := 0; i < 100; i++ {
		idx := strconv.Itoa(i)
		sku, qty, id := c.FormValue("sku_"+idx), c.FormValue("qty_"+idx), c.FormValue("id_"+idx)
		if sku == "" && qty == "" && id == "" {
			if i >= blankLines && c.FormValue("sku_"+strconv.Itoa(i+1)) == "" {
				break
			}
			f.Lines = append(f.Lines, formLine{})
			in.Lines = append(in.Lines, orders.LineInput{})
			continue
		}
		lid, _ := strconv.ParseInt(id, 10, 64)
		q, err := strconv.Atoi(strings.TrimSpace(qty))
		if err != nil {
			q = -1 // reported at the line
		}
		f.Lines = append(f.Lines, formLine{ID: lid, SKU: sku, Quantity: qty})
		in.Lines = append(in.Lines, orders.LineInput{ID: lid, SKU: sku, Quantity: q})
	}
	p.Form = f
	return in
}

// annotate adds each line's stock status and the customer's credit position to the form.
func (s *Server) annotate(c *fiber.Ctx, p *orderFormPage, companyID int64) error {
	ctx := c.UserContext()
	var ids []int64
	bySKU := map[string]*catalog.Product{}
	for i := range p.Form.Lines {
		l := &p.Form.Lines[i]
		if l.SKU == "" {
			continue
		}
		if prod, err := catalog.BySKU(ctx, s.db, l.SKU); err == nil {
			bySKU[l.SKU], l.Name = prod, prod.Name
			ids = append(ids, prod.ID)
		}
	}
	st, err := stock.Statuses(ctx, s.db, s.clock.Now(), ids)
	if err != nil {
		return err
	}
	for i := range p.Form.Lines {
		if prod := bySKU[p.Form.Lines[i].SKU]; prod != nil {
			p.Form.Lines[i].Status = st[prod.ID].English()
		}
	}
	if companyID != 0 {
		if co, err := customers.CompanyFor(ctx, s.db, currentUser(c), companyID); err == nil {
			exclude := int64(0)
			if p.Edit != nil {
				exclude = p.Edit.ID
			}
			pos, err := credit.Of(ctx, s.db, co.ID, exclude, s.clock.Now())
			if err != nil {
				return err
			}
			p.Position = &pos
		}
	}
	return nil
}

func (s *Server) handleOrderCreate(c *fiber.Ctx) error {
	p, err := s.orderFormPage(c, "New order")
	if err != nil {
		return err
	}
	in := readOrderForm(c, p)
	if err := s.annotate(c, p, in.CompanyID); err != nil {
		return err
	}
	var o *orders.Order
	switch c.FormValue("action") {
	case "place":
		o, err = s.orders.CreateAndPlace(c.UserContext(), currentUser(c), in)
	case "draft":
		o, err = s.orders.Create(c.UserContext(), currentUser(c), in)
	default:
		return s.render(c, "orders/form", p)
	}
	if err != nil {
		return s.rerender(c, "orders/form", p, err)
	}
	flash(c, fmt.Sprintf("Order %d: %s.", o.ID, o.Status.Label()))
	return c.Redirect(fmt.Sprintf("/orders/%d", o.ID))
}

// viewableOrder returns the order when u may see it; NotFound otherwise.
func (s *Server) viewableOrder(c *fiber.Ctx) (*orders.Order, error) {
	o, _, err := s.viewableOrderOf(c)
	return o, err
}

// viewableOrderOf is viewableOrder with the order's customer.
func (s *Server) viewableOrderOf(c *fiber.Ctx) (*orders.Order, *customers.Company, error) {
	id, err := c.ParamsInt("id")
	if err != nil {
		return nil, nil, fiber.ErrNotFound
	}
	db := postgres.DB(c.UserContext(), s.db) // the request's transaction under an Idempotency-Key
	o, err := orders.Get(c.UserContext(), db, int64(id))
	if err != nil {
		return nil, nil, err
	}
	co, err := customers.CompanyFor(c.UserContext(), db, currentUser(c), o.CompanyID)
	if err != nil {
		return nil, nil, apperr.NotFoundf("Order not found.")
	}
	return o, co, nil
}

type orderPage struct {
	Page
	Order      *orders.Order
	Revisions  []orders.Revision
	Audit      []audit.Entry
	CanEdit    bool
	CanCredit  bool
	Portal     bool
	Reason     string
	Note       string
	ReceivedOn string
}

func (s *Server) orderPage(c *fiber.Ctx, portal bool) (*orderPage, error) {
	o, err := s.viewableOrder(c)
	if err != nil {
		return nil, err
	}
	u := currentUser(c)
	p := &orderPage{Page: Page{Title: fmt.Sprintf("Order %d · PO %s", o.ID, o.POReference)}, Order: o, Portal: portal,
		CanEdit: u.Is(users.RoleAdmin, users.RoleAccountManager), CanCredit: u.Is(users.RoleAdmin, users.RoleSales)}
	if portal {
		return p, nil
	}
	if p.Revisions, err = orders.Revisions(c.UserContext(), s.db, o.ID); err != nil {
		return nil, err
	}
	p.Audit, err = audit.List(c.UserContext(), s.db, audit.Filter{Entity: "order", EntityID: strconv.FormatInt(o.ID, 10), Limit: 50})
	return p, err
}

func (s *Server) handleOrderShow(c *fiber.Ctx) error {
	p, err := s.orderPage(c, false)
	if err != nil {
		return err
	}
	return s.render(c, "orders/show", p)
}

func (s *Server) handlePortalOrder(c *fiber.Ctx) error {
	p, err := s.orderPage(c, true)
	if err != nil {
		return err
	}
	return s.render(c, "orders/show", p)
}

// amendPage is the amendment form of the order of the path.
func (s *Server) amendPage(c *fiber.Ctx) (*orderFormPage, *customers.Company, error) {
	o, co, err := s.viewableOrderOf(c)
	if err != nil {
		return nil, nil, err
	}
	p, err := s.orderFormPage(c, fmt.Sprintf("Amend order %d", o.ID))
	if err != nil {
		return nil, nil, err
	}
	p.Edit = o
	return p, co, nil
}

func (s *Server) handleOrderEdit(c *fiber.Ctx) error {
	p, co, err := s.amendPage(c)
	if err != nil {
		return err
	}
	o := p.Edit
	p.Form = orderForm{CompanyID: strconv.FormatInt(o.CompanyID, 10), POReference: o.POReference, ShippingMethod: o.ShippingMethod,
		Shipping: moneyInput(o.ShippingCents), Note: o.Note, ShipComplete: o.ShipComplete, Address: "visiting"}
	if co.Invoice.Street == o.Delivery.Street && co.Visiting.Street != o.Delivery.Street {
		p.Form.Address = "invoice"
	}
	for _, l := range o.Lines {
		if !l.Cancelled {
			p.Form.Lines = append(p.Form.Lines, formLine{ID: l.ID, SKU: l.SKU, Quantity: strconv.Itoa(l.Quantity)})
		}
	}
	p.Form.Lines = append(p.Form.Lines, make([]formLine, 3)...)
	if err := s.annotate(c, p, o.CompanyID); err != nil {
		return err
	}
	return s.render(c, "orders/form", p)
}

func (s *Server) handleOrderAmend(c *fiber.Ctx) error {
	p, _, err := s.amendPage(c)
	if err != nil {
		return err
	}
	o := p.Edit
	in := readOrderForm(c, p)
	p.Form.CompanyID, p.Form.POReference = strconv.FormatInt(o.CompanyID, 10), o.POReference
	if err := s.annotate(c, p, o.CompanyID); err != nil {
		return err
	}
	if c.FormValue("action") == "check" {
		return s.render(c, "orders/form", p)
	}
	o2, err := s.orders.Amend(c.UserContext(), currentUser(c), o.ID, in)
	if err != nil {
		return s.rerender(c, "orders/form", p, err)
	}
	flash(c, fmt.Sprintf("Order %d amended (revision %d): %s.", o2.ID, o2.Revision, o2.Status.Label()))
	return c.Redirect(fmt.Sprintf("/orders/%d", o2.ID))
}

// orderAction runs a use case on the order of the path and shows it again.
func (s *Server) orderAction(c *fiber.Ctx, msg string, act func(p *orderPage) error) error {
	p, err := s.orderPage(c, false)
	if err != nil {
		return err
	}
	if err := act(p); err != nil {
		return s.rerender(c, "orders/show", p, err)
	}
	flash(c, msg)
	return c.Redirect(fmt.Sprintf("/orders/%d", p.Order.ID))
}

func (s *Server) handleOrderPlace(c *fiber.Ctx) error {
	return s.orderAction(c, "The order is placed.", func(p *orderPage) error {
		_, err := s.orders.Place(c.UserContext(), currentUser(c), p.Order.ID)
		return err
	})
}

func (s *Server) handleOrderCancel(c *fiber.Ctx) error {
	return s.orderAction(c, "The order is cancelled and its stock released.", func(p *orderPage) error {
		p.Reason = c.FormValue("reason")
		return s.orders.Cancel(c.UserContext(), currentUser(c), p.Order.ID, p.Reason)
	})
}

func (s *Server) handleOrderLineCancel(c *fiber.Ctx) error {
	return s.orderAction(c, "The line is cancelled.", func(p *orderPage) error {
		lineID, _ := strconv.ParseInt(c.Params("line"), 10, 64)
		p.Reason = c.FormValue("reason")
		return s.orders.CancelLine(c.UserContext(), currentUser(c), p.Order.ID, lineID, p.Reason)
	})
}

func (s *Server) handleOrderConfirmWritten(c *fiber.Ctx) error {
	return s.orderAction(c, "The written confirmation is recorded.", func(p *orderPage) error {
		p.Note = c.FormValue("note")
		up, ok, err := formFile(c, "file")
		if err != nil {
			return err
		}
		in := orders.WrittenConfirmation{Note: p.Note, ReceivedOn: c.FormValue("received_on")}
		if ok {
			in.Upload = &up
		}
		p.ReceivedOn = in.ReceivedOn
		return s.orders.ConfirmWritten(c.UserContext(), currentUser(c), p.Order.ID, in)
	})
}

type creditHoldsPage struct {
	Page
	Orders []orders.Order
}

func (s *Server) handleCreditHolds(c *fiber.Ctx) error {
	list, err := orders.Held(c.UserContext(), s.db)
	if err != nil {
		return err
	}
	return s.render(c, "orders/held", &creditHoldsPage{Page: Page{Title: "Orders awaiting credit approval"}, Orders: list})
}

func (s *Server) handleCreditApprove(c *fiber.Ctx) error {
	return s.creditDecision(c, "Credit approved.", s.orders.ApproveCredit)
}

func (s *Server) handleCreditReject(c *fiber.Ctx) error {
	return s.creditDecision(c, "The order is rejected and its stock released.", s.orders.RejectCredit)
}

// creditDecision runs a credit decision with the note of the form.
func (s *Server) creditDecision(c *fiber.Ctx, msg string, decide func(context.Context, *users.User, int64, string) error) error {
	return s.orderAction(c, msg, func(p *orderPage) error {
		p.Note = c.FormValue("note")
		return decide(c.UserContext(), currentUser(c), p.Order.ID, p.Note)
	})
}

func (s *Server) handlePortalConfirm(c *fiber.Ctx) error {
	p, err := s.orderPage(c, true)
	if err != nil {
		return err
	}
	if err := s.orders.ConfirmInPortal(c.UserContext(), currentUser(c), p.Order.ID); err != nil {
		return s.rerender(c, "orders/show", p, err)
	}
	flash(c, "Thank you: the order is confirmed.")
	return c.Redirect(fmt.Sprintf("/portal/orders/%d", p.Order.ID))
}
