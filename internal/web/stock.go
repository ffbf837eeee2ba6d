package web

import (
	"context"
	"html/template"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/apperr"
	"wholesale/internal/catalog"
	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/stock"
	"wholesale/internal/users"
	"wholesale/internal/validate"
)

var backOrderDesk = rule{roles: []users.Role{users.RoleAdmin, users.RoleSales, users.RoleAccountManager, users.RoleWarehouse}}

func (s *Server) registerStockRoutes() {
	// GET /stock/export downloads stock per SKU and warehouse (?format=xlsx or csv).
	s.page(fiber.MethodGet, "/stock/export", staffRoles, s.handleStockExport)
	// POST /stock/import sets stock on hand from a count file, all or nothing.
	s.page(fiber.MethodPost, "/stock/import", warehouseDesk, s.handleStockImport)
	// GET /supplier-stock/export downloads our supplier's stock and lead time per SKU (?format=xlsx or csv).
	s.page(fiber.MethodGet, "/supplier-stock/export", staffRoles, s.handleSupplierStockExport)
	// POST /supplier-stock/import sets our supplier's stock and lead time per SKU from a file, all or nothing.
	s.page(fiber.MethodPost, "/supplier-stock/import", warehouseDesk, s.handleSupplierStockImport)
	// GET /supplier-orders lists the open supplier orders (?due=1: those due within a week, late ones included).
	s.page(fiber.MethodGet, "/supplier-orders", warehouseDesk, s.handleSupplierOrders)
	// POST /supplier-orders records a supplier order.
	s.page(fiber.MethodPost, "/supplier-orders", adminOnly, s.handleSupplierOrderCreate)
	// POST /supplier-orders/:id/confirm-date records the date the supplier confirmed.
	s.page(fiber.MethodPost, "/supplier-orders/:id/confirm-date", adminOnly, s.handleSupplierOrderConfirm)
	// POST /supplier-orders/:id/receive books a delivery and serves waiting back orders.
	s.page(fiber.MethodPost, "/supplier-orders/:id/receive", warehouseDesk, s.handleReceive)
	// GET /backorders lists the waiting back-order lines per product (an account manager's customers only); ?moved=1 those whose
	// expected date moved; ?format=xlsx exports.
	s.page(fiber.MethodGet, "/backorders", backOrderDesk, s.handleBackOrders)
	// POST /backorders/:id/priority gives a waiting line priority, or takes it away.
	s.page(fiber.MethodPost, "/backorders/:id/priority", accountMgt, s.handleBackOrderPriority)
	// POST /backorders/:id/promise records that the customer was told the line's new expected date.
	s.page(fiber.MethodPost, "/backorders/:id/promise", accountMgt, s.handleBackOrderPromise)
	// GET /api/v1/backorders lists the waiting back-order lines.
	s.api(fiber.MethodGet, "/backorders", backOrderDesk, s.handleAPIBackOrders)
}

// backOrderFilterFor limits an account manager to their own customers.
func backOrderFilterFor(u *users.User) stock.BackOrderFilter {
	if u.Role == users.RoleAccountManager {
		return stock.BackOrderFilter{ManagerID: u.ID}
	}
	return stock.BackOrderFilter{}
}

func (s *Server) handleStockExport(c *fiber.Ctx) error {
	f := exportFormat(c)
	return sendDownload(c, "stock", f, func(w io.Writer) error { return stock.ExportStock(c.UserContext(), s.db, w, f) })
}

func (s *Server) handleStockImport(c *fiber.Ctx) error {
	return s.stockImport(c, "file", s.stock.ImportStock)
}

func (s *Server) handleSupplierStockExport(c *fiber.Ctx) error {
	f := exportFormat(c)
	return sendDownload(c, "supplier-stock", f, func(w io.Writer) error { return stock.ExportSupplierStock(c.UserContext(), s.db, w, f) })
}

