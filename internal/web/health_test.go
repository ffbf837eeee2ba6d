package web_test

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"wholesale/internal/web"
)

func withMetricsToken(token string) option {
	return func(c *web.Config) { c.MetricsToken = token }
}

// metrics fetches /metrics through app.Test, whose connection comes from
// 0.0.0.0, not from loopback.
func (a *testApp) metrics(header http.Header) (*http.Response, string) {
	a.t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := a.srv.App.Test(req, -1)
	if err != nil {
		a.t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

func bearer(token string) http.Header { return http.Header{"Authorization": {"Bearer " + token}} }

// TestMetricsAfterMixedRequests: Fiber reuses the buffer behind c.Method(),
// so a method label kept without a copy turned "GET" into "GETETE" after a
// DELETE and /metrics failed for good.
func TestMetricsAfterMixedRequests(t *testing.T) {
	t.Parallel()
	a := newApp(t, withMetricsToken("scrape-secret"))
	c := a.client()
	for i := 0; i < 3; i++ {
		for _, r := range []struct{ method, path string }{
			{http.MethodGet, "/healthz"}, {http.MethodDelete, "/healthz"}, {http.MethodPost, "/healthz"},
			{http.MethodGet, "/readyz"}, {http.MethodPut, "/no-such-page"}, {http.MethodOptions, "/login"},
			{http.MethodPatch, "/api/v1/me"}, {http.MethodGet, "/login"},
		} {
			c.do(r.method, r.path, strings.NewReader(""), "")
		}
	}
	for i := 0; i < 2; i++ { // a broken registry fails every scrape, not only the first
		resp, body := a.metrics(bearer("scrape-secret"))
		wantStatus(t, resp, http.StatusOK)
		for _, want := range []string{
			`wholesale_http_requests_total{method="GET",route="/healthz",status="200"} 3`,
			`wholesale_http_requests_total{method="GET",route="/readyz",status="200"} 3`,
			`wholesale_http_requests_total{method="GET",route="/login",status="200"} 3`,
			`wholesale_http_requests_total{method="DELETE",route="unmatched",status="403"} 3`,
			`wholesale_http_requests_total{method="POST",route="unmatched",status="403"} 3`,
			`wholesale_http_requests_total{method="PUT",route="unmatched",status="403"} 3`,
			`wholesale_http_requests_total{method="OPTIONS",route="unmatched",status="405"} 3`,
			`wholesale_http_requests_total{method="PATCH",route="unmatched",status="403"} 3`,
			`wholesale_http_request_duration_seconds_count{method="DELETE",route="unmatched"} 3`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("metrics lack %s:\n%s", want, metricLines(body))
			}
		}
	}
}

func metricLines(body string) string {
	var out []string
	for _, l := range strings.Split(body, "\n") {
		if strings.HasPrefix(l, "wholesale_http_requests_total") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestMetricsOnlyToLoopbackOrWithTheToken judges loopback by the
// connection's own address: X-Forwarded-For, even from a trusted proxy,
// never makes a request local.
func TestMetricsOnlyToLoopbackOrWithTheToken(t *testing.T) {
	t.Parallel()
	a := newApp(t, withMetricsToken("scrape-secret"), func(c *web.Config) { c.TrustedProxies = []string{"0.0.0.0"} })
	for _, c := range []struct {
		name   string
		header http.Header
		want   int
	}{
		{"no token", nil, http.StatusForbidden},
		{"X-Forwarded-For loopback from a trusted proxy", http.Header{"X-Forwarded-For": {"127.0.0.1"}}, http.StatusForbidden},
		{"wrong token", bearer("scrape-secreT"), http.StatusUnauthorized},
		{"token as basic auth", http.Header{"Authorization": {"Basic c2NyYXBlLXNlY3JldA=="}}, http.StatusUnauthorized},
		{"right token", bearer("scrape-secret"), http.StatusOK},
	} {
		resp, body := a.metrics(c.header)
		if resp.StatusCode != c.want {
			t.Errorf("%s: %d, want %d", c.name, resp.StatusCode, c.want)
		}
		if hasMetrics := strings.Contains(body, "wholesale_http_requests_total"); hasMetrics != (c.want == http.StatusOK) {
			t.Errorf("%s: metrics shown: %v", c.name, hasMetrics)
		}
	}
	// Without METRICS_TOKEN no token is right.
	b := newAppOn(t, a.db)
	if resp, _ := b.metrics(bearer("")); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("empty token without METRICS_TOKEN: %d", resp.StatusCode)
	}
}

// TestMetricsServedOverLoopback serves the app on 127.0.0.1: a scraper on
// this machine needs no token; a request a local proxy forwarded does.
func TestMetricsServedOverLoopback(t *testing.T) {
	t.Parallel()
	a := newApp(t, withMetricsToken("scrape-secret"))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go a.srv.App.Listener(ln)
	t.Cleanup(func() { a.srv.App.Shutdown() })
	get := func(header http.Header) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, "http://"+ln.Addr().String()+"/metrics", nil)
		for k, v := range header {
			req.Header[k] = v
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp.StatusCode, string(b)
	}
	get(nil)
	if status, body := get(nil); status != http.StatusOK || !strings.Contains(body, `wholesale_http_requests_total{method="GET",route="/metrics",status="200"} 1`) {
		t.Fatalf("loopback: %d\n%s", status, body)
	}
	if status, _ := get(http.Header{"X-Forwarded-For": {"203.0.113.9"}}); status != http.StatusForbidden {
		t.Errorf("forwarded by a local proxy: %d", status)
	}
	if status, _ := get(bearer("wrong")); status != http.StatusUnauthorized {
		t.Errorf("loopback with a wrong token: %d", status)
	}
	if status, _ := get(bearer("scrape-secret")); status != http.StatusOK {
		t.Errorf("loopback with the token: %d", status)
	}
}
