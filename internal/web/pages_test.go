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
	"wholesale/internal/web"
)

// pageVisit is one path to render and who must see it; no roles means every
// role the access table allows the route (and nobody, for a public one).
type pageVisit struct {
	path  string
	roles []users.Role
}

func visit(path string, roles ...users.Role) pageVisit { return pageVisit{path, roles} }

func visitf(format string, id any, roles ...users.Role) pageVisit {
	return pageVisit{fmt.Sprintf(format, id), roles}
}

func each(format string, ids []int64, roles ...users.Role) []pageVisit {
	var out []pageVisit
	for _, id := range ids {
		out = append(out, visitf(format, id, roles...))
	}
	return out
}

// pageVisits says how to fill each GET route with real ids and tokens. A GET
// route with a parameter must be here; one without may list query variants.
var pageVisits = map[string]func(f *pageFixture) []pageVisit{
	"GET /login": func(*pageFixture) []pageVisit { return []pageVisit{visit("/login"), visit("/login?next=/orders")} },
	"GET /password/reset": func(*pageFixture) []pageVisit {
		return []pageVisit{visit("/password/reset"), visit("/password/reset?email=buyer@bakkerij-jansen.test")}
	},
	"GET /admin/users": func(*pageFixture) []pageVisit {
		return []pageVisit{visit("/admin/users"), visit("/admin/users?locked=1")}
	},
	"GET /admin/users/:id": func(f *pageFixture) []pageVisit { return each("/admin/users/%d", f.users) },
	"GET /admin/mail": func(*pageFixture) []pageVisit {
		return []pageVisit{visit("/admin/mail"), visit("/admin/mail?failed=1")}
	},
	"GET /admin/mail/:id": func(f *pageFixture) []pageVisit { return each("/admin/mail/%d", f.mails) },
	"GET /admin/audit": func(f *pageFixture) []pageVisit {
		return []pageVisit{visit("/admin/audit"), visitf("/admin/audit?entity=order&entity_id=%d", f.released), visitf("/admin/audit?user=%d", f.users[0])}
	},
	"GET /apply/documents/:token": func(f *pageFixture) []pageVisit { return []pageVisit{visit("/apply/documents/" + f.uploadToken)} },
	"GET /invite/:token":          func(f *pageFixture) []pageVisit { return []pageVisit{visit("/invite/" + f.inviteToken)} },
	"GET /applications": func(*pageFixture) []pageVisit {
		return []pageVisit{visit("/applications"), visit("/applications?status=waiting"), visit("/applications?status=approved")}
	},
	"GET /applications/:id": func(f *pageFixture) []pageVisit { return each("/applications/%d", []int64{f.newApp, f.waitingApp}) },
	"GET /customers": func(*pageFixture) []pageVisit {
		return []pageVisit{visit("/customers"), visit("/customers?q=jansen"), visit("/customers?q=30123456"), visit("/customers?q=nobody")}
	},
	"GET /customers/:id": func(f *pageFixture) []pageVisit { return []pageVisit{visitf("/customers/%d", f.customer)} },
	"GET /changes": func(*pageFixture) []pageVisit {
		return []pageVisit{visit("/changes"), visit("/changes?status=awaiting_approval"), visit("/changes?status=awaiting_confirmation")}
	},
	"GET /changes/:id": func(f *pageFixture) []pageVisit { return each("/changes/%d", f.changes) },
	"GET /documents/:id": func(f *pageFixture) []pageVisit {
		return []pageVisit{visitf("/documents/%d", f.appDocument, admin, sales), visitf("/documents/%d", f.changeDocument, admin, sales, customer)}
	},
	"GET /products": func(*pageFixture) []pageVisit { return []pageVisit{visit("/products"), visit("/products?q=Krups")} },
	"GET /products/export": func(*pageFixture) []pageVisit {
		return []pageVisit{visit("/products/export"), visit("/products/export?format=csv")}
	},
	"GET /products/:id": func(f *pageFixture) []pageVisit { return each("/products/%d", f.products) },
	"GET /stock/export": func(*pageFixture) []pageVisit {
		return []pageVisit{visit("/stock/export"), visit("/stock/export?format=csv")}
	},
	"GET /backorders": func(*pageFixture) []pageVisit {
		return []pageVisit{visit("/backorders"), visit("/backorders?moved=1"), visit("/backorders?format=xlsx"), visit("/backorders?format=csv")}
	},
	"GET /supplier-orders": func(*pageFixture) []pageVisit {
		return []pageVisit{visit("/supplier-orders"), visit("/supplier-orders?due=1")}
	},
	"GET /search": func(f *pageFixture) []pageVisit {
		return []pageVisit{visit("/search"), visit("/search?q=BJ-2026"), visitf("/search?q=%d", f.released), visit("/search?q=30123456"),
			visit("/search?q=KR-EA8108"), visit("/search?q=jansen"), visit("/search?q=nothing+like+this")}
	},
	"GET /orders": func(f *pageFixture) []pageVisit {
		return []pageVisit{visit("/orders"), visit("/orders?status=draft"), visitf("/orders?customer=%d", f.customer), visitf("/orders?customer=%d&limit=40", f.customer),
			visit("/orders?po=BJ&from=2026-11-01&to=2026-11-30"), visit("/orders?status=awaiting_confirmation"),
			visit("/orders?status=awaiting_credit"), visit("/orders?status=released")}
	},
	"GET /orders/new": func(f *pageFixture) []pageVisit {
		return []pageVisit{visit("/orders/new"), visitf("/orders/new?customer=%d", f.customer)}
	},
	"GET /orders/:id": func(f *pageFixture) []pageVisit {
		// The warehouse sees orders from placed on.
		// The customer service manager and the board too, as complaints refer to orders.
		readers := append(append([]users.Role{}, staff...), users.RoleCustomerService, users.RoleBoard)
		return append(each("/orders/%d", []int64{f.draft}, admin, sales, am), each("/orders/%d", append(f.placedOrders(), f.cancelled), readers...)...)
	},
	"GET /orders/:id/edit": func(f *pageFixture) []pageVisit {
		return each("/orders/%d/edit", []int64{f.draft, f.awaiting, f.released, f.held})
	},
	"GET /portal/orders/:id": func(f *pageFixture) []pageVisit { return each("/portal/orders/%d", f.placedOrders()) },
	"GET /api/v1/orders/:id": func(f *pageFixture) []pageVisit {
		return append(each("/api/v1/orders/%d", f.orders(), admin, sales, am), each("/api/v1/orders/%d", f.placedOrders(), customer)...)
	},
	"GET /invoices": func(f *pageFixture) []pageVisit {
		return []pageVisit{visit("/invoices"), visit("/invoices?state=draft"), visit("/invoices?state=overdue"), visit("/invoices?state=unpaid&kind=invoice"),
			visit("/invoices?kind=credit_note"), visitf("/invoices?customer=%d&from=2026-11-01&to=2026-11-30", f.customer)}
	},
	"GET /invoices/export.xlsx": func(*pageFixture) []pageVisit {
		return []pageVisit{visit("/invoices/export.xlsx"), visit("/invoices/export.xlsx?state=issued&from=2026-11-01&to=2026-11-30")}
	},
	"GET /invoices/export-ubl.zip": func(*pageFixture) []pageVisit {
		return []pageVisit{visit("/invoices/export-ubl.zip?from=2026-11-01&to=2026-11-30")}
	},
	"GET /payments/:id":        func(f *pageFixture) []pageVisit { return []pageVisit{visitf("/payments/%d", f.payment)} },
	"GET /api/v1/payments/:id": func(f *pageFixture) []pageVisit { return []pageVisit{visitf("/api/v1/payments/%d", f.payment)} },
	"GET /invoices/:ref": func(f *pageFixture) []pageVisit {
		return []pageVisit{visit("/invoices/" + f.invoice), visit("/invoices/" + f.creditNote), visit("/invoices/" + f.draftInvoice)}
	},
	"GET /invoices/:ref/pdf":         func(f *pageFixture) []pageVisit { return f.issuedDocs("/invoices/%s/pdf") },
	"GET /invoices/:ref/xlsx":        func(f *pageFixture) []pageVisit { return f.issuedDocs("/invoices/%s/xlsx") },
	"GET /invoices/:ref/ubl":         func(f *pageFixture) []pageVisit { return f.issuedDocs("/invoices/%s/ubl") },
	"GET /invoices/:ref/credit-note": func(f *pageFixture) []pageVisit { return []pageVisit{visit("/invoices/" + f.invoice + "/credit-note")} },
	"GET /portal/invoices": func(*pageFixture) []pageVisit {
		return []pageVisit{visit("/portal/invoices"), visit("/portal/invoices?state=unpaid"), visit("/portal/invoices?kind=credit_note&from=2026-11-01")}
	},
	"GET /portal/invoices/:ref":      func(f *pageFixture) []pageVisit { return f.issuedDocs("/portal/invoices/%s") },
	"GET /portal/invoices/:ref/pdf":  func(f *pageFixture) []pageVisit { return f.issuedDocs("/portal/invoices/%s/pdf") },
	"GET /portal/invoices/:ref/xlsx": func(f *pageFixture) []pageVisit { return f.issuedDocs("/portal/invoices/%s/xlsx") },
	"GET /portal/invoices/:ref/ubl":  func(f *pageFixture) []pageVisit { return f.issuedDocs("/portal/invoices/%s/ubl") },
	"GET /api/v1/invoices": func(*pageFixture) []pageVisit {
		return []pageVisit{visit("/api/v1/invoices"), visit("/api/v1/invoices?kind=invoice&state=unpaid&limit=1")}
	},
	"GET /api/v1/invoices/:number": func(f *pageFixture) []pageVisit {
		return append(f.issuedDocs("/api/v1/invoices/%s"), visit("/api/v1/invoices/"+f.draftInvoice, admin, finance, am))
	},
	"GET /api/v1/invoices/:number/pdf":  func(f *pageFixture) []pageVisit { return f.issuedDocs("/api/v1/invoices/%s/pdf") },
	"GET /api/v1/invoices/:number/xlsx": func(f *pageFixture) []pageVisit { return f.issuedDocs("/api/v1/invoices/%s/xlsx") },
	"GET /api/v1/invoices/:number/ubl":  func(f *pageFixture) []pageVisit { return f.issuedDocs("/api/v1/invoices/%s/ubl") },
	"GET /api/v1/credit-notes/:number":  func(f *pageFixture) []pageVisit { return []pageVisit{visit("/api/v1/credit-notes/" + f.creditNote)} },
	"GET /api/v1/credit-notes/:number/pdf": func(f *pageFixture) []pageVisit {
		return []pageVisit{visit("/api/v1/credit-notes/" + f.creditNote + "/pdf")}
	},
	"GET /api/v1/credit-notes/:number/xlsx": func(f *pageFixture) []pageVisit {
		return []pageVisit{visit("/api/v1/credit-notes/" + f.creditNote + "/xlsx")}
	},
	"GET /api/v1/credit-notes/:number/ubl": func(f *pageFixture) []pageVisit {
		return []pageVisit{visit("/api/v1/credit-notes/" + f.creditNote + "/ubl")}
	},
	"GET /orders/:id/ship":         func(f *pageFixture) []pageVisit { return each("/orders/%d/ship", f.placedOrders()) },
	"GET /orders/:id/packing-list": func(f *pageFixture) []pageVisit { return each("/orders/%d/packing-list", f.placedOrders()) },
	"GET /api/v1/orders/:id/shipments": func(f *pageFixture) []pageVisit {
		return append(each("/api/v1/orders/%d/shipments", f.orders(), admin, sales, am), each("/api/v1/orders/%d/shipments", f.placedOrders(), warehouse, finance, customer)...)
	},
	"GET /reminders": func(*pageFixture) []pageVisit {
		return []pageVisit{visit("/reminders"), visit("/reminders?sort=newest")}
	},
	"GET /bank": func(*pageFixture) []pageVisit { return []pageVisit{visit("/bank")} }, // with an open credit: newPageFixture
	"GET /complaints": func(*pageFixture) []pageVisit {
		return []pageVisit{visit("/complaints"), visit("/complaints?state=open&overdue=1"), visit("/complaints?flagged=1&state=received"), visit("/complaints?flagged=1&unassigned=1")}
	},
	"GET /complaints/new": func(f *pageFixture) []pageVisit {
		return []pageVisit{visit("/complaints/new"), visitf("/complaints/new?customer=%d", f.customer)}
	},
	"GET /complaints/:id": func(f *pageFixture) []pageVisit { return each("/complaints/%d", f.staffComplaints.all()) },
	"GET /complaints/:id/documents/:doc": func(f *pageFixture) []pageVisit {
		return []pageVisit{visit(f.staffComplaints.document), visit(strings.TrimPrefix(f.portalDocument, "/portal"))}
	},
	"GET /portal/returns": func(f *pageFixture) []pageVisit {
		return []pageVisit{visit("/portal/returns"), visitf("/portal/returns?before=%d", f.portalReturns[0])}
	},
	"GET /portal/returns/new": func(f *pageFixture) []pageVisit {
		return []pageVisit{visit("/portal/returns/new"), visitf("/portal/returns/new?order=%d", f.invoiced), visitf("/portal/returns/new?order=%d", f.awaiting)}
	},
	"GET /portal/returns/:id":           func(f *pageFixture) []pageVisit { return each("/portal/returns/%d", f.portalReturns) },
	"GET /portal/returns/:id/label.pdf": func(f *pageFixture) []pageVisit { return each("/portal/returns/%d/label.pdf", f.portalWithRA) },
	"GET /portal/complaints": func(f *pageFixture) []pageVisit {
		return []pageVisit{visit("/portal/complaints"), visitf("/portal/complaints?before=%d", f.complaints[0])}
	},
	"GET /portal/complaints/new": func(f *pageFixture) []pageVisit {
		return []pageVisit{visit("/portal/complaints/new"), visitf("/portal/complaints/new?order=%d", f.invoiced)}
	},
	"GET /portal/complaints/:id":                func(f *pageFixture) []pageVisit { return each("/portal/complaints/%d", f.complaints) },
	"GET /portal/complaints/:id/documents/:doc": func(f *pageFixture) []pageVisit { return []pageVisit{visit(f.portalDocument)} },
	"GET /api/v1/complaints": func(f *pageFixture) []pageVisit {
		return []pageVisit{visit("/api/v1/complaints"), visitf("/api/v1/complaints?open=true&limit=1&customer=%d", f.customer),
			visit("/api/v1/complaints?state=resolved&overdue=true")}
	},
	"GET /api/v1/complaints/:id": func(f *pageFixture) []pageVisit {
		return each("/api/v1/complaints/%d", f.complaints)
	},
	"GET /complaints.xlsx": func(*pageFixture) []pageVisit {
		return []pageVisit{visit("/complaints.xlsx"), visit("/complaints.xlsx?open=1"), visit("/complaints.xlsx?state=closed&overdue=1")}
	},
	"GET /api/v1/returns": func(f *pageFixture) []pageVisit {
		return []pageVisit{visit("/api/v1/returns"), visitf("/api/v1/returns?state=open&limit=1&customer=%d", f.customer)}
	},
	"GET /api/v1/returns/:id": func(f *pageFixture) []pageVisit {
		// The warehouse sees the returns with an RA number.
		return append(each("/api/v1/returns/%d", f.portalReturns, admin, sales, am, finance, customer), each("/api/v1/returns/%d", f.portalWithRA, warehouse)...)
	},
	"GET /api/v1/returns/shipped-lines": func(f *pageFixture) []pageVisit {
		return []pageVisit{visit("/api/v1/returns/shipped-lines", customer), visitf("/api/v1/returns/shipped-lines?order=%d", f.invoiced, customer),
			visitf("/api/v1/returns/shipped-lines?customer=%d", f.customer, admin, am), visit(fmt.Sprintf("/api/v1/returns/shipped-lines?customer=%d&order=%d", f.customer, f.invoiced), admin, am)}
	},
	"GET /returns": func(f *pageFixture) []pageVisit {
		return []pageVisit{visit("/returns"), visit("/returns?state=open"), visit("/returns?state=approved"), visit("/returns?state=referred"),
			visitf("/returns?customer=%d", f.customer), visitf("/returns?state=settled&customer=%d", f.customer)}
	},
	"GET /returns.xlsx": func(*pageFixture) []pageVisit {
		return []pageVisit{visit("/returns.xlsx"), visit("/returns.xlsx?state=open")}
	},
	"GET /returns/new": func(f *pageFixture) []pageVisit {
		return []pageVisit{visit("/returns/new"), visitf("/returns/new?customer=%d", f.customer),
			visit(fmt.Sprintf("/returns/new?customer=%d&order=%d", f.customer, f.shipped))}
	},
	"GET /returns/:id": func(f *pageFixture) []pageVisit {
		return append(each("/returns/%d", f.returns.seen()), each("/returns/%d", []int64{f.returns.requested, f.returns.referred}, admin, sales, am, finance)...)
	},
	"GET /returns/:id/label.pdf": func(f *pageFixture) []pageVisit { return each("/returns/%d/label.pdf", f.returns.seen()) },
	"GET /api/v1/audit": func(*pageFixture) []pageVisit {
		return []pageVisit{visit("/api/v1/audit"), visit("/api/v1/audit?entity=order&limit=5")}
	},
}

