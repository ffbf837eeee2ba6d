package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/complaints"
	"wholesale/internal/i18n"
	"wholesale/internal/users"
)

// The documents of complaints: chosen on the complaint forms (staff's and
// the portal's), listed on the complaint's pages with a form that adds
// more while the complaint is open, and downloaded. The routes are
// registered with the pages they belong to (complaint_page.go,
// portal_complaints.go).

// complaintFiles is the documents field of a complaint form: the files
// kept from a refused try of it.
type complaintFiles struct{ Kept []string }

// MaxFiles is how many files the form takes.
func (complaintFiles) MaxFiles() int { return complaints.MaxFiles }

// fileComplaintForm files the complaint in with the documents of the form:
// the files chosen and those kept under its stash. Of a refused form, the
// files kept are put in f, their stash in in.Stash.
func (s *Server) fileComplaintForm(c *fiber.Ctx, in *complaints.FileInput, f *complaintFiles) (*complaints.Complaint, error) {
	var err error
	if in.Documents, err = formFiles(c, complaints.DocumentsField); err != nil {
		return nil, err
	}
	in.Stash = c.FormValue("stash")
	res, err := s.complaints.FileForm(c.UserContext(), currentUser(c), *in)
	in.Documents, in.Stash, f.Kept = nil, res.Stash, res.Kept
	return res.Complaint, err
}

// complaintDocs are a complaint's documents as its page lists them, with
// the form that adds more.
type complaintDocs struct {
	Documents []complaints.Document
	// CanAdd: the complaint is open, so documents may be added.
	CanAdd bool
	// href is the complaint's page: /complaints/12, /portal/complaints/12.
	href string
}

// loadComplaintDocs reads the documents of complaint x, whose page is href.
func (s *Server) loadComplaintDocs(c *fiber.Ctx, x *complaints.Complaint, href string) (complaintDocs, error) {
	list, err := complaints.DocumentsOf(c.UserContext(), s.db, x.ID)
	return complaintDocs{Documents: list, CanAdd: x.State.Allowed(complaints.ActDocument), href: href}, err
}

// DocumentHref is the download of document id.
func (d complaintDocs) DocumentHref(id int64) string {
	return d.href + "/documents/" + strconv.FormatInt(id, 10)
}

// DocumentsAction is where the form that adds documents posts.
func (d complaintDocs) DocumentsAction() string { return d.href + "/documents" }

// MaxFiles is how many files the form takes at a time.
func (complaintDocs) MaxFiles() int { return complaints.MaxFiles }

// handleComplaintDocument sends a document of a complaint the user may
// see, as an attachment under its own name; another company's complaint's
// is not found.
func (s *Server) handleComplaintDocument(c *fiber.Ctx) error {
	id, ok := parseID(c.Params("id"))
	doc, docOK := parseID(c.Params("doc"))
	if !ok || !docOK {
		return fiber.ErrNotFound
	}
	d, b, err := s.complaints.Document(c.UserContext(), currentUser(c), id, doc)
	if err != nil {
		return err
	}
	return sendAttachment(c, d.ContentType, d.Filename, b)
}

func (s *Server) handleComplaintAddDocuments(c *fiber.Ctx) error {
	return s.complaintAction(c, "documents", i18n.M("The documents are added."), func(p *complaintPage, u *users.User) error {
		files, err := formFiles(c, complaints.DocumentsField)
		if err != nil {
			return err
		}
		_, err = s.complaints.AddDocuments(c.UserContext(), u, p.Complaint.ID, files)
		return err
	})
}

func (s *Server) handlePortalComplaintAddDocuments(c *fiber.Ctx) error {
	p, err := s.portalComplaint(c)
	if err != nil {
		return err
	}
	files, err := formFiles(c, complaints.DocumentsField)
	if err != nil {
		return err
	}
	if _, err := s.complaints.AddDocuments(c.UserContext(), currentUser(c), p.C.ID, files); err != nil {
		return s.rerender(c, "complaints_portal/show", p, err)
	}
	flash(c, i18n.M("The documents are added to your complaint."))
	return c.Redirect(p.Href())
}
