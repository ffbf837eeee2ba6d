package web

import (
	"context"
	"fmt"
	"html/template"
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/complaints"
	"wholesale/internal/i18n"
	"wholesale/internal/users"
)

var (
	// complaintDesk reads the complaints log: MaySee narrows an account
	// manager to its customers'.
	complaintDesk = rule{roles: []users.Role{users.RoleAdmin, users.RoleSales, users.RoleAccountManager, users.RoleCustomerService, users.RoleBoard}}
	// complaintHandlers record, acknowledge, report on and resolve complaints.
	complaintHandlers = rule{roles: []users.Role{users.RoleAdmin, users.RoleAccountManager, users.RoleCustomerService}}
	// complaintManager assigns investigators.
	complaintManager = rule{roles: []users.Role{users.RoleAdmin, users.RoleCustomerService}}
	// boardDesk answers escalated complaints.
	boardDesk = rule{roles: []users.Role{users.RoleAdmin, users.RoleBoard}}

	customerServiceWork = []users.Role{users.RoleCustomerService}
	boardWork           = []users.Role{users.RoleBoard}
)

func (s *Server) registerComplaintRoutes() {
	// GET /complaints lists complaints by ?state (or "open"), ?overdue and ?flagged: the overdue ones first.
	s.page(fiber.MethodGet, "/complaints", complaintDesk, s.handleComplaintIndex)
	// GET /complaints/new is the form of a complaint received by phone or mail.
	s.page(fiber.MethodGet, "/complaints/new", complaintHandlers, s.handleComplaintNew)
	// POST /complaints records a complaint received by phone or mail, with its documents.
	s.page(fiber.MethodPost, "/complaints", complaintHandlers, s.handleComplaintCreate)
	s.registerComplaintPageRoutes()
	s.addWork(customerServiceWork, s.complaintsWaiting(complaints.Filter{Flagged: true, Unassigned: true}, i18n.M("Complaints unresolved after a week"),
		"/complaints?flagged=1&unassigned=1", i18n.M("Assign an investigator.")))
	s.addWork(customerServiceWork, s.complaintsWaiting(complaints.Filter{Overdue: true}, i18n.M("Overdue complaints"),
		"/complaints?overdue=1", i18n.M("Past the date they wait for.")))
	s.addWork(boardWork, s.complaintsWaiting(complaints.Filter{State: complaints.StateEscalated}, i18n.M("Complaints escalated to the board"),
		"/complaints?state=escalated", i18n.M("The board answers within a week.")))
	s.addWork(managerWork, s.complaintsWaiting(complaints.Filter{State: complaints.StateReceived}, i18n.M("Complaints to acknowledge"),
		"/complaints?state=received", i18n.M("Acknowledge within 3 working days of receipt.")))
	s.addWork(managerWork, s.complaintsWaiting(complaints.Filter{State: complaints.StateAcknowledged}, i18n.M("Complaints to answer"),
		"/complaints?state=acknowledged", i18n.M("Resolve within 2 weeks of receipt, or send a progress report.")))
}

// complaintRowsShown is how many complaints a home page queue shows.
const complaintRowsShown = 5

// complaintsWaiting counts the complaints of f the user may see, and shows
// the first with what they wait for and by when.
func (s *Server) complaintsWaiting(f complaints.Filter, title i18n.Message, href string, note i18n.Message) func(context.Context, *users.User, time.Time) (workItem, error) {
	return func(ctx context.Context, u *users.User, now time.Time) (workItem, error) {
		today := s.complaints.Today()
		f.Today = today
		list, err := s.complaints.List(ctx, u, f)
		item := workItem{Title: title, Count: len(list), Href: href, AgeOf: i18n.M("the oldest received %s ago"),
			RowsOrder: i18n.M("Overdue first, then due soonest")}
		if len(list) > 0 {
			item.Note = note
			oldest := list[0].ReceivedAt
			for _, c := range list[1:] {
				if c.ReceivedAt.Before(oldest) {
					oldest = c.ReceivedAt
				}
			}
			item.Age = ageSince(&oldest, now)
		}
		for i, c := range list {
			if i == complaintRowsShown {
				break
			}
			item.Rows = append(item.Rows, workRow{Label: complaintDueLabel(&c, today), Href: fmt.Sprintf("/complaints/%d", c.ID), Age: ageSince(&c.ReceivedAt, now)})
		}
		return item, err
	}
}

