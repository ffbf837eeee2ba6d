package web

import (
	"context"
	"mime"
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/i18n"
	"wholesale/internal/receivables"
	"wholesale/internal/users"
	"wholesale/internal/xlsx"
)

func (s *Server) registerReceivableRoutes() {
	// GET /reminders lists the overdue invoices (an account manager's customers') with the reminders sent; ?sort=newest or overdue.
	s.page(fiber.MethodGet, "/reminders", invoiceDesk, s.handleReminders)
	// GET /receivables/aging is the aging report: open amounts per customer by days past due, and in total.
	s.page(fiber.MethodGet, "/receivables/aging", invoiceDesk, s.handleAging)
	// GET /receivables/aging.xlsx downloads the aging report as .xlsx.
	s.page(fiber.MethodGet, "/receivables/aging.xlsx", invoiceDesk, s.handleAgingExport)
	// GET /portal/account-statement is the customer's account: open items, payments, balance and credit position.
	s.page(fiber.MethodGet, "/portal/account-statement", customerOnly, s.handleAccountStatement)
	s.addWork(managerWork, s.overdueOfCustomers)
}

// overdueOfCustomers counts the account manager's customers' invoices past their due date.
func (s *Server) overdueOfCustomers(ctx context.Context, u *users.User, now time.Time) (workItem, error) {
	today := receivables.Today(now)
	n, earliest, err := receivables.CountOverdue(ctx, s.db, u, today)
	item := workItem{Title: i18n.M("Overdue invoices of your customers"), Count: n, Href: "/reminders"}
	if earliest != nil {
		item.Note = i18n.M("The earliest was due on %s. The list shows the reminders sent.", i18n.D(*earliest))
	}
	return item, err
}

type remindersPage struct {
	Page
	Invoices []receivables.OverdueInvoice
	// Count is the number of all overdue invoices, more than shown when past the limit.
	Count     int
	OpenCents int64
	Sort      string
	// Mine says the list holds the account manager's own customers only.
	Mine bool
}

func (s *Server) handleReminders(c *fiber.Ctx) error {
	u := currentUser(c)
	p := &remindersPage{Page: Page{Title: i18n.M("Overdue invoices and reminders")}, Sort: receivables.MostOverdue,
		Mine: u.Role == users.RoleAccountManager}
	if c.Query("sort") == receivables.Newest {
		p.Sort = receivables.Newest
	}
	var err error
	p.Invoices, p.Count, err = receivables.Overdue(c.UserContext(), s.db, u, receivables.Today(s.clock.Now()), p.Sort)
	if err != nil {
		return err
	}
	for _, inv := range p.Invoices {
		p.OpenCents += inv.OpenCents
	}
	return s.render(c, "receivables/reminders", p)
}

// InvoiceHref is the address of an invoice's page.
func (p *remindersPage) InvoiceHref(number string) string {
	return "/invoices/" + url.PathEscape(number)
}

type agingPage struct {
	Page
	Aging   *receivables.AgingPage
	Buckets []i18n.Message
	Mine    bool
	// From and To are the places (from 1) of the page's first and last
	// customers; Prev and Next the neighbouring pages.
	From, To   int
	Prev, Next string
}

// agingRows is how many customers a page of the aging report shows, as
// many as the other lists: ten years of trade leave thousands with
// something open, which one page cannot show quickly; the download has
// them all.
const agingRows = 50

// pager sets the page's places and links.
func (p *agingPage) pager() {
	a := p.Aging
	p.From, p.To = a.Offset+1, a.Offset+len(a.Rows)
	page := a.Offset/agingRows + 1
	if page > 1 {
		p.Prev = "/receivables/aging?page=" + strconv.Itoa(page-1)
	}
	if p.To < a.Customers {
		p.Next = "/receivables/aging?page=" + strconv.Itoa(page+1)
	}
}

// CustomerHref is the list of a customer's unpaid documents.
func (p *agingPage) CustomerHref(id int64) string {
	return "/invoices?" + url.Values{"customer": {strconv.FormatInt(id, 10)}, "state": {"unpaid"}}.Encode()
}

func (s *Server) handleAging(c *fiber.Ctx) error {
	u := currentUser(c)
	page, _ := strconv.Atoi(c.Query("page")) // anything else is the first page
	page = min(max(page, 1), 1_000_000)
	a, err := s.aging.PageOf(c.UserContext(), u, receivables.Today(s.clock.Now()), (page-1)*agingRows, agingRows)
	if err != nil {
		return err
	}
	p := &agingPage{Page: Page{Title: i18n.M("Aging of receivables")}, Aging: a,
		Buckets: receivables.BucketLabels[:], Mine: u.Role == users.RoleAccountManager}
	p.pager()
	return s.render(c, "receivables/aging", p)
}

func (s *Server) handleAgingExport(c *fiber.Ctx) error {
	a, err := receivables.AgingOf(c.UserContext(), s.reports, currentUser(c), receivables.Today(s.clock.Now()))
	if err != nil {
		return err
	}
	if err := xlsx.WriteAging(c.Response().BodyWriter(), loc(c), a); err != nil {
		c.Response().ResetBody()
		return err
	}
	c.Set(fiber.HeaderContentType, xlsx.ContentType("xlsx"))
	c.Set(fiber.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": "aging-" + a.Today.Format(time.DateOnly) + ".xlsx"}))
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return nil
}

type statementPage struct {
	Page
	St *receivables.Statement
}

// InvoiceHref is the address of one of the customer's documents in the portal.
func (p *statementPage) InvoiceHref(number string) string { return invoiceHref(true, number) }

func (s *Server) handleAccountStatement(c *fiber.Ctx) error {
	st, err := receivables.StatementOf(c.UserContext(), s.db, currentUser(c), s.clock.Now())
	if err != nil {
		return err
	}
	return s.render(c, "receivables/statement", &statementPage{Page: Page{Title: i18n.M("Account statement")}, St: st})
}
