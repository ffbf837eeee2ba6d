package users_test

import (
	"testing"

	"wholesale/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }
