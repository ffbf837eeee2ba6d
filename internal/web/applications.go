package web

import (
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/audit"
	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/money"
	"wholesale/internal/users"
)

func (s *Server) registerApplicationRoutes() {
	// GET /applications is the vetting queue, oldest first, filtered by status.
	s.page(fiber.MethodGet, "/applications", salesDesk, s.handleApplicationQueue)
	// GET /applications/new is the application form for one that came by e-mail.
	s.page(fiber.MethodGet, "/applications/new", salesDesk, s.handleApplicationNew)
	// POST /applications records an application that came by e-mail.
	s.page(fiber.MethodPost, "/applications", salesDesk, s.handleApplicationCreate)
	// GET /applications/:id shows an application with its documents, checklist and audit trail.
	s.page(fiber.MethodGet, "/applications/:id", salesDesk, s.handleApplicationShow)
	// POST /applications/:id/checks passes or fails one checklist item.
	s.page(fiber.MethodPost, "/applications/:id/checks", salesDesk, s.handleApplicationCheck)
	// POST /applications/:id/request-documents mails the applicant a link to add documents.
	s.page(fiber.MethodPost, "/applications/:id/request-documents", salesDesk, s.handleRequestDocuments)
	// POST /applications/:id/vies asks VIES again.
	s.page(fiber.MethodPost, "/applications/:id/vies", salesDesk, s.handleApplicationVIES)
	// POST /applications/:id/approve makes the applicant a customer.
	s.page(fiber.MethodPost, "/applications/:id/approve", salesDesk, s.handleApplicationApprove)
	// POST /applications/:id/reject turns the application down with a reason.
	s.page(fiber.MethodPost, "/applications/:id/reject", salesDesk, s.handleApplicationReject)
}

type queuePage struct {
	Page
	Items    []customers.QueueItem
	Status   string
	Statuses []string
}

func (s *Server) handleApplicationQueue(c *fiber.Ctx) error {
	status := c.Query("status")
	items, err := s.customers.Queue(c.UserContext(), status)
	if err != nil {
		return err
	}
	return s.render(c, "applications/index", &queuePage{Page: Page{Title: i18n.M("Applications")}, Items: items, Status: status, Statuses: customers.AppStatuses})
}

func (s *Server) handleApplicationNew(c *fiber.Ctx) error {
	p := newApplyPage("/applications", true)
	p.Title = i18n.M("Enter an application received by e-mail")
	return s.render(c, "apply/form", p)
}

func (s *Server) handleApplicationCreate(c *fiber.Ctx) error {
	p := newApplyPage("/applications", true)
	p.Title = i18n.M("Enter an application received by e-mail")
	return s.applyFrom(c, p, currentUser(c))
}

// approveForm is the approval form as typed.
type approveForm struct {
	PaymentTerms, CreditLimit, PaymentTermDays string
	AccountManagerID                           int64
}

type applicationPage struct {
	Page
	View        *customers.ApplicationView
	Managers    []users.User
	Approve     approveForm
	RequestNote string
	Reason      string
	// CheckItem is the item whose form failed, with what was typed.
	CheckItem, CheckNote, KvKDate string
	VIESOn                        bool
	// Audit is the application's audit trail, newest first.
	Audit []audit.Entry
}

func (s *Server) applicationPage(c *fiber.Ctx) (*applicationPage, error) {
	id, err := c.ParamsInt("id")
	if err != nil {
		return nil, fiber.ErrNotFound
	}
	v, err := s.customers.View(c.UserContext(), int64(id))
	if err != nil {
		return nil, err
	}
	managers, err := users.ListByRole(c.UserContext(), s.db, users.RoleAccountManager)
	if err != nil {
		return nil, err
	}
	entries, err := audit.List(c.UserContext(), s.db, audit.Filter{Entity: "application", EntityID: strconv.FormatInt(v.App.ID, 10), Limit: 100})
	if err != nil {
		return nil, err
	}
	return &applicationPage{Page: Page{Title: i18n.M("Application A-%d: %s", v.App.ID, v.App.CompanyName)}, View: v, Managers: managers,
		Approve: approveForm{PaymentTerms: customers.TermsCredit, PaymentTermDays: "30"}, VIESOn: s.customers.VIES != nil, Audit: entries}, nil
}

