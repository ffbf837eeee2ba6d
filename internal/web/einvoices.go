package web

import (
	"fmt"
	"io"
	"mime"
	"os"
	"time"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/apperr"
	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/invoicing"
)

// This file holds the e-invoices (UBL) of issue 15 that are not one
// document's download (those go with the PDF and Excel in invoices.go and
// api_invoices.go): the customer's setting on its page and finance's
// export of a period.

// einvoiceProfiles are the choices of a customer's UBL profile: by
// country first.
func einvoiceProfiles() []choice {
	var out []choice
	for _, p := range []string{"", customers.ProfileNLCIUS, customers.ProfilePeppol} {
		out = append(out, choice{p, customers.EInvoiceProfileLabel(p)})
	}
	return out
}

// EInvoiceProfile names the UBL profile the customer's invoices get now:
// its choice, else by the country of its invoice address (as invoices
// name the buyer).
func (p *customerPage) EInvoiceProfile() i18n.Message {
	country := p.Company.Invoice.Country
	if p.Company.Invoice.Street == "" {
		country = p.Company.Visiting.Country
	}
	return customers.EInvoiceProfileLabel(customers.EInvoiceProfileFor(country, p.Company.EInvoiceProfile))
}

func (s *Server) handleCustomerEInvoice(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	p, err := s.customerPage(c, int64(id))
	if err != nil {
		return err
	}
	p.EInvoice = customers.EInvoiceInput{Profile: c.FormValue("einvoice_profile"), PeppolID: c.FormValue("peppol_id"),
		BuyerReference: c.FormValue("buyer_reference"), UBLInMail: c.FormValue("ubl_in_mail") != ""}
	if err := s.customers.SetEInvoice(c.UserContext(), currentUser(c), p.Company.ID, p.EInvoice); err != nil {
		return s.rerender(c, "customers/show", p, err)
	}
	flash(c, i18n.M("The e-invoice settings of %s are saved. Invoices issued from now on follow them.", p.Company.Name))
	return c.Redirect(fmt.Sprintf("/customers/%d", p.Company.ID))
}

// exportPeriod is the period an export of e-invoices proposes: from the
// first of last month to today, so that last month's books and this
// month's documents so far are both one click away.
func exportPeriod(today time.Time) invoicing.UBLExport {
	first := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, today.Location())
	return invoicing.UBLExport{From: first.AddDate(0, -1, 0).Format(time.DateOnly), To: today.Format(time.DateOnly)}
}

// handleInvoiceExportUBL sends a .zip of the e-invoices of every
// document issued in the period (?from, to: YYYY-MM-DD). The .zip is
// written to an unlinked temporary file first, so that a year of
// documents costs disk, not memory, and a failure still shows the list
// again with the message at its field.
func (s *Server) handleInvoiceExportUBL(c *fiber.Ctx) error {
	q := invoicing.UBLExport{From: c.Query("from"), To: c.Query("to")}
	f, err := os.CreateTemp("", "wholesale-ubl-*.zip")
	if err != nil {
		return err
	}
	os.Remove(f.Name()) // gone when the answer closes it
	n, err := s.invoicing.ExportUBL(c.UserContext(), currentUser(c), q, f)
	if err == nil && n == 0 {
		err = fieldErr("ubl_from", i18n.M("No invoice or credit note was issued in this period."))
	}
	var size int64
	if err == nil {
		size, err = f.Seek(0, io.SeekCurrent)
	}
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		f.Close()
		if _, ok := apperr.As(err); !ok {
			return err
		}
		p, perr := s.newInvoiceIndexPage(c, false)
		if perr != nil {
			return perr
		}
		p.UBL = q
		if perr := s.listInvoices(c, p, invoicing.Filter{}, invoiceQuery{}); perr != nil {
			return perr
		}
		return s.rerender(c, "invoices/index", p, err)
	}
	from, to, _ := q.Validate()
	name := fmt.Sprintf("e-invoices-%s-%s.zip", from.Format(time.DateOnly), to.Format(time.DateOnly))
	c.Set(fiber.HeaderContentType, "application/zip")
	c.Set(fiber.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	c.Response().SetBodyStream(f, int(size)) // fasthttp closes f once sent
	return nil
}
