package loadtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"html/template"
	"net/url"
	"regexp"
	"strconv"

	"github.com/uptrace/bun"

	"wholesale/internal/invoicing"
	"wholesale/internal/users"
)

// Page is one address the page bench requests, as one user.
type Page struct {
	Name string
	Role users.Role
	Path string
	// Want are what the answer must hold, checked on the first request of
	// each page: a piece of its HTML (an order's link), or a document's
	// first bytes.
	Want []*regexp.Regexp
	// Document is a download, not an HTML page of a logged-in user.
	Document bool
}

// orderPageSize is how many orders a page of the order list shows
// (internal/web/orders.go, orderFilter); the first page's link to the next
// is checked against it.
const orderPageSize = 50

// keysetPage is the page of the order list the bench requests by keyset,
// or the last one when there are fewer.
const keysetPage = 1000

func exact(s string) *regexp.Regexp { return regexp.MustCompile(regexp.QuoteMeta(s)) }

func orderLink(id int64) *regexp.Regexp { return exact(fmt.Sprintf(`href="/orders/%d"`, id)) }

// discovery reads what the pages are about from the database the server
// uses: the busiest customer, its newest order, the order with the most
// revisions, the newest invoice.
type discovery struct {
	ctx context.Context
	db  bun.IDB
	err error
}

// one runs a query of one row into dest and says whether it found the row;
// without one dest stays as it is. The first error stops the discovery.
func (d *discovery) one(query string, args []any, dest ...any) bool {
	if d.err != nil {
		return false
	}
	err := d.db.QueryRowContext(d.ctx, query, args...).Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return false
	}
	if err != nil {
		d.err = fmt.Errorf("finding the pages' subjects: %w\n%s", err, query)
	}
	return err == nil
}

