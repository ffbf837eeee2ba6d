package payments_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/catalog"
	"wholesale/internal/clock"
	"wholesale/internal/customers"
	"wholesale/internal/mail"
	"wholesale/internal/orders"
	"wholesale/internal/payments"
	"wholesale/internal/pgtest"
	"wholesale/internal/postgres"
	"wholesale/internal/stock"
	"wholesale/internal/users"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

type env struct {
	t            *testing.T
	db           *bun.DB
	clk          *clock.Fixed
	svc          *payments.Service
	fin, am      *users.User
	a, b         *customers.Company
	buyerA, buyB *users.User
	seq          int
}

// newEnv makes two credit customers of one account manager, A and B, each
// with a customer user; the clock stands on 24 November 2026.
func newEnv(t *testing.T) *env {
	t.Helper()
	db := pgtest.New(t)
	clk := clock.NewFixed(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	e := &env{t: t, db: db, clk: clk, svc: &payments.Service{DB: db, Clock: clk}}
	us := users.NewService(db, clk, users.FastHasher)
	mk := func(email string, role users.Role, company int64) *users.User {
		u, err := us.Create(context.Background(), users.NewUser{Email: email, Name: email, Role: role, CompanyID: company, Password: "long enough pw"})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	e.fin, e.am = mk("fin@w.test", users.RoleFinance, 0), mk("am@w.test", users.RoleAccountManager, 0)
	e.a, e.b = e.company("Jansen BV", customers.TermsCredit), e.company("De Vries BV", customers.TermsCredit)
	e.buyerA, e.buyB = mk("buyer@jansen.test", users.RoleCustomer, e.a.ID), mk("buyer@devries.test", users.RoleCustomer, e.b.ID)
	return e
}

func (e *env) company(name, terms string) *customers.Company {
	e.t.Helper()
	addr := customers.Address{Street: "Kade 1", Postcode: "1000 AA", City: "Stad", Country: "NL"}
	c := &customers.Company{Name: name, Visiting: addr, Invoice: addr, ContactName: "Joris", ContactEmail: strings.ToLower(strings.Fields(name)[0]) + "@c.test",
		KvK: "87654321", PaymentTerms: terms, PaymentTermDays: 30, CreditLimitCents: 1_000_000, AccountManagerID: &e.am.ID, IBAN: "NL91ABNA0417164300"}
	if err := postgres.Run(context.Background(), e.db, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		return customers.Insert(ctx, tx, e.clk.Now(), c)
	}); err != nil {
		e.t.Fatal(err)
	}
	return c
}

func (e *env) exec(q string, args ...any) {
	e.t.Helper()
	if _, err := e.db.ExecContext(context.Background(), q, args...); err != nil {
		e.t.Fatal(err)
	}
}

// invoice issues an invoice of c of total cents, due on day d of November
// 2026, and returns its number.
func (e *env) invoice(c *customers.Company, total int64, d int) string {
	e.t.Helper()
	return e.document(c, "invoice", total, d, nil)
}

// creditNote issues a credit note of c (total negative) against number.
func (e *env) creditNote(c *customers.Company, total int64, number string) string {
	e.t.Helper()
	var id int64
	if err := e.db.NewRaw(`SELECT id FROM invoices WHERE number = ?`, number).Scan(context.Background(), &id); err != nil {
		e.t.Fatal(err)
	}
	return e.document(c, "credit_note", total, 24, &id)
}

func (e *env) document(c *customers.Company, kind string, total int64, d int, credits *int64) string {
	e.seq++
	number := fmt.Sprintf("2026-%06d", e.seq)
	if kind == "credit_note" {
		number = "C" + number
	}
	due := time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC)
	e.exec(`INSERT INTO invoices (kind, company_id, state, business_day, number, year, seq, issue_date, supply_date, due_date, language,
		vat_mode, seller, buyer, payment_reference, credits_invoice_id, total_excl_cents, total_incl_cents, per_rate, issued_at, created_at, updated_at)
		VALUES (?0, ?1, 'issued', ?2, ?3, 2026, ?4, ?2, ?2, ?2, 'nl', 'domestic', '{}', '{}', ?3, ?5, ?6, ?6, '[]', now(), now(), now())`,
		kind, c.ID, due, number, e.seq, credits, total)
	return number
}

func (e *env) paid(number string) int64 {
	e.t.Helper()
	var cents int64
	if err := e.db.NewRaw(`SELECT paid_cents FROM invoices WHERE number = ?`, number).Scan(context.Background(), &cents); err != nil {
		e.t.Fatal(err)
	}
	return cents
}

