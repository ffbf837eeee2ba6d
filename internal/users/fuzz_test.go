package users_test

import (
	"context"
	"strings"
	"testing"

	"wholesale/internal/apperr"
	"wholesale/internal/clock"
	"wholesale/internal/pgtest"
	"wholesale/internal/users"
)

var hostileSeeds = []string{"", "a@b.nl", "Piet\x00", "Piet\x1b", "Piet\r\nJansen", "Piet\xff", strings.Repeat("a", 3000) + "@x.nl",
	strings.Repeat("é", 201), strings.Repeat("p", 129), "correct horse battery"}

func noInternal(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil && apperr.KindOf(err) == apperr.Internal {
		t.Fatalf("%s: internal error for input the validation let through: %v", what, err)
	}
}

// FuzzNewUser: whatever the e-mail, name and password, Create never fails
// inside: it refuses at a field, finds the address taken, or stores the user.
func FuzzNewUser(f *testing.F) {
	s := users.NewService(pgtest.New(f), clock.NewFixed(start), users.FastHasher)
	for _, v := range hostileSeeds {
		f.Add(v, "Piet", "long enough pw")
		f.Add("piet@example.nl", v, "long enough pw")
		f.Add("piet@example.nl", "Piet", v)
	}
	f.Fuzz(func(t *testing.T, email, name, password string) {
		_, err := s.Create(context.Background(), users.NewUser{Email: email, Name: name, Role: users.RoleSales, Password: password})
		noInternal(t, "create", err)
	})
}

// FuzzLoginAndReset: whatever is typed to log in or to ask for a code, the
// answer is a refusal at a field or a failed login, never an internal error.
func FuzzLoginAndReset(f *testing.F) {
	s := users.NewService(pgtest.New(f), clock.NewFixed(start), users.FastHasher)
	if _, err := s.Create(context.Background(), users.NewUser{Email: "am@example.nl", Name: "AM", Role: users.RoleAccountManager, Password: "correct horse battery"}); err != nil {
		f.Fatal(err)
	}
	for _, v := range hostileSeeds {
		f.Add(v, "correct horse battery", "123456")
		f.Add("am@example.nl", v, v)
	}
	f.Fuzz(func(t *testing.T, email, password, code string) {
		ctx := context.Background()
		_, err := s.Login(ctx, email, password)
		noInternal(t, "login", err)
		noInternal(t, "reset request", s.RequestReset(ctx, email))
		noInternal(t, "reset", s.ResetPassword(ctx, users.ResetInput{Email: email, Code: code, Password: password}))
	})
}

// FuzzTokenName: a token name is stored or refused at the field.
func FuzzTokenName(f *testing.F) {
	s := users.NewService(pgtest.New(f), clock.NewFixed(start), users.FastHasher)
	u, err := s.Create(context.Background(), users.NewUser{Email: "am@example.nl", Name: "AM", Role: users.RoleAccountManager, Password: "correct horse battery"})
	if err != nil {
		f.Fatal(err)
	}
	for _, v := range hostileSeeds {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, name string) {
		_, _, err := s.CreateToken(context.Background(), u.ID, name)
		noInternal(t, "token", err)
	})
}
