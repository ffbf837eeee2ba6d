package returns

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"wholesale/internal/catalog"
	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/mail"
	"wholesale/internal/postgres"
)

// letter is a mail in its reader's language.
type letter struct {
	l *i18n.Localizer
	b strings.Builder
}

func (t *letter) line(m i18n.Message) { t.b.WriteString(t.l.Text(m) + "\n") }
func (t *letter) para(m i18n.Message) { t.b.WriteString(t.l.Text(m) + "\n\n") }
func (t *letter) raw(s string)        { t.b.WriteString(s + "\n") }

// customerLetter opens a mail to customer c, in its language.
func customerLetter(c *customers.Company) *letter {
	t := &letter{l: i18n.For(c.Lang())}
	if c.ContactName == "" {
		t.para(i18n.M("Dear customer,"))
	} else {
		t.para(i18n.M("Dear %s,", c.ContactName))
	}
	return t
}

// close ends the mail with the portal's address and the greeting.
func (t *letter) close(s *Service, r *Return, seller string) string {
	if s.BaseURL != "" {
		t.para(i18n.M("You follow the return in the customer portal: %s", fmt.Sprintf("%s/portal/returns/%d", s.BaseURL, r.ID)))
	}
	t.line(i18n.M("Kind regards,"))
	t.raw(seller)
	return t.b.String()
}

// what names the goods of a return in a mail to the customer.
func what(r *Return) i18n.Message {
	return i18n.M("%d × %s %s of order %d (your reference %s)", r.Quantity, r.SKU, r.ProductName, r.OrderID, r.POReference)
}

// whatFor names the goods of a return in a mail to staff, where the PO
// reference is the customer's, not the reader's.
func whatFor(r *Return) i18n.Message {
	return i18n.M("%d × %s %s of order %d (PO %s)", r.Quantity, r.SKU, r.ProductName, r.OrderID, r.POReference)
}

// recipient is where mail about a return goes: the customer's contact, or
// the customer's user who asked for it when the company has no contact
// address.
func recipient(ctx context.Context, db bun.IDB, r *Return, c *customers.Company) (string, error) {
	if c.ContactEmail != "" {
		return c.ContactEmail, nil
	}
	var to string
	err := db.NewRaw(`SELECT email FROM users WHERE id = ? AND role = 'customer' AND active`, r.CreatedBy).Scan(ctx, &to)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	return to, nil
}

// mailReferred tells the customer the return gets no RA and where the
// brand's service centre is.
func (s *Service) mailReferred(ctx context.Context, tx *postgres.Tx, r *Return, c *customers.Company, seller string) error {
	to, err := recipient(ctx, tx, r, c)
	if err != nil || to == "" {
		return err
	}
	t := customerLetter(c)
	t.para(i18n.M("You reported a fault of %s.", what(r)))
	t.para(ClosedLabel(r.ClosedReason, r.WindowEnds))
	writeCentre(t, r.ServiceCentre, r.Brand)
	body := t.close(s, r, seller)
	subject := t.l.Text(i18n.M("Your return of %s: the service centre of %s", r.SKU, r.Brand))
	return mail.Enqueue(ctx, tx, s.now(), t.l.Lang(), to, subject, body)
}

// writeCentre writes a service centre's contact details, or where to get them.
func writeCentre(t *letter, sc *catalog.ServiceCentre, brand string) {
	if sc == nil {
		t.para(i18n.M("Your account manager gives you the details of the authorised service centre of %s.", brand))
		return
	}
	t.line(i18n.M("The authorised service centre of %s:", sc.Brand))
	for _, s := range []string{sc.Name, sc.Address, sc.Phone, sc.Email, sc.Web} {
		if s != "" {
			t.raw("  " + s)
		}
	}
	t.raw("")
}

// mailApproved sends the customer the RA number and the shipping
// instructions, with the printable label.
func (s *Service) mailApproved(ctx context.Context, tx *postgres.Tx, r *Return, c *customers.Company, lb *Label, pdf []byte, seller string) error {
	to, err := recipient(ctx, tx, r, c)
	if err != nil || to == "" {
		return err
	}
	t := customerLetter(c)
	t.para(i18n.M("We approved the return of %s. Its RA number is %s.", what(r), lb.RA))
	t.line(i18n.M("Please send the units back as follows:"))
	t.line(i18n.M("1. Pack the units safely, with their accessories."))
	t.line(i18n.M("2. Put the RA number %s on the outside of the parcel: print the label attached and stick it on.", lb.RA))
	t.line(i18n.M("3. Send the parcel to:"))
	for _, a := range lb.To {
		t.raw("     " + a)
	}
	t.para(i18n.M("4. It must arrive by %s. After that the RA expires and the parcel is refused.", i18n.LongDate{T: lb.ArriveBy}))
	t.para(i18n.M("On arrival we test each unit. If the fault is confirmed you receive %s, as you asked.", RemedyLabel(r.Remedy)))
	body := t.close(s, r, seller)
	subject := t.l.Text(i18n.M("Return approved: RA number %s", lb.RA))
	b := postgres.NewBatch(tx)
	if err := mail.EnqueueWithIn(b, s.now(), t.l.Lang(), to, subject, body,
		[]mail.Attachment{{Filename: lb.LabelFilename(), ContentType: "application/pdf", Content: pdf}}); err != nil {
		return err
	}
	return b.Exec(ctx, tx)
}

