package loadtest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"wholesale/internal/clock"
)

// The steps of the cycle, in order.
const (
	stepOrder = iota
	stepConfirm
	stepDisplay
	stepShip
	stepList
	stepInvoice
	stepCount
)

// StepNames name the steps of the cycle, beside the SAP transaction each
// stands for.
var StepNames = [stepCount]string{"order (VA01)", "confirm", "display (VA03)", "ship (VL01N+VL02N)", "list (VA05)", "invoice (VF01)"}

// o2cListSize is how many orders the list step shows, as SAP's VA05 step.
const o2cListSize = 40

// o2cLines is how many lines an order of the cycle has.
const o2cLines = 5

// cycleLine is a line of a cycle's order as entered.
type cycleLine struct {
	SKU       string
	ProductID int64
	Quantity  int
}

// cycleRecord is what one cycle did, for the verification, and how long
// its steps and their dialog steps took.
type cycleRecord struct {
	User      int
	CompanyID int64
	PO        string
	OrderID   int64
	Lines     []cycleLine
	Tracking  string
	Invoice   string
	Steps     [stepCount]time.Duration
	Dialogs   []time.Duration
}

// session is a bench user logged in: a browser each for its account
// manager, its warehouse clerk and its finance clerk.
type session struct {
	u                      *benchUser
	am, warehouse, finance *browser
	orders                 map[int64]int // orders of each customer so far
	done                   int           // cycles run
}

// browser requests pages as one person: its cookies, redirects followed
// by hand (a form's answer and the page it leads to are one dialog step).
type browser struct {
	client *http.Client
	base   string
	who    string
}

// page GETs path and returns the page, which must answer 200 and be the
// page of a logged-in user.
func (b *browser) page(ctx context.Context, path string) ([]byte, error) {
	resp, body, err := b.do(ctx, http.MethodGet, path, nil, "")
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s as %s: HTTP %d", path, b.who, resp.StatusCode)
	}
	if !bytes.Contains(body, loggedIn) {
		return nil, fmt.Errorf("GET %s as %s: not the page of a logged-in user", path, b.who)
	}
	return body, nil
}

// submit posts a form (multipart when files is true, as a form with a
// file field is sent) and follows the redirect the app answers a form it
// took with; it returns the page it leads to and its address. Any other
// answer fails, with the field errors the form shows.
func (b *browser) submit(ctx context.Context, path string, form url.Values, multi bool) ([]byte, string, error) {
	var body io.Reader
	ctype := "application/x-www-form-urlencoded"
	if multi {
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		for k, vs := range form {
			for _, v := range vs {
				w.WriteField(k, v)
			}
		}
		w.Close()
		body, ctype = &buf, w.FormDataContentType()
	} else {
		body = strings.NewReader(form.Encode())
	}
	resp, page, err := b.do(ctx, http.MethodPost, path, body, ctype)
	if err != nil {
		return nil, "", err
	}
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound && resp.StatusCode != http.StatusSeeOther || loc == "" {
		return nil, "", fmt.Errorf("POST %s as %s: HTTP %d, not a redirect%s", path, b.who, resp.StatusCode, fieldErrors(page))
	}
	next, err := b.page(ctx, loc)
	return next, loc, err
}

func (b *browser) do(ctx context.Context, method, path string, body io.Reader, ctype string) (*http.Response, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, b.base+path, body)
	if err != nil {
		return nil, nil, err
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := b.client.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s as %s: %w", method, path, b.who, err)
	}
	page, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, page, err
}

var fieldError = regexp.MustCompile(`class="field-error"[^>]*>([^<]*)<`)

// fieldErrors are the messages at the fields of a form shown again.
func fieldErrors(page []byte) string {
	var out []string
	for _, m := range fieldError.FindAllSubmatch(page, 5) {
		out = append(out, string(m[1]))
	}
	if len(out) == 0 {
		return ""
	}
	return ": " + strings.Join(out, "; ")
}

var (
	placedOrder = regexp.MustCompile(`^/orders/(\d+)$`)
	shipField   = regexp.MustCompile(`name="(qty_\d+)" value="(\d+)"`)
	listedOrder = regexp.MustCompile(`<td><a href="/orders/(\d+)">`)
	issuedFlash = regexp.MustCompile(`and mailed: ([0-9A-Z, -]+)\.`)
)

