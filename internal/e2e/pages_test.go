package e2e_test

import (
	"testing"

	"wholesale/internal/users"
)

// publicPages are the pages anyone reaches without logging in.
var publicPages = []string{"/login", "/password/forgot", "/apply"}

// mainPagesPerRole visits, as each role, the home page, every page its
// navigation links to and the first item each of those lists links to,
// and the public pages as nobody; each page has a
// heading and passes checkPage (axe-core, labels, 390 px; the customer's
// pages on a phone throughout). With
// SCREENSHOTS set it keeps each role's home page there.
func mainPagesPerRole(t *testing.T, b *browser) {
	a := startApp(t)
	t.Run("nobody", func(t *testing.T) {
		t.Parallel()
		p := b.newTab(t, a)
		for _, path := range publicPages {
			p.open(path)
			if p.heading() == "" {
				p.errorf("no heading")
			}
		}
	})
	for _, role := range users.Roles {
		t.Run(string(role), func(t *testing.T) {
			t.Parallel()
			open := b.newTab
			if role == users.RoleCustomer { // customers often order from a phone
				open = b.newPhone
			}
			p := open(t, a)
			p.login(role)
			if got, want := p.text("header .who"), a.demo.Users[role].Name; !containsText(got, want) {
				p.errorf("the header shows %q, not the user's name %q", got, want)
			}
			p.screenshot("home-" + string(role))
			links := p.texts("header nav a")
			hrefs := eval[[]string](p, `() => [...document.querySelectorAll('header nav a')].map(a => a.getAttribute('href'))`)
			if len(hrefs) < 3 {
				p.errorf("the navigation has only %q", links)
			}
			for i, href := range hrefs {
				p.open(href)
				if p.heading() == "" {
					p.errorf("%q (%s) has no heading", links[i], href)
				}
				if item := eval[string](p, firstItem); item != "" {
					p.open(item)
					if p.heading() == "" {
						p.errorf("%s, the first item of %q, has no heading", item, links[i])
					}
				}
			}
		})
	}
}

// firstItem is the page the first row of the page's first list links to
// ("" when there is none): an order of the order list, say.
const firstItem = `() => {
	const a = [...document.querySelectorAll('main table tbody a[href^="/"]')]
		.find(a => !a.getAttribute('href').includes('format=') && a.getAttribute('href') !== location.pathname);
	return a ? a.getAttribute('href') : '';
}`
