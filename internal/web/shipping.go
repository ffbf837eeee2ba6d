package web

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/apperr"
	"wholesale/internal/clock"
	"wholesale/internal/i18n"
	"wholesale/internal/money"
	"wholesale/internal/orders"
	"wholesale/internal/shipping"
	"wholesale/internal/users"
	"wholesale/internal/validate"
)

// shipmentViewers see an order's shipments: whoever sees the order.
var shipmentViewers = rule{roles: []users.Role{users.RoleAdmin, users.RoleSales, users.RoleAccountManager, users.RoleWarehouse, users.RoleFinance, users.RoleCustomer}}

func (s *Server) registerShippingRoutes() {
	// GET /warehouse/ship lists the released orders to ship, oldest first, with what of each is ready.
	s.page(fiber.MethodGet, "/warehouse/ship", warehouseDesk, s.handleToShip)
	// GET /orders/:id/ship is the ship form: a quantity per line, the carrier and its tracking number.
	s.page(fiber.MethodGet, "/orders/:id/ship", warehouseDesk, s.handleShipForm)
	// POST /orders/:id/ship records the shipment.
	s.page(fiber.MethodPost, "/orders/:id/ship", warehouseDesk, s.handleShip)
	// GET /orders/:id/packing-list is the printable list of what to pack.
	s.page(fiber.MethodGet, "/orders/:id/packing-list", warehouseDesk, s.handlePackingList)
	// POST /shipments/:id/delivered records the day a shipment was delivered.
	s.page(fiber.MethodPost, "/shipments/:id/delivered", warehouseDesk, s.handleDelivered)
	// POST /shipments/:id/tracking corrects the carrier and tracking number of a shipment not yet delivered.
	s.page(fiber.MethodPost, "/shipments/:id/tracking", warehouseDesk, s.handleCorrectTracking)
}

func (s *Server) registerShippingAPIRoutes() {
	// GET /api/v1/orders/:id/shipments lists the order's shipments.
	s.api(fiber.MethodGet, "/orders/:id/shipments", shipmentViewers, s.handleAPIShipments)
}

// orderShipments is what the order page shows of shipping: the shipments,
// and what the user may do.
type orderShipments struct {
	Shipments []shipping.Shipment
	// CanShip: the order may ship now and the user ships (warehouse,
	// admin); CanDeliver: the user records deliveries; CanRegisterPayment:
	// finance may register the payment an unpaid prepayment order waits for.
	CanShip, CanDeliver, CanRegisterPayment bool
	// StillToPay is what a prepayment order waits for; StillToPayInput the
	// same as the payment form takes it.
	StillToPay      int64
	StillToPayInput string
	// FailedShipment is the shipment whose delivery date was refused,
	// DeliveredOn the date typed; Today is the date the form proposes.
	FailedShipment int64
	DeliveredOn    string
	Today          string
	// FailedTracking is the shipment whose correction of carrier and
	// tracking number was refused, TypedCarrier and TypedTracking what was
	// typed; Carriers are the choices of the form.
	FailedTracking              int64
	TypedCarrier, TypedTracking string
	Carriers                    []carrierOption
}

// carrierOption is a carrier of a select: its value and its name.
type carrierOption struct {
	Value string
	Label i18n.Message
}

// carrierOptions are the carriers of the forms, the default first.
func carrierOptions() []carrierOption {
	out := make([]carrierOption, len(shipping.Carriers))
	for i, c := range shipping.Carriers {
		out[i] = carrierOption{Value: c, Label: shipping.CarrierLabel(c)}
	}
	return out
}

func (s *Server) orderShipmentsOf(c *fiber.Ctx, o *orders.Order) (orderShipments, error) {
	u := currentUser(c)
	list, err := shipping.ForOrder(c.UserContext(), s.db, o.ID)
	left := o.TotalInclCents - o.PaidCents
	return orderShipments{StillToPay: left, StillToPayInput: loc(c).Input(money.Cents(left)), Shipments: list, CanShip: u.Is(users.RoleAdmin, users.RoleWarehouse) && o.Shippable(),
		CanDeliver:         u.Is(users.RoleAdmin, users.RoleWarehouse),
		CanRegisterPayment: canBook(u) && o.State == orders.StatePlaced && o.Prepayment && o.PaidCents < o.TotalInclCents,
		Today:              s.clock.Now().In(clock.Amsterdam).Format(time.DateOnly), Carriers: carrierOptions()}, err
}

