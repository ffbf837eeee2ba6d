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

// What a walk through the complaints pages found: each test holds one of
// its defects fixed.

// TestComplaintPageNamesItsOrders: the staff's page of a complaint about an
// order names the order by its number, and so does the outcome of an
// exchange its replacement order (not a pointer printed as "%!d").
func TestComplaintPageNamesItsOrders(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	o := a.releasedOrder(t, "CMP-NAMES", orders.LineInput{SKU: "KR-F3090", Quantity: 1})
	am := a.as(users.RoleAccountManager)
	page := a.ackComplaint(t, am, o.ID, "The wrong colour.")
	resp, body := am.post(page+"/resolve", form("outcome", "exchange", "explanation", "We send the right one.", "sku", "KR-F3090", "quantity", "1"))
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("resolving: %d %s", resp.StatusCode, mainText(doc(t, body)))
	}
	var replacement int64
	a.db.NewRaw(`SELECT replacement_order_id FROM complaints WHERE id = ?`, strings.TrimPrefix(page, "/complaints/")).Scan(context.Background(), &replacement)
	_, body = am.get(page)
	d := doc(t, body)
	if strings.Contains(body, "%!") {
		t.Errorf("the page prints a value it cannot format: %s", mainText(d))
	}
	for _, id := range []int64{o.ID, replacement} {
		if link := d.Find(fmt.Sprintf(`a[href="/orders/%d"]`, id)); link.Length() != 1 || strings.TrimSpace(link.Text()) != fmt.Sprintf("Order %d", id) {
			t.Errorf("the link to order %d reads %q", id, link.Text())
		}
	}
}

// TestAcknowledgementIsWrittenInTheCustomersLanguage: the letter to
// complete is in the language of the customer's mail, as its subject is,
// not in the handler's; one that still holds the part to write is refused
// at the letter, with the text kept.
func TestAcknowledgementIsWrittenInTheCustomersLanguage(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.userReads(t, users.RoleAccountManager, "nl")
	if _, err := a.db.NewRaw(`UPDATE companies SET language = 'en' WHERE id = ?`, a.companyID(t, "Bakkerij Jansen B.V.")).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	am := a.as(users.RoleAccountManager)
	page := fmt.Sprintf("/complaints/%d", a.fileComplaint(t, 0, "The delivery was late."))
	_, body := am.get(page)
	d := doc(t, body)
	if h := d.Find("#ack-heading").Text(); h != "Ontvangst bevestigen" {
		t.Fatalf("the handler reads %q, want the Dutch page", h)
	}
	letter := d.Find("#ack-text").Text()
	if !strings.HasPrefix(letter, "Dear Joris Jansen,") || !strings.Contains(letter, "[What we are doing now]") {
		t.Fatalf("the letter to complete is not the customer's English: %q", letter)
	}

	resp, body := am.post(page+"/acknowledge", form("date", "2026-12-04", "text", letter))
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	d = doc(t, body)
	if msg := d.Find("#ack-text").Parent().Find(".field-error").Text(); !strings.Contains(msg, "Vervang [What we are doing now]") {
		t.Errorf("the letter with its placeholder says %q", msg)
	}
	if kept := d.Find("#ack-text").Text(); kept != letter {
		t.Errorf("the letter typed is lost: %q", kept)
	}
	if n := a.count(t, "SELECT count(*) FROM complaints WHERE acknowledged_at IS NOT NULL AND id = "+strings.TrimPrefix(page, "/complaints/")); n != 0 {
		t.Fatal("the letter with its placeholder was sent")
	}
	done := strings.Replace(letter, "[What we are doing now]", "We ask the carrier.", 1)
	if resp, body := am.post(page+"/acknowledge", form("date", "2026-12-04", "text", done)); resp.StatusCode != http.StatusFound {
		t.Fatalf("acknowledging: %d %s", resp.StatusCode, mainText(doc(t, body)))
	}
	var subject, mailBody string
	a.db.NewRaw(`SELECT subject, body FROM outbox ORDER BY id DESC LIMIT 1`).Scan(context.Background(), &subject, &mailBody)
	if !strings.HasPrefix(subject, "Your complaint") || !strings.Contains(mailBody, "We ask the carrier.") || !strings.HasPrefix(mailBody, "Dear Joris") {
		t.Errorf("the mail: %q\n%s", subject, mailBody)
	}
}

