package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
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

// demoOrderToAmend is the demo order BJ-2026-118, its first line, the
// demo account manager, and the order service to amend it with.
func demoOrderToAmend(t *testing.T, a *testApp) (id, lineID int64, am *users.User, svc *orders.Service) {
	t.Helper()
	ctx := context.Background()
	a.db.NewSelect().Table("orders").Column("id").Where("po_reference = 'BJ-2026-118'").Scan(ctx, &id)
	a.db.NewSelect().Table("order_lines").Column("id").Where("order_id = ? AND line_no = 1", id).Scan(ctx, &lineID)
	am, err := a.users.Login(ctx, loginOf(users.RoleAccountManager).Email, loginOf(users.RoleAccountManager).Password)
	if err != nil {
		t.Fatal(err)
	}
	return id, lineID, am, &orders.Service{DB: a.db, Clock: a.clk, BaseURL: "http://localhost:8080"}
}

// TestOrderHistoryIsReadable: after an amendment the order page shows its
// revisions and audit entries as who, when and which fields changed from
// what to what, and no raw JSON; the admin's audit page likewise, linking
// the order.
func TestOrderHistoryIsReadable(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	id, lineID, am, svc := demoOrderToAmend(t, a)
	shipping := "20"
	if _, err := svc.Amend(audit.WithActor(ctx, audit.Actor{UserID: am.ID, Label: am.Email}), am, id, orders.AmendInput{
		Lines: []orders.LineInput{{ID: lineID, Quantity: 3}}, Shipping: &shipping}); err != nil {
		t.Fatal(err)
	}
	page := fmt.Sprintf("/orders/%d", id)
	for _, role := range []users.Role{users.RoleAccountManager, users.RoleSales, users.RoleWarehouse} {
		_, body := a.as(role).get(page)
		revs := historyRows(t, body, "#revisions")
		if len(revs) != 2 || !hasRow(revs[:1], "Mila Accountmanager | Revision 2:", "lines.1.quantity: 2 → 3", "shipping: €14.95 → €20.00", "total incl. VAT: €1,245.03 → €1,649.23") ||
			!hasRow(revs[1:], "Revision 1: created", "lines.1: cancelled no, line no 1, quantity 2, sku KR-EA8108", "po reference: BJ-2026-118") {
			t.Errorf("%s: revisions %q", role, revs)
		}
		trail := historyRows(t, body, "#audit-trail")
		if !hasRow(trail, "am@wholesale.test | amended", "order.lines.1.quantity: 2 → 3", "order.shipping: €14.95 → €20.00", "revision: 1 → 2") ||
			!hasRow(trail, "place", "status: draft → awaiting confirmation") {
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

// TestLongOrderHistoryShowsTheNewest: an order amended a dozen times shows
// its ten newest revisions and audit entries, newest first, with a link to
// the whole history, which shows every revision.
func TestLongOrderHistoryShowsTheNewest(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	id, lineID, am, svc := demoOrderToAmend(t, a)
	actx := audit.WithActor(ctx, audit.Actor{UserID: am.ID, Label: am.Email})
	for k := 1; k <= 12; k++ { // revisions 2 to 13: the quantity 3, 2, 3, …, 2 (at most 5 an order)
		if _, err := svc.Amend(actx, am, id, orders.AmendInput{Lines: []orders.LineInput{{ID: lineID, Quantity: 2 + k%2}}}); err != nil {
			t.Fatal(err)
		}
	}
	page := fmt.Sprintf("/orders/%d", id)
	_, body := a.as(users.RoleAccountManager).get(page)
	revs := historyRows(t, body, "#revisions")
	if len(revs) != 10 || !hasRow(revs[:1], "Revision 13:", "lines.1.quantity: 3 → 2") || !hasRow(revs[9:], "Revision 4:") {
		t.Errorf("revisions shown: %q", revs)
	}
	if trail := historyRows(t, body, "#audit-trail"); len(trail) != 10 || !hasRow(trail[:1], "amend", "order.lines.1.quantity: 3 → 2") {
		t.Errorf("audit entries shown: %q", trail)
	}
	link := doc(t, body).Find(`#revisions a[href="` + page + `?history=all#revisions"]`)
	if !strings.Contains(link.Text(), "Show the whole history") || !strings.Contains(doc(t, body).Find("#revisions p").Text(), "The newest 10 revisions and audit entries.") {
		t.Errorf("no link to the whole history: %q", doc(t, body).Find("#revisions").Text())
	}
	_, body = a.as(users.RoleAccountManager).get(page + "?history=all")
	revs = historyRows(t, body, "#revisions")
	if len(revs) != 13 || !hasRow(revs[:1], "Revision 13:") || !hasRow(revs[12:], "Revision 1: created") {
		t.Errorf("the whole history shows %d revisions: %q", len(revs), revs)
	}
	if trail := historyRows(t, body, "#audit-trail"); len(trail) < 13 {
		t.Errorf("the whole history shows %d audit entries", len(trail))
	}
	if doc(t, body).Find(`#revisions a[href$="history=all#revisions"]`).Length() != 0 {
		t.Error("the whole history links to itself")
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
	if !hasRow(trail, "sales@wholesale.test | VAT statement checked", "passed: yes", "note: readable") || !hasRow(trail, "system | created", "company name: Koffiebranderij De Boon B.V.") ||
		!hasRow(trail, "document added", "filename: doc_kvk_extract.pdf", "kind: KvK extract (uittreksel Kamer van Koophandel)") || !hasRow(trail, "documents requested", "note: A newer KvK extract, please.") {
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

// asDutch is a client logged in with the demo login of role, whose user
// reads the application in Dutch.
func (a *testApp) asDutch(role users.Role) *client {
	a.t.Helper()
	if _, err := a.db.NewRaw("UPDATE users SET language = 'nl' WHERE email = ?", loginOf(role).Email).Exec(context.Background()); err != nil {
		a.t.Fatal(err)
	}
	c := a.as(role)
	c.lang = "nl"
	return c
}

// TestAuditTrailReadsInDutch: a Dutch admin reads the audit trail in
// Dutch: the headings, the actions and kinds of things, the field labels,
// yes and no as ja and nee, the amounts in the Dutch format, each on one
// line.
func TestAuditTrailReadsInDutch(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	id, lineID, am, svc := demoOrderToAmend(t, a)
	shipping := "20"
	if _, err := svc.Amend(audit.WithActor(ctx, audit.Actor{UserID: am.ID, Label: am.Email}), am, id, orders.AmendInput{
		Lines: []orders.LineInput{{ID: lineID, Quantity: 3}}, Shipping: &shipping}); err != nil {
		t.Fatal(err)
	}
	admin := a.asDutch(users.RoleAdmin)
	_, body := admin.get(fmt.Sprintf("/admin/audit?entity=order&entity_id=%d", id))
	d := doc(t, body)
	if h := d.Find("main h1").Text(); h != "Audittrail" {
		t.Errorf("heading %q", h)
	}
	var heads []string
	d.Find("main table.history thead th").Each(func(_ int, th *goquery.Selection) { heads = append(heads, th.Text()) })
	if strings.Join(heads, "|") != "Wanneer|Wie|Wat|Wijzigingen" {
		t.Errorf("columns %q", heads)
	}
	trail := historyRows(t, body, "main")
	if !hasRow(trail, fmt.Sprintf("am@wholesale.test | order %d: gewijzigd", id), "order.regels.1.aantal: 2 → 3", "order.verzendkosten: € 14,95 → € 20,00",
		"order.totaal incl. btw: € 1.245,03 → € 1.649,23", "revisie: 1 → 2") ||
		!hasRow(trail, "geplaatst", "kredietblokkade: geen blokkade") ||
		!hasRow(trail, "aangemaakt", "afleveradres.plaats: Utrecht", "regels.1: geannuleerd nee, regelnummer 1, aantal 2, artikelnummer KR-EA8108, stukprijs € 329,00",
			"PO-referentie: BJ-2026-118", "volledig verzenden: nee") {
		t.Errorf("the Dutch admin reads the order's trail %q", trail)
	}
	if when := strings.TrimSpace(d.Find("main table.history tbody td").First().Text()); when != "24-11-2026 10:00" {
		t.Errorf("when %q, want the Dutch date and time", when)
	}
	var amounts []string
	d.Find("main table.history ul.changes span.amount").Each(func(_ int, s *goquery.Selection) { amounts = append(amounts, s.Text()) })
	if !slices.Contains(amounts, "€ 14,95") || !slices.Contains(amounts, "€ 1.649,23") || !slices.Contains(amounts, "€ 329,00") {
		t.Errorf("the amounts of the changes are not each kept on one line: %q", amounts)
	}
	if got := d.Find("main select#entity option[value='supplier_order']").Text(); got != "inkooporder" {
		t.Errorf("the kind supplier_order is offered as %q", got)
	}

	_, body = admin.get("/admin/audit?entity=user&entity_id=" + itoa(am.ID))
	if trail := historyRows(t, body, "main"); !hasRow(trail, "systeem | gebruiker "+itoa(am.ID)+": aangemaakt", "actief: ja", "rol: Accountmanager") {
		t.Errorf("the account manager's creation reads %q", trail)
	}
}

// TestHeldOrderHistoryReadsInDutch: a Dutch admin reads a held order's
// history with the stored codes as their Dutch labels (the status, the
// credit hold) and the reason of the hold in Dutch, its amounts each in
// its span; a reason stored as English text before stays as it was.
func TestHeldOrderHistoryReadsInDutch(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	cid := fmt.Sprint(a.companyID(t, "Bakkerij Jansen B.V."))
	resp, _ := a.as(users.RoleAccountManager).post("/orders", url.Values{"company_id": {cid}, "po_reference": {"BJ-HELD"},
		"sku_0": {"KR-EA8108"}, "qty_0": {"5"}, "sku_1": {"TF-GC7148"}, "qty_1": {"60"}, "shipping": {"0"}, "action": {"place"}})
	wantStatus(t, resp, http.StatusFound)
	id := strings.TrimPrefix(resp.Header.Get("Location"), "/orders/")
	admin := a.asDutch(users.RoleAdmin)
	const reason = "Openstaand saldo € 2.648,02 + deze order € 12.081,85 overschrijdt de kredietlimiet van € 10.000,00."
	for _, page := range []string{"/admin/audit?entity=order&entity_id=" + id, "/orders/" + id} {
		_, body := admin.get(page)
		trail := historyRows(t, body, "main")
		if !hasRow(trail, "geplaatst", "status: concept → wacht op kredietgoedkeuring", "kredietblokkade: geblokkeerd, wacht op goedkeuring",
			"reden kredietblokkade: "+reason) {
			t.Errorf("%s: the Dutch admin reads the held order's trail %q", page, trail)
		}
		var amounts []string
		doc(t, body).Find("main table.history ul.changes li").Each(func(_ int, li *goquery.Selection) {
			if strings.Contains(li.Text(), "reden kredietblokkade") {
				li.Find("span.amount").Each(func(_ int, s *goquery.Selection) { amounts = append(amounts, s.Text()) })
			}
		})
		if strings.Join(amounts, "|") != "€ 2.648,02|€ 12.081,85|€ 10.000,00" {
			t.Errorf("%s: the amounts of the reason are %q", page, amounts)
		}
	}
	const old = "Exposure €2,648.02 + this order €12,081.85 passes the credit limit €10,000.00."
	if err := audit.Record(context.Background(), a.db, a.clk.Now(), audit.Change{Entity: "order", EntityID: id, Action: "place",
		After: map[string]any{"credit_reason": old}}); err != nil {
		t.Fatal(err)
	}
	_, body := admin.get("/admin/audit?entity=order&entity_id=" + id)
	if trail := historyRows(t, body, "main"); !hasRow(trail, "geplaatst", "reden kredietblokkade: "+old) {
		t.Errorf("an old reason reads %q", trail)
	}
}
