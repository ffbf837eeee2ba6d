package privacy_test

import (
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"testing"

	"wholesale/internal/apperr"
	"wholesale/internal/invoicing"
	"wholesale/internal/pdf"
	"wholesale/internal/privacy"
	"wholesale/internal/ubl"
	"wholesale/internal/users"
	"wholesale/internal/xlsx"
)

// issuedDocuments returns, per issued invoice and credit note, a digest of
// its row, its lines, its stored PDF and Excel, and its UBL. The UBL is
// made (and stored) at its first download: a first reading makes them
// all, and the next two must be the same.
func issuedDocuments(t *testing.T, f *fixture) map[string]string {
	t.Helper()
	digests(t, f)
	first := digests(t, f)
	if second := digests(t, f); !maps.Equal(first, second) {
		t.Fatal("the digests of the issued documents differ from one reading to the next")
	}
	return first
}

func digests(t *testing.T, f *fixture) map[string]string {
	t.Helper()
	var rows []struct {
		Number string `bun:"number"`
		Row    string `bun:"row"`
	}
	err := f.db.NewRaw(`SELECT i.number, to_jsonb(i)::text
		    || COALESCE((SELECT jsonb_agg(to_jsonb(l) ORDER BY l.line_no)::text FROM invoice_lines l WHERE l.invoice_id = i.id), '')
		    || COALESCE((SELECT string_agg(d.format || d.copy::text || md5(d.content), ',' ORDER BY d.id) FROM invoice_documents d WHERE d.invoice_id = i.id), '') AS row
		FROM invoices i WHERE i.state = 'issued' ORDER BY i.number`).Scan(f.ctx, &rows)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 4 {
		t.Fatalf("the demo data has %d issued invoices and credit notes; the test needs them", len(rows))
	}
	inv := &invoicing.Service{DB: f.db, Clock: f.clk, Calendar: invoicing.LoadCalendar,
		Writers: invoicing.Writers{PDF: pdf.WriteInvoice, XLSX: xlsx.WriteInvoice, UBL: ubl.Write}}
	out := map[string]string{}
	for _, r := range rows {
		file, err := inv.UBLOf(f.ctx, r.Number)
		if err != nil {
			t.Fatalf("UBL of %s: %v", r.Number, err)
		}
		sum := sha256.Sum256(append([]byte(r.Row), file.Content...))
		out[r.Number] = hex.EncodeToString(sum[:])
	}
	return out
}

