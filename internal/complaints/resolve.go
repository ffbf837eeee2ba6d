package complaints

import (
	"context"
	"fmt"
	"strings"

	"wholesale/internal/apperr"
	"wholesale/internal/i18n"
	"wholesale/internal/invoicing"
	"wholesale/internal/orders"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
	"wholesale/internal/validate"
)

// ResolveInput is the outcome of a complaint with its written explanation
// (what was done to investigate, the conclusion, the action taken or the
// process changed). A refund names the invoice and how many of each of its
// lines to credit; an exchange the SKU and quantity to send.
type ResolveInput struct {
	Outcome     string      `json:"outcome" form:"outcome"`
	Explanation string      `json:"explanation" form:"explanation"`
	Invoice     string      `json:"invoice,omitempty" form:"invoice"`
	Quantities  map[int]int `json:"quantities,omitempty" form:"-"`
	SKU         string      `json:"sku,omitempty" form:"sku"`
	Quantity    int         `json:"quantity,omitempty" form:"-"`
}

// Validate bounds the outcome, the explanation and what a refund or an
// exchange needs. Returns Invalid with a message per field.
func (in *ResolveInput) Validate() error {
	fe := apperr.FieldErrors{}
	known := false
	for _, o := range Outcomes {
		known = known || in.Outcome == o
	}
	if !known {
		fe.Add("outcome", i18n.M("Choose the outcome."))
	}
	in.Explanation = strings.TrimSpace(in.Explanation)
	if in.Explanation == "" {
		fe.Add("explanation", i18n.M("Explain what was done to investigate, the conclusion and the action taken: the customer reads it."))
	}
	validate.Text(fe, "explanation", in.Explanation, LetterMax)
	switch in.Outcome {
	case OutcomeRefund:
		in.Invoice = strings.TrimSpace(in.Invoice)
		if in.Invoice == "" {
			fe.Add("invoice", i18n.M("Enter the invoice to refund."))
		}
		validate.Line(fe, "invoice", in.Invoice, 20)
	case OutcomeExchange:
		in.SKU = validate.Upper(strings.TrimSpace(in.SKU))
		if in.SKU == "" {
			fe.Add("sku", i18n.M("Enter the SKU to send in exchange."))
		}
		validate.Line(fe, "sku", in.SKU, 40)
		validate.Quantity(fe, "quantity", in.Quantity, 0)
	}
	return fe.Err()
}

// Resolve settles an acknowledged complaint with its outcome and sends the
// customer the explanation. A refund is a credit note of the customer's
// invoice (invoicing.CreditNoteIn); an exchange a zero-priced replacement
// order (orders.PlaceReplacement). Its handler, the customer's account
// manager, the customer service manager or an admin. Returns Forbidden,
// NotFound, Invalid, Conflict.
func (s *Service) Resolve(ctx context.Context, by *users.User, id int64, in ResolveInput) (*Complaint, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	return s.onComplaint(ctx, by, id, ActResolve, func(ctx context.Context, tx *postgres.Tx, c *Complaint) error {
		if err := mayHandle(by, c); err != nil {
			return err
		}
		after := map[string]any{"outcome": in.Outcome}
		body := in.Explanation
		switch in.Outcome {
		case OutcomeRefund:
			var owner int64
			if err := tx.NewRaw(`SELECT company_id FROM invoices WHERE number = ? AND kind = 'invoice' AND state = 'issued'`, in.Invoice).
				Scan(ctx, &owner); err != nil || owner != c.CompanyID {
				return apperr.FieldErrors{"invoice": i18n.M("%s is not an invoice of this customer.", in.Invoice)}.Err()
			}
			cn, err := s.Invoicing.CreditNoteIn(ctx, tx, by, invoicing.CreditNoteInput{Invoice: in.Invoice, Quantities: in.Quantities,
				Rest: len(in.Quantities) == 0, Reason: i18n.For(i18n.Default).Text(i18n.M("Refund of complaint %d (%s)", c.ID, c.Ref()))})
			if err != nil {
				return atQuantities(err)
			}
			c.CreditNoteID, after["credit_note"] = &cn.ID, cn.Number
		case OutcomeExchange:
			o, err := s.Orders.PlaceReplacement(ctx, tx, by, orders.ReplacementInput{CompanyID: c.CompanyID, ComplaintID: c.ID,
				RA: fmt.Sprintf("COMPLAINT-%d", c.ID), SKU: in.SKU, Quantity: in.Quantity})
			if err != nil {
				return err
			}
			c.ReplacementID, after["replacement_order_id"] = &o.ID, o.ID
		}
		now := s.now()
		c.State, c.Outcome, c.Explanation, c.ResolvedAt, c.UpdatedAt = StateResolved, &in.Outcome, in.Explanation, &now, now
		if _, err := tx.NewUpdate().Model(c).Column("state", "outcome", "explanation", "resolved_at", "credit_note_id",
			"replacement_order_id", "updated_at").WherePK().Exec(ctx); err != nil {
			return err
		}
		after["state"] = c.State
		return s.letter(ctx, tx, c, ActResolve, i18n.M("Your complaint (%s): our answer", c.Ref()), body, after)
	})
}

// atQuantities puts the credit note's messages about its lines at the
// form's one field of quantities.
func atQuantities(err error) error {
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.Invalid || len(e.Fields) == 0 {
		return err
	}
	fe := apperr.FieldErrors{}
	for field, msg := range e.Fields {
		if field == "invoice" {
			fe.Add(field, msg)
		} else if _, taken := fe["quantities"]; !taken {
			fe.Add("quantities", msg)
		}
	}
	return fe.Err()
}
