package e2e_test

import (
	"strings"
	"testing"

	"wholesale/internal/users"
)

// journeyComplaintDocuments: the customer's buyer, on a phone, files a
// complaint with a photo and the delivery note but forgets to describe
// it; the form comes back with both files kept, and is sent without
// choosing them again. The complaint's page lists them; the buyer adds
// the carrier's mail later, and the account manager finds all three on
// the staff's page of the complaint (found by its reference among the
// demo's complaints).
func journeyComplaintDocuments(t *testing.T, b *browser) {
	a := startApp(t)
	write := tempFiles(t)
	photo := write("dent.png", []byte("\x89PNG\r\n\x1a\n a photo of the dent")) // judged by its first bytes
	note := write("pakbon.pdf", onePagePDF("Pakbon INK-4471"))
	mail := write("mail vervoerder.pdf", onePagePDF("Schadeformulier DHL"))
	const files = "Documents: photos, scans or mails (PDF, PNG or JPEG; at most 5 files of 10 MB each)"

	p := b.newPhone(t, a)
	p.login(users.RoleCustomer)
	p.open("/portal/complaints/new")
	p.wantHeading("File a complaint")
	p.upload(files, photo, note)
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
	ref, ok := strings.CutPrefix(p.heading(), "Complaint: ")
	if !ok {
		p.fatalf("the complaint's page is headed %q", p.heading())
	}

	am := b.newTab(t, a)
	am.login(users.RoleAccountManager)
	am.follow("Complaints")
	am.follow(ref)
	am.within("#documents", func() { am.see("dent.png", "pakbon.pdf", "mail vervoerder.pdf") })
}
