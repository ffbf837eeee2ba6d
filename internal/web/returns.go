package web

import (
	"context"
	"fmt"
	"html/template"
	"mime"
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/i18n"
	"wholesale/internal/returns"
	"wholesale/internal/users"
	"wholesale/internal/xlsx"
)

// returnListShown is the most returns a list of the returns of one thing
// shows (an order's, those approved and awaited); returnPageSize how many
// one page of the returns list shows, as the order list, before its link
// to the older ones.
const (
	returnListShown = 200
	returnPageSize  = 50
)

func (s *Server) registerReturnRoutes() {
	// GET /returns lists returns (an account manager's customers', the warehouse's those with an RA) by ?state (or "open") and ?customer; open ones oldest first.
	s.page(fiber.MethodGet, "/returns", staffRoles, s.handleReturnIndex)
	// GET /returns.xlsx downloads the list as filtered, as .xlsx.
	s.page(fiber.MethodGet, "/returns.xlsx", staffRoles, s.handleReturnExport)
	// GET /returns/new is the return form for a ?customer: its shipped lines (of ?order), quantity, serial numbers, fault.
	s.page(fiber.MethodGet, "/returns/new", orderDesk, s.handleReturnNew)
	// POST /returns files the return form: it waits for approval, or is referred to the brand's service centre.
	s.page(fiber.MethodPost, "/returns", orderDesk, s.handleReturnCreate)
	// GET /returns/receive is the warehouse's form for the RA number on a parcel, with the parcels expected.
	s.page(fiber.MethodGet, "/returns/receive", warehouseDesk, s.handleReturnReceiveForm)
	// POST /returns/receive receives the parcel of an RA number, or says why to refuse it (nothing is written then).
	s.page(fiber.MethodPost, "/returns/receive", warehouseDesk, s.handleReturnReceive)
	// GET /returns/quarantine lists the defective units kept in quarantine with their RA.
	s.page(fiber.MethodGet, "/returns/quarantine", warehouseDesk, s.handleQuarantine)
	s.registerReturnPageRoutes()
	s.addWork(managerWork, s.returnsWaiting(returns.StateRequested, true, i18n.M("Returns to approve"),
		i18n.M("Approve to issue the RA number, or reject with the reason.")))
	s.addWork(managerWork, s.returnsWaiting(returns.StateTested, true, i18n.M("Returns to settle"),
		i18n.M("The warehouse tested the units: settle with a replacement or a credit note.")))
	s.addWork(warehouseWork, s.returnsWaiting(returns.StateApproved, false, i18n.M("Return parcels expected"),
		i18n.M("Receive a parcel by the RA number on it; one whose RA expired is refused.")))
	s.addWork(warehouseWork, s.returnsWaiting(returns.StateReceived, false, i18n.M("Returns to test"),
		i18n.M("Record each unit's result with what the test found.")))
	s.addWork(warehouseWork, func(ctx context.Context, _ *users.User, now time.Time) (workItem, error) {
		n, oldest, err := returns.CountToSendBack(ctx, s.db)
		item := workItem{Title: i18n.M("Returned units to send back"), Count: n, Href: "/returns/quarantine#send-back", AgeOf: i18n.M("the oldest has waited %s")}
		if n > 0 {
			item.Age, item.Note = ageSince(oldest, now), i18n.M("No fault we cover: send them back to the customer with a tracking number.")
		}
		return item, err
	})
}

// returnsWaiting counts the open returns in state (of the account
// manager's customers when mine), with how long the oldest has waited.
func (s *Server) returnsWaiting(state returns.State, mine bool, title, note i18n.Message) func(context.Context, *users.User, time.Time) (workItem, error) {
	return func(ctx context.Context, u *users.User, now time.Time) (workItem, error) {
		var manager int64
		if mine {
			manager = u.ID
		}
		counts, err := returns.CountOpen(ctx, s.db, manager)
		n := counts[state]
		item := workItem{Title: title, Count: n.N, Href: "/returns?state=" + string(state), AgeOf: i18n.M("the oldest has waited %s")}
		if n.N > 0 {
			item.Age, item.Note = ageSince(&n.Oldest, now), note
		}
		return item, err
	}
}

