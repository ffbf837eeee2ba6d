package web

import (
	"github.com/gofiber/fiber/v2"

	"wholesale/internal/apperr"
	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/users"
)

// pickMax is the most customers a list's filter or a form offers in a
// select; past it the field takes the customer's number, which the
// customer's page, the search and its invoices show (and the customer's
// page links to its lists and forms).
const pickMax = 500

// customerPick is the field that picks a customer (partials/customer_pick):
// a select of the customers the user may pick, or, when they are more than
// pickMax, a field for the customer's number. A list's filter has its own
// label; a form's field has Label, and shows its message (At).
type customerPick struct {
	ID, Name string       // the field's id and name
	Blank    i18n.Message // the select's empty choice
	// Label names a form's field as a select, NumberLabel as a number
	// field ("Customer number" when not set).
	Label, NumberLabel i18n.Message
	Value              string // what was chosen or typed: a customer's number, or ""
	List               []customers.Company
	Many               bool
	// Err is the field's message (At).
	Err i18n.Message
}

// At is the field with its message among a form's errs.
func (p customerPick) At(errs map[string]i18n.Message) customerPick {
	p.Err = errs[p.Name]
	return p
}

// FieldLabel is the label of a form's field.
func (p customerPick) FieldLabel() i18n.Message {
	switch {
	case !p.Many:
		return p.Label
	case p.NumberLabel.IsZero():
		return i18n.M("Customer number")
	}
	return p.NumberLabel
}

// pickChoices are the customers a customer field offers: their names, or
// Many when they are more than pickMax.
type pickChoices struct {
	List []customers.Company
	Many bool
}

// of is the field offering c: the customers' names, or the number field
// when they are more than pickMax.
func (p customerPick) of(c pickChoices) customerPick {
	p.List, p.Many = c.List, c.Many
	return p
}

// pickNames reads what a customer field offers u (an account manager's own
// customers, other staff's all): their names when they are pickMax at
// most; past that only their count, up to pickMax+1.
func (s *Server) pickNames(c *fiber.Ctx, u *users.User) (pickChoices, error) {
	list, many, err := customers.NamesIfFew(c.UserContext(), s.db, managerScope(u), pickMax)
	return pickChoices{List: list, Many: many}, err
}

// pick fills in the choices of field p for the current user.
func (s *Server) pick(c *fiber.Ctx, p customerPick) (customerPick, error) {
	choices, err := s.pickNames(c, currentUser(c))
	return p.of(choices), err
}

// customerFilter reads the customers for a list's customer filter.
func (s *Server) customerFilter(c *fiber.Ctx, u *users.User, id, name, value string) (customerPick, error) {
	choices, err := s.pickNames(c, u)
	return customerPick{ID: id, Name: name, Blank: i18n.M("all"), Value: value}.of(choices), err
}

// picked reads the customer a form's field names by its number (typed, or
// chosen from the select): the zero Company when the field is empty, and
// Invalid at field when it is no customer the current user picks from.
func (s *Server) picked(c *fiber.Ctx, field, typed string) (customers.Company, error) {
	return customers.Pick(c.UserContext(), s.db, managerScope(currentUser(c)), field, typed)
}

// managerScope is the account manager whose customers u picks from, or 0.
func managerScope(u *users.User) int64 {
	if u.Role == users.RoleAccountManager {
		return u.ID
	}
	return 0
}

// joinFields joins the field messages of Invalid errors, the first message
// of a field winning: a customer field's own message goes before what the
// form's input rules say of an empty one. Another error (one without
// field messages too) is returned as it is.
func joinFields(errs ...error) error {
	fe := apperr.FieldErrors{}
	for _, err := range errs {
		if err == nil {
			continue
		}
		ae, ok := apperr.As(err)
		if !ok || ae.Kind != apperr.Invalid || len(ae.Fields) == 0 {
			return err
		}
		for f, m := range ae.Fields {
			fe.Add(f, m)
		}
	}
	return fe.Err()
}
