package web

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/apperr"
	"wholesale/internal/catalog"
	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/orders"
	"wholesale/internal/users"
)

var (
	customerViewers = rule{roles: []users.Role{users.RoleAdmin, users.RoleSales, users.RoleAccountManager, users.RoleCustomer}}
	documentViewers = rule{roles: []users.Role{users.RoleAdmin, users.RoleSales, users.RoleCustomer}}
	// customerPageViewers open a customer's page: the account desk, and
	// finance for its invoices.
	customerPageViewers = rule{roles: []users.Role{users.RoleAdmin, users.RoleSales, users.RoleAccountManager, users.RoleFinance}}
)

func (s *Server) registerCustomerRoutes() {
	// GET /customers lists the customers (an account manager's own).
	s.page(fiber.MethodGet, "/customers", accountMgt, s.handleCustomerIndex)
	// GET /customers/:id shows a customer with its account change history.
	s.page(fiber.MethodGet, "/customers/:id", customerPageViewers, s.handleCustomerShow)
	// POST /customers/:id/changes records a requested change of account details.
	s.page(fiber.MethodPost, "/customers/:id/changes", accountMgt, s.handleCustomerChange)
	// POST /customers/:id/language sets the language of the customer's mail.
	s.page(fiber.MethodPost, "/customers/:id/language", salesDesk, s.handleCustomerLanguage)
	// POST /customers/:id/einvoice sets how the customer receives its e-invoices (UBL profile, Peppol id, buyer reference, UBL in the mail).
	s.page(fiber.MethodPost, "/customers/:id/einvoice", salesDesk, s.handleCustomerEInvoice)
	// GET /account shows a customer user their own company.
	s.page(fiber.MethodGet, "/account", customerOnly, s.handleAccount)
	// POST /account/changes records a change the customer asks for.
	s.page(fiber.MethodPost, "/account/changes", customerOnly, s.handleAccountChange)
	// GET /changes lists the open account changes, bank accounts first.
	s.page(fiber.MethodGet, "/changes", salesDesk, s.handleChangeQueue)
	// GET /changes/:id shows one change request.
	s.page(fiber.MethodGet, "/changes/:id", customerViewers, s.handleChangeShow)
	// POST /changes/:id/confirmation attaches the written confirmation (upload).
	s.page(fiber.MethodPost, "/changes/:id/confirmation", customerViewers, s.handleChangeAttach)
	// POST /changes/:id/confirm is the customer's confirmation in the portal.
	s.page(fiber.MethodPost, "/changes/:id/confirm", customerOnly, s.handleChangePortalConfirm)
	// POST /changes/:id/approve puts a confirmed change into effect.
	s.page(fiber.MethodPost, "/changes/:id/approve", salesDesk, s.handleChangeApprove)
	// POST /changes/:id/reject closes a change without effect.
	s.page(fiber.MethodPost, "/changes/:id/reject", salesDesk, s.handleChangeReject)
	// GET /documents/:id downloads an uploaded document, as an attachment.
	s.page(fiber.MethodGet, "/documents/:id", documentViewers, s.handleDocument)
}

type customerIndexPage struct {
	Page
	Companies []customers.Company
	Query     string
	// NextURL is the next page of the list, "" on the last.
	NextURL string
	// First tells whether this is the list's first page; FirstURL is it.
	First    bool
	FirstURL string
}

// customerPageSize is how many customers a page of the list shows.
const customerPageSize = 50

func (s *Server) handleCustomerIndex(c *fiber.Ctx) error {
	f := customers.CompanyFilter{Query: strings.TrimSpace(c.Query("q")), Limit: customerPageSize}
	f.AfterID, _ = strconv.ParseInt(c.Query("after"), 10, 64)
	list, next, err := customers.CompaniesFor(c.UserContext(), s.db, currentUser(c), f)
	if err != nil {
		return err
	}
	p := &customerIndexPage{Page: Page{Title: i18n.M("Customers")}, Companies: list, Query: f.Query, First: f.AfterID == 0, FirstURL: "/customers"}
	q := url.Values{}
	if f.Query != "" {
		q.Set("q", f.Query)
		p.FirstURL += "?" + q.Encode()
	}
	if next != 0 {
		q.Set("after", strconv.FormatInt(next, 10))
		p.NextURL = "/customers?" + q.Encode()
	}
	return s.render(c, "customers/index", p)
}

