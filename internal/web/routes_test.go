package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"wholesale/internal/users"
)

const (
	admin     = users.RoleAdmin
	sales     = users.RoleSales
	am        = users.RoleAccountManager
	warehouse = users.RoleWarehouse
	finance   = users.RoleFinance
	customer  = users.RoleCustomer
	service   = users.RoleCustomerService
	board     = users.RoleBoard
)

var (
	public        = []users.Role{"public"}
	all           = users.Roles
	admins        = []users.Role{admin}
	staff         = []users.Role{admin, sales, am, warehouse, finance}
	orderDesk     = []users.Role{admin, am}
	warehouseDesk = []users.Role{admin, warehouse}
	salesDesk     = []users.Role{admin, sales}
	accountMgt    = []users.Role{admin, sales, am}
	backOrderDesk = []users.Role{admin, sales, am, warehouse}
	invoiceDesk   = []users.Role{admin, finance, am}
	financeDesk   = []users.Role{admin, finance}
	invoiceViews  = []users.Role{admin, finance, am, customer}
	customerRole  = []users.Role{customer}
	notWarehouse  = []users.Role{admin, sales, am, customer}
	complaintDesk = []users.Role{admin, sales, am, service, board}
	complaintWork = []users.Role{admin, am, service}
	serviceDesk   = []users.Role{admin, service}
	boardDesk     = []users.Role{admin, board}
	// staffAndCustomers: not the customer service manager or the board.
	staffAndCustomers = []users.Role{admin, sales, am, warehouse, finance, customer}
)