// TestComplaintTrailInDutch: a Dutch handler reads the complaint's audit
// trail in Dutch: its steps, its fields and their values, not their codes.
func TestComplaintTrailInDutch(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	f := addComplaints(t, a)
	a.userReads(t, users.RoleAccountManager, "nl")
	_, body := a.as(users.RoleAccountManager).get(fmt.Sprintf("/complaints/%d", f.escalated))
	d := doc(t, body)
	if h := d.Find("#audit-heading").Text(); h != "Audittrail" {
		t.Errorf("the trail's heading is %q", h)
	}
	trail := strings.Join(strings.Fields(d.Find("table.audit").Text()), " ")
	for _, want := range []string{"ingediend", "bevestigd", "notitie toegevoegd", "opgelost", "voorgelegd aan de directie",
		"binnengekomen via: telefonisch", "bevestigen uiterlijk", "afhandelen uiterlijk", "uitkomst: excuses",
		"stand: ontvangen, te bevestigen", "de directie antwoordt uiterlijk"} {
		if !strings.Contains(trail, want) {
			t.Errorf("the trail lacks %q: %s", want, trail)
		}
	}
	for _, code := range []string{"file ", "acknowledge ", "acknowledge by", "channel", "phone", "outcome", "apology", "received", "escalate "} {
		if strings.Contains(trail, code) {
			t.Errorf("the trail shows the code %q: %s", code, trail)
		}
	}
}

// TestComplaintQueuesSayTheirOrder: the complaints on a home page stand
// overdue first, then due soonest, and the table says so (not "oldest
// first").
func TestComplaintQueuesSayTheirOrder(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	addComplaints(t, a)
	_, body := a.as(users.RoleAccountManager).get("/")
	d := doc(t, body)
	heads := d.Find(`a[href="/complaints?state=received"]`).Closest("li").Find("table.work-rows th").First().Text()
	if heads != "Overdue first, then due soonest" {
		t.Errorf("the complaints to acknowledge are headed %q", heads)
	}
}

// TestComplaintListExportsWhatItShows: the list offers its export with the
// filters it shows; the export keeps to them and names how each complaint
// came in, in the reader's language.
func TestComplaintListExportsWhatItShows(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	addComplaints(t, a)
	cs := a.as(users.RoleCustomerService)
	_, body := cs.get("/complaints?overdue=1")
	href, _ := doc(t, body).Find(`a[href^="/complaints.xlsx"]`).Attr("href")
	if href != "/complaints.xlsx?overdue=1" {
		t.Fatalf("the overdue list exports %q", href)
	}
	resp, body := cs.get(href)
	wantStatus(t, resp, http.StatusOK)
	sheet := documentText(t, "xlsx", []byte(body))
	if rows := strings.Count(sheet, "\n") + 1; rows != 3 || !strings.Contains(sheet, "by phone") || strings.Contains(sheet, "| phone |") {
		t.Errorf("the export of the overdue list (the title, the header, 1 complaint by phone):\n%s", sheet)
	}
	_, body = cs.get("/complaints?state=open&flagged=1&unassigned=1")
	if href, _ := doc(t, body).Find(`a[href^="/complaints.xlsx"]`).Attr("href"); href != "/complaints.xlsx?flagged=1&state=open&unassigned=1" {
		t.Errorf("the filtered list exports %q", href)
	}
}