// returnLabels gives the return pages the names of codes.
type returnLabels struct{}

// ResultLabel names a test result.
func (returnLabels) ResultLabel(r string) i18n.Message { return returns.ResultLabel(r) }

// RemedyLabel names a remedy.
func (returnLabels) RemedyLabel(r string) i18n.Message { return returns.RemedyLabel(r) }

// SettlementLabel names a settlement.
func (returnLabels) SettlementLabel(s *string) i18n.Message {
	if s == nil {
		return i18n.Message{}
	}
	return returns.SettlementLabel(*s)
}

// DispositionLabel names where a unit went.
func (returnLabels) DispositionLabel(d *string) i18n.Message {
	if d == nil {
		return i18n.Message{}
	}
	return returns.DispositionLabel(*d)
}

// returnIndexPage is the list of returns with its filters.
type returnIndexPage struct {
	Page
	returnLabels
	Returns   []returns.Return
	Rows      []returnListRow // the Returns as the list shows them
	Today     time.Time
	States    []returns.State
	State     string
	Customer  string
	Companies customerPick
	// NextHref continues the list (not the open ones, listed oldest first);
	// FirstHref, on a later page, goes back to its start.
	NextHref, FirstHref string
	// More says the open returns are more than listed.
	More       bool
	CanRequest bool
	CanReceive bool
}

// returnListRow is a return as the list's row shows it, in the reader's
// language, worked out before the template runs (in html/template every
// value and function of a row costs a reflective call).
type returnListRow struct {
	ID       int64
	Ref      template.HTML // the RA number, or "return 12"
	Customer string
	OrderID  int64
	PO       string
	SKU      string
	Quantity string
	Status   template.HTML // the state, "RA expired…" for a late parcel
	Expired  bool
	Age      string // days since it was asked for
	ArriveBy string
}

// rows are the list's returns as their rows show them in l's language.
func (p *returnIndexPage) rows(l *i18n.Localizer) []returnListRow {
	out := make([]returnListRow, len(p.Returns))
	for i := range p.Returns {
		r := &p.Returns[i]
		out[i] = returnListRow{ID: r.ID, Ref: l.HTML(r.Ref()), Customer: r.CompanyName, OrderID: r.OrderID, PO: r.POReference, SKU: r.SKU,
			Quantity: l.Num(int64(r.Quantity)), Status: l.HTML(r.StatusLabel(p.Today)), Expired: r.Expired(p.Today),
			Age: strconv.Itoa(xlsx.AgeDays(r.CreatedAt, p.Today))}
		if r.ArriveBy != nil {
			out[i].ArriveBy = l.Date(*r.ArriveBy)
		}
	}
	return out
}

// ExportHref is the list as filtered, as .xlsx.
func (p *returnIndexPage) ExportHref() string {
	return "/returns.xlsx?" + url.Values{"state": {p.State}, "customer": {p.Customer}}.Encode()
}

// returnFilter reads the list's filters: a state (or "open") and a
// customer; anything else lists every return.
func returnFilter(c *fiber.Ctx) (returns.Filter, string, string) {
	f := returns.Filter{}
	if st := c.Query("state"); st == "open" || isReturnState(st) {
		f.State = st
	}
	customer := c.Query("customer")
	f.CompanyID, _ = parseID(customer)
	if f.CompanyID == 0 {
		customer = ""
	}
	f.BeforeID, _ = parseID(c.Query("before"))
	return f, f.State, customer
}

func isReturnState(s string) bool {
	for _, st := range returns.States {
		if string(st) == s {
			return true
		}
	}
	return false
}

