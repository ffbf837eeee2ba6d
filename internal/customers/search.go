package customers

import (
	"context"
	"strings"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/ident"
	"wholesale/internal/users"
)

// CompanyFilter narrows the customer list. Zero fields do not filter.
type CompanyFilter struct {
	// Query is part of the name (in any case), or the whole KvK number or
	// VAT id (spaces, dots and dashes ignored).
	Query string
	// ManagerID limits the list to an account manager's customers.
	ManagerID int64
	// AfterID pages: the companies after this one, by name.
	AfterID int64
	Limit   int
}

// Companies returns one page of the companies matching f, by name; next is
// the AfterID of the next page, 0 at the end. Keyset pagination on (name,
// id) keeps every page as fast as the first.
func Companies(ctx context.Context, db bun.IDB, f CompanyFilter) (list []Company, next int64, err error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	q := db.NewSelect().Model(&list).OrderExpr("co.name, co.id").Limit(int64(f.Limit + 1))
	if s := strings.TrimSpace(f.Query); s != "" {
		// The text is part of a name, or a whole KvK number (eight digits)
		// or VAT id (a member state's prefix and at most 13 letters and
		// digits, its check digits unchecked): a text that reads as
		// nothing once its spaces, dots and dashes are left out ("-")
		// must not find the customers that have neither.
		match := []string{"co.name ILIKE ? ESCAPE '\\'"}
		args := []any{"%" + likeEscape(s) + "%"}
		if kvk, bad := ident.ParseKvK(s); bad.IsZero() {
			match, args = append(match, "co.kvk = ?"), append(args, kvk)
		}
		if vatID, ok := ident.VATShaped(s); ok {
			match, args = append(match, "co.vat_id = ?"), append(args, vatID)
		}
		q = q.Where("("+strings.Join(match, " OR ")+")", args...)
	}
	if f.ManagerID != 0 {
		q = q.Where("co.account_manager_id = ?", f.ManagerID)
	}
	if f.AfterID != 0 {
		q = q.Where("(co.name, co.id) > (SELECT a.name, a.id FROM companies AS a WHERE a.id = ?)", f.AfterID)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, 0, err
	}
	if len(list) > f.Limit {
		list = list[:f.Limit]
		next = list[len(list)-1].ID
	}
	return list, next, nil
}

// CompaniesFor is Companies limited to the companies u may see (CanSee):
// every one for sales and admins, their own for an account manager.
// Returns Forbidden for other roles.
func CompaniesFor(ctx context.Context, db bun.IDB, u *users.User, f CompanyFilter) ([]Company, int64, error) {
	switch u.Role {
	case users.RoleAdmin, users.RoleSales:
	case users.RoleAccountManager:
		f.ManagerID = u.ID
	default:
		return nil, 0, apperr.Forbiddenf("Your role may not see the customer list.")
	}
	return Companies(ctx, db, f)
}

// likeEscape makes s match itself in a LIKE pattern with escape character \.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s)
}