func (e *env) register(in payments.RegisterInput) *payments.Payment {
	e.t.Helper()
	p, err := e.svc.Register(context.Background(), e.fin, in)
	if err != nil {
		e.t.Fatal(err)
	}
	return p
}

func reasons(t *testing.T, db bun.IDB, fin *users.User, id int64) string {
	t.Helper()
	p, err := payments.Get(context.Background(), db, fin, id)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range p.Allocations {
		out = append(out, fmt.Sprintf("%s:%d:%s", a.InvoiceNumber, a.AmountCents, a.Reason))
	}
	return strings.Join(out, " ")
}

// A payment goes to the oldest due invoice first, then the next; what
// remains of the last one stays open.
func TestAPaymentPaysTheOldestInvoicesFirst(t *testing.T) {
	e := newEnv(t)
	n3 := e.invoice(e.a, 30_000, 30)
	n1 := e.invoice(e.a, 10_000, 10)
	n2 := e.invoice(e.a, 20_000, 20)
	e.invoice(e.b, 5_000, 1) // another customer's, older
	p := e.register(payments.RegisterInput{CompanyID: e.a.ID, Amount: "250,00", ReceivedOn: "2026-11-24"})
	if got, want := reasons(t, e.db, e.fin, p.ID), n1+":10000:oldest_first "+n2+":15000:oldest_first"; got != want {
		t.Fatalf("allocated %q, want %q", got, want)
	}
	if e.paid(n1) != 10_000 || e.paid(n2) != 15_000 || e.paid(n3) != 0 || p.UnallocatedCents != 0 {
		t.Fatalf("paid %d %d %d, unallocated %d", e.paid(n1), e.paid(n2), e.paid(n3), p.UnallocatedCents)
	}
	// A reference naming an invoice pays that one first; chosen ones next.
	p2 := e.register(payments.RegisterInput{CompanyID: e.a.ID, Amount: "100", ReceivedOn: "24-11-2026", Reference: n3})
	if got := reasons(t, e.db, e.fin, p2.ID); got != n3+":10000:payment_reference" {
		t.Fatalf("a payment with reference %s went to %q", n3, got)
	}
	n4, n5 := e.invoice(e.a, 1_000, 28), e.invoice(e.a, 1_000, 29)
	p3 := e.register(payments.RegisterInput{CompanyID: e.a.ID, Amount: "10", ReceivedOn: "2026-11-24", Invoices: []string{n5}})
	if got := reasons(t, e.db, e.fin, p3.ID); got != n5+":1000:chosen" || e.paid(n4) != 0 {
		t.Fatalf("a payment for %s went to %q", n5, got)
	}
}

// An over-payment stays as the customer's balance; an under-payment
// leaves the invoice partly paid.
func TestPartialAndOverPayments(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	n1 := e.invoice(e.a, 10_000, 10)
	p := e.register(payments.RegisterInput{CompanyID: e.a.ID, Amount: "40", ReceivedOn: "2026-11-24"})
	if e.paid(n1) != 4_000 || p.UnallocatedCents != 0 {
		t.Fatalf("a part payment: paid %d, left %d", e.paid(n1), p.UnallocatedCents)
	}
	p = e.register(payments.RegisterInput{CompanyID: e.a.ID, Amount: "100", ReceivedOn: "2026-11-24"})
	if e.paid(n1) != 10_000 || p.UnallocatedCents != 4_000 {
		t.Fatalf("an over-payment: paid %d, left %d", e.paid(n1), p.UnallocatedCents)
	}
	if bal, _ := payments.Balance(ctx, e.db, e.a.ID); bal != 4_000 {
		t.Fatalf("balance %d, want 4000", bal)
	}
	// The balance pays the next invoice when finance allocates it.
	n2 := e.invoice(e.a, 3_000, 30)
	if err := e.svc.Allocate(ctx, e.fin, p.ID, payments.AllocateInput{Invoice: n2}); err != nil {
		t.Fatal(err)
	}
	if bal, _ := payments.Balance(ctx, e.db, e.a.ID); bal != 1_000 || e.paid(n2) != 3_000 {
		t.Fatalf("after allocating the balance: balance %d, %s paid %d", bal, n2, e.paid(n2))
	}
	if err := e.svc.Allocate(ctx, e.fin, p.ID, payments.AllocateInput{Invoice: n2}); apperr.KindOf(err) != apperr.Invalid {
		t.Fatalf("allocating to a paid invoice: %v", err)
	}
	nb := e.invoice(e.b, 1_000, 30)
	if err := e.svc.Allocate(ctx, e.fin, p.ID, payments.AllocateInput{Invoice: nb}); apperr.KindOf(err) != apperr.Invalid {
		t.Fatalf("allocating to another customer's invoice: %v", err)
	}
}