// complaintDueLabel says a complaint's reference, customer and what it
// waits for by when with the days left.
func complaintDueLabel(c *complaints.Complaint, today time.Time) i18n.Message {
	d := c.Due()
	if d.By.IsZero() {
		return i18n.M("%s, %s", c.Ref(), c.CompanyName)
	}
	return i18n.M("%s, %s: %s by %s (%s)", c.Ref(), c.CompanyName, d.What, i18n.Date{T: d.By}, daysLeft(d, today))
}

// daysLeft says the time left until d, or how long it is overdue.
func daysLeft(d complaints.Due, today time.Time) i18n.Message {
	n := d.DaysLeft(today)
	switch {
	case d.Overdue(today):
		return i18n.N(-n, "overdue by %d days", -n)
	case n == 0:
		return i18n.M("due today")
	}
	return i18n.N(n, "%d days left", n)
}

// complaintIndexPage is the complaints log with its filters.
type complaintIndexPage struct {
	Page
	Complaints []complaints.Complaint
	Rows       []complaintLogRow // the Complaints as the log shows them
	Today      time.Time
	States     []complaints.State
	State      string
	Overdue    bool
	Flagged    bool
	Unassigned bool
	// ShowFlags: the user is the customer service manager (or an admin),
	// who assigns investigators to the flagged complaints.
	ShowFlags bool
	CanFile   bool
	// More says the log holds more than the complaints shown.
	More bool
}

// complaintsShown is how many complaints the log's page shows, the most
// urgent first, as many as a page of the order list; ten years hold
// thousands, which the filters and the download reach.
const complaintsShown = 50

// complaintLogRow is a complaint as the log's row shows it, in the reader's
// language, worked out before the template runs (in html/template every
// value and function of a row costs a reflective call).
type complaintLogRow struct {
	ID       int64
	Ref      template.HTML
	Customer string
	State    template.HTML
	WaitsFor template.HTML // what the complaint waits for, and by when
	By       string
	TimeLeft template.HTML // the days left until By, none without a date
	Overdue  bool          // past By
	// Flagged: unresolved after a week, shown to who assigns
	// investigators; NoInvestigator: none is assigned yet.
	Flagged, NoInvestigator bool
}

// rows are the log's complaints as their rows show them in l's language.
func (p *complaintIndexPage) rows(l *i18n.Localizer) []complaintLogRow {
	out := make([]complaintLogRow, len(p.Complaints))
	for i := range p.Complaints {
		c := &p.Complaints[i]
		d := c.Due()
		r := complaintLogRow{ID: c.ID, Ref: l.HTML(c.Ref()), Customer: c.CompanyName, State: l.HTML(c.State.Label()), Overdue: d.Overdue(p.Today),
			Flagged: p.ShowFlags && complaints.Flagged(c.Facts(), p.Today), NoInvestigator: c.InvestigatorName == ""}
		if !d.What.IsZero() {
			r.WaitsFor = l.HTML(d.What)
		}
		if !d.By.IsZero() {
			r.By, r.TimeLeft = l.Date(d.By), l.HTML(daysLeft(d, p.Today))
		}
		out[i] = r
	}
	return out
}

func (s *Server) handleComplaintIndex(c *fiber.Ctx) error {
	u := currentUser(c)
	p := &complaintIndexPage{Page: Page{Title: i18n.M("Complaints")}, Today: s.complaints.Today(),
		States:    []complaints.State{complaints.StateReceived, complaints.StateAcknowledged, complaints.StateResolved, complaints.StateEscalated, complaints.StateClosed},
		ShowFlags: u.Is(complaintManager.roles...), CanFile: u.Is(complaintHandlers.roles...)}
	f, state := complaintFilter(c)
	f.Today, f.Limit = p.Today, complaintsShown+1
	p.State, p.Overdue, p.Flagged, p.Unassigned = state, f.Overdue, f.Flagged, f.Unassigned
	var err error
	p.Complaints, err = s.complaints.List(c.UserContext(), u, f)
	if err != nil {
		return err
	}
	if len(p.Complaints) > complaintsShown {
		p.Complaints, p.More = p.Complaints[:complaintsShown], true
	}
	p.Rows = p.rows(loc(c))
	return s.render(c, "complaints/index", p)
}

