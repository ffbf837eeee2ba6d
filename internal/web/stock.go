package web

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/apperr"
	"wholesale/internal/catalog"
	"wholesale/internal/customers"
	"wholesale/internal/stock"
	"wholesale/internal/users"
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
	// GET /supplier-orders lists the open supplier orders.
	s.page(fiber.MethodGet, "/supplier-orders", warehouseDesk, s.handleSupplierOrders)
	// POST /supplier-orders records a supplier order.
	s.page(fiber.MethodPost, "/supplier-orders", adminOnly, s.handleSupplierOrderCreate)
	// POST /supplier-orders/:id/confirm-date records the date the supplier confirmed.
	s.page(fiber.MethodPost, "/supplier-orders/:id/confirm-date", adminOnly, s.handleSupplierOrderConfirm)
	// POST /supplier-orders/:id/receive books a delivery and serves waiting back orders.
	s.page(fiber.MethodPost, "/supplier-orders/:id/receive", warehouseDesk, s.handleReceive)
	// GET /backorders lists the waiting back-order lines per product (an account manager's customers only); ?format=xlsx exports.
	s.page(fiber.MethodGet, "/backorders", backOrderDesk, s.handleBackOrders)
	// POST /backorders/:id/priority gives a waiting line priority, or takes it away.
	s.page(fiber.MethodPost, "/backorders/:id/priority", accountMgt, s.handleBackOrderPriority)
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
	if problem != "" {
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

// supplierForm is the new supplier order form as typed.
type supplierForm struct {
	Supplier, Reference, ExpectedDate, Lines string
	Confirmed                                bool
}

type supplierOrdersPage struct {
	Page
	Orders   []stock.SupplierOrder
	Lines    map[int64][]stock.SupplierOrderLine
	Form     supplierForm
	Report   *catalog.ImportReport
	IsAdmin  bool
	FailedID int64
}

func (s *Server) supplierOrdersPage(c *fiber.Ctx) (*supplierOrdersPage, error) {
	orders, lines, err := stock.OpenSupplierOrders(c.UserContext(), s.db)
	return &supplierOrdersPage{Page: Page{Title: "Supplier orders and stock"}, Orders: orders, Lines: lines,
		IsAdmin: currentUser(c).Role == users.RoleAdmin}, err
}

func (s *Server) handleSupplierOrders(c *fiber.Ctx) error {
	p, err := s.supplierOrdersPage(c)
	if err != nil {
		return err
	}
	return s.render(c, "stock/supplier_orders", p)
}

// parseSupplyLines reads "SKU quantity" lines, one per line.
func (s *Server) parseSupplyLines(c *fiber.Ctx, text string) ([]stock.SupplyLineInput, string) {
	var out []stock.SupplyLineInput
	for i, line := range strings.Split(text, "\n") {
		f := strings.Fields(strings.ReplaceAll(line, ",", " "))
		if len(f) == 0 {
			continue
		}
		if len(f) != 2 {
			return nil, fmt.Sprintf("Line %d: write the SKU and the quantity, e.g. KR-100 24.", i+1)
		}
		p, err := catalog.BySKU(c.UserContext(), s.db, f[0])
		if err != nil {
			return nil, fmt.Sprintf("Line %d: no product has SKU %s.", i+1, f[0])
		}
		q, err := strconv.Atoi(f[1])
		if err != nil || q <= 0 {
			return nil, fmt.Sprintf("Line %d: the quantity must be a whole number above 0.", i+1)
		}
		out = append(out, stock.SupplyLineInput{ProductID: p.ID, Quantity: q})
	}
	return out, ""
}

func (s *Server) handleSupplierOrderCreate(c *fiber.Ctx) error {
	p, err := s.supplierOrdersPage(c)
	if err != nil {
		return err
	}
	p.Form = supplierForm{Supplier: c.FormValue("supplier"), Reference: c.FormValue("reference"), ExpectedDate: c.FormValue("expected_date"),
		Lines: c.FormValue("lines"), Confirmed: c.FormValue("date_confirmed") != ""}
	lines, msg := s.parseSupplyLines(c, p.Form.Lines)
	if msg != "" {
		return s.rerender(c, "stock/supplier_orders", p, fieldErr("lines", msg))
	}
	d, err := time.Parse("2006-01-02", p.Form.ExpectedDate)
	if err != nil {
		return s.rerender(c, "stock/supplier_orders", p, fieldErr("expected_date", "Enter the expected delivery date."))
	}
	o, err := s.stock.CreateSupplierOrder(c.UserContext(), stock.SupplierOrderInput{Supplier: p.Form.Supplier, Reference: p.Form.Reference,
		ExpectedDate: d, DateConfirmed: p.Form.Confirmed, Lines: lines})
	if err != nil {
		return s.rerender(c, "stock/supplier_orders", p, err)
	}
	flash(c, fmt.Sprintf("Supplier order %d recorded; back orders have their expected dates.", o.ID))
	return c.Redirect("/supplier-orders")
}

func (s *Server) handleSupplierOrderConfirm(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	d, perr := time.Parse("2006-01-02", c.FormValue("date"))
	if perr != nil {
		err = fieldErr("date", "Enter the confirmed date.")
	} else {
		err = s.stock.ConfirmDate(c.UserContext(), int64(id), d)
	}
	if err != nil {
		p, perr := s.supplierOrdersPage(c)
		if perr != nil {
			return perr
		}
		p.FailedID = int64(id)
		return s.rerender(c, "stock/supplier_orders", p, err)
	}
	flash(c, "Delivery date confirmed.")
	return c.Redirect("/supplier-orders")
}

func (s *Server) handleReceive(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	r := stock.Receipt{SupplierOrderID: int64(id)}
	bad := false
	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		key := string(k)
		if lineID, ok := strings.CutPrefix(key, "line_"); ok && strings.TrimSpace(string(v)) != "" {
			lid, err1 := strconv.ParseInt(lineID, 10, 64)
			q, err2 := strconv.Atoi(strings.TrimSpace(string(v)))
			if err1 != nil || err2 != nil {
				bad = true
				return
			}
			r.Lines = append(r.Lines, stock.ReceiptLine{LineID: lid, Quantity: q})
		}
	})
	if bad {
		err = fieldErr("lines", "Quantities are whole numbers.")
	} else {
		var res *stock.ReceiveResult
		if res, err = s.stock.Receive(c.UserContext(), r); err == nil {
			flash(c, fmt.Sprintf("%d units booked; %d waiting back-order lines served.", res.Booked, len(res.Allocations)))
			return c.Redirect("/supplier-orders")
		}
	}
	p, perr := s.supplierOrdersPage(c)
	if perr != nil {
		return perr
	}
	p.FailedID = int64(id)
	return s.rerender(c, "stock/supplier_orders", p, err)
}

