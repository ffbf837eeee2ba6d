package web

import (
	"bytes"
	"fmt"
	"io"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/catalog"
	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/stock"
	"wholesale/internal/users"
	"wholesale/internal/xlsx"
)

var (
	warehouseDesk = rule{roles: []users.Role{users.RoleAdmin, users.RoleWarehouse}}
)

func (s *Server) registerCatalogRoutes() {
	// GET /products lists the catalogue with each product's stock status; ?q= searches SKU, name and brand.
	s.page(fiber.MethodGet, "/products", staffRoles, s.handleProductIndex)
	// GET /products/new is the form for a new product.
	s.page(fiber.MethodGet, "/products/new", adminOnly, s.handleProductNew)
	// POST /products creates or updates a product by SKU.
	s.page(fiber.MethodPost, "/products", adminOnly, s.handleProductSave)
	// GET /products/export downloads the catalogue (?format=xlsx or csv).
	s.page(fiber.MethodGet, "/products/export", staffRoles, s.handleProductExport)
	// POST /products/import reads products from an .xlsx or CSV file, all or nothing.
	s.page(fiber.MethodPost, "/products/import", adminOnly, s.handleProductImport)
	// GET /products/:id shows a product: stock per warehouse, supply, back orders, service centre.
	s.page(fiber.MethodGet, "/products/:id", staffRoles, s.handleProductShow)
	// GET /service-centres lists the brands' authorised service centres.
	s.page(fiber.MethodGet, "/service-centres", everyRole, s.handleServiceCentres)
	// POST /service-centres saves a brand's service centre.
	s.page(fiber.MethodPost, "/service-centres", adminOnly, s.handleServiceCentreSave)
	// POST /customers/:id/prices sets the customer's discount and own prices.
	s.page(fiber.MethodPost, "/customers/:id/prices", accountMgt, s.handleCustomerPrices)
	// GET /api/v1/products lists products with their stock status (?q= searches).
	s.api(fiber.MethodGet, "/products", staffRoles, s.handleAPIProducts)
}

type productRow struct {
	catalog.Product
	Status stock.Status
}

type productIndexPage struct {
	Page
	Q        string
	Products []productRow
	Report   *catalog.ImportReport
	Form     catalog.ProductInput
}

func (s *Server) productRows(c *fiber.Ctx, q string) ([]productRow, error) {
	list, err := catalog.Search(c.UserContext(), s.db, q, 200)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(list))
	for i, p := range list {
		ids[i] = p.ID
	}
	st, err := stock.Statuses(c.UserContext(), s.db, s.clock.Now(), ids)
	if err != nil {
		return nil, err
	}
	rows := make([]productRow, len(list))
	for i, p := range list {
		rows[i] = productRow{p, st[p.ID]}
	}
	return rows, nil
}

func (s *Server) productIndex(c *fiber.Ctx) (*productIndexPage, error) {
	q := c.Query("q")
	rows, err := s.productRows(c, q)
	return &productIndexPage{Page: Page{Title: i18n.M("Products")}, Q: q, Products: rows}, err
}

func (s *Server) handleProductIndex(c *fiber.Ctx) error {
	p, err := s.productIndex(c)
	if err != nil {
		return err
	}
	return s.render(c, "catalog/index", p)
}

type productFormPage struct {
	Page
	Form catalog.ProductInput
}

func (s *Server) handleProductNew(c *fiber.Ctx) error {
	return s.render(c, "catalog/form", &productFormPage{Page: Page{Title: i18n.M("Product")}, Form: catalog.ProductInput{VATRate: "21", DOAReturnable: "yes", Supply: catalog.SupplyNormal}})
}

func (s *Server) handleProductSave(c *fiber.Ctx) error {
	in := catalog.ProductInput{SKU: c.FormValue("sku"), Name: c.FormValue("name"), Brand: c.FormValue("brand"),
		Description: c.FormValue("description"), UnitPrice: c.FormValue("unit_price"), VATRate: c.FormValue("vat_rate"),
		EAN: c.FormValue("ean"), MaxPerOrder: c.FormValue("max_per_order"), DOAReturnable: c.FormValue("doa_returnable"), Supply: c.FormValue("supply")}
	p, err := s.catalog.Save(c.UserContext(), in)
	if err != nil {
		return s.rerender(c, "catalog/form", &productFormPage{Page: Page{Title: i18n.M("Product")}, Form: in}, err)
	}
	flash(c, i18n.M("Product %s saved.", p.SKU))
	return c.Redirect(fmt.Sprintf("/products/%d", p.ID))
}

func exportFormat(c *fiber.Ctx) string {
	if c.Query("format") == "csv" {
		return "csv"
	}
	return "xlsx"
}

// sendDownload streams a generated file as an attachment.
func sendDownload(c *fiber.Ctx, name, format string, write func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, xlsx.ContentType(format))
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s.%s"`, name, format))
	return c.Send(buf.Bytes())
}

func (s *Server) handleProductExport(c *fiber.Ctx) error {
	f := exportFormat(c)
	return sendDownload(c, "products", f, func(w io.Writer) error { return s.catalog.ExportProducts(c.UserContext(), w, f) })
}

