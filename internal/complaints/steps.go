package complaints

import (
	"context"
	"slices"
	"strings"
	"time"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/i18n"
	"wholesale/internal/mail"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
	"wholesale/internal/validate"
)

// LetterMax bounds a letter to the customer: an acknowledgement, a
// progress report, an explanation, the board's answer.
const LetterMax = 10000

// LetterInput is a letter the handler completed from its template, with
// the date it promises (the answer expected, or the full answer).
type LetterInput struct {
	Date string `json:"date" form:"date"`
	Text string `json:"text" form:"text"`
}

// validate reads the promised date (today or later) and the text.
func (in *LetterInput) validate(today time.Time) (time.Time, error) {
	fe := apperr.FieldErrors{}
	day, msg := validate.ParseDate(strings.TrimSpace(in.Date))
	switch {
	case !msg.IsZero():
		fe.Add("date", msg)
	case day.Before(today):
		fe.Add("date", i18n.M("The date cannot be in the past."))
	}
	in.Text = strings.TrimSpace(in.Text)
	if in.Text == "" {
		fe.Add("text", i18n.M("Complete the letter: the customer reads it."))
	}
	validate.Text(fe, "text", in.Text, LetterMax)
	return day, fe.Err()
}

// Acknowledge sends the customer the acknowledgement the handler completed
// (who handles the complaint, when an answer can be expected), and makes
// by the complaint's handler. Returns Forbidden, NotFound, Invalid, Conflict.
func (s *Service) Acknowledge(ctx context.Context, by *users.User, id int64, in LetterInput) (*Complaint, error) {
	expected, err := in.validate(s.Today())
	if err != nil {
		return nil, err
	}
	return s.onComplaint(ctx, by, id, ActAcknowledge, func(ctx context.Context, tx *postgres.Tx, c *Complaint) error {
		if err := mayHandle(by, c); err != nil {
			return err
		}
		now := s.now()
		c.State, c.AcknowledgedAt, c.AnswerExpectedOn, c.HandlerID, c.UpdatedAt = StateAcknowledged, &now, &expected, &by.ID, now
		if _, err := tx.NewUpdate().Model(c).Column("state", "acknowledged_at", "answer_expected_on", "handler_id", "updated_at").WherePK().Exec(ctx); err != nil {
			return err
		}
		return s.letter(ctx, tx, c, ActAcknowledge, i18n.M("Your complaint (%s): we received it", c.Ref()), in.Text,
			map[string]any{"state": c.State, "answer_expected_on": expected.Format(time.DateOnly), "handler_id": by.ID})
	})
}

// Progress sends a progress report with the date of the full answer, when
// the complaint cannot be resolved within its two weeks. Returns
// Forbidden, NotFound, Invalid, Conflict.
func (s *Service) Progress(ctx context.Context, by *users.User, id int64, in LetterInput) (*Complaint, error) {
	answerBy, err := in.validate(s.Today())
	if err != nil {
		return nil, err
	}
	return s.onComplaint(ctx, by, id, ActProgress, func(ctx context.Context, tx *postgres.Tx, c *Complaint) error {
		if err := mayHandle(by, c); err != nil {
			return err
		}
		now := s.now()
		c.ProgressSentAt, c.AnswerBy, c.UpdatedAt = &now, &answerBy, now
		if _, err := tx.NewUpdate().Model(c).Column("progress_sent_at", "answer_by", "updated_at").WherePK().Exec(ctx); err != nil {
			return err
		}
		return s.letter(ctx, tx, c, ActProgress, i18n.M("Your complaint (%s): progress report", c.Ref()), in.Text,
			map[string]any{"answer_by": answerBy.Format(time.DateOnly)})
	})
}

// Assign makes a staff member the investigator of a complaint: the
// customer service manager's (or an admin's) task once a complaint is
// unresolved after a week. Returns Forbidden, NotFound, Invalid, Conflict.
func (s *Service) Assign(ctx context.Context, by *users.User, id, investigatorID int64) (*Complaint, error) {
	if !by.Is(users.RoleCustomerService, users.RoleAdmin) {
		return nil, apperr.Forbiddenf("The customer service manager assigns investigators.")
	}
	return s.onComplaint(ctx, by, id, ActAssign, func(ctx context.Context, tx *postgres.Tx, c *Complaint) error {
		var role users.Role
		if err := tx.NewRaw(`SELECT role FROM users WHERE id = ? AND active`, investigatorID).Scan(ctx, &role); err != nil || !slices.Contains(InvestigatorRoles, role) {
			return apperr.FieldErrors{"investigator": i18n.M("Choose a member of staff who opens complaints.")}.Err()
		}
		now := s.now()
		before := c.InvestigatorID
		c.InvestigatorID, c.UpdatedAt = &investigatorID, now
		if _, err := tx.NewUpdate().Model(c).Column("investigator_id", "updated_at").WherePK().Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Change{Entity: "complaint", EntityID: c.ID, Action: ActAssign,
			Before: map[string]any{"investigator_id": before}, After: map[string]any{"investigator_id": investigatorID}})
	})
}