type backOrdersPage struct {
	Page
	Rows     []stock.BackOrder
	CanBoost bool
}

func (s *Server) handleBackOrders(c *fiber.Ctx) error {
	u := currentUser(c)
	f := backOrderFilterFor(u)
	if c.Query("format") != "" {
		format := exportFormat(c)
		return sendDownload(c, "backorders", format, func(w io.Writer) error {
			return stock.ExportBackOrders(c.UserContext(), s.db, w, format, f)
		})
	}
	rows, err := stock.BackOrders(c.UserContext(), s.db, f)
	if err != nil {
		return err
	}
	return s.render(c, "stock/backorders", &backOrdersPage{Page: Page{Title: "Back orders"}, Rows: rows,
		CanBoost: u.Is(users.RoleAdmin, users.RoleSales, users.RoleAccountManager)})
}

func (s *Server) handleBackOrderPriority(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	ctx := c.UserContext()
	d, err := stock.DemandByID(ctx, s.db, int64(id))
	if err != nil {
		return apperr.NotFoundf("Back order not found.")
	}
	if _, err := customers.CompanyFor(ctx, s.db, currentUser(c), d.CompanyID); err != nil {
		return apperr.NotFoundf("Back order not found.")
	}
	on := c.FormValue("priority") == "1"
	if err := s.stock.SetPriority(ctx, d.ID, on); err != nil {
		return err
	}
	flash(c, map[bool]string{true: "The line goes first when goods arrive.", false: "The line waits its turn again."}[on])
	return c.Redirect("/backorders")
}

func (s *Server) handleAPIBackOrders(c *fiber.Ctx) error {
	rows, err := stock.BackOrders(c.UserContext(), s.db, backOrderFilterFor(currentUser(c)))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"back_orders": rows})
}