// changeForm is a change request form as typed.
type changeForm struct {
	Kind   string
	Values map[string]string
	Note   string
}

type changeKind struct {
	Kind   string
	Label  i18n.Message
	Fields []string
}

type customerPage struct {
	Page
	Company *customers.Company
	Manager *users.User
	Changes []customers.ChangeRequest
	Kinds   []changeKind
	Form    changeForm
	Current map[string]string
	Action  string
	Portal  bool
	// Prices is the prices form as typed, when it failed.
	Prices catalog.PricesInput
	// Orders are the customer's newest orders (staff only), MoreOrders
	// whether it has more; CanOrder whether the user may enter one.
	Orders     []orders.Order
	MoreOrders bool
	CanOrder   bool
	// CanSetLanguage tells whether the user may set the language of the
	// customer's mail, one of Languages.
	CanSetLanguage bool
	Languages      []langChoice
	// EInvoice is the e-invoice form: as saved, or as typed when it
	// failed; CanSetEInvoice tells whether the user may change it, to
	// one of EInvoiceProfiles.
	EInvoice         customers.EInvoiceInput
	CanSetEInvoice   bool
	EInvoiceProfiles []choice
	// CanChange tells whether the user records account changes and sets
	// prices (not finance); CanSeeInvoices whether the customer's
	// invoices are theirs to see, CanInvoiceNow whether they may issue
	// the customer's drafts before the cutoff.
	CanChange      bool
	CanSeeInvoices bool
	CanInvoiceNow  bool
}

// customerOrdersShown is how many of its newest orders a customer's page lists.
const customerOrdersShown = 10

func (s *Server) customerPage(c *fiber.Ctx, companyID int64) (*customerPage, error) {
	ctx := c.UserContext()
	co, err := customers.CompanyFor(ctx, s.db, currentUser(c), companyID)
	if err != nil {
		return nil, err
	}
	p := &customerPage{Page: Page{Title: i18n.Raw(co.Name)}, Company: co, Action: fmt.Sprintf("/customers/%d/changes", co.ID),
		Current: map[string]string{}}
	if co.AccountManagerID != nil {
		if p.Manager, err = users.ByID(ctx, s.db, *co.AccountManagerID); err != nil {
			return nil, err
		}
	}
	if p.Changes, err = s.customers.CompanyChanges(ctx, co.ID); err != nil {
		return nil, err
	}
	for _, k := range customers.ChangeKinds {
		p.Kinds = append(p.Kinds, changeKind{k, customers.ChangeKindLabel(k), customers.ChangeFields[k]})
	}
	cur := map[string]string{
		"visiting_street": co.Visiting.Street, "visiting_postcode": co.Visiting.Postcode, "visiting_city": co.Visiting.City, "visiting_country": co.Visiting.Country,
		"invoice_street": co.Invoice.Street, "invoice_postcode": co.Invoice.Postcode, "invoice_city": co.Invoice.City, "invoice_country": co.Invoice.Country,
		"contact_name": co.ContactName, "contact_email": co.ContactEmail, "contact_phone": co.ContactPhone,
		"iban": co.IBAN, "account_holder": co.AccountHolder, "invoice_email": co.InvoiceEmail,
	}
	p.Current = cur
	p.Form.Values = cur
	u := currentUser(c)
	p.CanChange = u.Is(users.RoleCustomer, users.RoleAdmin, users.RoleSales, users.RoleAccountManager)
	if u.Role.Staff() {
		p.CanSeeInvoices, p.CanInvoiceNow = u.Is(invoiceDesk.roles...), u.Is(financeDesk.roles...)
		list, next, err := s.orders.List(ctx, u, orders.Filter{CompanyID: co.ID, Limit: customerOrdersShown, Brief: true})
		if err != nil {
			return nil, err
		}
		p.Orders, p.MoreOrders, p.CanOrder = list, next != 0, u.Is(users.RoleAdmin, users.RoleAccountManager)
		p.CanSetLanguage, p.Languages = u.Is(users.RoleAdmin, users.RoleSales), langChoices()
		p.CanSetEInvoice, p.EInvoiceProfiles = u.Is(salesDesk.roles...), einvoiceProfiles()
		p.EInvoice = customers.EInvoiceInput{Profile: co.EInvoiceProfile, PeppolID: co.PeppolID, BuyerReference: co.BuyerReference, UBLInMail: co.UBLInMail}
	}
	return p, nil
}

