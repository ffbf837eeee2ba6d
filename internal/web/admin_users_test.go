package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"wholesale/internal/users"
)

// TestDeactivationEndsAPITokensForGood: the admin deactivates a user whose
// ERP holds an API token, and reactivates the user later; the token stays
// refused, on plain and on keyed requests.
func TestDeactivationEndsAPITokensForGood(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	api := a.apiClient(t, users.RoleAccountManager)
	admin := a.as(users.RoleAdmin)
	me, err := a.users.Authenticate(context.Background(), api.bearer)
	if err != nil {
		t.Fatal(err)
	}
	resp, _ := api.get("/api/v1/me")
	wantStatus(t, resp, http.StatusOK)

	resp, _ = admin.post(fmt.Sprintf("/admin/users/%d/deactivate", me.ID), url.Values{})
	wantStatus(t, resp, http.StatusFound)
	resp, _ = api.get("/api/v1/me")
	wantStatus(t, resp, http.StatusUnauthorized)

	resp, _ = admin.post(fmt.Sprintf("/admin/users/%d/activate", me.ID), url.Values{})
	wantStatus(t, resp, http.StatusFound)
	resp, _ = api.get("/api/v1/me")
	wantStatus(t, resp, http.StatusUnauthorized)
	resp, _ = api.postJSON("/api/v1/orders", "after-reactivation", map[string]any{"company_id": 1})
	wantStatus(t, resp, http.StatusUnauthorized)
	// The user is back: logging in works, and a new token does.
	a.as(users.RoleAccountManager)
	fresh := a.apiClient(t, users.RoleAccountManager)
	resp, _ = fresh.get("/api/v1/me")
	wantStatus(t, resp, http.StatusOK)
}
