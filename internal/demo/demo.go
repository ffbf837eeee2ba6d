// Package demo loads the demo data a new user tries the system with: one
// user of every role and a customer company. Each area adds its own.
package demo

import (
	"context"

	"github.com/uptrace/bun"

	"wholesale/internal/customers"
	"wholesale/internal/users"
)

// Login is a demo account to print at start.
type Login struct {
	Role     users.Role
	Email    string
	Password string
}

// Logins are the demo accounts, one per role.
func Logins() []Login {
	return []Login{
		{users.RoleAdmin, "admin@wholesale.test", "demo-admin-2026"},
		{users.RoleSales, "sales@wholesale.test", "demo-sales-2026"},
		{users.RoleAccountManager, "am@wholesale.test", "demo-am-2026!"},
		{users.RoleWarehouse, "warehouse@wholesale.test", "demo-warehouse-2026"},
		{users.RoleCustomer, "buyer@bakkerij-jansen.test", "demo-customer-2026"},
	}
}

// Load fills an empty database with the demo data and reports whether it
// did; a database that has users already is left alone.
func Load(ctx context.Context, db *bun.DB, us *users.Service) (bool, error) {
	n, err := users.Count(ctx, db)
	if err != nil || n > 0 {
		return false, err
	}
	err = db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		company, err := customers.Create(ctx, tx, us.Clock.Now(), "Bakkerij Jansen B.V.")
		if err != nil {
			return err
		}
		names := map[users.Role]string{
			users.RoleAdmin: "Anna Admin", users.RoleSales: "Sam Sales", users.RoleAccountManager: "Mila Accountmanager",
			users.RoleWarehouse: "Wim Warehouse", users.RoleCustomer: "Joris Jansen",
		}
		for _, l := range Logins() {
			in := users.NewUser{Email: l.Email, Name: names[l.Role], Role: l.Role, Password: l.Password}
			if l.Role == users.RoleCustomer {
				in.CompanyID = company.ID
			}
			if _, err := us.CreateWith(ctx, tx, in); err != nil {
				return err
			}
		}
		return nil
	})
	return err == nil, err
}
