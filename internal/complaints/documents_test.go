package complaints_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/clock"
	"wholesale/internal/complaints"
	"wholesale/internal/customers"
	"wholesale/internal/pgtest"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
)

// docWorld is two customers, each with a buyer, and their account manager.
type docWorld struct {
	ctx    context.Context
	db     *bun.DB
	svc    *complaints.Service
	users  *users.Service
	am     *users.User
	buyers [2]*users.User
}

func newDocWorld(t *testing.T) *docWorld {
	t.Helper()
	clk := clock.NewFixed(time.Date(2026, 11, 27, 10, 0, 0, 0, clock.Amsterdam))
	w := &docWorld{ctx: context.Background(), db: pgtest.New(t)}
	w.svc, w.users = &complaints.Service{DB: w.db, Clock: clk}, users.NewService(w.db, clk, users.FastHasher)
	w.am = w.user(t, "am@w.test", users.RoleAccountManager, 0)
	addr := customers.Address{Street: "Kade 1", Postcode: "1000 AA", City: "Stad", Country: "NL"}
	for i, domain := range []string{"jansen.test", "pieters.test"} {
		co := &customers.Company{Name: domain, Visiting: addr, Invoice: addr, ContactName: "Joris", ContactEmail: "info@" + domain,
			KvK: "87654321", PaymentTerms: customers.TermsPrepayment, AccountManagerID: &w.am.ID}
		if err := postgres.Run(w.ctx, w.db, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
			return customers.Insert(ctx, tx, clk.Now(), co)
		}); err != nil {
			t.Fatal(err)
		}
		w.buyers[i] = w.user(t, "buyer@"+domain, users.RoleCustomer, co.ID)
	}
	return w
}

