package privacy_test

import (
	"testing"
	"time"

	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/mail"
	"wholesale/internal/privacy"
	"wholesale/internal/users"
)

// retain runs the retention job at the fixture's clock.
func retain(t *testing.T, f *fixture) privacy.Purged {
	t.Helper()
	p, ran, err := f.svc.RetainOnce(f.ctx)
	if err != nil || !ran {
		t.Fatalf("retention: ran %v, %v", ran, err)
	}
	return p
}

// TestMailBodiesGoAfter90Days: a mail's body (and its attached bytes) is
// deleted 90 days after it was sent, a day before it is not; the record
// that it was sent stays, and a mail not sent keeps its body.
func TestMailBodiesGoAfter90Days(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	sentAt := f.clk.Now()
	if err := mail.Enqueue(f.ctx, f.db, sentAt, i18n.EN, "old@example.test", "Old news", "The body of the old mail"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.ExecContext(f.ctx, "UPDATE outbox SET sent_at = ? WHERE to_address = 'old@example.test'", sentAt); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.ExecContext(f.ctx, `INSERT INTO outbox_attachments (outbox_id, position, filename, content_type, content)
		SELECT id, 1, 'label.pdf', 'application/pdf', '\x25504446' FROM outbox WHERE to_address = 'old@example.test'`); err != nil {
		t.Fatal(err)
	}
	if err := mail.Enqueue(f.ctx, f.db, sentAt, i18n.EN, "pending@example.test", "Not sent", "Waiting to go"); err != nil {
		t.Fatal(err)
	}
	body := "SELECT count(*) FROM outbox WHERE to_address = ? AND body <> '' AND body_deleted_at IS NULL"
	f.clk.Set(sentAt.Add(90*privacy.Day - time.Minute))
	retain(t, f)
	if f.count(t, body, "old@example.test") != 1 || f.count(t, "SELECT count(*) FROM outbox_attachments WHERE filename = 'label.pdf'") != 1 {
		t.Fatal("the body went before 90 days")
	}
	f.clk.Set(sentAt.Add(90*privacy.Day + time.Minute))
	if p := retain(t, f); p.MailBodies < 1 || p.MailAttachments != 1 {
		t.Errorf("purged %+v", p)
	}
	if f.count(t, body, "old@example.test") != 0 {
		t.Error("the body is kept after 90 days")
	}
	if f.count(t, "SELECT count(*) FROM outbox WHERE to_address = 'old@example.test' AND subject = 'Old news' AND sent_at IS NOT NULL AND body_deleted_at IS NOT NULL") != 1 {
		t.Error("the record that the mail was sent went with its body")
	}
	if f.count(t, "SELECT count(*) FROM outbox_attachments WHERE filename = 'label.pdf'") != 0 {
		t.Error("the attached bytes are kept after 90 days")
	}
	if f.count(t, body, "pending@example.test") != 1 {
		t.Error("a mail not sent lost its body")
	}
	if f.count(t, "SELECT count(*) FROM audit_log WHERE entity = 'retention' AND action = 'purge' AND actor = 'system'") != 1 {
		t.Error("the purge is not in the audit trail")
	}
}

// TestRejectedApplicationDocumentsGoAfter8Weeks: the documents of a
// rejected application (and their files) are deleted 8 weeks after the
// rejection, not before; an approved customer's are kept.
func TestRejectedApplicationDocumentsGoAfter8Weeks(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	var appID int64
	if err := f.db.QueryRowContext(f.ctx, "SELECT id FROM applications WHERE status = 'new'").Scan(&appID); err != nil {
		t.Fatal(err)
	}
	docs := "SELECT count(*) FROM documents WHERE application_id = ?"
	if f.count(t, docs, appID) != len(customers.ApplicationDocKinds) {
		t.Fatalf("the demo application has %d documents", f.count(t, docs, appID))
	}
	others := f.count(t, "SELECT count(*) FROM documents WHERE application_id IS DISTINCT FROM ?", appID)
	rejected := f.clk.Now()
	if err := f.cs.Reject(f.as(f.user(users.RoleSales)), f.user(users.RoleSales), appID, "No VAT number"); err != nil {
		t.Fatal(err)
	}
	f.clk.Set(rejected.Add(56*privacy.Day - time.Minute))
	retain(t, f)
	if f.count(t, docs, appID) != len(customers.ApplicationDocKinds) {
		t.Fatal("the documents went before 8 weeks")
	}
	blobs := f.count(t, "SELECT count(*) FROM blobs")
	f.clk.Set(rejected.Add(56*privacy.Day + time.Minute))
	if p := retain(t, f); p.RejectedDocuments != int64(len(customers.ApplicationDocKinds)) || p.Blobs == 0 {
		t.Errorf("purged %+v", p)
	}
	if f.count(t, docs, appID) != 0 || f.count(t, "SELECT count(*) FROM applications WHERE id = ? AND documents_deleted_at IS NOT NULL", appID) != 1 {
		t.Error("the documents of the rejected application are kept after 8 weeks")
	}
	if f.count(t, "SELECT count(*) FROM blobs") >= blobs {
		t.Error("the files of the deleted documents are kept")
	}
	if got := f.count(t, "SELECT count(*) FROM documents WHERE application_id IS DISTINCT FROM ?", appID); got != others {
		t.Errorf("other documents: %d, want %d", got, others)
	}
}

// TestStashedUploadsGoAfter8Weeks: the kept files of a form never sent
// are deleted 8 weeks after, not before.
func TestStashedUploadsGoAfter8Weeks(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	stashed := f.clk.Now()
	if _, err := f.db.ExecContext(f.ctx, `INSERT INTO upload_stash (token, kind, filename, content_type, content, created_at)
		VALUES ('tok', 'kvk_extract', 'kvk.pdf', 'application/pdf', '\x25504446', ?)`, stashed); err != nil {
		t.Fatal(err)
	}
	f.clk.Set(stashed.Add(56*privacy.Day - time.Minute))
	retain(t, f)
	if f.count(t, "SELECT count(*) FROM upload_stash WHERE token = 'tok'") != 1 {
		t.Fatal("the stash went before 8 weeks")
	}
	f.clk.Set(stashed.Add(56*privacy.Day + time.Minute))
	if p := retain(t, f); p.Stashed != 1 {
		t.Errorf("purged %+v", p)
	}
	if f.count(t, "SELECT count(*) FROM upload_stash") != 0 {
		t.Error("the stash is kept after 8 weeks")
	}
}

// TestLoginRecordsGoAfter30Days: login failure records, expired sessions
// and expired reset codes are deleted 30 days after, not before; a
// session still valid stays.
func TestLoginRecordsGoAfter30Days(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	start := f.clk.Now()
	joris := f.user(users.RoleCustomer)
	if _, err := f.us.Login(f.ctx, "nobody@example.test", "wrong password here"); err == nil {
		t.Fatal("a login of nobody worked")
	}
	if err := f.us.RequestReset(f.ctx, joris.Email); err != nil {
		t.Fatal(err)
	}
	f.addSession(t, "expired", map[string]any{"uid": joris.ID}, start)
	f.addSession(t, "valid", map[string]any{"uid": joris.ID}, start.Add(365*privacy.Day))
	kept := func() [3]int {
		return [3]int{
			f.count(t, "SELECT count(*) FROM login_failures WHERE email = 'nobody@example.test'"),
			f.count(t, "SELECT count(*) FROM kv_store WHERE key = 'expired'"),
			f.count(t, "SELECT count(*) FROM password_resets WHERE user_id = ?", joris.ID),
		}
	}
	// The reset code expires 15 minutes after it was asked for.
	f.clk.Set(start.Add(30*privacy.Day - time.Minute))
	retain(t, f)
	if k := kept(); k != [3]int{1, 1, 1} {
		t.Fatalf("before 30 days kept %v, want all", k)
	}
	f.clk.Set(start.Add(30*privacy.Day + users.ResetCodeTTL + time.Minute))
	p := retain(t, f)
	if k := kept(); k != [3]int{0, 0, 0} {
		t.Errorf("after 30 days kept %v (purged %+v), want none", k, p)
	}
	if f.count(t, "SELECT count(*) FROM kv_store WHERE key = 'valid'") != 1 {
		t.Error("a valid session was purged")
	}
}

// TestPeriodsAreSettings: a shorter period set on the service is used.
func TestPeriodsAreSettings(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.svc.Periods = privacy.Periods{Stash: 2 * privacy.Day}
	stashed := f.clk.Now()
	if _, err := f.db.ExecContext(f.ctx, `INSERT INTO upload_stash (token, kind, filename, content_type, content, created_at)
		VALUES ('tok', 'kvk_extract', 'kvk.pdf', 'application/pdf', '\x25504446', ?)`, stashed); err != nil {
		t.Fatal(err)
	}
	f.clk.Set(stashed.Add(3 * privacy.Day))
	if p := retain(t, f); p.Stashed != 1 {
		t.Errorf("with a 2-day period, after 3 days purged %+v", p)
	}
}
