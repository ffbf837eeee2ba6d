package bank_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/bank"
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
	t       testing.TB
	db      *bun.DB
	clk     *clock.Fixed
	svc     *bank.Service
	fin, am *users.User
	seq     int
}

func newEnv(t testing.TB) *env {
	t.Helper()
	db := pgtest.New(t)
	clk := clock.NewFixed(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	e := &env{t: t, db: db, clk: clk, svc: &bank.Service{DB: db, Clock: clk}}
	us := users.NewService(db, clk, users.FastHasher)
	for _, x := range []struct {
		u    **users.User
		mail string
		role users.Role
	}{{&e.fin, "fin@w.test", users.RoleFinance}, {&e.am, "am@w.test", users.RoleAccountManager}} {
		u, err := us.Create(context.Background(), users.NewUser{Email: x.mail, Name: x.mail, Role: x.role, Password: "long enough pw"})
		if err != nil {
			t.Fatal(err)
		}
		*x.u = u
	}
	return e
}

func (e *env) company(name, terms, iban string) *customers.Company {
	e.t.Helper()
	addr := customers.Address{Street: "Kade 1", Postcode: "1000 AA", City: "Stad", Country: "NL"}
	c := &customers.Company{Name: name, Visiting: addr, Invoice: addr, ContactName: "Joris", ContactEmail: strings.ToLower(strings.Fields(name)[0]) + "@c.test",
		KvK: "87654321", PaymentTerms: terms, PaymentTermDays: 30, CreditLimitCents: 100_000_000, AccountManagerID: &e.am.ID, IBAN: iban}
	if err := postgres.Run(context.Background(), e.db, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		return customers.Insert(ctx, tx, e.clk.Now(), c)
	}); err != nil {
		e.t.Fatal(err)
	}
	return c
}

// invoice issues an invoice of c of total cents and returns its number.
func (e *env) invoice(c *customers.Company, total int64, day int) string {
	e.seq++
	number := fmt.Sprintf("2026-%06d", e.seq)
	due := time.Date(2026, 11, day, 0, 0, 0, 0, time.UTC)
	e.exec(`INSERT INTO invoices (kind, company_id, state, business_day, number, year, seq, issue_date, supply_date, due_date, language,
		vat_mode, seller, buyer, payment_reference, total_excl_cents, total_incl_cents, per_rate, issued_at, created_at, updated_at)
		VALUES ('invoice', ?0, 'issued', ?1, ?2, 2026, ?3, ?1, ?1, ?1, 'nl', 'domestic', '{}', '{}', ?2, ?4, ?4, '[]', now(), now(), now())`,
		c.ID, due, number, e.seq, total)
	return number
}

