package demo

import (
	"context"

	"wholesale/internal/audit"
	"wholesale/internal/customers"
	"wholesale/internal/users"
)

// loadChanges records two account changes of the demo customer: a new
// telephone number the account manager took down, waiting for the customer's
// confirmation in the portal, and a new invoice address the customer asked
// for with a signed letter attached, waiting for sales.
func loadChanges(ctx context.Context, cs *customers.Service, d *Data) error {
	am, buyer := d.Users[users.RoleAccountManager], d.Users[users.RoleCustomer]
	c := d.Company
	amCtx := audit.WithActor(ctx, audit.Actor{UserID: am.ID, Label: am.Email})
	if _, err := cs.RequestChange(amCtx, am, c.ID, customers.ChangeInput{Kind: customers.ChangeContact,
		Values: map[string]string{"contact_name": c.ContactName, "contact_email": c.ContactEmail, "contact_phone": "+31 30 123 4599"},
		Note:   "Joris called: his direct line changed."}); err != nil {
		return err
	}
	buyerCtx := audit.WithActor(ctx, audit.Actor{UserID: buyer.ID, Label: buyer.Email})
	r, err := cs.RequestChange(buyerCtx, buyer, c.ID, customers.ChangeInput{Kind: customers.ChangeInvoiceEmail,
		Values: map[string]string{"invoice_email": "facturen@bakkerij-jansen.test"}, Note: "Our bookkeeping moves to a new mailbox."})
	if err != nil {
		return err
	}
	return cs.AttachConfirmation(buyerCtx, buyer, r.ID, customers.Upload{Filename: "brief-factuuradres.pdf",
		Content: demoPDF("Bakkerij Jansen: invoices to facturen@bakkerij-jansen.test from 1 December 2026. J. Jansen")})
}