// A credit note is set off against an open invoice, once.
func TestSettingOffACreditNote(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	n1 := e.invoice(e.a, 10_000, 10)
	n2 := e.invoice(e.a, 2_000, 20)
	cn := e.creditNote(e.a, -3_000, n1)
	if err := e.svc.SetOff(ctx, e.fin, cn, payments.SetOffInput{Invoice: n2}); err != nil {
		t.Fatal(err)
	}
	if e.paid(n2) != 2_000 || e.paid(cn) != -2_000 {
		t.Fatalf("after setting off 20: invoice paid %d, credit note used %d", e.paid(n2), e.paid(cn))
	}
	if err := e.svc.SetOff(ctx, e.fin, cn, payments.SetOffInput{Invoice: n1, Amount: "20"}); apperr.KindOf(err) != apperr.Invalid {
		t.Fatalf("setting off more than is left: %v", err)
	}
	if err := e.svc.SetOff(ctx, e.fin, cn, payments.SetOffInput{Invoice: n1}); err != nil {
		t.Fatal(err)
	}
	if e.paid(n1) != 1_000 || e.paid(cn) != -3_000 {
		t.Fatalf("after the rest: invoice paid %d, credit note used %d", e.paid(n1), e.paid(cn))
	}
	if err := e.svc.SetOff(ctx, e.fin, cn, payments.SetOffInput{Invoice: n1}); apperr.KindOf(err) != apperr.Conflict {
		t.Fatalf("setting off a used credit note: %v", err)
	}
	// The credit position counts the invoice less the set-off, the credit note no more.
	var open int64
	e.db.NewRaw(`SELECT sum(total_incl_cents - paid_cents) FROM invoices WHERE company_id = ?`, e.a.ID).Scan(ctx, &open)
	if open != 9_000 {
		t.Fatalf("receivables %d, want 9000", open)
	}
}

// Undoing an allocation opens the invoice again and puts the money back
// on the payment, with the reason in the audit trail.
func TestUndoingAnAllocation(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	n1 := e.invoice(e.a, 10_000, 10)
	p := e.register(payments.RegisterInput{CompanyID: e.a.ID, Amount: "60", ReceivedOn: "2026-11-24"})
	got, _ := payments.Get(ctx, e.db, e.fin, p.ID)
	id := got.Allocations[0].ID
	if err := e.svc.Undo(ctx, e.fin, id, " "); apperr.KindOf(err) != apperr.Invalid {
		t.Fatalf("undo without a reason: %v", err)
	}
	if err := e.svc.Undo(ctx, e.am, id, "wrong customer"); apperr.KindOf(err) != apperr.Forbidden {
		t.Fatalf("an account manager undid: %v", err)
	}
	if err := e.svc.Undo(ctx, e.fin, id, "Paid by the sister company"); err != nil {
		t.Fatal(err)
	}
	got, _ = payments.Get(ctx, e.db, e.fin, p.ID)
	if e.paid(n1) != 0 || got.UnallocatedCents != 6_000 || got.Allocations[0].Active() || *got.Allocations[0].UndoReason != "Paid by the sister company" {
		t.Fatalf("after undo: paid %d, unallocated %d, %+v", e.paid(n1), got.UnallocatedCents, got.Allocations[0])
	}
	if err := e.svc.Undo(ctx, e.fin, id, "again"); apperr.KindOf(err) != apperr.Conflict {
		t.Fatalf("undo twice: %v", err)
	}
	var audited int
	e.db.NewRaw(`SELECT count(*) FROM audit_log WHERE entity = 'allocation' AND action = 'undo' AND entity_id = ?`, fmt.Sprint(id)).Scan(ctx, &audited)
	if audited != 1 {
		t.Fatalf("%d audit entries of the undo", audited)
	}
}

