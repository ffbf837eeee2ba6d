// Package web is the HTTP side of the application: the Fiber app, its
// middleware, the HTML pages, the JSON API under /api/v1 and the error
// handler that maps apperr kinds to statuses once.
package web

import (
	"context"
	"io/fs"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/session"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/uptrace/bun"

	"wholesale/internal/catalog"
	"wholesale/internal/clock"
	"wholesale/internal/complaints"
	"wholesale/internal/customers"
	"wholesale/internal/invoicing"
	"wholesale/internal/orders"
	"wholesale/internal/payments"
	"wholesale/internal/pdf"
	"wholesale/internal/privacy"
	"wholesale/internal/receivables"
	"wholesale/internal/returns"
	"wholesale/internal/sessions"
	"wholesale/internal/settings"
	"wholesale/internal/shipping"
	"wholesale/internal/stock"
	"wholesale/internal/users"
	"wholesale/templates"
)

// Config holds the settings of the HTTP side.
type Config struct {
	// BaseURL is where people reach the app, e.g. https://wholesale.example.nl.
	// Cookies are Secure when it starts with https.
	BaseURL string
	// LoginRateLimit is the number of login and reset posts one IP may make a minute.
	LoginRateLimit int
	// TrustedProxies are the addresses of reverse proxies whose X-Forwarded-For is believed.
	TrustedProxies []string
	// SessionTTL is how long a session lasts without use.
	SessionTTL time.Duration
	// Templates holds the templates; nil means the embedded ones.
	Templates fs.FS
	// MetricsToken, when set, lets a scraper read /metrics from anywhere
	// with the header Authorization: Bearer <MetricsToken>; without it
	// /metrics answers only to requests from this machine.
	MetricsToken string
}

// Deps are what the server needs from outside.
type Deps struct {
	DB *bun.DB
	// Reports is where the heavy read-only reports read (AR aging, the
	// .xlsx exports of invoices and returns): a streaming replica
	// (DATABASE_REPLICA_URL, docs/SCALING.md). Nil: DB.
	Reports   *bun.DB
	Clock     clock.Clock
	Log       *slog.Logger
	Users     *users.Service
	Customers *customers.Service
	Catalog   *catalog.Service
	Stock     *stock.Service
	Orders    *orders.Service
	Invoicing *invoicing.Service
	// Aging keeps the AR aging report in memory while nothing it sums
	// changes (when it runs); nil: a cache that never runs, and each page
	// reads Reports.
	Aging    *receivables.AgingCache
	Settings *settings.Service
	Shipping *shipping.Service
	Registry *prometheus.Registry
	Config   Config
}

// Server is the Fiber app with its dependencies.
type Server struct {
	App        *fiber.App
	db         *bun.DB
	reports    *bun.DB // Deps.Reports: what the reports read, the primary or a replica
	aging      *receivables.AgingCache
	clock      clock.Clock
	log        *slog.Logger
	users      *users.Service
	customers  *customers.Service
	catalog    *catalog.Service
	stock      *stock.Service
	orders     *orders.Service
	invoicing  *invoicing.Service
	settings   *settings.Service
	shipping   *shipping.Service
	payments   *payments.Service
	returns    *returns.Service
	complaints *complaints.Service
	privacy    *privacy.Service
	sessions   *session.Store
	cfg        Config
	metrics    *metrics
	// routes records each registered route's access rule, for the API description and tests.
	routes []routeInfo
	// openAPI is the document of the JSON API, made at start from routes.
	openAPI []byte
	// apiDocs is openAPI laid out for GET /api/docs.
	apiDocs []docTag
	// work are the queues of the home pages (addWork).
	work []workQueue
	// views are the templates; navs the navigation bars drawn (navHTML).
	views *views
	navs  sync.Map
	// choices are the products the order form suggests (productChoices).
	choicesMu sync.Mutex
	choices   productChoices
}

