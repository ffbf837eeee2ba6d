package web

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/apperr"
	"wholesale/internal/catalog"
	"wholesale/internal/credit"
	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/money"
	"wholesale/internal/orders"
	"wholesale/internal/stock"
)

// orderForm is the order form as typed, with what the check found.
type orderForm struct {
	CompanyID, POReference, Address, ShippingMethod, Shipping, Note string
	ShipComplete                                                    bool
	Lines                                                           []formLine
}

type formLine struct {
	ID       int64
	SKU      string
	Name     string
	Quantity string
	// What the check found of the line: its product (Found) with its
	// price and stock status; when it could be priced (Checked), its
	// amount and what ships now, what waits until Expected (nil: until
	// it is ordered from the supplier).
	Found, Checked          bool
	PriceCents, AmountCents int64
	Status                  i18n.Message
	Expected                *time.Time
	VATRate, Max            int
	ShipsNow, BackOrdered   int
}

// shippingChoice is a shipping method of the form's list.
type shippingChoice struct {
	Value string
	Label i18n.Message
}

// shippingChoices are the shipping methods offered, named for people.
func shippingChoices() []shippingChoice {
	out := make([]shippingChoice, len(orders.ShippingMethods))
	for i, m := range orders.ShippingMethods {
		out[i] = shippingChoice{Value: m, Label: orders.ShippingMethodLabel(m)}
	}
	return out
}

type orderFormPage struct {
	Page
	emphasis
	Form orderForm
	// Pick is the customer field of a new order.
	Pick     customerPick
	Products []catalog.Product
	Methods  []shippingChoice
	Position *credit.Position
	Checked  *orders.Checked
	Edit     *orders.Order
	// Paste is the PO text pasted, kept when it could not be read.
	Paste string
}

// blankLines is the number of empty rows of a new order form.
const blankLines = 6

// maxFormRows is the most rows the form is read for.
const maxFormRows = orders.MaxLines

func (s *Server) orderFormPage(c *fiber.Ctx, title i18n.Message) (*orderFormPage, error) {
	prods, err := s.productChoices(c.UserContext())
	return &orderFormPage{Page: Page{Title: title}, Products: prods, Methods: shippingChoices()}, err
}

// newOrderPage is the form of a new order, with its customer field.
func (s *Server) newOrderPage(c *fiber.Ctx) (*orderFormPage, error) {
	p, err := s.orderFormPage(c, i18n.M("New order"))
	if err != nil {
		return nil, err
	}
	p.Pick, err = s.pick(c, customerPick{ID: "company_id", Name: "company_id", Blank: i18n.Raw("—"), Label: i18n.M("Customer")})
	return p, err
}

func (s *Server) handleOrderNew(c *fiber.Ctx) error {
	p, err := s.newOrderPage(c)
	if err != nil {
		return err
	}
	p.Form = orderForm{CompanyID: c.Query("customer"), Address: "visiting", ShippingMethod: "UPS", Shipping: "0", Lines: make([]formLine, blankLines)}
	p.Pick.Value = p.Form.CompanyID
	return s.render(c, "orders/form", p)
}

// addLines is how many empty rows "Add lines" adds.
const addLines = 10

