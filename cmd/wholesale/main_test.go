package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"wholesale/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

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
	c, err = loadConfig(env(map[string]string{"DATABASE_URL": "postgres://db/x", "HTTP_ADDR": ":9000", "TRUSTED_PROXIES": "10.0.0.1, 10.0.0.2",
		"METRICS_TOKEN": "0123456789abcdef0123"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.DemoData || c.LogFormat != "json" || c.BaseURL != "http://localhost:9000" || len(c.TrustedProxies) != 2 || c.MetricsToken != "0123456789abcdef0123" {
		t.Fatalf("production defaults: %+v", c)
	}
}

func TestConfigRejectsBadValues(t *testing.T) {
	for k, v := range map[string]string{"DEMO_DATA": "perhaps", "LOGIN_RATE_LIMIT": "-1", "DB_MAX_CONNS": "many", "LOG_FORMAT": "xml", "METRICS_TOKEN": "short"} {
		if _, err := loadConfig(env(map[string]string{k: v})); err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("%s=%s: %v", k, v, err)
		}
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