func (s *Server) handleApplicationShow(c *fiber.Ctx) error {
	p, err := s.applicationPage(c)
	if err != nil {
		return err
	}
	return s.render(c, "applications/show", p)
}

func (s *Server) backToApplication(c *fiber.Ctx, msg i18n.Message) error {
	flash(c, msg)
	return c.Redirect("/applications/" + c.Params("id"))
}

func (s *Server) handleApplicationCheck(c *fiber.Ctx) error {
	p, err := s.applicationPage(c)
	if err != nil {
		return err
	}
	in := customers.CheckInput{Item: c.FormValue("item"), Passed: c.FormValue("result") == "pass", Note: c.FormValue("note"), KvKExtractDate: c.FormValue("kvk_extract_date")}
	if c.FormValue("result") != "pass" && c.FormValue("result") != "fail" {
		in.Note = ""
	}
	if err := s.customers.RecordCheck(c.UserContext(), currentUser(c), p.View.App.ID, in); err != nil {
		p.CheckItem, p.CheckNote, p.KvKDate = in.Item, in.Note, in.KvKExtractDate
		return s.rerender(c, "applications/show", p, err)
	}
	return s.backToApplication(c, i18n.M("Check recorded."))
}

func (s *Server) handleRequestDocuments(c *fiber.Ctx) error {
	p, err := s.applicationPage(c)
	if err != nil {
		return err
	}
	p.RequestNote = c.FormValue("request_note")
	if err := s.customers.RequestDocuments(c.UserContext(), p.View.App.ID, p.RequestNote); err != nil {
		return s.rerender(c, "applications/show", p, err)
	}
	return s.backToApplication(c, i18n.M("The applicant has been mailed a link to add documents."))
}

func (s *Server) handleApplicationVIES(c *fiber.Ctx) error {
	p, err := s.applicationPage(c)
	if err != nil {
		return err
	}
	if err := s.customers.RecheckVIES(c.UserContext(), p.View.App.ID); err != nil {
		if p, perr := s.applicationPage(c); perr == nil {
			return s.rerender(c, "applications/show", p, err)
		}
		return err
	}
	return s.backToApplication(c, i18n.M("VIES answered."))
}

func (s *Server) handleApplicationApprove(c *fiber.Ctx) error {
	p, err := s.applicationPage(c)
	if err != nil {
		return err
	}
	amID, _ := strconv.ParseInt(c.FormValue("account_manager_id"), 10, 64)
	p.Approve = approveForm{PaymentTerms: c.FormValue("payment_terms"), CreditLimit: c.FormValue("credit_limit"),
		PaymentTermDays: c.FormValue("payment_term_days"), AccountManagerID: amID}
	// The limit as the reader's language writes amounts ("10,000" in
	// English too), passed on in a form every language reads.
	limit := p.Approve.CreditLimit
	if v, err := loc(c).ParseAmount(limit); err == nil {
		limit = money.Input(v)
	}
	company, err := s.customers.Approve(c.UserContext(), currentUser(c), p.View.App.ID, customers.ApproveInput{
		PaymentTerms: p.Approve.PaymentTerms, CreditLimit: limit, PaymentTermDays: p.Approve.PaymentTermDays, AccountManagerID: amID})
	if err != nil {
		return s.rerender(c, "applications/show", p, err)
	}
	flash(c, i18n.M("%s is a customer now; %s has been invited to set a password.", company.Name, company.ContactEmail))
	return c.Redirect(fmt.Sprintf("/customers/%d", company.ID))
}

func (s *Server) handleApplicationReject(c *fiber.Ctx) error {
	p, err := s.applicationPage(c)
	if err != nil {
		return err
	}
	p.Reason = c.FormValue("reason")
	if err := s.customers.Reject(c.UserContext(), currentUser(c), p.View.App.ID, p.Reason); err != nil {
		return s.rerender(c, "applications/show", p, err)
	}
	return s.backToApplication(c, i18n.M("The application is rejected and the applicant has been told why."))
}
