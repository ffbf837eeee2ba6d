package web

import (
	"fmt"
	"html/template"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/apperr"
	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/ident"
	"wholesale/internal/invoicing"
	"wholesale/internal/orders"
	"wholesale/internal/users"
	"wholesale/internal/validate"
)

// Page is what every page's data embeds: the layout reads it.
type Page struct {
	Title i18n.Message
	User  *users.User
	CSRF  string
	Flash i18n.Message
	Nav   []NavItem
	// NavHTML is Nav as the layout's navigation bar (navHTML).
	NavHTML template.HTML
	Path    string
	// Lang is the language the page is in.
	Lang   i18n.Lang
	Errors map[string]i18n.Message
	// Message is a form-wide error shown above the form.
	Message i18n.Message
	// Langs is the language switch, shown when nobody is signed in (a
	// signed-in user's pages follow their profile).
	Langs []LangLink
}

// LangLink is one link of the language switch: the page in Lang.
type LangLink struct {
	Lang    i18n.Lang
	Href    string
	Current bool
}

// NavItem is one link of the navigation.
type NavItem struct {
	Label i18n.Message
	Href  string
}

// pager gives render access to the embedded Page of any page struct.
type pager interface{ base() *Page }

func (p *Page) base() *Page { return p }

// render shows a template in the base layout, filling in the common fields.
func (s *Server) render(c *fiber.Ctx, name string, data pager) error {
	p := data.base()
	p.User = currentUser(c)
	p.CSRF, _ = c.Locals(csrfKey).(string)
	p.Path = c.Path()
	if c.Locals(sessionKey) != nil {
		p.Flash = takeFlash(c)
	}
	p.Nav = navFor(p.User)
	p.Lang = langOf(c)
	nav, err := s.navHTML(p.Lang, p.User, p.Nav, p.Path)
	if err != nil {
		return err
	}
	p.NavHTML = nav
	if p.User == nil {
		p.Langs = langLinks(c, p.Lang)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentLanguage, p.Lang.Tag())
	return c.Render(name, data, "layouts/base")
}

// langLinks are the links of the language switch: the current address with
// ?lang= set (lang.go keeps the choice in a cookie), its other query
// parameters kept.
func langLinks(c *fiber.Ctx, cur i18n.Lang) []LangLink {
	q := url.Values{}
	c.Context().QueryArgs().VisitAll(func(k, v []byte) {
		key, val := string(k), string(v)
		if key != "lang" && validate.CheckLine(key, 200).IsZero() && validate.CheckLine(val, 2000).IsZero() {
			q.Add(key, val)
		}
	})
	out := make([]LangLink, 0, len(i18n.Langs))
	for _, l := range i18n.Langs {
		q.Set("lang", string(l))
		out = append(out, LangLink{Lang: l, Href: c.Path() + "?" + q.Encode(), Current: l == cur})
	}
	return out
}

// formError puts err's messages on the page when it is Invalid (or another
// kind that belongs next to the form) and reports whether it did; the caller
// then shows the form again with what was typed.
func formError(p *Page, err error) bool {
	ae, ok := apperr.As(err)
	if !ok {
		return false
	}
	switch ae.Kind {
	case apperr.Invalid, apperr.Conflict, apperr.Unauthenticated, apperr.TooManyRequests:
		p.Errors = ae.Fields
		if len(ae.Fields) == 0 || ae.Msg.ID != apperr.Corrections.ID {
			p.Message = ae.Msg
		}
		return true
	}
	return false
}

// rerender answers a failed form post: 422 with the form and its messages.
func (s *Server) rerender(c *fiber.Ctx, name string, data pager, err error) error {
	if !formError(data.base(), err) {
		return err
	}
	status := fiber.StatusUnprocessableEntity
	if ae, _ := apperr.As(err); ae.Kind != apperr.Invalid {
		status = statusOf[ae.Kind]
	}
	c.Status(status)
	return s.render(c, name, data)
}

// navPartial draws the navigation bar: the links of Nav, the one whose
// address is Current marked as the page the user is on.
const navPartial = "partials/nav"

// navKey is what a navigation bar depends on: the language, the user's
// role ("" for nobody logged in) and the link of the page, if it is one.
type navKey struct {
	lang    i18n.Lang
	role    users.Role
	current string
}

