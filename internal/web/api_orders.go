package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"strconv"
	"strings"
	"unicode"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/apperr"
	"wholesale/internal/i18n"
	"wholesale/internal/idempotency"
	"wholesale/internal/orders"
	"wholesale/internal/users"
)

var orderViewers = rule{roles: []users.Role{users.RoleAdmin, users.RoleSales, users.RoleAccountManager, users.RoleCustomer}}
var orderConfirmers = rule{roles: []users.Role{users.RoleAdmin, users.RoleAccountManager, users.RoleCustomer}}

func (s *Server) registerOrderAPIRoutes() {
	// GET /api/v1/orders lists orders, newest first (?status, customer, po, from, to, before).
	s.api(fiber.MethodGet, "/orders", orderViewers, s.handleAPIOrderList)
	// POST /api/v1/orders creates a draft, or places it with "place": true.
	s.api(fiber.MethodPost, "/orders", orderDesk, s.handleAPIOrderCreate)
	// GET /api/v1/orders/:id returns one order.
	s.api(fiber.MethodGet, "/orders/:id", orderViewers, s.handleAPIOrderGet)
	// POST /api/v1/orders/:id/place places a draft.
	s.api(fiber.MethodPost, "/orders/:id/place", orderDesk, s.handleAPIOrderPlace)
	// POST /api/v1/orders/:id/amend amends an order: only the fields sent change.
	s.api(fiber.MethodPost, "/orders/:id/amend", orderDesk, s.handleAPIOrderAmend)
	// POST /api/v1/orders/:id/cancel cancels an order ({"reason": …}).
	s.api(fiber.MethodPost, "/orders/:id/cancel", orderDesk, s.handleAPIOrderCancel)
	// POST /api/v1/orders/:id/confirm confirms it: a customer in the portal; an account manager records a written confirmation ({"note": …}).
	s.api(fiber.MethodPost, "/orders/:id/confirm", orderConfirmers, s.handleAPIOrderConfirm)
}

// forViewer hides what a customer does not see: internal notes and credit
// remarks; the reason of a credit hold is in the request's language.
func forViewer(c *fiber.Ctx, o *orders.Order) *orders.Order {
	if !o.HoldReason.IsZero() {
		o.CreditReason = loc(c).Text(o.HoldReason.Message)
	}
	if currentUser(c).Role == users.RoleCustomer {
		o.Note, o.CreditNote, o.CreditReason = "", "", ""
	}
	return o
}

func (s *Server) handleAPIOrderList(c *fiber.Ctx) error {
	u := currentUser(c)
	list, next, err := s.orders.List(c.UserContext(), u, orderFilter(c))
	if err != nil {
		return err
	}
	for i := range list {
		forViewer(c, &list[i])
	}
	if list == nil {
		list = []orders.Order{}
	}
	return c.JSON(apiOrderList{Orders: list, NextBefore: next})
}

type apiOrderCreate struct {
	orders.Input
	Place bool `json:"place"`
}

// bodyInto decodes the JSON body of an API request into v: only
// application/json is taken (415 otherwise), one JSON value of v's fields,
// and a value of the wrong type is named at its field.
func bodyInto(c *fiber.Ctx, v any) error {
	mt, _, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	if err != nil || mt != fiber.MIMEApplicationJSON {
		return fiber.NewError(fiber.StatusUnsupportedMediaType, tr(c, "Send the body as JSON, with the header Content-Type: application/json."))
	}
	dec := json.NewDecoder(bytes.NewReader(c.Body()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return apperr.Invalidf("Send one JSON object, with nothing after it.")
	}
	return nil
}

// jsonError says what is wrong with a JSON body, at the field where it can.
func jsonError(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr) && typeErr.Field != "":
		want := i18n.M("a value of another type")
		switch typeErr.Type.Kind().String() {
		case "int", "int64", "int32":
			want = i18n.M("a whole number (within range)")
		case "string":
			want = i18n.M("text in quotes")
		case "bool":
			want = i18n.M("true or false")
		case "slice":
			want = i18n.M("a list")
		case "struct":
			want = i18n.M("an object")
		}
		return apperr.FieldErrors{jsonField(typeErr.Field): i18n.M("Send %s here.", want)}.Err()
	case errors.As(err, &syntaxErr):
		return apperr.Invalidf("The body is not valid JSON (at byte %d).", syntaxErr.Offset)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return apperr.FieldErrors{field: i18n.M("This request takes no such field.")}.Err()
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return apperr.Invalidf("The body is empty or cut short: send a JSON object.")
	}
	return apperr.Invalidf("The body is not a JSON object of this request's fields.")
}

// jsonField is the JSON path of a field as encoding/json names it, without
// the Go names of embedded structs ("Input.lines.quantity" → "lines.quantity").
func jsonField(path string) string {
	var out []string
	for _, seg := range strings.Split(path, ".") {
		if seg != "" && !unicode.IsUpper(rune(seg[0])) {
			out = append(out, seg)
		}
	}
	return strings.Join(out, ".")
}

