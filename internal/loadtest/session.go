package loadtest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"time"

	"wholesale/internal/users"
)

// Login is a user the page bench logs in as, through the login form.
type Login struct {
	Role     users.Role
	Email    string
	Password string
}

// ScalePassword is the password of every user `wholesale seed-scale` makes.
const ScalePassword = "scale-pass-2026"

// ScaleLogins are the users `wholesale seed-scale` makes, one per role; the
// customer user belongs to the busiest customer.
func ScaleLogins(password string) []Login {
	return []Login{
		{users.RoleAdmin, "admin@scale.test", password},
		{users.RoleSales, "sales@scale.test", password},
		{users.RoleAccountManager, "am@scale.test", password},
		{users.RoleWarehouse, "warehouse@scale.test", password},
		{users.RoleFinance, "finance@scale.test", password},
		{users.RoleCustomerService, "service@scale.test", password},
		{users.RoleBoard, "board@scale.test", password},
		{users.RoleCustomer, "buyer@scale.test", password},
	}
}

// csrfField is the hidden field of every form that carries the CSRF token.
var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// csrfToken returns the token of the first form of an HTML page.
func csrfToken(page []byte) (string, error) {
	m := csrfField.FindSubmatch(page)
	if m == nil {
		return "", fmt.Errorf("no _csrf field in the page")
	}
	return string(m[1]), nil
}

// newClient is a browser of one user: its own cookies, at most conns
// connections, and redirects not followed, so that a page that sends the
// browser to the login counts as failed rather than as the login page.
func newClient(conns int) *http.Client {
	jar, _ := cookiejar.New(nil) // never fails without options
	return &http.Client{
		Jar:           jar,
		Timeout:       60 * time.Second,
		Transport:     &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// logIn logs l in through the login page as a browser does: it reads the
// form's CSRF token (its cookie lands in the client's jar) and posts the
// form; the server answers with a redirect and the session cookie.
func logIn(ctx context.Context, client *http.Client, base string, l Login) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/login", nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	page, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("log in as %s: GET /login answered %d", l.Email, resp.StatusCode)
	}
	token, err := csrfToken(page)
	if err != nil {
		return fmt.Errorf("log in as %s: %w", l.Email, err)
	}
	form := url.Values{"_csrf": {token}, "email": {l.Email}, "password": {l.Password}, "next": {""}}
	req, err = http.NewRequestWithContext(ctx, http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if resp, err = client.Do(req); err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound && resp.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("log in as %s (%s): POST /login answered %d, not a redirect: wrong address or password, or too many logins from this address (LOGIN_RATE_LIMIT)",
			l.Email, l.Role, resp.StatusCode)
	}
	return nil
}