func (s *Server) handleProductImport(c *fiber.Ctx) error {
	p, err := s.productIndex(c)
	if err != nil {
		return err
	}
	content, problem, err := importFile(c, "file")
	if err != nil {
		return err
	}
	if !problem.IsZero() {
		return s.rerender(c, "catalog/index", p, fieldErr("file", problem))
	}
	rep, err := s.catalog.ImportProducts(c.UserContext(), content)
	if err != nil {
		return err
	}
	if rep.Failed() {
		c.Status(fiber.StatusUnprocessableEntity)
	} else if p.Products, err = s.productRows(c, ""); err != nil {
		return err
	}
	p.Report = &rep
	return s.render(c, "catalog/index", p)
}

type productPage struct {
	Page
	Product  *catalog.Product
	Status   stock.Status
	Stock    []stock.StockRow
	Back     []stock.BackOrder
	Centre   *catalog.ServiceCentre
	Form     catalog.ProductInput
	CanEdit  bool
	CanBoost bool
	// MaxPerOrder is the product's maximum per order, 0 for none.
	MaxPerOrder int
}

func (s *Server) handleProductShow(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	ctx := c.UserContext()
	p, err := catalog.ByID(ctx, s.db, int64(id))
	if err != nil {
		return err
	}
	page := &productPage{Page: Page{Title: i18n.Raw(p.SKU + " " + p.Name)}, Product: p, CanEdit: currentUser(c).Role == users.RoleAdmin}
	st, err := stock.Statuses(ctx, s.db, s.clock.Now(), []int64{p.ID})
	if err != nil {
		return err
	}
	page.Status = st[p.ID]
	if page.Stock, err = stock.StockOf(ctx, s.db, []int64{p.ID}); err != nil {
		return err
	}
	f := backOrderFilterFor(currentUser(c))
	f.ProductID = p.ID
	if page.Back, err = stock.BackOrders(ctx, s.db, f); err != nil {
		return err
	}
	if page.Centre, err = catalog.ServiceCentreFor(ctx, s.db, p.Brand); err != nil {
		return err
	}
	maxPer := ""
	if p.MaxPerOrder != nil {
		maxPer = strconv.Itoa(*p.MaxPerOrder)
		page.MaxPerOrder = *p.MaxPerOrder
	}
	page.Form = catalog.ProductInput{SKU: p.SKU, Name: p.Name, Brand: p.Brand, Description: p.Description, UnitPrice: loc(c).Input(p.UnitPriceCents),
		VATRate: strconv.Itoa(p.VATRate), EAN: p.EAN, MaxPerOrder: maxPer, DOAReturnable: map[bool]string{true: "yes", false: "no"}[p.DOAReturnable], Supply: p.Supply}
	return s.render(c, "catalog/show", page)
}

type centresPage struct {
	Page
	Centres []catalog.ServiceCentre
	Form    catalog.ServiceCentre
}

func (s *Server) handleServiceCentres(c *fiber.Ctx) error {
	list, err := catalog.ServiceCentres(c.UserContext(), s.db)
	if err != nil {
		return err
	}
	return s.render(c, "catalog/centres", &centresPage{Page: Page{Title: i18n.M("Authorised service centres")}, Centres: list})
}

func (s *Server) handleServiceCentreSave(c *fiber.Ctx) error {
	sc := catalog.ServiceCentre{Brand: c.FormValue("brand"), Name: c.FormValue("name"), Address: c.FormValue("address"),
		Phone: c.FormValue("phone"), Email: c.FormValue("email"), Web: c.FormValue("web")}
	if err := s.catalog.SaveServiceCentre(c.UserContext(), sc); err != nil {
		list, lerr := catalog.ServiceCentres(c.UserContext(), s.db)
		if lerr != nil {
			return lerr
		}
		return s.rerender(c, "catalog/centres", &centresPage{Page: Page{Title: i18n.M("Authorised service centres")}, Centres: list, Form: sc}, err)
	}
	flash(c, i18n.M("Service centre saved."))
	return c.Redirect("/service-centres")
}

func (s *Server) handleCustomerPrices(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	ctx := c.UserContext()
	co, err := customers.CompanyFor(ctx, s.db, currentUser(c), int64(id))
	if err != nil {
		return err
	}
	p, err := s.customerPage(c, co.ID)
	if err != nil {
		return err
	}
	p.Prices = catalog.PricesInput{Discount: c.FormValue("discount"), SKU: c.FormValue("sku"), Price: c.FormValue("price")}
	if err := s.catalog.SetPrices(ctx, co.ID, p.Prices); err != nil {
		return s.rerender(c, "customers/show", p, err)
	}
	flash(c, i18n.M("Prices saved."))
	return c.Redirect(fmt.Sprintf("/customers/%d", co.ID))
}

func (s *Server) handleAPIProducts(c *fiber.Ctx) error {
	rows, err := s.productRows(c, c.Query("q"))
	if err != nil {
		return err
	}
	out := make([]apiProduct, len(rows))
	for i, r := range rows {
		out[i] = apiProduct{Product: r.Product, Status: r.Status.Kind, StatusEN: r.Status.English(), StatusNL: r.Status.Dutch(), Avail: r.Status.Available}
		if r.Status.Date != nil {
			out[i].Date = r.Status.Date.Format("2006-01-02")
		}
	}
	return c.JSON(apiProductList{Products: out})
}
