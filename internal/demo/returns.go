package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/audit"
	"wholesale/internal/calendar"
	"wholesale/internal/invoicing"
	"wholesale/internal/orders"
	"wholesale/internal/pdf"
	"wholesale/internal/returns"
	"wholesale/internal/shipping"
	"wholesale/internal/ubl"
	"wholesale/internal/users"
	"wholesale/internal/xlsx"
)

// loadReturns has the demo customer return grill plates of its invoiced
// order INK-4471, so that each step of a return shows: one settled with a
// credit note (received, tested, fault confirmed), one approved whose RA
// is valid for 14 days from now, one waiting for the account manager's
// approval, and a defect that was no DOA, referred to Tefal's service
// centre. The shipment was delivered the working day after it shipped.
// Each step runs at its own moment in the hour before now.
func loadReturns(ctx context.Context, db *bun.DB, now time.Time, baseURL string, d *Data) error {
	buyer, am, wh := d.Users[users.RoleCustomer], d.Users[users.RoleAccountManager], d.Users[users.RoleWarehouse]
	var orderID int64
	if err := db.NewSelect().Table("orders").Column("id").Where("po_reference = 'INK-4471' AND company_id = ?", d.Company.ID).Scan(ctx, &orderID); err != nil {
		return fmt.Errorf("order INK-4471: %w", err)
	}
	lines, err := returns.ShippedLines(ctx, db, d.Company.ID, orderID, returns.MaxShippedLines)
	if err != nil {
		return err
	}
	var plate *returns.ShippedLine
	for i := range lines {
		if lines[i].SKU == "TF-XA5105" {
			plate = &lines[i]
		}
	}
	if plate == nil {
		return fmt.Errorf("INK-4471 shipped no TF-XA5105")
	}
	minutesAgo := func(m int) time.Time { return now.Add(-time.Duration(m) * time.Minute) }
	if err := delivered(ctx, db, minutesAgo(60), wh, plate); err != nil {
		return err
	}
	svc := func(at time.Time) *returns.Service {
		inv := &invoicing.Service{DB: db, Clock: fixed(at), Calendar: invoicing.LoadCalendar,
			Writers: invoicing.Writers{PDF: pdf.WriteInvoice, XLSX: xlsx.WriteInvoice, UBL: ubl.Write}}
		return &returns.Service{DB: db, Clock: fixed(at), Invoicing: inv, WriteLabel: pdf.WriteReturnLabel, BaseURL: baseURL,
			Orders: &orders.Service{DB: db, Clock: fixed(at), BaseURL: baseURL, Calendar: invoicing.LoadCalendar}}
	}
	as := func(u *users.User) context.Context {
		return audit.WithActor(ctx, audit.Actor{UserID: u.ID, Label: u.Email})
	}
	request := func(at time.Time, in returns.RequestInput) (*returns.Return, error) {
		in.ShipmentID, in.OrderLineID, in.Quantity = plate.ShipmentID, plate.OrderLineID, 1
		r, err := svc(at).Request(as(buyer), buyer, in)
		if err != nil {
			return nil, fmt.Errorf("the return %q: %w", in.Fault, err)
		}
		return r, nil
	}

	// Settled: the plate arrived warped; tested, fault confirmed, credited.
	r, err := request(minutesAgo(55), returns.RequestInput{Serials: "TFX-2611-0042", Fault: "Arrived warped: it rocks in the Easy Fry basket and does not heat evenly.",
		DOA: true, Remedy: returns.RemedyCreditNote})
	if err != nil {
		return err
	}
	if r, err = svc(minutesAgo(50)).Approve(as(am), am, r.ID); err != nil {
		return fmt.Errorf("approving return %d: %w", r.ID, err)
	}
	if _, err := svc(minutesAgo(45)).Receive(as(wh), wh, returns.ReceiveInput{RA: r.RA()}); err != nil {
		return fmt.Errorf("receiving return %d: %w", r.ID, err)
	}
	if _, err := svc(minutesAgo(40)).Test(as(wh), wh, r.ID, returns.TestInput{Units: []returns.UnitTest{{UnitNo: 1,
		Result: returns.ResultFaultConfirmed, Note: "Plate warped by 3 mm; uneven heating confirmed."}}}); err != nil {
		return fmt.Errorf("testing return %d: %w", r.ID, err)
	}
	if _, err := svc(minutesAgo(35)).Settle(as(am), am, r.ID, returns.SettleInput{Note: "Credit note as Joris asked on the form."}); err != nil {
		return fmt.Errorf("settling return %d: %w", r.ID, err)
	}

	// Approved: the RA is valid for 14 days from now.
	if r, err = request(minutesAgo(30), returns.RequestInput{Serials: "TFX-2611-0057", Fault: "The coating blistered at the first use.",
		DOA: true, Remedy: returns.RemedyReplacement}); err != nil {
		return err
	}
	if _, err := svc(minutesAgo(20)).Approve(as(am), am, r.ID); err != nil {
		return fmt.Errorf("approving return %d: %w", r.ID, err)
	}

	// Waiting for the account manager.
	if _, err := request(minutesAgo(10), returns.RequestInput{Fault: "Arrived with a crack along the edge.", DOA: true,
		Remedy: returns.RemedyReplacement}); err != nil {
		return err
	}

	// Worked at first: no DOA, so Tefal's service centre repairs it.
	_, err = request(minutesAgo(5), returns.RequestInput{Fault: "Worked at first; after a few uses the non-stick coating comes loose.",
		Remedy: returns.RemedyReplacement})
	return err
}

// delivered records at now the delivery of the shipment of l by the
// carrier: the working day after it shipped, or today when that is later.
func delivered(ctx context.Context, db *bun.DB, now time.Time, wh *users.User, l *returns.ShippedLine) error {
	cal, err := calendar.Load(ctx, db)
	if err != nil {
		return err
	}
	day := l.ShippedOn.AddDate(0, 0, 1)
	for !cal.IsBusinessDay(day) {
		day = day.AddDate(0, 0, 1)
	}
	if today := cal.LocalDay(now); day.After(today) {
		day = today
	}
	svc := &shipping.Service{DB: db, Clock: fixed(now), BusinessDay: invoicing.BusinessDay}
	if _, err := svc.MarkDelivered(audit.WithActor(ctx, audit.Actor{UserID: wh.ID, Label: wh.Email}), wh, l.ShipmentID, day); err != nil {
		return fmt.Errorf("the delivery of shipment %d: %w", l.ShipmentID, err)
	}
	return nil
}
