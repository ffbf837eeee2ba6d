package web_test

import (
	"context"
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
