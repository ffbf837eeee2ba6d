package postgres_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"wholesale/internal/i18n"

	"wholesale/internal/apperr"
	"wholesale/internal/pgtest"
	"wholesale/internal/postgres"
)

// openErr is the error of connecting to dsn, where nobody answers.
func openErr(t *testing.T, dsn string) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	db, err := postgres.Open(ctx, dsn, 1)
	if err == nil {
		db.Close()
		t.Fatalf("%s answered", dsn)
	}
	return err
}

func TestUnavailableKnowsAnUnreachableDatabase(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	dir := t.TempDir()

	// A socket file with nobody listening on it: connection refused.
	refusing, err := net.Listen("unix", filepath.Join(dir, ".s.PGSQL.5432"))
	if err != nil {
		t.Fatal(err)
	}
	refusing.(*net.UnixListener).SetUnlinkOnClose(false)
	refusing.Close()
	if _, err := os.Stat(filepath.Join(dir, ".s.PGSQL.5432")); err != nil {
		t.Fatalf("the socket file should stay: %v", err)
	}
	// A TCP port nobody listens on.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedPort := ln.Addr().String()
	ln.Close()

	// A server that accepts and hangs up without a word, as one killed would.
	hangup, err := net.Listen("unix", filepath.Join(dir, "hangup.sock"))
	if err != nil {
		t.Fatal(err)
	}
	defer hangup.Close()
	go func() {
		for {
			c, err := hangup.Accept()
			if err != nil {
				return
			}
			c.Read(make([]byte, 4096)) // the startup message, then EOF
			c.Close()
		}
	}()
	// A role allowed no connection (53300, as when the server is full).
	role := fmt.Sprintf("nolimit_%d", os.Getpid())
	if _, err := db.ExecContext(ctx, "CREATE ROLE "+postgres.QuoteIdent(role)+" LOGIN CONNECTION LIMIT 0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.ExecContext(context.Background(), "DROP ROLE IF EXISTS "+postgres.QuoteIdent(role)) })
	full := openErr(t, strings.Replace(pgtest.DSN(t, db), "postgres@", role+"@", 1))
	if postgres.Code(full) != "53300" {
		t.Fatalf("role without connections: %v", full)
	}

	// A connection that the server ends (57P01, as at a shutdown).
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, terminated := conn.ExecContext(ctx, "SELECT pg_terminate_backend(pg_backend_pid())")
	conn.Close()
	if postgres.Code(terminated) != "57P01" {
		t.Fatalf("terminated connection: %v (%s)", terminated, postgres.Code(terminated))
	}
	// A pool with no free connection before the deadline.
	db.SetMaxOpenConns(1)
	held, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	_, exhausted := db.ExecContext(tctx, "SELECT 1")
	cancel()
	held.Close()
	db.SetMaxOpenConns(60)

	_, unique := db.ExecContext(ctx, "CREATE TABLE u (id int PRIMARY KEY); INSERT INTO u VALUES (1), (1)")
	_, syntax := db.ExecContext(ctx, "SELEC 1")
	var n int
	noRows := db.QueryRowContext(ctx, "SELECT 1 WHERE false").Scan(&n)
	if !errors.Is(noRows, sql.ErrNoRows) {
		t.Fatalf("no rows: %v", noRows)
	}

	for _, c := range []struct {
		name string
		err  error
		want bool
	}{
		{"socket file missing", openErr(t, postgres.SocketDSN(filepath.Join(dir, "none"), "postgres", "x")), true},
		{"socket nobody listens on", openErr(t, postgres.SocketDSN(dir, "postgres", "x")), true},
		{"TCP port closed", openErr(t, "postgres://postgres@"+closedPort+"/x?sslmode=disable"), true},
		{"connection terminated (57P01)", terminated, true},
		{"server hangs up", openErr(t, "postgres://postgres@/x?host="+filepath.Join(dir, "hangup.sock")+"&sslmode=disable"), true},
		{"no connection slot (53300)", full, true},
		{"pool exhausted until the deadline", exhausted, true},
		{"unique violation", unique, false},
		{"syntax error", syntax, false},
		{"no rows", noRows, false},
		{"plain error", errors.New("something else"), false},
		{"nil", nil, false},
	} {
		if got := postgres.Unavailable(c.err); got != c.want {
			t.Errorf("%s: Unavailable(%v) = %v, want %v", c.name, c.err, got, c.want)
		}
		translated := postgres.TranslateUnavailable(c.err)
		if got := apperr.KindOf(translated) == apperr.Unavailable; got != c.want {
			t.Errorf("%s: TranslateUnavailable gives kind %v", c.name, apperr.KindOf(translated))
		}
		if ae, ok := apperr.As(translated); c.want && (!ok || ae.Err == nil || ae.Err.Error() != c.err.Error()) {
			t.Errorf("%s: the cause is lost: %v", c.name, translated)
		}
	}
	if k := apperr.KindOf(postgres.Translate(noRows, i18n.M("Order"))); k != apperr.NotFound {
		t.Errorf("Translate(no rows) kind %v", k)
	}
	if k := apperr.KindOf(postgres.Translate(terminated, i18n.M("Order"))); k != apperr.Unavailable {
		t.Errorf("Translate(terminated) kind %v", k)
	}
}
