package web

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/users"
)

func (s *Server) registerApplyRoutes() {
	// GET /apply is the public application form of a business that wants to become a customer.
	s.page(fiber.MethodGet, "/apply", anyone, s.handleApplyForm)
	// POST /apply records an application with its documents.
	s.page(fiber.MethodPost, "/apply", anyone, s.handleApply)
	// GET /apply/done thanks the applicant.
	s.page(fiber.MethodGet, "/apply/done", anyone, s.handleApplyDone)
	// GET /apply/documents/:token is the page where an applicant adds requested documents.
	s.page(fiber.MethodGet, "/apply/documents/:token", anyone, s.handleAddDocumentsForm)
	// POST /apply/documents/:token stores documents sent through that link.
	s.page(fiber.MethodPost, "/apply/documents/:token", anyone, s.handleAddDocuments)
	// GET /invite/:token lets an invited user set a first password.
	s.page(fiber.MethodGet, "/invite/:token", anyone, s.handleInviteForm)
	// POST /invite/:token sets it.
	s.page(fiber.MethodPost, "/invite/:token", anyone, s.handleInvite)
}

// applyForm is the application form as typed.
type applyForm struct {
	CompanyName, KvK, BranchNumber, VATID                           string
	VisitingStreet, VisitingPostcode, VisitingCity, VisitingCountry string
	InvoiceSame                                                     bool
	InvoiceStreet, InvoicePostcode, InvoiceCity, InvoiceCountry     string
	ContactName, ContactEmail, ContactPhone, IBAN, AccountHolder    string
	TermsAccepted                                                   bool
	// Language is the language of the mail to the applicant, chosen by
	// sales on their form ("" follows the visiting address).
	Language string
	Stash    string
	Kept     map[string]string
}

type applyPage struct {
	Page
	Form     applyForm
	Action   string
	Staff    bool
	Terms    customers.Terms
	DocKinds []docKind
	// Languages are the choices of the language of the mail (sales' form).
	Languages []langChoice
	Examples  formExamples
}

// formExamples are the example values of the form's empty fields:
// identifiers, the same in every language.
type formExamples struct{ VATID, IBAN string }

// langChoice is a language to choose in a form.
type langChoice struct {
	Lang  string
	Label i18n.Message
}

func langChoices() []langChoice {
	var out []langChoice
	for _, l := range i18n.Langs {
		out = append(out, langChoice{string(l), customers.LanguageLabel(string(l))})
	}
	return out
}

type docKind struct {
	Kind  string
	Label i18n.Message
}

func applicationDocKinds() []docKind {
	var out []docKind
	for _, k := range customers.ApplicationDocKinds {
		out = append(out, docKind{k, customers.DocLabel(k)})
	}
	return out
}

func newApplyPage(action string, staff bool) *applyPage {
	return &applyPage{Page: Page{Title: i18n.M("Apply for a customer account")}, Action: action, Staff: staff,
		Terms: customers.CurrentTerms, DocKinds: applicationDocKinds(), Languages: langChoices(),
		Examples: formExamples{VATID: "NL123456789B01", IBAN: "NL91 ABNA 0417 1643 00"},
		Form:     applyForm{VisitingCountry: "NL", InvoiceCountry: "NL", InvoiceSame: true}}
}

func (s *Server) handleApplyForm(c *fiber.Ctx) error {
	return s.render(c, "apply/form", newApplyPage("/apply", false))
}

func (s *Server) handleApply(c *fiber.Ctx) error {
	return s.applyFrom(c, newApplyPage("/apply", false), nil)
}

