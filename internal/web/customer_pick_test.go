package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"wholesale/internal/users"
)

// With more customers than a select holds (500), the customer filter of
// the order, invoice and returns lists is a field for the customer's
// number, which the customer's page shows; filtering by it lists that
// customer's orders. With fewer, it is a select of their names.
func TestCustomerFilterPastFiveHundredCustomers(t *testing.T) {
	t.Parallel()
	app := newApp(t)
	admin := app.as(users.RoleAdmin)
	var demoID int64
	var demoName string
	if err := app.db.QueryRowContext(context.Background(), `SELECT c.id, c.name FROM companies c JOIN orders o ON o.company_id = c.id
		ORDER BY o.id LIMIT 1`).Scan(&demoID, &demoName); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/orders", "/invoices", "/returns"} {
		_, body := admin.get(path)
		if n := doc(t, body).Find(`select#customer option`).Length(); n < 2 {
			t.Fatalf("%s with the demo's customers: a select of %d choices, want them by name\n%.600s", path, n, body)
		}
	}

	if _, err := app.db.ExecContext(context.Background(), `INSERT INTO companies (name) SELECT 'Scale customer ' || n FROM generate_series(1, 500) n`); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/orders", "/invoices", "/returns"} {
		resp, body := admin.get(path)
		wantStatus(t, resp, http.StatusOK)
		d := doc(t, body)
		if d.Find(`select#customer`).Length() != 0 || d.Find(`input#customer[name="customer"][inputmode="numeric"]`).Length() != 1 {
			t.Fatalf("%s with 500 more customers: no number field for the customer\n%.800s", path, body)
		}
		if !strings.Contains(d.Find(`#customer-hint`).Text(), "the customer's number") {
			t.Errorf("%s: the field does not say what it takes", path)
		}
	}
	_, body := admin.get(fmt.Sprintf("/orders?customer=%d", demoID))
	d := doc(t, body)
	if v, _ := d.Find(`input#customer`).Attr("value"); v != fmt.Sprint(demoID) {
		t.Errorf("the field does not keep the number typed: %q", v)
	}
	if rows := d.Find(`table tbody tr`); rows.Length() == 0 || !strings.Contains(rows.Text(), demoName) {
		t.Errorf("filtered by %d: no orders of %s\n%.800s", demoID, demoName, body)
	}
	_, body = admin.get(fmt.Sprintf("/customers/%d", demoID))
	if !strings.Contains(doc(t, body).Find(`dl.facts`).Text(), fmt.Sprintf("Customer number%d", demoID)) {
		t.Errorf("the customer's page does not show its number %d", demoID)
	}
}
