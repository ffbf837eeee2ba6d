package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"wholesale/internal/audit"
	"wholesale/internal/idempotency"
	"wholesale/internal/users"
)

// The JSON API lives under /api/v1. It authenticates with bearer tokens made
// on the profile page and applies the same access rules as the pages.
func (s *Server) registerAPIRoutes() {
	s.App.Use("/api/", s.bearerUser)
	// GET /api/v1/openapi.json describes the API.
	s.api(fiber.MethodGet, "/openapi.json", anyone, s.handleOpenAPI)
	// GET /api/v1/me returns the token's user.
	s.api(fiber.MethodGet, "/me", everyRole, s.handleAPIMe)
	// GET /api/v1/users lists the users (admin).
	s.api(fiber.MethodGet, "/users", adminOnly, s.handleAPIUsers)
	// GET /api/v1/audit lists audit entries, newest first (admin).
	s.api(fiber.MethodGet, "/audit", adminOnly, s.handleAPIAudit)
}

func (s *Server) handleAPIMe(c *fiber.Ctx) error { return c.JSON(currentUser(c)) }

func (s *Server) handleAPIUsers(c *fiber.Ctx) error {
	list, err := users.List(c.UserContext(), s.db)
	if err != nil {
		return err
	}
	out := make([]users.User, len(list))
	for i := range list {
		out[i] = list[i].User
	}
	return c.JSON(fiber.Map{"users": out})
}

func (s *Server) handleAPIAudit(c *fiber.Ctx) error {
	f := audit.Filter{Entity: c.Query("entity"), EntityID: c.Query("entity_id")}
	f.ActorID, _ = strconv.ParseInt(c.Query("user"), 10, 64)
	f.BeforeID, _ = strconv.ParseInt(c.Query("before"), 10, 64)
	f.Limit, _ = strconv.Atoi(c.Query("limit"))
	entries, err := audit.List(c.UserContext(), s.db, f)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"entries": entries})
}