// complaintFilter reads the filters of the complaints log, as the list
// and its export take them: ?state (a state, or "open"; ?open=1 is "open"
// too), ?overdue, ?flagged and ?unassigned; it returns the state as given.
func complaintFilter(c *fiber.Ctx) (complaints.Filter, string) {
	f := complaints.Filter{Open: c.Query("open") != "", Overdue: c.Query("overdue") != "", Flagged: c.Query("flagged") != "",
		Unassigned: c.Query("unassigned") != ""}
	state := ""
	switch st := c.Query("state"); {
	case st == "open":
		f.Open, state = true, st
	case isComplaintState(st):
		f.State, state = complaints.State(st), st
	}
	if f.Open {
		state = "open"
	}
	return f, state
}

// ExportHref is the log as filtered, as .xlsx.
func (p *complaintIndexPage) ExportHref() string {
	q := url.Values{}
	for k, on := range map[string]bool{"overdue": p.Overdue, "flagged": p.Flagged, "unassigned": p.Unassigned} {
		if on {
			q.Set(k, "1")
		}
	}
	if p.State != "" {
		q.Set("state", p.State)
	}
	if len(q) == 0 {
		return "/complaints.xlsx"
	}
	return "/complaints.xlsx?" + q.Encode()
}

// isComplaintState tells whether st names a state.
func isComplaintState(st string) bool {
	switch complaints.State(st) {
	case complaints.StateReceived, complaints.StateAcknowledged, complaints.StateResolved, complaints.StateEscalated, complaints.StateClosed:
		return true
	}
	return false
}

// complaintFormPage is the form of a complaint received by phone or mail.
type complaintFormPage struct {
	Page
	complaintFiles
	Pick customerPick
	Form complaints.FileInput
}

// Channels are the choices of the form.
func (p *complaintFormPage) Channels() []string {
	return []string{complaints.ChannelPhone, complaints.ChannelMail}
}

// ChannelLabel names a channel.
func (p *complaintFormPage) ChannelLabel(ch string) i18n.Message { return channelLabel(ch) }

// channelLabel names the way a complaint came in.
func channelLabel(ch string) i18n.Message {
	switch ch {
	case complaints.ChannelPhone:
		return i18n.M("by phone")
	case complaints.ChannelMail:
		return i18n.M("by mail")
	case complaints.ChannelPortal:
		return i18n.M("in the portal")
	}
	return i18n.Raw(ch)
}

// complaintForm is the form with the customer chosen or typed.
func (s *Server) complaintForm(c *fiber.Ctx, customer string) (*complaintFormPage, error) {
	p := &complaintFormPage{Page: Page{Title: i18n.M("Record a complaint")}, Form: complaints.FileInput{Channel: complaints.ChannelPhone}}
	var err error
	p.Pick, err = s.pick(c, customerPick{ID: "customer", Name: "customer", Blank: i18n.M("choose"), Label: i18n.M("Customer"), Value: customer})
	return p, err
}

func (s *Server) handleComplaintNew(c *fiber.Ctx) error {
	p, err := s.complaintForm(c, c.Query("customer"))
	if err != nil {
		return err
	}
	p.Form.Order = c.Query("order")
	return s.render(c, "complaints/new", p)
}

func (s *Server) handleComplaintCreate(c *fiber.Ctx) error {
	p, err := s.complaintForm(c, c.FormValue("customer"))
	if err != nil {
		return err
	}
	co, picked := s.picked(c, "customer", p.Pick.Value)
	p.Form = complaints.FileInput{CompanyID: co.ID, Order: c.FormValue("order"), Channel: c.FormValue("channel"),
		ContactName: c.FormValue("contact_name"), ContactEmail: c.FormValue("contact_email"), ContactPhone: c.FormValue("contact_phone"),
		Description: c.FormValue("description")}
	// A wrong customer number is filed as none, which is refused with the
	// other fields' messages, and keeps the files sent for the next try.
	cp, err := s.fileComplaintForm(c, &p.Form, &p.complaintFiles)
	if err = joinFields(picked, err); err != nil {
		return s.rerender(c, "complaints/new", p, err)
	}
	flash(c, i18n.M("The complaint is recorded: acknowledge it within 3 working days."))
	return c.Redirect(fmt.Sprintf("/complaints/%d", cp.ID))
}