type toShipPage struct {
	Page
	Orders []shipping.OrderToShip
}

func (s *Server) handleToShip(c *fiber.Ctx) error {
	list, err := shipping.ToShip(c.UserContext(), s.db, 200)
	if err != nil {
		return err
	}
	return s.render(c, "shipping/to_ship", &toShipPage{Page: Page{Title: i18n.M("Orders to ship")}, Orders: list})
}

// shipLine is a line of the ship form and the packing list.
type shipLine struct {
	orders.Line
	Ready int
	// Field is the name of the line's quantity field, Value what it shows.
	Field, Value string
}

// Remaining is what of the line is still to ship.
func (l *shipLine) Remaining() int {
	if l.Cancelled {
		return 0
	}
	return l.Quantity - l.Shipped
}

// ReservedQty is what is reserved for the line, shipped included.
func (l *shipLine) ReservedQty() int {
	if l.Reserved == nil {
		return 0
	}
	return *l.Reserved
}

// Later is what of the line ships later: not ready now.
func (l *shipLine) Later() int { return l.Remaining() - l.Ready }

type shipPage struct {
	Page
	Order *orders.Order
	Lines []shipLine
	// Why says why the order cannot ship now; the form is shown when it is zero.
	Why                     i18n.Message
	Carriers                []string
	Carrier, TrackingNumber string
}

// CarrierLabel names a carrier of the select.
func (p *shipPage) CarrierLabel(carrier string) i18n.Message { return shipping.CarrierLabel(carrier) }

// shipPageFor is the ship form (or the packing list) of o, each line's
// quantity set to what is ready.
func (s *Server) shipPageFor(o *orders.Order, title i18n.Message) *shipPage {
	p := &shipPage{Page: Page{Title: title}, Order: o, Carriers: shipping.Carriers, Carrier: shipping.DefaultCarrier(o)}
	ready := 0
	for _, l := range o.Lines {
		r := shipping.Ready(&l)
		ready += r
		p.Lines = append(p.Lines, shipLine{Line: l, Ready: r, Field: shipping.LineField(l.ID), Value: strconv.Itoa(r)})
	}
	switch {
	case !shipping.WhyNot(o).IsZero():
		p.Why = shipping.WhyNot(o)
	case o.ShipComplete && !shipping.CompleteReady(o):
		p.Why = i18n.M("Order %d ships complete only: it waits until every line is in stock.", o.ID)
	case ready == 0:
		p.Why = i18n.M("Nothing of order %d is in stock yet: its lines wait for goods.", o.ID)
	}
	return p
}

func (s *Server) handleShipForm(c *fiber.Ctx) error {
	o, err := s.viewableOrder(c)
	if err != nil {
		return err
	}
	return s.render(c, "shipping/ship", s.shipPageFor(o, i18n.M("Ship order %d · PO %s", o.ID, o.POReference)))
}

func (s *Server) handleShip(c *fiber.Ctx) error {
	o, err := s.viewableOrder(c)
	if err != nil {
		return err
	}
	p := s.shipPageFor(o, i18n.M("Ship order %d · PO %s", o.ID, o.POReference))
	in := shipping.Input{OrderID: o.ID, Carrier: c.FormValue("carrier"), TrackingNumber: c.FormValue("tracking_number")}
	p.Carrier, p.TrackingNumber = in.Carrier, in.TrackingNumber
	fe := apperr.FieldErrors{}
	for i := range p.Lines {
		l := &p.Lines[i]
		l.Value = c.FormValue(l.Field)
		if strings.TrimSpace(l.Value) == "" {
			continue
		}
		q, msg := validate.ParseWhole(l.Value)
		if !msg.IsZero() {
			fe.Add(l.Field, msg)
			continue
		}
		in.Lines = append(in.Lines, shipping.LineInput{OrderLineID: l.ID, Quantity: q})
	}
	if len(fe) > 0 {
		// What else is wrong is said at once, but for the lines, whose
		// quantities could not be read.
		if ae, ok := apperr.As(in.Validate()); ok {
			for f, m := range ae.Fields {
				if f != "lines" {
					fe.Add(f, m)
				}
			}
		}
		return s.rerender(c, "shipping/ship", p, fe.Err())
	}
	sh, err := s.shipping.Ship(c.UserContext(), currentUser(c), in)
	if err != nil {
		return s.rerender(c, "shipping/ship", p, err)
	}
	if sh.TrackingNumber == "" {
		flash(c, i18n.M("Order %d: the shipment is recorded (%s).", o.ID, sh.CarrierLabel()))
	} else {
		flash(c, i18n.M("Order %d: the shipment is recorded (%s, tracking number %s).", o.ID, sh.CarrierLabel(), sh.TrackingNumber))
	}
	return c.Redirect(fmt.Sprintf("/orders/%d", o.ID))
}