// apiDocs describes each API route for openapi.json; a test keeps it in step
// with the registered routes.
var apiDocs = map[string]apiDoc{
	"GET /api/v1/openapi.json":        {Summary: "This description of the API.", Public: true},
	"GET /api/v1/me":                  {Summary: "The user the token belongs to."},
	"GET /api/v1/users":               {Summary: "Every user (admin).", Query: []string{}},
	"GET /api/v1/audit":               {Summary: "Audit entries, newest first (admin).", Query: []string{"entity", "entity_id", "user", "before", "limit"}},
	"GET /api/v1/products":            {Summary: "Products with their stock status in English and Dutch (staff).", Query: []string{"q"}},
	"GET /api/v1/orders":              {Summary: "Orders, newest first, one page; next_before gives the next page.", Query: []string{"status", "customer", "po", "from", "to", "before"}},
	"POST /api/v1/orders":             {Summary: "Create a draft order ({company_id, po_reference, lines:[{sku, quantity}], address, ship_complete, shipping_method, shipping, note}); \"place\": true places it too. Bodies are JSON (Content-Type: application/json) of these fields only."},
	"GET /api/v1/orders/:id":          {Summary: "One order with its lines, reservations and expected dates."},
	"POST /api/v1/orders/:id/place":   {Summary: "Place a draft: reserve stock, create back orders, check credit."},
	"POST /api/v1/orders/:id/amend":   {Summary: "Amend an order: only what is sent changes, and fields not sent stay as they are. lines: [{id, quantity}] changes a line (quantity 0 removes it; an amendment that would leave no line is refused: cancel the order instead) and [{sku, quantity}] adds one; address, ship_complete, shipping_method, shipping, note."},
	"POST /api/v1/orders/:id/cancel":  {Summary: "Cancel an order ({reason}) while nothing of it is invoiced."},
	"POST /api/v1/orders/:id/confirm": {Summary: "Confirm an order: a customer user confirms it ({revision}: the revision confirmed, refused when the order has changed since; optional); an account manager records a written confirmation ({note, received_on: YYYY-MM-DD})."},
	"GET /api/v1/backorders":          {Summary: "Waiting back-order lines in serving order (an account manager's customers only).", Query: []string{}},

	// Shipping.
	"GET /api/v1/orders/:id/shipments": {Summary: "The order's shipments, oldest first: carrier, tracking number and link, shipped_on, delivered_on and the lines shipped (a customer sees its own company's orders only)."},

	// Invoices and credit notes.
	"GET /api/v1/payments":     {Summary: "Payments, newest first, one page (?customer, unallocated, before, limit); a customer sees its own. next_before gives the next page."},
	"GET /api/v1/payments/:id": {Summary: "One payment with its allocations: to which invoice or prepayment order, how much, why, and whether undone."},
	"POST /api/v1/payments":    {Summary: "Register a payment (customer, amount as typed in euros, received_on, reference, optional invoices to pay first); it is allocated to the order or invoice its reference names, the chosen invoices, then the oldest. " + apiKeyDoc},
	"GET /api/v1/invoices": {Summary: "Invoices and credit notes, newest first, one page; next_before gives the next page. Each has its ref (its number; " +
		"a draft's \"draft-<id>\") and its standing (draft, unpaid, overdue, paid; a credit note: issued). Staff see drafts too; a customer its own issued ones. " +
		"kind: invoice or credit_note; state: draft, issued, unpaid or overdue; from, to: the invoice date (a draft's business day), YYYY-MM-DD; limit: up to 200.",
		Query: []string{"customer", "from", "to", "kind", "state", "before", "limit"}},
	"GET /api/v1/invoices/:number":          {Summary: "One invoice or credit note with its parties, lines, totals per VAT rate and what is paid (staff: a draft by its ref)."},
	"GET /api/v1/invoices/:number/pdf":      {Summary: "A copy of an issued invoice or credit note as PDF, marked COPY (KOPIE): every download is the same copy."},
	"GET /api/v1/invoices/:number/xlsx":     {Summary: "A copy of an issued invoice or credit note as Excel, marked COPY (KOPIE)."},
	"GET /api/v1/credit-notes":              {Summary: "Credit notes only, as /invoices lists them; next_before gives the next page.", Query: []string{"customer", "from", "to", "state", "before", "limit"}},
	"GET /api/v1/credit-notes/:number":      {Summary: "One credit note, with the invoice it corrects (credits), its reason and lines; another document's number is not found."},
	"GET /api/v1/credit-notes/:number/pdf":  {Summary: "A copy of a credit note as PDF, marked COPY (KOPIE)."},
	"GET /api/v1/credit-notes/:number/xlsx": {Summary: "A copy of a credit note as Excel, marked COPY (KOPIE)."},
	"GET /api/v1/invoices/:number/ubl": {Summary: "The e-invoice of an issued invoice or credit note: UBL 2.1 (application/xml) in the customer's profile, SI-UBL 2.0 or Peppol BIS Billing 3.0, " +
		"with the original PDF inside; made once, the same bytes ever after."},
	"GET /api/v1/credit-notes/:number/ubl": {Summary: "The e-invoice of a credit note (UBL 2.1 CreditNote, application/xml); another document's number is not found."},

	// Returns.
	"GET /api/v1/returns": {Summary: "Returns, newest first, one page; next_before gives the next page. A customer sees its own company's, an account manager its customers', " +
		"the warehouse those with an RA number. state: requested, approved, received, tested, settled, referred, rejected, cancelled, or open (the first four); " +
		"customer, order: ids; limit: up to 200.", Query: []string{"state", "customer", "order", "before", "limit"}},
	"GET /api/v1/returns/shipped-lines": {Summary: "The shipped lines a return may be filed for, the latest first (at most 200): shipment_id and order_line_id for POST /returns, " +
		"what shipped, how many are left to return, the receipt date and the end of the 45-day window for a dead-on-arrival unit. " +
		"customer: the customer's id (staff; a customer's user gets its own); order: one order's lines.", Query: []string{"customer", "order"}},
	"GET /api/v1/returns/:id": {Summary: "One return with its state, RA number and arrive-by date, the units' tests, the settlement (replacement order, credit note) " +
		"or the brand's service centre it was referred to."},
	"POST /api/v1/returns": {Summary: "File a return form ({shipment_id, order_line_id, quantity, serials, fault, dead_on_arrival, remedy: replacement or credit_note}; " +
		"staff add company_id). A dead-on-arrival unit inside its window waits for the account manager's approval (state requested); " +
		"anything else is referred at once to the brand's authorised service centre (state referred, service_centre). " + apiKeyDoc},

	// Complaints.
	"GET /api/v1/complaints": {Summary: "Complaints, open ones first by the date of what we owe next (overdue on top), then the newest; next_before gives the next page. " +
		"A customer sees its own company's, an account manager its customers'. state: received, acknowledged, resolved, escalated or closed; " +
		"open=true, overdue=true; customer: an id; limit: up to 200.", Query: []string{"state", "open", "overdue", "customer", "before", "limit"}},
	"GET /api/v1/complaints/:id": {Summary: "One complaint with its reference (the order number when it concerns an order), deadlines, the letters' dates, " +
		"the outcome with its explanation and the board's answer, and the documents attached (filename, content_type, size, uploaded_at; " +
		"they are added and downloaded on the complaint's page); staff also get the internal notes, a customer never."},
	"POST /api/v1/complaints": {Summary: "File a complaint ({order, contact_name, contact_email, contact_phone, description}; staff add company_id and channel: phone or mail). " +
		"It is acknowledged within 3 working days and resolved within 2 weeks."},
}

