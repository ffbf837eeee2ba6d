package web

import (
	"context"
	"html/template"
	"mime"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/invoicing"
	"wholesale/internal/payments"
	"wholesale/internal/users"
	"wholesale/internal/validate"
	"wholesale/internal/xlsx"
)

var (
	// invoiceDesk sees invoices: finance and admins all, account managers their customers'.
	invoiceDesk = rule{roles: []users.Role{users.RoleAdmin, users.RoleFinance, users.RoleAccountManager}}
	// financeDesk issues credit notes and runs the invoicing early.
	financeDesk = rule{roles: []users.Role{users.RoleAdmin, users.RoleFinance}}
)

func (s *Server) registerInvoiceRoutes() {
	// GET /invoices lists invoices, credit notes and drafts (an account manager's customers'), filtered, newest first, by pages.
	s.page(fiber.MethodGet, "/invoices", invoiceDesk, s.handleInvoiceIndex)
	// GET /invoices/export.xlsx downloads the filtered list, one row per document with its totals per VAT rate (the bookkeeper's export).
	s.page(fiber.MethodGet, "/invoices/export.xlsx", invoiceDesk, s.handleInvoiceExport)
	// GET /invoices/export-ubl.zip downloads the e-invoices (UBL) of every document issued in a period, as one .zip.
	s.page(fiber.MethodGet, "/invoices/export-ubl.zip", financeDesk, s.handleInvoiceExportUBL)
	// GET /invoices/:ref shows an invoice, a credit note or a draft ("draft-<id>").
	s.page(fiber.MethodGet, "/invoices/:ref", invoiceDesk, s.handleInvoiceShow)
	// GET /invoices/:ref/pdf downloads a copy of an issued document as PDF.
	s.page(fiber.MethodGet, "/invoices/:ref/pdf", invoiceDesk, s.handleInvoiceDownload)
	// GET /invoices/:ref/xlsx downloads a copy of an issued document as Excel.
	s.page(fiber.MethodGet, "/invoices/:ref/xlsx", invoiceDesk, s.handleInvoiceDownload)
	// GET /invoices/:ref/ubl downloads the e-invoice of an issued document (UBL 2.1, the original PDF inside).
	s.page(fiber.MethodGet, "/invoices/:ref/ubl", invoiceDesk, s.handleInvoiceDownload)
	// GET /invoices/:ref/credit-note is the credit note form of an issued invoice.
	s.page(fiber.MethodGet, "/invoices/:ref/credit-note", financeDesk, s.handleCreditNoteForm)
	// POST /invoices/:ref/credit-note issues the credit note.
	s.page(fiber.MethodPost, "/invoices/:ref/credit-note", financeDesk, s.handleCreditNoteCreate)
	// POST /customers/:id/invoice-now issues the customer's draft invoices now, before the cutoff.
	s.page(fiber.MethodPost, "/customers/:id/invoice-now", financeDesk, s.handleInvoiceNow)
	// GET /portal/invoices lists the customer's own issued invoices and credit notes.
	s.page(fiber.MethodGet, "/portal/invoices", customerOnly, s.handlePortalInvoices)
	// GET /portal/invoices/:ref shows one of them.
	s.page(fiber.MethodGet, "/portal/invoices/:ref", customerOnly, s.handlePortalInvoice)
	// GET /portal/invoices/:ref/pdf downloads a copy of it as PDF.
	s.page(fiber.MethodGet, "/portal/invoices/:ref/pdf", customerOnly, s.handleInvoiceDownload)
	// GET /portal/invoices/:ref/xlsx downloads a copy of it as Excel.
	s.page(fiber.MethodGet, "/portal/invoices/:ref/xlsx", customerOnly, s.handleInvoiceDownload)
	// GET /portal/invoices/:ref/ubl downloads its e-invoice (UBL).
	s.page(fiber.MethodGet, "/portal/invoices/:ref/ubl", customerOnly, s.handleInvoiceDownload)
}

// invoiceQuery is an invoice list's filter as typed, shown again in its
// form, and the page size asked for.
type invoiceQuery struct {
	Customer, From, To, Kind, State, Limit string
}