// AddNote adds an internal investigation note, which the customer never
// sees. Staff who may see the complaint only. Returns Forbidden, NotFound,
// Invalid, Conflict.
func (s *Service) AddNote(ctx context.Context, by *users.User, id int64, body string) (*Complaint, error) {
	if !by.Role.Staff() {
		return nil, apperr.Forbiddenf("Investigation notes are internal.")
	}
	fe := apperr.FieldErrors{}
	body = strings.TrimSpace(body)
	if body == "" {
		fe.Add("note", i18n.M("Write the note."))
	}
	validate.Text(fe, "note", body, DescriptionMax)
	if err := fe.Err(); err != nil {
		return nil, err
	}
	return s.onComplaint(ctx, by, id, ActNote, func(ctx context.Context, tx *postgres.Tx, c *Complaint) error {
		now := s.now()
		n := &Note{ComplaintID: c.ID, Body: body, CreatedBy: by.ID, CreatedAt: now}
		if _, err := tx.NewInsert().Model(n).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
			return err
		}
		// The trail records that a note was added, not what it says.
		return audit.Record(ctx, tx, now, audit.Change{Entity: "complaint", EntityID: c.ID, Action: ActNote,
			After: map[string]any{"note_id": n.ID}})
	})
}

// Escalate asks the board to review a resolved complaint the customer is
// not satisfied with; the board answers within a week. The customer's
// users, or its account manager on its behalf. Returns Forbidden,
// NotFound, Invalid, Conflict.
func (s *Service) Escalate(ctx context.Context, by *users.User, id int64, reason string) (*Complaint, error) {
	fe := apperr.FieldErrors{}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		fe.Add("reason", i18n.M("Say why the outcome does not satisfy you."))
	}
	validate.Text(fe, "reason", reason, DescriptionMax)
	if err := fe.Err(); err != nil {
		return nil, err
	}
	return s.onComplaint(ctx, by, id, ActEscalate, func(ctx context.Context, tx *postgres.Tx, c *Complaint) error {
		if !by.Is(users.RoleCustomer, users.RoleAccountManager, users.RoleCustomerService, users.RoleAdmin) {
			return apperr.Forbiddenf("The customer asks for the escalation.")
		}
		now, today := s.now(), s.Today()
		due := BoardDeadline(today, cal)
		c.State, c.EscalatedAt, c.EscalationReason, c.BoardDue, c.UpdatedAt = StateEscalated, &now, reason, &due, now
		if _, err := tx.NewUpdate().Model(c).Column("state", "escalated_at", "escalation_reason", "board_due", "updated_at").WherePK().Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Change{Entity: "complaint", EntityID: c.ID, Action: ActEscalate,
			Before: map[string]any{"state": StateResolved}, After: map[string]any{"state": c.State, "board_by": due.Format(time.DateOnly)}})
	})
}

// BoardAnswer sends the board's answer to an escalated complaint and
// closes it; the letter names the external body the customer may turn to
// (seed 001). The board and admins only. Returns Forbidden, NotFound,
// Invalid, Conflict.
func (s *Service) BoardAnswer(ctx context.Context, by *users.User, id int64, text string) (*Complaint, error) {
	if !by.Is(users.RoleBoard, users.RoleAdmin) {
		return nil, apperr.Forbiddenf("The board answers escalated complaints.")
	}
	fe := apperr.FieldErrors{}
	text = strings.TrimSpace(text)
	if text == "" {
		fe.Add("text", i18n.M("Write the board's answer: the customer reads it."))
	}
	validate.Text(fe, "text", text, LetterMax)
	if err := fe.Err(); err != nil {
		return nil, err
	}
	return s.onComplaint(ctx, by, id, ActBoardAnswer, func(ctx context.Context, tx *postgres.Tx, c *Complaint) error {
		now := s.now()
		c.State, c.BoardAnswer, c.BoardAnsweredAt, c.UpdatedAt = StateClosed, text, &now, now
		if _, err := tx.NewUpdate().Model(c).Column("state", "board_answer", "board_answered_at", "updated_at").WherePK().Exec(ctx); err != nil {
			return err
		}
		return s.letter(ctx, tx, c, ActBoardAnswer, i18n.M("Your complaint (%s): the board's answer", c.Ref()), text,
			map[string]any{"state": c.State})
	})
}

// ExternalBody is what the board's final letter says of where the customer
// may turn next (seed 001 names an external body such as Trading
// Standards; in the Netherlands a business customer goes to the court or
// an arbitration body it agreed with us).
var ExternalBody = i18n.M("If you are still not satisfied, you may refer the complaint to an external body: for business customers the competent court, or the arbitration body named in our general terms.")

// letter mails the customer a letter about the complaint, in the
// company's language (the board's, the final letter, ends with where the
// customer may turn next), and records the step in the audit trail.
func (s *Service) letter(ctx context.Context, tx *postgres.Tx, c *Complaint, action string, subject i18n.Message, body string, after map[string]any) error {
	now := s.now()
	if err := audit.Record(ctx, tx, now, audit.Change{Entity: "complaint", EntityID: c.ID, Action: action, After: after}); err != nil {
		return err
	}
	if c.ContactEmail == "" {
		return nil
	}
	var lang string
	if err := tx.NewRaw(`SELECT COALESCE(language, '') FROM companies WHERE id = ?`, c.CompanyID).Scan(ctx, &lang); err != nil {
		return err
	}
	l := i18n.For(i18n.Lang(lang).Or(i18n.Default))
	if action == ActBoardAnswer { // the final letter
		body += "\n\n" + l.Text(ExternalBody)
	}
	return mail.Enqueue(ctx, tx, now, l.Lang(), c.ContactEmail, l.Text(subject), body)
}
