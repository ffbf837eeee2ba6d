package scale

import (
	"context"
	"fmt"
	"time"

	"wholesale/internal/audit"
	"wholesale/internal/clock"
	"wholesale/internal/invoicing"
	"wholesale/internal/orders"
	"wholesale/internal/pdf"
	"wholesale/internal/ubl"
	"wholesale/internal/users"
	"wholesale/internal/xlsx"
)

// RevisedPO is the PO reference of the busiest customer's order that was
// amended 49 times: the order page with 50 revisions.
const RevisedPO = "SCALE-REVISIONS-50"

// showcase does through the app's own services what the load tool reads
// and the bulk load leaves out: the busiest customer's account manager
// enters an order and amends it 49 times (50 revisions), and the newest
// invoices get their stored PDF and Excel copies, as their first download
// makes them. It returns the amended order's id.
func (s *seeder) showcase(ctx context.Context) (int64, error) {
	start := s.p.now()
	w := s.w
	am, err := users.ByID(ctx, s.db, w.managers[0].id)
	if err != nil {
		return 0, err
	}
	clk := clock.NewFixed(w.now.Add(-2 * time.Hour))
	ctx = audit.WithActor(ctx, audit.Actor{UserID: am.ID, Label: am.Email})
	svc := &orders.Service{DB: s.db, Clock: clk, Calendar: invoicing.LoadCalendar}
	var skus []string
	for _, p := range w.products {
		if p.shortSince.IsZero() && p.onHand[0] >= 200 && p.maxPer == 0 && len(skus) < 3 {
			skus = append(skus, p.sku)
		}
	}
	if len(skus) == 0 {
		skus = []string{w.products[0].sku}
	}
	in := orders.Input{CompanyID: w.busiest.id, POReference: RevisedPO, Address: "visiting", ShippingMethod: "UPS", Shipping: "14,95"}
	for _, sku := range skus {
		in.Lines = append(in.Lines, orders.LineInput{SKU: sku, Quantity: 2})
	}
	o, err := svc.CreateAndPlace(ctx, am, in)
	if err != nil {
		return 0, fmt.Errorf("scale: the order with 50 revisions: %w", err)
	}
	for i := 2; i <= 50; i++ {
		clk.Advance(time.Minute)
		var a orders.AmendInput
		if i%2 == 0 {
			a.Lines = []orders.LineInput{{ID: o.Lines[0].ID, Quantity: 2 + i%4}}
		} else {
			note := fmt.Sprintf("Wijziging %d: afleveren na telefonisch contact.", i)
			a.Note = &note
		}
		if o, err = svc.Amend(ctx, am, o.ID, a); err != nil {
			return 0, fmt.Errorf("scale: revision %d: %w", i, err)
		}
	}
	s.p.done("order with 50 revisions", 50, start)
	return o.ID, s.copies(ctx)
}

// copies stores the PDF copies of the newest invoices of the busiest
// customer and of everyone (50 each at full size), as their first
// downloads do; the others are made at their first download.
func (s *seeder) copies(ctx context.Context) error {
	start := s.p.now()
	fin, err := users.ByID(ctx, s.db, s.w.finance[0].id)
	if err != nil {
		return err
	}
	inv := &invoicing.Service{DB: s.db, Clock: clock.NewFixed(s.w.now), Calendar: invoicing.LoadCalendar,
		Writers: invoicing.Writers{PDF: pdf.WriteInvoice, XLSX: xlsx.WriteInvoice, UBL: ubl.Write}}
	var want []*invoice
	each := min(max(len(s.w.orders)/20_000, 5), 50)
	busiest, all := 0, 0
	for i := len(s.w.invoices) - 1; i >= 0 && (busiest < each || all < each); i-- {
		d := s.w.invoices[i]
		if d.issued.IsZero() {
			continue
		}
		if d.company == s.w.busiest && busiest < each {
			want, busiest = append(want, d), busiest+1
		} else if all < each {
			want, all = append(want, d), all+1
		}
	}
	n := int64(0)
	for _, d := range want {
		if _, err := inv.Download(ctx, fin, d.number(), "pdf"); err != nil {
			return fmt.Errorf("scale: copy of %s: %w", d.number(), err)
		}
		n++
	}
	s.p.done("invoice copies (PDF)", n, start)
	return nil
}