func (s *Server) handleReturnIndex(c *fiber.Ctx) error {
	u := currentUser(c)
	f, state, customer := returnFilter(c)
	f.Limit, f.Brief = returnPageSize+1, true
	list, err := s.returns.List(c.UserContext(), u, f)
	if err != nil {
		return err
	}
	states := returns.States
	if u.Is(users.RoleWarehouse) {
		states = returns.WarehouseStates
	}
	p := &returnIndexPage{Page: Page{Title: i18n.M("Returns")}, Today: s.returns.Today(), States: states, State: state, Customer: customer,
		CanRequest: u.Is(orderDesk.roles...), CanReceive: u.Is(warehouseDesk.roles...)}
	if len(list) > returnPageSize {
		list = list[:returnPageSize]
		if state == "open" {
			p.More = true
		} else {
			p.NextHref = "/returns?" + url.Values{"state": {state}, "customer": {customer}, "before": {strconv.FormatInt(list[len(list)-1].ID, 10)}}.Encode()
		}
	}
	if f.BeforeID > 0 {
		p.FirstHref = "/returns?" + url.Values{"state": {state}, "customer": {customer}}.Encode()
	}
	p.Returns = list
	p.Rows = p.rows(loc(c))
	if !u.Is(users.RoleWarehouse) { // the warehouse sees no customers
		if p.Companies, err = s.customerFilter(c, u, "customer", "customer", customer); err != nil {
			return err
		}
	}
	return s.render(c, "returns/index", p)
}

