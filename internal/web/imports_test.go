package web_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"testing"

	"wholesale/internal/users"
)

// postFile sends a form with one file whose name is sent exactly as given
// (control characters and all), with the CSRF token and the fields.
func (c *client) postFile(path string, fields url.Values, field, filename string, content []byte) (*http.Response, string) {
	c.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("_csrf", c.csrf())
	for k, vs := range fields {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	h := make(textproto.MIMEHeader)
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="%s"; filename="%s"`, field, filename))
	h.Set("Content-Type", "application/octet-stream")
	part, _ := w.CreatePart(h)
	part.Write(content)
	w.Close()
	return c.do(http.MethodPost, path, &buf, w.FormDataContentType())
}

func (a *testApp) onHand(t *testing.T, sku string) int {
	var n int
	if err := a.db.NewSelect().TableExpr("stock s").ColumnExpr("s.on_hand").Join("JOIN products p ON p.id = s.product_id").
		Join("JOIN warehouses w ON w.id = s.warehouse_id").Where("p.sku = ? AND w.is_main", sku).Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// fieldError returns the message shown at a form field of a page: the
// first field error after it.
func fieldError(t *testing.T, body, field string) string {
	t.Helper()
	return strings.TrimSpace(doc(t, body).Find(`[name="` + field + `"]`).NextAllFiltered("p.field-error").First().Text())
}

// TestImportLargerThanDocumentsIsReadWhole is the stock figure that became
// 12: a count file larger than a document (10 MB) but within the import
// limit (20 MB) was cut at 10 MB and the cut file imported. It is read whole.
func TestImportLargerThanDocumentsIsReadWhole(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	wh := a.as(users.RoleWarehouse)
	head, last := "sku,warehouse,on_hand\n", "KR-GVX2,MAIN,12345\n"
	// Blank lines pad the file so that 10 MB and one byte end in "12".
	pad := 10<<20 + 1 - len(head) - len("KR-GVX2,MAIN,12")
	file := []byte(head + strings.Repeat("\n", pad) + last)
	resp, body := wh.postFile("/stock/import", nil, "file", "count.csv", file)
	wantStatus(t, resp, http.StatusOK)
	if !strings.Contains(body, "Imported: 0 new, 1 updated") {
		t.Fatalf("report: %s", doc(t, body).Find(".flash, .error-box").Text())
	}
	if n := a.onHand(t, "KR-GVX2"); n != 12345 {
		t.Fatalf("on hand %d, want 12345", n)
	}
}

// TestUploadsOverTheirLimitAreRefusedWhole posts files one byte over each
// limit: the form comes back with the message at the file's field and
// nothing is written.
func TestUploadsOverTheirLimitAreRefusedWhole(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	over := append([]byte("sku,warehouse,on_hand\nKR-XS5300,MAIN,7\n"), bytes.Repeat([]byte("\n"), 20<<20)...)
	for _, c := range []struct {
		role         users.Role
		path, field  string
		form, answer string
	}{
		{users.RoleWarehouse, "/stock/import", "file", `form[action="/stock/import"]`, "This file is larger than 20 MB: split it into smaller files. Nothing was imported."},
		{users.RoleWarehouse, "/supplier-stock/import", "supplier_file", `form[action="/supplier-stock/import"]`, "This file is larger than 20 MB"},
		{users.RoleAdmin, "/products/import", "file", `form[action="/products/import"]`, "This file is larger than 20 MB"},
	} {
		resp, body := a.as(c.role).postFile(c.path, nil, c.field, "count.csv", over)
		wantStatus(t, resp, http.StatusUnprocessableEntity)
		if doc(t, body).Find(c.form).Length() != 1 || !strings.HasPrefix(fieldError(t, body, c.field), c.answer) {
			t.Fatalf("%s: field message %q", c.path, fieldError(t, body, c.field))
		}
	}
	if n := a.onHand(t, "KR-XS5300"); n != 200 {
		t.Fatalf("on hand %d after refused imports", n)
	}
	// A document of 10 MB and one byte on the public application form.
	files := allDocs()
	files["doc_letterhead"] = append(append([]byte{}, pdfDoc...), bytes.Repeat([]byte(" "), 10<<20+1-len(pdfDoc))...)
	resp, body := a.client().postMultipart("/apply", applyFields(), files)
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	if msg := fieldError(t, body, "doc_letterhead"); msg != "This file is larger than 10 MB. Scan it at a lower resolution or send a PDF." {
		t.Fatalf("document: %q", msg)
	}
	var n int
	a.db.NewSelect().Table("applications").ColumnExpr("count(*)").Where("company_name = 'Groente Groothandel Pieters'").Scan(context.Background(), &n)
	if n != 0 {
		t.Fatal("an application was recorded with a refused document")
	}
}

// TestFileNamesWithControlCharactersGetTheFormBack posts, to every form
// with an upload, files whose names hold a NUL, another control character
// or bytes that are not UTF-8: each form comes back (422, never a bare 400
// or a 5xx) with the message at the file's field, and nothing is written.
func TestFileNamesWithControlCharactersGetTheFormBack(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	buyer := a.as(users.RoleCustomer)
	resp, _ := buyer.post("/account/changes", url.Values{"kind": {"bank"}, "iban": {"NL20INGB0001234567"}, "account_holder": {"Bakkerij Jansen B.V."}})
	wantStatus(t, resp, http.StatusFound)
	var changeID, orderID int64
	a.db.NewSelect().Table("change_requests").Column("id").OrderExpr("id DESC").Limit(1).Scan(ctx, &changeID)
	a.db.NewSelect().Table("orders").Column("id").Where("status = 'awaiting_confirmation'").Limit(1).Scan(ctx, &orderID)
	if changeID == 0 || orderID == 0 {
		t.Fatalf("change %d, order %d", changeID, orderID)
	}
	var docsBefore int
	a.db.NewSelect().Table("documents").ColumnExpr("count(*)").Where("change_request_id IS NOT NULL OR order_id IS NOT NULL").Scan(ctx, &docsBefore)
	csv := []byte("sku,warehouse,on_hand\nKR-XS5300,MAIN,7\n")
	forms := []struct {
		role         users.Role
		path, field  string
		fields       url.Values
		content      []byte
		form, answer string
	}{
		{users.RoleAdmin, "/products/import", "file", nil, []byte("sku,name,unit_price\nNEW-1,Kettle,1\n"), `form[action="/products/import"]`, ""},
		{users.RoleWarehouse, "/stock/import", "file", nil, csv, `form[action="/stock/import"]`, ""},
		{users.RoleWarehouse, "/supplier-stock/import", "supplier_file", nil, []byte("sku,supplier_stock,lead_days\nKR-XS5300,9,2\n"), `form[action="/supplier-stock/import"]`, ""},
		{"", "/apply", "doc_vat_statement", applyFields(), pdfDoc, `form[action="/apply"]`, ""},
		{users.RoleCustomer, fmt.Sprintf("/changes/%d/confirmation", changeID), "confirmation", nil, pdfDoc, `input[name="confirmation"]`, ""},
		{users.RoleAccountManager, fmt.Sprintf("/orders/%d/confirm-written", orderID), "file", url.Values{"note": {"mail of J. Jansen"}, "received_on": {"2026-11-24"}},
			pdfDoc, fmt.Sprintf(`form[action="/orders/%d/confirm-written"]`, orderID), ""},
	}
	names := map[string]string{
		"a NUL":                       "conf\x00irmation.pdf",
		"another control character":   "conf\x01irmation.pdf",
		"a carriage return":           "conf\rirmation.pdf",
		"a C1 control character":      "conf\u0085irmation.pdf",
		"bytes that are not UTF-8":    "conf\xffirmation.pdf",
		"a name of 256 characters":    strings.Repeat("n", 252) + ".pdf",
		"a DEL":                       "conf\x7firmation.pdf",
		"a tab (Go's parser lets it)": "conf\tirmation.pdf",
	}
	for what, name := range names {
		for _, f := range forms {
			c := a.client()
			if f.role != "" {
				c = a.as(f.role)
			}
			fields := url.Values{}
			for _, k := range customersDocKindsBut(f.field, f.fields) {
				fields[k] = f.fields[k]
			}
			resp, body := c.postFile(f.path, fields, f.field, name, f.content)
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("%s, %s: status %d: %.300s", f.path, what, resp.StatusCode, body)
			}
			msg := fieldError(t, body, f.field)
			if doc(t, body).Find(f.form).Length() != 1 || !strings.HasPrefix(msg, "The file's name") || !strings.HasSuffix(msg, "rename the file and choose it again.") &&
				!strings.HasSuffix(msg, "Nothing was imported.") {
				t.Fatalf("%s, %s: field message %q", f.path, what, msg)
			}
		}
	}
	var docs, products, supplier int
	a.db.NewSelect().Table("documents").ColumnExpr("count(*)").Where("change_request_id IS NOT NULL OR order_id IS NOT NULL").Scan(ctx, &docs)
	a.db.NewSelect().Table("products").ColumnExpr("count(*)").Where("sku = 'NEW-1'").Scan(ctx, &products)
	a.db.NewSelect().Table("supplier_stock").ColumnExpr("count(*)").Where("quantity = 9").Scan(ctx, &supplier)
	if docs-docsBefore+products+supplier != 0 || a.onHand(t, "KR-XS5300") != 200 {
		t.Fatalf("written: %d documents, %d products, %d supplier stock, on hand %d", docs, products, supplier, a.onHand(t, "KR-XS5300"))
	}
	// The same files with a plain name go through.
	resp, body := a.as(users.RoleAccountManager).postFile(fmt.Sprintf("/orders/%d/confirm-written", orderID),
		url.Values{"note": {"mail of J. Jansen"}, "received_on": {"2026-11-24"}}, "file", "confirmation.pdf", pdfDoc)
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("a plain name: %d %s", resp.StatusCode, doc(t, body).Find("main").Text())
	}
}

// customersDocKindsBut returns the keys of fields (the form's other values).
func customersDocKindsBut(field string, fields url.Values) []string {
	var out []string
	for k := range fields {
		if k != field {
			out = append(out, k)
		}
	}
	return out
}

// TestHostileImportOverHTTPGivesAShortReport posts a file of 300,000 bad
// rows that packs into half a MB: the page answers 422 with the count and
// the first 100 problems, and stays small.
func TestHostileImportOverHTTPGivesAShortReport(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	var b bytes.Buffer
	b.WriteString("sku,name,unit_price\n")
	for i := 0; i < 300_000; i++ {
		b.WriteString("\x00" + strings.Repeat("x", 40) + ",Kettle,x\n")
	}
	resp, body := a.as(users.RoleAdmin).postFile("/products/import", nil, "file", "products.csv", b.Bytes())
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	box := doc(t, body).Find(".error-box")
	if !strings.Contains(box.Find("p").Text(), "Nothing was imported: 20,001 problems need correcting first; the first 100 are listed, 19,901 more are not.") {
		t.Fatalf("report: %q", box.Find("p").Text())
	}
	if n := box.Find("tbody tr").Length(); n != 100 {
		t.Fatalf("%d rows listed", n)
	}
	if len(body) > 100<<10 {
		t.Fatalf("the page is %d bytes", len(body))
	}
}

// TestSupplierStockStatusOnTheProductPageAndInTheOrder imports the
// supplier's stock over HTTP and asserts what people see: the seventh
// status on the product page and in the order form's check, in English
// (lang_stock_test.go reads it in Dutch), and the expected date of a back-ordered line (today, 24 November,
// plus the lead time of 3 calendar days).
func TestSupplierStockStatusOnTheProductPageAndInTheOrder(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	wh := a.as(users.RoleWarehouse)
	resp, body := wh.postFile("/supplier-stock/import", nil, "supplier_file", "supplier.csv", []byte("sku,supplier_stock,lead_days\nMX-QA1,6,5\n"))
	wantStatus(t, resp, http.StatusOK)
	if !strings.Contains(body, "Imported: 0 new, 1 updated") {
		t.Fatalf("import: %s", doc(t, body).Find(".flash, .error-box").Text())
	}
	resp, body = wh.get("/supplier-stock/export?format=csv")
	if resp.StatusCode != http.StatusOK || body != "sku,supplier_stock,lead_days\nMX-QA1,6,5\nTF-BL8118,8,3\n" {
		t.Fatalf("export: %d %q", resp.StatusCode, body)
	}
	am := a.as(users.RoleAccountManager)
	var id int64
	a.db.NewSelect().Table("products").Column("id").Where("sku = 'MX-QA1'").Scan(context.Background(), &id)
	_, body = am.get(fmt.Sprintf("/products/%d", id))
	status := strings.Join(strings.Fields(doc(t, body).Find("p.status-supplier_stock").Text()), " ")
	if status != "Ordered from our supplier's stock (expected 29 Nov 2026)" {
		t.Fatalf("product page: %q", status)
	}
	_, body = am.get("/products")
	if !strings.Contains(body, "Ordered from our supplier&#39;s stock (expected 27 Nov 2026)") {
		t.Fatal("the demo's blender lacks the status on the products list")
	}
	cid := fmt.Sprint(a.companyID(t, "Bakkerij Jansen B.V."))
	form := url.Values{"company_id": {cid}, "po_reference": {"BJ-777"}, "sku_0": {"TF-BL8118"}, "qty_0": {"2"},
		"address": {"visiting"}, "shipping_method": {"UPS"}, "shipping": {"15"}, "action": {"check"}}
	resp, body = am.post("/orders", form)
	wantStatus(t, resp, http.StatusOK)
	if !strings.Contains(body, "Ordered from our supplier&#39;s stock (expected 27 Nov 2026)") {
		t.Fatalf("order check: %s", doc(t, body).Find("form").Text())
	}
	form.Set("action", "place")
	resp, _ = am.post("/orders", form)
	wantStatus(t, resp, http.StatusFound)
	_, body = am.get(resp.Header.Get("Location"))
	if !strings.Contains(body, "2 waiting, expected 27 Nov 2026") {
		t.Fatalf("order page: %s", doc(t, body).Find("main").Text())
	}
}

// TestProductFormShowsEachBoundAtItsField posts the product form with a
// field past its bound each: the form comes back with the message at it.
func TestProductFormShowsEachBoundAtItsField(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	admin := a.as(users.RoleAdmin)
	for field, value := range map[string]string{
		"name": strings.Repeat("n", 201), "brand": "Kr\x00ups", "description": strings.Repeat("d", 2001),
		"unit_price": "1000000,01", "max_per_order": "2147483648",
	} {
		form := url.Values{"sku": {"NEW-9"}, "name": {"Kettle"}, "unit_price": {"10"}, "vat_rate": {"21"}, "doa_returnable": {"yes"}, "supply": {"normal"}}
		form.Set(field, value)
		resp, body := admin.post("/products", form)
		wantStatus(t, resp, http.StatusUnprocessableEntity)
		if msg := fieldError(t, body, field); msg == "" {
			t.Errorf("%s: no message at the field", field)
		}
	}
	var n int
	a.db.NewSelect().Table("products").ColumnExpr("count(*)").Where("sku = 'NEW-9'").Scan(context.Background(), &n)
	if n != 0 {
		t.Fatal("a product was saved")
	}
}
