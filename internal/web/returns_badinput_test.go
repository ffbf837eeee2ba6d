package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"wholesale/internal/users"
)

// returnForm is a good return form of one unit of the bad fixture's
// shipped kettles, with one field replaced.
func badReturnForm(field, value string) url.Values {
	v := form("customer", "{customer}", "order", "{retorder}", "line", "{retline}", "quantity", "1", "serials", "SN-1",
		"fault", "Does not switch on.", "doa", "1", "remedy", "replacement")
	v.Set(field, value)
	return v
}

func returnPath(which func(returnFixture) int64, action string) func(*badFixture) string {
	return func(f *badFixture) string { return fmt.Sprintf("/returns/%d/%s", which(f.returns), action) }
}

func requestedReturn(r returnFixture) int64 { return r.requested }
func approvedReturn(r returnFixture) int64  { return r.approved }
func testedReturn(r returnFixture) int64    { return r.tested }

// returnTables are what a refused return form must leave as it was.
var returnTables = []string{"returns", "return_units", "orders", "invoices",
	"SELECT string_agg(concat_ws('|', state, closed_note, COALESCE(ra_number, ''), COALESCE(settlement, ''), settle_note), ',' ORDER BY id) FROM returns",
	"SELECT string_agg(concat_ws('|', result, note, disposition), ',' ORDER BY return_id, unit_no) FROM return_units",
	"SELECT COALESCE(string_agg(year || '/' || last_number, ','), '') FROM return_series"}

var raDays = []string{"SELECT concat_ws('|', ra_arrive_days, updated_at) FROM settings"}