// readOrderForm reads the posted form into the page and returns its lines
// as typed: every row the form has, however many (up to one past the most
// an order takes, which is then refused), empty rows included, so the form
// comes back as it was.
func readOrderForm(c *fiber.Ctx, p *orderFormPage) []orders.LineInput {
	f := orderForm{CompanyID: c.FormValue("company_id"), POReference: c.FormValue("po_reference"), Address: c.FormValue("address"),
		ShippingMethod: c.FormValue("shipping_method"), Shipping: c.FormValue("shipping"), Note: c.FormValue("note"),
		ShipComplete: c.FormValue("ship_complete") != ""}
	rows := 0
	c.Request().PostArgs().VisitAll(func(k, _ []byte) {
		key := string(k)
		for _, prefix := range []string{"sku_", "qty_", "id_"} {
			if n, err := strconv.Atoi(strings.TrimPrefix(key, prefix)); err == nil && strings.HasPrefix(key, prefix) && n >= 0 {
				rows = max(rows, min(n+1, maxFormRows+1))
			}
		}
	})
	var lines []orders.LineInput
	for i := 0; i < rows; i++ {
		idx := strconv.Itoa(i)
		sku, qty, id := c.FormValue("sku_"+idx), c.FormValue("qty_"+idx), c.FormValue("id_"+idx)
		l := orders.LineInput{SKU: sku, QuantityText: qty}
		if id != "" {
			if l.ID, _ = strconv.ParseInt(id, 10, 64); l.ID == 0 {
				l.ID = -1 // not a line of any order: reported at the line
			}
		}
		f.Lines = append(f.Lines, formLine{ID: l.ID, SKU: sku, Quantity: qty})
		lines = append(lines, l)
	}
	p.Form, p.Pick.Value = f, f.CompanyID
	return lines
}

// formActions handles the form's own buttons, which change the form and
// show it again: "Add lines" and "Fill in from the pasted PO". It reports
// whether the action was one of them.
func (s *Server) formActions(c *fiber.Ctx, p *orderFormPage, lines *[]orders.LineInput) (bool, error) {
	switch c.FormValue("action") {
	case "add_lines":
		for i := 0; i < addLines; i++ {
			p.Form.Lines = append(p.Form.Lines, formLine{})
			*lines = append(*lines, orders.LineInput{})
		}
		return true, nil
	case "paste":
		p.Paste = c.FormValue("paste")
		pasted, err := s.orders.Paste(c.UserContext(), currentUser(c), p.Paste)
		if err != nil {
			return true, err
		}
		// The pasted lines take the place of the empty rows at the end.
		n := len(p.Form.Lines)
		for n > 0 && p.Form.Lines[n-1].SKU == "" && p.Form.Lines[n-1].Quantity == "" && p.Form.Lines[n-1].ID == 0 {
			n--
		}
		p.Form.Lines, *lines = p.Form.Lines[:n], (*lines)[:n]
		for _, l := range pasted {
			p.Form.Lines = append(p.Form.Lines, formLine{SKU: l.SKU, Quantity: l.QuantityText})
			*lines = append(*lines, orders.LineInput{SKU: l.SKU, QuantityText: l.QuantityText})
		}
		p.Form.Lines = append(p.Form.Lines, formLine{}, formLine{})
		*lines = append(*lines, orders.LineInput{}, orders.LineInput{})
		p.Paste = ""
		return true, nil
	}
	return false, nil
}

// annotate adds each line's product, price and stock status, the order's
// total and the customer's credit position to the form: "Check stock and
// credit". It returns what is wrong with the lines it looked up.
func (s *Server) annotate(c *fiber.Ctx, p *orderFormPage, in orders.CheckInput) (apperr.FieldErrors, error) {
	chk, err := s.orders.Check(c.UserContext(), currentUser(c), in)
	if err != nil {
		return nil, err
	}
	for i := range p.Form.Lines {
		l := &p.Form.Lines[i]
		if prod := chk.Products[strings.ToUpper(strings.TrimSpace(l.SKU))]; prod != nil {
			l.Found, l.Name, l.Status = true, prod.Name, stockStatus(loc(c), chk.Statuses[prod.ID])
			l.PriceCents = chk.Prices[prod.ID]
			if prod.MaxPerOrder != nil {
				l.Max = *prod.MaxPerOrder
			}
		}
		if i < len(chk.Lines) && chk.Lines[i].Product != nil {
			lc := chk.Lines[i]
			l.Checked, l.PriceCents, l.AmountCents, l.VATRate = true, lc.UnitPriceCents, lc.AmountCents, lc.VATRate
			l.ShipsNow, l.BackOrdered, l.Expected = lc.ShipsNow, lc.BackOrdered, lc.Expected
		}
	}
	p.Position, p.Checked = chk.Position, chk
	return chk.Fields, nil
}

