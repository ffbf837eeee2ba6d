package customers

import (
	"net/mail"
	"regexp"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/i18n"
	"wholesale/internal/ident"
	"wholesale/internal/validate"
)

// Application statuses.
const (
	AppNew      = "new"
	AppInReview = "in_review"
	AppWaiting  = "waiting"
	AppApproved = "approved"
	AppRejected = "rejected"
)

// AppStatuses lists the statuses in queue order.
var AppStatuses = []string{AppNew, AppInReview, AppWaiting, AppApproved, AppRejected}

// AppStatusLabel names a status for people.
func AppStatusLabel(s string) i18n.Message {
	switch s {
	case AppNew:
		return i18n.M("new")
	case AppInReview:
		return i18n.M("in review")
	case AppWaiting:
		return i18n.M("waiting for the applicant")
	case AppApproved:
		return i18n.M("approved")
	case AppRejected:
		return i18n.M("rejected")
	}
	return i18n.Raw(s)
}

// Open tells whether an application is still being decided.
func Open(status string) bool {
	return status == AppNew || status == AppInReview || status == AppWaiting
}

// VIES states of an application.
const (
	VIESOff     = "off"
	VIESPending = "pending"
	VIESValid   = "valid"
	VIESInvalid = "invalid"
)

// VIESLabel names a VIES state for people.
func VIESLabel(s string) i18n.Message {
	switch s {
	case VIESOff:
		return i18n.M("not asked (VIES checks are off)")
	case VIESPending:
		return i18n.M("no answer yet")
	case VIESValid:
		return i18n.M("valid")
	case VIESInvalid:
		return i18n.M("not valid")
	}
	return i18n.Raw(s)
}

// Terms is the version of the general terms an applicant accepts.
type Terms struct {
	// Name is the terms' title; the Dutch text is the original.
	Name    i18n.Message
	Version string
	// Date is the day the version took effect.
	Date time.Time
}

// CurrentTerms are the general terms shown on the application form.
var CurrentTerms = Terms{Name: i18n.M("General terms of wholesale"), Version: "2026-01", Date: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}

// Application is a business's request to become a customer.
type Application struct {
	bun.BaseModel `bun:"table:applications,alias:a"`

	ID              int64      `bun:"id,pk,autoincrement"`
	Status          string     `bun:"status"`
	Source          string     `bun:"source"`
	EnteredBy       *int64     `bun:"entered_by"`
	CompanyName     string     `bun:"company_name"`
	KvK             string     `bun:"kvk"`
	BranchNumber    string     `bun:"branch_number"`
	VATID           string     `bun:"vat_id"`
	Visiting        Address    `bun:"embed:visiting_"`
	Invoice         Address    `bun:"embed:invoice_"`
	ContactName     string     `bun:"contact_name"`
	ContactEmail    string     `bun:"contact_email"`
	ContactPhone    string     `bun:"contact_phone"`
	IBAN            string     `bun:"iban"`
	AccountHolder   string     `bun:"account_holder"`
	TermsVersion    string     `bun:"terms_version"`
	TermsAcceptedAt time.Time  `bun:"terms_accepted_at"`
	VIESStatus      string     `bun:"vies_status"`
	VIESCheckedAt   *time.Time `bun:"vies_checked_at"`
	VIESName        string     `bun:"vies_name"`
	VIESAddress     string     `bun:"vies_address"`
	// VIESError is why VIES did not answer, as VIES or the connection
	// said it (technical, not translated).
	VIESError      string     `bun:"vies_error"`
	KvKExtractDate *time.Time `bun:"kvk_extract_date,type:date"`
	// Language is the language the application was sent in ("nl" or
	// "en"): the mail to the applicant goes in it.
	Language           string     `bun:"language"`
	UploadTokenHash    *string    `bun:"upload_token_hash"`
	UploadTokenExpires *time.Time `bun:"upload_token_expires"`
	UploadRequestNote  string     `bun:"upload_request_note"`
	RejectReason       string     `bun:"reject_reason"`
	DecidedBy          *int64     `bun:"decided_by"`
	DecidedAt          *time.Time `bun:"decided_at"`
	CompanyID          *int64     `bun:"company_id"`
	CreatedAt          time.Time  `bun:"created_at"`
	UpdatedAt          time.Time  `bun:"updated_at"`
}

// LanguageLabel names the language of the mail to the applicant.
func (a *Application) LanguageLabel() i18n.Message { return LanguageLabel(a.Language) }

// CompanyLanguageLabel names the language of the mail to the company made
// from the application, by its visiting address (LanguageFor).
func (a *Application) CompanyLanguageLabel() i18n.Message {
	return LanguageLabel(string(LanguageFor(a.Visiting.Country)))
}

// VIESStatusLabel names the application's VIES state.
func (a *Application) VIESStatusLabel() i18n.Message { return VIESLabel(a.VIESStatus) }