// access is who may use each route. A route registered without a line here
// fails the test: whoever adds a route decides here who may use it.
var access = map[string][]users.Role{
	"GET /healthz":                              public,
	"GET /readyz":                               public,
	"GET /metrics":                              public, // no login, but only this machine or METRICS_TOKEN: health_test.go
	"GET /static/style.css":                     public,
	"GET /login":                                public,
	"POST /login":                               public,
	"POST /logout":                              public,
	"GET /password/forgot":                      public,
	"POST /password/forgot":                     public,
	"GET /password/reset":                       public,
	"POST /password/reset":                      public,
	"GET /":                                     all,
	"GET /search":                               staff,
	"GET /terms":                                public,
	"GET /profile":                              all,
	"POST /profile/language":                    all,
	"POST /profile/tokens":                      all,
	"POST /profile/tokens/:id/revoke":           all,
	"GET /profile/data":                         all,
	"GET /profile/data.json":                    all,
	"POST /profile/erasure":                     customerRole,
	"POST /admin/users/:id/erasure":             admins,
	"GET /admin/erasures":                       salesDesk,
	"POST /admin/erasures/:id/confirm":          salesDesk,
	"GET /admin/users":                          admins,
	"GET /admin/users/new":                      admins,
	"POST /admin/users":                         admins,
	"GET /admin/users/:id":                      admins,
	"POST /admin/users/:id":                     admins,
	"POST /admin/users/:id/unlock":              admins,
	"POST /admin/users/:id/deactivate":          admins,
	"POST /admin/users/:id/activate":            admins,
	"GET /admin/mail":                           admins,
	"GET /admin/mail/:id":                       admins,
	"GET /admin/audit":                          admins,
	"GET /admin/settings":                       admins,
	"POST /admin/settings":                      admins,
	"POST /admin/closing-days":                  admins,
	"POST /admin/closing-days/:day/delete":      admins,
	"GET /apply":                                public,
	"POST /apply":                               public,
	"GET /apply/done":                           public,
	"GET /apply/documents/:token":               public,
	"POST /apply/documents/:token":              public,
	"GET /invite/:token":                        public,
	"POST /invite/:token":                       public,
	"GET /applications":                         salesDesk,
	"GET /applications/new":                     salesDesk,
	"POST /applications":                        salesDesk,
	"GET /applications/:id":                     salesDesk,
	"POST /applications/:id/checks":             salesDesk,
	"POST /applications/:id/request-documents":  salesDesk,
	"POST /applications/:id/vies":               salesDesk,
	"POST /applications/:id/approve":            salesDesk,
	"POST /applications/:id/reject":             salesDesk,
	"GET /customers":                            accountMgt,
	"GET /customers/:id":                        {admin, sales, am, finance},
	"POST /customers/:id/changes":               accountMgt,
	"POST /customers/:id/language":              salesDesk,
	"POST /customers/:id/einvoice":              salesDesk,
	"GET /account":                              customerRole,
	"POST /account/changes":                     customerRole,
	"GET /changes":                              salesDesk,
	"GET /changes/:id":                          notWarehouse,
	"POST /changes/:id/confirmation":            notWarehouse,
	"POST /changes/:id/confirm":                 customerRole,
	"POST /changes/:id/approve":                 salesDesk,
	"POST /changes/:id/reject":                  salesDesk,
	"GET /documents/:id":                        {admin, sales, customer},
	"GET /products":                             staff,
	"GET /products/new":                         admins,
	"POST /products":                            admins,
	"GET /products/export":                      staff,
	"POST /products/import":                     admins,
	"GET /products/:id":                         staff,
	"GET /service-centres":                      all,
	"POST /service-centres":                     admins,
	"POST /customers/:id/prices":                accountMgt,
	"GET /stock/export":                         staff,
	"POST /stock/import":                        warehouseDesk,
	"GET /supplier-stock/export":                staff,
	"POST /supplier-stock/import":               warehouseDesk,
	"GET /supplier-orders":                      warehouseDesk,
	"POST /supplier-orders":                     admins,
	"POST /supplier-orders/:id/confirm-date":    admins,
	"POST /supplier-orders/:id/receive":         warehouseDesk,
	"GET /backorders":                           backOrderDesk,
	"POST /backorders/:id/priority":             accountMgt,
	"POST /backorders/:id/promise":              accountMgt,
	"GET /api/v1/products":                      staff,
	"GET /api/v1/backorders":                    backOrderDesk,
	"GET /orders":                               staff,
	"GET /orders/new":                           orderDesk,
	"POST /orders":                              orderDesk,
	"GET /orders/:id":                           append(append([]users.Role{}, staff...), service, board),
	"GET /orders/:id/edit":                      orderDesk,
	"POST /orders/:id":                          orderDesk,
	"POST /orders/:id/place":                    orderDesk,
	"POST /orders/:id/cancel":                   orderDesk,
	"POST /orders/:id/lines/:line/cancel":       orderDesk,
	"POST /orders/:id/confirm-written":          orderDesk,
	"GET /credit-holds":                         salesDesk,
	"POST /orders/:id/credit/approve":           salesDesk,
	"POST /orders/:id/credit/reject":            salesDesk,
	"GET /portal/orders":                        customerRole,
	"GET /portal/orders/:id":                    customerRole,
	"POST /portal/orders/:id/confirm":           customerRole,
	"GET /api/v1/orders":                        notWarehouse,
	"POST /api/v1/orders":                       orderDesk,
	"GET /api/v1/orders/:id":                    notWarehouse,
	"POST /api/v1/orders/:id/place":             orderDesk,
	"POST /api/v1/orders/:id/amend":             orderDesk,
	"POST /api/v1/orders/:id/cancel":            orderDesk,
	"POST /api/v1/orders/:id/confirm":           {admin, am, customer},
	"GET /invoices":                             invoiceDesk,
	"GET /invoices/export.xlsx":                 invoiceDesk,
	"GET /invoices/export-ubl.zip":              financeDesk,
	"GET /invoices/:ref":                        invoiceDesk,
	"GET /invoices/:ref/pdf":                    invoiceDesk,
	"GET /invoices/:ref/xlsx":                   invoiceDesk,
	"GET /invoices/:ref/ubl":                    invoiceDesk,
	"GET /invoices/:ref/credit-note":            financeDesk,
	"POST /invoices/:ref/credit-note":           financeDesk,
	"POST /customers/:id/invoice-now":           financeDesk,
	"GET /payments":                             invoiceDesk,
	"POST /payments":                            financeDesk,
	"GET /payments/:id":                         invoiceDesk,
	"POST /payments/:id/allocate":               financeDesk,
	"POST /allocations/:id/undo":                financeDesk,
	"POST /invoices/:ref/set-off":               financeDesk,
	"GET /api/v1/payments":                      invoiceViews,
	"GET /api/v1/payments/:id":                  invoiceViews,
	"POST /api/v1/payments":                     financeDesk,
	"GET /portal/invoices":                      customerRole,
	"GET /portal/invoices/:ref":                 customerRole,
	"GET /portal/invoices/:ref/pdf":             customerRole,
	"GET /portal/invoices/:ref/xlsx":            customerRole,
	"GET /portal/invoices/:ref/ubl":             customerRole,
	"GET /api/v1/invoices":                      invoiceViews,
	"GET /api/v1/invoices/:number":              invoiceViews,
	"GET /api/v1/invoices/:number/pdf":          invoiceViews,
	"GET /api/v1/invoices/:number/xlsx":         invoiceViews,
	"GET /api/v1/invoices/:number/ubl":          invoiceViews,
	"GET /api/v1/credit-notes":                  invoiceViews,
	"GET /api/v1/credit-notes/:number":          invoiceViews,
	"GET /api/v1/credit-notes/:number/pdf":      invoiceViews,
	"GET /api/v1/credit-notes/:number/xlsx":     invoiceViews,
	"GET /api/v1/credit-notes/:number/ubl":      invoiceViews,
	"GET /api/v1/orders/:id/shipments":          staffAndCustomers,
	"GET /warehouse/ship":                       warehouseDesk,
	"GET /orders/:id/ship":                      warehouseDesk,
	"POST /orders/:id/ship":                     warehouseDesk,
	"GET /orders/:id/packing-list":              warehouseDesk,
	"POST /shipments/:id/delivered":             warehouseDesk,
	"POST /shipments/:id/tracking":              warehouseDesk,
	"GET /reminders":                            invoiceDesk,
	"GET /receivables/aging":                    invoiceDesk,
	"GET /receivables/aging.xlsx":               invoiceDesk,
	"GET /portal/account-statement":             customerRole,
	"POST /admin/settings/reminders":            admins,
	"GET /bank":                                 financeDesk,
	"POST /bank/import":                         financeDesk,
	"POST /bank/entries/:id/match":              financeDesk,
	"POST /bank/entries/:id/ignore":             financeDesk,
	"GET /portal/returns":                       customerRole,
	"GET /portal/returns/new":                   customerRole,
	"POST /portal/returns":                      customerRole,
	"GET /portal/returns/:id":                   customerRole,
	"GET /portal/returns/:id/label.pdf":         customerRole,
	"POST /portal/returns/:id/cancel":           customerRole,
	"GET /api/v1/returns":                       staffAndCustomers,
	"GET /api/v1/returns/shipped-lines":         {admin, am, customer},
	"GET /api/v1/returns/:id":                   staffAndCustomers,
	"POST /api/v1/returns":                      {admin, am, customer},
	"GET /portal/complaints":                    customerRole,
	"GET /portal/complaints/new":                customerRole,
	"POST /portal/complaints":                   customerRole,
	"GET /portal/complaints/:id":                customerRole,
	"POST /portal/complaints/:id/escalate":      customerRole,
	"POST /portal/complaints/:id/documents":     customerRole,
	"GET /portal/complaints/:id/documents/:doc": customerRole,
	"GET /api/v1/complaints":                    {admin, sales, am, users.RoleCustomerService, users.RoleBoard, customer},
	"GET /api/v1/complaints/:id":                {admin, sales, am, users.RoleCustomerService, users.RoleBoard, customer},
	"POST /api/v1/complaints":                   {admin, am, users.RoleCustomerService, customer},
	"GET /complaints.xlsx":                      {admin, sales, am, users.RoleCustomerService, users.RoleBoard},
	"GET /returns":                              staff,
	"GET /returns.xlsx":                         staff,
	"GET /returns/new":                          orderDesk,
	"POST /returns":                             orderDesk,
	"GET /returns/receive":                      warehouseDesk,
	"POST /returns/receive":                     warehouseDesk,
	"GET /returns/quarantine":                   warehouseDesk,
	"GET /returns/:id":                          staff,
	"POST /returns/:id/approve":                 orderDesk,
	"POST /returns/:id/reject":                  orderDesk,
	"POST /returns/:id/cancel":                  orderDesk,
	"POST /returns/:id/test":                    warehouseDesk,
	"POST /returns/:id/settle":                  orderDesk,
	"POST /returns/:id/send-back":               warehouseDesk,
	"GET /returns/:id/label.pdf":                staff,
	"POST /admin/settings/returns":              admins,
	"GET /complaints":                           complaintDesk,
	"GET /complaints/new":                       complaintWork,
	"POST /complaints":                          complaintWork,
	"GET /complaints/:id":                       complaintDesk,
	"POST /complaints/:id/acknowledge":          complaintWork,
	"POST /complaints/:id/progress":             complaintWork,
	"POST /complaints/:id/assign":               serviceDesk,
	"POST /complaints/:id/notes":                complaintDesk,
	"POST /complaints/:id/resolve":              complaintWork,
	"POST /complaints/:id/board-answer":         boardDesk,
	"POST /complaints/:id/documents":            complaintDesk,
	"GET /complaints/:id/documents/:doc":        complaintDesk,
	"GET /api/v1/openapi.json":                  public,
	"GET /api/docs":                             public,
	"GET /api/v1/me":                            all,
	"GET /api/v1/users":                         admins,
	"GET /api/v1/audit":                         admins,
}