// returnBadCases are the returns pages' entries of the bad input table
// (badinput_test.go). The radio buttons of the forms (line, remedy, good
// units) are checked in TestReturnFormsAnswerAtTheirChoices.
var returnBadCases = []badCase{
	{name: "return: quantity 0", role: users.RoleAccountManager, path: path("/returns"), form: badReturnForm("quantity", "0"), field: "quantity",
		want: "from 1 to 10,000", keep: true, watch: returnTables},
	{name: "return: 2^31 units", role: users.RoleAccountManager, path: path("/returns"), form: badReturnForm("quantity", "2147483648"), field: "quantity",
		want: "at most 1,000,000", keep: true, watch: returnTables},
	{name: "return: negative units", role: users.RoleAccountManager, path: path("/returns"), form: badReturnForm("quantity", "-1"), field: "quantity",
		want: "minus", keep: true, watch: returnTables},
	{name: "return: more than shipped and not in returns yet", role: users.RoleAccountManager, path: path("/returns"), form: badReturnForm("quantity", "2"),
		field: "quantity", want: "At most 1 of this line can still be returned: 5 shipped, 4 in returns already", keep: true, watch: returnTables},
	{name: "return: two serial numbers for one unit", role: users.RoleAccountManager, path: path("/returns"), form: badReturnForm("serials", "SN-1\nSN-2"),
		field: "serials", want: "2 serial numbers for 1 unit:", keep: true, watch: returnTables},
	{name: "return: serial number with NUL", role: users.RoleAccountManager, path: path("/returns"), form: badReturnForm("serials", "SN\x00-1"),
		field: "serials", want: "NUL", watch: returnTables},
	{name: "return: serial number of 101", role: users.RoleAccountManager, path: path("/returns"), form: badReturnForm("serials", strings.Repeat("S", 101)),
		field: "serials", want: "at most 100", keep: true, watch: returnTables},
	{name: "return: no fault", role: users.RoleAccountManager, path: path("/returns"), form: badReturnForm("fault", " "), field: "fault",
		want: "Describe the fault", watch: returnTables},
	{name: "return: fault of 2,001", role: users.RoleAccountManager, path: path("/returns"), form: badReturnForm("fault", long2001), field: "fault",
		want: "at most 2,000", keep: true, watch: returnTables},
	{name: "return: fault with escape", role: users.RoleAdmin, path: path("/returns"), form: badReturnForm("fault", "dead\x1b[2J"), field: "fault",
		want: "control", watch: returnTables},
	{name: "return: no customer", role: users.RoleAccountManager, path: path("/returns"), form: badReturnForm("customer", ""), field: "customer",
		want: "Choose the customer", watch: returnTables},

	{name: "reject return: no reason", role: users.RoleAccountManager, path: returnPath(requestedReturn, "reject"), form: form("reason", " "), field: "reason",
		want: "Say why", scope: "form.reject-form", watch: returnTables},
	{name: "reject return: reason with NUL", role: users.RoleAccountManager, path: returnPath(requestedReturn, "reject"), form: form("reason", "no\x00"), field: "reason",
		want: "NUL", scope: "form.reject-form", watch: returnTables},
	{name: "reject return: reason of 2,001", role: users.RoleAdmin, path: returnPath(requestedReturn, "reject"), form: form("reason", long2001), field: "reason",
		want: "at most 2,000", scope: "form.reject-form", keep: true, watch: returnTables},
	{name: "cancel return: no reason", role: users.RoleAccountManager, path: returnPath(approvedReturn, "cancel"), form: form("reason", ""), field: "reason",
		want: "Say why", scope: "form.cancel-form", watch: returnTables},
	{name: "cancel return: reason of 2,001", role: users.RoleAccountManager, path: returnPath(approvedReturn, "cancel"), form: form("reason", long2001), field: "reason",
		want: "at most 2,000", scope: "form.cancel-form", keep: true, watch: returnTables},
	{name: "cancel return: reason bad bytes", role: users.RoleAccountManager, path: returnPath(requestedReturn, "cancel"), form: form("reason", "no\xff"), field: "reason",
		want: "UTF-8", scope: "form.cancel-form", watch: returnTables},

	{name: "receive: no RA number", role: users.RoleWarehouse, path: path("/returns/receive"), form: form("ra", " "), field: "ra",
		want: "Enter the RA number on the parcel", watch: returnTables},
	{name: "receive: no RA number but words", role: users.RoleWarehouse, path: path("/returns/receive"), form: form("ra", "parcel from Jansen"), field: "ra",
		want: "is no RA number", keep: true, watch: returnTables},
	{name: "receive: unknown RA number", role: users.RoleWarehouse, path: path("/returns/receive"), form: form("ra", "RA-2026-999999"), field: "ra",
		want: "No return has RA number RA-2026-999999: refuse the parcel", keep: true, watch: returnTables},
	{name: "receive: a parcel received already", role: users.RoleWarehouse, path: path("/returns/receive"), form: form("ra", "{testedra}"), field: "ra",
		want: "was received on", keep: true, watch: returnTables},
	{name: "receive: RA with NUL", role: users.RoleAdmin, path: path("/returns/receive"), form: form("ra", "RA-2026\x00-000001"), field: "ra",
		want: "NUL", watch: returnTables},
	{name: "receive: RA of 31", role: users.RoleWarehouse, path: path("/returns/receive"), form: form("ra", strings.Repeat("R", 31)), field: "ra",
		want: "at most 30", keep: true, watch: returnTables},

	{name: "test: unknown result", role: users.RoleWarehouse, path: returnPath(testedReturn, "test"), form: form("result_1", "exploded", "note_1", "Smoke."),
		field: "result_1", want: "Choose the result", scope: "form.test-form", watch: returnTables},
	{name: "test: result without a note", role: users.RoleWarehouse, path: returnPath(testedReturn, "test"), form: form("result_1", "no_fault_found", "note_1", " "),
		field: "note_1", want: "Say what the test found", scope: "form.test-form", watch: returnTables},
	{name: "test: note with NUL", role: users.RoleWarehouse, path: returnPath(testedReturn, "test"), form: form("result_1", "no_fault_found", "note_1", "ok\x00"),
		field: "note_1", want: "NUL", scope: "form.test-form", watch: returnTables},
	{name: "test: note of 2,001", role: users.RoleAdmin, path: returnPath(testedReturn, "test"), form: form("result_1", "no_fault_found", "note_1", long2001),
		field: "note_1", want: "at most 2,000", scope: "form.test-form", keep: true, watch: returnTables},

	{name: "settle: note with NUL", role: users.RoleAccountManager, path: returnPath(testedReturn, "settle"), form: form("remedy", "replacement", "note", "ok\x00"),
		field: "note", want: "NUL", scope: "form.settle-form", watch: returnTables},
	{name: "settle: note of 2,001", role: users.RoleAccountManager, path: returnPath(testedReturn, "settle"), form: form("remedy", "replacement", "note", long2001),
		field: "note", want: "at most 2,000", scope: "form.settle-form", keep: true, watch: returnTables},

	{name: "return days: 0", role: users.RoleAdmin, path: path("/admin/settings/returns"), form: form("ra_arrive_days", "0"), field: "ra_arrive_days",
		want: "from 1 to 90", keep: true, watch: raDays},
	{name: "return days: 91", role: users.RoleAdmin, path: path("/admin/settings/returns"), form: form("ra_arrive_days", "91"), field: "ra_arrive_days",
		want: "from 1 to 90", keep: true, watch: raDays},
	{name: "return days: in words", role: users.RoleAdmin, path: path("/admin/settings/returns"), form: form("ra_arrive_days", "two weeks"), field: "ra_arrive_days",
		want: "whole number", keep: true, watch: raDays},
	{name: "return days: NUL", role: users.RoleAdmin, path: path("/admin/settings/returns"), form: form("ra_arrive_days", "14\x00"), field: "ra_arrive_days",
		want: "NUL", watch: raDays},
}

