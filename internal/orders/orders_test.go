package orders_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/catalog"
	"wholesale/internal/clock"
	"wholesale/internal/customers"
	"wholesale/internal/orders"
	"wholesale/internal/pgtest"
	"wholesale/internal/postgres"
	"wholesale/internal/stock"
	"wholesale/internal/users"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

type env struct {
	t          *testing.T
	db         *bun.DB
	clk        *clock.Fixed
	svc        *orders.Service
	am, sales  *users.User
	buyer      *users.User
	company    *customers.Company
	prepay     *customers.Company
	otherBuyer *users.User
}

func newEnv(t *testing.T, limitCents int64) *env {
	db := pgtest.New(t)
	ctx := context.Background()
	clk := clock.NewFixed(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	us := users.NewService(db, clk, users.FastHasher)
	e := &env{t: t, db: db, clk: clk, svc: &orders.Service{DB: db, Clock: clk, BaseURL: "http://w.test"}}
	mk := func(email string, role users.Role, company int64) *users.User {
		u, err := us.Create(ctx, users.NewUser{Email: email, Name: email, Role: role, CompanyID: company, Password: "long enough pw"})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	e.am, e.sales = mk("am@w.test", users.RoleAccountManager, 0), mk("sales@w.test", users.RoleSales, 0)
	addr := customers.Address{Street: "Kade 1", Postcode: "1000 AA", City: "Amsterdam", Country: "NL"}
	postgres.Run(ctx, db, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		e.company = &customers.Company{Name: "Jansen", Visiting: addr, Invoice: addr, ContactName: "Joris", ContactEmail: "joris@jansen.test",
			PaymentTerms: customers.TermsCredit, CreditLimitCents: limitCents, AccountManagerID: &e.am.ID}
		if err := customers.Insert(ctx, tx, clk.Now(), e.company); err != nil {
			return err
		}
		e.prepay = &customers.Company{Name: "Prepay BV", Visiting: addr, Invoice: addr, ContactEmail: "p@prepay.test", PaymentTerms: customers.TermsPrepayment, AccountManagerID: &e.am.ID}
		return customers.Insert(ctx, tx, clk.Now(), e.prepay)
	})
	e.buyer = mk("buyer@jansen.test", users.RoleCustomer, e.company.ID)
	e.otherBuyer = mk("buyer@prepay.test", users.RoleCustomer, e.prepay.ID)
	cat := &catalog.Service{DB: db, Clock: clk}
	for _, p := range []catalog.ProductInput{
		{SKU: "A", Name: "Kettle", UnitPrice: "100,00"},
		{SKU: "B", Name: "Mixer", UnitPrice: "10,00", VATRate: "9"},
		{SKU: "C", Name: "Limited", UnitPrice: "1,00", MaxPerOrder: "3"},
	} {
		if _, err := cat.Save(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	st := &stock.Service{DB: db, Clock: clk}
	if rep, err := st.ImportStock(ctx, []byte("sku,warehouse,on_hand\nA,MAIN,10\nB,MAIN,100\nC,MAIN,100\n")); err != nil || len(rep.Errors) > 0 {
		t.Fatal(err, rep.Errors)
	}
	return e
}

func (e *env) input(po string, lines ...orders.LineInput) orders.Input {
	return orders.Input{CompanyID: e.company.ID, POReference: po, Lines: lines, Shipping: "12,50"}
}

func line(sku string, q int) orders.LineInput { return orders.LineInput{SKU: sku, Quantity: q} }

func (e *env) placed(in orders.Input) *orders.Order {
	e.t.Helper()
	o, err := e.svc.CreateAndPlace(context.Background(), e.am, in)
	if err != nil {
		e.t.Fatalf("place: %v", err)
	}
	return o
}

// errOf is the error of a use case's answer.
func errOf(_ *orders.Order, err error) error { return err }

func ptr[T any](v T) *T { return &v }

func kind(t *testing.T, err error, k apperr.Kind) {
	t.Helper()
	if apperr.KindOf(err) != k || err == nil {
		t.Fatalf("got %v (%v), want %v", apperr.KindOf(err), err, k)
	}
}

func TestTotalsAndVATRounding(t *testing.T) {
	lines := []orders.Line{{Quantity: 3, UnitPriceCents: 333, VATRate: 21}, {Quantity: 1, UnitPriceCents: 1, VATRate: 21}, {Quantity: 7, UnitPriceCents: 15, VATRate: 9}, {Quantity: 1, UnitPriceCents: 999, VATRate: 21, Cancelled: true}}
	tot := orders.ComputeTotals(lines, 1250, orders.VATDomestic)
	// 21 %: 999 + 1 + 1250 = 2250 → 472.5 → 473; 9 %: 105 → 9.45 → 9.
	if tot.ExclCents != 2355 || tot.VATCents != 482 || tot.InclCents != 2837 || tot.PerRate[21] != [2]int64{2250, 473} || tot.PerRate[9] != [2]int64{105, 9} {
		t.Fatalf("%+v", tot)
	}
	if rc := orders.ComputeTotals(lines, 1250, orders.VATReverseCharge); rc.VATCents != 0 || rc.InclCents != 2355 {
		t.Fatalf("reverse charge: %+v", rc)
	}
	if ref := orders.PaymentReference(1234); len(ref) != 13 || !strings.HasPrefix(ref, "WS000001234") {
		t.Fatalf("payment reference %q", ref)
	}
}

func TestStatusTransitions(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 1_000_000)
	ctx := context.Background()
	o, err := e.svc.Create(ctx, e.am, e.input("PO-1", line("A", 2), line("B", 5)))
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != orders.StatusDraft || o.TotalInclCents != 2*12100+5450+1513 {
		t.Fatalf("draft: %s %d", o.Status, o.TotalInclCents)
	}
	// Forbidden transitions from draft.
	kind(t, errOf(e.svc.ConfirmWritten(ctx, e.am, o.ID, orders.WrittenConfirmation{Note: "mail", ReceivedOn: "2026-11-24"})), apperr.Conflict)
	kind(t, errOf(e.svc.ApproveCredit(ctx, e.sales, o.ID, "ok", 0)), apperr.Conflict)
	o, err = e.svc.Place(ctx, e.am, o.ID)
	if err != nil || o.Status != orders.StatusAwaitingConfirmation {
		t.Fatalf("placed: %v %s", err, o.Status)
	}
	_, err = e.svc.Place(ctx, e.am, o.ID)
	kind(t, err, apperr.Conflict)
	if _, err := e.svc.ConfirmInPortal(ctx, e.buyer, o.ID, 0); err != nil {
		t.Fatal(err)
	}
	got, _ := orders.Get(ctx, e.db, o.ID)
	if got.Status != orders.StatusReleased || *got.ConfirmationKind != "portal" {
		t.Fatalf("confirmed: %s", got.Status)
	}
	kind(t, errOf(e.svc.ConfirmInPortal(ctx, e.buyer, o.ID, 0)), apperr.Conflict)
	// Cancel releases the stock.
	kind(t, errOf(e.svc.Cancel(ctx, e.am, o.ID, "")), apperr.Invalid)
	if _, err := e.svc.Cancel(ctx, e.am, o.ID, "customer changed its mind"); err != nil {
		t.Fatal(err)
	}
	got, _ = orders.Get(ctx, e.db, o.ID)
	if got.Status != orders.StatusCancelled {
		t.Fatal(got.Status)
	}
	rows, _ := stock.StockOf(ctx, e.db, nil)
	for _, r := range rows {
		if r.Reserved != 0 {
			t.Fatalf("still reserved after cancel: %+v", r)
		}
	}
	kind(t, errOf(e.svc.Cancel(ctx, e.am, o.ID, "again")), apperr.Conflict)
	_, err = e.svc.Amend(ctx, e.am, o.ID, orders.AmendInput{Lines: []orders.LineInput{line("A", 1)}})
	kind(t, err, apperr.Conflict)
}

func TestValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 1_000_000)
	ctx := context.Background()
	_, err := e.svc.Create(ctx, e.am, e.input("", line("NOPE", 1), line("C", 4), line("A", -1)))
	ae, _ := apperr.As(err)
	if ae == nil || ae.Fields["po_reference"].IsZero() || ae.Fields["line_2"].IsZero() {
		t.Fatalf("%v", err)
	}
	_, err = e.svc.Create(ctx, e.am, e.input("PO-X", line("NOPE", 1), line("C", 4)))
	ae, _ = apperr.As(err)
	if ae == nil || !strings.Contains(ae.Fields["line_0"].String(), "No product") || !strings.Contains(ae.Fields["line_1"].String(), "At most 3") {
		t.Fatalf("%v", err)
	}
	if _, err := e.svc.Create(ctx, e.am, e.input("PO-D", line("C", 1))); err != nil {
		t.Fatal(err) // no minimum quantity
	}
	_, err = e.svc.Create(ctx, e.am, e.input("PO-D", line("A", 1)))
	if ae, _ := apperr.As(err); ae == nil || ae.Fields["po_reference"].IsZero() {
		t.Fatalf("duplicate PO reference: %v", err)
	}
	// Only the customer's account manager (or an admin) enters orders for it.
	_, err = e.svc.Create(ctx, e.sales, e.input("PO-S", line("A", 1)))
	kind(t, err, apperr.Forbidden)
}

