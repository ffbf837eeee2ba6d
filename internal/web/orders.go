package web

import (
	"context"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/audit"
	"wholesale/internal/catalog"
	"wholesale/internal/clock"
	"wholesale/internal/i18n"
	"wholesale/internal/invoicing"
	"wholesale/internal/orders"
	"wholesale/internal/users"
)

var orderDesk = rule{roles: []users.Role{users.RoleAdmin, users.RoleAccountManager}}

// orderReaders open an order's page: staff, and the customer service
// manager and the board, whose complaints refer to orders.
var orderReaders = rule{roles: append(append([]users.Role{}, staffRoles.roles...), users.RoleCustomerService, users.RoleBoard)}

func (s *Server) registerOrderRoutes() {
	// GET /orders lists orders (an account manager's customers; the warehouse's from placed on), filtered, newest first, by pages.
	s.page(fiber.MethodGet, "/orders", staffRoles, s.handleOrderIndex)
	// GET /orders/new is the order entry form.
	s.page(fiber.MethodGet, "/orders/new", orderDesk, s.handleOrderNew)
	// POST /orders checks the form (action=check), saves a draft (action=draft) or places the order (action=place).
	s.page(fiber.MethodPost, "/orders", orderDesk, s.handleOrderCreate)
	// GET /orders/:id shows an order: lines, back orders, totals, revisions, audit entries (to the warehouse from placed on).
	s.page(fiber.MethodGet, "/orders/:id", orderReaders, s.handleOrderShow)
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

// orderPageMax is the most orders a page of the list shows (limit=).
const orderPageMax = 200

// orderFilter reads the list filters and the page size (limit, 1 to
// orderPageMax; 50 when not given or unreadable); the service adds the
// user's scope.
func orderFilter(c *fiber.Ctx) orders.Filter {
	f := orders.Filter{Status: orders.Status(c.Query("status")), PO: strings.TrimSpace(c.Query("po")), Limit: 50}
	if n, err := strconv.Atoi(c.Query("limit")); err == nil && n > 0 {
		f.Limit = min(n, orderPageMax)
	}
	f.CompanyID, _ = strconv.ParseInt(c.Query("customer"), 10, 64)
	f.BeforeID, _ = strconv.ParseInt(c.Query("before"), 10, 64)
	if d, err := time.ParseInLocation("2006-01-02", c.Query("from"), clock.Amsterdam); err == nil {
		f.From = &d
	}
	if d, err := time.ParseInLocation("2006-01-02", c.Query("to"), clock.Amsterdam); err == nil {
		end := d.AddDate(0, 0, 1)
		f.To = &end
	}
	return f
}

type orderIndexPage struct {
	Page
	Orders   []orders.Order
	Rows     []orderRow // the Orders as the list shows them
	Customer customerPick
	Statuses []orders.Status
	Q        map[string]string
	NextURL  string
	Portal   bool
}

// orderRow is an order as the list's row shows it, in the reader's
// language, worked out before the template runs: in html/template every
// value and function of a row costs a reflective call, and a field of an
// Order, fifty fields and an embedded model, a search by name.
type orderRow struct {
	ID       int64
	Href     string // in the portal for customers
	PO       string
	Customer string
	Status   template.HTML
	Total    template.HTML
	Entered  string
}

// rows are the list's orders as their rows show them in l's language.
func (p *orderIndexPage) rows(l *i18n.Localizer) []orderRow {
	base := "/orders/"
	if p.Portal {
		base = "/portal/orders/"
	}
	out := make([]orderRow, len(p.Orders))
	for i := range p.Orders {
		o := &p.Orders[i]
		out[i] = orderRow{ID: o.ID, Href: base + strconv.FormatInt(o.ID, 10), PO: o.POReference, Customer: o.CompanyName,
			Status: l.HTML(o.Status.Label()), Total: l.AmountHTML(o.TotalInclCents), Entered: l.DateTime(o.CreatedAt)}
	}
	return out
}

func (s *Server) orderIndex(c *fiber.Ctx, portal bool) error {
	u := currentUser(c)
	f := orderFilter(c)
	f.Brief = true
	list, next, err := s.orders.List(c.UserContext(), u, f)
	if err != nil {
		return err
	}
	p := &orderIndexPage{Page: Page{Title: i18n.M("Orders")}, Orders: list, Statuses: orders.Statuses, Portal: portal,
		Q: map[string]string{"status": c.Query("status"), "customer": c.Query("customer"), "po": c.Query("po"), "from": c.Query("from"), "to": c.Query("to"), "limit": c.Query("limit")}}
	if portal {
		p.Title, p.Statuses = i18n.M("Our orders"), orders.Statuses[1:] // a customer never sees drafts
	} else if p.Customer, err = s.customerFilter(c, u, "customer", "customer", c.Query("customer")); err != nil {
		return err
	}
	if next != 0 {
		q := c.Request().URI().QueryArgs()
		q.Set("before", strconv.FormatInt(next, 10))
		p.NextURL = c.Path() + "?" + string(q.QueryString())
	}
	p.Rows = p.rows(loc(c))
	return s.render(c, "orders/index", p)
}

func (s *Server) handleOrderIndex(c *fiber.Ctx) error { return s.orderIndex(c, false) }

func (s *Server) handlePortalOrders(c *fiber.Ctx) error { return s.orderIndex(c, true) }

// viewableOrder returns the order of the path when the user may see it;
// NotFound otherwise.
func (s *Server) viewableOrder(c *fiber.Ctx) (*orders.Order, error) {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return nil, fiber.ErrNotFound
	}
	return s.orders.Get(c.UserContext(), currentUser(c), int64(id))
}