func (s *Server) handleSupplierStockImport(c *fiber.Ctx) error {
	return s.stockImport(c, "supplier_file", s.stock.ImportSupplierStock)
}

// stockImport runs an import of the supplier orders page with the file of
// field and shows the page with its report, or the form with the message
// at the field when the file is refused whole.
func (s *Server) stockImport(c *fiber.Ctx, field string, run func(context.Context, []byte) (catalog.ImportReport, error)) error {
	p, err := s.supplierOrdersPage(c)
	if err != nil {
		return err
	}
	content, problem, err := importFile(c, field)
	if err != nil {
		return err
	}
	if !problem.IsZero() {
		return s.rerender(c, "stock/supplier_orders", p, fieldErr(field, problem))
	}
	rep, err := run(c.UserContext(), content)
	if err != nil {
		return err
	}
	p.Report = &rep
	if rep.Failed() {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	return s.render(c, "stock/supplier_orders", p)
}

type supplierOrdersPage struct {
	Page
	Orders   []stock.SupplierOrder
	Lines    map[int64][]stock.SupplierOrderLine
	Form     stock.SupplierOrderForm
	Report   *catalog.ImportReport
	IsAdmin  bool
	FailedID int64
	// Typed holds what was typed in the failed form of FailedID, by field.
	Typed map[string]string
	// DueBy is set when the list shows only the orders due by that date.
	DueBy *time.Time
}

// MaxOnHand and MaxLeadDays are the bounds the import forms name.
func (*supplierOrdersPage) MaxOnHand() int   { return stock.MaxOnHand }
func (*supplierOrdersPage) MaxLeadDays() int { return stock.MaxLeadDays }

func (s *Server) supplierOrdersPage(c *fiber.Ctx) (*supplierOrdersPage, error) {
	var due *time.Time
	if c.Method() == fiber.MethodGet && c.Query("due") == "1" {
		d := stock.DueBy(s.clock.Now())
		due = &d
	}
	orders, lines, err := stock.SupplierOrdersDue(c.UserContext(), s.db, due)
	return &supplierOrdersPage{Page: Page{Title: i18n.M("Supplier orders and stock")}, Orders: orders, Lines: lines,
		IsAdmin: currentUser(c).Role == users.RoleAdmin, DueBy: due}, err
}

func (s *Server) handleSupplierOrders(c *fiber.Ctx) error {
	p, err := s.supplierOrdersPage(c)
	if err != nil {
		return err
	}
	return s.render(c, "stock/supplier_orders", p)
}

func (s *Server) handleSupplierOrderCreate(c *fiber.Ctx) error {
	p, err := s.supplierOrdersPage(c)
	if err != nil {
		return err
	}
	p.Form = stock.SupplierOrderForm{Supplier: c.FormValue("supplier"), Reference: c.FormValue("reference"), ExpectedDate: c.FormValue("expected_date"),
		Lines: c.FormValue("lines"), DateConfirmed: c.FormValue("date_confirmed") != ""}
	in, fe := p.Form.Input()
	if err := fe.Err(); err != nil {
		return s.rerender(c, "stock/supplier_orders", p, err)
	}
	o, err := s.stock.CreateSupplierOrder(c.UserContext(), in)
	if err != nil {
		return s.rerender(c, "stock/supplier_orders", p, err)
	}
	flash(c, i18n.M("Supplier order %d recorded; back orders have their expected dates.", o.ID))
	return c.Redirect("/supplier-orders")
}

func (s *Server) handleSupplierOrderConfirm(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	d, msg := validate.ParseDate(c.FormValue("date"))
	if !msg.IsZero() {
		err = fieldErr("date", msg)
	} else {
		err = s.stock.ConfirmDate(c.UserContext(), int64(id), d)
	}
	if err != nil {
		p, perr := s.supplierOrdersPage(c)
		if perr != nil {
			return perr
		}
		p.FailedID, p.Typed = int64(id), map[string]string{"date": c.FormValue("date")}
		return s.rerender(c, "stock/supplier_orders", p, err)
	}
	flash(c, i18n.M("Delivery date confirmed."))
	return c.Redirect("/supplier-orders")
}

func (s *Server) handleReceive(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	r := stock.Receipt{SupplierOrderID: int64(id)}
	fe := apperr.FieldErrors{}
	typed := map[string]string{}
	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		key := string(k)
		lineID, ok := strings.CutPrefix(key, "line_")
		if !ok {
			return
		}
		val := string(v)
		typed[key] = val
		if strings.TrimSpace(val) == "" {
			return
		}
		lid, err := strconv.ParseInt(lineID, 10, 64)
		if err != nil {
			fe.Add("lines", i18n.M("A line of this delivery is not on the supplier order."))
			return
		}
		q, msg := validate.ParseWhole(val)
		if !msg.IsZero() {
			fe.Add(key, msg)
			return
		}
		r.Lines = append(r.Lines, stock.ReceiptLine{LineID: lid, Quantity: q})
	})
	if err = fe.Err(); err == nil {
		var res *stock.ReceiveResult
		if res, err = s.stock.Receive(c.UserContext(), r); err == nil {
			flash(c, i18n.M("%s booked; %s served.", i18n.N(res.Booked, "%s units", i18n.Num(res.Booked)),
				i18n.N(len(res.Allocations), "%d waiting back-order lines", len(res.Allocations))))
			return c.Redirect("/supplier-orders")
		}
	}
	p, perr := s.supplierOrdersPage(c)
	if perr != nil {
		return perr
	}
	p.FailedID, p.Typed = int64(id), typed
	return s.rerender(c, "stock/supplier_orders", p, err)
}

