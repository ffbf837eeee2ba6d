package customers

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/i18n"
	"wholesale/internal/validate"
)

// numberMax is the most characters a customer field takes.
const numberMax = 40

// Pick returns the id and name of the customer whose number a person typed
// (or chose from a select) in field of a form, when it is one the form
// offers: an account manager's own when managerID is not 0, else any, as
// ListNames lists them. Nothing typed gives the zero Company and no error:
// the form's own rules say whether a customer is needed. Returns Invalid
// with the message at field: more than numberMax characters or a control
// character, not a number, or no such customer (of the manager's).
func Pick(ctx context.Context, db bun.IDB, managerID int64, field, typed string) (Company, error) {
	var c Company
	typed = strings.TrimSpace(typed)
	if typed == "" {
		return c, nil
	}
	if msg := validate.CheckLine(typed, numberMax); !msg.IsZero() {
		return c, apperr.FieldErrors{field: msg}.Err()
	}
	if strings.Trim(typed, "0123456789") != "" {
		return c, apperr.FieldErrors{field: i18n.M("A customer number has digits only: it is on the customer's page.")}.Err()
	}
	err := sql.ErrNoRows // a number too large for an id is no customer's
	if id, perr := strconv.ParseInt(typed, 10, 64); perr == nil {
		q := db.NewSelect().Model(&c).Column("co.id", "co.name").Where("co.id = ?", id)
		if managerID != 0 {
			q = q.Where("co.account_manager_id = ?", managerID)
		}
		err = q.Scan(ctx)
	}
	switch {
	case errors.Is(err, sql.ErrNoRows) && managerID != 0:
		return c, apperr.FieldErrors{field: i18n.M("None of your customers has number %s.", typed)}.Err()
	case errors.Is(err, sql.ErrNoRows):
		return c, apperr.FieldErrors{field: i18n.M("There is no customer with number %s.", typed)}.Err()
	}
	return c, err
}