func registeredRoutes(a *testApp) []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range a.srv.App.GetRoutes(true) {
		if r.Method == http.MethodHead || r.Method == "USE" {
			continue
		}
		k := r.Method + " " + r.Path
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func TestEveryRouteHasAnAccessRule(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	routes := registeredRoutes(a)
	registered := map[string]bool{}
	for _, r := range routes {
		registered[r] = true
		if _, ok := access[r]; !ok {
			t.Errorf("route %s is not in the access table of routes_test.go", r)
		}
	}
	for r := range access {
		if !registered[r] {
			t.Errorf("access table lists %s, which is not registered", r)
		}
	}
	// The rules the server enforces are the rules of the table.
	for _, rr := range a.srv.Routes() {
		k := rr.Method + " " + rr.Path
		want := access[k]
		if rr.Public != (len(want) == 1 && want[0] == "public") {
			t.Errorf("%s: public = %v, table says %v", k, rr.Public, want)
		}
		if !rr.Public && roleSet(rr.Roles) != roleSet(want) {
			t.Errorf("%s: server allows %v, table says %v", k, rr.Roles, want)
		}
	}
}

func roleSet(roles []users.Role) string {
	var s []string
	for _, r := range roles {
		s = append(s, string(r))
	}
	sort.Strings(s)
	return strings.Join(s, ",")
}

func allowed(roles []users.Role, role users.Role) bool {
	for _, r := range roles {
		if r == role || r == "public" {
			return true
		}
	}
	return false
}

// TestRouteRoleMatrix calls every route as nobody and as every role, and
// checks that the server lets in exactly whom the table names.
func TestRouteRoleMatrix(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	clients := map[users.Role]*client{}
	apiClients := map[users.Role]*client{}
	for _, role := range users.Roles {
		clients[role] = a.as(role)
		u, err := a.users.Login(ctx, loginOf(role).Email, loginOf(role).Password)
		if err != nil {
			t.Fatal(err)
		}
		plain, _, err := a.users.CreateToken(ctx, u.ID, "matrix")
		if err != nil {
			t.Fatal(err)
		}
		apiClients[role] = &client{t: t, app: a, cookies: map[string]string{}, bearer: plain}
	}
	for _, route := range registeredRoutes(a) {
		method, path, _ := strings.Cut(route, " ")
		concrete := strings.NewReplacer(":id", "999999", ":token", "nosuchtoken", ":line", "999999").Replace(path)
		isAPI := strings.HasPrefix(path, "/api/")
		roles := access[route]

		// Nobody logged in.
		anon := a.client()
		resp, _ := send(anon, method, concrete)
		if route == "GET /metrics" { // app.Test comes from 0.0.0.0, not from this machine, and has no METRICS_TOKEN
			for _, c := range []*client{anon, clients[admin], clients[customer]} {
				if resp, _ := send(c, method, concrete); resp.StatusCode != http.StatusForbidden {
					t.Errorf("%s from another machine: %d, want 403", route, resp.StatusCode)
				}
			}
			continue
		}
		if allowed(roles, "") {
			if resp.StatusCode == 401 || resp.StatusCode == 403 {
				t.Errorf("%s as nobody: %d, want it open", route, resp.StatusCode)
			}
		} else if method == http.MethodGet && !isAPI {
			if resp.StatusCode != http.StatusFound || !strings.HasPrefix(resp.Header.Get("Location"), "/login?next=") {
				t.Errorf("%s as nobody: %d %s, want a redirect to the login", route, resp.StatusCode, resp.Header.Get("Location"))
			}
		} else if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s as nobody: %d, want 401", route, resp.StatusCode)
		}

		for _, role := range users.Roles {
			c := clients[role]
			if isAPI {
				c = apiClients[role]
			}
			if route == "POST /logout" {
				c = a.as(role) // it ends the session; keep the shared one alive
			}
			resp, _ := send(c, method, concrete)
			got := resp.StatusCode
			loc := resp.Header.Get("Location")
			if allowed(roles, role) {
				if got == 401 || got == 403 || strings.HasPrefix(loc, "/login?next=") {
					t.Errorf("%s as %s: %d %s, want it allowed", route, role, got, loc)
				}
			} else if got != http.StatusForbidden {
				t.Errorf("%s as %s: %d, want 403", route, role, got)
			}
		}
	}
}

