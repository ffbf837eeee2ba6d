package web

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"wholesale/internal/apperr"
)

func (s *Server) registerHealthRoutes() {
	// GET /healthz answers 200 while the process is up.
	s.page(fiber.MethodGet, "/healthz", anyone, s.handleHealthz)
	// GET /readyz answers 200 when the database answers, else 503.
	s.page(fiber.MethodGet, "/readyz", anyone, s.handleReadyz)
	// GET /metrics serves the Prometheus metrics to this machine, or with the METRICS_TOKEN bearer token.
	s.page(fiber.MethodGet, "/metrics", anyone, s.metricsAccess,
		adaptor.HTTPHandler(promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{})))
}

func (s *Server) handleHealthz(c *fiber.Ctx) error { return c.SendString("ok\n") }

func (s *Server) handleReadyz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	if err := s.db.PingContext(ctx); err != nil {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(retryAfter))
		return c.Status(fiber.StatusServiceUnavailable).SendString("database unreachable\n")
	}
	return c.SendString("ready\n")
}

// metricsAccess lets a request through to the metrics when it carries the
// bearer token METRICS_TOKEN, or carries none and comes straight from this
// machine: the connection's own remote address is loopback (X-Forwarded-For
// is never believed here) and no proxy forwarded it. A wrong token is
// refused wherever it comes from.
func (s *Server) metricsAccess(c *fiber.Ctx) error {
	if h := c.Get(fiber.HeaderAuthorization); h != "" {
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || s.cfg.MetricsToken == "" || !sameSecret(strings.TrimSpace(token), s.cfg.MetricsToken) {
			c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="metrics"`)
			return apperr.Unauthenticatedf("The metrics token is not valid.")
		}
		return c.Next()
	}
	if directFromLoopback(c) {
		return c.Next()
	}
	return apperr.Forbiddenf("The metrics are served to this machine, or with the bearer token set in METRICS_TOKEN.")
}

// directFromLoopback tells whether the request's connection comes from a
// loopback address and carries no header of a proxy that forwarded it.
func directFromLoopback(c *fiber.Ctx) bool {
	if !c.Context().RemoteIP().IsLoopback() {
		return false
	}
	for _, h := range []string{fiber.HeaderXForwardedFor, fiber.HeaderForwarded, "X-Real-Ip"} {
		if len(c.Request().Header.Peek(h)) > 0 {
			return false
		}
	}
	return true
}

// sameSecret compares two secrets in a time that tells nothing about them.
func sameSecret(a, b string) bool {
	ha, hb := sha256.Sum256([]byte(a)), sha256.Sum256([]byte(b))
	return subtle.ConstantTimeCompare(ha[:], hb[:]) == 1
}

// metrics counts requests and their latency by route.
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

func newMetrics(reg *prometheus.Registry) (*metrics, error) {
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	m := &metrics{
		registry: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wholesale_http_requests_total", Help: "HTTP requests by method, route and status.",
		}, []string{"method", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "wholesale_http_request_duration_seconds", Help: "HTTP request latency by method and route.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"method", "route"}),
	}
	for _, col := range []prometheus.Collector{m.requests, m.latency} {
		if err := reg.Register(col); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// observe counts one request. The label values are kept for as long as the
// process runs, so they are copied here: a string taken from a fiber.Ctx is
// a view of a buffer that the next request overwrites.
func (m *metrics) observe(method, route string, status int, d time.Duration) {
	method, route = strings.Clone(method), strings.Clone(route)
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(method, route).Observe(d.Seconds())
}
