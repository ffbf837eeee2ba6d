package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"wholesale/internal/users"
)

// TestErrorPageSaysItOnce opens pages that answer with an error: each shows
// its heading and its message once, with the way back.
func TestErrorPageSaysItOnce(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	for _, tc := range []struct {
		c       *client
		path    string
		status  int
		heading string
		msg     string
	}{
		{a.client(), "/invite/nosuchtoken", http.StatusNotFound, "Not found",
			"This invitation link is not valid: it was used already or has expired. Ask your account manager for a new one."},
		{a.as(users.RoleSales), "/admin/users", http.StatusForbidden, "Not allowed", "Your role (Sales) may not open this page."},
		{a.as(users.RoleCustomer), "/no/such/page", http.StatusNotFound, "Not found", "This page does not exist."},
	} {
		resp, body := tc.c.get(tc.path)
		wantStatus(t, resp, tc.status)
		main := doc(t, body).Find("main")
		if h := main.Find("h1").Text(); h != tc.heading {
			t.Errorf("%s: heading %q, want %q", tc.path, h, tc.heading)
		}
		if n := strings.Count(main.Text(), tc.msg); n != 1 {
			t.Errorf("%s: the message %q is on the page %d times, want once", tc.path, tc.msg, n)
		}
		if main.Find("a[href='/']").Text() != "Back to the start page" {
			t.Errorf("%s: no way back", tc.path)
		}
	}
}

// TestDocumentLinkPageNamesTheApplication opens the link sales mail for
// missing documents of the demo's application A-1: it names the
// application and the company as registered ("… B.V.", no second full
// stop), and says what is needed.
func TestDocumentLinkPageNamesTheApplication(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	var id int64
	a.db.NewSelect().Table("applications").Column("id").Where("company_name = 'Koffiebranderij De Boon B.V.'").Scan(context.Background(), &id)
	resp, _ := a.as(users.RoleSales).post(fmt.Sprintf("/applications/%d/request-documents", id), url.Values{"request_note": {"The KvK extract is unreadable."}})
	wantStatus(t, resp, http.StatusFound)
	_, body := a.client().get("/apply/documents/" + tokenFromMail(t, a, `/apply/documents/([0-9a-f]+)`))
	d := doc(t, body)
	if got := strings.Join(strings.Fields(d.Find("main h1 + p").Text()), " "); got != "Application A-1 of Koffiebranderij De Boon B.V." {
		t.Errorf("the page names %q", got)
	}
	if got := d.Find("main p.note").Text(); got != "What we need: The KvK extract is unreadable." {
		t.Errorf("the page asks %q", got)
	}
}

// The API answers in English unless asked for Dutch with Accept-Language:
// the same refusal of an invalid order, with the same field names, in
// either language.
func TestAPIErrorsInEnglishOrDutch(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	api := a.apiClient(t, users.RoleAccountManager)
	body := fmt.Sprintf(`{"company_id": %d, "po_reference": "PO\t1", "note": %q, "lines": [{"sku": "KR-F3090", "quantity": 1}]}`,
		a.companyID(t, "Bakkerij Jansen B.V."), strings.Repeat("n", 2001))
	answers := map[string]apiErrorBody{}
	for _, lang := range []string{"", "nl", "nl-BE,nl;q=0.9", "en", "de"} {
		headers := map[string]string{}
		if lang != "" {
			headers["Accept-Language"] = lang
		}
		resp, raw := api.raw(http.MethodPost, "/api/v1/orders", "application/json", body, headers)
		wantStatus(t, resp, http.StatusUnprocessableEntity)
		var e apiErrorBody
		if err := json.Unmarshal([]byte(raw), &e); err != nil {
			t.Fatalf("%q: %v %s", lang, err, raw)
		}
		answers[lang] = e
	}
	want := map[string]apiErrorBody{
		"en": {Error: apiErrorFields{Kind: "invalid", Message: "Please correct the marked fields.", Fields: map[string]string{
			"po_reference": "This field takes one line of text without tabs, line breaks or other control characters.",
			"note":         "Use at most 2,000 characters (this has 2,001)."}}},
		"nl": {Error: apiErrorFields{Kind: "invalid", Message: "Verbeter de gemarkeerde velden.", Fields: map[string]string{
			"po_reference": "Dit veld bevat één regel tekst, zonder tabs, regeleinden of andere stuurtekens.",
			"note":         "Gebruik hoogstens 2.000 tekens (dit zijn er 2.001)."}}},
	}
	for lang, w := range map[string]string{"": "en", "en": "en", "de": "en", "nl": "nl", "nl-BE,nl;q=0.9": "nl"} {
		got, wanted := answers[lang], want[w]
		got.Error.RequestID = ""
		if fmt.Sprint(got) != fmt.Sprint(wanted) {
			t.Errorf("Accept-Language %q:\n got %v\nwant %v", lang, got, wanted)
		}
	}
}

type apiErrorBody struct {
	Error apiErrorFields `json:"error"`
}

type apiErrorFields struct {
	Kind      string            `json:"kind"`
	Message   string            `json:"message"`
	Fields    map[string]string `json:"fields"`
	RequestID string            `json:"request_id"`
}
