package web

import (
	"github.com/gofiber/fiber/v2"

	"wholesale/internal/apperr"
	"wholesale/internal/invoicing"
	"wholesale/internal/users"
)

// invoiceViewers read invoices through the API: finance and admins all,
// account managers their customers', customer users their company's issued ones.
var invoiceViewers = rule{roles: []users.Role{users.RoleAdmin, users.RoleFinance, users.RoleAccountManager, users.RoleCustomer}}

func (s *Server) registerInvoiceAPIRoutes() {
	// GET /api/v1/invoices lists invoices and credit notes, newest first (?customer, from, to, kind, state, before, limit).
	s.api(fiber.MethodGet, "/invoices", invoiceViewers, s.apiInvoiceList(""))
	// GET /api/v1/invoices/:number returns one, with its lines (staff: a draft by its ref "draft-<id>").
	s.api(fiber.MethodGet, "/invoices/:number", invoiceViewers, s.apiInvoiceGet(""))
	// GET /api/v1/invoices/:number/pdf downloads a copy of an issued one as PDF.
	s.api(fiber.MethodGet, "/invoices/:number/pdf", invoiceViewers, s.apiInvoiceDownload("", "pdf"))
	// GET /api/v1/invoices/:number/xlsx downloads a copy of an issued one as Excel.
	s.api(fiber.MethodGet, "/invoices/:number/xlsx", invoiceViewers, s.apiInvoiceDownload("", "xlsx"))
	// GET /api/v1/invoices/:number/ubl downloads the e-invoice of an issued one (UBL 2.1).
	s.api(fiber.MethodGet, "/invoices/:number/ubl", invoiceViewers, s.apiInvoiceDownload("", "ubl"))
	// GET /api/v1/credit-notes lists credit notes, newest first (?customer, from, to, state, before, limit).
	s.api(fiber.MethodGet, "/credit-notes", invoiceViewers, s.apiInvoiceList(invoicing.KindCreditNote))
	// GET /api/v1/credit-notes/:number returns one credit note, with its lines.
	s.api(fiber.MethodGet, "/credit-notes/:number", invoiceViewers, s.apiInvoiceGet(invoicing.KindCreditNote))
	// GET /api/v1/credit-notes/:number/pdf downloads a copy of it as PDF.
	s.api(fiber.MethodGet, "/credit-notes/:number/pdf", invoiceViewers, s.apiInvoiceDownload(invoicing.KindCreditNote, "pdf"))
	// GET /api/v1/credit-notes/:number/xlsx downloads a copy of it as Excel.
	s.api(fiber.MethodGet, "/credit-notes/:number/xlsx", invoiceViewers, s.apiInvoiceDownload(invoicing.KindCreditNote, "xlsx"))
	// GET /api/v1/credit-notes/:number/ubl downloads its e-invoice (UBL 2.1).
	s.api(fiber.MethodGet, "/credit-notes/:number/ubl", invoiceViewers, s.apiInvoiceDownload(invoicing.KindCreditNote, "ubl"))
}

// apiSummary is a document of a list as the API gives it: with the ref
// that addresses it and how it stands today.
type apiSummary struct {
	*invoicing.Summary
	Ref      string `json:"ref"`
	Standing string `json:"standing"`
}

// apiInvoice is a document as the API gives it, with its lines.
type apiInvoice struct {
	*invoicing.Invoice
	Ref      string `json:"ref"`
	Standing string `json:"standing"`
}

// apiInvoiceList lists the documents of kind ("" for both: the kind
// filter chooses).
func (s *Server) apiInvoiceList(kind string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		f, _, err := invoiceFilter(c)
		if err != nil {
			return err
		}
		if kind != "" {
			f.Kind = kind
		}
		list, next, err := s.invoicing.List(c.UserContext(), currentUser(c), f)
		if err != nil {
			return err
		}
		today := s.invoicing.Today()
		out := make([]apiSummary, len(list))
		for i := range list {
			out[i] = apiSummary{Summary: &list[i], Ref: list[i].Ref(), Standing: list[i].Standing(today)}
		}
		if kind == invoicing.KindCreditNote {
			return c.JSON(apiCreditNoteList{CreditNotes: out, NextBefore: next})
		}
		return c.JSON(apiInvoiceList{Invoices: out, NextBefore: next})
	}
}

// apiDocument returns the document of the path when the user may see it
// and it is of kind ("" for any); NotFound otherwise.
func (s *Server) apiDocument(c *fiber.Ctx, kind string) (*invoicing.Invoice, error) {
	inv, err := s.invoicing.Get(c.UserContext(), currentUser(c), c.Params("number"))
	if err != nil {
		return nil, err
	}
	if kind != "" && inv.Kind != kind {
		return nil, apperr.NotFoundf("Invoice not found.")
	}
	return inv, nil
}

func (s *Server) apiInvoiceGet(kind string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		inv, err := s.apiDocument(c, kind)
		if err != nil {
			return err
		}
		return c.JSON(apiInvoice{Invoice: inv, Ref: inv.Ref(), Standing: inv.Standing(s.invoicing.Today())})
	}
}

func (s *Server) apiInvoiceDownload(kind, format string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if kind != "" {
			if _, err := s.apiDocument(c, kind); err != nil {
				return err
			}
		}
		f, err := s.download(c, c.Params("number"), format)
		if err != nil {
			return err
		}
		return sendFile(c, f)
	}
}