// ApplicationInput is the application form as typed.
type ApplicationInput struct {
	CompanyName string
	KvK         string
	// BranchNumber is the vestigingsnummer of the establishment, optional.
	BranchNumber       string
	VATID              string
	Visiting           Address
	InvoiceSameAsVisit bool
	Invoice            Address
	ContactName        string
	ContactEmail       string
	ContactPhone       string
	IBAN               string
	AccountHolder      string
	TermsAccepted      bool
	Uploads            map[string]Upload
	// Language is the language of the mail to the applicant: the one the
	// form was sent in; when empty, Dutch for a visiting address in the
	// Netherlands and English for others.
	Language string
}

var (
	nlPostcode = regexp.MustCompile(`^(\d{4})\s*([A-Z]{2})$`)
	country    = regexp.MustCompile(`^[A-Z]{2}$`)
)

// Validate normalises the input and returns a message per wrong field
// (Invalid). Every text is one line of valid UTF-8 without control
// characters: names, street, city and account holder at most
// validate.NameMax characters, the e-mail address at most validate.EmailMax,
// the identifiers in their formats. Uploads are checked by the service,
// which may keep them.
func (in *ApplicationInput) Validate() apperr.FieldErrors {
	fe := apperr.FieldErrors{}
	in.CompanyName = strings.TrimSpace(in.CompanyName)
	if in.CompanyName == "" {
		fe.Add("company_name", i18n.M("Enter the company name as registered at the KvK."))
	}
	validate.Line(fe, "company_name", in.CompanyName, validate.NameMax)
	validateIDs(fe, &in.KvK, &in.VATID)
	validateBranch(fe, &in.BranchNumber)
	validateAddress(fe, "visiting", &in.Visiting)
	if in.InvoiceSameAsVisit {
		in.Invoice = in.Visiting
	} else {
		validateAddress(fe, "invoice", &in.Invoice)
	}
	validateContact(fe, &in.ContactName, &in.ContactEmail, &in.ContactPhone)
	validateBank(fe, &in.IBAN, &in.AccountHolder)
	if !in.TermsAccepted {
		fe.Add("terms", i18n.M("Accept the general terms to apply."))
	}
	switch l := i18n.Lang(in.Language); {
	case in.Language == "":
		in.Language = string(LanguageFor(in.Visiting.Country))
	case !l.Valid():
		fe.Add("language", i18n.M("Choose Dutch or English."))
	}
	return fe
}

// validateIDs checks and normalises a KvK number and a VAT id.
func validateIDs(fe apperr.FieldErrors, kvk, vatID *string) {
	var msg i18n.Message
	if validate.Line(fe, "kvk", *kvk, validate.ShortMax) {
		if *kvk, msg = ident.ParseKvK(*kvk); !msg.IsZero() {
			fe.Add("kvk", msg)
		}
	}
	if validate.Line(fe, "vat_id", *vatID, validate.ShortMax) {
		if *vatID, msg = ident.ParseVAT(*vatID); !msg.IsZero() {
			fe.Add("vat_id", msg)
		}
	}
}

// validateBranch checks and normalises an optional branch number
// (vestigingsnummer).
func validateBranch(fe apperr.FieldErrors, branch *string) {
	if *branch = strings.TrimSpace(*branch); *branch == "" {
		return
	}
	if validate.Line(fe, "branch_number", *branch, validate.ShortMax) {
		var msg i18n.Message
		if *branch, msg = ident.ParseBranch(*branch); !msg.IsZero() {
			fe.Add("branch_number", msg)
		}
	}
}

// validateContact checks and normalises a contact person: a name, an
// e-mail address (lower-cased) and a telephone number of 8 to 15 digits.
func validateContact(fe apperr.FieldErrors, name, email, phone *string) {
	*name = strings.TrimSpace(*name)
	if *name == "" {
		fe.Add("contact_name", i18n.M("Enter the name of the contact person."))
	}
	validate.Line(fe, "contact_name", *name, validate.NameMax)
	*email = validate.Lower(strings.TrimSpace(*email))
	validateEmail(fe, "contact_email", *email)
	*phone = strings.TrimSpace(*phone)
	if validate.Line(fe, "contact_phone", *phone, validate.ShortMax) {
		if digits := strings.Map(keepDigit, *phone); len(digits) < 8 || len(digits) > 15 ||
			strings.Trim(*phone, "0123456789 +-()") != "" {
			fe.Add("contact_phone", i18n.M("Enter a telephone number of 8 to 15 digits, e.g. +31 20 123 4567."))
		}
	}
}

// validateEmail checks a required, normalised e-mail address.
func validateEmail(fe apperr.FieldErrors, field, email string) {
	if email == "" {
		fe.Add(field, i18n.M("Enter the e-mail address, like inkoop@bedrijf.nl."))
		return
	}
	if validate.Email(fe, field, email) {
		if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
			fe.Add(field, i18n.M("Enter a valid e-mail address, like inkoop@bedrijf.nl."))
		}
	}
}

