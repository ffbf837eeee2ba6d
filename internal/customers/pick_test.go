package customers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"wholesale/internal/apperr"
	"wholesale/internal/customers"
	"wholesale/internal/postgres"
)

// TestPickReadsTheCustomerNumberTyped: a form's customer field takes the
// customer's number, with spaces or leading zeros; nothing typed is no
// customer and no error; anything else is refused at the field: letters,
// signs; an unknown number, one too long for an id, and for an account
// manager a customer not theirs.
func TestPickReadsTheCustomerNumberTyped(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	own := &customers.Company{Name: "Eigen Klant B.V.", AccountManagerID: &e.am.ID}
	other := &customers.Company{Name: "Andere Klant B.V."}
	if err := postgres.Run(ctx, e.db, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		for _, c := range []*customers.Company{own, other} {
			if err := customers.Insert(ctx, tx, e.clk.Now(), c); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		manager int64
		typed   string
		want    *customers.Company // nil: refused with msg
		msg     string
	}{
		{0, fmt.Sprint(other.ID), other, ""},
		{0, fmt.Sprintf("  %d ", own.ID), own, ""},
		{0, fmt.Sprintf("000%d", own.ID), own, ""},
		{e.am.ID, fmt.Sprint(own.ID), own, ""},
		{0, "", &customers.Company{}, ""},
		{0, "   ", &customers.Company{}, ""},
		{0, "Eigen Klant B.V.", nil, "A customer number has digits only: it is on the customer's page."},
		{0, fmt.Sprintf("-%d", own.ID), nil, "A customer number has digits only: it is on the customer's page."},
		{0, fmt.Sprintf("%d.0", own.ID), nil, "A customer number has digits only: it is on the customer's page."},
		{0, "9223372036854775808", nil, "There is no customer with number 9223372036854775808."},
		{e.am.ID, "00099999999999999999999", nil, "None of your customers has number 00099999999999999999999."},
		{0, "999999999999999999", nil, "There is no customer with number 999999999999999999."},
		{0, "0", nil, "There is no customer with number 0."},
		{0, strings.Repeat("1", 41), nil, "Use at most 40 characters (this has 41)."},
		{0, "12\x00", nil, "This text contains a NUL character, which is not allowed: please remove it."},
		{e.am.ID, fmt.Sprint(other.ID), nil, fmt.Sprintf("None of your customers has number %d.", other.ID)},
		{e.am.ID, "999999", nil, "None of your customers has number 999999."},
	} {
		got, err := customers.Pick(ctx, e.db, c.manager, "customer", c.typed)
		if c.want == nil {
			ae, ok := apperr.As(err)
			if !ok || ae.Kind != apperr.Invalid || ae.Fields["customer"].String() != c.msg || len(ae.Fields) != 1 {
				t.Errorf("manager %d, %q: %v, want %q at the field", c.manager, c.typed, err, c.msg)
			}
			continue
		}
		if err != nil || got.ID != c.want.ID || got.Name != c.want.Name {
			t.Errorf("manager %d, %q: %d %q (%v), want %d %q", c.manager, c.typed, got.ID, got.Name, err, c.want.ID, c.want.Name)
		}
	}
}

// TestNamesIfFew: the names of the customers in scope, by name, while they
// are at most max; past it none, and many.
func TestNamesIfFew(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	if err := postgres.Run(ctx, e.db, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		for i, name := range []string{"Citroen B.V.", "Appel B.V.", "Banaan B.V."} {
			c := &customers.Company{Name: name}
			if i < 2 {
				c.AccountManagerID = &e.am.ID
			}
			if err := customers.Insert(ctx, tx, e.clk.Now(), c); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	names := func(list []customers.Company) string {
		var out []string
		for _, c := range list {
			out = append(out, c.Name)
		}
		return strings.Join(out, ", ")
	}
	all, err := customers.ListNames(ctx, e.db, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := len(all) // the three, and any the environment made
	if list, many, err := customers.NamesIfFew(ctx, e.db, 0, n); err != nil || many || names(list) != names(all) {
		t.Fatalf("at most %d: %q, many %v (%v)", n, names(list), many, err)
	}
	if list, many, err := customers.NamesIfFew(ctx, e.db, 0, n-1); err != nil || !many || list != nil {
		t.Fatalf("more than %d: %q, many %v (%v)", n-1, names(list), many, err)
	}
	if list, many, err := customers.NamesIfFew(ctx, e.db, e.am.ID, 2); err != nil || many || names(list) != "Appel B.V., Citroen B.V." {
		t.Fatalf("the account manager's two: %q, many %v (%v)", names(list), many, err)
	}
	if list, many, err := customers.NamesIfFew(ctx, e.db, e.am.ID, 1); err != nil || !many || list != nil {
		t.Fatalf("the account manager's two of at most one: %q, many %v (%v)", names(list), many, err)
	}
}
