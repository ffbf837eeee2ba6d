package web_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"wholesale/internal/complaints"
	"wholesale/internal/users"
)

var pngDoc = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR photo")

// documentLinks are the names and addresses of the documents a complaint's
// page lists.
func documentLinks(t *testing.T, body string) map[string]string {
	t.Helper()
	out := map[string]string{}
	doc(t, body).Find("#documents li a").Each(func(_ int, a *goquery.Selection) {
		out[strings.TrimSpace(a.Text())] = a.AttrOr("href", "")
	})
	return out
}

// wantDownload gets path as c and fails unless it is the file content of
// type ct, sent as an attachment named name.
func wantDownload(t *testing.T, c *client, path, name, ct string, content []byte) {
	t.Helper()
	resp, body := c.get(path)
	wantStatus(t, resp, http.StatusOK)
	if got := resp.Header.Get("Content-Type"); got != ct {
		t.Errorf("%s: Content-Type %q, want %q", path, got, ct)
	}
	if got := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(got, "attachment;") || !strings.Contains(got, name) {
		t.Errorf("%s: Content-Disposition %q, want an attachment named %q", path, got, name)
	}
	if !bytes.Equal([]byte(body), content) {
		t.Errorf("%s: %d bytes, not the %d uploaded", path, len(body), len(content))
	}
}

// The account manager records a complaint with a scan and a photo; the
// form comes back for its missing description with both files kept, and
// is sent again without choosing them. The complaint's page lists them,
// their downloads are the files uploaded, for staff and for the customer
// in the portal, never for another company.
func TestComplaintFormKeepsItsDocuments(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	am := a.as(users.RoleAccountManager)
	fields := url.Values{"customer": {fmt.Sprint(a.companyID(t, "Bakkerij Jansen B.V."))}, "channel": {"mail"},
		"contact_name": {"Joris Jansen"}, "contact_email": {"buyer@bakkerij-jansen.test"}, "description": {" "}}
	files := []testFile{{"documents", "delivery note.pdf", pdfDoc}, {"documents", "dent.png", pngDoc}}
	resp, body := am.postFiles("/complaints", fields, files)
	wantStatus(t, resp, http.StatusUnprocessableEntity)
	page := doc(t, body)
	if kept := strings.Join(strings.Fields(page.Find("p.kept").Text()), " "); !strings.Contains(kept, "Kept: delivery note.pdf") ||
		!strings.Contains(kept, "Kept: dent.png") {
		t.Errorf("the form keeps %q", kept)
	}
	if msg := fieldMessage(page, "", "description"); !strings.Contains(msg, "Describe the complaint") {
		t.Errorf("message at the description: %q", msg)
	}
	stash := page.Find("input[name=stash]").AttrOr("value", "")
	if stash == "" || a.count(t, "SELECT count(*) FROM complaints") != 0 {
		t.Fatalf("stash %q, %d complaints", stash, a.count(t, "SELECT count(*) FROM complaints"))
	}

	fields.Set("description", "The kettles arrived dented; photo and delivery note attached.")
	fields.Set("stash", stash)
	resp, body = am.postFiles("/complaints", fields, nil)
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("sent again: %d %.500s", resp.StatusCode, text(t, body))
	}
	var id int64
	if _, err := fmt.Sscanf(resp.Header.Get("Location"), "/complaints/%d", &id); err != nil {
		t.Fatalf("recorded, then sent to %q", resp.Header.Get("Location"))
	}
	body = wantOnPage(t, am, fmt.Sprintf("/complaints/%d", id), "Documents", "delivery note.pdf", "dent.png", "document added")
	links := documentLinks(t, body)
	if len(links) != 2 || !strings.HasPrefix(links["dent.png"], fmt.Sprintf("/complaints/%d/documents/", id)) {
		t.Fatalf("the page links %v", links)
	}
	wantDownload(t, am, links["delivery note.pdf"], "delivery note.pdf", "application/pdf", pdfDoc)
	wantDownload(t, a.as(users.RoleBoard), links["dent.png"], "dent.png", "image/png", pngDoc)

	buyer := a.as(users.RoleCustomer)
	portal := fmt.Sprintf("/portal/complaints/%d", id)
	links = documentLinks(t, wantOnPage(t, buyer, portal, "delivery note.pdf", "dent.png"))
	wantDownload(t, buyer, links["dent.png"], "dent.png", "image/png", pngDoc)
	other := a.otherBuyer(t)
	for _, p := range []string{links["dent.png"], strings.Replace(links["dent.png"], portal, fmt.Sprintf("/portal/complaints/%d", id+1), 1)} {
		if resp, body := other.get(p); resp.StatusCode != http.StatusNotFound || strings.Contains(body, "PNG") {
			t.Errorf("another company gets %s: %d", p, resp.StatusCode)
		}
	}
	if resp, _ := buyer.get(fmt.Sprintf("/complaints/%d/documents/1", id)); resp.StatusCode != http.StatusForbidden {
		t.Errorf("the customer downloads through the staff's address: %d", resp.StatusCode)
	}
	if n := a.count(t, "SELECT count(*) FROM upload_stash"); n != 0 {
		t.Errorf("%d files left in the stash", n)
	}
}