func TestCreditHoldApproveReject(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 50_000) // € 500
	ctx := context.Background()
	first := e.placed(e.input("PO-1", line("A", 3))) // 363 + 15.13
	if first.CreditHold != orders.HoldNone {
		t.Fatalf("under the limit: %s", first.CreditHold)
	}
	second := e.placed(e.input("PO-2", line("A", 1)))
	if second.Status != orders.StatusAwaitingCredit || !strings.Contains(second.CreditReason, "passes the credit limit") {
		t.Fatalf("over the limit: %s %q", second.Status, second.CreditReason)
	}
	held, _ := orders.Held(ctx, e.db)
	if len(held) != 1 || held[0].ID != second.ID {
		t.Fatalf("held queue: %+v", held)
	}
	kind(t, errOf(e.svc.ApproveCredit(ctx, e.am, second.ID, "ok", 0)), apperr.Forbidden)
	kind(t, errOf(e.svc.ApproveCredit(ctx, e.sales, second.ID, "", 0)), apperr.Invalid)
	if _, err := e.svc.ApproveCredit(ctx, e.sales, second.ID, "paid last week, limit raise pending", 0); err != nil {
		t.Fatal(err)
	}
	if g, _ := orders.Get(ctx, e.db, second.ID); g.Status != orders.StatusAwaitingConfirmation {
		t.Fatalf("approved: %s", g.Status)
	}
	third := e.placed(e.input("PO-3", line("B", 1)))
	if _, err := e.svc.RejectCredit(ctx, e.sales, third.ID, "too much open", 0); err != nil {
		t.Fatal(err)
	}
	g, _ := orders.Get(ctx, e.db, third.ID)
	if g.Status != orders.StatusCancelled || g.CreditHold != orders.HoldRejected || g.Lines[0].Reserved == nil || *g.Lines[0].Reserved != 0 {
		t.Fatalf("rejected: %+v", g)
	}
}

