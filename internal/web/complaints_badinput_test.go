package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"wholesale/internal/customers"
	"wholesale/internal/users"
)

// badComplaintForm is a good complaint form of the demo customer, received
// by phone, with one field replaced.
func badComplaintForm(field, value string) url.Values {
	v := form("customer", "{customer}", "order", "", "channel", "phone", "contact_name", "Joris Jansen",
		"contact_email", "buyer@bakkerij-jansen.test", "contact_phone", "", "description", "The delivery was late.")
	v.Set(field, value)
	return v
}

func complaintPath(which func(complaintFixture) int64, action string) func(*badFixture) string {
	return func(f *badFixture) string { return fmt.Sprintf("/complaints/%d/%s", which(f.complaints), action) }
}

func receivedComplaint(c complaintFixture) int64     { return c.received }
func acknowledgedComplaint(c complaintFixture) int64 { return c.acknowledged }
func escalatedComplaint(c complaintFixture) int64    { return c.escalated }

// complaintTables are what a refused complaint form must leave as it was.
var complaintTables = []string{"complaints", "complaint_notes", "orders", "invoices",
	"SELECT string_agg(concat_ws('|', state, COALESCE(answer_by::text, ''), COALESCE(investigator_id::text, ''), COALESCE(outcome, ''), board_answer), ',' ORDER BY id) FROM complaints"}

func letterForm(date, text string) url.Values { return form("date", date, "text", text) }

func resolveForm(field, value string) url.Values {
	v := form("outcome", "apology", "explanation", "We spoke to the carrier.", "invoice", "", "quantities", "", "sku", "", "quantity", "")
	v.Set(field, value)
	return v
}

// complaintFileTables are what a refused file must leave as it was:
// nothing stored, nothing kept for the next try.
var complaintFileTables = []string{"complaints", "complaint_documents", "blobs", "upload_stash"}

// bigPDF is a PDF of 10 MB and 1 byte.
var bigPDF = append(append([]byte{}, pdfDoc...), make([]byte, customers.MaxUploadBytes+1-len(pdfDoc))...)

// send posts the case's form as cl, with its files when it has any.
func (c badCase) send(cl *client, path string, values url.Values) (*http.Response, string) {
	if c.files != nil {
		return cl.postFiles(path, values, c.files)
	}
	return cl.post(path, values)
}

// documentFiles are n different PDFs in the documents field.
func documentFiles(n int) []testFile {
	var out []testFile
	for i := 1; i <= n; i++ {
		out = append(out, testFile{"documents", fmt.Sprintf("photo %d.pdf", i), append(append([]byte{}, pdfDoc...), byte('0'+i))})
	}
	return out
}

// documentBadCases are the bad files of a form that attaches documents to
// a complaint (name begins the cases' names), posted with the values of a
// good form: a message at the documents field, nothing stored or kept.
func documentBadCases(name string, role users.Role, path func(*badFixture) string, values url.Values, scope string) []badCase {
	c := func(what string, files []testFile, want string) badCase {
		return badCase{name: name + ": " + what, role: role, path: path, form: values, files: files, field: "documents", want: want,
			scope: scope, watch: complaintFileTables}
	}
	return []badCase{
		c("a file of 10 MB and 1 byte", []testFile{{"documents", "kettle.pdf", bigPDF}}, "kettle.pdf: This file is larger than 10 MB"),
		c("a GIF", []testFile{{"documents", "kettle.gif", []byte("GIF89a\x01\x00")}}, "kettle.gif: Only PDF, PNG or JPEG"),
		c("6 files", documentFiles(6), "Attach at most 5 files at a time; these are 6."),
		c("a file name with NUL", []testFile{{"documents", "kettle\x00.pdf", pdfDoc}}, "NUL or another control character"),
	}
}