func (f *pageFixture) orders() []int64 {
	return []int64{f.draft, f.awaiting, f.released, f.held, f.cancelled, f.shipped}
}

// issuedDocs are the visits of format filled with the issued invoice and
// its credit note.
func (f *pageFixture) issuedDocs(format string) []pageVisit {
	return []pageVisit{visitf(format, f.invoice), visitf(format, f.creditNote)}
}

// placedOrders are the orders the customer follows in the portal.
func (f *pageFixture) placedOrders() []int64 {
	return []int64{f.awaiting, f.released, f.held, f.shipped, f.invoiced, f.returns.replacement}
}

// templateErrors are texts that only a failed template or format puts on a page.
var templateErrors = []string{"html/template:", "template:", "error calling", "%!", "<no value>"}

// TestEveryPageRendersWithDemoData renders every registered GET route with
// real ids from the demo data, as every role that may see it (as nobody for
// public routes, as the customer whose order it is in the portal), and
// fails on any other status than 200, 302 or 303, on a template error in
// the body, on an HTML page without a heading and content, and on a route
// it cannot fill.
func TestEveryPageRendersWithDemoData(t *testing.T) {
	t.Parallel()
	const metricsToken = "walk-metrics-token-0123456789"
	a := newApp(t, func(c *web.Config) { c.MetricsToken = metricsToken })
	f := newPageFixture(t, a)
	pages, apis := map[users.Role]*client{"": a.client()}, map[users.Role]*client{"": a.client()}
	for _, role := range users.Roles {
		pages[role], apis[role] = a.as(role), a.apiClient(t, role)
	}
	seen := map[string]bool{}
	// Every page in both languages: the users' own language, the visitor's
	// Accept-Language (the API answers in it too).
	for _, lang := range []string{"en", "nl"} {
		if _, err := a.db.NewRaw("UPDATE users SET language = ?", lang).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		for _, c := range pages {
			c.lang = lang
		}
		for _, c := range apis {
			c.lang = lang
		}
		walkPages(t, a, f, pages, apis, seen, metricsToken, lang)
	}
	for route := range pageVisits {
		if !seen[route] {
			t.Errorf("pageVisits lists %s, which is not a registered GET route", route)
		}
	}
}

