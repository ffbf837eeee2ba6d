package privacy

import (
	"context"
	"time"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/i18n"
	"wholesale/internal/postgres"
	"wholesale/internal/sessions"
	"wholesale/internal/users"
)

// Confirm erases the person of the open request id, confirmed by by
// (sales or an admin), in one transaction with an audit entry by by: their
// login, sessions, tokens and reset codes are removed; their name, e-mail
// and phone are replaced by "erased user #N" in every table (the audit
// trail's actor labels and before and after values included), except in
// issued invoices and credit notes, which stay as issued. staffConfirm
// says that staff will confirm the orders of the person's company when the
// person is its last user who can. Returns Forbidden unless by is sales or
// an admin, or when by is the person; NotFound; Conflict when the request
// is not open, or when the company would be left without a user who can
// confirm orders and staffConfirm is false.
func (s *Service) Confirm(ctx context.Context, by *users.User, id int64, staffConfirm bool) error {
	if !by.Is(users.RoleSales, users.RoleAdmin) {
		return apperr.Forbiddenf("Only sales or an admin can confirm an erasure.")
	}
	return postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		r := new(Request)
		if err := tx.NewSelect().Model(r).Where("id = ?", id).For("UPDATE").Scan(ctx); err != nil {
			return postgres.Translate(err, i18n.M("Erasure request"))
		}
		if r.Status != StatusRequested {
			return apperr.Conflictf("This request is %s.", StatusLabel(r.Status))
		}
		if r.UserID == by.ID {
			return apperr.Forbiddenf("Your own erasure is confirmed by someone else.")
		}
		if r.RequestedBy == by.ID {
			return apperr.Forbiddenf("An erasure you asked for is confirmed by sales or another admin.")
		}
		u := new(users.User)
		if err := tx.NewSelect().Model(u).Where("id = ?", r.UserID).For("UPDATE").Scan(ctx); err != nil {
			return translateUser(err)
		}
		if u.Role == users.RoleCustomer && !staffConfirm {
			var others int
			err := tx.NewRaw(`SELECT count(*) FROM users WHERE company_id = ? AND id <> ? AND role = 'customer' AND active AND password_hash <> '' AND erased_at IS NULL`,
				u.CompanyID, u.ID).Scan(ctx, &others)
			if err != nil {
				return err
			}
			if others == 0 {
				return apperr.Conflictf("%s is the last user of their company who can confirm orders. Tick that staff will confirm the company's orders, or wait until the company has another user.", u.Name)
			}
		}
		now := s.Clock.Now()
		changed, err := erase(ctx, tx, u, now)
		if err != nil {
			return err
		}
		r.Status, r.StaffConfirm, r.DecidedBy, r.DecidedAt = StatusConfirmed, staffConfirm, &by.ID, &now
		if _, err := tx.NewUpdate().Model(r).Column("status", "staff_confirm", "decided_by", "decided_at").WherePK().Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Change{Entity: "user", EntityID: u.ID, Action: "erased",
			After: map[string]any{"request_id": r.ID, "requested_by": r.RequestedBy, "staff_confirm": staffConfirm, "rows_changed": changed}})
	})
}

// erase removes and replaces the personal data of u with tx at now, and returns
// how many rows it changed per table.
func erase(ctx context.Context, tx *postgres.Tx, u *users.User, now time.Time) (map[string]int64, error) {
	email, name, label := users.NormalizeEmail(u.Email), u.Name, ErasedLabel(u.ID)
	var phones []string
	err := tx.NewRaw(`SELECT DISTINCT p FROM (
		    SELECT contact_phone AS p FROM companies WHERE lower(contact_email) = ?0 OR (id = ?2 AND contact_name = ?1)
		    UNION SELECT contact_phone FROM applications WHERE lower(contact_email) = ?0
		    UNION SELECT contact_phone FROM complaints WHERE lower(contact_email) = ?0 OR created_by = ?3) x
		WHERE p <> ''`, email, name, u.CompanyID, u.ID).Scan(ctx, &phones)
	if err != nil {
		return nil, err
	}
	// The audit trail takes the redaction of its personal values in this
	// transaction only (migrations/0022_privacy.tx.up.sql).
	if _, err := tx.ExecContext(ctx, "SELECT set_config('wholesale.audit_redaction', 'on', true)"); err != nil {
		return nil, err
	}
	changed := map[string]int64{}
	count := func(table, query string, args ...any) error {
		res, err := tx.ExecContext(ctx, query, args...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n > 0 {
			changed[table] += n
		}
		return nil
	}
	steps := []struct {
		table, query string
		args         []any
	}{
		{"api_tokens", "DELETE FROM api_tokens WHERE user_id = ?", []any{u.ID}},
		{"password_resets", "DELETE FROM password_resets WHERE user_id = ?", []any{u.ID}},
		{"invitations", "DELETE FROM invitations WHERE user_id = ?", []any{u.ID}},
		{"idempotency_keys", "DELETE FROM idempotency_keys WHERE user_id = ?", []any{u.ID}},
		{"login_failures", "DELETE FROM login_failures WHERE email = ?", []any{email}},
		// Mails to the person: their bodies and attached bytes go, the
		// record that a mail was sent stays; one not yet sent never is.
		{"outbox_attachments", `DELETE FROM outbox_attachments WHERE content IS NOT NULL
			AND outbox_id IN (SELECT id FROM outbox WHERE lower(to_address) = ?)`, []any{email}},
		{"outbox", `UPDATE outbox SET to_address = ?0, body = '', body_deleted_at = COALESCE(body_deleted_at, ?2),
			sent_at = COALESCE(sent_at, ?2), transport = COALESCE(transport, 'erased') WHERE lower(to_address) = ?1`, []any{ErasedEmail(u.ID), email, now}},
		// The company's contact fields that are the person's are emptied.
		{"companies", `UPDATE companies SET contact_name = '', contact_email = '', contact_phone = '', updated_at = ?3
			WHERE lower(contact_email) = ?0 OR (id = ?2 AND contact_name = ?1)`, []any{email, name, u.CompanyID, now}},
		{"companies", `UPDATE companies SET invoice_email = '', updated_at = ?1 WHERE lower(invoice_email) = ?0`, []any{email, now}},
		{"audit_log", "UPDATE audit_log SET actor = ? WHERE actor_id = ? AND actor <> ?", []any{label, u.ID, label}},
		{"users", `UPDATE users SET name = ?0, email = ?1, password_hash = '', active = false, erased_at = ?3, updated_at = ?3
			WHERE id = ?2`, []any{label, ErasedEmail(u.ID), u.ID, now}},
	}
	for _, st := range steps {
		if err := count(st.table, st.query, st.args...); err != nil {
			return nil, err
		}
	}
	n, err := sessions.DeleteOfUser(ctx, tx, u.ID, email)
	if err != nil {
		return nil, err
	}
	if n > 0 {
		changed["kv_store"] += int64(n)
	}
	rest, err := scrub(ctx, tx, append([]string{email, name}, phones...), label)
	for t, n := range rest {
		changed[t] += n
	}
	return changed, err
}
