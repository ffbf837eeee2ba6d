package web

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/complaints"
	"wholesale/internal/i18n"
	"wholesale/internal/users"
)

// registerComplaintPageRoutes puts the page of one complaint and what is
// done on it; registerComplaintRoutes calls it after /complaints/new.
func (s *Server) registerComplaintPageRoutes() {
	// GET /complaints/:id shows a complaint: its deadlines with the time left, the letters, the internal notes, the audit trail and the forms its reader may use.
	s.page(fiber.MethodGet, "/complaints/:id", complaintDesk, s.handleComplaintShow)
	// POST /complaints/:id/acknowledge mails the acknowledgement the handler completed (date: when an answer can be expected).
	s.page(fiber.MethodPost, "/complaints/:id/acknowledge", complaintHandlers, s.handleComplaintAcknowledge)
	// POST /complaints/:id/progress mails a progress report with the date of the full answer.
	s.page(fiber.MethodPost, "/complaints/:id/progress", complaintHandlers, s.handleComplaintProgress)
	// POST /complaints/:id/assign makes a member of staff the investigator.
	s.page(fiber.MethodPost, "/complaints/:id/assign", complaintManager, s.handleComplaintAssign)
	// POST /complaints/:id/notes adds an internal investigation note.
	s.page(fiber.MethodPost, "/complaints/:id/notes", complaintDesk, s.handleComplaintNote)
	// POST /complaints/:id/resolve settles the complaint with its outcome and mails the explanation.
	s.page(fiber.MethodPost, "/complaints/:id/resolve", complaintHandlers, s.handleComplaintResolve)
	// POST /complaints/:id/board-answer mails the board's answer to an escalated complaint and closes it.
	s.page(fiber.MethodPost, "/complaints/:id/board-answer", boardDesk, s.handleComplaintBoardAnswer)
	// POST /complaints/:id/documents adds documents to an open complaint.
	s.page(fiber.MethodPost, "/complaints/:id/documents", complaintDesk, s.handleComplaintAddDocuments)
	// GET /complaints/:id/documents/:doc downloads one of its documents.
	s.page(fiber.MethodGet, "/complaints/:id/documents/:doc", complaintDesk, s.handleComplaintDocument)
}

// complaintPage is one complaint, its notes and history, and the forms on
// it as typed.
type complaintPage struct {
	Page
	complaintDocs
	Complaint *complaints.Complaint
	Today     time.Time
	Notes     []complaints.Note
	Audit     []audit.Entry
	Staff     []users.User
	// CanHandle: the user acknowledges, reports on and resolves it;
	// CanAssign: assigns the investigator; CanAnswer: answers for the board.
	CanHandle, CanAssign, CanAnswer bool
	// SeesInvoices: the user opens the credit note of a refund.
	SeesInvoices bool
	// Failed is the form that was refused.
	Failed       string
	Letter       complaints.LetterInput
	Investigator string
	Note         string
	Resolve      complaints.ResolveInput
	Quantities   string
	QuantityText string
	BoardText    string
}

// Due is what the complaint waits for and by when.
func (p *complaintPage) Due() complaints.Due { return p.Complaint.Due() }

// IsOverdue tells whether the complaint is past the date it waits for.
func (p *complaintPage) IsOverdue() bool { return p.Complaint.Due().Overdue(p.Today) }

// IsFlagged tells whether the complaint is unresolved after a week.
func (p *complaintPage) IsFlagged() bool { return complaints.Flagged(p.Complaint.Facts(), p.Today) }

// DaysLeft says the time left until day.
func (p *complaintPage) DaysLeft(day time.Time) i18n.Message {
	return daysLeft(complaints.Due{By: day}, p.Today)
}

// Open tells whether the deadline of step is still to be met: the
// acknowledgement while received, the resolution (or progress report)
// until resolved or a progress report went out, the board's answer while
// escalated.
func (p *complaintPage) Open(step string) bool {
	st := p.Complaint.State
	switch step {
	case "acknowledge":
		return st == complaints.StateReceived
	case "resolve":
		return st == complaints.StateReceived || st == complaints.StateAcknowledged && p.Complaint.ProgressSentAt == nil
	case "board":
		return st == complaints.StateEscalated && p.Complaint.BoardDue != nil
	}
	return false
}

// BoardLeft says the time left of the board's answer (Open "board" only).
func (p *complaintPage) BoardLeft() i18n.Message {
	return p.DaysLeft(*p.Complaint.BoardDue)
}

// StateLabel names the complaint's state.
func (p *complaintPage) StateLabel() i18n.Message { return p.Complaint.State.Label() }

// ChannelLabel names the way the complaint came in.
func (p *complaintPage) ChannelLabel() i18n.Message { return channelLabel(p.Complaint.Channel) }

// OutcomeLabel names an outcome.
func (p *complaintPage) OutcomeLabel(o string) i18n.Message { return complaints.OutcomeLabel(o) }

// Outcomes are the choices of the resolve form.
func (p *complaintPage) Outcomes() []string { return complaints.Outcomes }