// stockStatus is a product's stock status in l's language. (The stock area
// prints its statuses in English and in Dutch.)
func stockStatus(l *i18n.Localizer, st stock.Status) i18n.Message {
	if l.Lang() == i18n.EN {
		return i18n.Raw(st.English())
	}
	return i18n.Raw(st.Dutch())
}

// typedAmount is an amount typed in the form as the orders package reads
// amounts (money.Parse): an amount only the reader's language reads
// ("1,250" in English) is rewritten; anything else stays as typed, for
// the orders package to take or refuse.
func typedAmount(l *i18n.Localizer, s string) string {
	if _, err := money.Parse(s); err == nil {
		return s
	}
	if c, err := l.ParseAmount(s); err == nil {
		return money.Input(c)
	}
	return s
}

// formShown shows the form again after one of its own buttons: with the
// button's message when it failed, else checked after a paste.
func (s *Server) formShown(c *fiber.Ctx, p *orderFormPage, err, valid error, bad apperr.FieldErrors) error {
	switch {
	case err != nil:
		return s.rerender(c, "orders/form", p, err)
	case c.FormValue("action") == "paste":
		return s.checked(c, p, valid, bad)
	}
	return s.render(c, "orders/form", p)
}

// checked shows the form with what the check found and what validation
// says of the rest, without writing anything.
func (s *Server) checked(c *fiber.Ctx, p *orderFormPage, valid error, lines apperr.FieldErrors) error {
	fe := apperr.FieldErrors{}
	if ae, ok := apperr.As(valid); ok {
		for f, m := range ae.Fields {
			fe.Add(f, m)
		}
	}
	for f, m := range lines {
		fe.Add(f, m)
	}
	p.Errors = fe
	return s.render(c, "orders/form", p)
}

func (s *Server) handleOrderCreate(c *fiber.Ctx) error {
	p, err := s.newOrderPage(c)
	if err != nil {
		return err
	}
	lines := readOrderForm(c, p)
	own, ferr := s.formActions(c, p, &lines)
	f := p.Form
	in := orders.Input{POReference: f.POReference, Lines: lines, Address: f.Address, ShipComplete: f.ShipComplete,
		ShippingMethod: f.ShippingMethod, Shipping: typedAmount(loc(c), f.Shipping), Note: f.Note}
	co, picked := s.picked(c, "company_id", f.CompanyID)
	in.CompanyID = co.ID
	shipping, valid := in.Validate()
	valid = joinFields(picked, valid)
	bad, err := s.annotate(c, p, orders.CheckInput{CompanyID: in.CompanyID, POReference: in.POReference, Lines: in.Lines, ShippingCents: shipping, Address: in.Address})
	if err != nil {
		return err
	}
	if own {
		return s.formShown(c, p, ferr, valid, bad)
	}
	var o *orders.Order
	switch action := c.FormValue("action"); {
	case picked != nil && (action == "place" || action == "draft"):
		return s.rerender(c, "orders/form", p, joinFields(valid, bad.Err()))
	case action == "place":
		o, err = s.orders.CreateAndPlace(c.UserContext(), currentUser(c), in)
	case action == "draft":
		o, err = s.orders.Create(c.UserContext(), currentUser(c), in)
	default:
		return s.checked(c, p, valid, bad)
	}
	if err != nil {
		return s.rerender(c, "orders/form", p, err)
	}
	flash(c, i18n.M("Order %d: %s.", o.ID, o.Status.Label()))
	return c.Redirect(fmt.Sprintf("/orders/%d", o.ID))
}