// values is the query as the address of the list or its export carries it.
func (q invoiceQuery) values() url.Values {
	v := url.Values{}
	for k, x := range map[string]string{"customer": q.Customer, "from": q.From, "to": q.To, "kind": q.Kind, "state": q.State, "limit": q.Limit} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return v
}

// invoiceFilter reads the list's filters (customer, from, to, kind, state,
// before, limit); the service adds the user's scope. Returns Invalid with
// a message at each filter it cannot read.
func invoiceFilter(c *fiber.Ctx) (invoicing.Filter, invoiceQuery, error) {
	q := invoiceQuery{Customer: strings.TrimSpace(c.Query("customer")), From: strings.TrimSpace(c.Query("from")),
		To: strings.TrimSpace(c.Query("to")), Kind: c.Query("kind"), State: c.Query("state"), Limit: c.Query("limit")}
	f := invoicing.Filter{Kind: q.Kind, State: q.State}
	fe := apperr.FieldErrors{}
	id := func(field, s string) int64 {
		if s == "" {
			return 0
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			fe.Add(field, i18n.M("Enter a whole number with digits only, e.g. 12."))
		}
		return n
	}
	f.CompanyID, f.BeforeID = id("customer", q.Customer), id("before", c.Query("before"))
	if n := id("limit", q.Limit); n > 0 {
		f.Limit = int(min(n, 200))
	}
	date := func(field, s string) *time.Time {
		if s == "" {
			return nil
		}
		d, msg := validate.ParseDate(s)
		if !msg.IsZero() {
			fe.Add(field, msg)
			return nil
		}
		return &d
	}
	f.From, f.To = date("from", q.From), date("to", q.To)
	switch f.Kind {
	case "", invoicing.KindInvoice, invoicing.KindCreditNote:
	default:
		fe.Add("kind", i18n.M("Choose invoices, credit notes or both."))
	}
	switch f.State {
	case "", invoicing.StateDraft, invoicing.StateIssued, invoicing.StandingUnpaid, invoicing.StandingOverdue, invoicing.StandingOpen,
		invoicing.StandingPartlyPaid, invoicing.StandingPaid:
	default:
		fe.Add("state", i18n.M("Choose one of draft, issued, unpaid, partly_paid, paid, overdue and open, or none."))
	}
	return f, q, fe.Err()
}

// choice is one option of a select: its value and its label.
type choice struct {
	Value string
	Label i18n.Message
}

var (
	invoiceKinds = []choice{{invoicing.KindInvoice, i18n.M("Invoice")}, {invoicing.KindCreditNote, i18n.M("Credit note")}}
	// invoiceStates are the list's states: a customer sees only issued documents.
	invoiceStates = []choice{{invoicing.StateDraft, i18n.M("draft")}, {invoicing.StateIssued, i18n.M("issued")},
		{invoicing.StandingUnpaid, i18n.M("unpaid")}, {invoicing.StandingOverdue, i18n.M("overdue")}, {invoicing.StandingPartlyPaid, i18n.M("partly paid")},
		{invoicing.StandingPaid, i18n.M("paid")}, {invoicing.StandingOpen, i18n.M("open items")}}
)

type invoiceIndexPage struct {
	Page
	Invoices  []invoicing.Summary
	Rows      []invoiceRow // the Invoices as their rows show them
	Customer  customerPick
	Kinds     []choice
	States    []choice
	Q         invoiceQuery
	NextURL   string
	ExportURL string
	Portal    bool
	// Bookkeeper tells whether the user exports every customer's
	// invoices (finance, admins), for the bookkeeper's period export
	// and the export of the e-invoices of the period UBL.
	Bookkeeper bool
	UBL        invoicing.UBLExport
	today      time.Time
}

// invoiceRow is a document of the list as its row shows it, in the
// reader's language. The rows are worked out before the template runs: in
// html/template every value and function of a row costs a reflective call,
// and fifty rows of them were most of the page's time.
type invoiceRow struct {
	Href     string
	Number   template.HTML // the number, or the draft's day
	Kind     template.HTML
	Customer string
	Issued   string
	Due      string
	Total    template.HTML
	State    template.HTML
	Overdue  bool
}

