package postgres_test

import (
	"context"
	"strings"
	"testing"

	"wholesale/internal/postgres"
)

// A database address that is not a postgres:// URL (psql's form, as the
// local cluster prints it for psql) is refused with a message, where
// pgdriver would panic.
func TestOpenRefusesAnAddressThatIsNotAURL(t *testing.T) {
	for _, dsn := range []string{`host=/tmp/x/run port=5432 user=postgres dbname=wholesale`, "mysql://u@h/db", ""} {
		db, err := postgres.Open(context.Background(), dsn, 1)
		if err == nil || db != nil || !strings.Contains(err.Error(), "postgres://") {
			t.Errorf("Open(%q) = %v, %v", dsn, db, err)
		}
	}
}
