package orders

import (
	"context"

	"wholesale/internal/apperr"
	"wholesale/internal/customers"
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
	// ReturnID or ComplaintID is what the replacement settles: a return,
	// or a complaint's exchange.
	ReturnID    int64
	ComplaintID int64
	// RA is the replacement order's PO reference: the return's RA number,
	// or the complaint's reference.
	RA       string
	SKU      string
	Quantity int
}

// PlaceReplacement places a zero-priced order for a replacement within the
// caller's transaction (internal/returns settles a return with it). It is
// placed like any order, reserving stock or back-ordering what is not
// there, and it needs no credit check, confirmation or payment: it costs
// the customer nothing and is never invoiced. The customer's account
// manager, an admin, or (for a complaint's exchange) the customer service
// manager. Returns Forbidden, NotFound, Conflict (the return has its
// replacement already).
func (s *Service) PlaceReplacement(ctx context.Context, tx *postgres.Tx, by *users.User, in ReplacementInput) (*Order, error) {
	service := in.ComplaintID > 0 && by.Is(users.RoleCustomerService)
	if !service {
		if err := mayEnter(by); err != nil {
			return nil, err
		}
	}
	may := func(c *customers.Company) bool { return service || customers.CanSee(by, c) }
	e, err := enterFor(ctx, tx, s.now(), may, in.CompanyID, in.RA, []string{in.SKU})
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
	note := i18n.M("Replacement for return %s, free of charge.", in.RA)
	if in.ComplaintID > 0 {
		note = i18n.M("Exchange for complaint %d, free of charge.", in.ComplaintID)
	}
	o := s.newOrder(by, Input{POReference: in.RA, Address: "visiting", ShippingMethod: "UPS",
		Note: i18n.For(e.Company.Lang()).Text(note)}, e.Company, 0, now)
	o.ID = e.OrderID
	if in.ComplaintID > 0 {
		o.ComplaintID = &in.ComplaintID
	} else {
		o.ReturnID = &in.ReturnID
	}
	o.Lines = []Line{{ID: e.LineIDs[0], OrderID: o.ID, LineNo: 1, ProductID: p.ID, Quantity: in.Quantity, VATRate: p.VATRate, SKU: p.SKU, Name: p.Name}}
	s.applyTotals(o)
	kind, zero := ConfirmedByReturn, int64(0)
	o.ConfirmedAt, o.ConfirmedBy, o.ConfirmationKind, o.ConfirmedTotalCents = &now, &by.ID, &kind, &zero
	o.ConfirmationNote = in.RA
	return o, s.place(ctx, tx, by, o, e, true)
}

// Replacement tells whether the order replaces goods of a return or
// settles a complaint with an exchange.
func (o *Order) Replacement() bool { return o.ReturnID != nil || o.ComplaintID != nil }