func (s *Server) handlePackingList(c *fiber.Ctx) error {
	o, err := s.viewableOrder(c)
	if err != nil {
		return err
	}
	return s.render(c, "shipping/packing", s.shipPageFor(o, i18n.M("Packing list · order %d", o.ID)))
}

// shipmentOrderPage reads the shipment of the path and the staff page of
// its order, which a form about the shipment shows again when refused.
func (s *Server) shipmentOrderPage(c *fiber.Ctx) (*shipping.Shipment, *orderPage, error) {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return nil, nil, fiber.ErrNotFound
	}
	sh, err := shipping.ByID(c.UserContext(), s.db, int64(id))
	if err != nil {
		return nil, nil, err
	}
	o, err := s.orders.Get(c.UserContext(), currentUser(c), sh.OrderID)
	if err != nil {
		return nil, nil, err
	}
	p, err := s.orderPageFor(c, o, false)
	return sh, p, err
}

func (s *Server) handleDelivered(c *fiber.Ctx) error {
	sh, p, err := s.shipmentOrderPage(c)
	if err != nil {
		return err
	}
	ctx, u, o := c.UserContext(), currentUser(c), p.Order
	p.FailedShipment, p.DeliveredOn = sh.ID, c.FormValue("delivered_on")
	day, msg := validate.ParseDate(p.DeliveredOn)
	if !msg.IsZero() {
		return s.rerender(c, "orders/show", p, fieldErr("delivered_on", msg))
	}
	if _, err := s.shipping.MarkDelivered(ctx, u, sh.ID, day); err != nil {
		return s.rerender(c, "orders/show", p, err)
	}
	flash(c, i18n.M("The shipment of %s is recorded as delivered on %s.", i18n.D(sh.ShippedOn), i18n.D(day)))
	return c.Redirect(fmt.Sprintf("/orders/%d", o.ID))
}

func (s *Server) handleCorrectTracking(c *fiber.Ctx) error {
	sh, p, err := s.shipmentOrderPage(c)
	if err != nil {
		return err
	}
	ctx, u, o := c.UserContext(), currentUser(c), p.Order
	p.FailedTracking, p.TypedCarrier, p.TypedTracking = sh.ID, c.FormValue("carrier"), c.FormValue("tracking_number")
	fixed, err := s.shipping.CorrectTracking(ctx, u, sh.ID, p.TypedCarrier, p.TypedTracking)
	if err != nil {
		return s.rerender(c, "orders/show", p, err)
	}
	if fixed.TrackingNumber == "" {
		flash(c, i18n.M("The shipment of %s is corrected: %s.", i18n.D(fixed.ShippedOn), fixed.CarrierLabel()))
	} else {
		flash(c, i18n.M("The shipment of %s is corrected: %s, tracking number %s.", i18n.D(fixed.ShippedOn), fixed.CarrierLabel(), fixed.TrackingNumber))
	}
	return c.Redirect(fmt.Sprintf("/orders/%d", o.ID))
}

func (s *Server) handleAPIShipments(c *fiber.Ctx) error {
	o, err := s.viewableOrder(c)
	if err != nil {
		return err
	}
	list, err := shipping.ForOrder(c.UserContext(), s.db, o.ID)
	if err != nil {
		return err
	}
	if list == nil {
		list = []shipping.Shipment{}
	}
	return c.JSON(apiShipmentList{Shipments: list})
}
