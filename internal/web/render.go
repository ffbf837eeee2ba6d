package web

import (
	"fmt"
	"html/template"
	"regexp"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/apperr"
	"wholesale/internal/clock"
	"wholesale/internal/customers"
	"wholesale/internal/money"
	"wholesale/internal/orders"
	"wholesale/internal/users"
)

// Page is what every page's data embeds: the layout reads it.
type Page struct {
	Title  string
	User   *users.User
	CSRF   string
	Flash  string
	Nav    []NavItem
	Path   string
	Errors map[string]string
	// Message is a form-wide error shown above the form.
	Message string
}

// NavItem is one link of the navigation.
type NavItem struct {
	Label, Href string
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
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Render(name, data, "layouts/base")
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
		if len(ae.Fields) == 0 || ae.Message != "Please correct the marked fields." {
			p.Message = ae.Message
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

// navFor returns the navigation of a user's role.
func navFor(u *users.User) []NavItem {
	if u == nil {
		return []NavItem{{"Log in", "/login"}}
	}
	nav := []NavItem{{"Home", "/"}}
	if u.Is(users.RoleAdmin, users.RoleSales) {
		nav = append(nav, NavItem{"Applications", "/applications"}, NavItem{"Account changes", "/changes"})
	}
	if u.Role.Staff() {
		nav = append(nav, NavItem{"Orders", "/orders"})
	}
	if u.Is(users.RoleAdmin, users.RoleSales, users.RoleAccountManager) {
		nav = append(nav, NavItem{"Customers", "/customers"})
	}
	if u.Is(users.RoleAdmin, users.RoleSales) {
		nav = append(nav, NavItem{"Credit holds", "/credit-holds"})
	}
	if u.Role.Staff() {
		nav = append(nav, NavItem{"Products", "/products"}, NavItem{"Back orders", "/backorders"})
	}
	if u.Is(users.RoleAdmin, users.RoleWarehouse) {
		nav = append(nav, NavItem{"Supplier orders", "/supplier-orders"})
	}
	if u.Role == users.RoleCustomer {
		nav = append(nav, NavItem{"Our orders", "/portal/orders"}, NavItem{"Our account", "/account"})
	}
	if u.Role == users.RoleAdmin {
		nav = append(nav, NavItem{"Users", "/admin/users"}, NavItem{"Audit trail", "/admin/audit"}, NavItem{"Mail", "/admin/mail"})
	}
	return append(nav, NavItem{"Profile", "/profile"})
}

func templateFuncs() template.FuncMap {
	return template.FuncMap{
		"datetime": func(t any) string {
			switch v := t.(type) {
			case time.Time:
				return v.In(clock.Amsterdam).Format("2006-01-02 15:04")
			case *time.Time:
				if v == nil {
					return ""
				}
				return v.In(clock.Amsterdam).Format("2006-01-02 15:04")
			}
			return ""
		},
		"roleLabel": func(r users.Role) string { return r.Label() },
		"roles":     func() []users.Role { return users.Roles },
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
		"appStatus":    customers.AppStatusLabel,
		"open":         customers.Open,
		"docLabel":     customers.DocLabel,
		"changeKind":   customers.ChangeKindLabel,
		"changeStatus": customers.ChangeStatusLabel,
		"iban":         customers.FormatIBAN,
		"money":        amount,
		"amounts":      amounts,
		"fieldLabel":   fieldLabel,
		"kindOf":       changeKindOf,
		"list":         func(v ...string) []string { return v },
		"inc":          func(i int) int { return i + 1 },
		"statusLabel":  func(s orders.Status) string { return s.Label() },
		"date": func(t *time.Time) string {
			if t == nil {
				return ""
			}
			return t.Format("2006-01-02")
		},
		"bytes": func(n int64) string {
			switch {
			case n >= 1<<20:
				return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
			case n >= 1<<10:
				return fmt.Sprintf("%.0f kB", float64(n)/(1<<10))
			}
			return fmt.Sprintf("%d bytes", n)
		},
		"waited": func(d time.Duration) string {
			days := int(d.Hours()) / 24
			if days > 0 {
				return fmt.Sprintf("%d d %d h", days, int(d.Hours())%24)
			}
			return fmt.Sprintf("%d h %d min", int(d.Hours()), int(d.Minutes())%60)
		},
	}
}

// fieldLabel names a company field for people: "visiting_postcode" → "Visiting postcode".
func fieldLabel(f string) string {
	switch f {
	case "iban":
		return "IBAN"
	case "invoice_email":
		return "Invoice e-mail"
	case "contact_email":
		return "Contact e-mail"
	}
	s := strings.ReplaceAll(f, "_", " ")
	return strings.ToUpper(s[:1]) + s[1:]
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
func fieldErr(field, msg string) error { return apperr.FieldErrors{field: msg}.Err() }

// amount prints cents as "€ 1.250,50" in a span the style sheet keeps on
// one line, so that an amount never wraps away from its euro sign.
func amount(c money.Cents) template.HTML {
	return template.HTML(`<span class="amount">` + template.HTMLEscapeString(money.Format(c)) + `</span>`)
}

// amountText is an amount as money.Format prints it.
var amountText = regexp.MustCompile(`€ -?[0-9.]+,[0-9]{2}`)

// amounts escapes a text written in Go (a message, a reason) and keeps each
// amount in it on one line, as amount does.
func amounts(s string) template.HTML {
	return template.HTML(amountText.ReplaceAllString(template.HTMLEscapeString(s), `<span class="amount">$0</span>`))
}