type backOrdersPage struct {
	Page
	Rows     []stock.BackOrder
	Lines    []backOrderRow // the Rows as the table shows them
	CanBoost bool
	// Moved tells that only the lines whose expected date moved are shown.
	Moved bool
	// From and To number the page's lines (from 1); Prev and Next are the
	// addresses of the pages before and after it, "" when there is none.
	From, To   int
	Prev, Next string
}

// backOrderRow is a waiting line as its row shows it, in the reader's
// language. The rows are worked out before the template runs: in
// html/template every value and function of a row costs a reflective call,
// and fifty rows of them were most of the page's time.
type backOrderRow struct {
	DemandID  int64
	SKU       string
	Product   string
	Customer  string
	Reference template.HTML
	Waiting   template.HTML // "3 of 5"
	Placed    string
	Expected  template.HTML
	MovedFrom template.HTML // the promised date, when the expected one moved from it
	Priority  bool
}

// lines are the page's back orders as the table shows them in l's language.
func (p *backOrdersPage) lines(l *i18n.Localizer) []backOrderRow {
	out := make([]backOrderRow, len(p.Rows))
	for i := range p.Rows {
		b := &p.Rows[i]
		out[i] = backOrderRow{DemandID: b.DemandID, SKU: b.SKU, Product: b.ProductName, Customer: b.Company, Reference: l.HTML(b.Reference.Message),
			Waiting: l.HTML(i18n.M("%s of %s", i18n.Num(b.Waiting), i18n.Num(b.Quantity))), Placed: l.DateTime(b.PlacedAt),
			Expected: l.HTML(b.Expected()), Priority: b.Priority}
		if b.Moved() {
			out[i].MovedFrom = l.HTML(i18n.M("moved from %s", i18n.D(*b.PromisedDate)))
		}
	}
	return out
}

// backOrderPageSize is how many waiting lines one page of the back-order
// list shows; the export has them all.
const backOrderPageSize = 50

