package web_test

import (
	"fmt"
	"testing"

	"wholesale/internal/complaints"
	"wholesale/internal/customers"
	"wholesale/internal/users"
)

// complaintFixture is one complaint of the demo customer in each state, and
// an overdue one (received, its acknowledgement due before today).
type complaintFixture struct {
	received, acknowledged, resolved, escalated, closed, overdue int64
	// document is the download of a document of the received one.
	document string
}

// all are the fixture's complaints.
func (f complaintFixture) all() []int64 {
	return []int64{f.received, f.acknowledged, f.resolved, f.escalated, f.closed, f.overdue}
}

// fileComplaint files a complaint of the demo customer, about order when
// it is not 0, as the account manager records one received by phone.
func (a *testApp) fileComplaint(t *testing.T, order int64, description string) int64 {
	t.Helper()
	ctx, am := a.user(t, users.RoleAccountManager)
	in := complaints.FileInput{CompanyID: a.companyID(t, "Bakkerij Jansen B.V."), Channel: complaints.ChannelPhone,
		ContactName: "Joris Jansen", ContactEmail: "buyer@bakkerij-jansen.test", Description: description}
	if order != 0 {
		in.Order = fmt.Sprint(order)
	}
	c, err := a.complaintsService().File(ctx, am, in)
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}

// addComplaints makes the complaint fixture the way people do: the account
// manager records, acknowledges and resolves, the customer escalates, the
// board answers; an internal note on each.
func addComplaints(t *testing.T, a *testApp) complaintFixture {
	t.Helper()
	s := a.complaintsService()
	ctx, am := a.user(t, users.RoleAccountManager)
	_, buyer := a.user(t, users.RoleCustomer)
	_, board := a.user(t, users.RoleBoard)
	today := s.Today()
	letter := complaints.LetterInput{Date: today.AddDate(0, 0, 10).Format("2006-01-02"), Text: "We are looking into it."}
	check := func(_ *complaints.Complaint, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	var f complaintFixture
	ids := []*int64{&f.received, &f.acknowledged, &f.resolved, &f.escalated, &f.closed, &f.overdue}
	for i, id := range ids {
		*id = a.fileComplaint(t, 0, fmt.Sprintf("Complaint %d: the delivery was late.", i))
		check(s.AddNote(ctx, am, *id, fmt.Sprintf("INTERNAL-NOTE-%d: the driver was ill.", i)))
	}
	for _, id := range []int64{f.acknowledged, f.resolved, f.escalated, f.closed} {
		check(s.Acknowledge(ctx, am, id, letter))
	}
	for _, id := range []int64{f.resolved, f.escalated, f.closed} {
		check(s.Resolve(ctx, am, id, complaints.ResolveInput{Outcome: complaints.OutcomeApology, Explanation: "We spoke to the carrier."}))
	}
	for _, id := range []int64{f.escalated, f.closed} {
		check(s.Escalate(ctx, buyer, id, "An apology is not enough."))
	}
	check(s.BoardAnswer(ctx, board, f.closed, "We stand by the outcome."))
	check(s.AddDocuments(ctx, am, f.received, []customers.Upload{{Filename: "dented kettle.pdf", Content: pdfDoc}}))
	docs, err := complaints.DocumentsOf(ctx, a.db, f.received)
	if err != nil || len(docs) != 1 {
		t.Fatalf("the received complaint's documents: %v %v", docs, err)
	}
	f.document = fmt.Sprintf("/complaints/%d/documents/%d", f.received, docs[0].ID)
	if _, err := a.db.NewRaw(`UPDATE complaints SET received_on = received_on - 10, ack_due = ack_due - 10, flag_on = flag_on - 10,
		resolve_due = resolve_due - 10 WHERE id = ?`, f.overdue).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	return f
}
