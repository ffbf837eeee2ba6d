package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"wholesale/internal/users"
)

// userID returns the id of the demo user of role.
func (a *testApp) userID(t *testing.T, role users.Role) int64 {
	t.Helper()
	var id int64
	if err := a.db.QueryRowContext(context.Background(), "SELECT id FROM users WHERE email = ?", loginOf(role).Email).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestEachPersonSeesTheirOwnData: the data page and the JSON download
// show the logged-in user's own data, whatever the address asks for.
func TestEachPersonSeesTheirOwnData(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	cust, salesID := a.as(customer), a.userID(t, sales)
	for _, path := range []string{"/profile/data", fmt.Sprintf("/profile/data?user=%d&id=%d", salesID, salesID)} {
		resp, body := cust.get(path)
		wantStatus(t, resp, http.StatusOK)
		d := doc(t, body)
		main := d.Find("main").Text()
		for _, want := range []string{"Joris Jansen", "buyer@bakkerij-jansen.test", "Bakkerij Jansen B.V.", "Logins and sessions", "Mail sent to you", "Returns you filed"} {
			if !strings.Contains(main, want) {
				t.Errorf("%s lacks %q", path, want)
			}
		}
		if d.Find("#logins tbody tr").Length() == 0 || d.Find("#audit tbody tr").Length() == 0 || d.Find("details.mail").Length() == 0 {
			t.Errorf("%s shows no logins, audit entries or mails", path)
		}
		if strings.Contains(main, loginOf(sales).Email) || strings.Contains(main, "Sam Sales") {
			t.Errorf("%s shows the sales user", path)
		}
	}
	for _, path := range []string{"/profile/data.json", fmt.Sprintf("/profile/data.json?user=%d", salesID)} {
		resp, body := cust.get(path)
		wantStatus(t, resp, http.StatusOK)
		if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") {
			t.Errorf("Content-Disposition %q", cd)
		}
		var x struct {
			Account struct {
				ID    int64  `json:"id"`
				Email string `json:"email"`
			} `json:"account"`
			Logins []json.RawMessage `json:"logins"`
			Mails  []json.RawMessage `json:"mails"`
		}
		if err := json.Unmarshal([]byte(body), &x); err != nil {
			t.Fatal(err)
		}
		if x.Account.ID != a.userID(t, customer) || x.Account.Email != loginOf(customer).Email || len(x.Logins) == 0 || len(x.Mails) == 0 {
			t.Errorf("%s: account %+v, %d logins, %d mails", path, x.Account, len(x.Logins), len(x.Mails))
		}
	}
}

// TestACustomerAsksAndSalesErases: the customer asks on /profile; nobody
// else can confirm it but sales or an admin, sales is refused while the
// customer is the company's last user who can confirm orders, then
// confirms with the box ticked; the customer's session ends.
func TestACustomerAsksAndSalesErases(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	cust, custID := a.as(customer), a.userID(t, customer)
	resp, body := cust.get("/profile")
	wantStatus(t, resp, http.StatusOK)
	if doc(t, body).Find(`form#erasure[action="/profile/erasure"] button`).Length() != 1 {
		t.Fatal("the profile has no erasure form")
	}
	resp, _ = cust.post("/profile/erasure", nil)
	wantStatus(t, resp, http.StatusFound)
	_, body = cust.get("/profile")
	if p := doc(t, body).Find("p#erasure").Text(); !strings.Contains(p, "You asked on") {
		t.Errorf("the profile does not say the erasure is asked for: %q", p)
	}
	var reqID int64
	if err := a.db.QueryRowContext(context.Background(), "SELECT id FROM erasure_requests WHERE user_id = ?", custID).Scan(&reqID); err != nil {
		t.Fatal(err)
	}
	confirm := fmt.Sprintf("/admin/erasures/%d/confirm", reqID)
	for _, role := range []users.Role{customer, am, warehouse, finance} {
		resp, _ := a.as(role).post(confirm, url.Values{"staff_confirm": {"1"}})
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s confirms: %d, want 403", role, resp.StatusCode)
		}
	}
	resp, _ = cust.post(fmt.Sprintf("/admin/users/%d/erasure", a.userID(t, sales)), nil)
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("the customer puts in the erasure of sales: %d, want 403", resp.StatusCode)
	}
	desk := a.as(sales)
	_, body = desk.get("/admin/erasures")
	row := doc(t, body).Find("main table tbody tr")
	if row.Length() != 1 || !strings.Contains(row.Text(), "Joris Jansen") || row.Find(`input[name="staff_confirm"]`).Length() != 1 {
		t.Fatalf("the erasures page: %q", row.Text())
	}
	resp, body = desk.post(confirm, nil)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(doc(t, body).Find("main").Text(), "last user of their company") {
		t.Fatalf("erasing the last user who confirms orders: %d", resp.StatusCode)
	}
	resp, _ = desk.post(confirm, url.Values{"staff_confirm": {"1"}})
	wantStatus(t, resp, http.StatusFound)
	_, body = desk.get("/admin/erasures")
	if !strings.Contains(doc(t, body).Find("main").Text(), "No erasure awaits confirmation.") {
		t.Error("the request is still listed")
	}
	resp, _ = cust.get("/profile")
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Errorf("the erased customer's session goes on: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	var name string
	if err := a.db.QueryRowContext(context.Background(), "SELECT name FROM users WHERE id = ?", custID).Scan(&name); err != nil || name != fmt.Sprintf("erased user #%d", custID) {
		t.Errorf("the user is called %q (%v)", name, err)
	}
}