func roleName(r users.Role) string {
	if r == "" {
		return "nobody"
	}
	return string(r)
}

// walkPages renders every GET route as every role that may see it, in
// lang: pages and API clients already read lang.
func walkPages(t *testing.T, a *testApp, f *pageFixture, pages, apis map[users.Role]*client, seen map[string]bool, metricsToken, lang string) {
	t.Helper()
	for _, route := range registeredRoutes(a) {
		method, path, _ := strings.Cut(route, " ")
		if method != http.MethodGet {
			continue
		}
		seen[route] = true
		allowedRoles, ok := access[route]
		if !ok {
			t.Errorf("%s is not in the access table of routes_test.go", route)
			continue
		}
		var visits []pageVisit
		if fill, ok := pageVisits[route]; ok {
			visits = fill(f)
		} else if strings.ContainsAny(path, ":*+") {
			t.Errorf("%s has parameters the walk cannot fill: add it to pageVisits in pages_test.go with real ids or tokens of the demo data", route)
			continue
		} else {
			visits = []pageVisit{visit(path)}
		}
		isPublic := len(allowedRoles) == 1 && allowedRoles[0] == "public"
		if isPublic {
			allowedRoles = append([]users.Role{""}, users.Roles...)
		}
		covered := map[users.Role]bool{}
		for _, v := range visits {
			roles := v.roles
			if roles == nil {
				roles = allowedRoles
			}
			for _, role := range roles {
				covered[role] = true
				c := pages[role]
				if strings.HasPrefix(path, "/api/") {
					c = apis[role]
				}
				if path == "/metrics" { // for a scraper elsewhere, with the token
					scraper := *c
					scraper.bearer = metricsToken
					c = &scraper
				}
				checkPage(t, c, role, v.path, lang)
			}
		}
		for _, role := range allowedRoles {
			if !covered[role] {
				t.Errorf("%s is never rendered as %s: give pageVisits in pages_test.go a path that role may see", route, roleName(role))
			}
		}
	}
}

