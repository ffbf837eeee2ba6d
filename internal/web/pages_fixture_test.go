package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"wholesale/internal/audit"
	"wholesale/internal/users"
)

// pageFixture holds real ids and tokens of the demo data, one of each kind
// of thing a page shows differently, to fill the parameters of the routes.
type pageFixture struct {
	customer int64
	// orders by kind: draft, placed awaiting confirmation, released, held
	// for credit, cancelled, partly shipped.
	draft, awaiting, released, held, cancelled, shipped int64
	// applications: the demo's new one, and one waiting for documents.
	newApp, waitingApp     int64
	products, users, mails []int64
	// changes are the account change requests; each kind of document's id.
	changes                     []int64
	appDocument, changeDocument int64
	// uploadToken opens /apply/documents/:token, inviteToken /invite/:token.
	uploadToken, inviteToken string
	// invoice and creditNote are the numbers of an issued invoice (of the
	// order invoiced) and a credit note of it; draftInvoice is a draft's ref.
	invoiced                          int64
	invoice, creditNote, draftInvoice string
	// payment paid part of the invoice.
	payment int64
	// portalReturns are the customer's returns, one in each state the
	// portal shows differently; portalWithRA those with an RA number.
	portalReturns, portalWithRA []int64
	// returns are one of each state, and the replacement order of one.
	returns returnFixture
	// complaints are the customer's complaints, one in each state the
	// portal shows differently, the newest first.
	complaints []int64
	// portalDocument is the download of a document of the newest of them.
	portalDocument string
	// staffComplaints are one of each state, and an overdue one.
	staffComplaints complaintFixture
}

