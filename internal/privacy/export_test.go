package privacy_test

import (
	"encoding/json"
	"strings"
	"testing"

	"wholesale/internal/users"
)

// TestTheExportHoldsEverythingAboutThePerson: the customer's export holds
// their account, logins, failed logins and sessions, their API tokens
// (names and dates, never the secret or its hash), the audit entries they
// made, the mails sent to them, and the complaints and returns they filed;
// and nothing of another person.
func TestTheExportHoldsEverythingAboutThePerson(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	joris, sales := f.user(users.RoleCustomer), f.user(users.RoleSales)
	plain, _, err := f.us.CreateToken(f.as(joris), joris.ID, "ERP link")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.us.Login(f.ctx, joris.Email, "a wrong password"); err == nil {
		t.Fatal("a wrong password logged in")
	}
	if _, err := f.us.Login(f.ctx, joris.Email, "demo-customer-2026"); err != nil {
		t.Fatal(err)
	}
	if err := f.us.RequestReset(f.ctx, joris.Email); err != nil {
		t.Fatal(err)
	}
	f.addSession(t, "s-joris", map[string]any{"uid": joris.ID}, f.clk.Now().Add(3600e9))
	f.addSession(t, "s-sales", map[string]any{"uid": sales.ID}, f.clk.Now().Add(3600e9))

	x, err := f.svc.Export(f.ctx, joris.ID)
	if err != nil {
		t.Fatal(err)
	}
	if x.Account.ID != joris.ID || x.Account.Email != joris.Email || x.Account.Name != joris.Name || x.Account.CompanyName != "Bakkerij Jansen B.V." {
		t.Errorf("account: %+v", x.Account)
	}
	if len(x.Sessions) != 1 {
		t.Errorf("sessions: %d, want his one", len(x.Sessions))
	}
	var logins, failed int
	for _, e := range x.Logins {
		switch {
		case e.Entity == "user" && e.Action == "login":
			logins++
		case e.Entity == "login":
			failed++
		}
	}
	if logins != 1 || failed != 1 {
		t.Errorf("logins: %d, failed: %d, want 1 and 1 (%+v)", logins, failed, x.Logins)
	}
	if len(x.Tokens) != 1 || x.Tokens[0].Name != "ERP link" {
		t.Errorf("tokens: %+v", x.Tokens)
	}
	for what, pair := range map[string][2]int{
		"audit entries": {len(x.AuditEntries), f.count(t, "SELECT count(*) FROM audit_log WHERE actor_id = ?", joris.ID)},
		"mails":         {len(x.Mails), f.count(t, "SELECT count(*) FROM outbox WHERE to_address = ?", joris.Email)},
		"complaints":    {len(x.Complaints), f.count(t, "SELECT count(*) FROM complaints WHERE created_by = ? OR contact_email = ?", joris.ID, joris.Email)},
		"returns":       {len(x.Returns), f.count(t, "SELECT count(*) FROM returns WHERE created_by = ?", joris.ID)},
	} {
		if pair[0] != pair[1] || pair[1] == 0 {
			t.Errorf("%s: %d in the export, %d in the database (the demo data should have some)", what, pair[0], pair[1])
		}
	}
	var reset bool
	for _, m := range x.Mails {
		reset = reset || strings.Contains(m.Body, "code")
	}
	if !reset {
		t.Error("the mail with his reset code is not in the export with its text")
	}
	for _, e := range x.AuditEntries {
		if e.ActorID == nil || *e.ActorID != joris.ID {
			t.Errorf("an entry by another: %+v", e)
		}
	}
	b, err := json.Marshal(x)
	if err != nil {
		t.Fatal(err)
	}
	var hash string
	if err := f.db.QueryRowContext(f.ctx, "SELECT token_hash FROM api_tokens WHERE user_id = ?", joris.ID).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{plain, hash, "s-joris", "password_hash", sales.Email} {
		if strings.Contains(string(b), secret) {
			t.Errorf("the export holds %q", secret)
		}
	}
}
