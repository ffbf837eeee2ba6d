package web

import (
	"bytes"
	"mime"
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/i18n"
	"wholesale/internal/returns"
	"wholesale/internal/shipping"
)

func (s *Server) registerPortalReturnRoutes() {
	// GET /portal/returns lists the customer's returns, newest first, by pages.
	s.page(fiber.MethodGet, "/portal/returns", customerOnly, s.handlePortalReturns)
	// GET /portal/returns/new is the return form: the shipped lines to choose from (?order= one order's), with the rules.
	s.page(fiber.MethodGet, "/portal/returns/new", customerOnly, s.handlePortalReturnNew)
	// POST /portal/returns files the return form.
	s.page(fiber.MethodPost, "/portal/returns", customerOnly, s.handlePortalReturnCreate)
	// GET /portal/returns/:id shows one return as it stands: approval, RA and instructions, tests, settlement or service centre.
	s.page(fiber.MethodGet, "/portal/returns/:id", customerOnly, s.handlePortalReturn)
	// GET /portal/returns/:id/label.pdf downloads the printable return label of an approved return.
	s.page(fiber.MethodGet, "/portal/returns/:id/label.pdf", customerOnly, s.handlePortalReturnLabel)
	// POST /portal/returns/:id/cancel withdraws a return before its parcel arrived, with the reason.
	s.page(fiber.MethodPost, "/portal/returns/:id/cancel", customerOnly, s.handlePortalReturnCancel)
}

// portalReturnHref is the address of a return in the portal.
func portalReturnHref(id int64) string { return "/portal/returns/" + strconv.FormatInt(id, 10) }

// returnRow is a return as the portal's list shows it.
type returnRow struct {
	returns.Return
	Href       string
	Status     i18n.Message
	Settlement i18n.Message
	// Late tells that the RA expired before the parcel arrived.
	Late bool
}

type portalReturnsPage struct {
	Page
	Returns []returnRow
	NextURL string
}

// portalReturnsPerPage is how many returns a page of the portal's list shows.
const portalReturnsPerPage = 50

func (s *Server) handlePortalReturns(c *fiber.Ctx) error {
	f := returns.Filter{Limit: portalReturnsPerPage + 1}
	f.BeforeID, _ = parseID(c.Query("before"))
	for _, st := range returns.States { // an unknown state lists them all
		if c.Query("state") == string(st) {
			f.State = string(st)
		}
	}
	list, err := s.returns.List(c.UserContext(), currentUser(c), f)
	if err != nil {
		return err
	}
	p := &portalReturnsPage{Page: Page{Title: i18n.M("Our returns")}}
	if len(list) > portalReturnsPerPage {
		list = list[:portalReturnsPerPage]
		p.NextURL = "/portal/returns?before=" + strconv.FormatInt(list[len(list)-1].ID, 10)
		if f.State != "" {
			p.NextURL += "&state=" + f.State
		}
	}
	today := s.returns.Today()
	for _, r := range list {
		row := returnRow{Return: r, Href: portalReturnHref(r.ID), Status: r.StatusLabel(today), Late: r.Expired(today)}
		if r.Settlement != nil {
			row.Settlement = returns.SettlementLabel(*r.Settlement)
		}
		p.Returns = append(p.Returns, row)
	}
	return s.render(c, "returns_portal/index", p)
}

// portalReturnForm is the return form with the shipped lines to choose
// from, and what was typed.
type portalReturnForm struct {
	Page
	Lines []returns.ShippedLine
	// OrderID limits the lines to one order (0: every shipped line).
	OrderID int64
	Form    returns.RequestInput
	// More tells that older shipped lines are left out.
	More       bool
	WindowDays int
	PlusDays   int
	today      time.Time
}

// Rule states how a line's receipt date was found.
func (p *portalReturnForm) Rule(l returns.ShippedLine) i18n.Message {
	return returns.ReceiptRuleLabel(l.ReceivedRule)
}

// WindowOver tells whether a line's DOA window has ended.
func (p *portalReturnForm) WindowOver(l returns.ShippedLine) bool { return !l.InWindow(p.today) }

// Chosen tells whether the form has line l chosen: the one typed, or the
// only line left to return.
func (p *portalReturnForm) Chosen(l returns.ShippedLine) bool {
	if p.Form.Line != "" {
		return p.Form.Line == l.Value()
	}
	open := 0
	for _, x := range p.Lines {
		if x.Left() > 0 {
			open++
		}
	}
	return open == 1 && l.Left() > 0
}