func (s *Server) handleReturnExport(c *fiber.Ctx) error {
	f, _, _ := returnFilter(c)
	list, err := s.returns.Export(c.UserContext(), s.reports, currentUser(c), f)
	if err != nil {
		return err
	}
	today := s.returns.Today()
	rows := make([]xlsx.ReturnRow, len(list))
	for i, r := range list {
		rows[i] = xlsx.ReturnRow{ID: r.ID, RA: r.RA(), Customer: r.CompanyName, OrderID: r.OrderID, PO: r.POReference, SKU: r.SKU,
			Product: r.ProductName, Quantity: r.Quantity, Status: r.StatusLabel(today), Created: r.CreatedAt, Updated: r.UpdatedAt,
			WindowEnds: r.WindowEnds, ArriveBy: r.ArriveBy}
		if r.Settlement != nil {
			rows[i].Settlement = returns.SettlementLabel(*r.Settlement)
		}
		if r.CreditNote != nil {
			rows[i].CreditNote = *r.CreditNote
		}
	}
	if err := xlsx.WriteReturns(c.Response().BodyWriter(), loc(c), rows, today); err != nil {
		c.Response().ResetBody()
		return err
	}
	c.Set(fiber.HeaderContentType, xlsx.ContentType("xlsx"))
	c.Set(fiber.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": "returns-" + today.Format(time.DateOnly) + ".xlsx"}))
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return nil
}

// returnFormPage is the return form: the customer, its shipped lines and
// what is typed.
type returnFormPage struct {
	Page
	Pick customerPick
	// Customer is the chosen customer's name.
	Customer string
	// OrderID narrows the lines to one order (0: all).
	OrderID int64
	Lines   []returns.ShippedLine
	Today   time.Time
	Form    returns.RequestInput
}

// RuleLabel says how a line's receipt date was found.
func (p *returnFormPage) RuleLabel(rule string) i18n.Message { return returns.ReceiptRuleLabel(rule) }

// returnForm reads the customer chosen or typed, and its shipped lines,
// into the form page. A wrong customer number is an error with the page,
// which shows it at the field.
func (s *Server) returnForm(c *fiber.Ctx, customer string, order int64) (*returnFormPage, error) {
	p := &returnFormPage{Page: Page{Title: i18n.M("Return goods")}, OrderID: order, Today: s.returns.Today(),
		Form: returns.RequestInput{Remedy: returns.RemedyReplacement}}
	var err error
	if p.Pick, err = s.pick(c, customerPick{ID: "customer", Name: "customer", Blank: i18n.M("choose"), Label: i18n.M("Customer"), Value: customer}); err != nil {
		return nil, err
	}
	co, err := s.picked(c, "customer", customer)
	if err != nil {
		return p, err
	}
	p.Form.CompanyID, p.Customer = co.ID, co.Name
	if co.ID > 0 {
		if p.Lines, err = s.returns.ShippedLines(c.UserContext(), currentUser(c), co.ID, order); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (s *Server) handleReturnNew(c *fiber.Ctx) error {
	order, _ := parseID(c.Query("order"))
	p, err := s.returnForm(c, c.Query("customer"), order)
	if p == nil {
		return err
	}
	if err != nil {
		return s.rerender(c, "returns/new", p, err)
	}
	if len(p.Lines) == 1 && p.Lines[0].Left() > 0 {
		p.Form.Line = p.Lines[0].Value()
	}
	return s.render(c, "returns/new", p)
}

func (s *Server) handleReturnCreate(c *fiber.Ctx) error {
	order, _ := parseID(c.FormValue("order"))
	p, err := s.returnForm(c, c.FormValue("customer"), order)
	if p == nil {
		return err
	}
	if err != nil {
		return s.rerender(c, "returns/new", p, err)
	}
	p.Form = returns.RequestInput{CompanyID: p.Form.CompanyID, Line: c.FormValue("line"), QuantityText: c.FormValue("quantity"),
		Serials: c.FormValue("serials"), Fault: c.FormValue("fault"), DOA: c.FormValue("doa") != "", Remedy: c.FormValue("remedy")}
	r, err := s.returns.Request(c.UserContext(), currentUser(c), p.Form)
	if err != nil {
		return s.rerender(c, "returns/new", p, err)
	}
	if r.State == returns.StateReferred {
		flash(c, i18n.M("No RA: the return is referred to the brand's service centre. Give the customer its details below."))
	} else {
		flash(c, i18n.M("The return is filed: approve it to issue the RA number."))
	}
	return c.Redirect(fmt.Sprintf("/returns/%d", r.ID))
}

// receivePage is the warehouse's form for a parcel's RA number, with the
// parcels expected.
type receivePage struct {
	Page
	returnLabels
	RA       string
	Expected []returns.Return
	Today    time.Time
}

// Status is how the list shows r's state ("RA expired…").
func (p *receivePage) Status(r *returns.Return) i18n.Message { return r.StatusLabel(p.Today) }

func (s *Server) receivePage(c *fiber.Ctx) (*receivePage, error) {
	list, err := s.returns.List(c.UserContext(), currentUser(c), returns.Filter{State: string(returns.StateApproved), Limit: returnListShown, Brief: true})
	return &receivePage{Page: Page{Title: i18n.M("Receive a return parcel")}, Expected: list, Today: s.returns.Today()}, err
}

func (s *Server) handleReturnReceiveForm(c *fiber.Ctx) error {
	p, err := s.receivePage(c)
	if err != nil {
		return err
	}
	return s.render(c, "returns/receive", p)
}

func (s *Server) handleReturnReceive(c *fiber.Ctx) error {
	p, err := s.receivePage(c)
	if err != nil {
		return err
	}
	p.RA = c.FormValue("ra")
	r, err := s.returns.Receive(c.UserContext(), currentUser(c), returns.ReceiveInput{RA: p.RA})
	if err != nil {
		return s.rerender(c, "returns/receive", p, err)
	}
	flash(c, i18n.M("The parcel of %s is received: test its units.", r.RA()))
	return c.Redirect(fmt.Sprintf("/returns/%d#test", r.ID))
}

// quarantinePage lists the units in quarantine, and the returns whose
// units wait to go back to the customer.
type quarantinePage struct {
	SendBack []returns.Return
	Page
	Units []returns.Quarantined
}

func (s *Server) handleQuarantine(c *fiber.Ctx) error {
	back, err := returns.ToSendBack(c.UserContext(), s.db, returns.MaxList)
	if err != nil {
		return err
	}
	units, err := returns.Quarantine(c.UserContext(), s.db, returns.MaxList)
	if err != nil {
		return err
	}
	return s.render(c, "returns/quarantine", &quarantinePage{Page: Page{Title: i18n.M("Units in quarantine")}, Units: units, SendBack: back})
}