// rows are the list's documents as its rows show them in l's language.
func (p *invoiceIndexPage) rows(l *i18n.Localizer) []invoiceRow {
	out := make([]invoiceRow, len(p.Invoices))
	for i := range p.Invoices {
		s := &p.Invoices[i]
		st := s.Standing(p.today)
		r := invoiceRow{Href: invoiceHref(p.Portal, s.Ref()), Kind: l.HTML(invoicing.KindLabel(s.Kind)), Customer: s.CompanyName,
			Total: l.AmountHTML(s.InclCents), State: l.HTML(invoicing.StandingLabel(st)), Overdue: st == invoicing.StandingOverdue}
		if s.Number != "" {
			r.Number = template.HTML(template.HTMLEscapeString(s.Number))
		} else {
			r.Number = l.HTML(i18n.M("draft of %s", l.Date(s.BusinessDay)))
		}
		if s.IssueDate != nil {
			r.Issued = l.Date(*s.IssueDate)
		}
		if s.DueDate != nil {
			r.Due = l.Date(*s.DueDate)
		}
		out[i] = r
	}
	return out
}

// invoiceHref is the address of a document's page, in the portal for customers.
func invoiceHref(portal bool, ref string) string {
	if portal {
		return "/portal/invoices/" + url.PathEscape(ref)
	}
	return "/invoices/" + url.PathEscape(ref)
}

// newInvoiceIndexPage is the list's page before its documents.
func (s *Server) newInvoiceIndexPage(c *fiber.Ctx, portal bool) (*invoiceIndexPage, error) {
	u := currentUser(c)
	today := s.invoicing.Today()
	p := &invoiceIndexPage{Page: Page{Title: i18n.M("Invoices")}, Kinds: invoiceKinds, States: invoiceStates, Portal: portal,
		Bookkeeper: u.Is(users.RoleAdmin, users.RoleFinance), today: today, UBL: exportPeriod(today)}
	if portal {
		p.Title, p.States = i18n.M("Our invoices"), invoiceStates[1:]
		return p, nil
	}
	var err error
	p.Customer, err = s.customerFilter(c, u, "customer", "customer", c.Query("customer"))
	return p, err
}

// listInvoices puts the documents of filter f (q as typed) on the page,
// with the addresses of the next page and of the export.
func (s *Server) listInvoices(c *fiber.Ctx, p *invoiceIndexPage, f invoicing.Filter, q invoiceQuery) error {
	list, next, err := s.invoicing.List(c.UserContext(), currentUser(c), f)
	if err != nil {
		return err
	}
	p.Invoices = list
	p.Rows = p.rows(loc(c))
	if next != 0 {
		v := q.values()
		v.Set("before", strconv.FormatInt(next, 10))
		p.NextURL = c.Path() + "?" + v.Encode()
	}
	if !p.Portal {
		p.ExportURL = "/invoices/export.xlsx"
		q.Limit = "" // the export has every document of the filter
		if v := q.values(); len(v) > 0 {
			p.ExportURL += "?" + v.Encode()
		}
	}
	return nil
}

func (s *Server) invoiceIndex(c *fiber.Ctx, portal bool) error {
	p, err := s.newInvoiceIndexPage(c, portal)
	if err != nil {
		return err
	}
	f, q, err := invoiceFilter(c)
	p.Q = q
	if err != nil {
		return s.rerender(c, "invoices/index", p, err)
	}
	if err := s.listInvoices(c, p, f, q); err != nil {
		return err
	}
	return s.render(c, "invoices/index", p)
}

func (s *Server) handleInvoiceIndex(c *fiber.Ctx) error { return s.invoiceIndex(c, false) }

func (s *Server) handlePortalInvoices(c *fiber.Ctx) error { return s.invoiceIndex(c, true) }

// handleInvoiceExport streams the documents of the list's filter from the
// database into the workbook, in the reader's language; a filter it cannot
// read shows the list with the messages at its fields.
func (s *Server) handleInvoiceExport(c *fiber.Ctx) error {
	f, _, err := invoiceFilter(c)
	if err != nil {
		return s.invoiceIndex(c, false)
	}
	list, err := xlsx.NewInvoiceList(c.Response().BodyWriter(), loc(c))
	if err != nil {
		return err
	}
	err = s.invoicing.Export(c.UserContext(), s.reports, currentUser(c), f, list.Add)
	if cerr := list.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		c.Response().ResetBody()
		return err
	}
	name := "invoices"
	if f.From != nil {
		name += "-from-" + f.From.Format(time.DateOnly)
	}
	if f.To != nil {
		name += "-until-" + f.To.Format(time.DateOnly)
	}
	c.Set(fiber.HeaderContentType, xlsx.ContentType("xlsx"))
	c.Set(fiber.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": name + ".xlsx"}))
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return nil
}