// CreditNote tells whether the form asks for a credit note.
func (p *portalReturnForm) CreditNote() bool { return p.Form.Remedy == returns.RemedyCreditNote }

// RemedyLabel names a remedy.
func (p *portalReturnForm) RemedyLabel(r string) i18n.Message { return returns.RemedyLabel(r) }

// OrderHref is the address of an order in the portal.
func (p *portalReturnForm) OrderHref(id int64) string {
	return "/portal/orders/" + strconv.FormatInt(id, 10)
}

// portalReturnFormFor is the return form of the customer's shipped lines, of order
// orderID when above 0.
func (s *Server) portalReturnFormFor(c *fiber.Ctx, orderID int64) (*portalReturnForm, error) {
	lines, err := s.returns.ShippedLines(c.UserContext(), currentUser(c), 0, orderID)
	if err != nil {
		return nil, err
	}
	p := &portalReturnForm{Page: Page{Title: i18n.M("Return goods")}, Lines: lines, OrderID: orderID,
		More: len(lines) >= returns.MaxShippedLines, WindowDays: returns.WindowDays, PlusDays: returns.ReceiptWorkingDays,
		today: s.returns.Today()}
	return p, nil
}

func (s *Server) handlePortalReturnNew(c *fiber.Ctx) error {
	orderID, _ := parseID(c.Query("order"))
	p, err := s.portalReturnFormFor(c, orderID)
	if err != nil {
		return err
	}
	return s.render(c, "returns_portal/new", p)
}

func (s *Server) handlePortalReturnCreate(c *fiber.Ctx) error {
	orderID, _ := parseID(c.FormValue("order"))
	in := returns.RequestInput{Line: c.FormValue("line"), QuantityText: c.FormValue("quantity"), Serials: c.FormValue("serials"),
		Fault: c.FormValue("fault"), DOA: c.FormValue("doa") != "", Remedy: c.FormValue("remedy")}
	r, err := s.returns.Request(c.UserContext(), currentUser(c), in)
	if err != nil {
		p, perr := s.portalReturnFormFor(c, orderID)
		if perr != nil {
			return perr
		}
		p.Form = in
		return s.rerender(c, "returns_portal/new", p, err)
	}
	if r.State == returns.StateReferred {
		flash(c, i18n.M("Your report is recorded. The brand's authorised service centre handles this defect: you find its details below."))
	} else {
		flash(c, i18n.M("Your return request is sent. Your account manager checks it; once it is approved you receive the RA number by mail."))
	}
	return c.Redirect(portalReturnHref(r.ID))
}

// portalReturnPage is one return as the customer follows it.
type portalReturnPage struct {
	Page
	emphasis
	R *returns.Return
	// Label is what the parcel's label says, once the return has an RA.
	Label *returns.Label
	// Reason is the reason typed in the cancel form.
	Reason string
	today  time.Time
}

// Status is how the return stands today.
func (p *portalReturnPage) Status() i18n.Message { return p.R.StatusLabel(p.today) }

// Expired tells whether the RA expired before the parcel arrived.
func (p *portalReturnPage) Expired() bool { return p.R.Expired(p.today) }

// BackCarrier names the carrier the units went back with.
func (p *portalReturnPage) BackCarrier() i18n.Message {
	if p.R.BackCarrier == nil {
		return i18n.Message{}
	}
	return shipping.CarrierLabel(*p.R.BackCarrier)
}

// Rule says how the receipt date was found.
func (p *portalReturnPage) Rule() i18n.Message { return returns.ReceiptRuleLabel(p.R.ReceivedRule) }

// Closed says why the return has no RA, or why it closed.
func (p *portalReturnPage) Closed() i18n.Message {
	return returns.ClosedLabel(p.R.ClosedReason, p.R.WindowEnds)
}

// Remedy names what the customer asked for a confirmed fault.
func (p *portalReturnPage) Remedy() i18n.Message { return returns.RemedyLabel(p.R.Remedy) }

// Result names a unit's test result, "" while it is not tested.
func (p *portalReturnPage) Result(u returns.Unit) i18n.Message {
	if u.Result == nil {
		return i18n.Message{}
	}
	return returns.ResultLabel(*u.Result)
}