// TestErasingACustomerLeavesNoTraceButTheBooks erases the demo customer
// user, the last of their company: refused until staff say they will
// confirm the company's orders; then no text or JSON column of any table
// holds their name, e-mail or phone, except the issued invoices, which
// are byte-identical; their logins, sessions and tokens are gone; the
// audit trail still tells who did what, as "erased user #N".
func TestErasingACustomerLeavesNoTraceButTheBooks(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	joris, sales := f.user(users.RoleCustomer), f.user(users.RoleSales)
	const phone = "+31 30 123 4567"
	if hs := findEverywhere(t, f, joris.Email, joris.Name, phone); len(hs) < 5 {
		t.Fatalf("before erasure the person is in %d places; the demo data should hold more:%s", len(hs), hitsString(hs))
	}
	if _, _, err := f.us.CreateToken(f.as(joris), joris.ID, "ERP link"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.us.Login(f.ctx, joris.Email, "demo-customer-2026"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.us.Login(f.ctx, joris.Email, "a wrong password"); apperr.KindOf(err) != apperr.Unauthenticated {
		t.Fatalf("wrong password: %v", err)
	}
	if err := f.us.RequestReset(f.ctx, joris.Email); err != nil {
		t.Fatal(err)
	}
	f.addSession(t, "s-joris", map[string]any{"uid": joris.ID, "flash": "hello"}, f.clk.Now().Add(24*3600e9))
	f.addSession(t, "s-reset", map[string]any{"reset_email": joris.Email}, f.clk.Now().Add(3600e9))
	f.addSession(t, "s-sales", map[string]any{"uid": sales.ID}, f.clk.Now().Add(24*3600e9))
	madeByHim := f.count(t, "SELECT count(*) FROM audit_log WHERE actor_id = ?", joris.ID)
	ordersBefore := f.count(t, "SELECT count(*) FROM orders")
	books := issuedDocuments(t, f)

	req, err := f.svc.RequestOwn(f.as(joris), joris)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Confirm(f.as(sales), sales, req.ID, false); apperr.KindOf(err) != apperr.Conflict {
		t.Fatalf("erasing the company's last user who can confirm orders: %v, want Conflict", err)
	}
	if f.count(t, "SELECT count(*) FROM users WHERE id = ? AND email = ?", joris.ID, joris.Email) != 1 {
		t.Fatal("the refused erasure changed the user")
	}
	if err := f.svc.Confirm(f.as(sales), sales, req.ID, true); err != nil {
		t.Fatal(err)
	}

	if hs := findEverywhere(t, f, joris.Email, joris.Name, phone); len(hs) > 0 {
		t.Errorf("after erasure the person is still in:%s", hitsString(hs))
	}
	after := issuedDocuments(t, f)
	for n, sum := range books {
		if after[n] != sum {
			t.Errorf("issued document %s changed", n)
		}
	}
	for what, n := range map[string]int{
		"SELECT count(*) FROM api_tokens WHERE user_id = ?0":                                                       0,
		"SELECT count(*) FROM password_resets WHERE user_id = ?0":                                                  0,
		"SELECT count(*) FROM kv_store WHERE namespace = 'session' AND key IN ('s-joris', 's-reset')":              0,
		"SELECT count(*) FROM kv_store WHERE namespace = 'session' AND key = 's-sales'":                            1,
		"SELECT count(*) FROM users WHERE id = ?0 AND NOT active AND password_hash = '' AND erased_at IS NOT NULL": 1,
		"SELECT count(*) FROM users WHERE id = ?0 AND name = 'erased user #' || ?0":                                1,
		// The audit trail: every entry he made is there, by his id, under his new name.
		"SELECT count(*) FROM audit_log WHERE actor_id = ?0 AND actor = 'erased user #' || ?0":                                                                         madeByHim + 1, // + his request
		"SELECT count(*) FROM audit_log WHERE actor_id = ?0 AND action = 'login'":                                                                                      1,
		"SELECT count(*) FROM audit_log WHERE actor_id = ?1 AND entity = 'user' AND entity_id = ?0::text AND action = 'erased' AND (after->>'staff_confirm')::boolean": 1,
		"SELECT count(*) FROM audit_log WHERE entity = 'user' AND entity_id = ?0::text AND action = 'erasure_requested' AND actor_id = ?0":                             1,
		"SELECT count(*) FROM erasure_requests WHERE user_id = ?0 AND status = 'confirmed' AND decided_by = ?1 AND staff_confirm":                                      1,
		"SELECT count(*) FROM orders": ordersBefore,
		// Mails to him stay as records, without their bodies.
		"SELECT count(*) FROM outbox WHERE to_address = 'erased-' || ?0 || '@erased.invalid' AND body = '' AND body_deleted_at IS NOT NULL AND subject <> ''": f.count(t, "SELECT count(*) FROM outbox WHERE to_address LIKE 'erased-%'"),
	} {
		if got := f.count(t, what, joris.ID, sales.ID); got != n {
			t.Errorf("%s: %d, want %d", what, got, n)
		}
	}
	if f.count(t, "SELECT count(*) FROM outbox WHERE to_address LIKE 'erased-%'") < 2 {
		t.Error("the mails to him (at least his reset code and an order mail) should stay as records")
	}
	if _, err := f.us.Login(f.ctx, joris.Email, "demo-customer-2026"); err == nil {
		t.Error("the erased user can still log in")
	}
}

// TestErasingAStaffMemberWhoLeft: an admin puts in the erasure of the
// account manager, sales confirms it; the orders and customers the
// account manager handled stay, named by "erased user #N", and their name
// and address are nowhere but in issued invoices.
func TestErasingAStaffMemberWhoLeft(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	am, admin, sales := f.user(users.RoleAccountManager), f.user(users.RoleAdmin), f.user(users.RoleSales)
	if hs := findEverywhere(t, f, am.Email, am.Name); len(hs) < 5 {
		t.Fatalf("before erasure the account manager is in %d places:%s", len(hs), hitsString(hs))
	}
	created := f.count(t, "SELECT count(*) FROM orders WHERE created_by = ?", am.ID)
	managed := f.count(t, "SELECT count(*) FROM companies WHERE account_manager_id = ?", am.ID)
	if created == 0 || managed == 0 {
		t.Fatalf("the demo account manager made %d orders and manages %d customers", created, managed)
	}
	books := issuedDocuments(t, f)
	req, err := f.svc.RequestFor(f.as(admin), admin, am.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Confirm(f.as(sales), sales, req.ID, false); err != nil {
		t.Fatal(err)
	}
	if hs := findEverywhere(t, f, am.Email, am.Name); len(hs) > 0 {
		t.Errorf("after erasure the account manager is still in:%s", hitsString(hs))
	}
	if got := f.count(t, "SELECT count(*) FROM orders WHERE created_by = ?", am.ID); got != created {
		t.Errorf("orders made by the erased user: %d, want %d", got, created)
	}
	if got := f.count(t, "SELECT count(*) FROM companies WHERE account_manager_id = ?", am.ID); got != managed {
		t.Errorf("customers of the erased user: %d, want %d", got, managed)
	}
	after := issuedDocuments(t, f)
	for n, sum := range books {
		if after[n] != sum {
			t.Errorf("issued document %s changed", n)
		}
	}
	entries, err := f.count(t, "SELECT count(*) FROM audit_log WHERE actor_id = ? AND actor = ?", am.ID, privacy.ErasedLabel(am.ID)), error(nil)
	if err != nil || entries < 5 {
		t.Errorf("the audit trail keeps %d entries by the erased account manager", entries)
	}
}

// TestOnlyTheRightPeopleRequestAndConfirm: nobody puts in the erasure of
// another but an admin (of staff), nobody but sales or an admin confirms,
// and nobody confirms their own.
func TestOnlyTheRightPeopleRequestAndConfirm(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	joris, sales, admin, am := f.user(users.RoleCustomer), f.user(users.RoleSales), f.user(users.RoleAdmin), f.user(users.RoleAccountManager)
	for name, tc := range map[string]struct {
		err  error
		want apperr.Kind
	}{
		"staff asks for their own":          {second(f.svc.RequestOwn(f.as(am), am)), apperr.Forbidden},
		"a customer puts in another's":      {second(f.svc.RequestFor(f.as(joris), joris, am.ID)), apperr.Forbidden},
		"sales puts in a staff member's":    {second(f.svc.RequestFor(f.as(sales), sales, am.ID)), apperr.Forbidden},
		"an admin puts in a customer's":     {second(f.svc.RequestFor(f.as(admin), admin, joris.ID)), apperr.Invalid},
		"an admin puts in their own":        {second(f.svc.RequestFor(f.as(admin), admin, admin.ID)), apperr.Invalid},
		"an admin puts in a missing user's": {second(f.svc.RequestFor(f.as(admin), admin, 999999)), apperr.NotFound},
	} {
		if apperr.KindOf(tc.err) != tc.want {
			t.Errorf("%s: %v, want %v", name, tc.err, tc.want)
		}
	}
	req, err := f.svc.RequestFor(f.as(admin), admin, am.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.RequestFor(f.as(admin), admin, am.ID); apperr.KindOf(err) != apperr.Conflict {
		t.Errorf("a second request: %v, want Conflict", err)
	}
	for name, tc := range map[string]struct {
		by   *users.User
		want apperr.Kind
	}{
		"the customer":               {joris, apperr.Forbidden},
		"the person themself":        {am, apperr.Forbidden},
		"the admin who asked for it": {admin, apperr.Forbidden},
	} {
		if err := f.svc.Confirm(f.as(tc.by), tc.by, req.ID, false); apperr.KindOf(err) != tc.want {
			t.Errorf("%s confirms: %v, want %v", name, err, tc.want)
		}
	}
	if f.count(t, "SELECT count(*) FROM users WHERE id = ? AND erased_at IS NULL AND active", am.ID) != 1 {
		t.Fatal("a refused confirmation erased the user")
	}
	if err := f.svc.Confirm(f.as(sales), sales, req.ID, false); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Confirm(f.as(sales), sales, req.ID, false); apperr.KindOf(err) != apperr.Conflict {
		t.Errorf("confirming twice: %v, want Conflict", err)
	}
}

func second[T any](_ T, err error) error { return err }

// TestTheAuditTrailStaysAppendOnly: outside an erasure no entry changes,
// and in one only the personal values may: never when, by whom (id),
// what or which action, and no entry is deleted.
func TestTheAuditTrailStaysAppendOnly(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for name, stmts := range map[string][]string{
		"an update":                         {"UPDATE audit_log SET actor = 'x' WHERE id = (SELECT min(id) FROM audit_log WHERE actor_id IS NOT NULL)"},
		"a delete":                          {"DELETE FROM audit_log WHERE id = (SELECT min(id) FROM audit_log WHERE actor_id IS NOT NULL)"},
		"a delete in a redaction":           {"SELECT set_config('wholesale.audit_redaction', 'on', true)", "DELETE FROM audit_log WHERE id = (SELECT min(id) FROM audit_log WHERE actor_id IS NOT NULL)"},
		"a changed action in a redaction":   {"SELECT set_config('wholesale.audit_redaction', 'on', true)", "UPDATE audit_log SET action = 'x' WHERE id = (SELECT min(id) FROM audit_log WHERE actor_id IS NOT NULL)"},
		"a changed actor id in a redaction": {"SELECT set_config('wholesale.audit_redaction', 'on', true)", "UPDATE audit_log SET actor_id = NULL WHERE id = (SELECT min(id) FROM audit_log WHERE actor_id IS NOT NULL)"},
		"a changed time in a redaction":     {"SELECT set_config('wholesale.audit_redaction', 'on', true)", "UPDATE audit_log SET at = at + interval '1 day' WHERE id = (SELECT min(id) FROM audit_log WHERE actor_id IS NOT NULL)"},
		"a redaction set for the session, not the transaction": {"SELECT set_config('wholesale.audit_redaction', 'off', false)", "UPDATE audit_log SET actor = 'x' WHERE id = (SELECT min(id) FROM audit_log WHERE actor_id IS NOT NULL)"},
	} {
		tx, err := f.db.BeginTx(f.ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		var last error
		for _, s := range stmts {
			if _, last = tx.ExecContext(f.ctx, s); last != nil {
				break
			}
		}
		tx.Rollback()
		if last == nil {
			t.Errorf("%s of the audit trail went through", name)
		}
	}
	tx, err := f.db.BeginTx(f.ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(f.ctx, "SELECT set_config('wholesale.audit_redaction', 'on', true)"); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(f.ctx, "UPDATE audit_log SET actor = 'erased user #1', before = NULL, after = '{}' WHERE id = (SELECT min(id) FROM audit_log WHERE actor_id IS NOT NULL)"); err != nil {
		t.Errorf("a redaction of the personal values: %v", err)
	}
}
