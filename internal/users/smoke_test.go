package users_test

import (
	"context"
	"testing"

	"wholesale/internal/pgtest"
	"wholesale/internal/users"
)

func TestSmoke(t *testing.T) {
	db := pgtest.New(t)
	n, err := users.Count(context.Background(), db)
	if err != nil || n != 0 {
		t.Fatal(n, err)
	}
}
