package web_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/uptrace/bun"

	"wholesale/internal/customers"
	"wholesale/internal/mail"
	"wholesale/internal/users"
)

var pdfDoc = []byte("%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n")

// testFile is a file of a form a test posts.
type testFile struct {
	field, name string
	content     []byte
}

// postMultipart sends a form with a file a field, each named after its
// field with .pdf, with the CSRF token.
func (c *client) postMultipart(path string, fields url.Values, files map[string][]byte) (*http.Response, string) {
	c.t.Helper()
	var list []testFile
	for field, content := range files {
		list = append(list, testFile{field, field + ".pdf", content})
	}
	return c.postFiles(path, fields, list)
}

// postFiles sends a form with files, several to a field if need be, with
// the CSRF token.
func (c *client) postFiles(path string, fields url.Values, files []testFile) (*http.Response, string) {
	c.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("_csrf", c.csrf())
	for k, vs := range fields {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	for _, f := range files {
		fw, _ := w.CreateFormFile(f.field, f.name)
		fw.Write(f.content)
	}
	w.Close()
	return c.do(http.MethodPost, path, &buf, w.FormDataContentType())
}

func applyFields() url.Values {
	return url.Values{
		"company_name": {"Groente Groothandel Pieters"}, "kvk": {"41234567"}, "vat_id": {"NL004495445B01"},
		"visiting_street": {"Veilingweg 3"}, "visiting_postcode": {"2671 AA"}, "visiting_city": {"Naaldwijk"}, "visiting_country": {"NL"},
		"invoice_same": {"1"}, "contact_name": {"Piet Pieters"}, "contact_email": {"piet@pieters.test"}, "contact_phone": {"0174 123 456"},
		"iban": {"NL20INGB0001234567"}, "account_holder": {"Groente Groothandel Pieters"}, "terms": {"1"},
	}
}

func allDocs() map[string][]byte {
	out := map[string][]byte{}
	for i, k := range customers.ApplicationDocKinds {
		out["doc_"+k] = append(append([]byte{}, pdfDoc...), byte('a'+i))
	}
	return out
}

func TestApplyFormKeepsEverythingTypedIncludingFiles(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.client()
	f := applyFields()
	f.Set("vat_id", "NL123456789B90")
	files := allDocs()
	files["doc_letterhead"] = []byte("GIF89a not allowed")
	resp, body := c.postMultipart("/apply", f, files)
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	d := doc(t, body)
	for name, want := range map[string]string{"company_name": "Groente Groothandel Pieters", "iban": "NL20INGB0001234567", "vat_id": "NL123456789B90"} {
		if v, _ := d.Find("input[name=" + name + "]").Attr("value"); v != want {
			t.Errorf("%s = %q, want %q", name, v, want)
		}
	}
	if _, ok := d.Find("input[name=terms]").Attr("checked"); !ok {
		t.Error("terms checkbox lost")
	}
	if n := d.Find("p.kept").Length(); n != 3 {
		t.Fatalf("%d files shown as kept, want 3", n)
	}
	errs := d.Find(".field-error").Text()
	if !strings.Contains(errs, "check digits") || !strings.Contains(errs, "PDF, PNG or JPEG") {
		t.Fatalf("field messages: %q", errs)
	}
	stash, _ := d.Find("input[name=stash]").Attr("value")
	// Corrected: only the VAT id and the refused file are sent again.
	f.Set("vat_id", "NL004495445B01")
	f.Set("stash", stash)
	resp, _ = c.postMultipart("/apply", f, map[string][]byte{"doc_letterhead": append(pdfDoc, 'z')})
	wantStatus(t, resp, http.StatusFound)
	var n int
	a.db.NewSelect().Table("documents").ColumnExpr("count(*)").Where("application_id IS NOT NULL").Scan(context.Background(), &n)
	if n != 8 { // 4 of the demo application, 4 of this one
		t.Fatalf("%d documents", n)
	}
}

func TestApplyVetApproveInviteLogin(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()

	// A business applies on the public form.
	resp, _ := a.client().postMultipart("/apply", applyFields(), allDocs())
	wantStatus(t, resp, http.StatusFound)
	var appID int64
	a.db.NewSelect().Table("applications").Column("id").Where("kvk = '41234567'").Scan(ctx, &appID)
	if appID == 0 {
		t.Fatal("no application stored")
	}
	path := fmt.Sprintf("/applications/%d", appID)

	// Sales sees it in the queue and vets it.
	sales := a.as(users.RoleSales)
	_, body := sales.get("/applications")
	if !strings.Contains(body, "Groente Groothandel Pieters") {
		t.Fatal("not in the queue")
	}
	resp, body = sales.post(path+"/approve", url.Values{"payment_terms": {"credit"}, "credit_limit": {"5000"}, "account_manager_id": {"1"}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "every check passed") {
		t.Fatalf("approved before vetting: %d", resp.StatusCode)
	}
	_, body = sales.get(path)
	var items []string
	doc(t, body).Find("input[name=item]").Each(func(_ int, s *goquery.Selection) {
		v, _ := s.Attr("value")
		items = append(items, v)
	})
	if len(items) != 8 {
		t.Fatalf("%d checklist items", len(items))
	}
	for _, it := range items {
		f := url.Values{"item": {it}, "result": {"pass"}, "note": {"seen"}}
		if it == customers.CheckKvKRecent {
			f.Set("kvk_extract_date", "2026-11-01")
		}
		resp, body := sales.post(path+"/checks", f)
		if resp.StatusCode != http.StatusFound {
			t.Fatalf("check %s: %d %s", it, resp.StatusCode, doc(t, body).Find(".field-error, .error-box").Text())
		}
	}
	var amID int64
	a.db.NewSelect().Table("users").Column("id").Where("role = 'account_manager'").Scan(ctx, &amID)
	resp, body = sales.post(path+"/approve", url.Values{"payment_terms": {"credit"}, "credit_limit": {"5.000"}, "payment_term_days": {"14"}, "account_manager_id": {fmt.Sprint(amID)}})
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("approve: %d %s", resp.StatusCode, doc(t, body).Find(".error-box, .field-error").Text())
	}
	loc := resp.Header.Get("Location")
	_, body = sales.get(loc)
	if !strings.Contains(doc(t, body).Find("main").Text(), "credit limit €5,000.00, 14 days") {
		t.Fatal("customer page lacks the terms")
	}

	// The contact person follows the invitation link and logs in.
	msgs, _ := mail.List(ctx, a.db, 5)
	var token string
	for _, m := range msgs {
		if m.To == "piet@pieters.test" {
			if mm := regexp.MustCompile(`/invite/([0-9a-f]+)`).FindStringSubmatch(m.Body); mm != nil {
				token = mm[1]
			}
		}
	}
	if token == "" {
		t.Fatal("no invitation mailed")
	}
	piet := a.client()
	resp, _ = piet.get("/invite/" + token)
	wantStatus(t, resp, http.StatusOK)
	resp, _ = piet.post("/invite/"+token, url.Values{"password": {"short"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	resp, _ = piet.post("/invite/"+token, url.Values{"password": {"groente en fruit 2026"}})
	wantStatus(t, resp, http.StatusFound)
	resp, _ = piet.post("/login", url.Values{"email": {"piet@pieters.test"}, "password": {"groente en fruit 2026"}})
	if resp.Header.Get("Location") != "/" {
		t.Fatal("invited user cannot log in")
	}
	_, body = piet.get("/account")
	if !strings.Contains(body, "Groente Groothandel Pieters") || !strings.Contains(body, "NL20 INGB 0001 2345 67") {
		t.Fatal("account page")
	}

	// Documents: the applicant's own users and sales may download; another customer may not.
	var docID int64
	a.db.NewSelect().Table("documents").Column("id").Where("application_id = ?", appID).Limit(1).Scan(ctx, &docID)
	resp, _ = piet.get(fmt.Sprintf("/documents/%d", docID))
	wantStatus(t, resp, http.StatusOK)
	if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("headers: %q %q", cd, resp.Header.Get("Content-Type"))
	}
	resp, _ = a.as(users.RoleCustomer).get(fmt.Sprintf("/documents/%d", docID))
	wantStatus(t, resp, http.StatusNotFound)
	resp, _ = a.as(users.RoleAccountManager).get(fmt.Sprintf("/documents/%d", docID))
	wantStatus(t, resp, http.StatusForbidden)
	resp, _ = sales.get(fmt.Sprintf("/documents/%d", docID))
	wantStatus(t, resp, http.StatusOK)
}

func TestAccountChangeOverHTTP(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	buyer := a.as(users.RoleCustomer)
	resp, body := buyer.post("/account/changes", url.Values{"kind": {"bank"}, "iban": {"NL91ABNA0417164301"}, "account_holder": {"Bakkerij Jansen B.V."}})
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if v, _ := doc(t, body).Find("#bank-iban").Attr("value"); v != "NL91ABNA0417164301" {
		t.Fatalf("typed IBAN lost: %q", v)
	}
	resp, _ = buyer.post("/account/changes", url.Values{"kind": {"bank"}, "iban": {"NL20INGB0001234567"}, "account_holder": {"Bakkerij Jansen B.V."}})
	wantStatus(t, resp, http.StatusFound)
	change := resp.Header.Get("Location")
	_, body = buyer.get(change)
	if doc(t, body).Find("form[action$='/confirm']").Length() != 0 {
		t.Fatal("portal confirmation offered for a bank change")
	}
	sales := a.as(users.RoleSales)
	_, body = sales.get("/changes")
	if doc(t, body).Find("tr.bank").Length() != 1 {
		t.Fatal("bank change not highlighted")
	}
	resp, _ = sales.post(change+"/approve", nil)
	wantStatus(t, resp, http.StatusConflict)
	resp, _ = buyer.postMultipart(change+"/confirmation", nil, map[string][]byte{"confirmation": pdfDoc})
	wantStatus(t, resp, http.StatusFound)
	resp, _ = sales.post(change+"/approve", nil)
	wantStatus(t, resp, http.StatusFound)
	_, body = buyer.get("/account")
	if !strings.Contains(body, "NL20 INGB 0001 2345 67") || !strings.Contains(body, "approved and in effect") {
		t.Fatal("change not in effect or not in the history")
	}
	// Another company's customer user does not see it.
	other := a.client()
	ctx := context.Background()
	var companyID int64
	err := a.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		c, err := customers.Create(ctx, tx, a.clk.Now(), "Other B.V.")
		companyID = c.ID
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.users.Create(ctx, users.NewUser{Email: "x@other.test", Name: "X", Role: users.RoleCustomer, CompanyID: companyID, Password: "long enough pw"}); err != nil {
		t.Fatal(err)
	}
	other.post("/login", url.Values{"email": {"x@other.test"}, "password": {"long enough pw"}})
	resp, _ = other.get(change)
	wantStatus(t, resp, http.StatusNotFound)
	resp, _ = other.get("/customers/1")
	wantStatus(t, resp, http.StatusForbidden)
}
