package web_test

import (
	"bytes"
	"context"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/xuri/excelize/v2"

	"wholesale/internal/clock"
	"wholesale/internal/money"
	"wholesale/internal/orders"
	"wholesale/internal/receivables"
	"wholesale/internal/users"
)

// receivablesFixture is the demo data with an invoice of Bakkerij Jansen
// issued today (2026-11-24), the clock moved to 7 days past its due date
// and the reminders run: it has its first reminder.
type receivablesFixture struct {
	a       *testApp
	invoice string
	open    int64
	// foreign is an issued invoice of another company.
	foreign string
	jansen  int64
}

func newReceivablesFixture(t *testing.T) *receivablesFixture {
	t.Helper()
	a := newApp(t)
	a.sellerDetails(t)
	f := &receivablesFixture{a: a, jansen: a.companyID(t, "Bakkerij Jansen B.V.")}
	o := a.releasedOrder(t, "BJ-RECV-1", orders.LineInput{SKU: "KR-F3090", Quantity: 2})
	a.ship(t, o.ID)
	numbers := a.invoiceNow(t)
	if len(numbers) != 1 {
		t.Fatalf("invoice now: %v", numbers)
	}
	f.invoice = numbers[0]
	ctx := context.Background()
	var due time.Time
	if err := a.db.NewRaw(`SELECT due_date, total_incl_cents - paid_cents FROM invoices WHERE number = ?`, f.invoice).Scan(ctx, &due, &f.open); err != nil {
		t.Fatal(err)
	}
	a.db.NewRaw(`SELECT number FROM invoices WHERE state = 'issued' AND company_id <> ? ORDER BY id LIMIT 1`, f.jansen).Scan(ctx, &f.foreign)
	if f.foreign == "" {
		t.Fatal("the demo data has no issued invoice of another customer")
	}
	a.clk.Set(time.Date(due.Year(), due.Month(), due.Day()+7, 9, 0, 0, 0, clock.Amsterdam))
	if _, err := (&receivables.Service{DB: a.db, Clock: a.clk}).Run(ctx); err != nil {
		t.Fatal(err)
	}
	return f
}

// agingOracle is the aging of the database's open items computed apart:
// per company name, the five buckets, and the unallocated payments.
func (f *receivablesFixture) agingOracle(t *testing.T) (map[string][5]int64, [5]int64) {
	t.Helper()
	today := receivables.Today(f.a.clk.Now()).Format(time.DateOnly)
	var rows []struct {
		Name   string `bun:"name"`
		Bucket int    `bun:"bucket"`
		Open   int64  `bun:"open"`
	}
	err := f.a.db.NewRaw(`SELECT c.name, CASE WHEN d <= 0 THEN 0 WHEN d <= 30 THEN 1 WHEN d <= 60 THEN 2 WHEN d <= 90 THEN 3 ELSE 4 END AS bucket,
			sum(open) AS open
		FROM (SELECT company_id, ?::date - due_date AS d, total_incl_cents - paid_cents AS open FROM invoices
			WHERE state = 'issued' AND paid_cents <> total_incl_cents) x JOIN companies c ON c.id = x.company_id
		GROUP BY 1, 2`, today).Scan(context.Background(), &rows)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][5]int64{}
	var total [5]int64
	for _, r := range rows {
		b := out[r.Name]
		b[r.Bucket] += r.Open
		out[r.Name] = b
		total[r.Bucket] += r.Open
	}
	return out, total
}

func cellTexts(sel interface{ Text() string }) string {
	return strings.Join(strings.Fields(sel.Text()), " ")
}

func TestReminderListShowsWhatIsOverdueAndWhatWasSent(t *testing.T) {
	t.Parallel()
	f := newReceivablesFixture(t)
	for _, role := range []users.Role{users.RoleAccountManager, users.RoleFinance, users.RoleAdmin} {
		resp, body := f.a.as(role).get("/reminders")
		wantStatus(t, resp, http.StatusOK)
		d := doc(t, body)
		row := d.Find("table.reminders tbody tr").FilterFunction(func(_ int, s *goquery.Selection) bool {
			return strings.Contains(s.Text(), f.invoice)
		})
		if row.Length() != 1 {
			t.Fatalf("%s: %s is not on the reminder list:\n%s", role, f.invoice, cellTexts(d.Find("main")))
		}
		text := cellTexts(row)
		for _, want := range []string{"Bakkerij Jansen B.V.", enAmount(money.Cents(f.open)), "first reminder"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: the row of %s lacks %q: %s", role, f.invoice, want, text)
			}
		}
		if got := cellTexts(row.Find("td.days-overdue")); got != "7" {
			t.Errorf("%s: days overdue %q, want 7", role, got)
		}
		if href, _ := row.Find("a").Attr("href"); href != "/invoices/"+f.invoice {
			t.Errorf("%s: the invoice links to %q", role, href)
		}
		if d.Find("header nav a[href='/reminders']").Length() != 1 || d.Find("header nav a[href='/receivables/aging']").Length() != 1 {
			t.Errorf("%s: no Reminders and Aging in the navigation", role)
		}
	}
	// The account manager's home page counts it.
	_, body := f.a.as(users.RoleAccountManager).get("/")
	if !strings.Contains(cellTexts(doc(t, body).Find("main")), "Overdue invoices of your customers") {
		t.Error("the account manager's home page has no overdue invoices")
	}
	// Newest first works too.
	if resp, body := f.a.as(users.RoleFinance).get("/reminders?sort=newest"); resp.StatusCode != 200 || !strings.Contains(body, f.invoice) {
		t.Errorf("newest first: %d", resp.StatusCode)
	}
}