// A customer files a complaint with a photo in the portal and adds the
// delivery note later from the complaint's page; the account manager
// sees both and adds one too. Once the complaint is resolved the form is
// gone; another company cannot add to it.
func TestPortalComplaintDocuments(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	buyer := a.as(users.RoleCustomer)
	resp, body := buyer.postFiles("/portal/complaints", portalComplaintValues("order", ""), []testFile{{"documents", "dent.png", pngDoc}})
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("filing: %d %.500s", resp.StatusCode, text(t, body))
	}
	path := resp.Header.Get("Location")
	var id int64
	if _, err := fmt.Sscanf(path, "/portal/complaints/%d", &id); err != nil {
		t.Fatalf("filed, then sent to %q", path)
	}
	links := documentLinks(t, wantOnPage(t, buyer, path, "Your complaint is filed", "dent.png", "Add documents"))
	wantDownload(t, buyer, links["dent.png"], "dent.png", "image/png", pngDoc)

	resp, body = buyer.postFiles(path+"/documents", nil, []testFile{{"documents", "delivery note.pdf", pdfDoc}})
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != path {
		t.Fatalf("adding: %d %s %.500s", resp.StatusCode, resp.Header.Get("Location"), text(t, body))
	}
	links = documentLinks(t, wantOnPage(t, buyer, path, "The documents are added to your complaint.", "dent.png", "delivery note.pdf"))
	wantDownload(t, buyer, links["delivery note.pdf"], "delivery note.pdf", "application/pdf", pdfDoc)

	other := a.otherBuyer(t)
	if resp, _ := other.postFiles(path+"/documents", nil, []testFile{{"documents", "x.pdf", pdfDoc}}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another company adds a document: %d", resp.StatusCode)
	}
	am := a.as(users.RoleAccountManager)
	staffPath := fmt.Sprintf("/complaints/%d", id)
	wantOnPage(t, am, staffPath, "dent.png", "delivery note.pdf")
	resp, _ = am.postFiles(staffPath+"/documents", nil, []testFile{{"documents", "carrier report.pdf", append(append([]byte{}, pdfDoc...), 'c')}})
	wantStatus(t, resp, http.StatusFound)
	wantOnPage(t, am, staffPath, "The documents are added.", "carrier report.pdf")
	wantOnPage(t, buyer, path, "carrier report.pdf")
	if n := a.count(t, fmt.Sprintf("SELECT count(*) FROM audit_log WHERE entity = 'complaint' AND entity_id = '%d' AND action = 'document_added'", id)); n != 3 {
		t.Errorf("%d documents in the audit trail", n)
	}
	resp, body = a.apiClient(t, users.RoleCustomer).get(fmt.Sprintf("/api/v1/complaints/%d", id))
	wantStatus(t, resp, http.StatusOK)
	if !strings.Contains(body, `"filename":"dent.png","content_type":"image/png","size":`) || strings.Contains(body, "sha256") {
		t.Errorf("the API's complaint: %.800s", body)
	}

	ctx, u := a.user(t, users.RoleAccountManager)
	svc := a.complaintsService()
	if _, err := svc.Acknowledge(ctx, u, id, complaints.LetterInput{Date: "2026-12-04", Text: "We handle it."}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Resolve(ctx, u, id, complaints.ResolveInput{Outcome: complaints.OutcomeApology, Explanation: "We changed the packaging."}); err != nil {
		t.Fatal(err)
	}
	body = wantOnPage(t, buyer, path, "dent.png")
	if doc(t, body).Find("#documents form").Length() != 0 {
		t.Error("a resolved complaint still takes documents")
	}
	resp, body = buyer.postFiles(path+"/documents", nil, []testFile{{"documents", "late.pdf", append(append([]byte{}, pdfDoc...), 'l')}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(text(t, body), "This complaint is resolved") {
		t.Errorf("adding to a resolved complaint: %d %.300s", resp.StatusCode, text(t, body))
	}
}
