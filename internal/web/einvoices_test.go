package web_test

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"wholesale/internal/invoicing"
	"wholesale/internal/orders"
	"wholesale/internal/users"
)

// storedUBL is the e-invoice stored with the issued document number.
func (a *testApp) storedUBL(t *testing.T, number string) string {
	t.Helper()
	var content []byte
	if err := a.db.NewRaw(`SELECT d.content FROM invoice_documents d JOIN invoices i ON i.id = d.invoice_id
		WHERE i.number = ? AND d.format = 'ubl' AND NOT d.copy`, number).Scan(context.Background(), &content); err != nil {
		t.Fatalf("the UBL of %s: %v", number, err)
	}
	return string(content)
}

// wantUBL checks a download of the e-invoice of number: an XML attachment
// under its name, the stored bytes, the number and the PDF inside.
func (a *testApp) wantUBL(t *testing.T, who, number, name string, resp *http.Response, body string) {
	t.Helper()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d %.300s", who, resp.StatusCode, body)
	}
	if ct, cd := resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"); ct != "application/xml" || cd != "attachment; filename="+name {
		t.Errorf("%s: Content-Type %q, Content-Disposition %q", who, ct, cd)
	}
	if !strings.HasPrefix(body, "<?xml") || !strings.Contains(body, "<cbc:ID>"+number+"</cbc:ID>") ||
		!strings.Contains(body, "<cbc:EmbeddedDocumentBinaryObject") {
		t.Errorf("%s: not the e-invoice of %s: %.300s", who, number, body)
	}
	if body != a.storedUBL(t, number) {
		t.Errorf("%s: not the stored e-invoice", who)
	}
}

// The e-invoice of an issued document downloads beside its PDF and Excel,
// on the staff's page, in the portal and through the API, always the same
// bytes; another company's does not exist, a draft has none.
func TestEInvoiceDownloads(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	_, inv := a.invoiced(t, "BJ-UBL-1")
	n := inv.NumberOr()
	ctx, fin := a.user(t, users.RoleFinance)
	cn, err := invoicingFor(a.db, a.clk).CreditNote(ctx, fin, invoicing.CreditNoteInput{Invoice: n, Quantities: map[int]int{1: 1}, Reason: "Dented."})
	if err != nil {
		t.Fatal(err)
	}
	cnNo := cn.NumberOr()

	finance := a.as(users.RoleFinance)
	_, body := finance.get("/invoices/" + n)
	link := doc(t, body).Find("p.downloads a[href='/invoices/" + n + "/ubl']")
	if got := squeeze(link); got != "E-invoice (UBL, SI-UBL 2.0 (NLCIUS))" {
		t.Errorf("the staff's invoice page offers %q", got)
	}
	resp, file := finance.get("/invoices/" + n + "/ubl")
	a.wantUBL(t, "finance", n, "factuur-"+n+".xml", resp, file)
	if !strings.Contains(file, "<Invoice ") || !strings.Contains(file, "urn:fdc:nen.nl:nlcius:v1.0") {
		t.Errorf("a Dutch customer's invoice is no SI-UBL Invoice: %.400s", file)
	}
	resp, file = finance.get("/invoices/" + cnNo + "/ubl")
	a.wantUBL(t, "finance's credit note", cnNo, "creditnota-"+cnNo+".xml", resp, file)

	// The German customer of the demo gets Peppol BIS 3.0 and says so.
	var de string
	a.db.NewRaw(`SELECT i.number FROM invoices i JOIN companies c ON c.id = i.company_id WHERE c.name = 'Küchenwelt Müller GmbH' AND i.state = 'issued'`).
		Scan(context.Background(), &de)
	_, body = finance.get("/invoices/" + de)
	if got := squeeze(doc(t, body).Find("a[href='/invoices/" + de + "/ubl']")); got != "E-invoice (UBL, Peppol BIS Billing 3.0)" {
		t.Errorf("the German invoice %s offers %q", de, got)
	}
	resp, file = finance.get("/invoices/" + de + "/ubl")
	a.wantUBL(t, "the German invoice", de, "invoice-"+de+".xml", resp, file)
	if !strings.Contains(file, "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0") {
		t.Errorf("the German invoice is no Peppol BIS invoice: %.400s", file)
	}

	// A draft has no e-invoice yet.
	draft := a.ship(t, a.releasedOrder(t, "BJ-UBL-2", orders.LineInput{SKU: "KR-F3090", Quantity: 1}).ID)
	resp, _ = finance.get("/invoices/" + draft + "/ubl")
	wantStatus(t, resp, http.StatusNotFound)

	// The buyer, in the portal and through the API.
	buyer := a.as(users.RoleCustomer)
	_, body = buyer.get("/portal/invoices/" + n)
	if got := squeeze(doc(t, body).Find("p.downloads a[href='/portal/invoices/" + n + "/ubl']")); got != "E-invoice (UBL, SI-UBL 2.0 (NLCIUS))" {
		t.Errorf("the portal's invoice page offers %q", got)
	}
	resp, file = buyer.get("/portal/invoices/" + n + "/ubl")
	a.wantUBL(t, "the buyer", n, "factuur-"+n+".xml", resp, file)
	api := a.apiClient(t, users.RoleCustomer)
	resp, file = api.get("/api/v1/invoices/" + n + "/ubl")
	a.wantUBL(t, "the API", n, "factuur-"+n+".xml", resp, file)
	resp, file = api.get("/api/v1/credit-notes/" + cnNo + "/ubl")
	a.wantUBL(t, "the API's credit note", cnNo, "creditnota-"+cnNo+".xml", resp, file)
	if !strings.Contains(file, "<CreditNote ") {
		t.Errorf("the credit note is no UBL CreditNote: %.300s", file)
	}
	resp, body = api.get("/api/v1/credit-notes/" + n + "/ubl")
	wantStatus(t, resp, http.StatusNotFound)
	if !strings.Contains(body, `"kind":"not_found"`) {
		t.Errorf("an invoice under /credit-notes: %s", body)
	}
	resp, _ = buyer.get("/portal/invoices/" + de + "/ubl")
	wantStatus(t, resp, http.StatusNotFound)

	// Another company's user: the same addresses do not exist.
	other := a.otherBuyer(t)
	for _, p := range []string{"/portal/invoices/" + n + "/ubl", "/portal/invoices/" + cnNo + "/ubl"} {
		resp, body := other.get(p)
		wantStatus(t, resp, http.StatusNotFound)
		if strings.Contains(body, "<?xml") {
			t.Errorf("%s shows the e-invoice", p)
		}
	}
	_, body = other.post("/profile/tokens", url.Values{"name": {"ERP"}})
	otherAPI := &client{t: t, app: a, cookies: map[string]string{}, bearer: doc(t, body).Find("code.token").Text()}
	resp, _ = otherAPI.get("/api/v1/invoices/" + n + "/ubl")
	wantStatus(t, resp, http.StatusNotFound)
}