func TestAgingPageAndWorkbookAgree(t *testing.T) {
	t.Parallel()
	f := newReceivablesFixture(t)
	byName, total := f.agingOracle(t)
	if total[receivables.Days1To30] < f.open {
		t.Fatalf("the oracle misses the invoice: %v", total)
	}
	resp, body := f.a.as(users.RoleFinance).get("/receivables/aging")
	wantStatus(t, resp, http.StatusOK)
	d := doc(t, body)
	rowTexts := func(s *goquery.Selection) []string {
		var out []string
		s.Find("td").Each(func(_ int, td *goquery.Selection) { out = append(out, cellTexts(td)) })
		return out
	}
	for name, buckets := range byName {
		row := d.Find("table.aging tbody tr").FilterFunction(func(_ int, s *goquery.Selection) bool { return cellTexts(s.Find("td").First()) == name })
		if row.Length() != 1 {
			t.Errorf("no row of %s", name)
			continue
		}
		cells := rowTexts(row)
		for i, c := range buckets {
			if cells[1+i] != enAmount(money.Cents(c)) {
				t.Errorf("%s, bucket %d: %s, want %s", name, i, cells[1+i], enAmount(money.Cents(c)))
			}
		}
	}
	foot := rowTexts(d.Find("table.aging tfoot tr"))
	var sum int64
	for i, c := range total {
		sum += c
		if foot[i] != enAmount(money.Cents(c)) {
			t.Errorf("total of bucket %d: %s, want %s", i, foot[i], enAmount(money.Cents(c)))
		}
	}
	if foot[5] != enAmount(money.Cents(sum)) || foot[6] != enAmount(0) || foot[7] != enAmount(money.Cents(sum)) {
		t.Errorf("totals: %v, want open and balance %s", foot, enAmount(money.Cents(sum)))
	}

	// The workbook has the same figures, as numbers.
	resp, xb := f.a.as(users.RoleFinance).get("/receivables/aging.xlsx")
	wantStatus(t, resp, http.StatusOK)
	if ct := resp.Header.Get("Content-Type"); !strings.Contains(ct, "spreadsheetml") {
		t.Fatalf("Content-Type %q", ct)
	}
	xl, err := excelize.OpenReader(bytes.NewReader([]byte(xb)))
	if err != nil {
		t.Fatal(err)
	}
	defer xl.Close()
	sheet := xl.GetSheetList()[0]
	rows, err := xl.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	last := rows[len(rows)-1]
	if last[0] != "Total" || len(rows) != 3+len(byName) {
		t.Fatalf("workbook rows: %v", rows)
	}
	for i, c := range append(total[:], sum, 0, sum) {
		if got := cellCents(t, last[1+i]); got != c {
			t.Errorf("workbook total column %d: %s, want %s", i+2, enAmount(money.Cents(got)), enAmount(money.Cents(c)))
		}
	}

	// An account manager sees their own customers only; a customer's user, sales and the warehouse none.
	var mineCount int
	f.a.db.NewRaw(`SELECT count(DISTINCT c.id) FROM companies c JOIN invoices i ON i.company_id = c.id
		WHERE i.state = 'issued' AND i.paid_cents <> i.total_incl_cents AND c.account_manager_id = (SELECT id FROM users WHERE role = 'account_manager' LIMIT 1)`).
		Scan(context.Background(), &mineCount)
	_, body = f.a.as(users.RoleAccountManager).get("/receivables/aging")
	if got := doc(t, body).Find("table.aging tbody tr[data-customer]").Length(); got != mineCount {
		t.Errorf("the account manager sees %d customers, owns %d with open items", got, mineCount)
	}
	for _, role := range []users.Role{users.RoleCustomer, users.RoleSales, users.RoleWarehouse} {
		if resp, _ := f.a.as(role).get("/receivables/aging.xlsx"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s: aging.xlsx %d", role, resp.StatusCode)
		}
	}
}

// cellCents reads a raw amount cell (a number of euros) as cents.
func cellCents(t *testing.T, s string) int64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("amount cell %q: %v", s, err)
	}
	return int64(math.Round(f * 100))
}