// navHTML is the navigation bar of a page at path: nav, in lang, for u's
// role. It is the same for every page of a role that is none of its links,
// so each bar is drawn once (navPartial) and kept: through the template,
// each link cost a dozen reflective calls on every page, 80 µs of a page's
// 200 µs of layout for an admin.
func (s *Server) navHTML(lang i18n.Lang, u *users.User, nav []NavItem, path string) (template.HTML, error) {
	key := navKey{lang: lang}
	if u != nil {
		key.role = u.Role
	}
	for _, item := range nav {
		if item.Href == path {
			key.current = path
		}
	}
	if h, ok := s.navs.Load(key); ok {
		return h.(template.HTML), nil
	}
	var b strings.Builder
	err := s.views.Fragment(&b, lang, navPartial, struct {
		Nav     []NavItem
		Current string
	}{nav, key.current})
	if err != nil {
		return "", err
	}
	h := template.HTML(b.String())
	s.navs.Store(key, h)
	return h, nil
}

// navFor returns the navigation of a user's role.
func navFor(u *users.User) []NavItem {
	if u == nil {
		return []NavItem{{i18n.M("Log in"), "/login"}}
	}
	nav := []NavItem{{i18n.M("Home"), "/"}}
	if u.Is(users.RoleAdmin, users.RoleSales) {
		nav = append(nav, NavItem{i18n.M("Applications"), "/applications"}, NavItem{i18n.M("Account changes"), "/changes"})
	}
	if u.Is(staffRoles.roles...) {
		nav = append(nav, NavItem{i18n.M("Orders"), "/orders"})
	}
	if u.Is(users.RoleAdmin, users.RoleWarehouse) {
		nav = append(nav, NavItem{i18n.M("To ship"), "/warehouse/ship"})
	}
	if u.Is(staffRoles.roles...) {
		nav = append(nav, NavItem{i18n.M("Returns"), "/returns"})
	}
	if u.Is(complaintDesk.roles...) {
		nav = append(nav, NavItem{i18n.M("Complaints"), "/complaints"})
	}
	if u.Is(invoiceDesk.roles...) {
		nav = append(nav, NavItem{i18n.M("Invoices"), "/invoices"}, NavItem{i18n.M("Payments"), "/payments"}, NavItem{i18n.M("Reminders"), "/reminders"},
			NavItem{i18n.M("Aging"), "/receivables/aging"})
	}
	if u.Is(financeDesk.roles...) {
		nav = append(nav, NavItem{i18n.M("Bank"), "/bank"})
	}
	if u.Is(users.RoleAdmin, users.RoleSales, users.RoleAccountManager) {
		nav = append(nav, NavItem{i18n.M("Customers"), "/customers"})
	}
	if u.Is(users.RoleAdmin, users.RoleSales) {
		nav = append(nav, NavItem{i18n.M("Credit holds"), "/credit-holds"}, NavItem{i18n.M("Erasures"), "/admin/erasures"})
	}
	if u.Is(staffRoles.roles...) {
		nav = append(nav, NavItem{i18n.M("Products"), "/products"})
	}
	if u.Is(backOrderDesk.roles...) {
		nav = append(nav, NavItem{i18n.M("Back orders"), "/backorders"})
	}
	if u.Is(users.RoleAdmin, users.RoleWarehouse) {
		nav = append(nav, NavItem{i18n.M("Supplier orders"), "/supplier-orders"})
	}
	if u.Role == users.RoleCustomer {
		nav = append(nav, NavItem{i18n.M("Our orders"), "/portal/orders"}, NavItem{i18n.M("Our invoices"), "/portal/invoices"},
			NavItem{i18n.M("Account statement"), "/portal/account-statement"}, NavItem{i18n.M("Our returns"), "/portal/returns"}, NavItem{i18n.M("Our complaints"), "/portal/complaints"}, NavItem{i18n.M("Our account"), "/account"})
	}
	if u.Role == users.RoleAdmin {
		nav = append(nav, NavItem{i18n.M("Users"), "/admin/users"}, NavItem{i18n.M("Audit trail"), "/admin/audit"}, NavItem{i18n.M("Mail"), "/admin/mail"},
			NavItem{i18n.M("Settings"), "/admin/settings"})
	}
	return append(nav, NavItem{i18n.M("Profile"), "/profile"})
}