// TestComplaintDeadlinesSayWhatIsLeft: once a progress report went out,
// the two weeks no longer count down (the promised answer does); the
// board's week counts down while it is the board's turn.
func TestComplaintDeadlinesSayWhatIsLeft(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	f := addComplaints(t, a)
	am := a.as(users.RoleAccountManager)
	page := fmt.Sprintf("/complaints/%d", f.acknowledged)
	if resp, body := am.post(page+"/progress", form("date", "2026-12-15", "text", "We wait for the carrier's report.")); resp.StatusCode != http.StatusFound {
		t.Fatalf("progress report: %d %s", resp.StatusCode, mainText(doc(t, body)))
	}
	_, body := am.get(page)
	deadlines := doc(t, body).Find("#deadlines dd")
	if resolve := deadlines.Eq(2).Text(); strings.Contains(resolve, "left") {
		t.Errorf("the two weeks still count down after the progress report: %q", resolve)
	}
	if due := strings.Join(strings.Fields(doc(t, body).Find("p.due").Text()), " "); !strings.Contains(due, "the full answer promised") || !strings.Contains(due, "days left") {
		t.Errorf("the complaint waits for %q", due)
	}
	_, body = a.as(users.RoleBoard).get(fmt.Sprintf("/complaints/%d", f.escalated))
	if board := doc(t, body).Find(".board-due").Text(); !strings.Contains(board, "days left") {
		t.Errorf("the board's week shows no time left: %q", board)
	}
	_, body = a.as(users.RoleBoard).get(fmt.Sprintf("/complaints/%d", f.closed))
	if board := doc(t, body).Find(".board-due").Text(); strings.Contains(board, "left") {
		t.Errorf("the answered board's week still counts down: %q", board)
	}
}

// TestLetterToAContactWithoutMail: a complaint received by phone from a
// contact without an e-mail address says its letters are not mailed,
// before and after the acknowledgement, and none is.
func TestLetterToAContactWithoutMail(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	am := a.as(users.RoleAccountManager)
	v := complaintFormFor(a, t)
	v.Set("contact_email", "")
	v.Set("contact_phone", "+31 30 123 4567")
	resp, body := am.post("/complaints", v)
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("recording: %d %s", resp.StatusCode, mainText(doc(t, body)))
	}
	page := resp.Header.Get("Location")
	_, body = am.get(page)
	if note := doc(t, body).Find("#acknowledge .no-mail").Text(); !strings.Contains(note, "no e-mail address") {
		t.Errorf("the acknowledgement does not say it is not mailed: %q", note)
	}
	mails := a.count(t, "SELECT count(*) FROM outbox")
	if resp, body := am.post(page+"/acknowledge", form("date", "2026-12-04", "text", "Dear Joris, Mila handles it.")); resp.StatusCode != http.StatusFound {
		t.Fatalf("acknowledging: %d %s", resp.StatusCode, mainText(doc(t, body)))
	}
	_, body = am.get(page)
	if flash := doc(t, body).Find(".flash").Text(); !strings.Contains(flash, "not mailed") {
		t.Errorf("the acknowledgement says %q", flash)
	}
	if n := a.count(t, "SELECT count(*) FROM outbox"); n != mails {
		t.Errorf("%d mails written to a contact without an e-mail address", n-mails)
	}
}

// TestOrderPageRecordsAComplaint: the staff's order page offers to record
// a complaint about it, to those who record complaints, with the customer
// and the order filled in.
func TestOrderPageRecordsAComplaint(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	o := a.releasedOrder(t, "CMP-FROM-ORDER", orders.LineInput{SKU: "KR-F3090", Quantity: 1})
	want := fmt.Sprintf("/complaints/new?customer=%d&order=%d", o.CompanyID, o.ID)
	for role, offered := range map[users.Role]bool{users.RoleAccountManager: true, users.RoleCustomerService: true, users.RoleWarehouse: false} {
		_, body := a.as(role).get(fmt.Sprintf("/orders/%d", o.ID))
		if n := doc(t, body).Find(`a[href="` + want + `"]`).Length(); (n == 1) != offered {
			t.Errorf("%s: %d links to record a complaint, offered %v", role, n, offered)
		}
	}
	_, body := a.as(users.RoleAccountManager).get(want)
	d := doc(t, body)
	if v, _ := d.Find("#order").Attr("value"); v != fmt.Sprint(o.ID) || d.Find(fmt.Sprintf(`#customer option[value="%d"][selected]`, o.CompanyID)).Length() != 1 {
		t.Errorf("the form is not filled in: order %q, %s", v, mainText(d))
	}
}