type invoicePage struct {
	Page
	Invoice  *invoicing.Invoice
	Orders   []invoicing.OrderRef
	Standing string
	Portal   bool
	// CanCredit tells whether the user may issue a credit note of it.
	CanCredit bool
	// CreditNotes are the credit notes of an invoice.
	CreditNotes []invoicing.Summary
	// Allocations are the payments and set-offs on an invoice, or what a
	// credit note was set off against; CanBook shows finance the forms.
	Allocations []payments.Allocation
	CanBook     bool
	SetOff      payments.SetOffInput
	// UndoID is the allocation whose undo was refused, with the reason typed.
	UndoID     int64
	UndoReason string
}

// CreditLeft is what of one of the invoice's credit notes is not set off
// yet (against this invoice or another): what "Paid" does not hold.
func (p *invoicePage) CreditLeft(cn *invoicing.Summary) int64 { return cn.InclCents - cn.PaidCents }

// SetOffLeft is what of a credit note is left to set off.
func (p *invoicePage) SetOffLeft() int64 {
	if p.Invoice.Kind != invoicing.KindCreditNote {
		return 0
	}
	return p.Invoice.PaidCents - p.Invoice.TotalInclCents
}

// CreditNoteHref is the address of one of the invoice's credit notes.
func (p *invoicePage) CreditNoteHref(number string) string { return invoiceHref(p.Portal, number) }

// StillToPay is what the customer owes of an issued invoice: its total,
// less what was paid (payments and credit notes set off against it) and
// what its credit notes credit that is not set off yet.
func (p *invoicePage) StillToPay() int64 {
	left := p.Invoice.TotalInclCents - p.Invoice.PaidCents
	for _, cn := range p.CreditNotes {
		left += cn.InclCents - cn.PaidCents // what of it is not set off yet (against this or another invoice)
	}
	return left
}

// Href is the address of the document's page.
func (p *invoicePage) Href() string { return invoiceHref(p.Portal, p.Invoice.Ref()) }

// CreditsHref is the address of the invoice a credit note corrects.
func (p *invoicePage) CreditsHref() string { return invoiceHref(p.Portal, p.Invoice.Credits) }

// EInvoiceProfile names the UBL profile of an issued document's e-invoice:
// the buyer's choice at issue, else by its country.
func (p *invoicePage) EInvoiceProfile() i18n.Message {
	b := p.Invoice.Buyer
	if b == nil {
		return i18n.Message{}
	}
	return customers.EInvoiceProfileLabel(customers.EInvoiceProfileFor(b.Country, b.EInvoiceProfile))
}

// VATNote is the text the document's VAT treatment requires, as it prints.
func (p *invoicePage) VATNote() i18n.Message {
	return (&invoicing.Document{VATMode: p.Invoice.VATMode}).VATNote()
}

// OrderHref is the address of an order of the document.
func (p *invoicePage) OrderHref(id int64) string {
	if p.Portal {
		return "/portal/orders/" + strconv.FormatInt(id, 10)
	}
	return "/orders/" + strconv.FormatInt(id, 10)
}

// orderInvoices are the documents with lines of order id, oldest first:
// in the portal only the issued ones.
func orderInvoices(ctx context.Context, db bun.IDB, id int64, portal bool) ([]invoicing.Summary, error) {
	all, err := invoicing.ForOrder(ctx, db, id)
	if err != nil || !portal {
		return all, err
	}
	var issued []invoicing.Summary
	for _, inv := range all {
		if inv.State == invoicing.StateIssued {
			issued = append(issued, inv)
		}
	}
	return issued, nil
}