// templateFuncs are the functions of the templates of one language.
func templateFuncs(l *i18n.Localizer) template.FuncMap {
	when := func(t any) (time.Time, bool) {
		switch v := t.(type) {
		case time.Time:
			return v, !v.IsZero()
		case *time.Time:
			if v != nil {
				return *v, !v.IsZero()
			}
		}
		return time.Time{}, false
	}
	return template.FuncMap{
		// t prints the catalog text with ID id (a string literal: the
		// catalog test reads it from here) with args, as HTML.
		"t": func(id string, args ...any) template.HTML { return l.HTML(i18n.Message{ID: id, Args: args}) },
		// tn is t with the plural form picked by count.
		"tn": func(count any, id string, args ...any) template.HTML {
			return l.HTML(i18n.Message{ID: id, Args: args, Count: count})
		},
		// msg prints a message made in Go.
		"msg": func(m i18n.Message) template.HTML { return l.HTML(m) },
		// withArgs is m with args for its verbs.
		"withArgs": func(m i18n.Message, args ...any) i18n.Message { m.Args = args; return m },
		"lang":     func() string { return l.Lang().Tag() },
		"datetime": func(t any) string {
			if v, ok := when(t); ok {
				return l.DateTime(v)
			}
			return ""
		},
		"date": func(t any) string {
			if v, ok := when(t); ok {
				return l.Date(v)
			}
			return ""
		},
		"longdate": func(t any) string {
			if v, ok := when(t); ok {
				return l.LongDate(v)
			}
			return ""
		},
		"num":       func(n any) string { return l.Num(toInt64(n)) },
		"roleLabel": func(r users.Role) template.HTML { return l.HTML(r.Label()) },
		"roles":     func() []users.Role { return users.Roles },
		// langs are the languages a user may choose, each named in itself.
		"langs": func() []i18n.Lang { return i18n.Langs },
		"deref": func(p any) any {
			switch v := p.(type) {
			case *string:
				if v == nil {
					return ""
				}
				return *v
			case *int64:
				if v == nil {
					return int64(0)
				}
				return *v
			case *bool:
				return v != nil && *v
			}
			return p
		},
		"str":          func(b []byte) string { return string(b) },
		"appStatus":    func(s string) template.HTML { return l.HTML(customers.AppStatusLabel(s)) },
		"open":         customers.Open,
		"docLabel":     func(k string) template.HTML { return l.HTML(customers.DocLabel(k)) },
		"changeKind":   func(k string) template.HTML { return l.HTML(customers.ChangeKindLabel(k)) },
		"changeStatus": func(s string) template.HTML { return l.HTML(customers.ChangeStatusLabel(s)) },
		"iban":         ident.FormatIBAN,
		"money":        l.AmountHTML,
		"input":        l.Input,
		"fieldLabel":   func(f string) template.HTML { return l.HTML(customers.FieldLabel(f)) },
		"kindOf":       changeKindOf,
		"list":         func(v ...string) []string { return v },
		"inc":          func(i int) int { return i + 1 },
		"statusLabel":  func(s orders.Status) template.HTML { return l.HTML(s.Label()) },
		// kindLabel is an invoice document's kind, standingLabel how it stands.
		"kindLabel":     func(k string) template.HTML { return l.HTML(invoicing.KindLabel(k)) },
		"standingLabel": func(s string) template.HTML { return l.HTML(invoicing.StandingLabel(s)) },
		"bytes": func(n int64) string {
			switch {
			case n >= 1<<20:
				return l.Sprintf("%s MB", fmt.Sprintf("%.1f", float64(n)/(1<<20)))
			case n >= 1<<10:
				return l.Sprintf("%s kB", fmt.Sprintf("%.0f", float64(n)/(1<<10)))
			}
			return l.Sprintf("%s bytes", l.Num(n))
		},
		"waited": func(d time.Duration) string {
			days := int(d.Hours()) / 24
			if days > 0 {
				return l.Sprintf("%d d %d h", days, int(d.Hours())%24)
			}
			if d < time.Hour {
				return l.Sprintf("%d min", int(d.Minutes()))
			}
			return l.Sprintf("%d h %d min", int(d.Hours()), int(d.Minutes())%60)
		},
	}
}

// toInt64 is n, an integer of any size, as int64.
func toInt64(n any) int64 {
	switch v := n.(type) {
	case int:
		return int64(v)
	case int32:
		return int64(v)
	case int64:
		return v
	case uint:
		return int64(v)
	}
	return 0
}

// changeKindOf returns the kind of change a company field belongs to.
func changeKindOf(field string) string {
	for kind, fields := range customers.ChangeFields {
		for _, f := range fields {
			if f == field {
				return kind
			}
		}
	}
	return ""
}

// fieldErr is a one-field Invalid error made in a handler.
func fieldErr(field string, msg i18n.Message) error { return apperr.FieldErrors{field: msg}.Err() }