func (e *env) exec(q string, args ...any) {
	e.t.Helper()
	if _, err := e.db.ExecContext(context.Background(), q, args...); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) int(q string, args ...any) int64 {
	e.t.Helper()
	var n int64
	if err := e.db.NewRaw(q, args...).Scan(context.Background(), &n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// prepaymentOrder places an order of a prepayment customer and returns it.
func (e *env) prepaymentOrder(c *customers.Company) *orders.Order {
	e.t.Helper()
	ctx := context.Background()
	if _, err := (&catalog.Service{DB: e.db, Clock: e.clk}).Save(ctx, catalog.ProductInput{SKU: "A", Name: "Kettle", UnitPrice: "100,00"}); err != nil {
		e.t.Fatal(err)
	}
	if _, err := (&stock.Service{DB: e.db, Clock: e.clk}).ImportStock(ctx, []byte("sku,warehouse,on_hand\nA,MAIN,10\n")); err != nil {
		e.t.Fatal(err)
	}
	o, err := (&orders.Service{DB: e.db, Clock: e.clk, BaseURL: "http://w.test"}).CreateAndPlace(ctx, e.am,
		orders.Input{CompanyID: c.ID, POReference: "PO-1", Lines: []orders.LineInput{{SKU: "A", Quantity: 1}}, Shipping: "0"})
	if err != nil {
		e.t.Fatal(err)
	}
	return o
}

// dutch is a realistic statement of our ING account: each way a
// customer's payment is recognised, one nobody can place, and a debit.
type dutch struct {
	e                  *env
	jansen, vries, pre *customers.Company
	inv1, inv2, inv3   string
	order              *orders.Order
}

func newDutch(t *testing.T) *dutch {
	e := newEnv(t)
	d := &dutch{e: e}
	d.jansen = e.company("Bakkerij Jansen", customers.TermsCredit, "NL91 ABNA 0417 1643 00")
	d.vries = e.company("De Vries BV", customers.TermsCredit, "NL02RABO0123456789")
	d.pre = e.company("Vooruit BV", customers.TermsPrepayment, "NL44INGB0009876543")
	d.inv1 = e.invoice(d.jansen, 121_00, 20) // 2026-000001
	d.inv2 = e.invoice(d.jansen, 250_00, 22) // 2026-000002
	d.inv3 = e.invoice(d.vries, 363_00, 23)  // 2026-000003
	d.order = e.prepaymentOrder(d.pre)
	return d
}

func (d *dutch) statement(version string) statement {
	total := strconv.FormatFloat(float64(d.order.TotalInclCents)/100, 'f', 2, 64)
	return statement{Version: version, ID: "2026-11-23-ING", Account: "NL20INGB0001234567", Entries: []tx{
		{Ref: "ING-0001", Amount: "121.00", Date: "2026-11-23", StructRef: d.inv1, Name: "Bakkerij Jansen", IBAN: "NL91ABNA0417164300"},
		{Ref: "ING-0002", Amount: "250.00", Date: "2026-11-23", FreeText: "Factuur 2026-000002 bakkerij", Name: "BAKKERIJ JANSEN", IBAN: "NL91ABNA0417164300"},
		{Ref: "ING-0003", Amount: total, Date: "2026-11-23", FreeText: "Betaling order " + *d.order.PaymentReference, Name: "Vooruit BV", IBAN: "NL44INGB0009876543"},
		{Ref: "ING-0004", Amount: "363.00", Date: "2026-11-23", FreeText: "betaling", Name: "De Vries BV", IBAN: "NL02RABO0123456789", EndToEnd: "DV-77"},
		{Ref: "ING-0005", Amount: "42.50", Date: "2026-11-23", FreeText: "gift", Name: "Onbekend", IBAN: "NL69INGB0123456789"},
		{Ref: "ING-0006", Amount: "19.95", Date: "2026-11-23", Debit: true, FreeText: "Bankkosten november"},
		{Ref: "ING-0007", Amount: "50.00", Ccy: "USD", Date: "2026-11-23", FreeText: "USD payment", Name: "US Inc"},
	}}
}

func lines(r *bank.Report) map[string]bank.Line {
	out := map[string]bank.Line{}
	for _, s := range r.Statements {
		for _, l := range s.Lines {
			out[l.BankRef] = l
		}
	}
	return out
}

// A Dutch statement, in .02 and .08: each credit matched by the rule that
// fits, the unknown one open, the debit and the dollars ignored; imported
// twice it books nothing the second time.
func TestImportDutchStatement(t *testing.T) {
	for _, v := range []string{"02", "04", "08"} {
		t.Run(v, func(t *testing.T) {
			t.Parallel()
			d := newDutch(t)
			e := d.e
			file := xmlOf(t, d.statement(v))
			rep, err := e.svc.Import(context.Background(), e.fin, "ing.xml", file)
			if err != nil {
				t.Fatal(err)
			}
			got := lines(rep)
			want := map[string]string{"ING-0001": "matched payment_reference " + d.inv1, "ING-0002": "matched invoice_number 2026-000002",
				"ING-0003": "matched order_reference " + *d.order.PaymentReference, "ING-0004": "matched amount_and_iban NL02RABO0123456789",
				"ING-0005": "open no_match ", "ING-0006": "ignored debit ", "ING-0007": "ignored not_eur "}
			for ref, w := range want {
				l := got[ref]
				if s := l.Outcome + " " + l.Reason + " " + l.Detail; s != w {
					t.Errorf("%s: %q, want %q", ref, s, w)
				}
			}
			tot := rep.Totals()
			if tot.Entries != 7 || tot.New != 7 || tot.Matched != 4 || tot.Open != 1 || tot.Ignored != 2 || tot.Known != 0 {
				t.Errorf("totals %+v", tot)
			}
			if p := e.int(`SELECT paid_cents FROM invoices WHERE number = ?`, d.inv1); p != 121_00 {
				t.Errorf("inv1 paid %d", p)
			}
			if p := e.int(`SELECT paid_cents FROM invoices WHERE number = ?`, d.inv3); p != 363_00 {
				t.Errorf("inv3 paid %d", p)
			}
			o, _ := orders.Get(context.Background(), e.db, d.order.ID)
			if o.PaidCents != o.TotalInclCents || o.Status != orders.StatusReleased {
				t.Errorf("order %s paid %d of %d", o.Status, o.PaidCents, o.TotalInclCents)
			}
			if n := e.int(`SELECT count(*) FROM bank_entries WHERE state = 'matched' AND payment_id IS NOT NULL`); n != 4 {
				t.Errorf("%d matched entries", n)
			}
			if n := e.int(`SELECT count(*) FROM audit_log WHERE entity IN ('bank_statement', 'bank_entry')`); n != 5 {
				t.Errorf("%d audit entries", n)
			}
			payments := e.int(`SELECT count(*) FROM payments`)
			// Twice: nothing booked.
			rep, err = e.svc.Import(context.Background(), e.fin, "ing.xml", file)
			if err != nil {
				t.Fatal(err)
			}
			if tot := rep.Totals(); tot.Known != 7 || tot.New != 0 || tot.Matched != 0 {
				t.Errorf("again: %+v", tot)
			}
			if n := e.int(`SELECT count(*) FROM payments`); n != payments {
				t.Errorf("again: %d payments, was %d", n, payments)
			}
			if n := e.int(`SELECT count(*) FROM bank_entries`); n != 7 {
				t.Errorf("again: %d entries", n)
			}
		})
	}
}

// Files that are no valid statement are refused with the reason at the
// file field, and nothing is written.
func TestImportRefused(t *testing.T) {
	t.Parallel()
	d := newDutch(t)
	e := d.e
	good := string(xmlOf(t, d.statement("02")))
	cases := map[string]struct {
		file, says string
	}{
		"malformed":       {good[:len(good)/2], "parser error"},
		"schema-invalid":  {strings.Replace(good, "<CreDtTm>2026-11-24T06:00:00+01:00</CreDtTm></GrpHdr>", "</GrpHdr>", 1), "CreDtTm"},
		"unknown version": {strings.ReplaceAll(good, "camt.053.001.02", "camt.053.001.99"), "no CAMT.053 statement"},
		"other document":  {`<?xml version="1.0"?><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>`, "no CAMT.053 statement"},
		"doctype":         {`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><Document/>`, "document type"},
		"empty":           {"", "Choose a bank statement"},
		"cents":           {strings.Replace(good, ">121.00<", ">121.005<", 1), "parts of a cent"},
		"too large":       {good + strings.Repeat(" ", bank.MaxFileBytes), "larger than 20 MB"},
	}
	for name, c := range cases {
		_, err := e.svc.Import(context.Background(), e.fin, "x.xml", []byte(c.file))
		ae, ok := apperr.As(err)
		if !ok || ae.Kind != apperr.Invalid || !strings.Contains(ae.Fields["file"].String(), c.says) {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, table := range []string{"bank_statements", "bank_entries", "payments"} {
		if n := e.int(`SELECT count(*) FROM ` + table); n != 0 {
			t.Errorf("%s: %d rows", table, n)
		}
	}
	if _, err := e.svc.Import(context.Background(), e.am, "x.xml", []byte(good)); apperr.KindOf(err) != apperr.Forbidden {
		t.Errorf("an account manager imports: %v", err)
	}
}

// An open credit is matched by hand to a customer (and an invoice), or set
// aside with a reason; bad input is refused at its field.
func TestManualMatch(t *testing.T) {
	t.Parallel()
	d := newDutch(t)
	e := d.e
	ctx := context.Background()
	s := d.statement("08")
	s.Entries = append(s.Entries, tx{Ref: "ING-0008", Amount: "10.00", Date: "2026-11-23", FreeText: "refund", Name: "X"})
	if _, err := e.svc.Import(ctx, e.fin, "ing.xml", xmlOf(t, s)); err != nil {
		t.Fatal(err)
	}
	q, n, err := bank.Queue(ctx, e.db, 100)
	if err != nil || n != 2 || len(q) != 2 {
		t.Fatalf("queue %d %v", n, err)
	}
	gift := q[0]
	for _, c := range []struct {
		in    bank.MatchInput
		field string
	}{
		{bank.MatchInput{}, "customer"},
		{bank.MatchInput{Customer: "Nobody BV"}, "customer"},
		{bank.MatchInput{Customer: "999999"}, "customer"},
		{bank.MatchInput{Customer: "De Vries BV", Invoice: d.inv1}, "invoice"},
		{bank.MatchInput{Customer: "De Vries BV", Invoice: "2026-999999"}, "invoice"},
	} {
		_, err := e.svc.Match(ctx, e.fin, gift.ID, c.in)
		if ae, ok := apperr.As(err); !ok || ae.Fields[c.field].IsZero() {
			t.Errorf("%+v: %v", c.in, err)
		}
	}
	if n := e.int(`SELECT count(*) FROM payments WHERE amount_cents = 4250`); n != 0 {
		t.Fatal("a refused match booked")
	}
	p, err := e.svc.Match(ctx, e.fin, gift.ID, bank.MatchInput{Customer: fmt.Sprintf("%d — Bakkerij Jansen", d.jansen.ID), Invoice: "factuur 2026 000002"})
	if err != nil {
		t.Fatal(err)
	}
	if got := e.int(`SELECT company_id FROM payments WHERE id = ?`, p.ID); got != d.jansen.ID {
		t.Errorf("booked for %d", got)
	}
	if r := e.int(`SELECT count(*) FROM bank_entries WHERE id = ? AND state = 'matched' AND match_reason = 'manual_match' AND match_detail = '2026-000002'`, gift.ID); r != 1 {
		t.Error("the entry is not matched")
	}
	if _, err := e.svc.Match(ctx, e.fin, gift.ID, bank.MatchInput{Customer: "Bakkerij Jansen"}); apperr.KindOf(err) != apperr.Conflict {
		t.Errorf("matched twice: %v", err)
	}
	if err := e.svc.Ignore(ctx, e.fin, q[1].ID, ""); apperr.KindOf(err) != apperr.Invalid {
		t.Errorf("set aside without reason: %v", err)
	}
	if err := e.svc.Ignore(ctx, e.fin, q[1].ID, "Refund of a supplier"); err != nil {
		t.Fatal(err)
	}
	if _, n, _ := bank.Queue(ctx, e.db, 100); n != 0 {
		t.Errorf("%d left in the queue", n)
	}
	if n := e.int(`SELECT count(*) FROM audit_log WHERE entity = 'bank_entry' AND action IN ('match', 'set_aside')`); n != 6 {
		t.Errorf("%d audit entries of bank entries", n)
	}
}

// BenchmarkImport10000 imports a statement of 10,000 entries (BANK_BENCH_N
// changes the number): 9,000 credits that pay an invoice each by its
// reference, 500 unknown credits, 500 debits.
func BenchmarkImport10000(b *testing.B) {
	n := 10_000
	if s := os.Getenv("BANK_BENCH_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	e := newEnv(b)
	cs := make([]*customers.Company, 50)
	for i := range cs {
		cs[i] = e.company(fmt.Sprintf("Klant %d BV", i), customers.TermsCredit, fmt.Sprintf("NL%02dBANK%010d", i, i))
	}
	// invoices in one statement
	e.exec(`INSERT INTO invoices (kind, company_id, state, business_day, number, year, seq, issue_date, supply_date, due_date, language,
		vat_mode, seller, buyer, payment_reference, total_excl_cents, total_incl_cents, per_rate, issued_at, created_at, updated_at)
		SELECT 'invoice', (SELECT id FROM companies ORDER BY id OFFSET g % 50 LIMIT 1), 'issued', '2026-11-01', format('2026-%s', lpad(g::text, 6, '0')),
			2026, g, '2026-11-01', '2026-11-01', '2026-11-20', 'nl', 'domestic', '{}', '{}', format('2026-%s', lpad(g::text, 6, '0')), 10000, 10000, '[]', now(), now(), now()
		FROM generate_series(1, ?) g`, n)
	s := many("02", n, func(i int) tx {
		t := tx{Ref: fmt.Sprintf("B-%06d", i), Amount: "100.00", Date: "2026-11-23", Name: "Klant", IBAN: "NL00BANK0000000000"}
		switch {
		case i%20 == 0:
			t.Debit, t.FreeText = true, "kosten"
		case i%20 == 1:
			t.FreeText = "onbekend"
		default:
			t.StructRef = fmt.Sprintf("2026-%06d", i+1)
		}
		return t
	})
	file := xmlOf(b, s)
	b.ResetTimer()
	for range b.N {
		e.exec(`DELETE FROM bank_entries`)
		start := time.Now()
		rep, err := e.svc.Import(context.Background(), e.fin, "big.xml", file)
		if err != nil {
			b.Fatal(err)
		}
		tot := rep.Totals()
		b.ReportMetric(float64(tot.Matched), "matched")
		b.Logf("%d entries (%d MB): %d matched, %d open, %d ignored in %s", tot.Entries, len(file)>>20, tot.Matched, tot.Open, tot.Ignored, time.Since(start))
	}
}