// invoiceTitle is the title of a document's page.
func invoiceTitle(inv *invoicing.Invoice) i18n.Message {
	switch {
	case inv.State == invoicing.StateDraft:
		return i18n.M("Draft invoice of %s", i18n.D(inv.BusinessDay))
	case inv.Kind == invoicing.KindCreditNote:
		return i18n.M("Credit note %s", inv.NumberOr())
	}
	return i18n.M("Invoice %s", inv.NumberOr())
}

// ordersOf are the orders whose goods are on the lines, in their order.
func ordersOf(lines []invoicing.Line) []invoicing.OrderRef {
	var out []invoicing.OrderRef
	seen := map[int64]bool{}
	for _, l := range lines {
		if !seen[l.OrderID] {
			seen[l.OrderID] = true
			out = append(out, invoicing.OrderRef{OrderID: l.OrderID, POReference: l.POReference})
		}
	}
	return out
}

// viewableInvoice returns the document of the path when the user may see
// it; NotFound otherwise.
func (s *Server) viewableInvoice(c *fiber.Ctx) (*invoicing.Invoice, error) {
	ref := c.Params("ref")
	if ref == "" {
		return nil, fiber.ErrNotFound
	}
	return s.invoicing.Get(c.UserContext(), currentUser(c), ref)
}

func (s *Server) invoicePage(c *fiber.Ctx, portal bool) (*invoicePage, error) {
	if c.Params("ref") == "" {
		return nil, fiber.ErrNotFound
	}
	return s.invoicePageOf(c, c.Params("ref"), portal)
}

// invoicePageOf is the page of the document ref when the user may see it.
func (s *Server) invoicePageOf(c *fiber.Ctx, ref string, portal bool) (*invoicePage, error) {
	inv, err := s.invoicing.Get(c.UserContext(), currentUser(c), ref)
	if err != nil {
		return nil, err
	}
	u := currentUser(c)
	p := &invoicePage{Page: Page{Title: invoiceTitle(inv)}, Invoice: inv, Orders: ordersOf(inv.Lines), Standing: inv.Standing(s.invoicing.Today()),
		Portal: portal, CanCredit: !portal && u.Is(users.RoleAdmin, users.RoleFinance) && inv.Kind == invoicing.KindInvoice && inv.State == invoicing.StateIssued}
	if inv.Kind == invoicing.KindInvoice && inv.State == invoicing.StateIssued {
		if p.CreditNotes, err = invoicing.CreditNotesOf(c.UserContext(), s.db, inv.ID); err != nil {
			return nil, err
		}
	}
	if inv.State == invoicing.StateIssued {
		if p.Allocations, err = payments.OfInvoice(c.UserContext(), s.db, inv.ID); err != nil {
			return nil, err
		}
		p.CanBook = !portal && canBook(u)
	}
	return p, nil
}

func (s *Server) handleInvoiceShow(c *fiber.Ctx) error {
	p, err := s.invoicePage(c, false)
	if err != nil {
		return err
	}
	return s.render(c, "invoices/show", p)
}

func (s *Server) handlePortalInvoice(c *fiber.Ctx) error {
	p, err := s.invoicePage(c, true)
	if err != nil {
		return err
	}
	return s.render(c, "invoices/show", p)
}

// handleInvoiceDownload sends the issued document of the path in the
// format the path ends with (pdf, xlsx: a copy; ubl: the e-invoice): to
// anyone who may not see it, it does not exist.
func (s *Server) handleInvoiceDownload(c *fiber.Ctx) error {
	format := c.Path()[strings.LastIndex(c.Path(), "/")+1:]
	f, err := s.download(c, c.Params("ref"), format)
	if err != nil {
		return err
	}
	return sendFile(c, f)
}

// download is the issued document number in format for the user: the
// e-invoice for "ubl", else a copy as PDF or Excel.
func (s *Server) download(c *fiber.Ctx, number, format string) (*invoicing.File, error) {
	if format == "ubl" {
		return s.invoicing.UBL(c.UserContext(), currentUser(c), number)
	}
	return s.invoicing.Download(c.UserContext(), currentUser(c), number, format)
}

// sendFile sends a document as an attachment under its own name.
func sendFile(c *fiber.Ctx, f *invoicing.File) error {
	return sendAttachment(c, f.ContentType, f.Name, f.Content)
}
