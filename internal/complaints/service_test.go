package complaints_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"wholesale/internal/apperr"
	"wholesale/internal/clock"
	"wholesale/internal/complaints"
	"wholesale/internal/customers"
	"wholesale/internal/pgtest"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func kind(t *testing.T, err error, want apperr.Kind) map[string]string {
	t.Helper()
	if apperr.KindOf(err) != want {
		t.Fatalf("error %v, want kind %v", err, want)
	}
	out := map[string]string{}
	var ae *apperr.Error
	if errors.As(err, &ae) {
		for f, m := range ae.Fields {
			out[f] = m.String()
		}
	}
	return out
}

// A complaint through its life: filed on a Friday, acknowledged, a
// progress report, an investigator, a note, resolved with an apology,
// escalated and answered by the board. Access and the internal notes are
// checked on the way.
func TestComplaintSteps(t *testing.T) {
	db := pgtest.New(t)
	ctx := context.Background()
	clk := clock.NewFixed(time.Date(2026, 11, 27, 10, 0, 0, 0, clock.Amsterdam)) // a Friday
	svc := &complaints.Service{DB: db, Clock: clk}
	us := users.NewService(db, clk, users.FastHasher)
	mk := func(email string, role users.Role, company int64) *users.User {
		u, err := us.Create(ctx, users.NewUser{Email: email, Name: email, Role: role, CompanyID: company, Password: "long enough pw"})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	am, csm, board := mk("am@w.test", users.RoleAccountManager, 0), mk("csm@w.test", users.RoleCustomerService, 0), mk("board@w.test", users.RoleBoard, 0)
	company := func(name string) *customers.Company {
		addr := customers.Address{Street: "Kade 1", Postcode: "1000 AA", City: "Stad", Country: "NL"}
		c := &customers.Company{Name: name, Visiting: addr, Invoice: addr, ContactName: "Joris", ContactEmail: "c@" + strings.Fields(name)[0] + ".test",
			KvK: "87654321", PaymentTerms: customers.TermsCredit, PaymentTermDays: 30, CreditLimitCents: 100_000, AccountManagerID: &am.ID}
		if err := postgres.Run(ctx, db, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error { return customers.Insert(ctx, tx, clk.Now(), c) }); err != nil {
			t.Fatal(err)
		}
		return c
	}
	a, b := company("Jansen BV"), company("Pieters BV")
	buyerA, buyerB := mk("buyer@a.test", users.RoleCustomer, a.ID), mk("buyer@b.test", users.RoleCustomer, b.ID)

	_, err := svc.File(ctx, buyerA, complaints.FileInput{ContactName: "Joris"})
	if f := kind(t, err, apperr.Invalid); f["description"] == "" || f["contact_email"] == "" {
		t.Fatalf("fields %v", f)
	}
	c, err := svc.File(ctx, buyerA, complaints.FileInput{ContactName: "Joris", ContactEmail: "Joris@A.test", Description: "Late delivery, twice."})
	if err != nil {
		t.Fatal(err)
	}
	if c.State != complaints.StateReceived || c.Channel != complaints.ChannelPortal || c.ContactEmail != "joris@a.test" ||
		c.AckDue.Format(time.DateOnly) != "2026-12-02" || c.ResolveDue.Format(time.DateOnly) != "2026-12-11" {
		t.Fatalf("filed %+v", c)
	}
	if _, err := svc.Get(ctx, buyerB, c.ID); apperr.KindOf(err) != apperr.NotFound {
		t.Fatalf("another company reads it: %v", err)
	}
	_, err = svc.Acknowledge(ctx, buyerA, c.ID, complaints.LetterInput{Date: "2026-12-08", Text: "x"})
	kind(t, err, apperr.Forbidden)
	_, err = svc.Acknowledge(ctx, am, c.ID, complaints.LetterInput{Date: "2026-11-01", Text: ""})
	if f := kind(t, err, apperr.Invalid); f["date"] == "" || f["text"] == "" {
		t.Fatalf("fields %v", f)
	}
	if c, err = svc.Acknowledge(ctx, am, c.ID, complaints.LetterInput{Date: "2026-12-08", Text: "Dear Joris, am@w.test handles your complaint; expect an answer by 8 December."}); err != nil {
		t.Fatal(err)
	}
	_, err = svc.Acknowledge(ctx, am, c.ID, complaints.LetterInput{Date: "2026-12-08", Text: "again"})
	kind(t, err, apperr.Conflict)
	if _, err := svc.AddNote(ctx, buyerA, c.ID, "mine"); apperr.KindOf(err) != apperr.Forbidden {
		t.Fatalf("a customer adds an internal note: %v", err)
	}
	if _, err := svc.AddNote(ctx, am, c.ID, "Carrier lost the pallet twice; ask DHL."); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Assign(ctx, am, c.ID, am.ID); apperr.KindOf(err) != apperr.Forbidden {
		t.Fatalf("an account manager assigns: %v", err)
	}
	clk.Set(time.Date(2026, 12, 4, 10, 0, 0, 0, clock.Amsterdam)) // a week after receipt
	if !complaints.Flagged(c.Facts(), svc.Today()) {
		t.Fatal("not flagged after a week")
	}
	if c, err = svc.Assign(ctx, csm, c.ID, am.ID); err != nil || c.InvestigatorID == nil {
		t.Fatalf("assign: %+v %v", c, err)
	}
	if c, err = svc.Progress(ctx, am, c.ID, complaints.LetterInput{Date: "2026-12-18", Text: "We still investigate; full answer by 18 December."}); err != nil {
		t.Fatal(err)
	}
	if due := c.Due(); due.By.Format(time.DateOnly) != "2026-12-18" {
		t.Fatalf("after the progress report the full answer is due %s", due.By)
	}
	_, err = svc.Resolve(ctx, am, c.ID, complaints.ResolveInput{Outcome: "cash"})
	if f := kind(t, err, apperr.Invalid); f["outcome"] == "" || f["explanation"] == "" {
		t.Fatalf("fields %v", f)
	}
	if c, err = svc.Resolve(ctx, am, c.ID, complaints.ResolveInput{Outcome: complaints.OutcomeApology,
		Explanation: "We checked both deliveries with DHL: the pallet was mislaid at their hub. We apologise and changed carrier for your region."}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.BoardAnswer(ctx, board, c.ID, "x"); apperr.KindOf(err) != apperr.Conflict {
		t.Fatalf("the board answers before an escalation: %v", err)
	}
	clk.Set(time.Date(2026, 12, 18, 10, 0, 0, 0, clock.Amsterdam))
	if c, err = svc.Escalate(ctx, buyerA, c.ID, "An apology is not enough."); err != nil || c.BoardDue.Format(time.DateOnly) != "2026-12-28" {
		t.Fatalf("escalated: %+v %v", c, err) // 25 December a Friday, 26 and 27 a weekend (and Boxing Day)
	}
	if _, err := svc.BoardAnswer(ctx, am, c.ID, "x"); apperr.KindOf(err) != apperr.Forbidden {
		t.Fatalf("an account manager answers for the board: %v", err)
	}
	if c, err = svc.BoardAnswer(ctx, board, c.ID, "We reviewed everything and offer a 5% discount."); err != nil || c.State != complaints.StateClosed {
		t.Fatalf("the board: %+v %v", c, err)
	}
	var bodies []string
	if err := db.NewRaw(`SELECT body FROM outbox WHERE to_address = 'joris@a.test' ORDER BY id`).Scan(ctx, &bodies); err != nil {
		t.Fatal(err)
	}
	all := strings.Join(bodies, "\n---\n")
	if len(bodies) != 4 || strings.Contains(all, "Carrier lost the pallet") || !strings.Contains(all, "externe instantie") {
		t.Fatalf("the customer's mails (%d): %s", len(bodies), all)
	}
	var actions []string
	if err := db.NewRaw(`SELECT action FROM audit_log WHERE entity = 'complaint' ORDER BY id`).Scan(ctx, &actions); err != nil {
		t.Fatal(err)
	}
	if strings.Join(actions, ",") != "file,acknowledge,note,assign,progress,resolve,escalate,board_answer" {
		t.Fatalf("trail %v", actions)
	}
}