func TestAccountStatementShowsOnlyTheOwnCompany(t *testing.T) {
	t.Parallel()
	f := newReceivablesFixture(t)
	ctx := context.Background()
	var invID int64
	f.a.db.NewRaw(`SELECT id FROM invoices WHERE number = ?`, f.invoice).Scan(ctx, &invID)
	var payment int64
	f.a.db.NewRaw(`INSERT INTO payments (company_id, amount_cents, unallocated_cents, received_on, reference, source, created_at)
		VALUES (?, 10000, 2500, '2026-12-20', 'BJ PART PAYMENT', 'manual', now()) RETURNING id`, f.jansen).Scan(ctx, &payment)
	f.a.db.NewRaw(`INSERT INTO allocations (company_id, payment_id, invoice_id, amount_cents, reason, created_at) VALUES (?, ?, ?, 7500, 'invoice_number', now())`,
		f.jansen, payment, invID).Exec(ctx)
	f.a.db.NewRaw(`UPDATE invoices SET paid_cents = paid_cents + 7500 WHERE id = ?`, invID).Exec(ctx)
	f.a.db.NewRaw(`INSERT INTO payments (company_id, amount_cents, unallocated_cents, received_on, reference, source, created_at)
		SELECT company_id, 4242, 4242, '2026-12-20', 'SOMEONE ELSES PAYMENT', 'manual', now() FROM invoices WHERE number = ?`, f.foreign).Exec(ctx)

	c := f.a.as(users.RoleCustomer)
	resp, body := c.get("/portal/account-statement")
	wantStatus(t, resp, http.StatusOK)
	d := doc(t, body)
	main := cellTexts(d.Find("main"))
	row := d.Find("table.open-items tbody tr").FilterFunction(func(_ int, s *goquery.Selection) bool { return strings.Contains(s.Text(), f.invoice) })
	if row.Length() != 1 {
		t.Fatalf("%s is not among the open items:\n%s", f.invoice, main)
	}
	rowText := cellTexts(row)
	for _, want := range []string{enAmount(money.Cents(f.open - 7500)), "overdue", "first reminder"} {
		if !strings.Contains(rowText, want) {
			t.Errorf("the open item lacks %q: %s", want, rowText)
		}
	}
	if href, _ := row.Find("a").Attr("href"); href != "/portal/invoices/"+url.PathEscape(f.invoice) {
		t.Errorf("the open item links to %q", href)
	}
	for _, want := range []string{"BJ PART PAYMENT", "invoice " + f.invoice + ": " + enAmount(7500), "Credit limit", "Room left"} {
		if !strings.Contains(main, want) {
			t.Errorf("the statement lacks %q:\n%s", want, main)
		}
	}
	if got := cellTexts(d.Find("dd.unallocated")); got != enAmount(2500) {
		t.Errorf("balance of unallocated payments %q, want %s", got, enAmount(2500))
	}
	for _, never := range []string{f.foreign, "SOMEONE ELSES PAYMENT", enAmount(4242)} {
		// A whole number or text, not part of another one (credit note C2026-000002 is not invoice 2026-000002).
		if regexp.MustCompile(`(^|[^0-9A-Za-z])` + regexp.QuoteMeta(never) + `($|[^0-9A-Za-z])`).MatchString(body) {
			t.Errorf("the statement shows another company's %q", never)
		}
	}
	if d.Find("header nav a[href='/portal/account-statement']").Length() != 1 {
		t.Error("no account statement in the customer's navigation")
	}
	// Another company's invoice is not found by its address.
	for _, path := range []string{"/portal/invoices/" + f.foreign, "/portal/invoices/" + f.foreign + "/pdf"} {
		if resp, _ := c.get(path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, resp.StatusCode)
		}
	}
}

func TestReminderSettings(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	admin := a.as(users.RoleAdmin)
	_, body := admin.get("/admin/settings")
	d := doc(t, body)
	if v, _ := d.Find("#reminder_1_days").Attr("value"); v != "7" {
		t.Errorf("first reminder days shown %q, want 7", v)
	}
	resp, _ := admin.post("/admin/settings/reminders", url.Values{"reminder_1_days": {" 10 "}, "reminder_2_days": {"30"}})
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("saving: %d", resp.StatusCode)
	}
	var first, second, audited int
	a.db.NewRaw(`SELECT reminder_1_days, reminder_2_days FROM settings`).Scan(context.Background(), &first, &second)
	a.db.NewRaw(`SELECT count(*) FROM audit_log WHERE entity = 'settings' AND action = 'reminders'`).Scan(context.Background(), &audited)
	if first != 10 || second != 30 || audited != 1 {
		t.Errorf("stored %d and %d, audited %d", first, second, audited)
	}
	if resp, _ := a.as(users.RoleFinance).post("/admin/settings/reminders", url.Values{"reminder_1_days": {"1"}, "reminder_2_days": {"2"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("finance changes the reminder days: %d", resp.StatusCode)
	}
}