// complaintBadCases are the complaint pages' entries of the bad input table
// (badinput_test.go). The radio buttons (channel, outcome) answer in their
// fieldset.
var complaintBadCases = append(append(documentBadCases("complaint", users.RoleAccountManager, path("/complaints"), badComplaintForm("contact_phone", ""), ""),
	documentBadCases("documents", users.RoleCustomerService, complaintPath(receivedComplaint, "documents"), nil, "#documents")...), []badCase{
	{name: "documents: none", role: users.RoleAccountManager, path: complaintPath(receivedComplaint, "documents"), files: []testFile{{"documents", "", nil}},
		field: "documents", want: "Choose at least one file", scope: "#documents", watch: complaintFileTables},
	{name: "complaint: no customer", role: users.RoleAccountManager, path: path("/complaints"), form: badComplaintForm("customer", ""), field: "customer",
		want: "Choose the customer", watch: complaintTables},
	{name: "complaint: order not a number", role: users.RoleAccountManager, path: path("/complaints"), form: badComplaintForm("order", "PO-12"), field: "order",
		want: "order number", keep: true, watch: complaintTables},
	{name: "complaint: order of nobody", role: users.RoleAccountManager, path: path("/complaints"), form: badComplaintForm("order", "999999"), field: "order",
		want: "has no order 999999", keep: true, watch: complaintTables},
	{name: "complaint: no contact", role: users.RoleAccountManager, path: path("/complaints"), form: badComplaintForm("contact_name", " "), field: "contact_name",
		want: "Enter who we answer", watch: complaintTables},
	{name: "complaint: bad e-mail", role: users.RoleAccountManager, path: path("/complaints"), form: badComplaintForm("contact_email", "joris@"), field: "contact_email",
		keep: true, watch: complaintTables},
	{name: "complaint: no description", role: users.RoleCustomerService, path: path("/complaints"), form: badComplaintForm("description", ""), field: "description",
		want: "Describe the complaint", watch: complaintTables},
	{name: "complaint: description with NUL", role: users.RoleAccountManager, path: path("/complaints"), form: badComplaintForm("description", "late\x00"), field: "description",
		want: "NUL", watch: complaintTables},
	{name: "complaint: description of 5,001", role: users.RoleAccountManager, path: path("/complaints"), form: badComplaintForm("description", strings.Repeat("d", 5001)),
		field: "description", want: "at most 5,000", keep: true, watch: complaintTables},
	{name: "complaint: channel fax", role: users.RoleAccountManager, path: path("/complaints"), form: badComplaintForm("channel", "fax"), field: "channel",
		watch: complaintTables},
	{name: "complaint: channel of 300 bytes", role: users.RoleCustomerService, path: path("/complaints"), form: badComplaintForm("channel", strings.Repeat("\xff", 300)),
		field: "channel", watch: complaintTables},
	{name: "acknowledge: date in the past", role: users.RoleAccountManager, path: complaintPath(receivedComplaint, "acknowledge"), form: letterForm("2026-11-01", "Dear Joris"),
		field: "date", want: "in the past", scope: "#acknowledge", keep: true, watch: complaintTables},
	{name: "acknowledge: no date", role: users.RoleAccountManager, path: complaintPath(receivedComplaint, "acknowledge"), form: letterForm("", "Dear Joris"),
		field: "date", scope: "#acknowledge", watch: complaintTables},
	{name: "acknowledge: empty letter", role: users.RoleAccountManager, path: complaintPath(receivedComplaint, "acknowledge"), form: letterForm("2026-12-04", " "),
		field: "text", want: "Complete the letter", scope: "#acknowledge", watch: complaintTables},
	{name: "progress: year 20260", role: users.RoleAccountManager, path: complaintPath(acknowledgedComplaint, "progress"), form: letterForm("20260-01-01", "Still looking."),
		field: "date", scope: "#progress", keep: true, watch: complaintTables},
	{name: "progress: letter of 10,001", role: users.RoleAccountManager, path: complaintPath(acknowledgedComplaint, "progress"), form: letterForm("2026-12-04", strings.Repeat("l", 10001)),
		field: "text", want: "at most 10,000", scope: "#progress", keep: true, watch: complaintTables},
	{name: "assign: nobody", role: users.RoleCustomerService, path: complaintPath(acknowledgedComplaint, "assign"), form: form("investigator", "999999"),
		field: "investigator", want: "member of staff", scope: "#assign", watch: complaintTables},
	{name: "note: empty", role: users.RoleAccountManager, path: complaintPath(acknowledgedComplaint, "notes"), form: form("note", "  "),
		field: "note", want: "Write the note", scope: "#notes", watch: complaintTables},
	{name: "note: with NUL", role: users.RoleBoard, path: complaintPath(escalatedComplaint, "notes"), form: form("note", "x\x00"),
		field: "note", want: "NUL", scope: "#notes", watch: complaintTables},
	{name: "resolve: outcome cash", role: users.RoleAccountManager, path: complaintPath(acknowledgedComplaint, "resolve"), form: resolveForm("outcome", "cash"),
		field: "outcome", want: "Choose the outcome", scope: "#resolve", watch: complaintTables},
	{name: "resolve: no outcome", role: users.RoleCustomerService, path: complaintPath(acknowledgedComplaint, "resolve"), form: resolveForm("outcome", ""),
		field: "outcome", want: "Choose the outcome", scope: "#resolve", watch: complaintTables},
	{name: "resolve: no explanation", role: users.RoleAccountManager, path: complaintPath(acknowledgedComplaint, "resolve"), form: resolveForm("explanation", ""),
		field: "explanation", want: "Explain what was done", scope: "#resolve", watch: complaintTables},
	{name: "resolve: refund of no invoice", role: users.RoleAccountManager, path: complaintPath(acknowledgedComplaint, "resolve"),
		form:  form("outcome", "refund", "explanation", "Broken on arrival.", "invoice", "", "quantities", "", "sku", "", "quantity", ""),
		field: "invoice", want: "Enter the invoice", scope: "#resolve", watch: complaintTables},
	{name: "resolve: refund of an unknown invoice", role: users.RoleAccountManager, path: complaintPath(acknowledgedComplaint, "resolve"),
		form:  form("outcome", "refund", "explanation", "Broken on arrival.", "invoice", "2026-999999", "quantities", "", "sku", "", "quantity", ""),
		field: "invoice", want: "not an invoice of this customer", scope: "#resolve", keep: true, watch: complaintTables},
	{name: "resolve: quantities unreadable", role: users.RoleAccountManager, path: complaintPath(acknowledgedComplaint, "resolve"),
		form:  form("outcome", "refund", "explanation", "Broken on arrival.", "invoice", "{invoice}", "quantities", "one:two", "sku", "", "quantity", ""),
		field: "quantities", want: "line:quantity", scope: "#resolve", keep: true, watch: complaintTables},
	{name: "resolve: exchange without SKU", role: users.RoleAccountManager, path: complaintPath(acknowledgedComplaint, "resolve"),
		form:  form("outcome", "exchange", "explanation", "Broken on arrival.", "invoice", "", "quantities", "", "sku", "", "quantity", "1"),
		field: "sku", want: "Enter the SKU", scope: "#resolve", watch: complaintTables},
	{name: "resolve: exchange of -1", role: users.RoleAccountManager, path: complaintPath(acknowledgedComplaint, "resolve"),
		form:  form("outcome", "exchange", "explanation", "Broken on arrival.", "invoice", "", "quantities", "", "sku", "KR-F3090", "quantity", "-1"),
		field: "quantity", want: "1 or more", scope: "#resolve", keep: true, watch: complaintTables},
	{name: "board answer: empty", role: users.RoleBoard, path: complaintPath(escalatedComplaint, "board-answer"), form: form("text", ""),
		field: "text", want: "Write the board's answer", scope: "#board", watch: complaintTables},
	{name: "board answer: 10,001", role: users.RoleBoard, path: complaintPath(escalatedComplaint, "board-answer"), form: form("text", strings.Repeat("b", 10001)),
		field: "text", want: "at most 10,000", scope: "#board", keep: true, watch: complaintTables},
}...)

// TestComplaintBadCasesNameTheirForm keeps the table above honest: each
// case of a complaint's page names the section of its form.
func TestComplaintBadCasesNameTheirForm(t *testing.T) {
	for _, c := range complaintBadCases {
		if strings.HasPrefix(c.name, "complaint:") != (c.scope == "") {
			t.Errorf("%s: scope %q", c.name, c.scope)
		}
	}
}
