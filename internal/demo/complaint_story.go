package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/audit"
	"wholesale/internal/complaints"
	"wholesale/internal/i18n"
	"wholesale/internal/invoicing"
	"wholesale/internal/orders"
	"wholesale/internal/pdf"
	"wholesale/internal/ubl"
	"wholesale/internal/users"
	"wholesale/internal/xlsx"
)

// complaintStory takes one demo complaint through its steps, each as its
// person at its own moment; after the first error the other steps do
// nothing and err says which step failed.
type complaintStory struct {
	ctx     context.Context
	db      *bun.DB
	baseURL string
	c       *complaints.Complaint
	err     error
}

// step runs fn with the complaints service of moment at, as by.
func (s *complaintStory) step(what string, at time.Time, by *users.User,
	fn func(ctx context.Context, svc *complaints.Service) (*complaints.Complaint, error)) *complaintStory {
	if s.err != nil {
		return s
	}
	inv := &invoicing.Service{DB: s.db, Clock: fixed(at), Calendar: invoicing.LoadCalendar,
		Writers: invoicing.Writers{PDF: pdf.WriteInvoice, XLSX: xlsx.WriteInvoice, UBL: ubl.Write}}
	svc := &complaints.Service{DB: s.db, Clock: fixed(at), BaseURL: s.baseURL, Invoicing: inv,
		Orders: &orders.Service{DB: s.db, Clock: fixed(at), BaseURL: s.baseURL, Calendar: invoicing.LoadCalendar}}
	c, err := fn(audit.WithActor(s.ctx, audit.Actor{UserID: by.ID, Label: by.Email}), svc)
	if err != nil {
		s.err = fmt.Errorf("demo complaint %s: %w", what, err)
		if s.c != nil {
			s.err = fmt.Errorf("demo complaint %d, %s: %w", s.c.ID, what, err)
		}
		return s
	}
	s.c = c
	return s
}

func (s *complaintStory) file(at time.Time, by *users.User, in complaints.FileInput) *complaintStory {
	return s.step(fmt.Sprintf("%.40q", in.Description), at, by, func(ctx context.Context, svc *complaints.Service) (*complaints.Complaint, error) {
		return svc.File(ctx, by, in)
	})
}

// acknowledge sends the acknowledgement letter writes, with the date an
// answer can be expected.
func (s *complaintStory) acknowledge(at time.Time, by *users.User, letter func(*complaints.Complaint) complaints.LetterInput) {
	s.step("acknowledge", at, by, func(ctx context.Context, svc *complaints.Service) (*complaints.Complaint, error) {
		return svc.Acknowledge(ctx, by, s.c.ID, letter(s.c))
	})
}

// progress sends the progress report letter writes, with the date of the
// full answer.
func (s *complaintStory) progress(at time.Time, by *users.User, letter func(*complaints.Complaint) complaints.LetterInput) {
	s.step("progress report", at, by, func(ctx context.Context, svc *complaints.Service) (*complaints.Complaint, error) {
		return svc.Progress(ctx, by, s.c.ID, letter(s.c))
	})
}

func (s *complaintStory) assign(at time.Time, by, investigator *users.User) {
	s.step("assign", at, by, func(ctx context.Context, svc *complaints.Service) (*complaints.Complaint, error) {
		return svc.Assign(ctx, by, s.c.ID, investigator.ID)
	})
}

func (s *complaintStory) note(at time.Time, by *users.User, body string) {
	s.step("note", at, by, func(ctx context.Context, svc *complaints.Service) (*complaints.Complaint, error) {
		return svc.AddNote(ctx, by, s.c.ID, body)
	})
}

func (s *complaintStory) resolve(at time.Time, by *users.User, in complaints.ResolveInput) {
	s.step("resolve", at, by, func(ctx context.Context, svc *complaints.Service) (*complaints.Complaint, error) {
		return svc.Resolve(ctx, by, s.c.ID, in)
	})
}

func (s *complaintStory) escalate(at time.Time, by *users.User, reason string) {
	s.step("escalate", at, by, func(ctx context.Context, svc *complaints.Service) (*complaints.Complaint, error) {
		return svc.Escalate(ctx, by, s.c.ID, reason)
	})
}

// letters writes the handler's letters as the handler completes the
// complaint page's templates: demo text in the customer's language, not
// messages of the catalog.
type letters struct {
	l             *i18n.Localizer
	ack, progress string
}

func lettersIn(lang i18n.Lang) letters {
	if lang == i18n.NL {
		return letters{l: i18n.For(lang),
			ack:      "Beste %s,\n\nDank voor uw klacht (%s), die wij op %s ontvingen. %s behandelt hem. U kunt ons antwoord uiterlijk %s verwachten.\n\n%s\n\nMet vriendelijke groet,\n%s",
			progress: "Beste %s,\n\nWij onderzoeken uw klacht (%s) nog. %s\n\nU krijgt ons volledige antwoord uiterlijk %s.\n\nMet vriendelijke groet,\n%s"}
	}
	return letters{l: i18n.For(lang),
		ack:      "Dear %s,\n\nThank you for your complaint (%s), which we received on %s. %s handles it. You can expect our answer by %s.\n\n%s\n\nKind regards,\n%s",
		progress: "Dear %s,\n\nWe are still investigating your complaint (%s). %s\n\nYou will have our full answer by %s.\n\nKind regards,\n%s"}
}

// acknowledgement is the acknowledgement by handler: who handles the
// complaint, the answer expected by its resolve date, and what is being done.
func (w letters) acknowledgement(handler *users.User, doing string) func(*complaints.Complaint) complaints.LetterInput {
	return func(c *complaints.Complaint) complaints.LetterInput {
		text := fmt.Sprintf(w.ack, c.ContactName, w.l.Text(c.Ref()), w.l.LongDate(c.ReceivedOn), handler.Name, w.l.LongDate(c.ResolveDue), doing, handler.Name)
		return complaints.LetterInput{Date: c.ResolveDue.Format(time.DateOnly), Text: text}
	}
}

// progressReport is a progress report by handler promising the full
// answer by answerBy.
func (w letters) progressReport(handler *users.User, answerBy time.Time, found string) func(*complaints.Complaint) complaints.LetterInput {
	return func(c *complaints.Complaint) complaints.LetterInput {
		text := fmt.Sprintf(w.progress, c.ContactName, w.l.Text(c.Ref()), found, w.l.LongDate(answerBy), handler.Name)
		return complaints.LetterInput{Date: answerBy.Format(time.DateOnly), Text: text}
	}
}