// May tells whether action is possible in the complaint's state.
func (p *complaintPage) May(action string) bool { return p.Complaint.State.Allowed(action) }

// History is the complaint's audit entries for the history partial; the
// documents' hashes only for admins, as on an application's page.
func (p *complaintPage) History() ([]historyRow, error) {
	if p.User != nil && p.User.Role == users.RoleAdmin {
		return p.history(auditEvents(p.Audit, false))
	}
	return p.history(auditEvents(p.Audit, false, "sha256"))
}

// ackTemplate is the acknowledgement letter the handler completes, in the
// language of the company's mail, as the letter goes out (whatever the
// language of the handler's pages).
func ackTemplate(c *complaints.Complaint, handler string, expected time.Time) string {
	l := i18n.For(i18n.Lang(c.CompanyLanguage).Or(i18n.Default))
	return l.Text(i18n.M("Dear %s,\n\nThank you for your complaint (%s), which we received on %s. %s handles it. You can expect our answer by %s.\n\n[%s]\n\nKind regards,\n%s",
		c.ContactName, c.Ref(), i18n.Date{T: c.ReceivedOn}, handler, i18n.Date{T: expected}, ackPlaceholder, handler))
}

// ackPlaceholder is the part of the acknowledgement the handler writes.
var ackPlaceholder = i18n.M("What we are doing now")

// completed refuses an acknowledgement whose placeholder, in any
// language, is still there: the customer would read it.
func completed(text string) error {
	for _, lang := range i18n.Langs {
		if ph := i18n.For(lang).Text(ackPlaceholder); strings.Contains(text, "["+ph+"]") {
			return apperr.FieldErrors{"text": i18n.M("Replace [%s] with what is being done about the complaint.", ph)}.Err()
		}
	}
	return nil
}

func (s *Server) complaintPage(c *fiber.Ctx) (*complaintPage, error) {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return nil, fiber.ErrNotFound
	}
	u := currentUser(c)
	ctx := c.UserContext()
	cp, err := s.complaints.Get(ctx, u, int64(id))
	if err != nil {
		return nil, err
	}
	p := &complaintPage{Page: Page{Title: i18n.M("Complaint: %s", cp.Ref())}, Complaint: cp, Today: s.complaints.Today(),
		CanHandle: u.Is(complaintHandlers.roles...), CanAssign: u.Is(complaintManager.roles...), CanAnswer: u.Is(boardDesk.roles...),
		SeesInvoices: u.Is(invoiceDesk.roles...),
		Resolve:      complaints.ResolveInput{Outcome: complaints.OutcomeApology}}
	if cp.InvestigatorID != nil { // the assign form shows who investigates now
		p.Investigator = strconv.FormatInt(*cp.InvestigatorID, 10)
	}
	if cp.State == complaints.StateReceived {
		p.Letter = complaints.LetterInput{Date: cp.ResolveDue.Format(time.DateOnly), Text: ackTemplate(cp, u.Name, cp.ResolveDue)}
	} else {
		p.Letter.Date = cp.ResolveDue.Format(time.DateOnly)
	}
	if p.Notes, err = complaints.NotesOf(ctx, s.db, cp.ID); err != nil {
		return nil, err
	}
	if p.complaintDocs, err = s.loadComplaintDocs(c, cp, fmt.Sprintf("/complaints/%d", cp.ID)); err != nil {
		return nil, err
	}
	if p.CanAssign && cp.State.Allowed(complaints.ActAssign) {
		if p.Staff, err = complaints.Investigators(ctx, s.db); err != nil {
			return nil, err
		}
	}
	p.Audit, err = audit.List(ctx, s.db, audit.Filter{Entity: "complaint", EntityID: strconv.FormatInt(cp.ID, 10), Limit: 100})
	return p, err
}

func (s *Server) handleComplaintShow(c *fiber.Ctx) error {
	p, err := s.complaintPage(c)
	if err != nil {
		return err
	}
	return s.render(c, "complaints/show", p)
}

// complaintAction runs a use case on the complaint of the path: on success
// it says msg and shows the complaint again, else the form with its
// messages and the values typed.
func (s *Server) complaintAction(c *fiber.Ctx, form string, msg i18n.Message, act func(p *complaintPage, u *users.User) error) error {
	p, err := s.complaintPage(c)
	if err != nil {
		return err
	}
	if err := act(p, currentUser(c)); err != nil {
		p.Failed = form
		return s.rerender(c, "complaints/show", p, err)
	}
	if m, ok := unmailed[form]; ok && p.NoMail() {
		msg = m
	}
	flash(c, msg)
	return c.Redirect(fmt.Sprintf("/complaints/%d", p.Complaint.ID))
}

