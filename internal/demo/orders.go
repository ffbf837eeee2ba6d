package demo

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/audit"
	"wholesale/internal/clock"
	"wholesale/internal/orders"
	"wholesale/internal/users"
)

// loadOrders enters a few orders of the demo customer: one awaiting its
// confirmation with a back-ordered line, one confirmed and released, and a
// draft. Their mails link the portal at baseURL.
func loadOrders(ctx context.Context, db *bun.DB, now time.Time, baseURL string, d *Data) error {
	am := d.Users[users.RoleAccountManager]
	ctx = audit.WithActor(ctx, audit.Actor{UserID: am.ID, Label: am.Email})
	svc := &orders.Service{DB: db, Clock: fixed(now), BaseURL: baseURL}
	in := func(po string, lines ...orders.LineInput) orders.Input {
		return orders.Input{CompanyID: d.Company.ID, POReference: po, Lines: lines, Shipping: "14,95", ShippingMethod: "UPS"}
	}
	if _, err := svc.CreateAndPlace(ctx, am, in("BJ-2026-118", orders.LineInput{SKU: "KR-EA8108", Quantity: 2}, orders.LineInput{SKU: "TF-FR4016", Quantity: 4})); err != nil {
		return err
	}
	o, err := svc.CreateAndPlace(ctx, am, in("BJ-2026-119", orders.LineInput{SKU: "KR-F3090", Quantity: 6}, orders.LineInput{SKU: "KR-XS5300", Quantity: 24}))
	if err != nil {
		return err
	}
	if _, err := svc.ConfirmWritten(ctx, am, o.ID, orders.WrittenConfirmation{Note: "mail of Joris Jansen", ReceivedOn: now.In(clock.Amsterdam).Format(time.DateOnly)}); err != nil {
		return err
	}
	_, err = svc.Create(ctx, am, in("BJ-2026-120", orders.LineInput{SKU: "MX-QA1", Quantity: 1}))
	return err
}