func send(c *client, method, path string) (*http.Response, string) {
	if method == http.MethodPost {
		return c.post(path, url.Values{})
	}
	return c.do(method, path, nil, "")
}

func TestOpenAPIDescribesEveryAPIRoute(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	_, body := a.client().get("/api/v1/openapi.json")
	var spec struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal([]byte(body), &spec); err != nil {
		t.Fatal(err)
	}
	described := map[string]bool{}
	for p, ops := range spec.Paths {
		for m, op := range ops {
			var o struct{ Summary string }
			json.Unmarshal(op, &o)
			if o.Summary == "" {
				t.Errorf("%s %s has no summary", m, p)
			}
			described[strings.ToUpper(m)+" /api/v1"+strings.NewReplacer("{", ":", "}", "").Replace(p)] = true
		}
	}
	for _, r := range registeredRoutes(a) {
		if strings.HasPrefix(r, "GET /api/v1/") || strings.HasPrefix(r, "POST /api/v1/") || strings.HasPrefix(r, "PUT /api/v1/") ||
			strings.HasPrefix(r, "PATCH /api/v1/") || strings.HasPrefix(r, "DELETE /api/v1/") {
			if !described[r] {
				t.Errorf("%s is not in openapi.json", r)
			}
			delete(described, r)
		}
	}
	for r := range described {
		t.Errorf("openapi.json describes %s, which is not registered", r)
	}
	if spec.OpenAPI == "" {
		t.Fatal("no openapi version")
	}
}