// Fifty orders for one customer placed at the same instant never pass the
// limit together without a hold.
func TestFiftyOrdersAtOnceNeverPassTheLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 100_000) // € 1.000; each order is € 121 + € 15.13 shipping
	ctx := context.Background()
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make(chan error, 50)
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			_, err := e.svc.CreateAndPlace(ctx, e.am, e.input(fmt.Sprintf("PO-%02d", i), line("B", 10)))
			errs <- err
		}(i)
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var unheld, held int64
	var unheldCount, heldCount int
	e.db.QueryRowContext(ctx, "SELECT COALESCE(sum(total_incl_cents), 0), count(*) FROM orders WHERE credit_hold = 'none' AND state = 'placed'").Scan(&unheld, &unheldCount)
	e.db.QueryRowContext(ctx, "SELECT COALESCE(sum(total_incl_cents), 0), count(*) FROM orders WHERE credit_hold = 'held'").Scan(&held, &heldCount)
	if unheld > 100_000 {
		t.Fatalf("orders not held add up to %d cents, over the limit of 100000", unheld)
	}
	if unheldCount+heldCount != 50 || heldCount == 0 {
		t.Fatalf("%d not held, %d held", unheldCount, heldCount)
	}
	// Exactly as many go through as fit under the limit, none more, none fewer.
	var each int64
	e.db.QueryRowContext(ctx, "SELECT total_incl_cents FROM orders LIMIT 1").Scan(&each)
	if want := int(100_000 / each); unheldCount != want {
		t.Fatalf("%d orders went through, %d fit (each %d cents)", unheldCount, want, each)
	}
}

func TestPrepaymentOrderAwaitsPayment(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 0)
	in := e.input("PP-1", line("A", 1))
	in.CompanyID = e.prepay.ID
	o := e.placed(in)
	if o.Status != orders.StatusAwaitingPayment || o.PaymentReference == nil || o.CreditHold != orders.HoldNone {
		t.Fatalf("prepayment: %+v", o)
	}
	var body string
	e.db.QueryRowContext(context.Background(), "SELECT body FROM outbox WHERE to_address = 'p@prepay.test'").Scan(&body)
	if !strings.Contains(body, *o.PaymentReference) || !strings.Contains(body, "€\u00a0136,13") {
		t.Fatalf("mail: %s", body)
	}
}