// checkPage gets path as c, follows local redirects, and checks each answer.
func checkPage(t *testing.T, c *client, role users.Role, path, lang string) {
	t.Helper()
	for hops := 0; hops < 5; hops++ {
		resp, body := c.get(path)
		who := fmt.Sprintf("GET %s as %s in %s", path, roleName(role), lang)
		ct := resp.Header.Get("Content-Type")
		text := strings.HasPrefix(ct, "text/") || strings.Contains(ct, "json")
		if text {
			for _, bad := range templateErrors {
				if i := strings.Index(body, bad); i >= 0 {
					t.Errorf("%s: %d with a template error: %s", who, resp.StatusCode, excerpt(body, i))
					break
				}
			}
		}
		switch resp.StatusCode {
		case http.StatusOK:
		case http.StatusFound, http.StatusSeeOther:
			loc := resp.Header.Get("Location")
			if strings.HasPrefix(loc, "/login?next=") && role != "" {
				t.Errorf("%s: sent to the login", who)
				return
			}
			u, err := url.Parse(loc)
			if err != nil || u.Host != "" || !strings.HasPrefix(loc, "/") {
				t.Errorf("%s: redirect to %q", who, loc)
				return
			}
			path = loc
			continue
		default:
			msg := body
			if strings.HasPrefix(ct, "text/html") {
				msg = strings.Join(strings.Fields(doc(t, body).Find("main").Text()), " ")
			}
			t.Errorf("%s: status %d: %.300s", who, resp.StatusCode, msg)
			return
		}
		switch {
		case strings.HasPrefix(ct, "text/html"):
			checkHTML(t, who, body)
			if got, _ := doc(t, body).Find("html").Attr("lang"); got != lang || resp.Header.Get("Content-Language") != lang {
				t.Errorf("%s: a page in %q (Content-Language %q), want %s", who, got, resp.Header.Get("Content-Language"), lang)
			}
		case strings.HasPrefix(ct, "application/json"):
			if !json.Valid([]byte(body)) {
				t.Errorf("%s: invalid JSON: %.200s", who, body)
			}
		case ct == "":
			t.Errorf("%s: 200 without a Content-Type", who)
		}
		return
	}
	t.Errorf("GET %s as %s: more than 5 redirects", path, roleName(role))
}

// checkHTML checks that a page has a title, a <main> with content and an <h1>.
func checkHTML(t *testing.T, who, body string) {
	t.Helper()
	d := doc(t, body)
	main := d.Find("main")
	if main.Length() != 1 || strings.TrimSpace(main.Text()) == "" {
		t.Errorf("%s: no <main> with content", who)
	}
	if strings.TrimSpace(main.Find("h1").First().Text()) == "" {
		t.Errorf("%s: no <h1> in <main>", who)
	}
	if title := strings.TrimSpace(d.Find("title").Text()); title == "" || strings.HasPrefix(title, "·") {
		t.Errorf("%s: no title (%q)", who, title)
	}
}

func excerpt(s string, i int) string {
	from, to := max(0, i-80), min(len(s), i+160)
	return strings.Join(strings.Fields(s[from:to]), " ")
}
