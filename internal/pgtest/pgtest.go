// Package pgtest gives each test its own PostgreSQL database, cloned from a
// template that was migrated once per test binary. The server is the one in
// TEST_DATABASE_URL (set by `make test`), or else a throwaway cluster that
// this package starts itself, so plain `go test ./...` works too.
package pgtest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/postgres"
)

// EnvURL names the variable holding the DSN of a server's "postgres" database
// on which tests may create and drop databases.
const EnvURL = "TEST_DATABASE_URL"

type harness struct {
	adminDSN string
	admin    *bun.DB
	cluster  *postgres.Cluster
	dir      string
	template string
	mu       sync.Mutex // CREATE DATABASE … TEMPLATE one at a time
}

var (
	once    sync.Once
	shared  *harness
	initErr error
	seq     atomic.Int64
)

// Main runs the package's tests, then stops the throwaway cluster, if one was
// started, and removes it. Use it as TestMain: func TestMain(m *testing.M) { pgtest.Main(m) }.
func Main(m *testing.M) {
	code := m.Run()
	shutdown()
	os.Exit(code)
}

// New returns a connection to a fresh, migrated database of the test's own.
// It is dropped when the test ends. It never skips: no database is a failure.
func New(tb testing.TB) *bun.DB {
	tb.Helper()
	h, err := get()
	if err != nil {
		tb.Fatalf("pgtest: no test database: %v", err)
	}
	name := fmt.Sprintf("test_%d_%d", os.Getpid(), seq.Add(1))
	ctx := context.Background()
	h.mu.Lock()
	_, err = h.admin.ExecContext(ctx, "CREATE DATABASE "+postgres.QuoteIdent(name)+" TEMPLATE "+postgres.QuoteIdent(h.template))
	h.mu.Unlock()
	if err != nil {
		tb.Fatalf("pgtest: create database: %v", err)
	}
	db, err := postgres.Open(ctx, withDatabase(h.adminDSN, name), 60)
	if err != nil {
		tb.Fatalf("pgtest: open %s: %v", name, err)
	}
	tb.Cleanup(func() {
		db.Close()
		if _, err := h.admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+postgres.QuoteIdent(name)+" WITH (FORCE)"); err != nil {
			tb.Logf("pgtest: drop %s: %v", name, err)
		}
	})
	return db
}

// ServerDir returns a new empty folder for a server the test runs itself
// (a PgBouncer, a second cluster, a standby), removed when the test ends.
// Unlike t.TempDir's, the postgres system user, which such servers run as
// under root, can reach it.
func ServerDir(tb testing.TB) string {
	tb.Helper()
	dir, err := os.MkdirTemp("", "wholesale-pgtest-server-")
	if err == nil {
		err = os.Chmod(dir, 0o755)
	}
	if err != nil {
		tb.Fatalf("pgtest: server folder: %v", err)
	}
	tb.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// DSN returns the connection string of the database behind db, for code under
// test that opens its own connections (e.g. a server started by a test).
func DSN(tb testing.TB, db *bun.DB) string {
	tb.Helper()
	var name string
	if err := db.QueryRowContext(context.Background(), "SELECT current_database()").Scan(&name); err != nil {
		tb.Fatalf("pgtest: current database: %v", err)
	}
	return withDatabase(shared.adminDSN, name)
}

func get() (*harness, error) {
	once.Do(func() { shared, initErr = start() })
	return shared, initErr
}

func start() (*harness, error) {
	ctx := context.Background()
	h := &harness{adminDSN: os.Getenv(EnvURL)}
	if h.adminDSN == "" {
		sweepStale()
		dir, err := os.MkdirTemp("", "wholesale-pgtest-")
		if err != nil {
			return nil, err
		}
		h.dir = dir
		if err := os.Chmod(dir, 0o755); err != nil { // the postgres user must reach its folder inside
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(dir, "owner.pid"), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
			return nil, err
		}
		h.cluster, err = postgres.StartCluster(ctx, postgres.ClusterOptions{Dir: filepath.Join(dir, "pg"), Throwaway: true, Install: true})
		if err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		h.adminDSN = h.cluster.DSN("postgres")
	}
	var err error
	if h.admin, err = postgres.Open(ctx, h.adminDSN, 4); err != nil {
		return nil, err
	}
	h.template = fmt.Sprintf("template_%d_%d", os.Getpid(), time.Now().UnixNano()%1e6)
	if _, err := h.admin.ExecContext(ctx, "CREATE DATABASE "+postgres.QuoteIdent(h.template)); err != nil {
		return nil, err
	}
	tdb, err := postgres.Open(ctx, withDatabase(h.adminDSN, h.template), 2)
	if err != nil {
		return nil, err
	}
	_, err = postgres.Migrate(ctx, tdb)
	tdb.Close()
	if err != nil {
		return nil, err
	}
	return h, nil
}

func shutdown() {
	h := shared
	if h == nil {
		return
	}
	if h.admin != nil {
		_, _ = h.admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+postgres.QuoteIdent(h.template)+" WITH (FORCE)")
		h.admin.Close()
	}
	if h.cluster != nil {
		_ = h.cluster.Stop()
	}
	if h.dir != "" {
		os.RemoveAll(h.dir)
	}
}

// withDatabase returns dsn pointing at database name instead.
func withDatabase(dsn, name string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	u.Path = "/" + name
	return u.String()
}

// sweepStale removes throwaway clusters left by test binaries that died.
func sweepStale() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "wholesale-pgtest-*"))
	for _, d := range dirs {
		b, err := os.ReadFile(filepath.Join(d, "owner.pid"))
		if err != nil {
			if info, statErr := os.Stat(d); statErr == nil && time.Since(info.ModTime()) > time.Hour {
				os.RemoveAll(d)
			}
			continue
		}
		pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
		if pid > 0 && syscall.Kill(pid, 0) == syscall.ESRCH {
			os.RemoveAll(d)
		}
	}
}