// Settlement names how the return was settled.
func (p *portalReturnPage) Settlement() i18n.Message {
	if p.R.Settlement == nil {
		return i18n.Message{}
	}
	return returns.SettlementLabel(*p.R.Settlement)
}

// SentBack counts the units that go back to the customer.
func (p *portalReturnPage) SentBack() int {
	n := 0
	for _, u := range p.R.Units {
		if u.Disposition != nil && *u.Disposition == returns.ToCustomer {
			n++
		}
	}
	return n
}

// Serials are the serial numbers the customer gave.
func (p *portalReturnPage) Serials() []string { return returns.SplitSerials(p.R.Serials) }

// CanCancel tells whether the customer may still withdraw the return.
func (p *portalReturnPage) CanCancel() bool {
	return p.R.State == returns.StateRequested || p.R.State == returns.StateApproved
}

// Tested tells whether the page shows the units' tests.
func (p *portalReturnPage) Tested() bool { return len(p.R.Units) > 0 && p.R.TestedAt != nil }

// Href is the return's address; LabelHref its label's.
func (p *portalReturnPage) Href() string { return portalReturnHref(p.R.ID) }

// LabelHref is the address of the return's printable label.
func (p *portalReturnPage) LabelHref() string { return p.Href() + "/label.pdf" }

// OrderHref is the address of the order the goods came with.
func (p *portalReturnPage) OrderHref() string {
	return "/portal/orders/" + strconv.FormatInt(p.R.OrderID, 10)
}

// ReplacementHref is the address of the replacement order.
func (p *portalReturnPage) ReplacementHref() string {
	if p.R.ReplacementID == nil {
		return ""
	}
	return "/portal/orders/" + strconv.FormatInt(*p.R.ReplacementID, 10)
}

// CreditNoteHref is the address of the credit note in the portal.
func (p *portalReturnPage) CreditNoteHref() string {
	if p.R.CreditNote == nil {
		return ""
	}
	return "/portal/invoices/" + url.PathEscape(*p.R.CreditNote)
}

// CreditNotePDF is the address of the credit note's PDF.
func (p *portalReturnPage) CreditNotePDF() string {
	if p.R.CreditNote == nil {
		return ""
	}
	return p.CreditNoteHref() + "/pdf"
}

// returnTitle is the title of a return's page: its RA number once it has one.
func returnTitle(r *returns.Return) i18n.Message {
	if r.RANumber != nil {
		return i18n.M("Return %s", *r.RANumber)
	}
	return i18n.M("Return %d", r.ID)
}

// portalReturn is the page of the return of the path, when it is the customer's.
func (s *Server) portalReturn(c *fiber.Ctx) (*portalReturnPage, error) {
	id, ok := parseID(c.Params("id"))
	if !ok {
		return nil, fiber.ErrNotFound
	}
	ctx, u := c.UserContext(), currentUser(c)
	r, err := s.returns.Get(ctx, u, id)
	if err != nil {
		return nil, err
	}
	p := &portalReturnPage{Page: Page{Title: returnTitle(r)}, R: r, today: s.returns.Today()}
	if r.State == returns.StateApproved {
		if p.Label, err = s.returns.Label(ctx, u, id); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (s *Server) handlePortalReturn(c *fiber.Ctx) error {
	p, err := s.portalReturn(c)
	if err != nil {
		return err
	}
	return s.render(c, "returns_portal/show", p)
}

func (s *Server) handlePortalReturnLabel(c *fiber.Ctx) error {
	id, ok := parseID(c.Params("id"))
	if !ok {
		return fiber.ErrNotFound
	}
	lb, err := s.returns.Label(c.UserContext(), currentUser(c), id)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := s.returns.WriteLabel(&buf, lb); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": lb.LabelFilename()}))
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(buf.Bytes())
}

func (s *Server) handlePortalReturnCancel(c *fiber.Ctx) error {
	p, err := s.portalReturn(c)
	if err != nil {
		return err
	}
	p.Reason = c.FormValue("reason")
	if _, err := s.returns.Cancel(c.UserContext(), currentUser(c), p.R.ID, returns.ReasonInput{Reason: p.Reason}); err != nil {
		return s.rerender(c, "returns_portal/show", p, err)
	}
	flash(c, i18n.M("The return is cancelled."))
	return c.Redirect(p.Href())
}
