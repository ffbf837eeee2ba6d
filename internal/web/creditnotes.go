package web

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/apperr"
	"wholesale/internal/i18n"
	"wholesale/internal/invoicing"
	"wholesale/internal/validate"
)

// creditNotePage is the credit note form of an issued invoice, as typed.
type creditNotePage struct {
	Page
	Invoice *invoicing.Invoice
	// Typed holds the quantities typed, by field (invoicing.QuantityField).
	Typed  map[string]string
	Reason string
	// Credited is how much of each line earlier credit notes credited.
	Credited map[int]int
}

// Field is the form field of the quantity credited of line no.
func (*creditNotePage) Field(no int) string { return invoicing.QuantityField(no) }

// InvoiceHref is the address of the invoice's page.
func (p *creditNotePage) InvoiceHref() string { return invoiceHref(false, p.Invoice.Ref()) }

// creditNotePage reads the issued invoice of the path for the form; a
// draft or a credit note has none: NotFound.
func (s *Server) creditNotePage(c *fiber.Ctx) (*creditNotePage, error) {
	inv, err := s.viewableInvoice(c)
	if err != nil {
		return nil, err
	}
	if inv.Kind != invoicing.KindInvoice || inv.State != invoicing.StateIssued {
		return nil, apperr.NotFoundf("Invoice not found.")
	}
	credited, err := invoicing.Credited(c.UserContext(), s.db, inv.ID)
	if err != nil {
		return nil, err
	}
	return &creditNotePage{Page: Page{Title: i18n.M("Credit note for invoice %s", inv.NumberOr())}, Invoice: inv, Typed: map[string]string{},
		Credited: credited}, nil
}

func (s *Server) handleCreditNoteForm(c *fiber.Ctx) error {
	p, err := s.creditNotePage(c)
	if err != nil {
		return err
	}
	return s.render(c, "invoices/credit_note", p)
}

// readCreditNote reads the form into the page and the input: a quantity
// per line of the invoice (empty is none); what cannot be read as a whole
// number is refused at its field, with the rest of the form's messages.
func readCreditNote(c *fiber.Ctx, p *creditNotePage) (invoicing.CreditNoteInput, apperr.FieldErrors) {
	in := invoicing.CreditNoteInput{Invoice: p.Invoice.NumberOr(), Quantities: map[int]int{}}
	p.Reason = c.FormValue("reason")
	in.Reason = p.Reason
	fe := apperr.FieldErrors{}
	for _, l := range p.Invoice.Lines {
		field := invoicing.QuantityField(l.LineNo)
		typed := c.FormValue(field)
		p.Typed[field] = typed
		if strings.TrimSpace(typed) == "" {
			continue
		}
		q, msg := validate.ParseWhole(typed)
		if !msg.IsZero() {
			fe.Add(field, msg)
			continue
		}
		in.Quantities[l.LineNo] = q
	}
	return in, fe
}

func (s *Server) handleCreditNoteCreate(c *fiber.Ctx) error {
	p, err := s.creditNotePage(c)
	if err != nil {
		return err
	}
	in, fe := readCreditNote(c, p)
	if len(fe) > 0 {
		// Every message at once: what Validate says of the rest too.
		// A quantity typed wrong is a line meant to be credited: no
		// "credit at least one line".
		if ae, ok := apperr.As(in.Validate()); ok {
			for f, m := range ae.Fields {
				if _, typedWrong := fe[f]; !typedWrong && f != "lines" {
					fe.Add(f, m)
				}
			}
		}
		return s.rerender(c, "invoices/credit_note", p, fe.Err())
	}
	cn, err := s.invoicing.CreditNote(c.UserContext(), currentUser(c), in)
	if err != nil {
		return s.rerender(c, "invoices/credit_note", p, err)
	}
	flash(c, i18n.M("Credit note %s of %s issued for invoice %s and mailed to the customer.", cn.NumberOr(),
		i18n.Amount(cn.TotalInclCents), p.Invoice.NumberOr()))
	return c.Redirect(invoiceHref(false, cn.Ref()))
}

// handleInvoiceNow issues the customer's draft invoices now, before the
// day's cutoff, and says which numbers it issued.
func (s *Server) handleInvoiceNow(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return fiber.ErrNotFound
	}
	p, err := s.customerPage(c, int64(id))
	if err != nil {
		return err
	}
	numbers, err := s.invoicing.Run(c.UserContext(), currentUser(c), p.Company.ID)
	switch {
	case len(numbers) > 0:
		flash(c, i18n.M("Issued for %s and mailed: %s.", p.Company.Name, strings.Join(numbers, ", ")))
	case err == nil:
		flash(c, i18n.M("Nothing to invoice for %s: no shipped goods wait on a draft invoice.", p.Company.Name))
	}
	if err != nil {
		return s.rerender(c, "customers/show", p, err)
	}
	return c.Redirect(fmt.Sprintf("/customers/%d", p.Company.ID))
}
