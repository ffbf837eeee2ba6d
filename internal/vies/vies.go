// Package vies asks the EU's VIES service whether a VAT id is valid, over
// its REST interface (GET {base}/ms/{country}/vat/{number}).
package vies

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"wholesale/internal/customers"
)

// DefaultURL is the EU's VIES REST service.
const DefaultURL = "https://ec.europa.eu/taxation_customs/vies/rest-api"

// Client talks to VIES at BaseURL.
type Client struct {
	BaseURL string
	HTTP    *http.Client
}

// New returns a client for the VIES service at baseURL.
func New(baseURL string) *Client {
	return &Client{BaseURL: strings.TrimRight(baseURL, "/"), HTTP: &http.Client{Timeout: 15 * time.Second}}
}

type response struct {
	IsValid   bool   `json:"isValid"`
	UserError string `json:"userError"`
	Name      string `json:"name"`
	Address   string `json:"address"`
}

// Check asks VIES about vatID (e.g. NL004495445B01). It returns an error
// when VIES cannot answer: down, busy, or the member state's service unavailable.
func (c *Client) Check(ctx context.Context, vatID string) (customers.VIESAnswer, error) {
	if len(vatID) < 3 {
		return customers.VIESAnswer{}, fmt.Errorf("vies: VAT id too short")
	}
	u := fmt.Sprintf("%s/ms/%s/vat/%s", c.BaseURL, url.PathEscape(vatID[:2]), url.PathEscape(vatID[2:]))
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return customers.VIESAnswer{}, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return customers.VIESAnswer{}, fmt.Errorf("vies: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return customers.VIESAnswer{}, fmt.Errorf("vies: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return customers.VIESAnswer{}, fmt.Errorf("vies: HTTP %d", resp.StatusCode)
	}
	var r response
	if err := json.Unmarshal(body, &r); err != nil {
		return customers.VIESAnswer{}, fmt.Errorf("vies: unreadable answer: %w", err)
	}
	switch r.UserError {
	case "VALID", "INVALID", "":
	default:
		return customers.VIESAnswer{}, fmt.Errorf("vies: %s", r.UserError)
	}
	clean := func(s string) string {
		if strings.Trim(s, "- ") == "" {
			return ""
		}
		return strings.TrimSpace(s)
	}
	return customers.VIESAnswer{Valid: r.IsValid, Name: clean(r.Name), Address: clean(r.Address)}, nil
}
