package e2e_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"wholesale/internal/users"
)

// journeyComplaintDocuments: the customer's buyer, on a phone, files a
// complaint with a photo and the delivery note but forgets to describe
// it; the form comes back with both files kept, and is sent without
// choosing them again. The complaint's page lists them; the buyer adds
// the carrier's mail later, and the account manager finds all three on
// the staff's page of the complaint.
func journeyComplaintDocuments(t *testing.T, b *browser) {
	a := startApp(t)
	dir := t.TempDir()
	var paths []string
	for _, d := range applicationFiles(t)[2:] { // briefpapier.png, voorwaarden-getekend.pdf: a PNG and a PDF
		name := map[string]string{"briefpapier.png": "dent.png", "voorwaarden-getekend.pdf": "pakbon.pdf"}[filepath.Base(d.path)]
		content, err := os.ReadFile(d.path)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, content, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, path)
	}
	mail := filepath.Join(dir, "mail vervoerder.pdf")
	if err := os.WriteFile(mail, onePagePDF("Schadeformulier DHL"), 0o644); err != nil {
		t.Fatal(err)
	}
	const files = "Documents: photos, scans or mails (PDF, PNG or JPEG; at most 5 files of 10 MB each)"

	p := b.newPhone(t, a)
	p.login(users.RoleCustomer)
	p.open("/portal/complaints/new")
	p.wantHeading("File a complaint")
	p.upload(files, paths...)
	p.press("File the complaint", 422)
	p.wantFieldError("Your complaint: what happened?", "Describe the complaint.")
	want := []string{"Kept: dent.png — choose files only to add more.", "Kept: pakbon.pdf — choose files only to add more."}
	if got := p.texts("p.kept"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		p.errorf("the files shown as kept are %q, want %q", got, want)
	}
	p.fill("Your complaint: what happened?", "Two kettles arrived dented; the photo and the delivery note are attached.")
	p.press("File the complaint", 200)
	p.wantFlash("Your complaint is filed. We acknowledge it within 3 working days, saying who handles it and when you can expect an answer.")
	p.within("#documents", func() { p.see("dent.png", "pakbon.pdf") })

	p.upload("Add documents: photos, scans or mails (PDF, PNG or JPEG; at most 5 files of 10 MB each)", mail)
	p.press("Add the documents", 200)
	p.wantFlash("The documents are added to your complaint.")
	p.within("#documents", func() { p.see("dent.png", "pakbon.pdf", "mail vervoerder.pdf") })

	am := b.newTab(t, a)
	am.login(users.RoleAccountManager)
	am.follow("Complaints")
	am.follow("complaint 1")
	am.within("#documents", func() { am.see("dent.png", "pakbon.pdf", "mail vervoerder.pdf") })
}
