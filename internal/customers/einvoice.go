package customers

import (
	"context"
	"regexp"
	"strings"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/i18n"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
	"wholesale/internal/validate"
)

// E-invoice (UBL) profiles.
const (
	// ProfileNLCIUS is SI-UBL 2.0, the Dutch CIUS of EN 16931.
	ProfileNLCIUS = "nlcius"
	// ProfilePeppol is Peppol BIS Billing 3.0.
	ProfilePeppol = "peppol"
)

// EInvoiceProfileFor is the UBL profile of a customer in country that
// chose chosen ("" to follow the country): SI-UBL 2.0 in the Netherlands,
// Peppol BIS Billing 3.0 elsewhere.
func EInvoiceProfileFor(country, chosen string) string {
	if chosen == ProfileNLCIUS || chosen == ProfilePeppol {
		return chosen
	}
	if country == "NL" || country == "" {
		return ProfileNLCIUS
	}
	return ProfilePeppol
}

// EInvoiceProfileLabel names a profile for people.
func EInvoiceProfileLabel(p string) i18n.Message {
	switch p {
	case ProfileNLCIUS:
		return i18n.M("SI-UBL 2.0 (NLCIUS)")
	case ProfilePeppol:
		return i18n.M("Peppol BIS Billing 3.0")
	}
	return i18n.M("By country: SI-UBL 2.0 in the Netherlands, Peppol BIS 3.0 elsewhere")
}

// EAS are the scheme codes of electronic addresses (the CEF EAS code list
// that EN 16931 rule BR-CL-25 checks).
var EAS = strings.Fields(`0002 0007 0009 0037 0060 0088 0096 0097 0106 0130 0135 0142 0147 0151 0154 0158 0170 0177 0183
	0184 0188 0190 0191 0192 0193 0194 0195 0196 0198 0199 0200 0201 0202 0203 0204 0205 0208 0209 0210 0211 0212 0213 0215
	0216 0217 0218 0219 0220 0221 0225 0230 0235 0240 0242 0244 0245 0246 0248 9910 9913 9914 9915 9918 9919 9920 9922 9923
	9924 9925 9926 9927 9928 9929 9930 9931 9932 9933 9934 9935 9936 9937 9938 9939 9940 9941 9942 9943 9944 9945 9946 9947
	9948 9949 9950 9951 9952 9953 9957 9959 AN AQ AS AU EM`)

var peppolIDRe = regexp.MustCompile(`^([0-9]{4}|[A-Z]{2}):([A-Za-z0-9][A-Za-z0-9._@+\-]{0,49})$`)

// SplitPeppolID splits a Peppol participant id "scheme:id" into its EAS
// scheme and the id; ok is false unless the scheme is on the EAS list.
func SplitPeppolID(s string) (scheme, id string, ok bool) {
	m := peppolIDRe.FindStringSubmatch(s)
	if m == nil {
		return "", "", false
	}
	for _, e := range EAS {
		if e == m[1] {
			return m[1], m[2], true
		}
	}
	return "", "", false
}

// EInvoiceInput is what sales set of a customer's e-invoices.
type EInvoiceInput struct {
	Profile        string `json:"einvoice_profile" form:"einvoice_profile"`
	PeppolID       string `json:"peppol_id" form:"peppol_id"`
	BuyerReference string `json:"buyer_reference" form:"buyer_reference"`
	UBLInMail      bool   `json:"ubl_in_mail" form:"ubl_in_mail"`
}

// Validate bounds every field. Returns Invalid with field messages.
func (in *EInvoiceInput) Validate() error {
	in.PeppolID = strings.TrimSpace(in.PeppolID)
	in.BuyerReference = strings.TrimSpace(in.BuyerReference)
	fe := apperr.FieldErrors{}
	if in.Profile != "" && in.Profile != ProfileNLCIUS && in.Profile != ProfilePeppol {
		fe["einvoice_profile"] = i18n.M("Choose a profile from the list.")
	}
	if in.PeppolID != "" && validate.Line(fe, "peppol_id", in.PeppolID, 60) {
		if _, _, ok := SplitPeppolID(in.PeppolID); !ok {
			fe["peppol_id"] = i18n.M("Enter the Peppol id as scheme:id, e.g. 0106:12345678 (KvK) or 9944:NL123456789B01 (VAT).")
		}
	}
	validate.Line(fe, "buyer_reference", in.BuyerReference, 100)
	return fe.Err()
}

// SetEInvoice sets how a customer receives its e-invoices. Sales and
// admins only; the change is in the audit trail. Invoices issued before
// keep what they were issued with. Returns NotFound, Forbidden, Invalid.
func (s *Service) SetEInvoice(ctx context.Context, by *users.User, companyID int64, in EInvoiceInput) error {
	if !by.Is(users.RoleSales, users.RoleAdmin) {
		return apperr.Forbiddenf("Sales set how a customer receives its e-invoices.")
	}
	if err := in.Validate(); err != nil {
		return err
	}
	return postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		c, err := LockByID(ctx, tx, companyID)
		if err != nil {
			return err
		}
		before := EInvoiceInput{Profile: c.EInvoiceProfile, PeppolID: c.PeppolID, BuyerReference: c.BuyerReference, UBLInMail: c.UBLInMail}
		if before == in {
			return nil
		}
		now := s.Clock.Now()
		c.EInvoiceProfile, c.PeppolID, c.BuyerReference, c.UBLInMail, c.UpdatedAt = in.Profile, in.PeppolID, in.BuyerReference, in.UBLInMail, now
		if _, err := tx.NewUpdate().Model(c).Column("einvoice_profile", "peppol_id", "buyer_reference", "ubl_in_mail", "updated_at").
			WherePK().Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Change{Entity: "company", EntityID: c.ID, Action: "einvoice", Before: before, After: in})
	})
}