// New builds the app and registers every route.
func New(d Deps) (*Server, error) {
	if d.Config.LoginRateLimit <= 0 {
		d.Config.LoginRateLimit = 20
	}
	if d.Config.SessionTTL <= 0 {
		d.Config.SessionTTL = 12 * time.Hour
	}
	if d.Config.Templates == nil {
		d.Config.Templates = templates.FS
	}
	views := newViews(d.Config.Templates, templateFuncs)
	if err := views.Load(); err != nil {
		return nil, err
	}
	if d.Reports == nil {
		d.Reports = d.DB
	}
	if d.Aging == nil { // one that never listens: each page reads Reports
		d.Aging = receivables.NewAgingCache(d.Reports, d.Log)
	}
	s := &Server{db: d.DB, reports: d.Reports, aging: d.Aging, clock: d.Clock, log: d.Log, users: d.Users, customers: d.Customers, catalog: d.Catalog, stock: d.Stock, orders: d.Orders,
		invoicing: d.Invoicing, settings: d.Settings, shipping: d.Shipping, cfg: d.Config,
		payments: &payments.Service{DB: d.DB, Clock: d.Clock}, views: views}
	s.returns = &returns.Service{DB: d.DB, Clock: d.Clock, Invoicing: d.Invoicing, Orders: d.Orders,
		WriteLabel: pdf.WriteReturnLabel, BaseURL: d.Config.BaseURL}
	s.privacy = &privacy.Service{DB: d.DB, Clock: d.Clock, Log: d.Log}
	s.complaints = &complaints.Service{DB: d.DB, Clock: d.Clock, BaseURL: d.Config.BaseURL, Invoicing: d.Invoicing, Orders: d.Orders}
	s.App = fiber.New(fiber.Config{
		Views:                   views,
		ErrorHandler:            s.handleError,
		AppName:                 "wholesale",
		BodyLimit:               64 << 20, // four documents of 10 MB each, with room
		ReadTimeout:             60 * time.Second,
		WriteTimeout:            120 * time.Second,
		IdleTimeout:             120 * time.Second,
		EnableTrustedProxyCheck: len(d.Config.TrustedProxies) > 0,
		TrustedProxies:          d.Config.TrustedProxies,
		ProxyHeader:             proxyHeader(d.Config.TrustedProxies),
		DisableStartupMessage:   true,
		// Immutable copies every value Fiber hands out (c.Method(), c.Params(),
		// c.Get(), …) instead of giving views of buffers it reuses, so none
		// can change after the handler (docs/BENCHMARKS.md: no measurable cost).
		Immutable: true,

		// Forms are read by readMultipart (uploads.go), which repairs a part
		// header Go's parser refuses, so that the form comes back with a message.
		DisablePreParseMultipartForm: true,
	})
	s.sessions = session.New(session.Config{
		Storage:        sessions.NewStorage(d.DB, "session", d.Clock),
		Expiration:     d.Config.SessionTTL,
		KeyLookup:      "cookie:wholesale_session",
		CookieHTTPOnly: true,
		CookieSameSite: "Lax",
		CookieSecure:   s.secure(),
	})
	var err error
	if s.metrics, err = newMetrics(d.Registry); err != nil {
		return nil, err
	}
	s.registerRoutes()
	doc, err := s.buildOpenAPI()
	if err != nil {
		return nil, err
	}
	if s.openAPI, err = marshalOpenAPI(doc); err != nil {
		return nil, err
	}
	if s.apiDocs, err = apiReference(s.openAPI); err != nil {
		return nil, err
	}
	return s, nil
}

func proxyHeader(trusted []string) string {
	if len(trusted) > 0 {
		return fiber.HeaderXForwardedFor
	}
	return ""
}

func (s *Server) secure() bool { return strings.HasPrefix(s.cfg.BaseURL, "https://") }

// registerRoutes puts the middleware and every area's routes on the app.
func (s *Server) registerRoutes() {
	s.App.Use(s.observe)
	s.App.Use(s.recoverPanic)
	s.App.Use(s.securityHeaders)
	s.App.Use(s.cleanQuery)
	s.registerHealthRoutes()
	s.registerAPIRoutes()
	s.registerAPIDocsRoutes()
	s.registerOrderAPIRoutes()
	s.registerInvoiceAPIRoutes()
	s.registerShippingAPIRoutes()
	s.registerPaymentAPIRoutes()
	s.registerReturnAPIRoutes()
	s.registerComplaintAPIRoutes()
	s.App.Use(s.loadSession)
	s.App.Use(s.chooseLang)
	s.App.Use(s.readMultipart)
	s.App.Use(s.englishAmounts)
	s.App.Use(s.csrf())
	s.registerAuthRoutes()
	s.registerHomeRoutes()
	s.registerSearchRoutes()
	s.registerProfileRoutes()
	s.registerPrivacyRoutes()
	s.registerAdminUserRoutes()
	s.registerAdminMailRoutes()
	s.registerAdminAuditRoutes()
	s.registerAdminSettingsRoutes()
	s.registerApplyRoutes()
	s.registerTermsRoutes()
	s.registerApplicationRoutes()
	s.registerCustomerRoutes()
	s.registerCatalogRoutes()
	s.registerStockRoutes()
	s.registerOrderRoutes()
	s.registerInvoiceRoutes()
	s.registerShippingRoutes()
	s.registerPaymentRoutes()
	s.registerReceivableRoutes()
	s.registerBankRoutes()
	s.registerPortalReturnRoutes()
	s.registerPortalComplaintRoutes()
	s.registerComplaintExportRoutes()
	s.registerReturnRoutes()
	s.registerComplaintRoutes()
}

// Shutdown stops taking requests and waits for those under way.
func (s *Server) Shutdown(ctx context.Context) error { return s.App.ShutdownWithContext(ctx) }

// Routes lists the registered routes with their access rules.
func (s *Server) Routes() []RouteRule {
	out := make([]RouteRule, len(s.routes))
	for i, r := range s.routes {
		out[i] = RouteRule{Method: r.method, Path: r.path, Public: r.rule.public, Roles: r.rule.roles}
	}
	return out
}

// RouteRule says who may use a route.
type RouteRule struct {
	Method string
	Path   string
	Public bool
	Roles  []users.Role
}
