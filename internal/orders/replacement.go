package orders

import (
	"context"

	"wholesale/internal/apperr"
	"wholesale/internal/i18n"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
)

// ConfirmedByReturn is the confirmation kind of a replacement order: the
// customer asked for it on the return form, so it waits for no other.
const ConfirmedByReturn = "replacement"

// ReplacementInput is a replacement for units of a return whose fault the
// warehouse confirmed.
type ReplacementInput struct {
	CompanyID int64
	ReturnID  int64
	// RA is the return's RA number: the replacement order's PO reference.
	RA       string
	SKU      string
	Quantity int
}

// PlaceReplacement places a zero-priced order for a replacement within the
// caller's transaction (internal/returns settles a return with it). It is
// placed like any order, reserving stock or back-ordering what is not
// there, and it needs no credit check, confirmation or payment: it costs
// the customer nothing and is never invoiced. Account managers and admins
// only. Returns Forbidden, NotFound, Conflict (the return has its
// replacement already).
func (s *Service) PlaceReplacement(ctx context.Context, tx *postgres.Tx, by *users.User, in ReplacementInput) (*Order, error) {
	e, err := enter(ctx, tx, s.now(), by, in.CompanyID, in.RA, []string{in.SKU})
	if err != nil {
		return nil, err
	}
	if e.POTaken {
		return nil, apperr.Conflictf("The customer has an order with reference %s already.", in.RA)
	}
	p, ok := e.Products[in.SKU]
	if !ok {
		return nil, apperr.NotFoundf("No product has SKU %s.", in.SKU)
	}
	now := s.now()
	o := s.newOrder(by, Input{POReference: in.RA, Address: "visiting", ShippingMethod: "UPS",
		Note: i18n.For(e.Company.Lang()).Text(i18n.M("Replacement for return %s, free of charge.", in.RA))}, e.Company, 0, now)
	o.ID, o.ReturnID = e.OrderID, &in.ReturnID
	o.Lines = []Line{{ID: e.LineIDs[0], OrderID: o.ID, LineNo: 1, ProductID: p.ID, Quantity: in.Quantity, VATRate: p.VATRate, SKU: p.SKU, Name: p.Name}}
	s.applyTotals(o)
	kind, zero := ConfirmedByReturn, int64(0)
	o.ConfirmedAt, o.ConfirmedBy, o.ConfirmationKind, o.ConfirmedTotalCents = &now, &by.ID, &kind, &zero
	o.ConfirmationNote = in.RA
	return o, s.place(ctx, tx, by, o, e, true)
}

// Replacement tells whether the order replaces goods of a return.
func (o *Order) Replacement() bool { return o.ReturnID != nil }
