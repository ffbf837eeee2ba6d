package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"wholesale/internal/clock"
	"wholesale/internal/demo"
	"wholesale/internal/pgtest"
	"wholesale/internal/privacy"
	"wholesale/internal/users"
)

// asBinary makes this test binary act as the wholesale binary when set to
// 1: the page bench's test runs it as its app server (`<binary> serve`).
const asBinary = "WHOLESALE_TEST_AS_BINARY"

func TestMain(m *testing.M) {
	if os.Getenv(asBinary) == "1" {
		if err := run(context.Background(), os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, "wholesale:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	pgtest.Main(m)
}

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestConfigDefaults(t *testing.T) {
	c, err := loadConfig(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.HTTPAddr != "localhost:8080" || c.BaseURL != "http://localhost:8080" || !c.DemoData || c.LogFormat != "text" || c.DataDir != "var" {
		t.Fatalf("local defaults: %+v", c)
	}
	if c.MetricsToken != "" {
		t.Fatalf("a metrics token by default: %q", c.MetricsToken)
	}
	if c.MemoryLimitMB != 256 {
		t.Fatalf("memory limit by default: %d MB, want 256", c.MemoryLimitMB)
	}
	for e, want := range map[string]int{"0": 0, "512": 512} {
		if c, err := loadConfig(env(map[string]string{"MEMORY_LIMIT_MB": e})); err != nil || c.MemoryLimitMB != want {
			t.Fatalf("MEMORY_LIMIT_MB=%s: %d, %v", e, c.MemoryLimitMB, err)
		}
	}
	if c, err := loadConfig(env(map[string]string{"GOMEMLIMIT": "1GiB"})); err != nil || c.MemoryLimitMB != 0 {
		t.Fatalf("GOMEMLIMIT set: the server sets a limit of %d MB (%v)", c.MemoryLimitMB, err)
	}
	if c.GCPercent != 300 {
		t.Fatalf("GOGC by default: %d, want 300", c.GCPercent)
	}
	if c, err := loadConfig(env(map[string]string{"GOGC": "100"})); err != nil || c.GCPercent != 0 {
		t.Fatalf("GOGC set: the server sets %d (%v); the runtime's own setting must hold", c.GCPercent, err)
	}
	c, err = loadConfig(env(map[string]string{"DATABASE_URL": "postgres://db/x", "HTTP_ADDR": ":9000", "TRUSTED_PROXIES": "10.0.0.1, 10.0.0.2",
		"METRICS_TOKEN": "0123456789abcdef0123"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.DemoData || c.LogFormat != "json" || c.BaseURL != "http://localhost:9000" || len(c.TrustedProxies) != 2 || c.MetricsToken != "0123456789abcdef0123" {
		t.Fatalf("production defaults: %+v", c)
	}
	if c.DatabaseReplicaURL != "" {
		t.Fatalf("a replica by default: %q", c.DatabaseReplicaURL)
	}
	c, err = loadConfig(env(map[string]string{"DATABASE_URL": "postgres://db/x", "DATABASE_REPLICA_URL": "postgres://replica/x"}))
	if err != nil || c.DatabaseReplicaURL != "postgres://replica/x" {
		t.Fatalf("DATABASE_REPLICA_URL: %q, %v", c.DatabaseReplicaURL, err)
	}
}

func TestConfigRejectsBadValues(t *testing.T) {
	for k, v := range map[string]string{"DEMO_DATA": "perhaps", "LOGIN_RATE_LIMIT": "-1", "DB_MAX_CONNS": "many", "LOG_FORMAT": "xml", "METRICS_TOKEN": "short",
		"MEMORY_LIMIT_MB": "10", "RETAIN_MAIL_DAYS": "0", "RETAIN_REJECTED_DAYS": "eight weeks", "RETAIN_STASH_DAYS": "-1", "RETAIN_LOGIN_DAYS": "30d"} {
		if _, err := loadConfig(env(map[string]string{k: v})); err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("%s=%s: %v", k, v, err)
		}
	}
}

// TestRetentionPeriodsAreSettings: the retention periods are those of
// docs/PRIVACY.md unless set, in days.
func TestRetentionPeriodsAreSettings(t *testing.T) {
	c, err := loadConfig(env(nil))
	if err != nil || c.Retention != privacy.DefaultPeriods || c.Retention.Mail != 90*privacy.Day || c.Retention.Logins != 30*privacy.Day {
		t.Fatalf("default retention: %+v, %v", c.Retention, err)
	}
	c, err = loadConfig(env(map[string]string{"RETAIN_MAIL_DAYS": "30", "RETAIN_REJECTED_DAYS": "14", "RETAIN_STASH_DAYS": "2", "RETAIN_LOGIN_DAYS": "7"}))
	want := privacy.Periods{Mail: 30 * privacy.Day, Rejected: 14 * privacy.Day, Stash: 2 * privacy.Day, Logins: 7 * privacy.Day}
	if err != nil || c.Retention != want {
		t.Fatalf("retention set: %+v, %v", c.Retention, err)
	}
}

// TestRetentionCommandRunsTheJob: `wholesale retention` deletes what is
// past its period (a stash from long ago) and says what it deleted.
func TestRetentionCommandRunsTheJob(t *testing.T) {
	db := pgtest.New(t)
	if _, err := db.ExecContext(context.Background(), `INSERT INTO upload_stash (token, kind, filename, content_type, content, created_at)
		VALUES ('old', 'kvk_extract', 'kvk.pdf', 'application/pdf', '\x25504446', now() - interval '60 days')`); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"retention"}, env(map[string]string{"DATABASE_URL": pgtest.DSN(t, db)}), &out, &out); err != nil {
		t.Fatal(err)
	}
	var left int
	if err := db.QueryRowContext(context.Background(), "SELECT count(*) FROM upload_stash").Scan(&left); err != nil || left != 0 {
		t.Fatalf("stash left: %d, %v", left, err)
	}
	if !strings.Contains(out.String(), "1 stashed uploads") {
		t.Fatalf("output: %s", out.String())
	}
}

func TestMigrateAgainstDatabaseURL(t *testing.T) {
	db := pgtest.New(t) // already migrated: a second run applies nothing and succeeds
	var out bytes.Buffer
	err := run(context.Background(), []string{"migrate"}, env(map[string]string{"DATABASE_URL": pgtest.DSN(t, db)}), &out, &out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "migrations: 0 applied") {
		t.Fatalf("output: %s", out.String())
	}
	if err := run(context.Background(), []string{"frobnicate"}, env(map[string]string{"DATABASE_URL": "x"}), &out, &out); err == nil {
		t.Fatal("unknown command accepted")
	}
}

func TestServeRefusesAReplicaItCannotUse(t *testing.T) {
	dsn := pgtest.DSN(t, pgtest.New(t))
	var out bytes.Buffer
	err := run(context.Background(), []string{"serve"}, env(map[string]string{"DATABASE_URL": dsn, "DATABASE_REPLICA_URL": "host=replica dbname=x",
		"HTTP_ADDR": "127.0.0.1:0"}), &out, &out)
	if err == nil || !strings.Contains(err.Error(), "DATABASE_REPLICA_URL") {
		t.Fatalf("serve with a replica address that is no URL: %v", err)
	}
}

func TestInvoiceRunIssuesACustomersDraftNowAndOnce(t *testing.T) {
	db := pgtest.New(t)
	ctx := context.Background()
	d, err := demo.Load(ctx, db, users.NewService(db, clock.System{}, users.FastHasher), nil)
	if err != nil {
		t.Fatal(err)
	}
	var drafts int
	db.NewRaw(`SELECT count(*) FROM invoices WHERE state = 'draft' AND company_id = ?`, d.Company.ID).Scan(ctx, &drafts)
	if drafts != 1 {
		t.Fatalf("the demo customer has %d drafts, want today's", drafts)
	}
	getenv := env(map[string]string{"DATABASE_URL": pgtest.DSN(t, db)})
	var out bytes.Buffer
	if err := run(ctx, []string{"invoice-run", "-customer", fmt.Sprint(d.Company.ID)}, getenv, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	var number string
	db.NewRaw(`SELECT number FROM invoices WHERE company_id = ? AND state = 'issued' AND kind = 'invoice' ORDER BY id DESC LIMIT 1`, d.Company.ID).Scan(ctx, &number)
	if want := "issued 1 invoices: " + number + " … " + number; !strings.Contains(out.String(), want) || number == "" {
		t.Fatalf("output %q, want %q", out.String(), want)
	}
	out.Reset()
	if err := run(ctx, []string{"invoice-run", "-customer", fmt.Sprint(d.Company.ID)}, getenv, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "nothing to invoice") {
		t.Fatalf("a second run: %q", out.String())
	}
}

func TestInvoiceUBLWritesTheStoredEInvoice(t *testing.T) {
	db := pgtest.New(t)
	ctx := context.Background()
	if _, err := demo.Load(ctx, db, users.NewService(db, clock.System{}, users.FastHasher), nil); err != nil {
		t.Fatal(err)
	}
	var number string
	db.NewRaw(`SELECT number FROM invoices WHERE state = 'issued' AND kind = 'invoice' ORDER BY id LIMIT 1`).Scan(ctx, &number)
	getenv := env(map[string]string{"DATABASE_URL": pgtest.DSN(t, db)})
	var out bytes.Buffer
	if err := run(ctx, []string{"invoice-ubl", number}, getenv, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	var stored []byte
	if err := db.NewRaw(`SELECT d.content FROM invoice_documents d JOIN invoices i ON i.id = d.invoice_id WHERE i.number = ? AND d.format = 'ubl' AND NOT d.copy`,
		number).Scan(ctx, &stored); err != nil {
		t.Fatalf("no UBL stored for %s: %v", number, err)
	}
	if !bytes.Equal(out.Bytes(), stored) || !bytes.HasPrefix(stored, []byte("<?xml")) || !bytes.Contains(stored, []byte("<cbc:ID>"+number+"</cbc:ID>")) {
		t.Fatalf("stdout is not the stored UBL of %s: %.300s", number, out.String())
	}
	// To a file, the flag before or after the number: the same bytes.
	file := filepath.Join(t.TempDir(), "e-invoice.xml")
	for _, args := range [][]string{{"invoice-ubl", number, "-o", file}, {"invoice-ubl", "-o", file, number}} {
		os.Remove(file)
		out.Reset()
		if err := run(ctx, args, getenv, &out, io.Discard); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(file)
		if err != nil || !bytes.Equal(got, stored) || strings.Contains(out.String(), "<?xml") {
			t.Errorf("%q: %v, the file is not the stored UBL", args, err)
		}
	}
	for _, args := range [][]string{{"invoice-ubl", "2026-999999"}, {"invoice-ubl"}, {"invoice-ubl", number, "extra"}} {
		out.Reset()
		if err := run(ctx, args, getenv, &out, io.Discard); err == nil || out.Len() > 0 {
			t.Errorf("%q: %v, %q", args, err, out.String())
		}
	}
}

// CPU_PROFILE: the server's CPU profile is written to the file when it
// stops, a profile go tool pprof reads (gzip, as runtime/pprof writes it).
func TestCPUProfileIsWritten(t *testing.T) {
	if c, err := loadConfig(env(map[string]string{"CPU_PROFILE": "/tmp/x.prof"})); err != nil || c.CPUProfile != "/tmp/x.prof" {
		t.Fatalf("CPU_PROFILE: %q (%v)", c.CPUProfile, err)
	}
	path := filepath.Join(t.TempDir(), "cpu.prof")
	stop, err := startCPUProfile(path)
	if err != nil {
		t.Fatal(err)
	}
	stop()
	b, err := os.ReadFile(path)
	if err != nil || len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		t.Fatalf("the profile is not written (%d bytes, %v)", len(b), err)
	}
	if _, err := startCPUProfile(filepath.Join(t.TempDir(), "no", "such", "dir")); err == nil {
		t.Error("a profile file that cannot be made is no error")
	}
}