// idempotencyKey is the request's Idempotency-Key for the use case layer,
// nil when none was sent.
func idempotencyKey(c *fiber.Ctx) *idempotency.Key {
	v := c.Get(idempotency.Field)
	if v == "" {
		return nil
	}
	sum := sha256.Sum256(append([]byte(c.Method()+" "+c.Path()+"\n"), c.Body()...))
	return &idempotency.Key{UserID: currentUser(c).ID, Value: strings.Clone(v), Request: hex.EncodeToString(sum[:])}
}

// keyed returns the orders service for the request: once per key when it
// carries one. done marks the answer of a retry as replayed.
func (s *Server) keyed(c *fiber.Ctx) (svc *orders.Service, done func()) {
	k := idempotencyKey(c)
	return s.orders.Keyed(k), func() {
		if k != nil && k.Replayed {
			c.Set("Idempotent-Replayed", "true")
		}
	}
}

func (s *Server) handleAPIOrderCreate(c *fiber.Ctx) error {
	var in apiOrderCreate
	if err := bodyInto(c, &in); err != nil {
		return err
	}
	svc, done := s.keyed(c)
	create := svc.Create
	if in.Place {
		create = svc.CreateAndPlace
	}
	o, err := create(c.UserContext(), currentUser(c), in.Input)
	done()
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderLocation, "/api/v1/orders/"+strconv.FormatInt(o.ID, 10))
	return c.Status(fiber.StatusCreated).JSON(forViewer(c, o))
}

func (s *Server) handleAPIOrderGet(c *fiber.Ctx) error {
	o, err := s.viewableOrder(c)
	if err != nil {
		return err
	}
	return c.JSON(forViewer(c, o))
}

// apiOrderUseCase runs a use case on the order of the path and answers
// with the order as the use case left it.
func (s *Server) apiOrderUseCase(c *fiber.Ctx, run func(svc *orders.Service, id int64) (*orders.Order, error)) error {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return fiber.ErrNotFound
	}
	svc, done := s.keyed(c)
	o, err := run(svc, int64(id))
	done()
	if err != nil {
		return err
	}
	return c.JSON(forViewer(c, o))
}

func (s *Server) handleAPIOrderPlace(c *fiber.Ctx) error {
	return s.apiOrderUseCase(c, func(svc *orders.Service, id int64) (*orders.Order, error) {
		return svc.Place(c.UserContext(), currentUser(c), id)
	})
}

func (s *Server) handleAPIOrderAmend(c *fiber.Ctx) error {
	var in orders.AmendInput
	if err := bodyInto(c, &in); err != nil {
		return err
	}
	return s.apiOrderUseCase(c, func(svc *orders.Service, id int64) (*orders.Order, error) {
		return svc.Amend(c.UserContext(), currentUser(c), id, in)
	})
}

func (s *Server) handleAPIOrderCancel(c *fiber.Ctx) error {
	var in apiOrderCancel
	if err := bodyInto(c, &in); err != nil {
		return err
	}
	return s.apiOrderUseCase(c, func(svc *orders.Service, id int64) (*orders.Order, error) {
		return svc.Cancel(c.UserContext(), currentUser(c), id, in.Reason)
	})
}

func (s *Server) handleAPIOrderConfirm(c *fiber.Ctx) error {
	u := currentUser(c)
	var in apiOrderConfirm
	if u.Role == users.RoleCustomer {
		if len(c.Body()) > 0 {
			if err := bodyInto(c, &in); err != nil {
				return err
			}
		}
		if err := onlyFields(map[string]bool{"note": in.Note != "", "received_on": in.ReceivedOn != ""}); err != nil {
			return err
		}
		return s.apiOrderUseCase(c, func(svc *orders.Service, id int64) (*orders.Order, error) {
			return svc.ConfirmInPortal(c.UserContext(), u, id, in.Revision)
		})
	}
	if err := bodyInto(c, &in); err != nil {
		return err
	}
	if err := onlyFields(map[string]bool{"revision": in.Revision != 0}); err != nil {
		return err
	}
	return s.apiOrderUseCase(c, func(svc *orders.Service, id int64) (*orders.Order, error) {
		return svc.ConfirmWritten(c.UserContext(), u, id, orders.WrittenConfirmation{Note: in.Note, ReceivedOn: in.ReceivedOn})
	})
}

// apiKeyDoc documents the Idempotency-Key header of the API's POSTs.
var apiKeyDoc = fmt.Sprintf("Send an Idempotency-Key header (1 to %d visible ASCII characters) to make a retry safe: "+
	"every retry with the key gets the first answer, marked Idempotent-Replayed: true.", idempotency.MaxLen)

// onlyFields refuses the fields of sent that were sent (true) although
// the request takes them not from this user, as bodyInto refuses unknown
// fields. Returns Invalid.
func onlyFields(sent map[string]bool) error {
	fe := apperr.FieldErrors{}
	for f, ok := range sent {
		if ok {
			fe.Add(f, i18n.M("This request takes no such field."))
		}
	}
	return fe.Err()
}
