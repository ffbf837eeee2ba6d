package users_test

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/clock"
	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/mail"
	"wholesale/internal/pgtest"
	"wholesale/internal/users"
)

var start = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

func newService(t *testing.T) (*users.Service, *clock.Fixed) {
	t.Helper()
	db := pgtest.New(t)
	clk := clock.NewFixed(start)
	return users.NewService(db, clk, users.FastHasher), clk
}

func mustCreate(t *testing.T, s *users.Service, email string, role users.Role) *users.User {
	t.Helper()
	in := users.NewUser{Email: email, Name: "Test " + string(role), Role: role, Password: "correct horse battery"}
	if role == users.RoleCustomer {
		var c *customers.Company
		err := s.DB.RunInTx(context.Background(), nil, func(ctx context.Context, tx bun.Tx) error {
			var err error
			c, err = customers.Create(ctx, tx, start, "Klant "+email)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		in.CompanyID = c.ID
	}
	u, err := s.Create(context.Background(), in)
	if err != nil {
		t.Fatalf("create %s: %v", email, err)
	}
	return u
}

func kindIs(t *testing.T, err error, want apperr.Kind) {
	t.Helper()
	if got := apperr.KindOf(err); got != want || err == nil {
		t.Fatalf("error kind = %v (%v), want %v", got, err, want)
	}
}

func TestLogin(t *testing.T) {
	t.Parallel()
	s, _ := newService(t)
	ctx := context.Background()
	mustCreate(t, s, "am@example.nl", users.RoleAccountManager)

	u, err := s.Login(ctx, "  AM@Example.NL ", "correct horse battery")
	if err != nil || u.Email != "am@example.nl" {
		t.Fatalf("login = %v, %v", u, err)
	}
	_, err = s.Login(ctx, "am@example.nl", "wrong")
	kindIs(t, err, apperr.Unauthenticated)
	_, err = s.Login(ctx, "", "")
	kindIs(t, err, apperr.Invalid)
	if ae, _ := apperr.As(err); ae.Fields["email"].IsZero() || ae.Fields["password"].IsZero() {
		t.Fatalf("want messages at both fields, got %v", ae.Fields)
	}
}

func TestLockoutAfterFiveFailures(t *testing.T) {
	t.Parallel()
	s, clk := newService(t)
	ctx := context.Background()
	mustCreate(t, s, "wh@example.nl", users.RoleWarehouse)

	for i := 1; i <= 4; i++ {
		_, err := s.Login(ctx, "wh@example.nl", "wrong")
		if err == nil || strings.Contains(err.Error(), "locked for 15 minutes, until") {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	_, err := s.Login(ctx, "wh@example.nl", "wrong")
	if err == nil || !strings.Contains(err.Error(), "locked for 15 minutes, until 10:15") {
		t.Fatalf("fifth failure should lock until 10:15 Amsterdam: %v", err)
	}
	// The right password does not help while locked.
	_, err = s.Login(ctx, "wh@example.nl", "correct horse battery")
	if err == nil || !strings.Contains(err.Error(), "locked") {
		t.Fatalf("locked account let in: %v", err)
	}
	clk.Advance(14 * time.Minute)
	if _, err := s.Login(ctx, "wh@example.nl", "correct horse battery"); err == nil {
		t.Fatal("lock ended after 14 minutes")
	}
	clk.Advance(time.Minute + time.Second)
	if _, err := s.Login(ctx, "wh@example.nl", "correct horse battery"); err != nil {
		t.Fatalf("after 15 minutes: %v", err)
	}
}

func TestLockoutDoesNotRevealUnknownAddresses(t *testing.T) {
	t.Parallel()
	s, _ := newService(t)
	ctx := context.Background()
	mustCreate(t, s, "known@example.nl", users.RoleSales)
	var known, unknown []string
	for i := 0; i < 6; i++ {
		_, err1 := s.Login(ctx, "known@example.nl", "wrong")
		_, err2 := s.Login(ctx, "nobody@example.nl", "wrong")
		known = append(known, apperr.KindOf(err1).String()+err1.Error())
		unknown = append(unknown, apperr.KindOf(err2).String()+err2.Error())
	}
	for i := range known {
		if known[i] != unknown[i] {
			t.Fatalf("attempt %d differs:\n known:   %s\n unknown: %s", i+1, known[i], unknown[i])
		}
	}
}

func TestDeactivatedUserCannotLogIn(t *testing.T) {
	t.Parallel()
	s, _ := newService(t)
	ctx := context.Background()
	u := mustCreate(t, s, "gone@example.nl", users.RoleSales)
	if err := s.SetActive(ctx, u.ID, false); err != nil {
		t.Fatal(err)
	}
	_, err := s.Login(ctx, "gone@example.nl", "correct horse battery")
	kindIs(t, err, apperr.Unauthenticated)
}

// TestDeactivationRevokesTokens: reactivating a user used to bring its API
// tokens back to life.
func TestDeactivationRevokesTokens(t *testing.T) {
	t.Parallel()
	s, clk := newService(t)
	ctx := context.Background()
	u := mustCreate(t, s, "erp@example.nl", users.RoleAccountManager)
	other := mustCreate(t, s, "stays@example.nl", users.RoleAccountManager)
	plain, tok, err := s.CreateToken(ctx, u.ID, "ERP")
	if err != nil {
		t.Fatal(err)
	}
	_, old, err := s.CreateToken(ctx, u.ID, "old")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeToken(ctx, u.ID, old.ID); err != nil {
		t.Fatal(err)
	}
	otherPlain, _, err := s.CreateToken(ctx, other.ID, "other")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.Authenticate(ctx, plain); err != nil || got.ID != u.ID {
		t.Fatalf("before: %v %v", got, err)
	}
	clk.Advance(time.Hour)
	if err := s.SetActive(ctx, u.ID, false); err != nil {
		t.Fatal(err)
	}
	_, err = s.Authenticate(ctx, plain)
	kindIs(t, err, apperr.Unauthenticated)
	if err := s.SetActive(ctx, u.ID, true); err != nil {
		t.Fatal(err)
	}
	_, err = s.Authenticate(ctx, plain)
	kindIs(t, err, apperr.Unauthenticated)
	if got, err := s.Authenticate(ctx, otherPlain); err != nil || got.ID != other.ID {
		t.Fatalf("another user's token: %v %v", got, err)
	}
	list, err := s.Tokens(ctx, u.ID)
	if err != nil || len(list) != 2 {
		t.Fatalf("tokens: %v %+v", err, list)
	}
	for _, tk := range list {
		if tk.RevokedAt == nil {
			t.Errorf("token %s not revoked", tk.Name)
		}
	}
	if list[1].ID != tok.ID || !list[1].RevokedAt.Equal(start.Add(time.Hour)) {
		t.Errorf("token %s revoked at %v, want the deactivation %v", list[1].Name, list[1].RevokedAt, start.Add(time.Hour))
	}
	// One entry for the token the deactivation revoked, none again for the one revoked before.
	entries, err := audit.List(ctx, s.DB, audit.Filter{Entity: "api_token"})
	if err != nil {
		t.Fatal(err)
	}
	revokes := map[string]string{}
	for _, e := range entries {
		if e.Action == "revoke" {
			revokes[e.EntityID] += string(e.After) + ";"
		}
	}
	if len(revokes) != 2 || !strings.Contains(revokes[strconv.FormatInt(tok.ID, 10)], "user deactivated") ||
		strings.Contains(revokes[strconv.FormatInt(old.ID, 10)], "deactivated") {
		t.Fatalf("revoke entries: %v", revokes)
	}
}

func TestUnlockByAdmin(t *testing.T) {
	t.Parallel()
	s, _ := newService(t)
	ctx := context.Background()
	u := mustCreate(t, s, "locked@example.nl", users.RoleSales)
	for i := 0; i < 5; i++ {
		s.Login(ctx, u.Email, "wrong")
	}
	if _, err := s.Login(ctx, u.Email, "correct horse battery"); err == nil {
		t.Fatal("not locked")
	}
	if err := s.Unlock(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Login(ctx, u.Email, "correct horse battery"); err != nil {
		t.Fatalf("after unlock: %v", err)
	}
}

var codeRE = regexp.MustCompile(`\b(\d{6})\b`)

// lastCode reads the reset code from the newest mail to addr in the outbox.
func lastCode(t *testing.T, db bun.IDB, addr string) string {
	t.Helper()
	msgs, err := mail.List(context.Background(), db, 50)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if m.To == addr {
			if !strings.HasSuffix(m.Body, mail.Footer(i18n.NL)) && !strings.HasSuffix(m.Body, mail.Footer(i18n.EN)) {
				t.Errorf("mail lacks the safety line: %q", m.Body)
			}
			if c := codeRE.FindStringSubmatch(m.Body); c != nil {
				return c[1]
			}
		}
	}
	t.Fatalf("no code mailed to %s", addr)
	return ""
}

func reset(s *users.Service, email, code string) error {
	return s.ResetPassword(context.Background(), users.ResetInput{Email: email, Code: code, Password: "a brand new secret"})
}

func wrongCode(code string) string {
	if code == "000000" {
		return "000001"
	}
	return "000000"
}

func fieldMsg(err error, field string) string {
	ae, _ := apperr.As(err)
	if ae == nil {
		return ""
	}
	return ae.Fields[field].String()
}

func TestResetCode(t *testing.T) {
	t.Parallel()
	t.Run("works once and lifts a lockout", func(t *testing.T) {
		t.Parallel()
		s, _ := newService(t)
		ctx := context.Background()
		u := mustCreate(t, s, "r1@example.nl", users.RoleSales)
		for i := 0; i < 5; i++ {
			s.Login(ctx, u.Email, "wrong")
		}
		if err := s.RequestReset(ctx, u.Email); err != nil {
			t.Fatal(err)
		}
		code := lastCode(t, s.DB, u.Email)
		if err := reset(s, u.Email, code); err != nil {
			t.Fatalf("reset: %v", err)
		}
		if _, err := s.Login(ctx, u.Email, "a brand new secret"); err != nil {
			t.Fatalf("login with the new password: %v", err)
		}
		err := reset(s, u.Email, code)
		kindIs(t, err, apperr.Invalid)
		if !strings.Contains(fieldMsg(err, "code"), "not valid") {
			t.Fatalf("reuse: %v", err)
		}
	})
	t.Run("expires after 15 minutes", func(t *testing.T) {
		t.Parallel()
		s, clk := newService(t)
		u := mustCreate(t, s, "r2@example.nl", users.RoleSales)
		s.RequestReset(context.Background(), u.Email)
		code := lastCode(t, s.DB, u.Email)
		clk.Advance(15 * time.Minute)
		err := reset(s, u.Email, code)
		if !strings.Contains(fieldMsg(err, "code"), "expired") {
			t.Fatalf("expired code: %v", err)
		}
	})
	t.Run("valid just before 15 minutes", func(t *testing.T) {
		t.Parallel()
		s, clk := newService(t)
		u := mustCreate(t, s, "r3@example.nl", users.RoleSales)
		s.RequestReset(context.Background(), u.Email)
		code := lastCode(t, s.DB, u.Email)
		clk.Advance(15*time.Minute - time.Second)
		if err := reset(s, u.Email, code); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("wrong code counts, fifth try kills it", func(t *testing.T) {
		t.Parallel()
		s, _ := newService(t)
		u := mustCreate(t, s, "r4@example.nl", users.RoleSales)
		s.RequestReset(context.Background(), u.Email)
		code := lastCode(t, s.DB, u.Email)
		for i := 1; i <= 4; i++ {
			err := reset(s, u.Email, wrongCode(code))
			want := []string{"", "4 more", "3 more", "2 more", "1 more"}[i]
			if !strings.Contains(fieldMsg(err, "code"), want) {
				t.Fatalf("try %d: %v", i, err)
			}
		}
		err := reset(s, u.Email, wrongCode(code))
		if !strings.Contains(fieldMsg(err, "code"), "no longer works") {
			t.Fatalf("fifth wrong try: %v", err)
		}
		if err := reset(s, u.Email, code); err == nil {
			t.Fatal("the right code still worked after 5 wrong tries")
		}
	})
	t.Run("a new code replaces the old one", func(t *testing.T) {
		t.Parallel()
		s, _ := newService(t)
		u := mustCreate(t, s, "r5@example.nl", users.RoleSales)
		s.RequestReset(context.Background(), u.Email)
		old := lastCode(t, s.DB, u.Email)
		s.RequestReset(context.Background(), u.Email)
		fresh := lastCode(t, s.DB, u.Email)
		if old != fresh {
			if err := reset(s, u.Email, old); err == nil {
				t.Fatal("the replaced code still worked")
			}
		}
		if err := reset(s, u.Email, fresh); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("unknown address: no mail, no error", func(t *testing.T) {
		t.Parallel()
		s, _ := newService(t)
		if err := s.RequestReset(context.Background(), "nobody@example.nl"); err != nil {
			t.Fatal(err)
		}
		msgs, _ := mail.List(context.Background(), s.DB, 10)
		if len(msgs) != 0 {
			t.Fatalf("mailed %d messages for an unknown address", len(msgs))
		}
		err := reset(s, "nobody@example.nl", "123456")
		kindIs(t, err, apperr.Invalid)
	})
	t.Run("bad input gets field messages", func(t *testing.T) {
		t.Parallel()
		s, _ := newService(t)
		err := s.ResetPassword(context.Background(), users.ResetInput{Email: "a@b.nl", Code: "12a", Password: "short"})
		if fieldMsg(err, "code") == "" || fieldMsg(err, "password") == "" {
			t.Fatalf("want code and password messages: %v", err)
		}
	})
}

func TestCreateValidation(t *testing.T) {
	t.Parallel()
	s, _ := newService(t)
	ctx := context.Background()
	cases := []struct {
		name  string
		in    users.NewUser
		field string
	}{
		{"bad email", users.NewUser{Email: "not-an-address", Name: "X", Role: users.RoleSales, Password: "long enough pw"}, "email"},
		{"no name", users.NewUser{Email: "a@b.nl", Name: " ", Role: users.RoleSales, Password: "long enough pw"}, "name"},
		{"bad role", users.NewUser{Email: "a@b.nl", Name: "X", Role: "boss", Password: "long enough pw"}, "role"},
		{"customer without company", users.NewUser{Email: "a@b.nl", Name: "X", Role: users.RoleCustomer, Password: "long enough pw"}, "company_id"},
		{"staff with company", users.NewUser{Email: "a@b.nl", Name: "X", Role: users.RoleSales, CompanyID: 1, Password: "long enough pw"}, "company_id"},
		{"short password", users.NewUser{Email: "a@b.nl", Name: "X", Role: users.RoleSales, Password: "short"}, "password"},
	}
	for _, tc := range cases {
		_, err := s.Create(ctx, tc.in)
		if fieldMsg(err, tc.field) == "" {
			t.Errorf("%s: want a message at %s, got %v", tc.name, tc.field, err)
		}
	}
	mustCreate(t, s, "dup@example.nl", users.RoleSales)
	_, err := s.Create(ctx, users.NewUser{Email: "DUP@example.nl", Name: "X", Role: users.RoleSales, Password: "long enough pw"})
	if !strings.Contains(fieldMsg(err, "email"), "exists") {
		t.Fatalf("duplicate: %v", err)
	}
}

func TestAuditInSameTransaction(t *testing.T) {
	t.Parallel()
	s, _ := newService(t)
	ctx := context.Background()
	u := mustCreate(t, s, "audited@example.nl", users.RoleSales)
	entries, err := audit.List(ctx, s.DB, audit.Filter{Entity: "user", EntityID: "1"})
	if err != nil || len(entries) != 1 || entries[0].Action != "create" || entries[0].EntityID != "1" || u.ID != 1 {
		t.Fatalf("create entry: %v %+v", err, entries)
	}
	if strings.Contains(string(entries[0].After), "argon2") {
		t.Fatal("the password hash is in the audit trail")
	}
	// A change that fails after the user row is written leaves neither the row nor an entry.
	_, err = s.Create(ctx, users.NewUser{Email: "audited@example.nl", Name: "Again", Role: users.RoleSales, Password: "long enough pw"})
	if err == nil {
		t.Fatal("duplicate accepted")
	}
	if n, _ := s.DB.NewSelect().Table("audit_log").Where("entity = 'user' AND action = 'create'").Count(ctx); n != 1 {
		t.Fatalf("%d create entries after a failed create", n)
	}
	// Rolled back on purpose: the entry goes with it.
	errBoom := apperr.Conflictf("boom")
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := audit.Record(ctx, tx, start, audit.Change{Entity: "test", EntityID: 1, Action: "rolled_back"}); err != nil {
			return err
		}
		return errBoom
	})
	if err != errBoom {
		t.Fatal(err)
	}
	if n, _ := s.DB.NewSelect().Table("audit_log").Where("entity = 'test'").Count(ctx); n != 0 {
		t.Fatal("an entry of a rolled-back transaction survived")
	}
	// The trail is append-only.
	if _, err := s.DB.ExecContext(ctx, "UPDATE audit_log SET action = 'x'"); err == nil {
		t.Fatal("audit_log accepted an UPDATE")
	}
	if _, err := s.DB.ExecContext(ctx, "DELETE FROM audit_log"); err == nil {
		t.Fatal("audit_log accepted a DELETE")
	}
}

func TestTokens(t *testing.T) {
	t.Parallel()
	s, _ := newService(t)
	ctx := context.Background()
	u := mustCreate(t, s, "api@example.nl", users.RoleAdmin)
	plain, tok, err := s.CreateToken(ctx, u.ID, "ERP")
	if err != nil {
		t.Fatal(err)
	}
	var stored string
	s.DB.NewSelect().Table("api_tokens").Column("token_hash").Where("id = ?", tok.ID).Scan(ctx, &stored)
	if stored == "" || strings.Contains(stored, plain[4:]) {
		t.Fatalf("token stored in plain text or not at all: %q", stored)
	}
	got, err := s.Authenticate(ctx, plain)
	if err != nil || got.ID != u.ID {
		t.Fatalf("authenticate: %v %v", got, err)
	}
	_, err = s.Authenticate(ctx, plain+"x")
	kindIs(t, err, apperr.Unauthenticated)
	if err := s.RevokeToken(ctx, u.ID, tok.ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.Authenticate(ctx, plain)
	kindIs(t, err, apperr.Unauthenticated)
	other := mustCreate(t, s, "other@example.nl", users.RoleSales)
	kindIs(t, s.RevokeToken(ctx, other.ID, tok.ID), apperr.NotFound)
}

func TestPasswordHash(t *testing.T) {
	t.Parallel()
	h := users.FastHasher
	hash, err := h.Hash("geheim wachtwoord")
	if err != nil {
		t.Fatal(err)
	}
	if !h.Verify(hash, "geheim wachtwoord") || h.Verify(hash, "geheim wachtwoorD") {
		t.Fatal("verify")
	}
	// A hash made with other parameters still verifies.
	if !users.DefaultHasher.Verify(hash, "geheim wachtwoord") {
		t.Fatal("parameters are not read from the hash")
	}
	for _, bad := range []string{"", "$argon2id$", "$argon2id$v=19$m=1,t=1,p=0$AA$AA", "plain"} {
		if h.Verify(bad, "") {
			t.Fatalf("malformed hash %q verified", bad)
		}
	}
}

// An invitation mail is in the new user's language: a customer user takes
// the language of their company. The intro the caller passes comes after
// the greeting; the link and the login follow in the same language.
func TestInvitationInTheCompanysLanguage(t *testing.T) {
	t.Parallel()
	s, _ := newService(t)
	ctx := context.Background()
	for _, tc := range []struct {
		lang, email, intro string
		want               []string
	}{
		{"nl", "inkoop@bakker.nl", "Welkom als klant.", []string{"Uw account voor wholesale", "Beste Piet,\n\nWelkom als klant.\n\n",
			"Stel uw wachtwoord in met deze link. Die werkt één keer, tot 1 december 2026 om 10:00 uur:\n\n    https://w.test/invite/",
			"U logt in met uw e-mailadres: inkoop@bakker.nl"}},
		{"en", "buyer@baker.de", "Welcome as a customer.", []string{"Your login for wholesale", "Hello Piet,\n\nWelcome as a customer.\n\n",
			"Set your password with this link; it works once, until 1 December 2026 10:00:\n\n    https://w.test/invite/",
			"Your login is your e-mail address: buyer@baker.de"}},
	} {
		var u *users.User
		err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			c, err := customers.Create(ctx, tx, start, "Bakker "+tc.lang)
			if err != nil {
				return err
			}
			if _, err := tx.NewRaw("UPDATE companies SET language = ? WHERE id = ?", tc.lang, c.ID).Exec(ctx); err != nil {
				return err
			}
			u, err = s.Invite(ctx, tx, users.NewUser{Email: tc.email, Name: "Piet", Role: users.RoleCustomer, CompanyID: c.ID}, "https://w.test", tc.intro)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if u.Language != tc.lang {
			t.Errorf("%s: the user reads %q", tc.lang, u.Language)
		}
		var stored string
		s.DB.NewRaw("SELECT language FROM users WHERE id = ?", u.ID).Scan(ctx, &stored)
		if stored != tc.lang {
			t.Errorf("%s: users.language = %q", tc.lang, stored)
		}
		msgs, _ := mail.List(ctx, s.DB, 10)
		var got string
		for _, m := range msgs {
			if m.To == tc.email {
				got = m.Subject + "\n" + m.Body
			}
		}
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: the invitation lacks %q:\n%s", tc.lang, w, got)
			}
		}
	}
}

// SetLanguage stores nl or en with an audit entry in its transaction and
// refuses anything else at the field, writing nothing.
func TestSetLanguage(t *testing.T) {
	t.Parallel()
	s, _ := newService(t)
	ctx := context.Background()
	u := mustCreate(t, s, "taal@example.nl", users.RoleSales)
	if u.Language != "nl" {
		t.Fatalf("a new staff user reads %q, want nl", u.Language)
	}
	for _, bad := range []string{"", "fr", "NL", "en-GB", "nl\x00"} {
		_, err := s.SetLanguage(ctx, u.ID, bad)
		kindIs(t, err, apperr.Invalid)
		if fieldMsg(err, "language") != "Choose Nederlands or English." {
			t.Errorf("%q: %v", bad, err)
		}
	}
	got, err := s.SetLanguage(ctx, u.ID, "en")
	if err != nil || got.Language != "en" {
		t.Fatalf("SetLanguage: %v, %v", got, err)
	}
	if _, err := s.SetLanguage(ctx, u.ID, "en"); err != nil { // no change: no second entry
		t.Fatal(err)
	}
	var entries []string
	s.DB.NewRaw("SELECT before::text || ' ' || after::text FROM audit_log WHERE entity = 'user' AND action = 'language'").Scan(ctx, &entries)
	if len(entries) != 1 || entries[0] != `{"language": "nl"} {"language": "en"}` {
		t.Fatalf("audit entries %q", entries)
	}
	if _, err := s.SetLanguage(ctx, 999999, "en"); apperr.KindOf(err) != apperr.NotFound {
		t.Fatalf("unknown user: %v", err)
	}
}

// A wrong reset code says how many tries are left, in the singular for the
// last one.
func TestWrongCodeCountsDown(t *testing.T) {
	t.Parallel()
	s, _ := newService(t)
	u := mustCreate(t, s, "telt@example.nl", users.RoleSales)
	s.RequestReset(context.Background(), u.Email)
	code := lastCode(t, s.DB, u.Email)
	var said []string
	for i := 0; i < 4; i++ {
		said = append(said, fieldMsg(reset(s, u.Email, wrongCode(code)), "code"))
	}
	want := "Wrong code: 4 more tries.|Wrong code: 3 more tries.|Wrong code: 2 more tries.|Wrong code: 1 more try."
	if strings.Join(said, "|") != want {
		t.Fatalf("said %q", said)
	}
}
