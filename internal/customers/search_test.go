package customers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"wholesale/internal/apperr"
	"wholesale/internal/customers"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
)

// TestCompaniesSearchAndPages finds customers by part of the name, by KvK
// number and by VAT id, and walks the list page by page by name, each
// customer once, within what the user may see.
func TestCompaniesSearchAndPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	// Seven companies, two with the same name; the account manager has three.
	names := []string{"Zuivel Zeeland", "Bakkerij Jansen B.V.", "Bakkerij Jansen B.V.", "Koffie 100%", "Groente_Groot", "Abel", "Molen"}
	err := postgres.Run(ctx, e.db, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		for i, n := range names {
			c := &customers.Company{Name: n, KvK: fmt.Sprintf("3000000%d", i), VATID: fmt.Sprintf("NL00000000%dB01", i)}
			if i%2 == 1 {
				c.AccountManagerID = &e.am.ID
			}
			if err := customers.Insert(ctx, tx, e.clk.Now(), c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	list := func(u *users.User, q string, size int) []string {
		t.Helper()
		var pages []string
		f := customers.CompanyFilter{Query: q, Limit: size}
		for i := 0; i < 10; i++ {
			got, next, err := customers.CompaniesFor(ctx, e.db, u, f)
			if err != nil {
				t.Fatal(err)
			}
			var ns []string
			for _, c := range got {
				ns = append(ns, c.Name)
			}
			pages = append(pages, strings.Join(ns, ", "))
			if next == 0 {
				return pages
			}
			f.AfterID = next
		}
		t.Fatal("more than 10 pages")
		return nil
	}
	for _, c := range []struct {
		who   *users.User
		q     string
		size  int
		pages string
	}{
		{e.sales, "", 3, "Abel, Bakkerij Jansen B.V., Bakkerij Jansen B.V. | Groente_Groot, Koffie 100%, Molen | Zuivel Zeeland"},
		{e.sales, "", 7, "Abel, Bakkerij Jansen B.V., Bakkerij Jansen B.V., Groente_Groot, Koffie 100%, Molen, Zuivel Zeeland"},
		{e.sales, "", 2, "Abel, Bakkerij Jansen B.V. | Bakkerij Jansen B.V., Groente_Groot | Koffie 100%, Molen | Zuivel Zeeland"},
		{e.am, "", 2, "Abel, Bakkerij Jansen B.V. | Koffie 100%"},
		{e.sales, "jansen", 1, "Bakkerij Jansen B.V. | Bakkerij Jansen B.V."},
		{e.sales, "30000003", 5, "Koffie 100%"},
		{e.sales, "nl 000000003 b01", 5, "Koffie 100%"},
		{e.sales, "100%", 5, "Koffie 100%"},
		{e.sales, "%", 5, "Koffie 100%"},
		{e.sales, "_", 5, "Groente_Groot"},
		{e.am, "zeeland", 5, ""},
	} {
		if got := strings.Join(list(c.who, c.q, c.size), " | "); got != c.pages {
			t.Errorf("%s, %q by %d:\n got %s\nwant %s", c.who.Email, c.q, c.size, got, c.pages)
		}
	}
	wh := &users.User{ID: 99, Role: users.RoleWarehouse}
	if _, _, err := customers.CompaniesFor(ctx, e.db, wh, customers.CompanyFilter{}); apperr.KindOf(err) != apperr.Forbidden {
		t.Errorf("the warehouse lists customers: %v", err)
	}
}

// A search text that holds no KvK number or VAT id (it reads as nothing
// once its spaces, dots and dashes are left out) finds no customer by
// their missing KvK number or VAT id: "-" finds the foreign customer
// without either only by its name.
func TestCompaniesSearchDoesNotMatchAMissingKvKOrVATID(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	err := postgres.Run(ctx, e.db, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		for _, c := range []*customers.Company{{Name: "Küchen Müller GmbH"}, {Name: "Abel-Molen", KvK: "30000001", VATID: "NL000000001B01"}} {
			if err := customers.Insert(ctx, tx, e.clk.Now(), c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]string{"-": "Abel-Molen", ". .": "", "müller": "Küchen Müller GmbH", "30000001": "Abel-Molen", "NL000000001B01": "Abel-Molen"} {
		got, _, err := customers.CompaniesFor(ctx, e.db, e.sales, customers.CompanyFilter{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		var ns []string
		for _, c := range got {
			ns = append(ns, c.Name)
		}
		if strings.Join(ns, ", ") != want {
			t.Errorf("%q finds %q, want %q", q, strings.Join(ns, ", "), want)
		}
	}
}