// mailRejected tells the customer the return was turned down, and why.
func (s *Service) mailRejected(ctx context.Context, tx *postgres.Tx, r *Return, c *customers.Company, why, seller string) error {
	to, err := recipient(ctx, tx, r, c)
	if err != nil || to == "" {
		return err
	}
	t := customerLetter(c)
	t.para(i18n.M("We cannot accept the return of %s.", what(r)))
	t.para(i18n.M("Reason: %s", why))
	body := t.close(s, r, seller)
	return mail.Enqueue(ctx, tx, s.now(), t.l.Lang(), to, t.l.Text(i18n.M("Your return of %s is not accepted", r.SKU)), body)
}

// mailSettled tells the customer what the test found and how the return is settled.
func (s *Service) mailSettled(ctx context.Context, tx *postgres.Tx, r *Return, c *customers.Company, done []i18n.Message, seller string) error {
	to, err := recipient(ctx, tx, r, c)
	if err != nil || to == "" {
		return err
	}
	t := customerLetter(c)
	t.para(i18n.M("We tested the units of return %s (%s):", r.RA(), what(r)))
	for _, u := range r.Units {
		note := ""
		if u.Note != "" {
			note = " — " + u.Note
		}
		serial := ""
		if u.Serial != "" {
			serial = " (" + u.Serial + ")"
		}
		t.raw(fmt.Sprintf("  %d%s: %s%s", u.UnitNo, serial, t.l.Text(ResultLabel(u.ResultOr())), note))
	}
	t.raw("")
	for _, m := range done {
		t.line(m)
	}
	t.raw("")
	body := t.close(s, r, seller)
	return mail.Enqueue(ctx, tx, s.now(), t.l.Lang(), to, t.l.Text(i18n.M("Return %s settled", r.RA())), body)
}

// mailManager tells the customer's account manager that a return waits
// for approval.
func (s *Service) mailManager(ctx context.Context, tx *postgres.Tx, r *Return, c *customers.Company) error {
	return s.toManager(ctx, tx, c, i18n.M("Return to approve: %s", c.Name),
		i18n.M("%s asks to return %s as dead on arrival.", c.Name, whatFor(r)), i18n.M("Fault: %s", r.Fault),
		i18n.M("Approve or reject it: %s", fmt.Sprintf("%s/returns/%d", s.BaseURL, r.ID)))
}

// mailManagerCancelled tells the customer's account manager that the
// customer cancelled its return.
func (s *Service) mailManagerCancelled(ctx context.Context, tx *postgres.Tx, r *Return, c *customers.Company, why string) error {
	return s.toManager(ctx, tx, c, i18n.M("Return cancelled by %s", c.Name),
		i18n.M("%s cancelled its return %s of %s.", c.Name, r.Ref(), whatFor(r)), i18n.M("Reason: %s", why),
		i18n.M("The return: %s", fmt.Sprintf("%s/returns/%d", s.BaseURL, r.ID)))
}

// toManager mails the customer's account manager in the manager's
// language: the subject, then the paragraphs, the last of which (a link)
// only when the service knows its address.
func (s *Service) toManager(ctx context.Context, tx *postgres.Tx, c *customers.Company, subject i18n.Message, paras ...i18n.Message) error {
	if c.AccountManagerID == nil {
		return nil
	}
	var am struct {
		Email    string `bun:"email"`
		Language string `bun:"language"`
	}
	if err := tx.NewRaw(`SELECT email, COALESCE(language, '') AS language FROM users WHERE id = ? AND active`, *c.AccountManagerID).Scan(ctx, &am); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		return err
	}
	l := i18n.For(i18n.Lang(am.Language).Or(i18n.Default))
	if s.BaseURL == "" {
		paras = paras[:len(paras)-1]
	}
	var b strings.Builder
	for _, p := range paras {
		b.WriteString(l.Text(p) + "\n\n")
	}
	return mail.Enqueue(ctx, tx, s.now(), l.Lang(), am.Email, l.Text(subject), b.String())
}