func (s *Server) handleCustomerShow(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	p, err := s.customerPage(c, int64(id))
	if err != nil {
		return err
	}
	return s.render(c, "customers/show", p)
}

func (s *Server) handleCustomerLanguage(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	p, err := s.customerPage(c, int64(id))
	if err != nil {
		return err
	}
	lang := c.FormValue("language")
	if err := s.customers.SetLanguage(c.UserContext(), currentUser(c), p.Company.ID, lang); err != nil {
		return s.rerender(c, "customers/show", p, err)
	}
	flash(c, i18n.M("Mail to %s goes in %s from now on.", p.Company.Name, customers.LanguageLabel(lang)))
	return c.Redirect(fmt.Sprintf("/customers/%d", p.Company.ID))
}

func (s *Server) handleAccount(c *fiber.Ctx) error {
	p, err := s.customerPage(c, *currentUser(c).CompanyID)
	if err != nil {
		return err
	}
	p.Action, p.Portal = "/account/changes", true
	return s.render(c, "customers/show", p)
}

func (s *Server) recordChange(c *fiber.Ctx, p *customerPage) error {
	kind := c.FormValue("kind")
	values := map[string]string{}
	for _, f := range customers.ChangeFields[kind] {
		values[f] = c.FormValue(f)
	}
	p.Form = changeForm{Kind: kind, Values: values, Note: c.FormValue("note")}
	r, err := s.customers.RequestChange(c.UserContext(), currentUser(c), p.Company.ID, customers.ChangeInput{Kind: kind, Values: values, Note: p.Form.Note})
	if err != nil {
		merged := map[string]string{}
		for k, v := range p.Current {
			merged[k] = v
		}
		for k, v := range values {
			merged[k] = v
		}
		p.Form.Values = merged
		return s.rerender(c, "customers/show", p, err)
	}
	flash(c, i18n.M("The change is recorded. It takes effect once it is confirmed in writing and approved by sales."))
	return c.Redirect(fmt.Sprintf("/changes/%d", r.ID))
}

func (s *Server) handleCustomerChange(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	p, err := s.customerPage(c, int64(id))
	if err != nil {
		return err
	}
	return s.recordChange(c, p)
}

func (s *Server) handleAccountChange(c *fiber.Ctx) error {
	p, err := s.customerPage(c, *currentUser(c).CompanyID)
	if err != nil {
		return err
	}
	p.Action, p.Portal = "/account/changes", true
	return s.recordChange(c, p)
}

type changeQueuePage struct {
	Page
	Changes []customers.ChangeRequest
	// Status is the status shown ("" for every open one).
	Status string
}

func (s *Server) handleChangeQueue(c *fiber.Ctx) error {
	status := c.Query("status")
	if status != customers.ChangeAwaitingApproval && status != customers.ChangeAwaitingConfirmation {
		status = ""
	}
	list, err := s.customers.OpenChanges(c.UserContext(), status)
	if err != nil {
		return err
	}
	return s.render(c, "customers/changes", &changeQueuePage{Page: Page{Title: i18n.M("Account changes")}, Changes: list, Status: status})
}

