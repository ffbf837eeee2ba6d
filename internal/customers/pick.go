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
)

// numberDigits is the most digits a customer number is read with: any
// more would not fit an id.
const numberDigits = 18

// Pick returns the id and name of the customer whose number a person typed
// (or chose from a select) in field of a form, when it is one the form
// offers: an account manager's own when managerID is not 0, else any, as
// ListNames lists them. Nothing typed gives the zero Company and no error:
// the form's own rules say whether a customer is needed. Returns Invalid
// with the message at field: not a number, or no such customer (of the
// manager's).
func Pick(ctx context.Context, db bun.IDB, managerID int64, field, typed string) (Company, error) {
	var c Company
	typed = strings.TrimSpace(typed)
	if typed == "" {
		return c, nil
	}
	digits := strings.TrimLeft(typed, "0")
	if strings.Trim(typed, "0123456789") != "" || len(digits) > numberDigits {
		return c, apperr.FieldErrors{field: i18n.M("A customer number has digits only: it is on the customer's page.")}.Err()
	}
	id, _ := strconv.ParseInt("0"+digits, 10, 64)
	q := db.NewSelect().Model(&c).Column("co.id", "co.name").Where("co.id = ?", id)
	if managerID != 0 {
		q = q.Where("co.account_manager_id = ?", managerID)
	}
	err := q.Scan(ctx)
	switch {
	case errors.Is(err, sql.ErrNoRows) && managerID != 0:
		return c, apperr.FieldErrors{field: i18n.M("None of your customers has number %s.", typed)}.Err()
	case errors.Is(err, sql.ErrNoRows):
		return c, apperr.FieldErrors{field: i18n.M("There is no customer with number %s.", typed)}.Err()
	}
	return c, err
}