// amendPage is the amendment form of the order of the path.
func (s *Server) amendPage(c *fiber.Ctx) (*orderFormPage, error) {
	o, err := s.viewableOrder(c)
	if err != nil {
		return nil, err
	}
	p, err := s.orderFormPage(c, i18n.M("Amend order %d", o.ID))
	if err != nil {
		return nil, err
	}
	p.Edit = o
	return p, nil
}

func (s *Server) handleOrderEdit(c *fiber.Ctx) error {
	p, err := s.amendPage(c)
	if err != nil {
		return err
	}
	o := p.Edit
	if !o.Amendable() {
		// The order page says why and, once invoiced, offers a new order.
		if o.FirstInvoicedAt != nil {
			flash(c, i18n.M("Order %d is on an issued invoice: additions go on a new order.", o.ID))
		} else {
			flash(c, i18n.M("Order %d is %s: it cannot be amended.", o.ID, o.Status.Label()))
		}
		return c.Redirect(fmt.Sprintf("/orders/%d", o.ID))
	}
	co, err := customers.CompanyFor(c.UserContext(), s.db, currentUser(c), o.CompanyID)
	if err != nil {
		return err
	}
	p.Form = orderForm{CompanyID: strconv.FormatInt(o.CompanyID, 10), POReference: o.POReference, ShippingMethod: o.ShippingMethod,
		Shipping: loc(c).Input(o.ShippingCents), Note: o.Note, ShipComplete: o.ShipComplete, Address: "visiting"}
	if co.Invoice.Street == o.Delivery.Street && co.Visiting.Street != o.Delivery.Street {
		p.Form.Address = "invoice"
	}
	for _, l := range o.Lines {
		if !l.Cancelled {
			p.Form.Lines = append(p.Form.Lines, formLine{ID: l.ID, SKU: l.SKU, Quantity: strconv.Itoa(l.Quantity)})
		}
	}
	p.Form.Lines = append(p.Form.Lines, make([]formLine, 3)...)
	var lines []orders.LineInput
	for _, l := range o.Lines {
		if !l.Cancelled {
			lines = append(lines, orders.LineInput{ID: l.ID, SKU: l.SKU, Quantity: l.Quantity})
		}
	}
	if _, err := s.annotate(c, p, orders.CheckInput{CompanyID: o.CompanyID, Lines: lines, ShippingCents: o.ShippingCents, Address: p.Form.Address, Order: o}); err != nil {
		return err
	}
	return s.render(c, "orders/form", p)
}

func (s *Server) handleOrderAmend(c *fiber.Ctx) error {
	p, err := s.amendPage(c)
	if err != nil {
		return err
	}
	o := p.Edit
	lines := readOrderForm(c, p)
	own, ferr := s.formActions(c, p, &lines)
	f := &p.Form
	f.CompanyID, f.POReference = strconv.FormatInt(o.CompanyID, 10), o.POReference
	shippingTyped := typedAmount(loc(c), f.Shipping)
	in := orders.AmendInput{Lines: lines, Address: &f.Address, ShipComplete: &f.ShipComplete, ShippingMethod: &f.ShippingMethod,
		Shipping: &shippingTyped, Note: &f.Note}
	shipping, valid := in.Validate()
	bad, err := s.annotate(c, p, orders.CheckInput{CompanyID: o.CompanyID, Lines: in.Lines, ShippingCents: shipping, Address: f.Address, Order: o})
	if err != nil {
		return err
	}
	if own {
		return s.formShown(c, p, ferr, valid, bad)
	}
	if c.FormValue("action") == "check" {
		return s.checked(c, p, valid, bad)
	}
	o2, err := s.orders.Amend(c.UserContext(), currentUser(c), o.ID, in)
	if err != nil {
		return s.rerender(c, "orders/form", p, err)
	}
	flash(c, i18n.M("Order %d amended (revision %d): %s.", o2.ID, o2.Revision, o2.Status.Label()))
	return c.Redirect(fmt.Sprintf("/orders/%d", o2.ID))
}