type changePage struct {
	Page
	Change     *customers.ChangeRequest
	Documents  []customers.Document
	Note       string
	CanDecide  bool
	IsCustomer bool
}

func (s *Server) changePage(c *fiber.Ctx) (*changePage, error) {
	id, err := c.ParamsInt("id")
	if err != nil {
		return nil, fiber.ErrNotFound
	}
	u := currentUser(c)
	r, docs, err := s.customers.ChangeByID(c.UserContext(), u, int64(id))
	if err != nil {
		return nil, err
	}
	return &changePage{Page: Page{Title: i18n.M("Account change %d: %s", r.ID, customers.ChangeKindLabel(r.Kind))},
		Change: r, Documents: docs, CanDecide: u.Is(users.RoleAdmin, users.RoleSales), IsCustomer: u.Role == users.RoleCustomer}, nil
}

func (s *Server) handleChangeShow(c *fiber.Ctx) error {
	p, err := s.changePage(c)
	if err != nil {
		return err
	}
	return s.render(c, "customers/change", p)
}

// changeAction runs one action on a change request and shows it again.
func (s *Server) changeAction(c *fiber.Ctx, msg i18n.Message, act func(p *changePage) error) error {
	p, err := s.changePage(c)
	if err != nil {
		return err
	}
	if err := act(p); err != nil {
		return s.rerender(c, "customers/change", p, err)
	}
	flash(c, msg)
	return c.Redirect(fmt.Sprintf("/changes/%d", p.Change.ID))
}

func (s *Server) handleChangeAttach(c *fiber.Ctx) error {
	return s.changeAction(c, i18n.M("The written confirmation is attached."), func(p *changePage) error {
		u, ok, err := formFile(c, "confirmation")
		if err != nil {
			return err
		}
		if !ok {
			return apperr.FieldErrors{"confirmation": i18n.M("Choose the scanned letter or the mail, as PDF, PNG or JPEG.")}.Err()
		}
		return s.customers.AttachConfirmation(c.UserContext(), currentUser(c), p.Change.ID, u)
	})
}

func (s *Server) handleChangePortalConfirm(c *fiber.Ctx) error {
	return s.changeAction(c, i18n.M("Thank you: your confirmation is recorded. Sales put the change into effect."), func(p *changePage) error {
		return s.customers.ConfirmInPortal(c.UserContext(), currentUser(c), p.Change.ID)
	})
}

func (s *Server) handleChangeApprove(c *fiber.Ctx) error {
	return s.changeAction(c, i18n.M("The change is in effect."), func(p *changePage) error {
		return s.customers.ApproveChange(c.UserContext(), currentUser(c), p.Change.ID)
	})
}

func (s *Server) handleChangeReject(c *fiber.Ctx) error {
	return s.changeAction(c, i18n.M("The change request is closed without effect."), func(p *changePage) error {
		p.Note = c.FormValue("decision_note")
		return s.customers.RejectChange(c.UserContext(), currentUser(c), p.Change.ID, p.Note)
	})
}

// handleDocument serves an uploaded document to sales and admin, and to the
// users of the company it belongs to; to anyone else it does not exist.
func (s *Server) handleDocument(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	ctx := c.UserContext()
	d, err := customers.DocumentByID(ctx, s.db, int64(id))
	if err != nil {
		return err
	}
	if u := currentUser(c); u.Role == users.RoleCustomer {
		companyID, err := customers.DocumentCompany(ctx, s.db, d)
		if err != nil {
			return err
		}
		if companyID == 0 || u.CompanyID == nil || *u.CompanyID != companyID {
			return apperr.NotFoundf("Document not found.")
		}
	}
	b, err := customers.DocumentContent(ctx, s.db, d)
	if err != nil {
		return err
	}
	return sendAttachment(c, d.ContentType, d.Filename, b)
}
