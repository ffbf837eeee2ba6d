package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"wholesale/internal/postgres"
	"wholesale/internal/users"
)

// TestDatabaseDownAnswers503WithRetryAfter runs the app on a PostgreSQL
// cluster of its own and stops it: pooled connections die and new ones are
// refused. Pages and the API answer 503 with Retry-After and say so, /readyz
// is 503 and /healthz stays 200.
func TestDatabaseDownAnswers503WithRetryAfter(t *testing.T) {
	t.Parallel()
	dir, err := os.MkdirTemp("", "wholesale-down-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil { // as root, the postgres user must reach its folder
		t.Fatal(err)
	}
	ctx := context.Background()
	cluster, err := postgres.StartCluster(ctx, postgres.ClusterOptions{Dir: filepath.Join(dir, "pg"), Throwaway: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cluster.Stop() })
	if err := cluster.CreateDatabase(ctx, "app"); err != nil {
		t.Fatal(err)
	}
	db, err := postgres.Open(ctx, cluster.DSN("app"), 4)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := postgres.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	a := newAppOn(t, db)
	browser := a.as(users.RoleAccountManager)
	visitor := a.client()
	visitor.csrf()
	api := a.apiClient(t, users.RoleAccountManager)
	resp, _ := browser.get("/orders")
	wantStatus(t, resp, http.StatusOK)
	resp, _ = api.get("/api/v1/orders")
	wantStatus(t, resp, http.StatusOK)

	if err := cluster.Stop(); err != nil {
		t.Fatal(err)
	}

	wantUnavailable := func(resp *http.Response, body string) {
		t.Helper()
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
			t.Fatalf("page: %d, Retry-After %q:\n%s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
		}
		d := doc(t, body)
		if h := d.Find("main h1").Text(); h != "Briefly unavailable" {
			t.Errorf("heading %q", h)
		}
		if msg := d.Find("main .error-box").Text(); !strings.Contains(msg, "briefly unavailable") {
			t.Errorf("message %q", msg)
		}
	}
	wantUnavailableAPI := func(resp *http.Response, body string) {
		t.Helper()
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
			t.Fatalf("API: %d, Retry-After %q:\n%s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
		}
		var e struct {
			Error struct{ Kind, Message string } `json:"error"`
		}
		if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error.Kind != "unavailable" || !strings.Contains(e.Error.Message, "briefly unavailable") {
			t.Errorf("API body %s (%v)", body, err)
		}
	}
	for i := 0; i < 3; i++ { // the pool's dead connections first, then new ones that cannot connect
		wantUnavailable(browser.get("/orders"))
		wantUnavailable(visitor.post("/login", url.Values{"email": {"buyer@bakkerij-jansen.test"}, "password": {"demo-customer-2026"}}))
		wantUnavailableAPI(api.get("/api/v1/orders"))
		wantUnavailableAPI(api.postJSON("/api/v1/orders", "", map[string]any{"company_id": 1}))
		wantUnavailableAPI(api.postJSON("/api/v1/orders", "down-1", map[string]any{"company_id": 1}))
	}
	resp, _ = a.client().get("/readyz")
	wantStatus(t, resp, http.StatusServiceUnavailable)
	resp, body := a.client().get("/healthz")
	wantStatus(t, resp, http.StatusOK)
	if body != "ok\n" {
		t.Fatalf("healthz: %q", body)
	}
}