// Pages discovers, with SQL against the server's database, the pages the
// bench requests and what each must show. logins are the users by role;
// a page for a role without a login is left out.
func Pages(ctx context.Context, db bun.IDB, logins []Login) ([]Page, error) {
	d := &discovery{ctx: ctx, db: db}
	var pages []Page
	add := func(p Page) { pages = append(pages, p) }

	var busiest, count, newest, busiestNewest int64
	if !d.one(`SELECT company_id FROM orders GROUP BY company_id ORDER BY count(*) DESC, company_id LIMIT 1`, nil, &busiest) {
		if d.err == nil {
			d.err = errors.New("the database holds no orders: load `wholesale seed-scale` or the demo data first")
		}
		return nil, d.err
	}
	var busiestName string
	d.one(`SELECT name FROM companies WHERE id = ?`, []any{busiest}, &busiestName)
	d.one(`SELECT count(*), max(id) FROM orders`, nil, &count, &newest)
	d.one(`SELECT max(id) FROM orders WHERE company_id = ?`, []any{busiest}, &busiestNewest)

	first := Page{Name: "orders: first page", Role: users.RoleAdmin, Path: "/orders", Want: []*regexp.Regexp{orderLink(newest)}}
	var afterFirst int64 // the last order of the first page: the app's link to the next page
	if count > orderPageSize && d.one(`SELECT id FROM orders ORDER BY id DESC OFFSET ? LIMIT 1`, []any{orderPageSize - 1}, &afterFirst) {
		first.Want = append(first.Want, exact(fmt.Sprintf(`href="/orders?before=%d"`, afterFirst)))
	}
	add(first)
	add(Page{Name: "orders: one customer's", Role: users.RoleAdmin, Path: fmt.Sprintf("/orders?customer=%d", busiest),
		Want: []*regexp.Regexp{orderLink(busiestNewest)}})
	page := min(int64(keysetPage), (count+orderPageSize-1)/orderPageSize)
	before, top := newest+1, newest
	if page > 1 {
		d.one(`SELECT id FROM orders ORDER BY id DESC OFFSET ? LIMIT 1`, []any{(page-1)*orderPageSize - 1}, &before)
		d.one(`SELECT id FROM orders ORDER BY id DESC OFFSET ? LIMIT 1`, []any{(page - 1) * orderPageSize}, &top)
	}
	add(Page{Name: fmt.Sprintf("orders: page %d by keyset", page), Role: users.RoleAdmin, Path: fmt.Sprintf("/orders?before=%d", before),
		Want: []*regexp.Regexp{orderLink(top)}})

	// Search: a PO reference of the busiest customer (one that is not also
	// an order number, and needs no escaping in ILIKE), its name, and a SKU
	// it ordered.
	var po string
	var poHit int64
	if d.one(`SELECT po_reference FROM orders WHERE company_id = ? AND po_reference ~ '[^0-9#]' AND po_reference !~ '[%_\\]'
		ORDER BY id DESC LIMIT 1`, []any{busiest}, &po) &&
		d.one(`SELECT id FROM orders WHERE po_reference ILIKE ? ORDER BY id DESC LIMIT 1`, []any{"%" + po + "%"}, &poHit) {
		add(Page{Name: "search: PO reference", Role: users.RoleAdmin, Path: "/search?q=" + url.QueryEscape(po), Want: []*regexp.Regexp{orderLink(poHit)}})
	}
	add(Page{Name: "search: customer name", Role: users.RoleAdmin, Path: "/search?q=" + url.QueryEscape(busiestName),
		Want: []*regexp.Regexp{regexp.MustCompile(`href="/customers/\d+"`)}})
	var sku string
	if d.one(`SELECT p.sku FROM order_lines l JOIN products p ON p.id = l.product_id WHERE l.order_id = ? ORDER BY l.line_no LIMIT 1`, []any{busiestNewest}, &sku) {
		add(Page{Name: "search: SKU", Role: users.RoleAdmin, Path: "/search?q=" + url.QueryEscape(sku),
			Want: []*regexp.Regexp{regexp.MustCompile(`href="/products/\d+"`)}})
	}
	add(Page{Name: "customer page (busiest)", Role: users.RoleAdmin, Path: fmt.Sprintf("/customers/%d", busiest),
		Want: []*regexp.Regexp{exact(fmt.Sprintf(`href="/orders?customer=%d"`, busiest))}})
	var revised, revisions int64
	if d.one(`SELECT order_id, count(*) FROM order_revisions GROUP BY order_id ORDER BY count(*) DESC, order_id LIMIT 1`, nil, &revised, &revisions) {
		add(Page{Name: fmt.Sprintf("order page (most revisions: %d)", revisions), Role: users.RoleAdmin, Path: fmt.Sprintf("/orders/%d", revised),
			Want: []*regexp.Regexp{exact(`id="revisions-heading"`)}})
	}
	add(Page{Name: "back orders", Role: users.RoleAdmin, Path: "/backorders"})

	var invoiceID int64
	var number sql.NullString
	if d.one(`SELECT id, number FROM invoices ORDER BY id DESC LIMIT 1`, nil, &invoiceID, &number) {
		ref := number.String
		if !number.Valid || ref == "" {
			ref = invoicing.DraftRef(invoiceID)
		}
		add(Page{Name: "invoice list", Role: users.RoleFinance, Path: "/invoices", Want: []*regexp.Regexp{exact(`href="/invoices/` + url.PathEscape(ref) + `"`)}})
	} else {
		add(Page{Name: "invoice list", Role: users.RoleFinance, Path: "/invoices"})
	}
	var issued string
	if d.one(`SELECT number FROM invoices WHERE state = 'issued' AND kind = 'invoice' ORDER BY id DESC LIMIT 1`, nil, &issued) {
		add(Page{Name: "invoice download (PDF)", Role: users.RoleFinance, Path: "/invoices/" + url.PathEscape(issued) + "/pdf",
			Want: []*regexp.Regexp{regexp.MustCompile(`^%PDF-`)}, Document: true})
	}
	add(Page{Name: "AR aging", Role: users.RoleFinance, Path: "/receivables/aging"})
	add(listPage(d, "complaints list", users.RoleCustomerService, "/complaints", "complaints", `href="/complaints/\d+"`))
	add(listPage(d, "returns list", users.RoleWarehouse, "/returns", "returns", `href="/returns/\d+"`))

	for _, l := range logins {
		var name string
		var company sql.NullInt64
		if !d.one(`SELECT name, company_id FROM users WHERE email = ?`, []any{users.NormalizeEmail(l.Email)}, &name, &company) {
			if d.err == nil {
				d.err = fmt.Errorf("no user %s (%s) in the database: load `wholesale seed-scale`, or give -demo for the demo data", l.Email, l.Role)
			}
			break
		}
		add(Page{Name: "home: " + string(l.Role), Role: l.Role, Path: "/",
			Want: []*regexp.Regexp{exact(`<span class="who">` + template.HTMLEscapeString(name) + ` · `)}})
		if l.Role == users.RoleCustomer && company.Valid {
			p := Page{Name: "portal: our orders", Role: l.Role, Path: "/portal/orders"}
			var own int64
			if d.one(`SELECT max(id) FROM orders WHERE company_id = ? AND state <> 'draft' HAVING max(id) IS NOT NULL`, []any{company.Int64}, &own) {
				p.Want = []*regexp.Regexp{exact(`href="/portal/orders/` + strconv.FormatInt(own, 10) + `"`)}
			}
			add(p)
		}
	}
	return keep(pages, logins), d.err
}

// listPage is a list that must link to one of its rows when the table has any.
func listPage(d *discovery, name string, role users.Role, path, table, link string) Page {
	p := Page{Name: name, Role: role, Path: path}
	var rows bool
	if d.one(`SELECT EXISTS (SELECT 1 FROM `+table+`)`, nil, &rows) && rows {
		p.Want = []*regexp.Regexp{regexp.MustCompile(link)}
	}
	return p
}

// keep leaves out the pages of roles without a login.
func keep(pages []Page, logins []Login) []Page {
	has := map[users.Role]bool{}
	for _, l := range logins {
		has[l.Role] = true
	}
	out := pages[:0]
	for _, p := range pages {
		if has[p.Role] {
			out = append(out, p)
		}
	}
	return out
}