// cycle runs one cycle of session s, its kth, as the person at each desk
// would, timing each dialog step and waiting think between them. seq
// makes its PO reference unique.
func (r *o2cRun) cycle(ctx context.Context, s *session, k, seq int) (*cycleRecord, error) {
	u := s.u
	c := u.Customers[k%len(u.Customers)]
	rec := &cycleRecord{User: u.No, CompanyID: c.ID, PO: fmt.Sprintf("O2C-%s-%d-%d", r.o.Tag, u.No, seq)}
	for i := 0; i < o2cLines; i++ {
		sku := u.SKUs[(k*o2cLines+i)%len(u.SKUs)]
		rec.Lines = append(rec.Lines, cycleLine{SKU: sku, ProductID: u.ProductIDs[sku], Quantity: 1 + (k+i)%5})
	}
	step := stepOrder
	dialog := func(fn func() error) error {
		t0 := time.Now()
		err := fn()
		d := time.Since(t0)
		rec.Steps[step] += d
		rec.Dialogs = append(rec.Dialogs, d)
		if err == nil && r.o.Think > 0 {
			select {
			case <-ctx.Done():
			case <-time.After(r.o.Think):
			}
		}
		return err
	}
	fail := func(err error) (*cycleRecord, error) {
		return rec, fmt.Errorf("user %d, cycle %d, %s: %w", u.No, k+1, StepNames[step], err)
	}

	// order: the new-order form, the check of the five lines, the order placed.
	var page []byte
	var err error
	if err := dialog(func() error {
		page, err = s.am.page(ctx, fmt.Sprintf("/orders/new?customer=%d", c.ID))
		if err == nil && !bytes.Contains(page, []byte(fmt.Sprintf(`value="%d" selected`, c.ID))) {
			err = fmt.Errorf("the new-order form has not the customer %d chosen", c.ID)
		}
		return err
	}); err != nil {
		return fail(err)
	}
	form := url.Values{"company_id": {strconv.FormatInt(c.ID, 10)}, "po_reference": {rec.PO}, "address": {"visiting"},
		"shipping_method": {"UPS"}, "shipping": {"9.95"}, "note": {""}}
	for i, l := range rec.Lines {
		form.Set("sku_"+strconv.Itoa(i), l.SKU)
		form.Set("qty_"+strconv.Itoa(i), strconv.Itoa(l.Quantity))
	}
	if err := dialog(func() error {
		token, err := csrfToken(page)
		if err != nil {
			return err
		}
		form.Set("_csrf", token)
		form.Set("action", "check")
		resp, checked, err := s.am.do(ctx, http.MethodPost, "/orders", strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
		switch {
		case err != nil:
			return err
		case resp.StatusCode != http.StatusOK:
			return fmt.Errorf("checking the lines: HTTP %d%s", resp.StatusCode, fieldErrors(checked))
		case bytes.Contains(checked, []byte(`class="field-error"`)):
			return fmt.Errorf("checking the lines%s", fieldErrors(checked))
		case bytes.Count(checked, []byte(">In stock<")) < o2cLines:
			return fmt.Errorf("the check does not show the %d lines in stock", o2cLines)
		}
		page = checked
		return nil
	}); err != nil {
		return fail(err)
	}
	if err := dialog(func() error {
		form.Set("action", "place")
		shown, loc, err := s.am.submit(ctx, "/orders", form, false)
		if err != nil {
			return err
		}
		m := placedOrder.FindStringSubmatch(loc)
		if m == nil || !bytes.Contains(shown, []byte(rec.PO)) {
			return fmt.Errorf("placing led to %s, not the new order's page", loc)
		}
		rec.OrderID, _ = strconv.ParseInt(m[1], 10, 64)
		page = shown
		return nil
	}); err != nil {
		return fail(err)
	}
	s.orders[c.ID]++
	orderPath := "/orders/" + strconv.FormatInt(rec.OrderID, 10)

	// confirm: the written confirmation, from the order's page.
	step = stepConfirm
	if err := dialog(func() error {
		token, err := csrfToken(page)
		if err != nil {
			return err
		}
		today := clock.System{}.Now().In(clock.Amsterdam).Format(time.DateOnly)
		shown, _, err := s.am.submit(ctx, orderPath+"/confirm-written", url.Values{"_csrf": {token}, "note": {"mail of the bench buyer"},
			"received_on": {today}}, true)
		if err == nil && !bytes.Contains(shown, []byte("The written confirmation is recorded.")) {
			err = fmt.Errorf("the order page does not say the confirmation is recorded")
		}
		return err
	}); err != nil {
		return fail(err)
	}

	// display: the order's page.
	step = stepDisplay
	if err := dialog(func() error {
		shown, err := s.am.page(ctx, orderPath)
		if err == nil && !bytes.Contains(shown, []byte(rec.PO)) {
			err = fmt.Errorf("the order page lacks its PO reference %s", rec.PO)
		}
		return err
	}); err != nil {
		return fail(err)
	}

	// ship: the shipping page, then all five lines shipped with a tracking number.
	step = stepShip
	if err := dialog(func() error {
		page, err = s.warehouse.page(ctx, orderPath+"/ship")
		return err
	}); err != nil {
		return fail(err)
	}
	rec.Tracking = fmt.Sprintf("1ZBN%04d%010d", u.No%10000, seq)
	if err := dialog(func() error {
		token, err := csrfToken(page)
		if err != nil {
			return err
		}
		ship := url.Values{"_csrf": {token}, "carrier": {"UPS"}, "tracking_number": {rec.Tracking}}
		want, ready := 0, 0
		for _, l := range rec.Lines {
			want += l.Quantity
		}
		fields := shipField.FindAllSubmatch(page, -1)
		for _, f := range fields {
			n, _ := strconv.Atoi(string(f[2]))
			ready += n
			ship.Set(string(f[1]), string(f[2]))
		}
		if len(fields) != o2cLines || ready != want {
			return fmt.Errorf("the shipping page offers %d lines with %d pieces ready, not %d with %d", len(fields), ready, o2cLines, want)
		}
		shown, _, err := s.warehouse.submit(ctx, orderPath+"/ship", ship, false)
		if err == nil && !bytes.Contains(shown, []byte(rec.Tracking)) {
			err = fmt.Errorf("the order page lacks the tracking number %s", rec.Tracking)
		}
		return err
	}); err != nil {
		return fail(err)
	}

	// list: the customer's orders, 40 of them.
	step = stepList
	if err := dialog(func() error {
		shown, err := s.am.page(ctx, fmt.Sprintf("/orders?customer=%d&limit=%d", c.ID, o2cListSize))
		if err != nil {
			return err
		}
		listed := listedOrder.FindAllSubmatch(shown, -1)
		if want := min(o2cListSize, s.orders[c.ID]); len(listed) != want || string(listed[0][1]) != strconv.FormatInt(rec.OrderID, 10) {
			return fmt.Errorf("the list shows %d orders, want %d with order %d first", len(listed), want, rec.OrderID)
		}
		return nil
	}); err != nil {
		return fail(err)
	}

	// invoice: the customer's page, then its draft invoice issued now.
	step = stepInvoice
	customerPath := "/customers/" + strconv.FormatInt(c.ID, 10)
	if err := dialog(func() error {
		page, err = s.finance.page(ctx, customerPath)
		if err == nil && !bytes.Contains(page, []byte(`action="`+customerPath+`/invoice-now"`)) {
			err = fmt.Errorf("the customer page lacks the Invoice now button")
		}
		return err
	}); err != nil {
		return fail(err)
	}
	if err := dialog(func() error {
		token, err := csrfToken(page)
		if err != nil {
			return err
		}
		shown, _, err := s.finance.submit(ctx, customerPath+"/invoice-now", url.Values{"_csrf": {token}}, false)
		if err != nil {
			return err
		}
		m := issuedFlash.FindSubmatch(shown)
		if m == nil || strings.Contains(string(m[1]), ",") {
			return fmt.Errorf("the customer page does not say one invoice was issued")
		}
		rec.Invoice = string(m[1])
		return nil
	}); err != nil {
		return fail(err)
	}
	return rec, nil
}