// A prepayment order is released the moment its payments cover it, and
// its account manager is told; undone before shipping, it waits again.
func TestThePrepaymentGate(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	pre := e.company("Vooruit BV", customers.TermsPrepayment)
	cat := &catalog.Service{DB: e.db, Clock: e.clk}
	if _, err := cat.Save(ctx, catalog.ProductInput{SKU: "A", Name: "Kettle", UnitPrice: "100,00"}); err != nil {
		t.Fatal(err)
	}
	if rep, err := (&stock.Service{DB: e.db, Clock: e.clk}).ImportStock(ctx, []byte("sku,warehouse,on_hand\nA,MAIN,10\n")); err != nil || len(rep.Errors) > 0 {
		t.Fatal(err, rep.Errors)
	}
	os := &orders.Service{DB: e.db, Clock: e.clk, BaseURL: "http://w.test"}
	o, err := os.CreateAndPlace(ctx, e.am, orders.Input{CompanyID: pre.ID, POReference: "PO-1", Lines: []orders.LineInput{{SKU: "A", Quantity: 1}}, Shipping: "0"})
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != orders.StatusAwaitingPayment {
		t.Fatalf("a new prepayment order is %s", o.Status)
	}
	ref := *o.PaymentReference
	e.register(payments.RegisterInput{CompanyID: pre.ID, Amount: "100", ReceivedOn: "2026-11-24", Reference: ref})
	if got, _ := orders.Get(ctx, e.db, o.ID); got.Status != orders.StatusAwaitingPayment || got.PaidCents != 10_000 {
		t.Fatalf("after a part: %s, paid %d of %d", got.Status, got.PaidCents, got.TotalInclCents)
	}
	p := e.register(payments.RegisterInput{CompanyID: pre.ID, Amount: "100", ReceivedOn: "2026-11-24", Reference: strings.ToLower(ref)})
	got, _ := orders.Get(ctx, e.db, o.ID)
	if got.Status != orders.StatusReleased || got.PaidCents != got.TotalInclCents || p.UnallocatedCents != 20_000-got.TotalInclCents {
		t.Fatalf("after the rest: %s, paid %d of %d, %d left on the payment", got.Status, got.PaidCents, got.TotalInclCents, p.UnallocatedCents)
	}
	msgs, _ := mail.List(ctx, e.db, 20)
	told := false
	for _, m := range msgs {
		told = told || m.To == "am@w.test" && strings.Contains(m.Body, fmt.Sprint(o.ID))
	}
	if !told {
		t.Fatal("the account manager was not told the order is paid")
	}
	pay, _ := payments.Get(ctx, e.db, e.fin, p.ID)
	if err := e.svc.Undo(ctx, e.fin, pay.Allocations[0].ID, "Bounced"); err != nil {
		t.Fatal(err)
	}
	if got, _ := orders.Get(ctx, e.db, o.ID); got.Status != orders.StatusAwaitingPayment {
		t.Fatalf("after the undo the order is %s", got.Status)
	}
}

// A customer sees its own payments only; others' are not found.
func TestACustomerSeesOnlyItsOwnPayments(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.invoice(e.a, 10_000, 10)
	pa := e.register(payments.RegisterInput{CompanyID: e.a.ID, Amount: "10", ReceivedOn: "2026-11-24"})
	pb := e.register(payments.RegisterInput{CompanyID: e.b.ID, Amount: "20", ReceivedOn: "2026-11-24"})
	if _, err := payments.Get(ctx, e.db, e.buyerA, pb.ID); apperr.KindOf(err) != apperr.NotFound {
		t.Fatalf("customer A read B's payment: %v", err)
	}
	list, _, err := payments.List(ctx, e.db, e.buyerA, payments.Filter{})
	if err != nil || len(list) != 1 || list[0].ID != pa.ID {
		t.Fatalf("customer A lists %+v (%v)", list, err)
	}
	if list, _, _ := payments.List(ctx, e.db, e.fin, payments.Filter{}); len(list) != 2 {
		t.Fatalf("finance lists %d payments", len(list))
	}
}

