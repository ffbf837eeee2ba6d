package customers_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/clock"
	"wholesale/internal/customers"
	"wholesale/internal/pgtest"
	"wholesale/internal/users"
)

// The fuzz targets of the customers' input types: whatever a field holds,
// the use case never panics and never fails inside (kind Internal: the
// database refused what validation let through); what it accepts is stored.
// Each target changes one field of a valid input at a time, so the fuzzer
// explores that field with every other one valid.

// fuzzEnv is newEnv for a fuzz target: one database for all its inputs.
func fuzzEnv(f *testing.F) *env {
	db := pgtest.New(f)
	clk := clock.NewFixed(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	us := users.NewService(db, clk, users.FastHasher)
	e := &env{db: db, clk: clk, svc: &customers.Service{DB: db, Clock: clk, Users: us, BaseURL: "http://wholesale.test"}}
	var err error
	if e.sales, err = us.Create(context.Background(), users.NewUser{Email: "sales@w.test", Name: "Sales", Role: users.RoleSales, Password: "long enough pw"}); err != nil {
		f.Fatal(err)
	}
	if e.am, err = us.Create(context.Background(), users.NewUser{Email: "am@w.test", Name: "AM", Role: users.RoleAccountManager, Password: "long enough pw"}); err != nil {
		f.Fatal(err)
	}
	return e
}

// seeds adds every hostile value for every field index below n.
func seeds(f *testing.F, n int, extra ...string) {
	for i := 0; i < n; i++ {
		for _, v := range hostile {
			if len(v) > 4<<10 {
				v = v[:4<<10] // longer seeds stall the fuzzer's minimising; the 10 MB case is in the table tests
			}
			f.Add(uint8(i), v)
		}
		for _, v := range extra {
			f.Add(uint8(i), v)
		}
	}
}

func wantNoInternal(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil && apperr.KindOf(err) == apperr.Internal {
		t.Fatalf("%s: internal error for input the validation accepted: %v", what, err)
	}
}

func FuzzApplicationInput(f *testing.F) {
	e := fuzzEnv(f)
	seeds(f, len(applicationFields), "", "Dorpsstraat 1", "NL91ABNA0417164300", "12345678", "DE", "D-12345", strings.Repeat("é", 200))
	f.Fuzz(func(t *testing.T, field uint8, v string) {
		in := withInvoiceAddress()
		name := applicationFields[int(field)%len(applicationFields)]
		*applicationField(&in, name) = v
		res, err := e.svc.Apply(context.Background(), in, "", nil)
		wantNoInternal(t, name, err)
		if err == nil && res.Application.ID == 0 {
			t.Fatalf("%s %q: accepted but not stored", name, v)
		}
	})
}

func FuzzChangeInput(f *testing.F) {
	e := fuzzEnv(f)
	var c *customers.Company
	err := e.db.RunInTx(context.Background(), nil, func(ctx context.Context, tx bun.Tx) error {
		c = &customers.Company{Name: "Jansen", AccountManagerID: &e.am.ID}
		return customers.Insert(ctx, tx, e.clk.Now(), c)
	})
	if err != nil {
		f.Fatal(err)
	}
	valid := map[string]string{
		"visiting_street": "Kade 2", "visiting_postcode": "1000 AA", "visiting_city": "Amsterdam", "visiting_country": "NL",
		"invoice_street": "Kade 2", "invoice_postcode": "1000 AA", "invoice_city": "Amsterdam", "invoice_country": "NL",
		"contact_name": "Piet", "contact_email": "piet@jansen.nl", "contact_phone": "+31 20 123 4567",
		"iban": "NL20INGB0001234567", "account_holder": "Jansen", "invoice_email": "f@jansen.nl",
	}
	seeds(f, 20, "Kade 3", "1000 AB", "piet2@jansen.nl")
	f.Fuzz(func(t *testing.T, field uint8, v string) {
		kind := customers.ChangeKinds[int(field)%len(customers.ChangeKinds)]
		fields := append(customers.ChangeFields[kind], "note")
		name := fields[int(field)/len(customers.ChangeKinds)%len(fields)]
		in := customers.ChangeInput{Kind: kind, Values: map[string]string{}}
		for _, k := range customers.ChangeFields[kind] {
			in.Values[k] = valid[k]
		}
		if name == "note" {
			in.Note = v
		} else {
			in.Values[name] = v
		}
		_, err := e.svc.RequestChange(context.Background(), e.am, c.ID, in)
		wantNoInternal(t, kind+" "+name, err)
	})
}

func FuzzApproveInput(f *testing.F) {
	e := fuzzEnv(f)
	for _, s := range [][2]string{{"10.000", "30"}, {"12.50,0", "30"}, {"2147483648", "2147483648"}, {"10.000.000,00", "365"},
		{"-1", "-1"}, {"1e9", "0x10"}, {"\x00", "\xff"}, {"9223372036854775807", "9223372036854775808"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, limit, days string) {
		in := customers.ApproveInput{PaymentTerms: customers.TermsCredit, CreditLimit: limit, PaymentTermDays: days, AccountManagerID: e.am.ID}
		fe := in.Validate()
		if len(fe) > 0 {
			return
		}
		// What it accepts fits the companies table: stored and rolled back.
		err := e.db.RunInTx(context.Background(), nil, func(ctx context.Context, tx bun.Tx) error {
			c := &customers.Company{Name: "Fuzz", PaymentTerms: customers.TermsCredit, AccountManagerID: &e.am.ID}
			c.CreditLimitCents, c.PaymentTermDays = in.Terms()
			if c.CreditLimitCents <= 0 || c.PaymentTermDays < 1 || c.PaymentTermDays > customers.PaymentTermMax {
				t.Fatalf("accepted %q, %q as %d, %d", limit, days, c.CreditLimitCents, c.PaymentTermDays)
			}
			if err := customers.Insert(ctx, tx, e.clk.Now(), c); err != nil {
				return err
			}
			return errRollback
		})
		if err != errRollback {
			t.Fatalf("accepted %q, %q but the database refused: %v", limit, days, err)
		}
	})
}

type rollback struct{}

func (rollback) Error() string { return "rollback" }

var errRollback error = rollback{}

// FuzzNotes sends the same text as each note of the vetting: a checklist
// note, a document request and a rejection reason (the last one on a fresh
// application each time it is accepted).
func FuzzNotes(f *testing.F) {
	e := fuzzEnv(f)
	res, err := e.svc.Apply(context.Background(), validInput(), "", nil)
	if err != nil {
		f.Fatal(err)
	}
	a := res.Application
	seeds(f, 3, "Please send a readable KvK extract.\r\nThank you.", strings.Repeat("x", 2000))
	f.Fuzz(func(t *testing.T, which uint8, note string) {
		ctx := context.Background()
		var err error
		switch which % 3 {
		case 0:
			err = e.svc.RecordCheck(ctx, e.sales, a.ID, customers.CheckInput{Item: customers.CheckNamesConsistent, Note: note})
		case 1:
			err = e.svc.RequestDocuments(ctx, a.ID, note)
		case 2:
			in := validInput()
			in.KvK = "87654321"
			b, aerr := e.svc.Apply(ctx, in, "", nil)
			if aerr != nil {
				t.Fatal(aerr)
			}
			err = e.svc.Reject(ctx, e.sales, b.Application.ID, note)
		}
		wantNoInternal(t, "note", err)
	})
}