func (w *docWorld) user(t *testing.T, email string, role users.Role, company int64) *users.User {
	t.Helper()
	u, err := w.users.Create(w.ctx, users.NewUser{Email: email, Name: email, Role: role, CompanyID: company, Password: "long enough pw"})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func (w *docWorld) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := w.db.NewRaw(query, args...).Scan(w.ctx, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// pdf is a small PDF, different for each n.
func pdf(n int) []byte { return []byte(fmt.Sprintf("%%PDF-1.4\n%% file %d\n%%%%EOF\n", n)) }

var png = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")

// A customer files a complaint with two documents: they are stored with it
// in one transaction and in the audit trail, the customer and its account
// manager read them, another company's user finds nothing.
func TestFileWithDocuments(t *testing.T) {
	w := newDocWorld(t)
	buyer, other := w.buyers[0], w.buyers[1]
	c, err := w.svc.File(w.ctx, buyer, complaints.FileInput{ContactName: "Joris", ContactEmail: "joris@jansen.test", Description: "Dented kettles.",
		Documents: []customers.Upload{{Filename: `C:\photos\dent "front".png`, Content: png}, {Filename: "delivery note.pdf", Content: pdf(1)}}})
	if err != nil {
		t.Fatal(err)
	}
	docs, err := complaints.DocumentsOf(w.ctx, w.db, c.ID)
	if err != nil || len(docs) != 2 {
		t.Fatalf("documents %+v %v", docs, err)
	}
	if d := docs[0]; d.Filename != "dent front.png" || d.ContentType != "image/png" || d.Size != int64(len(png)) || d.UploadedBy != buyer.ID {
		t.Errorf("first document %+v", d)
	}
	for _, by := range []*users.User{buyer, w.am} {
		d, b, err := w.svc.Document(w.ctx, by, c.ID, docs[1].ID)
		if err != nil || !bytes.Equal(b, pdf(1)) || d.Filename != "delivery note.pdf" {
			t.Errorf("%s reads %+v (%d bytes): %v", by.Email, d, len(b), err)
		}
	}
	if _, _, err := w.svc.Document(w.ctx, other, c.ID, docs[1].ID); apperr.KindOf(err) != apperr.NotFound {
		t.Errorf("another company's user reads the document: %v", err)
	}
	other2, err := w.svc.File(w.ctx, other, complaints.FileInput{ContactName: "Piet", ContactEmail: "piet@pieters.test", Description: "Late."})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.svc.Document(w.ctx, other, other2.ID, docs[1].ID); apperr.KindOf(err) != apperr.NotFound {
		t.Errorf("a document read through another complaint: %v", err)
	}
	var trail []string
	if err := w.db.NewRaw(`SELECT action || ':' || COALESCE(after->>'filename', '') FROM audit_log WHERE entity = 'complaint' AND entity_id = ? ORDER BY id`,
		fmt.Sprint(c.ID)).Scan(w.ctx, &trail); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(trail, ","); got != "file:,document_added:dent front.png,document_added:delivery note.pdf" {
		t.Errorf("trail %s", got)
	}
}

// A refused form keeps its good files for the next try and stores
// nothing; a refused file, or a form with too many, is kept nowhere.
func TestFileFormKeepsGoodFiles(t *testing.T) {
	w := newDocWorld(t)
	buyer := w.buyers[0]
	in := complaints.FileInput{ContactName: "Joris", ContactEmail: "joris@jansen.test",
		Documents: []customers.Upload{{Filename: "photo.gif", Content: []byte("GIF89a")}, {Filename: "scan.pdf", Content: pdf(1)}}}
	res, err := w.svc.FileForm(w.ctx, buyer, in)
	f := kind(t, err, apperr.Invalid)
	if !strings.Contains(f["documents"], "photo.gif: Only PDF, PNG or JPEG") || f["description"] == "" {
		t.Fatalf("fields %v", f)
	}
	if res.Stash == "" || strings.Join(res.Kept, ",") != "scan.pdf" {
		t.Fatalf("kept %q under %q", res.Kept, res.Stash)
	}
	if n := w.count(t, "SELECT count(*) FROM complaints") + w.count(t, "SELECT count(*) FROM complaint_documents"); n != 0 {
		t.Fatalf("a refused form wrote %d rows", n)
	}

	// Too many: the new ones are not kept, the kept one stays.
	in.Stash, in.Documents = res.Stash, nil
	for i := 2; i <= complaints.MaxFiles+1; i++ {
		in.Documents = append(in.Documents, customers.Upload{Filename: fmt.Sprintf("scan %d.pdf", i), Content: pdf(i)})
	}
	in.Description = "Dented."
	res, err = w.svc.FileForm(w.ctx, buyer, in)
	if f := kind(t, err, apperr.Invalid); !strings.Contains(f["documents"], "at most 5 files") || len(f) != 1 {
		t.Fatalf("fields %v", f)
	}
	if strings.Join(res.Kept, ",") != "scan.pdf" || w.count(t, "SELECT count(*) FROM upload_stash") != 1 {
		t.Fatalf("kept %q, stash %d", res.Kept, w.count(t, "SELECT count(*) FROM upload_stash"))
	}

	// The next try sends one more file (and the kept one again): both are attached once.
	in.Documents = []customers.Upload{{Filename: "scan.pdf", Content: pdf(1)}, {Filename: "photo.png", Content: png}}
	res, err = w.svc.FileForm(w.ctx, buyer, in)
	if err != nil {
		t.Fatal(err)
	}
	docs, err := complaints.DocumentsOf(w.ctx, w.db, res.Complaint.ID)
	if err != nil || len(docs) != 2 || docs[0].Filename != "scan.pdf" || docs[1].Filename != "photo.png" {
		t.Fatalf("documents %+v %v", docs, err)
	}
	if n := w.count(t, "SELECT count(*) FROM upload_stash"); n != 0 {
		t.Errorf("%d files left in the stash", n)
	}
	// A file too large, as the form's reader refuses it.
	_, err = w.svc.FileForm(w.ctx, buyer, complaints.FileInput{ContactName: "Joris", ContactEmail: "joris@jansen.test", Description: "x",
		Documents: []customers.Upload{{Filename: "big.pdf", Content: pdf(0)[:5], Problem: customers.TooLargeMessage}}})
	if f := kind(t, err, apperr.Invalid); !strings.Contains(f["documents"], "big.pdf: This file is larger than 10 MB") {
		t.Fatalf("fields %v", f)
	}
}

// Documents are added to an open complaint by whoever may see it, each in
// the audit trail, at most 20 in all; not to another company's complaint,
// nor to a resolved one.
func TestAddDocuments(t *testing.T) {
	w := newDocWorld(t)
	buyer, other := w.buyers[0], w.buyers[1]
	c, err := w.svc.File(w.ctx, buyer, complaints.FileInput{ContactName: "Joris", ContactEmail: "joris@jansen.test", Description: "Dented."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.AddDocuments(w.ctx, buyer, c.ID, nil); !strings.Contains(kind(t, err, apperr.Invalid)["documents"], "Choose at least one file") {
		t.Errorf("no file: %v", err)
	}
	if _, err := w.svc.AddDocuments(w.ctx, other, c.ID, []customers.Upload{{Filename: "x.pdf", Content: pdf(0)}}); apperr.KindOf(err) != apperr.NotFound {
		t.Errorf("another company adds a document: %v", err)
	}
	n := 0
	add := func(by *users.User, files int) error {
		var ups []customers.Upload
		for i := 0; i < files; i++ {
			n++
			ups = append(ups, customers.Upload{Filename: fmt.Sprintf("photo %d.pdf", n), Content: pdf(n)})
		}
		_, err := w.svc.AddDocuments(w.ctx, by, c.ID, ups)
		return err
	}
	for _, by := range []*users.User{buyer, w.am, buyer, w.am} {
		if err := add(by, 5); err != nil {
			t.Fatal(err)
		}
	}
	if f := kind(t, add(buyer, 1), apperr.Invalid); !strings.Contains(f["documents"], "at most 20 documents") {
		t.Errorf("the 21st document: %v", f)
	}
	if got := w.count(t, "SELECT count(*) FROM audit_log WHERE entity = 'complaint' AND action = 'document_added'"); got != 20 {
		t.Errorf("%d audit entries of documents", got)
	}
	if _, err := w.svc.Acknowledge(w.ctx, w.am, c.ID, complaints.LetterInput{Date: "2026-12-04", Text: "We look into it."}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Resolve(w.ctx, w.am, c.ID, complaints.ResolveInput{Outcome: complaints.OutcomeApology, Explanation: "Sorry."}); err != nil {
		t.Fatal(err)
	}
	_, err = w.svc.AddDocuments(w.ctx, buyer, c.ID, []customers.Upload{{Filename: "late.pdf", Content: pdf(99)}})
	kind(t, err, apperr.Conflict)
}
