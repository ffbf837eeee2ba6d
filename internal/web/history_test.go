package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"wholesale/internal/audit"
	"wholesale/internal/orders"
	"wholesale/internal/users"
)

// historyRows reads the history table under sel: one line per entry,
// "who | what | change; change; …".
func historyRows(t *testing.T, body, sel string) []string {
	t.Helper()
	var out []string
	doc(t, body).Find(sel + " table.history tbody tr").Each(func(_ int, tr *goquery.Selection) {
		td := tr.Find("td")
		var changes []string
		td.Eq(3).Find("li").Each(func(_ int, li *goquery.Selection) {
			changes = append(changes, strings.Join(strings.Fields(li.Text()), " "))
		})
		out = append(out, strings.TrimSpace(td.Eq(1).Text())+" | "+strings.Join(strings.Fields(td.Eq(2).Text()), " ")+" | "+strings.Join(changes, "; "))
	})
	return out
}

func hasRow(rows []string, parts ...string) bool {
	for _, r := range rows {
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(r, p)
		}
		if ok {
			return true
		}
	}
	return false
}

// TestOrderHistoryIsReadable: after an amendment the order page shows its
// revisions and audit entries as who, when and which fields changed from
// what to what, and no raw JSON; the admin's audit page likewise, linking
// the order.
func TestOrderHistoryIsReadable(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	var id, lineID int64
	a.db.NewSelect().Table("orders").Column("id").Where("po_reference = 'BJ-2026-118'").Scan(ctx, &id)
	a.db.NewSelect().Table("order_lines").Column("id").Where("order_id = ? AND line_no = 1", id).Scan(ctx, &lineID)
	am, err := a.users.Login(ctx, loginOf(users.RoleAccountManager).Email, loginOf(users.RoleAccountManager).Password)
	if err != nil {
		t.Fatal(err)
	}
	svc := &orders.Service{DB: a.db, Clock: a.clk, BaseURL: "http://localhost:8080"}
	shipping := "20"
	if _, err := svc.Amend(audit.WithActor(ctx, audit.Actor{UserID: am.ID, Label: am.Email}), am, id, orders.AmendInput{
		Lines: []orders.LineInput{{ID: lineID, Quantity: 3}}, Shipping: &shipping}); err != nil {
		t.Fatal(err)
	}
	page := fmt.Sprintf("/orders/%d", id)
	for _, role := range []users.Role{users.RoleAccountManager, users.RoleSales, users.RoleWarehouse} {
		_, body := a.as(role).get(page)
		revs := historyRows(t, body, "#revisions")
		if len(revs) != 2 || !hasRow(revs[:1], "Mila Accountmanager | Revision 2:", "lines.1.quantity: 2 → 3", "shipping: € 14,95 → € 20,00", "total incl: € ") ||
			!hasRow(revs[1:], "Revision 1: created", "lines.1: cancelled no, line no 1, quantity 2, sku KR-EA8108", "po reference: BJ-2026-118") {
			t.Errorf("%s: revisions %q", role, revs)
		}
		trail := historyRows(t, body, "#audit-trail")
		if !hasRow(trail, "am@wholesale.test | amend", "order.lines.1.quantity: 2 → 3", "order.shipping: € 14,95 → € 20,00", "revision: 1 → 2") ||
			!hasRow(trail, "place", "status: draft → awaiting_confirmation") {
			t.Errorf("%s: audit trail %q", role, trail)
		}
		if main := doc(t, body).Find("main").Text(); strings.Contains(main, `{"`) || strings.Contains(main, `":`) {
			t.Errorf("%s: raw JSON on the order page", role)
		}
	}
	_, body := a.as(users.RoleAdmin).get(fmt.Sprintf("/admin/audit?entity=order&entity_id=%d", id))
	trail := historyRows(t, body, "main")
	if !hasRow(trail, fmt.Sprintf("order %d: amend", id), "order.lines.1.quantity: 2 → 3") {
		t.Errorf("admin audit page: %q", trail)
	}
	if href, _ := doc(t, body).Find("main table.history tbody a").First().Attr("href"); href != page {
		t.Errorf("the entry links %q, want %q", href, page)
	}
	if main := doc(t, body).Find("main").Text(); strings.Contains(main, `{"`) {
		t.Error("raw JSON on the audit page")
	}
}