func TestAmendmentRevisionsReservationsAndReconfirmation(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 1_000_000)
	ctx := context.Background()
	o := e.placed(e.input("PO-1", line("A", 4), line("B", 2)))
	_, err := e.svc.ConfirmWritten(ctx, e.am, o.ID, orders.WrittenConfirmation{Note: "", ReceivedOn: "2026-11-25"})
	if ae, _ := apperr.As(err); ae == nil || ae.Fields["note"].IsZero() || !strings.Contains(ae.Fields["received_on"].String(), "future") {
		t.Fatalf("bad written confirmation: %v", err)
	}
	if _, err := e.svc.ConfirmWritten(ctx, e.am, o.ID, orders.WrittenConfirmation{Note: "mail of Joris", ReceivedOn: "2026-11-24"}); err != nil {
		t.Fatal(err)
	}
	if g, _ := orders.Get(ctx, e.db, o.ID); g.ConfirmationDate == nil || g.ConfirmationDate.Format("2006-01-02") != "2026-11-24" || *g.ConfirmationKind != "written" {
		t.Fatalf("written confirmation not recorded: %+v", g)
	}
	// Lowering the total keeps the confirmation.
	a := o.Lines[0]
	o2, err := e.svc.Amend(ctx, e.am, o.ID, orders.AmendInput{Lines: []orders.LineInput{{ID: a.ID, Quantity: 3}, {ID: o.Lines[1].ID, Quantity: 2}}, Shipping: ptr("12,50")})
	if err != nil {
		t.Fatal(err)
	}
	if o2.Revision != 2 || o2.Status != orders.StatusReleased || *o2.Lines[0].Reserved != 3 {
		t.Fatalf("lowered: rev %d %s", o2.Revision, o2.Status)
	}
	// Raising it asks for a new confirmation; a new line of 9 A waits partly (only 7 left in stock).
	o3, err := e.svc.Amend(ctx, e.am, o.ID, orders.AmendInput{Lines: []orders.LineInput{{ID: a.ID, Quantity: 3}, {ID: o.Lines[1].ID, Quantity: 0}, line("A", 9)}, Shipping: ptr("20")})
	if err != nil {
		t.Fatal(err)
	}
	if o3.Status != orders.StatusAwaitingConfirmation || o3.Revision != 3 {
		t.Fatalf("raised: %s rev %d", o3.Status, o3.Revision)
	}
	var newLine orders.Line
	for _, l := range o3.Lines {
		if l.LineNo == 3 {
			newLine = l
		}
		if l.LineNo == 2 && !l.Cancelled {
			t.Fatal("removed line still live")
		}
	}
	if newLine.Reserved == nil || *newLine.Reserved != 7 || newLine.BackOrdered() != 2 {
		t.Fatalf("new line: %+v", newLine)
	}
	revs, _ := orders.Revisions(ctx, e.db, o.ID)
	if len(revs) != 3 || !strings.Contains(revs[0].Summary, "line 3 (A) added: 9") || !strings.Contains(revs[0].Summary, "confirm again") || revs[0].ChangedBy != "am@w.test" {
		t.Fatalf("revisions: %+v", revs)
	}
	// A back-ordered line can be cancelled on its own.
	if _, err := e.svc.CancelLine(ctx, e.am, o.ID, newLine.ID, "customer does not want to wait"); err != nil {
		t.Fatal(err)
	}
	g, _ := orders.Get(ctx, e.db, o.ID)
	if g.Revision != 4 || g.TotalInclCents >= o3.TotalInclCents {
		t.Fatalf("after line cancel: rev %d total %d", g.Revision, g.TotalInclCents)
	}
	_, err = e.svc.Amend(ctx, e.am, o.ID, orders.AmendInput{Lines: []orders.LineInput{{ID: a.ID, Quantity: 3}}, Shipping: ptr("20")})
	kind(t, err, apperr.Conflict) // nothing changed
}

func TestCustomerCannotSeeOrActOnOtherCompanysOrders(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 1_000_000)
	ctx := context.Background()
	o := e.placed(e.input("PO-1", line("A", 1)))
	kind(t, errOf(e.svc.ConfirmInPortal(ctx, e.otherBuyer, o.ID, 0)), apperr.NotFound)
	kind(t, errOf(e.svc.Cancel(ctx, e.buyer, o.ID, "x")), apperr.Forbidden)
	list, _, _ := orders.List(ctx, e.db, orders.Filter{OnlyCompanyID: e.prepay.ID})
	if len(list) != 0 {
		t.Fatal("other company's list shows the order")
	}
}

func TestKeysetPagination(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 100_000_000)
	ctx := context.Background()
	for i := 0; i < 7; i++ {
		if _, err := e.svc.Create(ctx, e.am, e.input(fmt.Sprintf("PO-%d", i), line("B", 1))); err != nil {
			t.Fatal(err)
		}
	}
	var seen []int64
	var before int64
	for page := 0; page < 5; page++ {
		list, next, err := orders.List(ctx, e.db, orders.Filter{ManagerID: e.am.ID, BeforeID: before, Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range list {
			seen = append(seen, o.ID)
		}
		if next == 0 {
			break
		}
		before = next
	}
	if len(seen) != 7 || seen[0] != 7 || seen[6] != 1 {
		t.Fatalf("pages: %v", seen)
	}
	list, _, _ := orders.List(ctx, e.db, orders.Filter{PO: "po-3"})
	if len(list) != 1 {
		t.Fatalf("PO filter: %d", len(list))
	}
}