// Sales set how a customer receives its e-invoices on its page; the
// invoices issued after follow it. Others see the setting, not the form.
func TestSalesSetACustomersEInvoices(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	id := a.companyID(t, "Bakkerij Jansen B.V.")
	page := fmt.Sprintf("/customers/%d", id)
	sales := a.as(users.RoleSales)
	_, body := sales.get(page)
	d := doc(t, body)
	if got := facts(d.Find("dl.facts"))["E-invoice (UBL)"]; got != "SI-UBL 2.0 (NLCIUS) (by the country of the invoice address)" {
		t.Errorf("a Dutch customer's e-invoices by default: %q", got)
	}
	if n := d.Find("form[action^='" + page + "/einvoice'] select[name=einvoice_profile] option").Length(); n != 3 {
		t.Fatalf("the e-invoice form offers %d profiles", n)
	}
	audited := func() int64 {
		n, _ := a.db.NewSelect().Table("audit_log").Where("entity = 'company' AND entity_id = ? AND action = 'einvoice'", fmt.Sprint(id)).Count(context.Background())
		return n
	}
	stored := func() string {
		var s string
		a.db.NewRaw("SELECT concat_ws('|', einvoice_profile, peppol_id, buyer_reference, ubl_in_mail) FROM companies WHERE id = ?", id).Scan(context.Background(), &s)
		return s
	}

	// A Peppol id without its scheme: the message at the field, what was typed kept, nothing saved.
	resp, body := sales.post(page+"/einvoice", url.Values{"einvoice_profile": {"peppol"}, "peppol_id": {"30123456"}, "buyer_reference": {"Kostenplaats 12"}, "ubl_in_mail": {"1"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	d = doc(t, body)
	scope := "form[action*='/einvoice']"
	if msg := fieldMessage(d, scope, "peppol_id"); !strings.HasPrefix(msg, "Enter the Peppol id as scheme:id") {
		t.Errorf("message at the Peppol id: %q", msg)
	}
	if typedValue(d, scope, "peppol_id") != "30123456" || typedValue(d, scope, "buyer_reference") != "Kostenplaats 12" ||
		d.Find(scope+" option[value=peppol][selected]").Length() != 1 || d.Find(scope+" input[name=ubl_in_mail][checked]").Length() != 1 {
		t.Errorf("the form lost what was typed: %s", squeeze(d.Find(scope)))
	}
	if got := stored(); got != "|||f" || audited() != 0 {
		t.Errorf("a refused setting was stored: %q, %d audit entries", got, audited())
	}

	// Corrected: saved, audited, shown.
	resp, _ = sales.post(page+"/einvoice", url.Values{"einvoice_profile": {"peppol"}, "peppol_id": {"0106:30123456"}, "buyer_reference": {"Kostenplaats 12"}, "ubl_in_mail": {"1"}})
	wantStatus(t, resp, http.StatusFound)
	_, body = sales.get(resp.Header.Get("Location"))
	d = doc(t, body)
	if got := squeeze(d.Find(".flash")); got != "The e-invoice settings of Bakkerij Jansen B.V. are saved. Invoices issued from now on follow them." {
		t.Errorf("flash %q", got)
	}
	f := facts(d.Find("dl.facts"))
	if f["E-invoice (UBL)"] != "Peppol BIS Billing 3.0" || f["Peppol id"] != "0106:30123456" || f["Buyer reference"] != "Kostenplaats 12" || f["UBL with the invoice mail"] != "yes" {
		t.Errorf("the saved setting reads %q", f)
	}
	if typedValue(d, scope, "peppol_id") != "0106:30123456" || d.Find(scope+" option[value=peppol][selected]").Length() != 1 ||
		d.Find(scope+" input[name=ubl_in_mail][checked]").Length() != 1 {
		t.Errorf("the form does not show the saved setting: %s", squeeze(d.Find(scope)))
	}
	if got := stored(); got != "peppol|0106:30123456|Kostenplaats 12|t" || audited() != 1 {
		t.Errorf("stored %q, %d audit entries", got, audited())
	}

	// The account manager and finance read it; the customer reads its profile.
	for _, role := range []users.Role{users.RoleAccountManager, users.RoleFinance} {
		_, body := a.as(role).get(page)
		d := doc(t, body)
		if d.Find(scope).Length() != 0 || facts(d.Find("dl.facts"))["Peppol id"] != "0106:30123456" {
			t.Errorf("%s: offered the form, or not shown the setting", role)
		}
		if resp, _ := a.as(role).post(page+"/einvoice", url.Values{"einvoice_profile": {""}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s may post the setting: %d", role, resp.StatusCode)
		}
	}
	buyer := a.as(users.RoleCustomer)
	_, body = buyer.get("/account")
	d = doc(t, body)
	if f := facts(d.Find("dl.facts")); f["E-invoice (UBL)"] != "Peppol BIS Billing 3.0" || d.Find(scope).Length() != 0 {
		t.Errorf("the customer's account page: %q", f)
	}

	// The next invoice is a Peppol one with the buyer's reference and Peppol id.
	_, inv := a.invoiced(t, "BJ-UBL-3")
	n := inv.NumberOr()
	_, body = buyer.get("/portal/invoices/" + n)
	if got := squeeze(doc(t, body).Find("a[href$='/ubl']")); got != "E-invoice (UBL, Peppol BIS Billing 3.0)" {
		t.Errorf("the next invoice offers %q", got)
	}
	_, file := buyer.get("/portal/invoices/" + n + "/ubl")
	if !strings.Contains(file, "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0") || !strings.Contains(file, "Kostenplaats 12") ||
		!strings.Contains(file, `schemeID="0106">30123456<`) {
		t.Errorf("the next e-invoice: %.2000s", file)
	}
	// Its mail carries the UBL too, and the admin's mail page lists it with the PDF and Excel.
	var mailID int64
	if err := a.db.NewRaw("SELECT id FROM outbox WHERE subject LIKE ?", "%"+n+"%").Scan(context.Background(), &mailID); err != nil {
		t.Fatal(err)
	}
	_, body = a.as(users.RoleAdmin).get(fmt.Sprintf("/admin/mail/%d", mailID))
	files := squeeze(doc(t, body).Find("ul.files"))
	for _, want := range []string{"factuur-" + n + ".pdf", "factuur-" + n + ".xlsx", "factuur-" + n + ".xml (application/xml,"} {
		if !strings.Contains(files, want) {
			t.Errorf("the mail's page lists %q, not %q", files, want)
		}
	}
}

// Finance export the e-invoices of a period as one .zip: one .xml per
// issued document of the period, the stored bytes; a period it cannot
// export is said at its field.
func TestEInvoiceExportOfAPeriod(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	_, inv := a.invoiced(t, "BJ-UBL-4")
	ctx, fin := a.user(t, users.RoleFinance)
	if _, err := invoicingFor(a.db, a.clk).CreditNote(ctx, fin, invoicing.CreditNoteInput{Invoice: inv.NumberOr(), Quantities: map[int]int{1: 1}, Reason: "Dented."}); err != nil {
		t.Fatal(err)
	}
	a.ship(t, a.releasedOrder(t, "BJ-UBL-5", orders.LineInput{SKU: "KR-F3090", Quantity: 1}).ID) // a draft: no e-invoice

	finance := a.as(users.RoleFinance)
	_, body := finance.get("/invoices")
	form := doc(t, body).Find("form[action^='/invoices/export-ubl.zip']")
	if from, to := form.Find("input[name=from]").AttrOr("value", ""), form.Find("input[name=to]").AttrOr("value", ""); from != "2026-10-01" || to != "2026-11-24" {
		t.Errorf("the export proposes %s to %s, not from the first of last month to today", from, to)
	}
	if _, body := a.as(users.RoleAccountManager).get("/invoices"); doc(t, body).Find("form[action^='/invoices/export-ubl.zip']").Length() != 0 {
		t.Error("the account manager is offered the export")
	}

	for _, period := range [][2]string{{"2026-11-01", "2026-11-30"}, {"2026-11-24", "2026-11-24"}} {
		resp, file := finance.get("/invoices/export-ubl.zip?from=" + period[0] + "&to=" + period[1])
		wantStatus(t, resp, http.StatusOK)
		if ct, cd := resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"); ct != "application/zip" ||
			cd != "attachment; filename=e-invoices-"+period[0]+"-"+period[1]+".zip" {
			t.Errorf("Content-Type %q, Content-Disposition %q", ct, cd)
		}
		z, err := zip.NewReader(strings.NewReader(file), int64(len(file)))
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		a.db.NewRaw("SELECT number FROM invoices WHERE state = 'issued' AND issue_date BETWEEN ? AND ? ORDER BY number", period[0], period[1]).
			Scan(context.Background(), &want)
		var got []string
		for _, e := range z.File {
			number := e.Name[strings.Index(e.Name, "-")+1 : len(e.Name)-len(".xml")]
			if !strings.HasSuffix(e.Name, ".xml") || strings.Contains(e.Name, "/") {
				t.Errorf("a file %q in the zip", e.Name)
			}
			got = append(got, number)
			r, err := e.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != a.storedUBL(t, number) {
				t.Errorf("%s is not the stored e-invoice of %s", e.Name, number)
			}
		}
		sort.Strings(got)
		if strings.Join(got, " ") != strings.Join(want, " ") || len(want) < 2 {
			t.Errorf("%s to %s: the zip holds %q, want %q", period[0], period[1], got, want)
		}
	}

	scope := "form[action^='/invoices/export-ubl.zip']"
	for _, c := range []struct{ query, field, want string }{
		{"from=2026-13-01&to=2026-11-30", "from", "Enter the date"},
		{"from=2026-11-01", "to", "Enter the date"},
		{"from=2025-01-01&to=2026-11-30", "to", "at most 366 days"},
		{"from=2026-01-01&to=2026-01-31", "from", "No invoice or credit note was issued in this period."},
		{"from=2026-11-30&to=2026-11-01", "to", "The end of the period is before its start."},
	} {
		resp, body := finance.get("/invoices/export-ubl.zip?" + c.query)
		wantStatus(t, resp, http.StatusUnprocessableEntity)
		d := doc(t, body)
		if msg := fieldMessage(d, scope, c.field); !strings.Contains(msg, c.want) {
			t.Errorf("%s: message at %s %q, want %q", c.query, c.field, msg, c.want)
		}
		if d.Find(scope+" input[name="+c.field+"][aria-invalid=true]").Length() != 1 {
			t.Errorf("%s: the field %s is not marked invalid", c.query, c.field)
		}
		q, _ := url.ParseQuery(c.query)
		if typedValue(d, scope, "from") != q.Get("from") || typedValue(d, scope, "to") != q.Get("to") {
			t.Errorf("%s: the form lost what was typed", c.query)
		}
		if d.Find("table.invoices tbody tr").Length() < 2 {
			t.Errorf("%s: the list is gone", c.query)
		}
	}
	resp, _ := a.as(users.RoleAccountManager).get("/invoices/export-ubl.zip?from=2026-11-01&to=2026-11-30")
	wantStatus(t, resp, http.StatusForbidden)
}
