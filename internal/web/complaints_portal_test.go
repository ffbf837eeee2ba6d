package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"wholesale/internal/complaints"
	"wholesale/internal/customers"
	"wholesale/internal/orders"
	"wholesale/internal/users"
)

// complaintsService is the complaints service of a test app, for the
// steps the staff take.
func (a *testApp) complaintsService() *complaints.Service {
	return &complaints.Service{DB: a.db, Clock: a.clk, BaseURL: "http://localhost:8080"}
}

// A customer files a complaint about an order from the order's page (the
// order number its reference, the contact prefilled), follows the letters
// and escalates the outcome to the board. The account manager's internal
// note never reaches the customer, in the portal or the API; another
// company finds nothing.
func TestPortalComplaintFromTheOrderToTheBoard(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.sellerDetails(t)
	o := a.releasedOrder(t, "CMP-1", orders.LineInput{SKU: "KR-F3090", Quantity: 1})
	buyer := a.as(users.RoleCustomer)
	login := loginOf(users.RoleCustomer)

	_, body := buyer.get(fmt.Sprintf("/portal/orders/%d", o.ID))
	href, _ := doc(t, body).Find(`main a:contains("File a complaint")`).Attr("href")
	if want := fmt.Sprintf("/portal/complaints/new?order=%d", o.ID); href != want {
		t.Fatalf("the order's page links %q to file a complaint, want %q", href, want)
	}
	body = wantOnPage(t, buyer, href, "Your order number is also the reference of your complaint.", "within 3 working days")
	page := doc(t, body)
	if v, _ := page.Find(`input[name=order]`).Attr("value"); v != fmt.Sprint(o.ID) {
		t.Errorf("the form's order is %q", v)
	}
	if v, _ := page.Find(`input[name=contact_email]`).Attr("value"); v != login.Email {
		t.Errorf("the form's e-mail is %q, want the user's %q", v, login.Email)
	}

	// Bad input: a message at each field, the values kept, nothing written.
	resp, body := buyer.post("/portal/complaints", form("order", "12x", "contact_name", "Joris", "contact_email", "", "description", "  "))
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	page = doc(t, body)
	for _, f := range []string{"order", "contact_email", "description"} {
		if _, bad := page.Find("#" + f).Attr("aria-invalid"); !bad {
			t.Errorf("field %s is not marked invalid", f)
		}
	}
	if v, _ := page.Find(`input[name=order]`).Attr("value"); v != "12x" {
		t.Errorf("the order typed is not kept: %q", v)
	}
	if !strings.Contains(text(t, body), "Enter the order number the complaint is about") || !strings.Contains(text(t, body), "Describe the complaint.") {
		t.Errorf("no field messages: %.800s", text(t, body))
	}
	resp, _ = buyer.post("/portal/complaints", form("order", "999999", "contact_name", "Joris", "contact_email", "joris@jansen.test", "description", "Broken."))
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if n := a.count(t, "SELECT count(*) FROM complaints"); n != 0 {
		t.Fatalf("bad input wrote %d complaints", n)
	}

	resp, _ = buyer.post("/portal/complaints", form("order", fmt.Sprint(o.ID), "contact_name", "Joris", "contact_email", "joris@jansen.test",
		"description", "The kettle arrived with a dent."))
	wantStatus(t, resp, http.StatusFound)
	var id int64
	if _, err := fmt.Sscanf(resp.Header.Get("Location"), "/portal/complaints/%d", &id); err != nil {
		t.Fatalf("filed, then sent to %q", resp.Header.Get("Location"))
	}
	path := fmt.Sprintf("/portal/complaints/%d", id)
	// Filed on Tuesday 24 November: acknowledged by Friday 27 November.
	ref := fmt.Sprintf("order %d", o.ID)
	wantOnPage(t, buyer, path, "Your complaint is filed", fmt.Sprintf("Complaint: %s", ref), "received, to acknowledge",
		"acknowledgement, by 27 Nov 2026 (3 days left)", "The kettle arrived with a dent.")
	body = wantOnPage(t, buyer, "/portal/complaints", ref, "27 Nov 2026", "acknowledgement", "3 days left")
	if got, _ := doc(t, body).Find(fmt.Sprintf("#complaint-%d a", id)).Attr("href"); got != path {
		t.Errorf("the list links %q", got)
	}

	// The account manager acknowledges, notes, investigates and answers.
	ctx, am := a.user(t, users.RoleAccountManager)
	svc := a.complaintsService()
	const secret = "SECRET: the driver admitted dropping it"
	if _, err := svc.Acknowledge(ctx, am, id, complaints.LetterInput{Date: "2026-12-04", Text: "We handle it."}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddNote(ctx, am, id, secret); err != nil {
		t.Fatal(err)
	}
	if _, err := a.db.NewRaw("UPDATE complaints SET investigator_id = ? WHERE id = ?", am.ID, id).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	wantOnPage(t, buyer, path, "acknowledged, being handled", "You can expect an answer by 4 Dec 2026.", "resolution or progress report")
	if _, err := svc.Resolve(ctx, am, id, complaints.ResolveInput{Outcome: complaints.OutcomeApology,
		Explanation: "We checked the packing: the carton was too thin. We apologise and changed the packaging."}); err != nil {
		t.Fatal(err)
	}
	wantOnPage(t, buyer, path, "Outcome: apology", "the carton was too thin", "Not satisfied with the outcome?")

	// Escalation: the reason is required, then the board answers within a week.
	resp, body = buyer.post(path+"/escalate", form("reason", " "))
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if !strings.Contains(text(t, body), "Say why the outcome does not satisfy you.") {
		t.Errorf("no message at the reason: %.500s", text(t, body))
	}
	resp, _ = buyer.post(path+"/escalate", form("reason", "An apology does not fix the kettle."))
	wantStatus(t, resp, http.StatusFound)
	wantOnPage(t, buyer, path, "escalated to the board", "An apology does not fix the kettle.", "The board answers by 1 Dec 2026.")

	// The internal note and the investigator never reach the customer.
	for _, p := range []string{path, "/portal/complaints"} {
		_, body := buyer.get(p)
		if strings.Contains(body, "SECRET") {
			t.Errorf("%s shows the internal note", p)
		}
	}
	api := a.apiClient(t, users.RoleCustomer)
	for _, p := range []string{fmt.Sprintf("/api/v1/complaints/%d", id), "/api/v1/complaints"} {
		resp, body := api.get(p)
		wantStatus(t, resp, http.StatusOK)
		if strings.Contains(body, "SECRET") || strings.Contains(body, "investigator") || !strings.Contains(body, ref) {
			t.Errorf("the customer's %s: %.800s", p, body)
		}
	}
	resp, body = a.apiClient(t, users.RoleAccountManager).get(fmt.Sprintf("/api/v1/complaints/%d", id))
	wantStatus(t, resp, http.StatusOK)
	if !strings.Contains(body, "SECRET") {
		t.Errorf("the account manager does not get the notes: %.500s", body)
	}

	// The complaints log as .xlsx: staff only.
	resp, body = a.as(users.RoleAccountManager).get("/complaints.xlsx")
	wantStatus(t, resp, http.StatusOK)
	if xl := documentText(t, "xlsx", []byte(body)); !strings.Contains(xl, ref) || !strings.Contains(xl, "escalated to the board") || !strings.Contains(xl, "apology") {
		t.Errorf("the export reads %q", xl)
	}
	if resp, _ := buyer.get("/complaints.xlsx"); resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusNotFound {
		t.Errorf("a customer exports the log: %d", resp.StatusCode)
	}

	// Another company: not found in the portal and the API, and not listed.
	other := a.otherBuyer(t)
	resp, _ = other.get(path)
	wantStatus(t, resp, http.StatusNotFound)
	resp, _ = other.post(path+"/escalate", form("reason", "x"))
	wantStatus(t, resp, http.StatusNotFound)
	if _, body := other.get("/portal/complaints"); strings.Contains(text(t, body), ref) {
		t.Error("another company lists the complaint")
	}
	otherAPI := a.otherCustomerAPI(t)
	resp, _ = otherAPI.get(fmt.Sprintf("/api/v1/complaints/%d", id))
	wantStatus(t, resp, http.StatusNotFound)
	if _, body := otherAPI.get("/api/v1/complaints"); strings.Contains(body, ref) {
		t.Error("another company's API lists the complaint")
	}
}

// The API files a complaint for the customer's own company; an order of
// another company is not its reference.
func TestAPIComplaintCreate(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	o := a.releasedOrder(t, "CMP-2", orders.LineInput{SKU: "KR-F3090", Quantity: 1})
	api := a.apiClient(t, users.RoleCustomer)
	resp, body := api.postJSON("/api/v1/complaints", "", map[string]any{"order": "", "contact_name": "Joris", "description": ""})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if !strings.Contains(body, "description") || !strings.Contains(body, "contact_email") {
		t.Errorf("fields: %s", body)
	}
	// Filed once however often the customer's system sends it with the same
	// Idempotency-Key; the retry gets the first answer, read afresh.
	req := fmt.Sprintf(`{"order": "%d", "contact_name": "Joris", "contact_email": "joris@jansen.test", "description": "Dented."}`, o.ID)
	var first, again struct {
		ID        int64  `json:"id"`
		Reference string `json:"reference"`
		State     string `json:"state"`
		Due       struct {
			By string `json:"by"`
		} `json:"due"`
	}
	for i, v := range []any{&first, &again} {
		resp, body = api.raw(http.MethodPost, "/api/v1/complaints", "application/json", req, map[string]string{"Idempotency-Key": "cmp-2-a"})
		wantStatus(t, resp, http.StatusCreated)
		if replayed := resp.Header.Get("Idempotent-Replayed") == "true"; replayed != (i == 1) {
			t.Errorf("request %d replayed: %v", i, replayed)
		}
		if !strings.Contains(body, fmt.Sprintf(`"reference":"order %d"`, o.ID)) || !strings.Contains(body, `"acknowledge_by":"2026-11-27`) {
			t.Errorf("created: %s", body)
		}
		if err := json.Unmarshal([]byte(body), v); err != nil {
			t.Fatal(err)
		}
	}
	if again != first || first.ID == 0 || first.State != "received" || first.Due.By != "2026-11-27" {
		t.Errorf("the retry answered %+v, the first %+v", again, first)
	}
	if n := a.count(t, fmt.Sprintf("SELECT count(*) FROM complaints WHERE order_id = %d", o.ID)); n != 1 {
		t.Errorf("the same key filed %d complaints", n)
	}
	resp, _ = a.otherCustomerAPI(t).postJSON("/api/v1/complaints", "", map[string]any{"order": fmt.Sprint(o.ID), "contact_name": "Y",
		"contact_email": "y@andere.test", "description": "Not ours."})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
}

// addPortalComplaints gives the walk the customer's complaints: one just
// filed about the invoiced order, one acknowledged with a progress report
// and an internal note, one resolved, one escalated and one closed by the
// board.
func (f *pageFixture) addPortalComplaints(t *testing.T, a *testApp) {
	t.Helper()
	ctx := context.Background()
	svc := a.complaintsService()
	bctx, buyer := a.user(t, users.RoleCustomer)
	actx, am := a.user(t, users.RoleAccountManager)
	board, err := a.users.Create(ctx, users.NewUser{Email: "board@walk.test", Name: "Board", Role: users.RoleBoard, Password: "long enough pw"})
	if err != nil {
		t.Fatal(err)
	}
	file := func(order string) int64 {
		c, err := svc.File(bctx, buyer, complaints.FileInput{Order: order, ContactName: "Joris", ContactEmail: "joris@bakkerij-jansen.test",
			Description: "The kettle arrived dented."})
		if err != nil {
			t.Fatal(err)
		}
		return c.ID
	}
	step := func(_ *complaints.Complaint, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	ack := func(id int64) {
		step(svc.Acknowledge(actx, am, id, complaints.LetterInput{Date: "2026-12-04", Text: "We handle it."}))
	}
	resolve := func(id int64) {
		ack(id)
		step(svc.Resolve(actx, am, id, complaints.ResolveInput{Outcome: complaints.OutcomeApology, Explanation: "We changed the packaging."}))
	}
	closed := file("")
	resolve(closed)
	step(svc.Escalate(bctx, buyer, closed, "Not enough."))
	step(svc.BoardAnswer(actx, board, closed, "We stand by the answer."))
	escalated := file("")
	resolve(escalated)
	step(svc.Escalate(bctx, buyer, escalated, "Not enough."))
	resolve(file(""))
	progress := file("")
	ack(progress)
	step(svc.AddNote(actx, am, progress, "Internal: ask the carrier."))
	step(svc.Progress(actx, am, progress, complaints.LetterInput{Date: "2026-12-18", Text: "Still investigating."}))
	withPhoto := file(fmt.Sprint(f.invoiced))
	step(svc.AddDocuments(bctx, buyer, withPhoto, []customers.Upload{{Filename: "dent.pdf", Content: pdfDoc}}))
	docs, err := complaints.DocumentsOf(ctx, a.db, withPhoto)
	if err != nil || len(docs) != 1 {
		t.Fatalf("the complaint's documents: %v %v", docs, err)
	}
	f.portalDocument = fmt.Sprintf("/portal/complaints/%d/documents/%d", withPhoto, docs[0].ID)
	if err := a.db.NewRaw("SELECT id FROM complaints ORDER BY id DESC").Scan(ctx, &f.complaints); err != nil {
		t.Fatal(err)
	}
}

// portalComplaintValues is a good complaint about the demo order
// BJ-2026-118, with one field replaced.
func portalComplaintValues(field, value string) url.Values {
	v := form("order", "{po}", "contact_name", "Joris Jansen", "contact_email", "joris@bakkerij-jansen.test", "contact_phone", "",
		"description", "The kettles arrived dented.")
	v.Set(field, value)
	return v
}

var portalComplaintTables = []string{"complaints", "complaint_notes"}

var portalComplaintBadCases = append(append(documentBadCases("portal complaint", users.RoleCustomer, path("/portal/complaints"), portalComplaintValues("contact_phone", ""), ""),
	documentBadCases("portal documents", users.RoleCustomer, portalDocumentsPath, nil, "#documents")...), []badCase{
	{name: "complaint: order in words", role: users.RoleCustomer, path: path("/portal/complaints"), form: portalComplaintValues("order", "twelve"),
		field: "order", want: "order number", keep: true, watch: portalComplaintTables},
	{name: "complaint: no such order", role: users.RoleCustomer, path: path("/portal/complaints"), form: portalComplaintValues("order", "999999"),
		field: "order", want: "has no order 999999", keep: true, watch: portalComplaintTables},
	{name: "complaint: order 2^63", role: users.RoleCustomer, path: path("/portal/complaints"), form: portalComplaintValues("order", "9223372036854775808"),
		field: "order", keep: true, watch: portalComplaintTables},
	{name: "complaint: no description", role: users.RoleCustomer, path: path("/portal/complaints"), form: portalComplaintValues("description", " "),
		field: "description", want: "Describe the complaint.", watch: portalComplaintTables},
	{name: "complaint: description of 5,001", role: users.RoleCustomer, path: path("/portal/complaints"), form: portalComplaintValues("description", strings.Repeat("x", 5001)),
		field: "description", want: "at most 5,000", keep: true, watch: portalComplaintTables},
	{name: "complaint: description with NUL", role: users.RoleCustomer, path: path("/portal/complaints"), form: portalComplaintValues("description", "dented\x00"),
		field: "description", want: "NUL", watch: portalComplaintTables},
	{name: "complaint: no name", role: users.RoleCustomer, path: path("/portal/complaints"), form: portalComplaintValues("contact_name", ""),
		field: "contact_name", want: "Enter who we answer.", watch: portalComplaintTables},
	{name: "complaint: bad e-mail", role: users.RoleCustomer, path: path("/portal/complaints"), form: portalComplaintValues("contact_email", "joris@"),
		field: "contact_email", keep: true, watch: portalComplaintTables},
	{name: "complaint: no way to answer", role: users.RoleCustomer, path: path("/portal/complaints"), form: portalComplaintValues("contact_email", ""),
		field: "contact_email", want: "e-mail address or a phone number", watch: portalComplaintTables},
	{name: "complaint: phone of 51", role: users.RoleCustomer, path: path("/portal/complaints"), form: portalComplaintValues("contact_phone", strings.Repeat("1", 51)),
		field: "contact_phone", keep: true, watch: portalComplaintTables},
}...)

// portalDocumentsPath adds documents to the received complaint of the
// fixture in the portal.
func portalDocumentsPath(f *badFixture) string {
	return fmt.Sprintf("/portal/complaints/%d/documents", f.complaints.received)
}

// The complaint form the bad input table spoils is good but for the field
// it spoils.
func TestComplaintFormOfTheBadInputTableIsGood(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	values := url.Values{}
	for k, vs := range portalComplaintValues("contact_phone", "020 123 4567") {
		values.Set(k, strings.ReplaceAll(vs[0], "{po}", fmt.Sprint(a.orderID(t, "BJ-2026-118"))))
	}
	if resp, body := a.as(users.RoleCustomer).post("/portal/complaints", values); resp.StatusCode != http.StatusFound {
		t.Errorf("%d %.300s", resp.StatusCode, text(t, body))
	}
}
