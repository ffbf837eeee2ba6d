package scale_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/audit"
	"wholesale/internal/clock"
	"wholesale/internal/complaints"
	"wholesale/internal/invoicing"
	"wholesale/internal/money"
	"wholesale/internal/orders"
	"wholesale/internal/payments"
	"wholesale/internal/pdf"
	"wholesale/internal/scale"
	"wholesale/internal/shipping"
	"wholesale/internal/ubl"
	"wholesale/internal/users"
	"wholesale/internal/xlsx"
)

// servicesGoOn runs the app's services on the seeded data, as its people
// would the next hours: the warehouse ships a released order of the
// busiest customer, the cutoff issues the day's drafts (seeded ones too,
// numbered on from the seeded series), finance registers a payment, and
// customer service settles one complaint with a refund and another with an
// exchange. Every invariant still holds after.
func servicesGoOn(t *testing.T, db *bun.DB, res *scale.Result, logged map[string]*users.User) {
	t.Helper()
	ctx := context.Background()
	clk := clock.NewFixed(end.Add(time.Hour))
	act := func(u *users.User) context.Context {
		return audit.WithActor(ctx, audit.Actor{UserID: u.ID, Label: u.Email})
	}
	os := &orders.Service{DB: db, Clock: clk, Calendar: invoicing.LoadCalendar}
	released := query(t, db, `SELECT max(o.id) FROM orders o WHERE o.status = 'released' AND o.company_id = ? AND NOT o.ship_complete
		AND NOT EXISTS (SELECT 1 FROM order_lines l JOIN demands d ON d.id = l.demand_id WHERE l.order_id = o.id AND d.reserved < d.quantity)`, res.Busiest)
	o, err := os.Get(ctx, logged["warehouse"], released)
	if err != nil {
		t.Fatalf("released order %d: %v", released, err)
	}
	in := shipping.Input{OrderID: o.ID, Carrier: shipping.CarrierUPS, TrackingNumber: "1Z999AA10123456784"}
	for _, l := range o.Lines {
		if !l.Cancelled {
			in.Lines = append(in.Lines, shipping.LineInput{OrderLineID: l.ID, Quantity: l.Quantity - l.Shipped})
		}
	}
	sh := &shipping.Service{DB: db, Clock: clk, BusinessDay: invoicing.BusinessDay}
	if _, err := sh.Ship(act(logged["warehouse"]), logged["warehouse"], in); err != nil {
		t.Fatalf("ship order %d: %v", o.ID, err)
	}

	drafts := query(t, db, `SELECT count(*) FROM invoices WHERE state = 'draft'`)
	lastBefore := query(t, db, `SELECT last_number FROM invoice_series WHERE kind = 'invoice' AND year = 2026`)
	cutoff := time.Date(2026, 11, 24, 17, 5, 0, 0, clock.Amsterdam)
	inv := &invoicing.Service{DB: db, Clock: clock.NewFixed(cutoff), Calendar: invoicing.LoadCalendar,
		Writers: invoicing.Writers{PDF: pdf.WriteInvoice, XLSX: xlsx.WriteInvoice, UBL: ubl.Write}}
	issued, err := inv.Run(ctx, nil, 0)
	if err != nil || int64(len(issued)) != drafts || issued[0] != invoicing.FormatNumber(invoicing.KindInvoice, 2026, int(lastBefore)+1) {
		t.Fatalf("the cutoff run issued %v of %d drafts after %d: %v", issued, drafts, lastBefore, err)
	}

	var due struct {
		Number string `bun:"number"`
		Open   int64  `bun:"open"`
	}
	if err := db.NewRaw(`SELECT number, total_incl_cents - paid_cents AS open FROM invoices WHERE company_id = ? AND kind = 'invoice'
		AND state = 'issued' AND paid_cents < total_incl_cents ORDER BY id LIMIT 1`, res.Busiest).Scan(ctx, &due); err != nil {
		t.Fatal(err)
	}
	pays := &payments.Service{DB: db, Clock: clock.NewFixed(cutoff)}
	if _, err := pays.Register(act(logged["finance"]), logged["finance"], payments.RegisterInput{CompanyID: res.Busiest,
		Amount: money.Input(money.Cents(due.Open + 1000)), ReceivedOn: "2026-11-24", Reference: due.Number}); err != nil {
		t.Fatalf("payment of %s: %v", due.Number, err)
	}

	cs := &complaints.Service{DB: db, Clock: clock.NewFixed(cutoff), Invoicing: inv, Orders: &orders.Service{DB: db, Clock: clock.NewFixed(cutoff)}}
	service := logged["customer_service"]
	var refund struct {
		Order  int64  `bun:"order_id"`
		Number string `bun:"number"`
	}
	if err := db.NewRaw(`SELECT il.order_id, i.number FROM invoice_lines il JOIN invoices i ON i.id = il.invoice_id
		WHERE i.company_id = ? AND i.kind = 'invoice' AND i.state = 'issued' AND il.line_no = 1 AND il.order_line_id IS NOT NULL
		ORDER BY i.id DESC LIMIT 1`, res.Busiest).Scan(ctx, &refund); err != nil {
		t.Fatal(err)
	}
	for _, outcome := range []complaints.ResolveInput{
		{Outcome: complaints.OutcomeRefund, Explanation: "One unit arrived broken: we credit it.", Invoice: refund.Number, Quantities: map[int]int{1: 1}},
		{Outcome: complaints.OutcomeExchange, Explanation: "We send a new one.", SKU: skuOf(t, db, refund.Order), Quantity: 1},
	} {
		c, err := cs.File(act(service), service, complaints.FileInput{CompanyID: res.Busiest, Order: strconv.FormatInt(refund.Order, 10),
			Channel: complaints.ChannelPhone, ContactName: "Inkoop", ContactEmail: "inkoop@scale.test", Description: "Not what we ordered."})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cs.Acknowledge(act(service), service, c.ID, complaints.LetterInput{Date: "2026-11-30", Text: "We look into it."}); err != nil {
			t.Fatal(err)
		}
		if _, err := cs.Resolve(act(service), service, c.ID, outcome); err != nil {
			t.Fatalf("resolve with %s: %v", outcome.Outcome, err)
		}
	}

	failed, err := scale.Check(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range failed {
		t.Errorf("broken after the services: %s", f)
	}
}

func skuOf(t *testing.T, db *bun.DB, orderID int64) string {
	t.Helper()
	var sku string
	if err := db.NewRaw(`SELECT p.sku FROM order_lines l JOIN products p ON p.id = l.product_id WHERE l.order_id = ? ORDER BY l.line_no LIMIT 1`,
		orderID).Scan(context.Background(), &sku); err != nil {
		t.Fatal(err)
	}
	return sku
}