// applyFrom handles the application form for the public and for sales. An
// application sent on the public form is in the language the form was
// read in; sales choose the language of one that came by e-mail.
func (s *Server) applyFrom(c *fiber.Ctx, p *applyPage, enteredBy *users.User) error {
	f := applyForm{
		CompanyName: c.FormValue("company_name"), KvK: c.FormValue("kvk"), BranchNumber: c.FormValue("branch_number"),
		VATID: c.FormValue("vat_id"), VisitingStreet: c.FormValue("visiting_street"), VisitingPostcode: c.FormValue("visiting_postcode"),
		VisitingCity: c.FormValue("visiting_city"), VisitingCountry: c.FormValue("visiting_country"),
		InvoiceSame:   c.FormValue("invoice_same") != "",
		InvoiceStreet: c.FormValue("invoice_street"), InvoicePostcode: c.FormValue("invoice_postcode"),
		InvoiceCity: c.FormValue("invoice_city"), InvoiceCountry: c.FormValue("invoice_country"),
		ContactName: c.FormValue("contact_name"), ContactEmail: c.FormValue("contact_email"), ContactPhone: c.FormValue("contact_phone"),
		IBAN: c.FormValue("iban"), AccountHolder: c.FormValue("account_holder"), TermsAccepted: c.FormValue("terms") != "",
		Stash: c.FormValue("stash"),
	}
	if enteredBy != nil {
		f.Language = c.FormValue("language")
	}
	in := customers.ApplicationInput{
		CompanyName: f.CompanyName, KvK: f.KvK, BranchNumber: f.BranchNumber, VATID: f.VATID,
		Visiting:           customers.Address{Street: f.VisitingStreet, Postcode: f.VisitingPostcode, City: f.VisitingCity, Country: f.VisitingCountry},
		InvoiceSameAsVisit: f.InvoiceSame,
		Invoice:            customers.Address{Street: f.InvoiceStreet, Postcode: f.InvoicePostcode, City: f.InvoiceCity, Country: f.InvoiceCountry},
		ContactName:        f.ContactName, ContactEmail: f.ContactEmail, ContactPhone: f.ContactPhone,
		IBAN: f.IBAN, AccountHolder: f.AccountHolder, TermsAccepted: f.TermsAccepted,
		Uploads: map[string]customers.Upload{}, Language: f.Language,
	}
	if enteredBy == nil {
		in.Language = string(langOf(c))
	}
	for _, k := range customers.ApplicationDocKinds {
		u, ok, err := formFile(c, "doc_"+k)
		if err != nil {
			return err
		}
		if ok {
			in.Uploads[k] = u
		}
	}
	res, err := s.customers.Apply(c.UserContext(), in, f.Stash, enteredBy)
	f.Stash, f.Kept = res.Stash, res.Kept
	p.Form = f
	if err != nil {
		return s.rerender(c, "apply/form", p, err)
	}
	if enteredBy != nil {
		flash(c, i18n.M("Application A-%d recorded.", res.Application.ID))
		return c.Redirect(fmt.Sprintf("/applications/%d", res.Application.ID))
	}
	flash(c, i18n.M("Thank you: we received your application (reference A-%d) and sent a receipt to %s.", res.Application.ID, res.Application.ContactEmail))
	return c.Redirect("/apply/done")
}

type plainPage struct{ Page }

func (s *Server) handleApplyDone(c *fiber.Ctx) error {
	return s.render(c, "apply/done", &plainPage{Page{Title: i18n.M("Application received")}})
}

type addDocumentsPage struct {
	Page
	App      *customers.Application
	Token    string
	DocKinds []docKind
}

func (s *Server) addDocumentsPage(c *fiber.Ctx) (*addDocumentsPage, error) {
	a, err := s.customers.ApplicationByUploadToken(c.UserContext(), c.Params("token"))
	if err != nil {
		return nil, err
	}
	return &addDocumentsPage{Page: Page{Title: i18n.M("Add documents to your application")}, App: a, Token: c.Params("token"), DocKinds: applicationDocKinds()}, nil
}

func (s *Server) handleAddDocumentsForm(c *fiber.Ctx) error {
	p, err := s.addDocumentsPage(c)
	if err != nil {
		return err
	}
	return s.render(c, "apply/documents", p)
}

func (s *Server) handleAddDocuments(c *fiber.Ctx) error {
	p, err := s.addDocumentsPage(c)
	if err != nil {
		return err
	}
	var uploads []customers.Upload
	for _, k := range customers.ApplicationDocKinds {
		u, ok, err := formFile(c, "doc_"+k)
		if err != nil {
			return err
		}
		if ok {
			u.Kind = k
			uploads = append(uploads, u)
		}
	}
	if _, err := s.customers.AddDocuments(c.UserContext(), p.Token, uploads); err != nil {
		return s.rerender(c, "apply/documents", p, err)
	}
	flash(c, i18n.M("Thank you: the documents are added to your application. We check them and let you know."))
	return c.Redirect("/apply/done")
}

type invitePage struct {
	Page
	Invited *users.User
	Token   string
}

func (s *Server) handleInviteForm(c *fiber.Ctx) error {
	u, err := s.users.InvitedUser(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	return s.render(c, "auth/invite", &invitePage{Page: Page{Title: i18n.M("Set your password")}, Invited: u, Token: c.Params("token")})
}

func (s *Server) handleInvite(c *fiber.Ctx) error {
	u, err := s.users.InvitedUser(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	p := &invitePage{Page: Page{Title: i18n.M("Set your password")}, Invited: u, Token: c.Params("token")}
	if _, err := s.users.AcceptInvite(c.UserContext(), p.Token, c.FormValue("password")); err != nil {
		return s.rerender(c, "auth/invite", p, err)
	}
	flash(c, i18n.M("Your password is set. Log in with your e-mail address and it."))
	return c.Redirect("/login")
}
