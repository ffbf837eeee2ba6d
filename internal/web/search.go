package web

import (
	"net/url"
	"strings"
	"wholesale/internal/i18n"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/apperr"
	"wholesale/internal/catalog"
	"wholesale/internal/customers"
	"wholesale/internal/orders"
	"wholesale/internal/users"
	"wholesale/internal/validate"
)

func (s *Server) registerSearchRoutes() {
	// GET /search?q= finds orders (number, PO reference), customers (name, KvK, VAT id) and products (SKU, name, EAN)
	// the user may see, grouped by kind.
	s.page(fiber.MethodGet, "/search", staffRoles, s.handleSearch)
}

// searchGroupSize is how many hits of each kind the results page shows.
const searchGroupSize = 20

type searchPage struct {
	Page
	Query string
	// Searched tells whether a query was given and valid.
	Searched  bool
	Orders    []orders.Order
	Customers []customers.Company
	Products  []catalog.Product
	// ShowCustomers tells whether the user's role sees customers.
	ShowCustomers bool
	// MoreOrders, MoreCustomers and MoreProducts are the filtered lists with
	// every hit of their kind, when there may be more than shown.
	MoreOrders, MoreCustomers, MoreProducts string
}

// Total is the number of hits shown.
func (p *searchPage) Total() int { return len(p.Orders) + len(p.Customers) + len(p.Products) }

func (s *Server) handleSearch(c *fiber.Ctx) error {
	u := currentUser(c)
	q := strings.TrimSpace(c.Query("q"))
	p := &searchPage{Page: Page{Title: i18n.M("Search")}, Query: q, ShowCustomers: u.Is(users.RoleAdmin, users.RoleSales, users.RoleAccountManager)}
	if q == "" {
		return s.render(c, "search/index", p)
	}
	fe := apperr.FieldErrors{}
	if !validate.Line(fe, "q", q, validate.NameMax) {
		return s.rerender(c, "search/index", p, fe.Err())
	}
	ctx := c.UserContext()
	p.Title, p.Searched = i18n.M("Search: %s", q), true
	var err error
	if p.Orders, err = s.orders.Search(ctx, u, q, searchGroupSize); err != nil {
		return err
	}
	if p.ShowCustomers {
		if p.Customers, _, err = customers.CompaniesFor(ctx, s.db, u, customers.CompanyFilter{Query: q, Limit: searchGroupSize}); err != nil {
			return err
		}
	}
	if p.Products, err = catalog.Search(ctx, s.db, q, searchGroupSize); err != nil {
		return err
	}
	enc := url.QueryEscape(q)
	if len(p.Orders) == searchGroupSize {
		p.MoreOrders = "/orders?po=" + enc
	}
	if len(p.Customers) == searchGroupSize {
		p.MoreCustomers = "/customers?q=" + enc
	}
	if len(p.Products) == searchGroupSize {
		p.MoreProducts = "/products?q=" + enc
	}
	return s.render(c, "search/index", p)
}
