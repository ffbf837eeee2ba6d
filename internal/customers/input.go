package customers

import (
	"strings"

	"wholesale/internal/apperr"
	"wholesale/internal/i18n"
	"wholesale/internal/money"
	"wholesale/internal/validate"
)

// PaymentTermMax is the longest payment term sales may set, in days; the
// companies table holds the same bound.
const PaymentTermMax = 365

// ApproveInput are the payment terms and account manager sales set.
type ApproveInput struct {
	PaymentTerms     string
	CreditLimit      string // euros as typed, e.g. "10.000"
	PaymentTermDays  string // empty: 30
	AccountManagerID int64

	// Set by Validate.
	creditLimitCents money.Cents
	paymentTermDays  int
}

// Terms returns the credit limit in cents and the payment term in days that
// Validate read.
func (in *ApproveInput) Terms() (money.Cents, int) { return in.creditLimitCents, in.paymentTermDays }

// Validate reads the credit limit (more than 0, at most money.MaxCents) and
// the payment term (1 to PaymentTermMax days, 30 when empty) of credit terms
// and returns a message per wrong field.
func (in *ApproveInput) Validate() apperr.FieldErrors {
	fe := apperr.FieldErrors{}
	in.creditLimitCents, in.paymentTermDays = 0, 30
	switch in.PaymentTerms {
	case TermsCredit:
		if strings.TrimSpace(in.CreditLimit) == "" {
			fe.Add("credit_limit", i18n.M("Enter the credit limit in euros, e.g. %s.", i18n.Num(10_000)))
		} else if c, ok := validate.Money(fe, "credit_limit", in.CreditLimit); ok && c == 0 {
			fe.Add("credit_limit", i18n.M("A credit limit is more than € 0; choose prepayment instead."))
		} else {
			in.creditLimitCents = c
		}
		if strings.TrimSpace(in.PaymentTermDays) != "" {
			days, msg := validate.ParseWhole(in.PaymentTermDays)
			if !msg.IsZero() || days < 1 || days > PaymentTermMax {
				fe.Add("payment_term_days", i18n.M("Enter the payment term in days, 1 to 365."))
			}
			in.paymentTermDays = days
		}
	case TermsPrepayment:
	default:
		fe.Add("payment_terms", i18n.M("Choose a credit limit or prepayment."))
	}
	if in.AccountManagerID <= 0 {
		fe.Add("account_manager_id", i18n.M("Choose the account manager."))
	}
	return fe
}

// Validate normalises a checklist verdict and returns a message per wrong
// field: the note is at most validate.NoteMax characters, and needed when
// the item fails; the item and the date are at most one short line.
func (in *CheckInput) Validate() apperr.FieldErrors {
	fe := apperr.FieldErrors{}
	in.Note = strings.TrimSpace(in.Note)
	if !in.Passed && in.Note == "" {
		fe.Add("note", i18n.M("Say why this item fails, so the applicant can be told."))
	}
	validate.Text(fe, "note", in.Note, validate.NoteMax)
	if !validate.Line(apperr.FieldErrors{}, "item", in.Item, validate.ShortMax) {
		fe.Add("item", i18n.M("Choose an item of the checklist."))
	}
	validate.Line(fe, "kvk_extract_date", in.KvKExtractDate, validate.ShortMax)
	return fe
}

// requiredNote trims a note that must be given and checks it as free text
// of at most validate.NoteMax characters; it returns Invalid with the
// message at field, or nil.
func requiredNote(field string, note *string, emptyMsg i18n.Message) error {
	*note = strings.TrimSpace(*note)
	fe := apperr.FieldErrors{}
	if *note == "" {
		fe.Add(field, emptyMsg)
	}
	validate.Text(fe, field, *note, validate.NoteMax)
	return fe.Err()
}
