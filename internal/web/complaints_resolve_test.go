package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"wholesale/internal/orders"
	"wholesale/internal/users"
)

// ackComplaint files a complaint of the demo customer about order and
// acknowledges it through the page; it returns the complaint's page.
func (a *testApp) ackComplaint(t *testing.T, am *client, order int64, description string) string {
	t.Helper()
	page := fmt.Sprintf("/complaints/%d", a.fileComplaint(t, order, description))
	resp, body := am.post(page+"/acknowledge", form("date", "2026-12-04", "text", "Dear Joris, Mila handles it."))
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("acknowledging: %d %s", resp.StatusCode, mainText(doc(t, body)))
	}
	return page
}

// A refund is a credit note of the customer's invoice: the handler names
// the invoice and the lines; the complaint's pages show the credit note,
// for staff and for the customer. An invoice of another customer, or
// none, is refused at its field and writes nothing.
func TestComplaintRefundIsACreditNote(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	o, inv := a.invoiced(t, "CMP-REFUND")
	am := a.as(users.RoleAccountManager)
	page := a.ackComplaint(t, am, o.ID, "One kettle arrived dented.")
	notes := func() int {
		return a.count(t, fmt.Sprintf("SELECT count(*) FROM invoices WHERE kind = 'credit_note' AND company_id = %d", o.CompanyID))
	}
	before := notes()

	for _, bad := range []struct{ invoice, want string }{
		{"", "Enter the invoice to refund."},
		{"2099-999999", "2099-999999 is not an invoice of this customer."},
	} {
		resp, body := am.post(page+"/resolve", form("outcome", "refund", "explanation", "Checked the photos.", "invoice", bad.invoice, "quantities", "1:1"))
		wantStatus(t, resp, http.StatusUnprocessableEntity)
		d := doc(t, body)
		if msg := d.Find("#invoice").Parent().Text(); !strings.Contains(msg, bad.want) {
			t.Errorf("invoice %q: the page says %q, want %q", bad.invoice, msg, bad.want)
		}
		if v, _ := d.Find(`textarea[name="explanation"]`).Html(); !strings.Contains(v, "Checked the photos.") {
			t.Errorf("the explanation typed is lost: %q", v)
		}
	}
	if n := notes(); n != before {
		t.Fatalf("a refused refund wrote %d credit notes", n-before)
	}

	resp, body := am.post(page+"/resolve", form("outcome", "refund", "explanation", "Checked the photos.\nWe credit one kettle.",
		"invoice", *inv.Number, "quantities", "1:1"))
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("resolving: %d %s", resp.StatusCode, mainText(doc(t, body)))
	}
	if n := notes(); n != before+1 {
		t.Fatalf("%d credit notes, want 1", n-before)
	}
	var number string
	var credited int64
	a.db.NewRaw(`SELECT cn.number, cn.total_incl_cents FROM complaints cp JOIN invoices cn ON cn.id = cp.credit_note_id WHERE cp.id = ?`,
		strings.TrimPrefix(page, "/complaints/")).Scan(context.Background(), &number, &credited)
	if number == "" || credited >= 0 {
		t.Fatalf("the complaint's credit note %q of %d cents", number, credited)
	}
	_, body = am.get(page)
	outcome := doc(t, body).Find("#outcome").Text()
	for _, want := range []string{"refund", "credit note", number, "We credit one kettle."} {
		if !strings.Contains(outcome, want) {
			t.Errorf("the outcome lacks %q: %s", want, outcome)
		}
	}
	if href, _ := doc(t, body).Find(`#outcome a[href="/invoices/` + number + `"]`).Attr("href"); href == "" {
		t.Error("the staff page does not link the credit note")
	}
	// Empty quantities credit what is left of every line: the rest of the
	// invoice; then nothing is left, said at the quantities.
	page2 := a.ackComplaint(t, am, o.ID, "And the books were wet.")
	resp, body = am.post(page2+"/resolve", form("outcome", "refund", "explanation", "All of it.", "invoice", *inv.Number, "quantities", ""))
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("refunding the rest: %d %s", resp.StatusCode, mainText(doc(t, body)))
	}
	var rest int64
	a.db.NewRaw(`SELECT cn.total_incl_cents FROM complaints cp JOIN invoices cn ON cn.id = cp.credit_note_id WHERE cp.id = ?`,
		strings.TrimPrefix(page2, "/complaints/")).Scan(context.Background(), &rest)
	if credited+rest != -inv.TotalInclCents {
		t.Errorf("credited %d and %d of an invoice of %d", credited, rest, inv.TotalInclCents)
	}
	page3 := a.ackComplaint(t, am, o.ID, "Once more.")
	resp, body = am.post(page3+"/resolve", form("outcome", "refund", "explanation", "Again.", "invoice", *inv.Number, "quantities", ""))
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if msg := doc(t, body).Find("#quantities").Parent().Find(".field-error").Text(); !strings.Contains(msg, "credited in full already") {
		t.Errorf("a refund of a fully credited invoice says %q", msg)
	}

	_, body = a.as(users.RoleCustomer).get("/portal" + page)
	answer := doc(t, body).Find("#answer")
	if !strings.Contains(answer.Text(), number) || answer.Find(`a[href="/portal/invoices/`+number+`"]`).Length() != 1 {
		t.Errorf("the portal's answer lacks the credit note %s: %s", number, answer.Text())
	}
}

