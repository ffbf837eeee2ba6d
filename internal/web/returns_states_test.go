package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"wholesale/internal/users"
)

// The warehouse's returns list offers only the states of a return with an
// RA number, the only returns it sees; an account manager's offers every
// state.
func TestReturnListOffersTheStatesItsReaderSees(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	options := func(role users.Role) string {
		resp, body := a.as(role).get("/returns")
		wantStatus(t, resp, http.StatusOK)
		var vals []string
		doc(t, body).Find("select#state option").Each(func(_ int, o *goquery.Selection) { vals = append(vals, o.AttrOr("value", "")) })
		return strings.Join(vals, " ")
	}
	if got, want := options(users.RoleWarehouse), " open approved received tested settled cancelled"; got != want {
		t.Errorf("the warehouse's states: %q, want %q", got, want)
	}
	if got, want := options(users.RoleAccountManager), " open requested approved received tested settled referred rejected cancelled"; got != want {
		t.Errorf("the account manager's states: %q, want %q", got, want)
	}
}

// Every page names an empty icon, so that browsers do not ask for
// /favicon.ico, which the server does not have (a 404 on every page load).
func TestPagesNameAnEmptyIcon(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	resp, body := a.as(users.RoleWarehouse).get("/returns")
	wantStatus(t, resp, http.StatusOK)
	if href, _ := doc(t, body).Find(`head link[rel="icon"]`).Attr("href"); href != "data:," {
		t.Errorf("the page's icon is %q, want the empty data:,", href)
	}
}
