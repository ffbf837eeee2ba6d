package users_test

import (
	"context"
	"strings"
	"testing"

	"wholesale/internal/apperr"
	"wholesale/internal/users"
)

func count(t *testing.T, s *users.Service, table string) int {
	t.Helper()
	n, err := s.DB.NewSelect().Table(table).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

// writes counts what a login, reset or user change may write.
func writes(t *testing.T, s *users.Service) [5]int {
	return [5]int{count(t, s, "login_failures"), count(t, s, "audit_log"), count(t, s, "password_resets"), count(t, s, "outbox"), count(t, s, "users")}
}

// A login or reset e-mail that cannot be an address is refused at the
// field before any lookup, hashing or count: nothing is written, and the
// message says why.
func TestLoginAndResetRefuseHostileEmailsBeforeAnyLookup(t *testing.T) {
	t.Parallel()
	s, _ := newService(t)
	ctx := context.Background()
	mustCreate(t, s, "am@example.nl", users.RoleAccountManager)
	before := writes(t, s)
	for _, c := range []struct{ email, want string }{
		{strings.Repeat("a", 3000) + "@example.nl", "at most 254 characters (this has 3,011)"},
		{"am@example.nl\x00", "control"},
		{"am@exa\x1bmple.nl", "control"},
		{"am@example.nl\r\nBcc: x@y.nl", "no spaces"},
		{"am@example.nl\xff", "UTF-8"},
		{"am", "exactly one @"},
	} {
		_, err := s.Login(ctx, c.email, "correct horse battery")
		if apperr.KindOf(err) != apperr.Invalid || !strings.Contains(fieldMsg(err, "email"), c.want) {
			t.Errorf("login %.30q: %v; want %q at email", c.email, err, c.want)
		}
		err = s.RequestReset(ctx, c.email)
		if apperr.KindOf(err) != apperr.Invalid || !strings.Contains(fieldMsg(err, "email"), c.want) {
			t.Errorf("reset %.30q: %v", c.email, err)
		}
		err = s.ResetPassword(ctx, users.ResetInput{Email: c.email, Code: "123456", Password: "a new long password"})
		if !strings.Contains(fieldMsg(err, "email"), c.want) {
			t.Errorf("reset code %.30q: %v", c.email, err)
		}
	}
	if _, err := s.Login(ctx, "am@example.nl", strings.Repeat("p", 10<<20)); fieldMsg(err, "password") == "" {
		t.Errorf("a 10 MB password: %v", err)
	}
	if after := writes(t, s); after != before {
		t.Errorf("rows written by refused logins and resets: %v, was %v", after, before)
	}
}

func TestPasswordBounds(t *testing.T) {
	for pw, want := range map[string]string{
		"twelve chars":              "",
		strings.Repeat("é", 128):    "",
		"eleven char":               "at least 12",
		strings.Repeat("é", 129):    "at most 128",
		"twelve chars\x00":          "control",
		"twelve\tchars":             "control",
		"twelve chars\xff":          "UTF-8",
		"spaces are fine, tabs not": "",
	} {
		if got := users.PasswordProblem(pw); (want == "") != (got.IsZero()) || !strings.Contains(got.String(), want) {
			t.Errorf("PasswordProblem(%.20q) = %q, want %q", pw, got, want)
		}
	}
}

func TestUserFieldsBounded(t *testing.T) {
	t.Parallel()
	s, _ := newService(t)
	ctx := context.Background()
	admin := mustCreate(t, s, "admin@example.nl", users.RoleAdmin)
	before := writes(t, s)
	good := users.NewUser{Email: "new@example.nl", Name: "Nieuw", Role: users.RoleSales, Password: "long enough pw"}
	for _, c := range []struct {
		name  string
		edit  func(*users.NewUser)
		field string
	}{
		{"name of 201", func(in *users.NewUser) { in.Name = strings.Repeat("n", 201) }, "name"},
		{"name with NUL", func(in *users.NewUser) { in.Name = "Piet\x00" }, "name"},
		{"name with a line break", func(in *users.NewUser) { in.Name = "Piet\nJansen" }, "name"},
		{"e-mail of 255", func(in *users.NewUser) { in.Email = strings.Repeat("a", 64) + "@" + strings.Repeat("b", 187) + ".nl" }, "email"},
		{"password of 129", func(in *users.NewUser) { in.Password = strings.Repeat("p", 129) }, "password"},
		{"password of 11", func(in *users.NewUser) { in.Password = "elevenchars" }, "password"},
	} {
		in := good
		c.edit(&in)
		if _, err := s.Create(ctx, in); fieldMsg(err, c.field) == "" {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	if _, err := s.Update(ctx, admin.ID, users.RoleInput{Name: "Admin\x00", Role: users.RoleAdmin}); fieldMsg(err, "name") == "" {
		t.Errorf("edit with a NUL: %v", err)
	}
	if _, err := s.Update(ctx, admin.ID, users.RoleInput{Name: strings.Repeat("n", 201), Role: users.RoleAdmin}); fieldMsg(err, "name") == "" {
		t.Errorf("edit with 201 characters: %v", err)
	}
	for _, name := range []string{strings.Repeat("t", 101), "ERP\x00", "ERP\nlink", "\xff"} {
		if _, _, err := s.CreateToken(ctx, admin.ID, name); fieldMsg(err, "name") == "" {
			t.Errorf("token name %.20q: %v", name, err)
		}
	}
	if after := writes(t, s); after != before {
		t.Errorf("rows written by refused input: %v, was %v", after, before)
	}
	in := good
	in.Name, in.Email = strings.Repeat("n", 200), strings.Repeat("a", 64)+"@"+strings.Repeat("b", 186)+".nl"
	if _, err := s.Create(ctx, in); err != nil {
		t.Fatalf("the longest valid user: %v", err)
	}
	if _, _, err := s.CreateToken(ctx, admin.ID, strings.Repeat("t", 100)); err != nil {
		t.Fatalf("a token name of 100: %v", err)
	}
}