// An exchange is a zero-priced replacement order, placed with the
// complaint's reference; the customer service manager may settle one too.
func TestComplaintExchangeIsAReplacementOrder(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	o := a.releasedOrder(t, "CMP-EXCHANGE", orders.LineInput{SKU: "KR-F3090", Quantity: 1})
	page := a.ackComplaint(t, a.as(users.RoleAccountManager), o.ID, "The wrong colour.")
	id := strings.TrimPrefix(page, "/complaints/")
	cs := a.as(users.RoleCustomerService)

	resp, body := cs.post(page+"/resolve", form("outcome", "exchange", "explanation", "We send the right one.", "sku", "", "quantity", "1"))
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if !strings.Contains(mainText(doc(t, body)), "Enter the SKU to send in exchange.") {
		t.Errorf("no SKU: %s", mainText(doc(t, body)))
	}
	if n := a.count(t, "SELECT count(*) FROM orders WHERE complaint_id = "+id); n != 0 {
		t.Fatalf("a refused exchange placed %d orders", n)
	}

	resp, body = cs.post(page+"/resolve", form("outcome", "exchange", "explanation", "We send the right one.", "sku", "kr-f3090", "quantity", "1"))
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("resolving: %d %s", resp.StatusCode, mainText(doc(t, body)))
	}
	var order struct {
		ID    int64
		PO    string
		Total int64
		State string
	}
	a.db.NewRaw(`SELECT id, po_reference, total_incl_cents, state FROM orders WHERE complaint_id = ?`, id).
		Scan(context.Background(), &order.ID, &order.PO, &order.Total, &order.State)
	if order.ID == 0 || order.PO != "COMPLAINT-"+id || order.Total != 0 || order.State == "draft" {
		t.Fatalf("the replacement order: %+v", order)
	}
	_, body = cs.get(page)
	if outcome := doc(t, body).Find("#outcome"); !strings.Contains(outcome.Text(), "exchange") ||
		outcome.Find(fmt.Sprintf(`a[href="/orders/%d"]`, order.ID)).Length() != 1 {
		t.Errorf("the outcome does not show the replacement order %d: %s", order.ID, outcome.Text())
	}
	resp, body = cs.get(fmt.Sprintf("/orders/%d", order.ID))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("the replacement order's page: %d %s", resp.StatusCode, mainText(doc(t, body)))
	}
	if h := doc(t, body).Find("h1").Text(); !strings.Contains(h, "COMPLAINT-"+id) {
		t.Errorf("the customer service manager opens the replacement order: %q", h)
	}
	_, body = a.as(users.RoleCustomer).get("/portal" + page)
	if doc(t, body).Find(fmt.Sprintf(`#answer a[href="/portal/orders/%d"]`, order.ID)).Length() != 1 {
		t.Errorf("the portal does not link the replacement order: %s", mainText(doc(t, body)))
	}
}