func (s *Server) handleBackOrders(c *fiber.Ctx) error {
	u := currentUser(c)
	f := backOrderFilterFor(u)
	f.Moved = c.Query("moved") == "1"
	if c.Query("format") != "" {
		format := exportFormat(c)
		return sendDownload(c, "backorders", format, func(w io.Writer) error {
			return stock.ExportBackOrders(c.UserContext(), s.db, w, format, f)
		})
	}
	page, _ := strconv.Atoi(c.Query("page")) // anything else is the first page
	page = min(max(page, 1), 100_000)
	f.Offset, f.Limit = (page-1)*backOrderPageSize, backOrderPageSize+1
	rows, err := stock.BackOrders(c.UserContext(), s.db, f)
	if err != nil {
		return err
	}
	p := &backOrdersPage{Page: Page{Title: i18n.M("Back orders")}, Rows: rows, Moved: f.Moved,
		CanBoost: u.Is(users.RoleAdmin, users.RoleSales, users.RoleAccountManager)}
	p.pager(page, f.Moved)
	p.Lines = p.lines(loc(c))
	if f.Moved {
		p.Title = i18n.M("Back orders whose expected date moved")
	}
	return s.render(c, "stock/backorders", p)
}

// ExportHref downloads the list as shown: every line, or the moved ones.
func (p *backOrdersPage) ExportHref() string {
	if p.Moved {
		return "/backorders?format=xlsx&moved=1"
	}
	return "/backorders?format=xlsx"
}

// pager cuts the page's extra line off and sets the page's numbers and
// links: page is its number, from 1.
func (p *backOrdersPage) pager(page int, moved bool) {
	href := func(n int) string {
		q := url.Values{"page": {strconv.Itoa(n)}}
		if moved {
			q.Set("moved", "1")
		}
		return "/backorders?" + q.Encode()
	}
	if len(p.Rows) > backOrderPageSize {
		p.Rows, p.Next = p.Rows[:backOrderPageSize], href(page+1)
	}
	if page > 1 {
		p.Prev = href(page - 1)
	}
	p.From, p.To = (page-1)*backOrderPageSize+1, (page-1)*backOrderPageSize+len(p.Rows)
}

// visibleDemand returns the back-order line of the path when the user may
// act for its customer; NotFound otherwise.
func (s *Server) visibleDemand(c *fiber.Ctx) (*stock.Demand, error) {
	id, err := c.ParamsInt("id")
	if err != nil {
		return nil, fiber.ErrNotFound
	}
	ctx := c.UserContext()
	d, err := stock.DemandByID(ctx, s.db, int64(id))
	if err != nil {
		return nil, err
	}
	if _, err := customers.CompanyFor(ctx, s.db, currentUser(c), d.CompanyID); apperr.KindOf(err) == apperr.NotFound {
		return nil, apperr.NotFoundf("Back order not found.")
	} else if err != nil {
		return nil, err
	}
	return d, nil
}

func (s *Server) handleBackOrderPromise(c *fiber.Ctx) error {
	d, err := s.visibleDemand(c)
	if err != nil {
		return err
	}
	if err := s.stock.Promise(c.UserContext(), d.ID); err != nil {
		return err
	}
	flash(c, i18n.M("Noted: the customer knows the new expected date of %s.", d.Reference.Message))
	return c.Redirect("/backorders?moved=1")
}

func (s *Server) handleBackOrderPriority(c *fiber.Ctx) error {
	d, err := s.visibleDemand(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	on := c.FormValue("priority") == "1"
	if err := s.stock.SetPriority(ctx, d.ID, on); err != nil {
		return err
	}
	flash(c, map[bool]i18n.Message{true: i18n.M("The line goes first when goods arrive."), false: i18n.M("The line waits its turn again.")}[on])
	if c.FormValue("moved") == "1" { // back to the list it was given on
		return c.Redirect("/backorders?moved=1")
	}
	return c.Redirect("/backorders")
}

func (s *Server) handleAPIBackOrders(c *fiber.Ctx) error {
	rows, err := stock.BackOrders(c.UserContext(), s.db, backOrderFilterFor(currentUser(c)))
	if err != nil {
		return err
	}
	if rows == nil {
		rows = []stock.BackOrder{}
	}
	return c.JSON(apiBackOrderList{BackOrders: rows})
}