// Bad input gets a message at its field and writes nothing; only finance
// and admins book.
func TestRegisterRefusesBadInput(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, c := range []struct {
		in    payments.RegisterInput
		field string
	}{
		{payments.RegisterInput{Amount: "10", ReceivedOn: "2026-11-24"}, "customer"},
		{payments.RegisterInput{CompanyID: e.a.ID, Amount: "tien", ReceivedOn: "2026-11-24"}, "amount"},
		{payments.RegisterInput{CompanyID: e.a.ID, Amount: "0", ReceivedOn: "2026-11-24"}, "amount"},
		{payments.RegisterInput{CompanyID: e.a.ID, Amount: "-5", ReceivedOn: "2026-11-24"}, "amount"},
		{payments.RegisterInput{CompanyID: e.a.ID, Amount: "99999999999", ReceivedOn: "2026-11-24"}, "amount"},
		{payments.RegisterInput{CompanyID: e.a.ID, Amount: "10", ReceivedOn: "31-02-2026"}, "received_on"},
		{payments.RegisterInput{CompanyID: e.a.ID, Amount: "10", ReceivedOn: "2026-11-24", Reference: strings.Repeat("x", 141)}, "reference"},
		{payments.RegisterInput{CompanyID: e.a.ID, Amount: "10", ReceivedOn: "2026-11-24", Reference: "a\x00b"}, "reference"},
		{payments.RegisterInput{CompanyID: e.a.ID, Amount: "10", ReceivedOn: "2026-11-24", Invoices: []string{"2099-999999"}}, "invoices"},
	} {
		_, err := e.svc.Register(ctx, e.fin, c.in)
		if ae, ok := apperr.As(err); !ok || ae.Fields[c.field].IsZero() {
			t.Errorf("%+v: want a message at %s, got %v", c.in, c.field, err)
		}
	}
	if _, err := e.svc.Register(ctx, e.fin, payments.RegisterInput{CompanyID: 999999, Amount: "10", ReceivedOn: "2026-11-24"}); apperr.KindOf(err) != apperr.NotFound {
		t.Errorf("an unknown customer: %v", err)
	}
	if _, err := e.svc.Register(ctx, e.am, payments.RegisterInput{CompanyID: e.a.ID, Amount: "10", ReceivedOn: "2026-11-24"}); apperr.KindOf(err) != apperr.Forbidden {
		t.Errorf("an account manager registered: %v", err)
	}
	var n int
	e.db.NewRaw(`SELECT count(*) FROM payments`).Scan(ctx, &n)
	if n != 0 {
		t.Fatalf("%d payments written by refused input", n)
	}
}

// BookMany books as Book does: each payment to its target first, what is
// left to the oldest invoices, the rest as balance; many at once.
func TestBookManyBooksAsBookDoes(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	n1, n2 := e.invoice(e.a, 10_000, 10), e.invoice(e.a, 20_000, 20)
	nb := e.invoice(e.b, 5_000, 5)
	id := func(n string) int64 {
		var v int64
		e.db.NewRaw(`SELECT id FROM invoices WHERE number = ?`, n).Scan(ctx, &v)
		return v
	}
	day := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	var got []*payments.Payment
	err := postgres.Run(ctx, e.db, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		var err error
		got, err = payments.BookMany(ctx, tx, e.clk.Now(), e.fin, []payments.NewPayment{
			{CompanyID: e.a.ID, AmountCents: 15_000, ReceivedOn: day, Reference: n2, Source: payments.SourceBank}, // to n2
			{CompanyID: e.a.ID, AmountCents: 12_000, ReceivedOn: day, Reference: n2, Source: payments.SourceBank}, // 5,000 to n2, 7,000 oldest first (n1)
			{CompanyID: e.b.ID, AmountCents: 9_000, ReceivedOn: day, Source: payments.SourceBank},                 // oldest first: nb, 4,000 left
			{CompanyID: e.a.ID, AmountCents: 4_000, ReceivedOn: day, Reference: "?", Source: payments.SourceBank}, // 3,000 to n1, 1,000 left
		}, []*payments.Target{
			{InvoiceID: id(n2), Reason: payments.ReasonPaymentReference, Detail: n2},
			{InvoiceID: id(n2), Reason: payments.ReasonPaymentReference, Detail: n2},
			nil, nil,
		})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if e.paid(n1) != 10_000 || e.paid(n2) != 20_000 || e.paid(nb) != 5_000 {
		t.Fatalf("paid %d %d %d", e.paid(n1), e.paid(n2), e.paid(nb))
	}
	var left []int64
	for _, p := range got {
		left = append(left, p.UnallocatedCents)
	}
	if fmt.Sprint(left) != "[0 0 4000 1000]" {
		t.Fatalf("left on the payments: %v", left)
	}
	if r := reasons(t, e.db, e.fin, got[1].ID); r != n2+":5000:payment_reference "+n1+":7000:oldest_first" {
		t.Fatalf("the second payment went %q", r)
	}
	if bal, _ := payments.Balance(ctx, e.db, e.b.ID); bal != 4_000 {
		t.Fatalf("B's balance %d", bal)
	}
	err = postgres.Run(ctx, e.db, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		_, err := payments.BookMany(ctx, tx, e.clk.Now(), e.fin, []payments.NewPayment{{CompanyID: 999999, AmountCents: 1, ReceivedOn: day}}, []*payments.Target{nil})
		return err
	})
	if apperr.KindOf(err) != apperr.NotFound {
		t.Fatalf("an unknown customer: %v", err)
	}
}
