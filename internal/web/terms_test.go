package web_test

import (
	"net/http"
	"strings"
	"testing"

	"wholesale/internal/customers"
)

// TestTermsAreLinkedFromTheApplicationAndTheLoginLinksIt: the application
// form links the general terms the applicant must sign, which have a page
// of their own that anyone can open; the login page links the application.
func TestTermsAreLinkedFromTheApplicationAndTheLoginLinksIt(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.client()
	_, body := c.get("/login")
	if link := doc(t, body).Find("main a[href='/apply']"); link.Length() != 1 || link.Text() != "Apply for a customer account" {
		t.Errorf("login page: %d links to /apply", link.Length())
	}
	_, body = c.get("/apply")
	links := doc(t, body).Find("main a[href='/terms']")
	if links.Length() != 2 || !strings.Contains(links.Last().Text(), "version "+customers.CurrentTerms.Version) {
		t.Errorf("application form: %d links to the terms (%q)", links.Length(), links.Text())
	}
	resp, body := c.get("/terms")
	wantStatus(t, resp, http.StatusOK)
	d := doc(t, body)
	main := strings.Join(strings.Fields(d.Find("main").Text()), " ")
	if d.Find("main h1").Text() != "General terms of wholesale" || !strings.Contains(main, "version "+customers.CurrentTerms.Version+" of 1 January 2026") {
		t.Errorf("terms page heading %q", d.Find("main h1").Text())
	}
	for _, want := range []string{"no minimum order quantity", "45 days after receipt", "within 3 working days", "Signed general terms", "retention of title"} {
		if !strings.Contains(strings.ToLower(main), strings.ToLower(want)) {
			t.Errorf("the terms do not say %q", want)
		}
	}
}