// newPageFixture adds to the demo data what it lacks for the walk (an order
// held for credit, a cancelled one, an application waiting for documents,
// an invited user) the way people make them, and collects the ids.
func newPageFixture(t *testing.T, a *testApp) *pageFixture {
	t.Helper()
	ctx := context.Background()
	f := &pageFixture{customer: a.companyID(t, "Bakkerij Jansen B.V.")}
	cid := fmt.Sprint(f.customer)

	am := a.as(users.RoleAccountManager)
	order := func(po string, lines ...string) string {
		form := url.Values{"company_id": {cid}, "po_reference": {po}, "address": {"visiting"}, "shipping_method": {"UPS"},
			"shipping": {"0"}, "action": {"place"}}
		for i := 0; i < len(lines); i += 2 {
			form.Set(fmt.Sprintf("sku_%d", i/2), lines[i])
			form.Set(fmt.Sprintf("qty_%d", i/2), lines[i+1])
		}
		resp, body := am.post("/orders", form)
		if resp.StatusCode != http.StatusFound {
			t.Fatalf("placing %s: %d\n%s", po, resp.StatusCode, doc(t, body).Find("main").Text())
		}
		return resp.Header.Get("Location")
	}
	cancelled := order("BJ-WALK-CANCEL", "KR-GVX2", "1")
	if resp, body := am.post(cancelled+"/cancel", url.Values{"reason": {"customer ordered twice"}}); resp.StatusCode != http.StatusFound {
		t.Fatalf("cancelling: %d\n%s", resp.StatusCode, doc(t, body).Find("main").Text())
	}
	order("BJ-WALK-HELD", "KR-EA8108", "5", "TF-GC7148", "60")

	sales := a.as(users.RoleSales)
	resp, body := a.client().postMultipart("/apply", applyFields(), allDocs())
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("second application: %d\n%s", resp.StatusCode, doc(t, body).Find("main").Text())
	}
	a.db.NewSelect().Table("applications").Column("id").Where("company_name = ?", applyFields().Get("company_name")).Scan(ctx, &f.waitingApp)
	a.db.NewSelect().Table("applications").Column("id").Where("id <> ?", f.waitingApp).OrderExpr("id").Limit(1).Scan(ctx, &f.newApp)
	resp, _ = sales.post(fmt.Sprintf("/applications/%d/request-documents", f.waitingApp), url.Values{"request_note": {"The KvK extract is older than three months."}})
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("requesting documents: %d", resp.StatusCode)
	}
	f.uploadToken = tokenFromMail(t, a, `/apply/documents/([0-9a-f]+)`)

	admin, err := a.users.Login(ctx, loginOf(users.RoleAdmin).Email, loginOf(users.RoleAdmin).Password)
	if err != nil {
		t.Fatal(err)
	}
	actx := audit.WithActor(ctx, audit.Actor{UserID: admin.ID, Label: admin.Email})
	if _, err := a.users.Invite(actx, a.db, users.NewUser{Email: "eva@bakkerij-jansen.test", Name: "Eva Jansen",
		Role: users.RoleCustomer, CompanyID: f.customer}, "http://localhost:8080", "Welcome."); err != nil {
		t.Fatal(err)
	}
	f.inviteToken = tokenFromMail(t, a, `/invite/([0-9a-f]+)`)

	for kind, id := range map[string]*int64{"draft": &f.draft, "awaiting_confirmation": &f.awaiting, "released": &f.released,
		"awaiting_credit": &f.held, "cancelled": &f.cancelled} {
		a.db.NewSelect().Table("orders").Column("id").Where("status = ?", kind).OrderExpr("id").Limit(1).Scan(ctx, id)
		if *id == 0 {
			t.Fatalf("the walk has no %s order: add one to the demo data or to newPageFixture", kind)
		}
	}
	// A released order shipped in part, so that the pages show a shipment.
	shipped := order("BJ-WALK-SHIP", "KR-F3090", "2", "KR-XS5300", "3")
	if resp, body := am.post(shipped+"/confirm-written", url.Values{"note": {"mail of Joris Jansen"}, "received_on": {"2026-11-24"}}); resp.StatusCode != http.StatusFound {
		t.Fatalf("confirming: %d\n%s", resp.StatusCode, doc(t, body).Find("main").Text())
	}
	fmt.Sscanf(shipped, "/orders/%d", &f.shipped)
	var first int64
	a.db.NewSelect().Table("order_lines").Column("id").Where("order_id = ?", f.shipped).OrderExpr("line_no").Limit(1).Scan(ctx, &first)
	if resp, body := a.as(users.RoleWarehouse).post(shipped+"/ship", url.Values{fmt.Sprintf("qty_%d", first): {"1"}, "tracking_number": {"1Z999AA10123456784"}}); resp.StatusCode != http.StatusFound {
		t.Fatalf("shipping: %d\n%s", resp.StatusCode, doc(t, body).Find("main").Text())
	}
	for table, ids := range map[string]*[]int64{"products": &f.products, "users": &f.users, "outbox": &f.mails, "change_requests": &f.changes} {
		if err := a.db.NewSelect().Table(table).Column("id").OrderExpr("id").Scan(ctx, ids); err != nil || len(*ids) == 0 {
			t.Fatalf("no %s in the demo data: %v", table, err)
		}
	}
	f.addInvoices(t, a)
	f.addPortalReturns(t, a)
	f.addPortalComplaints(t, a)
	openBankEntry(t, a)
	f.returns = addReturns(t, a)
	f.staffComplaints = addComplaints(t, a)
	a.db.NewSelect().Table("documents").Column("id").Where("application_id IS NOT NULL").OrderExpr("id").Limit(1).Scan(ctx, &f.appDocument)
	a.db.NewSelect().Table("documents").Column("id").Where("change_request_id IS NOT NULL").OrderExpr("id").Limit(1).Scan(ctx, &f.changeDocument)
	if f.newApp == 0 || f.waitingApp == 0 || f.appDocument == 0 || f.changeDocument == 0 {
		t.Fatalf("fixture incomplete: %+v", f)
	}
	return f
}

// tokenFromMail returns the token the newest mail's link carries.
func tokenFromMail(t *testing.T, a *testApp, pattern string) string {
	t.Helper()
	var body string
	a.db.NewSelect().Table("outbox").Column("body").Where("body ~ ?", pattern).OrderExpr("id DESC").Limit(1).Scan(context.Background(), &body)
	m := regexp.MustCompile(pattern).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no mail with a link like %s", pattern)
	}
	return m[1]
}
