package customers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/clock"
	"wholesale/internal/customers"
	"wholesale/internal/mail"
	"wholesale/internal/pgtest"
	"wholesale/internal/users"
	"wholesale/internal/vies"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

var (
	pdf  = []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
	png  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	jpeg = []byte("\xff\xd8\xff\xe0\x00\x10JFIF")
)

type env struct {
	t     *testing.T
	db    *bun.DB
	clk   *clock.Fixed
	svc   *customers.Service
	sales *users.User
	am    *users.User
	admin *users.User
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db := pgtest.New(t)
	clk := clock.NewFixed(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	us := users.NewService(db, clk, users.FastHasher)
	e := &env{t: t, db: db, clk: clk, svc: &customers.Service{DB: db, Clock: clk, Users: us, BaseURL: "http://wholesale.test"}}
	ctx := context.Background()
	mk := func(email string, role users.Role) *users.User {
		u, err := us.Create(ctx, users.NewUser{Email: email, Name: string(role) + " person", Role: role, Password: "long enough pw"})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	e.sales, e.am, e.admin = mk("sales@w.test", users.RoleSales), mk("am@w.test", users.RoleAccountManager), mk("admin@w.test", users.RoleAdmin)
	return e
}

func validInput() customers.ApplicationInput {
	return customers.ApplicationInput{
		CompanyName: "Bakkerij De Vries B.V.", KvK: "1234 5678", VATID: "nl004495445b01",
		Visiting:           customers.Address{Street: "Dorpsstraat 1", Postcode: "1234ab", City: "Utrecht", Country: "nl"},
		InvoiceSameAsVisit: true, ContactName: "Eva de Vries", ContactEmail: "Eva@DeVries.nl", ContactPhone: "+31 30 123 4567",
		IBAN: "NL91 ABNA 0417 1643 00", AccountHolder: "Bakkerij De Vries B.V.", TermsAccepted: true,
		Uploads: map[string]customers.Upload{
			customers.DocVATStatement: {Filename: "btw.pdf", Content: pdf},
			customers.DocKvKExtract:   {Filename: "kvk.png", Content: png},
			customers.DocLetterhead:   {Filename: "briefpapier.jpg", Content: jpeg},
			customers.DocSignedTerms:  {Filename: "voorwaarden.pdf", Content: append([]byte{}, append(pdf, 'x')...)},
		},
	}
}

func (e *env) count(table string) int {
	var n int
	if err := e.db.NewSelect().Table(table).ColumnExpr("count(*)").Scan(context.Background(), &n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

func fields(err error) map[string]string {
	if ae, ok := apperr.As(err); ok {
		out := map[string]string{}
		for f, m := range ae.Fields {
			out[f] = m.String()
		}
		return out
	}
	return nil
}

func (e *env) apply(in customers.ApplicationInput) *customers.Application {
	e.t.Helper()
	res, err := e.svc.Apply(context.Background(), in, "", nil)
	if err != nil {
		e.t.Fatalf("apply: %v", err)
	}
	return res.Application
}

func TestApplyStoresApplicationDocumentsMailAndAudit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.apply(validInput())
	if a.KvK != "12345678" || a.VATID != "NL004495445B01" || a.IBAN != "NL91ABNA0417164300" || a.Visiting.Postcode != "1234 AB" ||
		a.Invoice != a.Visiting || a.ContactEmail != "eva@devries.nl" || a.Status != customers.AppNew || a.TermsVersion != customers.CurrentTerms.Version {
		t.Fatalf("stored: %+v", a)
	}
	v, err := e.svc.View(context.Background(), a.ID)
	if err != nil || len(v.Documents) != 4 {
		t.Fatalf("documents: %v %d", err, len(v.Documents))
	}
	for _, d := range v.Documents {
		if d.Size == 0 || len(d.SHA256) != 64 {
			t.Fatalf("document without size or hash: %+v", d)
		}
		if d.Kind == customers.DocKvKExtract && d.ContentType != "image/png" {
			t.Fatalf("type not sniffed: %+v", d)
		}
	}
	msgs, _ := mail.List(context.Background(), e.db, 5)
	if len(msgs) != 1 || msgs[0].To != "eva@devries.nl" || !strings.Contains(msgs[0].Body, fmt.Sprintf("A-%d", a.ID)) {
		t.Fatalf("receipt mail: %+v", msgs)
	}
	entries, _ := audit.List(context.Background(), e.db, audit.Filter{Entity: "application"})
	if len(entries) != 1 || entries[0].Action != "create" {
		t.Fatalf("audit: %+v", entries)
	}
}

func TestUploadRefusalsStoreNothing(t *testing.T) {
	t.Parallel()
	for name, bad := range map[string]customers.Upload{
		"text named .pdf": {Filename: "kvk.pdf", Content: []byte("just some text, not a PDF")},
		"html":            {Filename: "kvk.pdf", Content: []byte("<html><script>alert(1)</script>")},
		"over 10 MB":      {Filename: "kvk.pdf", Content: append([]byte("%PDF-1.4\n"), make([]byte, customers.MaxUploadBytes)...)},
		"exe as png":      {Filename: "kvk.png", Content: []byte("MZ\x90\x00\x03")},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			in := validInput()
			in.Uploads[customers.DocKvKExtract] = bad
			res, err := e.svc.Apply(context.Background(), in, "", nil)
			msg := fields(err)["doc_kvk_extract"]
			if msg == "" {
				t.Fatalf("no refusal at the field: %v", err)
			}
			if name == "over 10 MB" && !strings.Contains(msg, "10 MB") {
				t.Fatalf("message: %q", msg)
			}
			for _, table := range []string{"applications", "documents", "blobs"} {
				if n := e.count(table); n != 0 {
					t.Fatalf("%s has %d rows after a refusal", table, n)
				}
			}
			var kinds []string
			e.db.NewSelect().Table("upload_stash").Column("kind").Scan(context.Background(), &kinds)
			for _, k := range kinds {
				if k == customers.DocKvKExtract {
					t.Fatal("the refused file was kept")
				}
			}
			if len(kinds) != 3 || res.Stash == "" {
				t.Fatalf("the 3 good files were not kept: %v", kinds)
			}
			// Sent again with only the corrected file, the kept ones are used.
			in2 := validInput()
			in2.Uploads = map[string]customers.Upload{customers.DocKvKExtract: {Filename: "kvk.pdf", Content: pdf}}
			res2, err := e.svc.Apply(context.Background(), in2, res.Stash, nil)
			if err != nil {
				t.Fatalf("second try: %v", err)
			}
			v, _ := e.svc.View(context.Background(), res2.Application.ID)
			if len(v.Documents) != 4 || e.count("upload_stash") != 0 {
				t.Fatalf("documents %d, stash left %d", len(v.Documents), e.count("upload_stash"))
			}
		})
	}
}

func TestApplyFieldErrorsKeepFiles(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	in := validInput()
	in.VATID, in.KvK, in.IBAN, in.TermsAccepted = "NL123456789B90", "1234567", "NL91ABNA0417164301", false
	in.Visiting.Postcode = "12345"
	res, err := e.svc.Apply(context.Background(), in, "", nil)
	f := fields(err)
	for _, k := range []string{"vat_id", "kvk", "iban", "terms", "visiting_postcode"} {
		if f[k] == "" {
			t.Errorf("no message at %s: %v", k, f)
		}
	}
	if len(res.Kept) != 4 || res.Kept[customers.DocLetterhead] != "briefpapier.jpg" {
		t.Fatalf("kept: %v", res.Kept)
	}
	if e.count("applications") != 0 {
		t.Fatal("an application was stored")
	}
	fixed := validInput()
	fixed.Uploads = nil
	if _, err := e.svc.Apply(context.Background(), fixed, res.Stash, nil); err != nil {
		t.Fatalf("with kept files: %v", err)
	}
	// Missing files are named at their fields.
	none := validInput()
	none.Uploads = nil
	_, err = e.svc.Apply(context.Background(), none, "", nil)
	if len(fields(err)) != 4 {
		t.Fatalf("missing documents: %v", fields(err))
	}
}

func (e *env) passAll(a *customers.Application) {
	e.t.Helper()
	for _, it := range customers.Checklist(a) {
		in := customers.CheckInput{Item: it.Key, Passed: true, Note: "ok"}
		if it.Key == customers.CheckKvKRecent {
			in.KvKExtractDate = "2026-10-01"
		}
		if err := e.svc.RecordCheck(context.Background(), e.sales, a.ID, in); err != nil {
			e.t.Fatalf("pass %s: %v", it.Key, err)
		}
	}
}

func approveInput(e *env) customers.ApproveInput {
	return customers.ApproveInput{PaymentTerms: customers.TermsCredit, CreditLimit: "10.000", AccountManagerID: e.am.ID}
}

func TestChecklistGatesApproval(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a := e.apply(validInput())
	items := customers.Checklist(a)
	for i, it := range items {
		if _, err := e.svc.Approve(ctx, e.sales, a.ID, approveInput(e)); apperr.KindOf(err) != apperr.Conflict {
			t.Fatalf("approved with %d of %d items passed: %v", i, len(items), err)
		}
		in := customers.CheckInput{Item: it.Key, Passed: true}
		if it.Key == customers.CheckKvKRecent {
			in.KvKExtractDate = "2026-05-23" // older than 6 months on 2026-11-24
			if err := e.svc.RecordCheck(ctx, e.sales, a.ID, in); !strings.Contains(fields(err)["kvk_extract_date"], "older than 6 months") {
				t.Fatalf("old extract passed: %v", err)
			}
			in.KvKExtractDate = "2026-05-24"
		}
		if err := e.svc.RecordCheck(ctx, e.sales, a.ID, in); err != nil {
			t.Fatalf("%s: %v", it.Key, err)
		}
	}
	// A failed item blocks again; failing needs a note.
	err := e.svc.RecordCheck(ctx, e.sales, a.ID, customers.CheckInput{Item: customers.CheckNamesConsistent, Passed: false})
	if fields(err)["note"] == "" {
		t.Fatalf("fail without note: %v", err)
	}
	if err := e.svc.RecordCheck(ctx, e.sales, a.ID, customers.CheckInput{Item: customers.CheckNamesConsistent, Passed: false, Note: "letterhead says De Vries Bakery"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Approve(ctx, e.sales, a.ID, approveInput(e)); err == nil || !strings.Contains(err.Error(), "Names and addresses") {
		t.Fatalf("approved with a failed item: %v", err)
	}
	v, _ := e.svc.View(ctx, a.ID)
	if c := v.Checks[customers.CheckNamesConsistent]; c.Passed || c.CheckerName != "sales person" || c.Note == "" {
		t.Fatalf("check not recorded with who and note: %+v", c)
	}
	if v.App.Status != customers.AppInReview {
		t.Fatalf("status %s", v.App.Status)
	}
	n, _ := e.db.NewSelect().Table("audit_log").Where("entity = 'application' AND action LIKE 'check %'").Count(ctx)
	if n != int64(len(items)+1) {
		t.Fatalf("%d check entries in the audit trail, want %d", n, len(items)+1)
	}
}

func TestApproveCreatesCustomerAndInvitesContact(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a := e.apply(validInput())
	e.passAll(a)
	bad := approveInput(e)
	bad.CreditLimit, bad.AccountManagerID = "lots", e.sales.ID
	if _, err := e.svc.Approve(ctx, e.sales, a.ID, bad); fields(err)["credit_limit"] == "" {
		t.Fatalf("bad limit: %v", err)
	}
	bad.CreditLimit = "5000"
	if _, err := e.svc.Approve(ctx, e.sales, a.ID, bad); fields(err)["account_manager_id"] == "" {
		t.Fatalf("a sales user as account manager: %v", err)
	}
	c, err := e.svc.Approve(ctx, e.sales, a.ID, approveInput(e))
	if err != nil {
		t.Fatal(err)
	}
	if c.CreditLimitCents != 1_000_000 || c.PaymentTermDays != 30 || c.PaymentTerms != customers.TermsCredit || *c.AccountManagerID != e.am.ID ||
		c.KvK != "12345678" || c.IBAN != "NL91ABNA0417164300" || c.InvoiceEmail != "eva@devries.nl" {
		t.Fatalf("company: %+v", c)
	}
	msgs, _ := mail.List(ctx, e.db, 10)
	link := regexp.MustCompile(`http://wholesale\.test/invite/([0-9a-f]+)`).FindStringSubmatch(msgs[0].Body)
	if link == nil || !strings.Contains(msgs[0].Body, "€ 10.000,00") {
		t.Fatalf("invitation mail: %s", msgs[0].Body)
	}
	us := e.svc.Users
	if _, err := us.Login(ctx, "eva@devries.nl", ""); err == nil {
		t.Fatal("invited user logs in without a password")
	}
	u, err := us.AcceptInvite(ctx, link[1], "bakker eva 2026")
	if err != nil || u.Role != users.RoleCustomer || *u.CompanyID != c.ID {
		t.Fatalf("accept: %v %+v", err, u)
	}
	if _, err := us.Login(ctx, "eva@devries.nl", "bakker eva 2026"); err != nil {
		t.Fatalf("login after invitation: %v", err)
	}
	if _, err := us.AcceptInvite(ctx, link[1], "another password"); apperr.KindOf(err) != apperr.NotFound {
		t.Fatalf("invitation used twice: %v", err)
	}
	if _, err := e.svc.Approve(ctx, e.sales, a.ID, approveInput(e)); apperr.KindOf(err) != apperr.Conflict {
		t.Fatal("approved twice")
	}
}

func TestRejectMailsReason(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a := e.apply(validInput())
	if err := e.svc.Reject(ctx, e.sales, a.ID, " "); fields(err)["reason"] == "" {
		t.Fatal("reject without reason")
	}
	if err := e.svc.Reject(ctx, e.sales, a.ID, "KvK registration ended"); err != nil {
		t.Fatal(err)
	}
	msgs, _ := mail.List(ctx, e.db, 1)
	if !strings.Contains(msgs[0].Body, "KvK registration ended") {
		t.Fatal("reason not mailed")
	}
	if err := e.svc.RecordCheck(ctx, e.sales, a.ID, customers.CheckInput{Item: customers.CheckVATValid, Passed: true}); apperr.KindOf(err) != apperr.Conflict {
		t.Fatal("checked a rejected application")
	}
}

func TestDuplicateFlag(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	first := e.apply(validInput())
	other := validInput()
	other.CompanyName, other.KvK, other.VATID, other.ContactEmail = "Other B.V.", "87654321", "NL000099998B57", "x@other.nl"
	unrelated := e.apply(other)

	same := validInput()
	same.CompanyName, same.VATID, same.ContactEmail = "De Vries Bakery", "NL000099998B57", "y@devries.nl"
	dup := e.apply(same)

	q, err := e.svc.Queue(ctx, "")
	if err != nil || len(q) != 3 {
		t.Fatal(err, len(q))
	}
	flags := map[int64]bool{}
	for _, it := range q {
		flags[it.ID] = it.Duplicate
	}
	if !flags[first.ID] || !flags[unrelated.ID] || !flags[dup.ID] {
		t.Fatalf("flags: %v", flags)
	}
	v, _ := e.svc.View(ctx, dup.ID)
	if len(v.Duplicates) != 2 {
		t.Fatalf("duplicates of the third: %v", v.Duplicates)
	}
	// Once the first is a customer, a new application with its KvK number is flagged against the customer.
	e.passAll(first)
	if _, err := e.svc.Approve(ctx, e.sales, first.ID, approveInput(e)); err != nil {
		t.Fatal(err)
	}
	v, _ = e.svc.View(ctx, dup.ID)
	if len(v.Duplicates) == 0 || !strings.Contains(v.Duplicates[0].String(), "Customer Bakkerij De Vries B.V.") {
		t.Fatalf("after approval: %v", v.Duplicates)
	}
	// Queue order: oldest first.
	if q[0].ID != first.ID || q[2].ID != dup.ID {
		t.Fatalf("queue order: %v", q)
	}
}

func TestRequestDocumentsLink(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a := e.apply(validInput())
	e.passAll(a)
	if err := e.svc.RequestDocuments(ctx, a.ID, "The KvK extract is unreadable; please send a sharper scan."); err != nil {
		t.Fatal(err)
	}
	msgs, _ := mail.List(ctx, e.db, 1)
	m := regexp.MustCompile(`/apply/documents/([0-9a-f]+)`).FindStringSubmatch(msgs[0].Body)
	if m == nil || !strings.Contains(msgs[0].Body, "sharper scan") {
		t.Fatalf("mail: %s", msgs[0].Body)
	}
	if got, _ := customers.ApplicationByID(ctx, e.db, a.ID); got.Status != customers.AppWaiting {
		t.Fatalf("status %s", got.Status)
	}
	if _, err := e.svc.AddDocuments(ctx, m[1], []customers.Upload{{Kind: customers.DocKvKExtract, Filename: "x.txt", Content: []byte("text")}}); fields(err)["doc_kvk_extract"] == "" {
		t.Fatalf("bad type accepted: %v", err)
	}
	if _, err := e.svc.AddDocuments(ctx, "0000", []customers.Upload{{Kind: customers.DocKvKExtract, Filename: "k.pdf", Content: pdf}}); apperr.KindOf(err) != apperr.NotFound {
		t.Fatal("a wrong link was accepted")
	}
	if _, err := e.svc.AddDocuments(ctx, m[1], []customers.Upload{{Kind: customers.DocKvKExtract, Filename: "kvk-scherp.pdf", Content: append(pdf, 'y')}}); err != nil {
		t.Fatal(err)
	}
	v, _ := e.svc.View(ctx, a.ID)
	if v.App.Status != customers.AppInReview || len(v.Documents) != 5 {
		t.Fatalf("after upload: %s, %d documents", v.App.Status, len(v.Documents))
	}
	if _, ok := v.Checks["doc_kvk_extract"]; ok {
		t.Fatal("the check of the replaced document was kept")
	}
	if _, ok := v.Checks["doc_letterhead"]; !ok {
		t.Fatal("other checks were cleared")
	}
	// The link expires.
	e.clk.Advance(customers.DocumentLinkTTL)
	if _, err := e.svc.ApplicationByUploadToken(ctx, m[1]); err == nil {
		t.Fatal("expired link works")
	}
}

// fakeVIES answers as VIES's REST interface does.
func fakeVIES(t *testing.T, down *atomic.Bool) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if down.Load() {
			json.NewEncoder(w).Encode(map[string]any{"isValid": false, "userError": "MS_UNAVAILABLE"})
			return
		}
		if r.URL.Path == "/ms/NL/vat/004495445B01" {
			json.NewEncoder(w).Encode(map[string]any{"isValid": true, "userError": "VALID", "name": "BAKKERIJ DE VRIES B.V.", "address": "DORPSSTRAAT 1\n1234AB UTRECHT"})
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"isValid": false, "userError": "INVALID", "name": "---", "address": "---"})
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestVIES(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	var down atomic.Bool
	e.svc.VIES = vies.New(fakeVIES(t, &down))

	a := e.apply(validInput())
	got, _ := customers.ApplicationByID(ctx, e.db, a.ID)
	if got.VIESStatus != customers.VIESValid || got.VIESName != "BAKKERIJ DE VRIES B.V." {
		t.Fatalf("valid: %+v", got)
	}
	other := validInput()
	other.VATID, other.ContactEmail = "NL000099998B57", "z@z.nl"
	b := e.apply(other)
	got, _ = customers.ApplicationByID(ctx, e.db, b.ID)
	if got.VIESStatus != customers.VIESInvalid || got.VIESName != "" {
		t.Fatalf("invalid: %+v", got)
	}

	down.Store(true)
	c := e.apply(validInput())
	got, _ = customers.ApplicationByID(ctx, e.db, c.ID)
	if got.VIESStatus != customers.VIESPending || !strings.Contains(got.VIESError, "MS_UNAVAILABLE") {
		t.Fatalf("VIES down: %+v", got)
	}
	// The VIES item cannot pass while pending, so the application cannot be approved.
	err := e.svc.RecordCheck(ctx, e.sales, c.ID, customers.CheckInput{Item: customers.CheckVIES, Passed: true})
	if fields(err)["item"] == "" {
		t.Fatalf("VIES item passed while pending: %v", err)
	}
	if err := e.svc.RecheckVIES(ctx, c.ID); apperr.KindOf(err) != apperr.Conflict {
		t.Fatalf("recheck while down: %v", err)
	}
	down.Store(false)
	if err := e.svc.RecheckVIES(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	e.passAll(c)
	if _, err := e.svc.Approve(ctx, e.sales, c.ID, approveInput(e)); err != nil {
		t.Fatal(err)
	}
	// VIES unreachable altogether.
	e.svc.VIES = vies.New("http://127.0.0.1:1")
	d := e.apply(validInput())
	got, _ = customers.ApplicationByID(ctx, e.db, d.ID)
	if got.VIESStatus != customers.VIESPending {
		t.Fatalf("unreachable: %+v", got)
	}
}

func (e *env) customerWithUser(name string) (*customers.Company, *users.User) {
	e.t.Helper()
	ctx := context.Background()
	var c *customers.Company
	err := e.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		c = &customers.Company{Name: name, IBAN: "NL91ABNA0417164300", AccountHolder: name, InvoiceEmail: "factuur@" + strings.ToLower(strings.Fields(name)[0]) + ".nl",
			Visiting:         customers.Address{Street: "Kade 1", Postcode: "1000 AA", City: "Amsterdam", Country: "NL"},
			Invoice:          customers.Address{Street: "Kade 1", Postcode: "1000 AA", City: "Amsterdam", Country: "NL"},
			AccountManagerID: &e.am.ID}
		return customers.Insert(ctx, tx, e.clk.Now(), c)
	})
	if err != nil {
		e.t.Fatal(err)
	}
	u, err := e.svc.Users.Create(ctx, users.NewUser{Email: "buyer@" + strings.ToLower(strings.Fields(name)[0]) + ".nl", Name: "Buyer", Role: users.RoleCustomer, CompanyID: c.ID, Password: "long enough pw"})
	if err != nil {
		e.t.Fatal(err)
	}
	return c, u
}

func TestWrittenConfirmationGate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	c, buyer := e.customerWithUser("Jansen Groothandel")

	// Bank account: recorded by the account manager; portal confirmation is not enough.
	r, err := e.svc.RequestChange(ctx, e.am, c.ID, customers.ChangeInput{Kind: customers.ChangeBank,
		Values: map[string]string{"iban": "NL20 INGB 0001 2345 67", "account_holder": "Jansen Groothandel"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ApproveChange(ctx, e.sales, r.ID); apperr.KindOf(err) != apperr.Conflict {
		t.Fatalf("approved without confirmation: %v", err)
	}
	if err := e.svc.ConfirmInPortal(ctx, buyer, r.ID); err == nil || !strings.Contains(err.Error(), "written confirmation") {
		t.Fatalf("bank change confirmed in the portal: %v", err)
	}
	if got, _ := customers.ByID(ctx, e.db, c.ID); got.IBAN != "NL91ABNA0417164300" {
		t.Fatal("IBAN changed before approval")
	}
	if err := e.svc.AttachConfirmation(ctx, e.am, r.ID, customers.Upload{Filename: "brief.txt", Content: []byte("hello")}); fields(err)["confirmation"] == "" {
		t.Fatalf("text accepted as confirmation: %v", err)
	}
	if err := e.svc.AttachConfirmation(ctx, e.am, r.ID, customers.Upload{Filename: "brief.pdf", Content: pdf}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ApproveChange(ctx, e.am, r.ID); apperr.KindOf(err) != apperr.Forbidden {
		t.Fatalf("an account manager approved: %v", err)
	}
	if err := e.svc.ApproveChange(ctx, e.sales, r.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := customers.ByID(ctx, e.db, c.ID); got.IBAN != "NL20INGB0001234567" {
		t.Fatalf("IBAN not changed: %s", got.IBAN)
	}

	// Invoice e-mail: recorded and confirmed by the customer in the portal.
	r2, err := e.svc.RequestChange(ctx, buyer, c.ID, customers.ChangeInput{Kind: customers.ChangeInvoiceEmail, Values: map[string]string{"invoice_email": "Boekhouding@Jansen.nl"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ConfirmInPortal(ctx, buyer, r2.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ApproveChange(ctx, e.sales, r2.ID); err != nil {
		t.Fatal(err)
	}
	hist, _ := e.svc.CompanyChanges(ctx, c.ID)
	if len(hist) != 2 || hist[0].OldValues["invoice_email"] != "factuur@jansen.nl" || hist[0].NewValues["invoice_email"] != "boekhouding@jansen.nl" {
		t.Fatalf("history: %+v", hist)
	}
	entries, _ := audit.List(ctx, e.db, audit.Filter{Entity: "company", EntityID: fmt.Sprint(c.ID)})
	if len(entries) < 3 {
		t.Fatalf("company changes not in the audit trail: %d", len(entries))
	}

	// A change requested against stale values cannot take effect.
	r3, _ := e.svc.RequestChange(ctx, e.am, c.ID, customers.ChangeInput{Kind: customers.ChangeInvoiceEmail, Values: map[string]string{"invoice_email": "a@jansen.nl"}})
	r4, _ := e.svc.RequestChange(ctx, e.am, c.ID, customers.ChangeInput{Kind: customers.ChangeInvoiceEmail, Values: map[string]string{"invoice_email": "b@jansen.nl"}})
	e.svc.AttachConfirmation(ctx, e.am, r3.ID, customers.Upload{Filename: "a.pdf", Content: pdf})
	e.svc.AttachConfirmation(ctx, e.am, r4.ID, customers.Upload{Filename: "b.pdf", Content: pdf})
	if err := e.svc.ApproveChange(ctx, e.sales, r3.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ApproveChange(ctx, e.sales, r4.ID); apperr.KindOf(err) != apperr.Conflict {
		t.Fatalf("stale change approved: %v", err)
	}
	// No change at all is refused; bad values get field messages.
	if _, err := e.svc.RequestChange(ctx, e.am, c.ID, customers.ChangeInput{Kind: customers.ChangeInvoiceEmail, Values: map[string]string{"invoice_email": "a@jansen.nl"}}); apperr.KindOf(err) != apperr.Conflict {
		t.Fatalf("no-op change: %v", err)
	}
	if _, err := e.svc.RequestChange(ctx, e.am, c.ID, customers.ChangeInput{Kind: customers.ChangeBank, Values: map[string]string{"iban": "NL00XXXX", "account_holder": ""}}); len(fields(err)) != 2 {
		t.Fatalf("bad bank change: %v", err)
	}
}

func TestCustomersSeeOnlyTheirOwnCompany(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	mine, buyer := e.customerWithUser("Mine Trading")
	theirs, _ := e.customerWithUser("Theirs Trading")
	if _, err := customers.CompanyFor(ctx, e.db, buyer, mine.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := customers.CompanyFor(ctx, e.db, buyer, theirs.ID); apperr.KindOf(err) != apperr.NotFound {
		t.Fatalf("other company: %v", err)
	}
	r, _ := e.svc.RequestChange(ctx, e.am, theirs.ID, customers.ChangeInput{Kind: customers.ChangeInvoiceEmail, Values: map[string]string{"invoice_email": "x@theirs.nl"}})
	if _, _, err := e.svc.ChangeByID(ctx, buyer, r.ID); apperr.KindOf(err) != apperr.NotFound {
		t.Fatalf("other company's change: %v", err)
	}
	if err := e.svc.ConfirmInPortal(ctx, buyer, r.ID); apperr.KindOf(err) != apperr.NotFound {
		t.Fatalf("confirmed another company's change: %v", err)
	}
	if _, err := e.svc.RequestChange(ctx, buyer, theirs.ID, customers.ChangeInput{Kind: customers.ChangeInvoiceEmail, Values: map[string]string{"invoice_email": "x@mine.nl"}}); apperr.KindOf(err) != apperr.NotFound {
		t.Fatalf("change for another company: %v", err)
	}
	// An account manager only for their own customers.
	otherAM, _ := e.svc.Users.Create(ctx, users.NewUser{Email: "am2@w.test", Name: "AM 2", Role: users.RoleAccountManager, Password: "long enough pw"})
	if _, err := customers.CompanyFor(ctx, e.db, otherAM, mine.ID); apperr.KindOf(err) != apperr.NotFound {
		t.Fatal("account manager sees another's customer")
	}
}