// validateBank checks and normalises an IBAN and its account holder.
func validateBank(fe apperr.FieldErrors, iban, holder *string) {
	if validate.Line(fe, "iban", *iban, validate.ShortMax) {
		var msg i18n.Message
		if *iban, msg = ident.ParseIBAN(*iban); !msg.IsZero() {
			fe.Add("iban", msg)
		}
	}
	*holder = strings.TrimSpace(*holder)
	if *holder == "" {
		fe.Add("account_holder", i18n.M("Enter the name of the account holder as the bank knows it."))
	}
	validate.Line(fe, "account_holder", *holder, validate.NameMax)
}

func keepDigit(r rune) rune {
	if r >= '0' && r <= '9' {
		return r
	}
	return -1
}

// PostcodeMax is the longest postcode accepted (the longest in use abroad,
// with room).
const PostcodeMax = 12

func validateAddress(fe apperr.FieldErrors, prefix string, a *Address) {
	a.Street = strings.TrimSpace(a.Street)
	a.City = strings.TrimSpace(a.City)
	a.Country = validate.Upper(strings.TrimSpace(a.Country))
	a.Postcode = validate.Upper(strings.TrimSpace(a.Postcode))
	if a.Country == "" {
		a.Country = "NL"
	}
	if a.Street == "" {
		fe.Add(prefix+"_street", i18n.M("Enter the street and house number."))
	}
	validate.Line(fe, prefix+"_street", a.Street, validate.NameMax)
	if a.City == "" {
		fe.Add(prefix+"_city", i18n.M("Enter the city."))
	}
	validate.Line(fe, prefix+"_city", a.City, validate.NameMax)
	if !country.MatchString(a.Country) {
		fe.Add(prefix+"_country", i18n.M("Enter the two-letter country code, e.g. NL or BE."))
	}
	if !validate.Line(fe, prefix+"_postcode", a.Postcode, PostcodeMax) {
		return
	}
	if a.Country == "NL" {
		if m := nlPostcode.FindStringSubmatch(a.Postcode); m != nil {
			a.Postcode = m[1] + " " + m[2]
		} else {
			fe.Add(prefix+"_postcode", i18n.M("A Dutch postcode is 4 digits and 2 letters, e.g. 1234 AB."))
		}
	} else if a.Postcode == "" {
		fe.Add(prefix+"_postcode", i18n.M("Enter the postcode."))
	}
}

// CheckItem is one line of the vetting checklist.
type CheckItem struct {
	Key   string
	Label i18n.Message
	// Doc is the document kind the item is about, if any.
	Doc string
}

// Checklist items.
const (
	CheckKvKRecent       = "kvk_extract_recent"
	CheckNamesConsistent = "names_consistent"
	CheckVATValid        = "vat_valid"
	CheckIBANValid       = "iban_valid"
	CheckVIES            = "vies"
)

// Checklist returns the items an application must pass before approval; the
// VIES item only when VIES was enabled for it.
func Checklist(a *Application) []CheckItem {
	items := []CheckItem{
		{"doc_" + DocVATStatement, i18n.M("VAT statement present and readable"), DocVATStatement},
		{"doc_" + DocKvKExtract, i18n.M("KvK extract present and readable"), DocKvKExtract},
		{"doc_" + DocLetterhead, i18n.M("Letterhead with contact and bank details present and readable"), DocLetterhead},
		{"doc_" + DocSignedTerms, i18n.M("General terms signed, of the version accepted, readable"), DocSignedTerms},
		{CheckKvKRecent, i18n.M("KvK extract not older than 6 months (enter the date on the extract)"), ""},
		{CheckNamesConsistent, i18n.M("Names and addresses consistent across the documents and the form"), ""},
		{CheckVATValid, i18n.M("VAT id valid and the one on the VAT statement"), ""},
		{CheckIBANValid, i18n.M("IBAN valid and the one on the letterhead, in the company's name"), ""},
	}
	if a.VIESStatus != VIESOff {
		items = append(items, CheckItem{CheckVIES, i18n.M("VIES confirms the VAT id"), ""})
	}
	return items
}

// Check is a verdict on one checklist item.
type Check struct {
	bun.BaseModel `bun:"table:application_checks,alias:ac"`

	ApplicationID int64     `bun:"application_id,pk" json:"application_id"`
	Item          string    `bun:"item,pk" json:"item"`
	Passed        bool      `bun:"passed" json:"passed"`
	Note          string    `bun:"note" json:"note"`
	CheckedBy     int64     `bun:"checked_by" json:"checked_by"`
	CheckedAt     time.Time `bun:"checked_at" json:"checked_at"`
	// CheckerName is filled in by View.
	CheckerName string `bun:"-" json:"-"`
}

// Missing returns the labels of the items not passed.
func Missing(items []CheckItem, checks map[string]Check) []i18n.Message {
	var out []i18n.Message
	for _, it := range items {
		if c, ok := checks[it.Key]; !ok || !c.Passed {
			out = append(out, it.Label)
		}
	}
	return out
}