// TestApplicationPageShowsItsAuditWithoutHashes: sales see the
// application's audit entries on its page; the documents are listed without
// their hashes, which admins find on a details toggle.
func TestApplicationPageShowsItsAuditWithoutHashes(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	var id int64
	var hashes []string
	a.db.NewSelect().Table("applications").Column("id").OrderExpr("id").Limit(1).Scan(context.Background(), &id)
	a.db.NewSelect().Table("documents").Column("sha256").Where("application_id = ?", id).OrderExpr("id").Scan(context.Background(), &hashes)
	if len(hashes) != 4 {
		t.Fatalf("%d documents", len(hashes))
	}
	page := fmt.Sprintf("/applications/%d", id)
	sales := a.as(users.RoleSales)
	sales.post(page+"/checks", map[string][]string{"item": {"doc_vat_statement"}, "result": {"pass"}, "note": {"readable"}})
	// The applicant sends a newer KvK extract through the link sales mail.
	sales.post(page+"/request-documents", map[string][]string{"request_note": {"A newer KvK extract, please."}})
	token := tokenFromMail(t, a, `/apply/documents/([0-9a-f]+)`)
	newer := append(append([]byte{}, pdfDoc...), "newer"...)
	if resp, _ := a.client().postMultipart("/apply/documents/"+token, nil, map[string][]byte{"doc_kvk_extract": newer}); resp.StatusCode != 302 {
		t.Fatalf("adding the document: %d", resp.StatusCode)
	}
	hashes = nil
	a.db.NewSelect().Table("documents").Column("sha256").Where("application_id = ?", id).OrderExpr("id").Scan(context.Background(), &hashes)
	if len(hashes) != 5 {
		t.Fatalf("%d documents after adding one", len(hashes))
	}
	_, body := sales.get(page)
	d := doc(t, body)
	trail := historyRows(t, body, "#audit-trail")
	if !hasRow(trail, "sales@wholesale.test | check doc vat statement", "passed: yes", "note: readable") || !hasRow(trail, "system | create", "Company name: Koffiebranderij De Boon B.V.") ||
		!hasRow(trail, "document added", "filename: doc_kvk_extract.pdf", "kind: kvk_extract") || !hasRow(trail, "documents requested", "note: A newer KvK extract, please.") {
		t.Errorf("sales see the trail %q", trail)
	}
	if n := d.Find("main a[href^='/documents/']").Length(); n != 5 {
		t.Errorf("%d documents listed", n)
	}
	for _, h := range hashes {
		if strings.Contains(body, h) {
			t.Errorf("sales see the hash %s", h)
		}
	}
	if d.Find("main details.hashes").Length() != 0 || strings.Contains(d.Find("main").Text(), "sha256") {
		t.Error("sales see the hashes' toggle or a sha256 field")
	}
	_, body = a.as(users.RoleAdmin).get(page)
	d = doc(t, body)
	toggle := d.Find("main details.hashes")
	for _, h := range hashes {
		if !strings.Contains(toggle.Text(), h) || strings.Contains(d.Find("main a[href^='/documents/']").Parent().Text(), h) {
			t.Errorf("admin: hash %s not on the toggle, or in the list of documents", h)
		}
	}
	if trail := historyRows(t, body, "#audit-trail"); !hasRow(trail, "document added", "sha256: "+hashes[4]) {
		t.Errorf("admin: the trail lacks the added document's hash: %q", trail)
	}
	if toggle.Find("summary").Text() != "SHA-256 of each document" {
		t.Errorf("toggle %q", toggle.Find("summary").Text())
	}
}