// choiceMessage is the message of a form's group of radio buttons: the
// field error in the fieldset that holds the control named field.
func choiceMessage(d *goquery.Document, scope, field string) string {
	return strings.TrimSpace(d.Find(scope + " fieldset:has([name=\"" + field + "\"]) .field-error").Text())
}

// The return form's choices answer at their fieldset: a line of another
// customer's order or none, a remedy the form does not offer; the settle
// form's remedy and what happens to good units; a credit note for goods
// on no issued invoice yet. Nothing is written.
func TestReturnFormsAnswerAtTheirChoices(t *testing.T) {
	t.Parallel()
	f := newBadFixture(t)
	am, admin := f.clients[users.RoleAccountManager], f.clients[users.RoleAdmin]
	resolve := func(v url.Values) url.Values {
		out := url.Values{}
		for k, vs := range v {
			out.Set(f.resolve(k), f.resolve(vs[0]))
		}
		return out
	}
	var other string
	f.app.db.NewRaw(`SELECT sl.shipment_id || '-' || sl.order_line_id FROM shipment_lines sl JOIN shipments sh ON sh.id = sl.shipment_id
		WHERE sh.company_id <> ? LIMIT 1`, f.customer).Scan(t.Context(), &other)
	if other == "" {
		t.Fatal("the fixture has no shipment of another customer: the test of filing another customer's line would not run")
	}
	settle := fmt.Sprintf("/returns/%d/settle", f.returns.tested)
	for _, c := range []struct {
		name        string
		c           *client
		path        string
		form        url.Values
		scope, want string
		field       string
	}{
		{"no line", am, "/returns", badReturnForm("line", ""), "form[action='/returns']", "Choose the shipped line", "line"},
		{"a line that is no line", am, "/returns", badReturnForm("line", "12-x"), "form[action='/returns']", "Choose the shipped line", "line"},
		{"a remedy not offered", am, "/returns", badReturnForm("remedy", "cash"), "form[action='/returns']", "Choose a replacement or a credit note", "remedy"},
		{"a line of another customer", admin, "/returns", badReturnForm("line", other), "form[action='/returns']", "Choose the shipped line", "line"},
		{"settle: a remedy not offered", am, settle, form("remedy", "cash"), "form.settle-form", "Choose a replacement or a credit note", "remedy"},
		{"settle: a credit note before the invoice", am, settle, form("remedy", "credit_note"), "form.settle-form", "on no issued invoice yet", "remedy"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := f.watched(badCase{watch: returnTables})
			c.c.t = t
			resp, body := c.c.post(c.path, resolve(c.form))
			wantStatus(t, resp, http.StatusUnprocessableEntity)
			d := doc(t, body)
			if msg := choiceMessage(d, c.scope, c.field); !strings.Contains(msg, c.want) {
				t.Errorf("message at %s: %q, want %q (page: %.300s)", c.field, msg, c.want, mainText(d))
			}
			if c.path == "/returns" {
				if fault := typedValue(d, c.scope, "fault"); fault != "Does not switch on." {
					t.Errorf("the form lost the fault typed: %q", fault)
				}
			}
			for w, v := range f.watched(badCase{watch: returnTables}) {
				if before[w] != v {
					t.Errorf("%s changed from %s to %s", w, before[w], v)
				}
			}
		})
	}
}