// TestAnAdminErasesAStaffMemberWhoLeft: the button on the user's page
// puts the erasure in, and another admin or sales confirms it.
func TestAnAdminErasesAStaffMemberWhoLeft(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	admin, whID := a.as(users.RoleAdmin), a.userID(t, warehouse)
	_, body := admin.get(fmt.Sprintf("/admin/users/%d", whID))
	if doc(t, body).Find(fmt.Sprintf(`form[action="/admin/users/%d/erasure"]`, whID)).Length() != 1 {
		t.Fatal("the user's page has no erasure button")
	}
	resp, _ := admin.post(fmt.Sprintf("/admin/users/%d/erasure", whID), nil)
	wantStatus(t, resp, http.StatusFound)
	resp, _ = admin.post(fmt.Sprintf("/admin/users/%d/erasure", whID), nil)
	wantStatus(t, resp, http.StatusConflict)
	_, body = a.as(sales).get("/admin/erasures")
	form := doc(t, body).Find("main form")
	if !strings.Contains(doc(t, body).Find("main table").Text(), "Wim Warehouse") || form.Find(`input[name="staff_confirm"]`).Length() != 0 {
		t.Fatal("the staff member's erasure is not listed, or asks for staff to confirm orders")
	}
	action, _ := form.Attr("action")
	resp, _ = admin.post(action, nil) // the admin who asked for it does not confirm it
	wantStatus(t, resp, http.StatusForbidden)
	resp, _ = a.as(sales).post(action, nil)
	wantStatus(t, resp, http.StatusFound)
	resp, _ = a.client().post("/login", url.Values{"email": {loginOf(warehouse).Email}, "password": {loginOf(warehouse).Password}})
	if resp.StatusCode == http.StatusFound && resp.Header.Get("Location") == "/" {
		t.Error("the erased warehouse user can still log in")
	}
	var n int
	if err := a.db.QueryRowContext(context.Background(), "SELECT count(*) FROM users WHERE id = ? AND erased_at IS NOT NULL AND email LIKE 'erased-%'", whID).Scan(&n); err != nil || n != 1 {
		t.Errorf("the warehouse user is not erased (%v)", err)
	}
	// An erased user's page offers neither activation nor a second erasure,
	// and activating anyway is refused.
	_, body = admin.get(fmt.Sprintf("/admin/users/%d", whID))
	if d := doc(t, body); d.Find(fmt.Sprintf(`form[action="/admin/users/%d/activate"]`, whID)).Length() != 0 ||
		d.Find(fmt.Sprintf(`form[action="/admin/users/%d/erasure"]`, whID)).Length() != 0 || !strings.Contains(d.Find("dl").Text(), "deactivated") {
		t.Error("the erased user's page offers to activate or erase it again")
	}
	admin.post(fmt.Sprintf("/admin/users/%d/activate", whID), nil)
	if err := a.db.QueryRowContext(context.Background(), "SELECT count(*) FROM users WHERE id = ? AND active", whID).Scan(&n); err != nil || n != 0 {
		t.Errorf("the erased user is active after an activation was tried (%v)", err)
	}
}