// InvoiceHref is the address of a document of the order, in the portal for customers.
func (p *orderPage) InvoiceHref(s *invoicing.Summary) string { return invoiceHref(p.Portal, s.Ref()) }

// emphasis gives the order pages Strong, for the figures a sentence
// printed with t stresses.
type emphasis struct{}

// Strong is v in <strong>: HTML as it is (an amount printed by money, a
// status label), anything else as escaped text.
func (emphasis) Strong(v any) template.HTML {
	h, ok := v.(template.HTML)
	if !ok {
		h = template.HTML(template.HTMLEscapeString(fmt.Sprint(v)))
	}
	return "<strong>" + h + "</strong>"
}

type orderPage struct {
	Page
	emphasis
	Order       *orders.Order
	Revisions   []orders.Revision
	Audit       []audit.Entry
	CreditAfter *orders.CreditAfterApproval
	CanEdit     bool
	CanCredit   bool
	// Invoices are the documents with lines of the order (issued ones
	// only, in the portal); CanSeeInvoices whether their pages are the
	// user's to open.
	Invoices       []invoicing.Summary
	CanSeeInvoices bool
	// FailedLine is the line whose cancellation failed, for its message.
	FailedLine int64
	Portal     bool
	Reason     string
	Note       string
	ReceivedOn string
	// CanRecordComplaint: the user records complaints received by phone or
	// mail, with the order as their reference.
	CanRecordComplaint bool
	// WholeHistory: the page shows every revision (?history=all);
	// MoreHistory: it shows the newest only, and there are more.
	WholeHistory, MoreHistory bool
	orderShipments
	orderReturns
}

func (s *Server) orderPage(c *fiber.Ctx, portal bool) (*orderPage, error) {
	o, err := s.viewableOrder(c)
	if err != nil {
		return nil, err
	}
	return s.orderPageFor(c, o, portal)
}

// orderPageFor is the page of order o, which the user may see.
func (s *Server) orderPageFor(c *fiber.Ctx, o *orders.Order, portal bool) (*orderPage, error) {
	u := currentUser(c)
	p := &orderPage{Page: Page{Title: i18n.M("Order %d · PO %s", o.ID, o.POReference)}, Order: o, Portal: portal,
		CanEdit: u.Is(users.RoleAdmin, users.RoleAccountManager), CanCredit: u.Is(users.RoleAdmin, users.RoleSales),
		CanSeeInvoices: u.Is(invoiceDesk.roles...) || portal, CanRecordComplaint: !portal && u.Is(complaintHandlers.roles...)}
	ctx := c.UserContext()
	var err error
	if p.orderShipments, err = s.orderShipmentsOf(c, o); err != nil {
		return nil, err
	}
	// Invoice lines come from shipments (invoicing.AddShipped; a credit
	// note credits such lines), so an order that has not shipped has no
	// invoices (the scale data's checks hold this), and the page of an open
	// order does not ask.
	if len(p.Shipments) > 0 {
		if p.Invoices, err = orderInvoices(ctx, s.db, o.ID, portal); err != nil {
			return nil, err
		}
	}
	if portal {
		return p, nil
	}
	if p.orderReturns, err = s.orderReturnsOf(c, o, len(p.Shipments) > 0); err != nil {
		return nil, err
	}
	if p.CanCredit && o.State == orders.StatePlaced && o.CreditHold == orders.HoldHeld {
		if p.CreditAfter, err = s.orders.CreditIfApproved(ctx, u, o); err != nil {
			return nil, err
		}
	}
	// The page shows the newest few revisions and audit entries, and the
	// whole history on asking: a long-lived order's fifty revisions are a
	// wall of text nobody reads for the order's state, and a page that is
	// slow for it.
	revLimit, auditLimit := historyShown+1, historyShown+1
	if p.WholeHistory = c.Query("history") == "all"; p.WholeHistory {
		revLimit, auditLimit = 0, historyMax
	}
	if p.Revisions, err = orders.NewestRevisions(ctx, s.db, o.ID, revLimit); err != nil {
		return nil, err
	}
	if p.Audit, err = audit.List(ctx, s.db, audit.Filter{Entity: "order", EntityID: strconv.FormatInt(o.ID, 10), Limit: auditLimit}); err != nil {
		return nil, err
	}
	if !p.WholeHistory && (len(p.Revisions) > historyShown || len(p.Audit) > historyShown) {
		p.MoreHistory = true
		p.Revisions, p.Audit = p.Revisions[:min(len(p.Revisions), historyShown)], p.Audit[:min(len(p.Audit), historyShown)]
	}
	for i := range p.Revisions { // what each revision changed, in the reader's language
		p.Revisions[i].Summary = p.Revisions[i].Changes.In(loc(c))
	}
	return p, nil
}