type apiDoc struct {
	Summary string
	Public  bool
	Query   []string
}

func (s *Server) handleOpenAPI(c *fiber.Ctx) error {
	paths := map[string]map[string]any{}
	for _, r := range s.routes {
		if !strings.HasPrefix(r.path, "/api/v1/") {
			continue
		}
		doc := apiDocs[r.method+" "+r.path]
		op := map[string]any{
			"summary":   doc.Summary,
			"responses": map[string]any{"200": map[string]any{"description": "OK"}, "default": map[string]any{"$ref": "#/components/responses/Error"}},
		}
		if !r.rule.public {
			op["security"] = []map[string][]string{{"bearer": {}}}
			var roles []string
			for _, role := range r.rule.roles {
				roles = append(roles, string(role))
			}
			op["x-roles"] = roles
		}
		var params []map[string]any
		for _, q := range doc.Query {
			params = append(params, map[string]any{"name": q, "in": "query", "schema": map[string]string{"type": "string"}})
		}
		for _, seg := range strings.Split(r.path, "/") {
			if name, ok := strings.CutPrefix(seg, ":"); ok {
				params = append(params, map[string]any{"name": name, "in": "path", "required": true, "schema": map[string]string{"type": "string"}})
			}
		}
		if r.method == fiber.MethodPost {
			params = append(params, map[string]any{"name": "Idempotency-Key", "in": "header", "required": false, "description": apiKeyDoc,
				"schema": map[string]any{"type": "string", "minLength": 1, "maxLength": idempotency.MaxLen}})
		}
		if params != nil {
			op["parameters"] = params
		}
		p := openAPIPath(strings.TrimPrefix(r.path, "/api/v1"))
		if paths[p] == nil {
			paths[p] = map[string]any{}
		}
		paths[p][strings.ToLower(r.method)] = op
	}
	return c.JSON(fiber.Map{
		"openapi": "3.0.3",
		"info":    fiber.Map{"title": "wholesale API", "version": "1"},
		"servers": []fiber.Map{{"url": "/api/v1"}},
		"paths":   paths,
		"components": fiber.Map{
			"securitySchemes": fiber.Map{"bearer": fiber.Map{"type": "http", "scheme": "bearer"}},
			"responses":       fiber.Map{"Error": fiber.Map{"description": "An error: {error: {kind, message, fields, request_id}}"}},
		},
	})
}

// openAPIPath turns /orders/:id into /orders/{id}.
func openAPIPath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		if name, ok := strings.CutPrefix(s, ":"); ok {
			segs[i] = "{" + name + "}"
		}
	}
	return strings.Join(segs, "/")
}