// unmailed say, for the forms that write to the customer, that the letter
// was recorded but not mailed: the contact has no e-mail address.
var unmailed = map[string]i18n.Message{
	"acknowledge": i18n.M("The acknowledgement is recorded, not mailed: the contact has no e-mail address. Send the letter by post."),
	"progress":    i18n.M("The progress report is recorded, not mailed: the contact has no e-mail address. Send the letter by post."),
	"resolve":     i18n.M("The complaint is resolved; the explanation is not mailed: the contact has no e-mail address. Send it by post."),
	"board":       i18n.M("The board's answer is recorded and the complaint is closed; the letter is not mailed: the contact has no e-mail address. Send it by post."),
}

// NoMail tells that the contact has no e-mail address: the letters are
// not mailed.
func (p *complaintPage) NoMail() bool { return strings.TrimSpace(p.Complaint.ContactEmail) == "" }

func (s *Server) handleComplaintAcknowledge(c *fiber.Ctx) error {
	return s.complaintAction(c, "acknowledge", i18n.M("The acknowledgement is sent."), func(p *complaintPage, u *users.User) error {
		p.Letter = complaints.LetterInput{Date: c.FormValue("date"), Text: c.FormValue("text")}
		if err := completed(p.Letter.Text); err != nil {
			return err
		}
		_, err := s.complaints.Acknowledge(c.UserContext(), u, p.Complaint.ID, p.Letter)
		return err
	})
}

func (s *Server) handleComplaintProgress(c *fiber.Ctx) error {
	return s.complaintAction(c, "progress", i18n.M("The progress report is sent."), func(p *complaintPage, u *users.User) error {
		p.Letter = complaints.LetterInput{Date: c.FormValue("date"), Text: c.FormValue("text")}
		_, err := s.complaints.Progress(c.UserContext(), u, p.Complaint.ID, p.Letter)
		return err
	})
}

func (s *Server) handleComplaintAssign(c *fiber.Ctx) error {
	return s.complaintAction(c, "assign", i18n.M("The investigator is assigned."), func(p *complaintPage, u *users.User) error {
		p.Investigator = c.FormValue("investigator")
		id, _ := parseID(p.Investigator)
		_, err := s.complaints.Assign(c.UserContext(), u, p.Complaint.ID, id)
		return err
	})
}

func (s *Server) handleComplaintNote(c *fiber.Ctx) error {
	return s.complaintAction(c, "note", i18n.M("The note is added."), func(p *complaintPage, u *users.User) error {
		p.Note = c.FormValue("note")
		_, err := s.complaints.AddNote(c.UserContext(), u, p.Complaint.ID, p.Note)
		return err
	})
}

func (s *Server) handleComplaintResolve(c *fiber.Ctx) error {
	return s.complaintAction(c, "resolve", i18n.M("The complaint is resolved; the customer is mailed the explanation."), func(p *complaintPage, u *users.User) error {
		p.Resolve = complaints.ResolveInput{Outcome: c.FormValue("outcome"), Explanation: c.FormValue("explanation"),
			Invoice: c.FormValue("invoice"), SKU: c.FormValue("sku")}
		p.Quantities, p.QuantityText = c.FormValue("quantities"), c.FormValue("quantity")
		var bad bool
		p.Resolve.Quantities, bad = parseLineQuantities(p.Quantities)
		if bad {
			return apperr.FieldErrors{"quantities": i18n.M("Enter the quantities as line:quantity, e.g. 1:2, 3:1.")}.Err()
		}
		if q := strings.TrimSpace(p.QuantityText); q != "" {
			n, err := strconv.Atoi(q)
			if err != nil || n < 1 {
				return apperr.FieldErrors{"quantity": i18n.M("Enter a whole number of 1 or more.")}.Err()
			}
			p.Resolve.Quantity = n
		} else if p.Resolve.Outcome == complaints.OutcomeExchange {
			return apperr.FieldErrors{"quantity": i18n.M("Enter a whole number of 1 or more.")}.Err()
		}
		_, err := s.complaints.Resolve(c.UserContext(), u, p.Complaint.ID, p.Resolve)
		return err
	})
}

// parseLineQuantities reads "line:quantity" pairs separated by commas or
// spaces; bad is true when one cannot be read. Empty is every line in full.
func parseLineQuantities(s string) (map[int]int, bool) {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == ';' })
	if len(fields) == 0 {
		return nil, false
	}
	out := map[int]int{}
	for _, f := range fields {
		a, b, ok := strings.Cut(f, ":")
		line, err1 := strconv.Atoi(strings.TrimSpace(a))
		qty, err2 := strconv.Atoi(strings.TrimSpace(b))
		if !ok || err1 != nil || err2 != nil || line < 1 || qty < 0 {
			return nil, true
		}
		out[line] = qty
	}
	return out, false
}

func (s *Server) handleComplaintBoardAnswer(c *fiber.Ctx) error {
	return s.complaintAction(c, "board", i18n.M("The board's answer is sent; the complaint is closed."), func(p *complaintPage, u *users.User) error {
		p.BoardText = c.FormValue("text")
		_, err := s.complaints.BoardAnswer(c.UserContext(), u, p.Complaint.ID, p.BoardText)
		return err
	})
}
