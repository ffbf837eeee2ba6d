package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os/exec"
	"sort"
	"strings"
	"testing"

	"github.com/uptrace/bun"
	"github.com/xuri/excelize/v2"

	"wholesale/internal/audit"
	"wholesale/internal/clock"
	"wholesale/internal/invoicing"
	"wholesale/internal/orders"
	"wholesale/internal/payments"
	"wholesale/internal/pdf"
	"wholesale/internal/shipping"
	"wholesale/internal/ubl"
	"wholesale/internal/users"
	"wholesale/internal/xlsx"
)

// documentText is the text of a downloaded document: a PDF as pdftotext
// reads it (Debian's poppler-utils, which `make tools` installs), a
// workbook as its cells, sheet after sheet, row after row.
func documentText(t *testing.T, format string, content []byte) string {
	t.Helper()
	if format == "pdf" {
		cmd := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", "-", "-")
		cmd.Stdin = bytes.NewReader(content)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		return strings.Join(strings.Fields(string(out)), " ")
	}
	f, err := excelize.OpenReader(bytes.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cells []string
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			cells = append(cells, strings.Join(r, " | "))
		}
	}
	return strings.Join(cells, "\n")
}

// invoicingFor is the invoicing service of a test app.
func invoicingFor(db *bun.DB, clk clock.Clock) *invoicing.Service {
	return &invoicing.Service{DB: db, Clock: clk, Calendar: invoicing.LoadCalendar, Workers: 2,
		Writers: invoicing.Writers{PDF: pdf.WriteInvoice, XLSX: xlsx.WriteInvoice, UBL: ubl.Write}}
}

// sellerDetails fills in the wholesaler's details an invoice needs.
func (a *testApp) sellerDetails(t *testing.T) {
	t.Helper()
	if _, err := a.db.NewRaw(`UPDATE settings SET name = 'Groothandel BV', street = 'Havenweg 1', postcode = '3011 AA', city = 'Rotterdam',
		country = 'NL', vat_id = 'NL123456782B01', kvk = '12345678', iban = 'NL91ABNA0417164300'`).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// user is the demo user of role, for setting up through the use cases.
func (a *testApp) user(t *testing.T, role users.Role) (context.Context, *users.User) {
	t.Helper()
	u, err := a.users.Login(context.Background(), loginOf(role).Email, loginOf(role).Password)
	if err != nil {
		t.Fatal(err)
	}
	return audit.WithActor(context.Background(), audit.Actor{UserID: u.ID, Label: u.Email}), u
}

// releasedOrder places an order of the demo customer with shipping costs
// of 14,95 and records its written confirmation, as the account manager
// does: it is released to the warehouse.
func (a *testApp) releasedOrder(t *testing.T, po string, lines ...orders.LineInput) *orders.Order {
	t.Helper()
	ctx, am := a.user(t, users.RoleAccountManager)
	svc := &orders.Service{DB: a.db, Clock: a.clk}
	o, err := svc.CreateAndPlace(ctx, am, orders.Input{CompanyID: a.companyID(t, "Bakkerij Jansen B.V."), POReference: po, Lines: lines,
		Shipping: "14,95", ShippingMethod: "UPS"})
	if err != nil {
		t.Fatal(err)
	}
	if o, err = svc.ConfirmWritten(ctx, am, o.ID, orders.WrittenConfirmation{Note: "mail of Joris", ReceivedOn: "2026-11-24"}); err != nil {
		t.Fatal(err)
	}
	if o.Status != orders.StatusReleased {
		t.Fatalf("order %s is %s, not released", po, o.Status)
	}
	return o
}

// ship ships the whole of order id by UPS as the warehouse does, which
// puts it on the customer's draft invoice of the business day (today,
// before 17:00). It returns the draft's ref.
func (a *testApp) ship(t *testing.T, id int64) string {
	t.Helper()
	ctx, wh := a.user(t, users.RoleWarehouse)
	in := shipping.Input{OrderID: id, Carrier: shipping.CarrierUPS, TrackingNumber: "1Z999AA10123456784"}
	if err := a.db.NewRaw(`SELECT id AS order_line_id, quantity - shipped AS quantity FROM order_lines WHERE order_id = ? AND NOT cancelled ORDER BY line_no`, id).
		Scan(ctx, &in.Lines); err != nil {
		t.Fatal(err)
	}
	sh, err := (&shipping.Service{DB: a.db, Clock: a.clk, BusinessDay: invoicing.BusinessDay}).Ship(ctx, wh, in)
	if err != nil {
		t.Fatal(err)
	}
	var draft int64
	if err := a.db.NewRaw(`SELECT DISTINCT invoice_id FROM invoice_lines WHERE shipment_id = ?`, sh.ID).Scan(ctx, &draft); err != nil {
		t.Fatal(err)
	}
	return invoicing.DraftRef(draft)
}

// invoiceNow issues the demo customer's drafts through its page, as
// finance does, and returns the numbers issued.
func (a *testApp) invoiceNow(t *testing.T) []string {
	t.Helper()
	issued := func() map[string]bool {
		var list []string
		a.db.NewRaw("SELECT number FROM invoices WHERE number IS NOT NULL").Scan(context.Background(), &list)
		out := map[string]bool{}
		for _, n := range list {
			out[n] = true
		}
		return out
	}
	before := issued()
	resp, body := a.as(users.RoleFinance).post(fmt.Sprintf("/customers/%d/invoice-now", a.companyID(t, "Bakkerij Jansen B.V.")), url.Values{})
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("invoice now: %d %s", resp.StatusCode, doc(t, body).Find("main").Text())
	}
	var numbers []string
	for n := range issued() {
		if !before[n] {
			numbers = append(numbers, n)
		}
	}
	sort.Strings(numbers)
	return numbers
}

// addInvoices gives the walk an order shipped and invoiced early by
// finance, a credit note of one piece of its first line, and a draft of a
// second order shipped today.
func (f *pageFixture) addInvoices(t *testing.T, a *testApp) {
	t.Helper()
	a.sellerDetails(t)
	f.invoiced = a.releasedOrder(t, "BJ-WALK-INVOICED", orders.LineInput{SKU: "KR-F3090", Quantity: 2}, orders.LineInput{SKU: "KR-XS5300", Quantity: 3}).ID
	a.ship(t, f.invoiced)
	numbers := a.invoiceNow(t)
	if len(numbers) != 1 {
		t.Fatalf("invoice now issued %v", numbers)
	}
	f.invoice = numbers[0]
	ctx, fin := a.user(t, users.RoleFinance)
	cn, err := invoicingFor(a.db, a.clk).CreditNote(ctx, fin, invoicing.CreditNoteInput{Invoice: f.invoice, Quantities: map[int]int{1: 1},
		Reason: "One arrived broken."})
	if err != nil {
		t.Fatal(err)
	}
	f.creditNote = cn.NumberOr()
	pay, err := (&payments.Service{DB: a.db, Clock: a.clk}).Register(ctx, fin, payments.RegisterInput{CompanyID: f.customer, Amount: "25,00",
		ReceivedOn: "2026-11-24", Reference: f.invoice})
	if err != nil {
		t.Fatal(err)
	}
	f.payment = pay.ID
	f.draftInvoice = a.ship(t, a.releasedOrder(t, "BJ-WALK-DRAFT", orders.LineInput{SKU: "KR-F3090", Quantity: 1}).ID)
}