// HistoryShown is how many revisions and audit entries the page shows
// unless asked for the whole history.
func (p *orderPage) HistoryShown() int { return historyShown }

// The order page shows the newest historyShown revisions and audit
// entries; with ?history=all every revision and the newest historyMax
// audit entries (the audit log has the rest).
const (
	historyShown = 10
	historyMax   = 50
)

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

// orderAction runs a use case on the order of the path and shows it again.
func (s *Server) orderAction(c *fiber.Ctx, msg i18n.Message, act func(p *orderPage) error) error {
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
	return s.orderAction(c, i18n.M("The order is placed."), func(p *orderPage) error {
		_, err := s.orders.Place(c.UserContext(), currentUser(c), p.Order.ID)
		return err
	})
}

func (s *Server) handleOrderCancel(c *fiber.Ctx) error {
	return s.orderAction(c, i18n.M("The order is cancelled and its stock released."), func(p *orderPage) error {
		p.Reason = c.FormValue("reason")
		_, err := s.orders.Cancel(c.UserContext(), currentUser(c), p.Order.ID, p.Reason)
		return err
	})
}

func (s *Server) handleOrderLineCancel(c *fiber.Ctx) error {
	return s.orderAction(c, i18n.M("The line is cancelled."), func(p *orderPage) error {
		lineID, err := strconv.ParseInt(c.Params("line"), 10, 64)
		if err != nil || lineID <= 0 {
			return fiber.ErrNotFound
		}
		p.FailedLine = lineID
		_, err = s.orders.CancelLine(c.UserContext(), currentUser(c), p.Order.ID, lineID, c.FormValue("reason"))
		return err
	})
}

func (s *Server) handleOrderConfirmWritten(c *fiber.Ctx) error {
	return s.orderAction(c, i18n.M("The written confirmation is recorded."), func(p *orderPage) error {
		p.Note, p.ReceivedOn = c.FormValue("note"), c.FormValue("received_on")
		up, ok, err := formFile(c, "file")
		if err != nil {
			return err
		}
		in := orders.WrittenConfirmation{Note: p.Note, ReceivedOn: p.ReceivedOn}
		if ok {
			in.Upload = &up
		}
		_, err = s.orders.ConfirmWritten(c.UserContext(), currentUser(c), p.Order.ID, in)
		return err
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
	return s.render(c, "orders/held", &creditHoldsPage{Page: Page{Title: i18n.M("Orders awaiting credit approval")}, Orders: list})
}

func (s *Server) handleCreditApprove(c *fiber.Ctx) error {
	return s.creditDecision(c, i18n.M("Credit approved."), s.orders.ApproveCredit)
}

func (s *Server) handleCreditReject(c *fiber.Ctx) error {
	return s.creditDecision(c, i18n.M("The order is rejected and its stock released."), s.orders.RejectCredit)
}

// creditDecision runs a credit decision with the note of the form, for the
// revision the form was shown with.
func (s *Server) creditDecision(c *fiber.Ctx, msg i18n.Message, decide func(context.Context, *users.User, int64, string, int) (*orders.Order, error)) error {
	return s.orderAction(c, msg, func(p *orderPage) error {
		p.Note = c.FormValue("note")
		_, err := decide(c.UserContext(), currentUser(c), p.Order.ID, p.Note, formRevision(c))
		return err
	})
}

// formRevision is the order's revision a form was shown with (0: none sent).
func formRevision(c *fiber.Ctx) int {
	n, err := strconv.Atoi(c.FormValue("revision"))
	if err != nil || n < 0 {
		return 0
	}
	return n
}

func (s *Server) handlePortalConfirm(c *fiber.Ctx) error {
	p, err := s.orderPage(c, true)
	if err != nil {
		return err
	}
	if _, err := s.orders.ConfirmInPortal(c.UserContext(), currentUser(c), p.Order.ID, formRevision(c)); err != nil {
		return s.rerender(c, "orders/show", p, err)
	}
	flash(c, i18n.M("Thank you: the order is confirmed."))
	return c.Redirect(fmt.Sprintf("/portal/orders/%d", p.Order.ID))
}

// productChoices keeps the catalogue's SKUs and names for the order
// form's list of suggestions, read at most once a minute: the form is shown
// often and the list only helps typing (the SKUs are checked on entry).
type productChoices struct {
	at   time.Time
	list []catalog.Product
}

const choicesMaxAge = time.Minute

func (s *Server) productChoices(ctx context.Context) ([]catalog.Product, error) {
	s.choicesMu.Lock()
	defer s.choicesMu.Unlock()
	now := s.clock.Now()
	if s.choices.list != nil && now.Sub(s.choices.at) < choicesMaxAge && !now.Before(s.choices.at) {
		return s.choices.list, nil
	}
	list, err := catalog.Search(ctx, s.db, "", 5000)
	if err != nil {
		return nil, err
	}
	if list == nil {
		list = []catalog.Product{}
	}
	s.choices = productChoices{at: now, list: list}
	return list, nil
}
