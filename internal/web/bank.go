package web

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/bank"
	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/users"
)

// bankQueueShown is how many open credits /bank lists; bankStatementsShown
// how many imported statements.
const (
	bankQueueShown      = 100
	bankStatementsShown = 20
)

func (s *Server) registerBankRoutes() {
	// GET /bank shows the upload form, the statements imported and the queue of open credits.
	s.page(fiber.MethodGet, "/bank", financeDesk, s.handleBankIndex)
	// POST /bank/import reads a CAMT.053 statement and shows what happened with each entry.
	s.page(fiber.MethodPost, "/bank/import", financeDesk, s.handleBankImport)
	// POST /bank/entries/:id/match books an open credit as a payment of the customer chosen.
	s.page(fiber.MethodPost, "/bank/entries/:id/match", financeDesk, s.handleBankMatch)
	// POST /bank/entries/:id/ignore sets an open credit aside, with the reason.
	s.page(fiber.MethodPost, "/bank/entries/:id/ignore", financeDesk, s.handleBankIgnore)
	s.addWork(financeWork, s.bankEntriesOpen)
}

// bankService is the bank statements' use cases.
func (s *Server) bankService() *bank.Service { return &bank.Service{DB: s.db, Clock: s.clock} }

// bankPage is the upload form, the statements imported and the queue.
type bankPage struct {
	Page
	Statements []bank.StatementRow
	Queue      []bank.QueueEntry
	// Open is how many credits wait, Queue the first of them.
	Open int
	// Customers are the match forms' suggestions: their names, or past
	// pickMax none (Many), and a hint where the number is.
	Customers customerPick
	// EntryID is the entry whose match (Action "match") or set-aside
	// ("ignore") was refused, with what was typed.
	EntryID int64
	Action  string
	Match   bank.MatchInput
	Reason  string
}

// More is how many open credits wait beyond those listed.
func (p *bankPage) More() int { return max(p.Open-len(p.Queue), 0) }

// Customer is what the match form of e shows: what was typed when its
// match was refused, else the customer whose IBAN paid.
func (p *bankPage) Customer(e bank.QueueEntry) string {
	if p.EntryID == e.ID && p.Action == "match" {
		return p.Match.Customer
	}
	if e.SuggestedID > 0 {
		return customerChoice(e.SuggestedID, e.SuggestedName)
	}
	return ""
}

// Failed tells whether the form action of entry id was refused: its
// messages belong there.
func (p *bankPage) Failed(id int64, action string) bool { return p.EntryID == id && p.Action == action }

// customerChoice is a customer as the match form suggests it, "number — name".
func customerChoice(id int64, name string) string { return fmt.Sprintf("%d — %s", id, name) }

// Choice is a company as the match form suggests it.
func (p *bankPage) Choice(c customers.Company) string { return customerChoice(c.ID, c.Name) }

func (s *Server) bankPageOf(c *fiber.Ctx) (*bankPage, error) {
	ctx := c.UserContext()
	p := &bankPage{Page: Page{Title: i18n.M("Bank statements")}}
	var err error
	if p.Statements, err = bank.Statements(ctx, s.db, bankStatementsShown); err != nil {
		return nil, err
	}
	if p.Queue, p.Open, err = bank.Queue(ctx, s.db, bankQueueShown); err != nil {
		return nil, err
	}
	p.Customers, err = s.pick(c, customerPick{})
	return p, err
}

func (s *Server) handleBankIndex(c *fiber.Ctx) error {
	p, err := s.bankPageOf(c)
	if err != nil {
		return err
	}
	return s.render(c, "bank/index", p)
}

// bankReportPage is what an import did, entry by entry.
type bankReportPage struct {
	Page
	Report *bank.Report
	Totals bank.StatementReport
}

func (s *Server) handleBankImport(c *fiber.Ctx) error {
	u, ok, err := readUpload(c, "file", bank.MaxFileBytes,
		i18n.M("This file is larger than %d MB: split it into smaller files.", bank.MaxFileBytes>>20))
	c.Request().RemoveMultipartFormFiles()
	c.Request().ReleaseBody(0)
	if err != nil {
		return err
	}
	switch {
	case !ok:
		err = fieldErr("file", i18n.M("Choose a bank statement: a CAMT.053 file (.xml)."))
	case !u.Problem.IsZero():
		err = fieldErr("file", i18n.M("%s Nothing was booked.", u.Problem))
	default:
		var rep *bank.Report
		rep, err = s.bankService().Import(c.UserContext(), currentUser(c), u.Filename, u.Content)
		if err == nil {
			return s.render(c, "bank/report", &bankReportPage{Page: Page{Title: i18n.M("Bank statement %s", u.Filename)}, Report: rep, Totals: rep.Totals()})
		}
	}
	p, perr := s.bankPageOf(c)
	if perr != nil {
		return perr
	}
	return s.rerender(c, "bank/index", p, err)
}

// bankEntryID reads the entry of the path.
func bankEntryID(c *fiber.Ctx) (int64, error) {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return 0, fiber.ErrNotFound
	}
	return int64(id), nil
}

func (s *Server) handleBankMatch(c *fiber.Ctx) error {
	id, err := bankEntryID(c)
	if err != nil {
		return err
	}
	in := bank.MatchInput{Customer: c.FormValue("customer"), Invoice: c.FormValue("invoice")}
	pay, err := s.bankService().Match(c.UserContext(), currentUser(c), id, in)
	if err != nil {
		p, perr := s.bankPageOf(c)
		if perr != nil {
			return perr
		}
		p.EntryID, p.Action, p.Match = id, "match", in
		return s.rerender(c, "bank/index", p, err)
	}
	flash(c, i18n.M("Payment %d of %s is booked.", pay.ID, i18n.Amount(pay.AmountCents)))
	return c.Redirect("/bank#queue")
}

func (s *Server) handleBankIgnore(c *fiber.Ctx) error {
	id, err := bankEntryID(c)
	if err != nil {
		return err
	}
	reason := c.FormValue("reason")
	if err := s.bankService().Ignore(c.UserContext(), currentUser(c), id, reason); err != nil {
		p, perr := s.bankPageOf(c)
		if perr != nil {
			return perr
		}
		p.EntryID, p.Action, p.Reason = id, "ignore", reason
		return s.rerender(c, "bank/index", p, err)
	}
	flash(c, i18n.M("The bank entry is set aside: %s", strings.TrimSpace(reason)))
	return c.Redirect("/bank#queue")
}

// bankEntriesOpen counts the credits of imported statements that wait for
// finance to match them.
func (s *Server) bankEntriesOpen(ctx context.Context, _ *users.User, _ time.Time) (workItem, error) {
	n, err := bank.CountOpen(ctx, s.db)
	return workItem{Title: i18n.M("Bank entries to match"), Count: n, Href: "/bank#queue"}, err
}
