package customers

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/i18n"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
	"wholesale/internal/validate"
)

// Kinds of account change.
const (
	ChangeAddresses    = "addresses"
	ChangeContact      = "contact"
	ChangeBank         = "bank"
	ChangeInvoiceEmail = "invoice_email"
)

// ChangeKinds lists the kinds in form order.
var ChangeKinds = []string{ChangeAddresses, ChangeContact, ChangeBank, ChangeInvoiceEmail}

// ChangeKindLabel names a kind of change for people.
func ChangeKindLabel(k string) i18n.Message {
	switch k {
	case ChangeAddresses:
		return i18n.M("Addresses")
	case ChangeContact:
		return i18n.M("Contact person")
	case ChangeBank:
		return i18n.M("Bank account")
	case ChangeInvoiceEmail:
		return i18n.M("Invoice e-mail address")
	}
	return i18n.Raw(k)
}

// ChangeFields are the company fields each kind of change sets.
var ChangeFields = map[string][]string{
	ChangeAddresses: {"visiting_street", "visiting_postcode", "visiting_city", "visiting_country",
		"invoice_street", "invoice_postcode", "invoice_city", "invoice_country"},
	ChangeContact:      {"contact_name", "contact_email", "contact_phone"},
	ChangeBank:         {"iban", "account_holder"},
	ChangeInvoiceEmail: {"invoice_email"},
}

// fieldLabels name the company fields of the changes for people.
var fieldLabels = map[string]i18n.Message{
	"iban": i18n.M("IBAN"), "account_holder": i18n.M("Account holder"),
	"invoice_email": i18n.M("Invoice e-mail"), "contact_email": i18n.M("Contact e-mail"),
	"contact_name": i18n.M("Contact name"), "contact_phone": i18n.M("Contact phone"),
	"visiting_street": i18n.M("Visiting street"), "visiting_postcode": i18n.M("Visiting postcode"),
	"visiting_city": i18n.M("Visiting city"), "visiting_country": i18n.M("Visiting country"),
	"invoice_street": i18n.M("Invoice street"), "invoice_postcode": i18n.M("Invoice postcode"),
	"invoice_city": i18n.M("Invoice city"), "invoice_country": i18n.M("Invoice country"),
}

// FieldLabel names a company field of ChangeFields for people:
// "visiting_postcode" is "Visiting postcode".
func FieldLabel(f string) i18n.Message {
	if m, ok := fieldLabels[f]; ok {
		return m
	}
	return i18n.Raw(f)
}

// Change request statuses.
const (
	ChangeAwaitingConfirmation = "awaiting_confirmation"
	ChangeAwaitingApproval     = "awaiting_approval"
	ChangeApproved             = "approved"
	ChangeRejected             = "rejected"
)

// ChangeStatusLabel names a status for people.
func ChangeStatusLabel(s string) i18n.Message {
	switch s {
	case ChangeAwaitingConfirmation:
		return i18n.M("waiting for written confirmation")
	case ChangeAwaitingApproval:
		return i18n.M("confirmed, waiting for sales")
	case ChangeApproved:
		return i18n.M("approved and in effect")
	case ChangeRejected:
		return i18n.M("rejected")
	}
	return i18n.Raw(s)
}

// ChangeRequest is a requested change of account details. It takes effect
// only once confirmed in writing and approved by sales.
type ChangeRequest struct {
	bun.BaseModel `bun:"table:change_requests,alias:cr"`

	ID           int64             `bun:"id,pk,autoincrement" json:"id"`
	CompanyID    int64             `bun:"company_id" json:"company_id"`
	Kind         string            `bun:"kind" json:"kind"`
	OldValues    map[string]string `bun:"old_values,type:jsonb" json:"old_values"`
	NewValues    map[string]string `bun:"new_values,type:jsonb" json:"new_values"`
	Status       string            `bun:"status" json:"status"`
	Note         string            `bun:"note" json:"note"`
	RequestedBy  int64             `bun:"requested_by" json:"requested_by"`
	RequestedAt  time.Time         `bun:"requested_at" json:"requested_at"`
	Confirmation *string           `bun:"confirmation" json:"confirmation,omitempty"`
	ConfirmedBy  *int64            `bun:"confirmed_by" json:"confirmed_by,omitempty"`
	ConfirmedAt  *time.Time        `bun:"confirmed_at" json:"confirmed_at,omitempty"`
	DecidedBy    *int64            `bun:"decided_by" json:"decided_by,omitempty"`
	DecidedAt    *time.Time        `bun:"decided_at" json:"decided_at,omitempty"`
	DecisionNote string            `bun:"decision_note" json:"decision_note"`

	CompanyName   string `bun:"company_name,scanonly" json:"-"`
	RequesterName string `bun:"requester_name,scanonly" json:"-"`
}

// Open tells whether the request still waits for something.
func (r *ChangeRequest) Open() bool {
	return r.Status == ChangeAwaitingConfirmation || r.Status == ChangeAwaitingApproval
}

// Fields returns the request's fields in form order.
func (r *ChangeRequest) Fields() []string { return ChangeFields[r.Kind] }

// companyValues returns the company's current values of the fields of kind.
func companyValues(c *Company, kind string) map[string]string {
	all := map[string]string{
		"visiting_street": c.Visiting.Street, "visiting_postcode": c.Visiting.Postcode, "visiting_city": c.Visiting.City, "visiting_country": c.Visiting.Country,
		"invoice_street": c.Invoice.Street, "invoice_postcode": c.Invoice.Postcode, "invoice_city": c.Invoice.City, "invoice_country": c.Invoice.Country,
		"contact_name": c.ContactName, "contact_email": c.ContactEmail, "contact_phone": c.ContactPhone,
		"iban": c.IBAN, "account_holder": c.AccountHolder, "invoice_email": c.InvoiceEmail,
	}
	out := map[string]string{}
	for _, f := range ChangeFields[kind] {
		out[f] = all[f]
	}
	return out
}

// ChangeInput is a change request as typed.
type ChangeInput struct {
	Kind   string
	Values map[string]string
	Note   string
}

// Validate normalises the new values and returns field errors: the same
// rules as the application form for each field, and a note of at most
// validate.NoteMax characters.
func (in *ChangeInput) Validate() apperr.FieldErrors {
	fe := apperr.FieldErrors{}
	in.Note = strings.TrimSpace(in.Note)
	validate.Text(fe, "note", in.Note, validate.NoteMax)
	fields, ok := ChangeFields[in.Kind]
	if !ok {
		fe.Add("kind", i18n.M("Choose what changes."))
		return fe
	}
	v := map[string]string{}
	for _, f := range fields {
		v[f] = strings.TrimSpace(in.Values[f])
	}
	switch in.Kind {
	case ChangeAddresses:
		for _, p := range []string{"visiting", "invoice"} {
			a := Address{Street: v[p+"_street"], Postcode: v[p+"_postcode"], City: v[p+"_city"], Country: v[p+"_country"]}
			validateAddress(fe, p, &a)
			v[p+"_street"], v[p+"_postcode"], v[p+"_city"], v[p+"_country"] = a.Street, a.Postcode, a.City, a.Country
		}
	case ChangeContact:
		name, email, phone := v["contact_name"], v["contact_email"], v["contact_phone"]
		validateContact(fe, &name, &email, &phone)
		v["contact_name"], v["contact_email"], v["contact_phone"] = name, email, phone
	case ChangeBank:
		iban, holder := v["iban"], v["account_holder"]
		validateBank(fe, &iban, &holder)
		v["iban"], v["account_holder"] = iban, holder
	case ChangeInvoiceEmail:
		v["invoice_email"] = validate.Lower(v["invoice_email"])
		validateEmail(fe, "invoice_email", v["invoice_email"])
	}
	in.Values = v
	return fe
}

// CanSee tells whether u may see and act for company c: staff other than
// account managers any; an account manager their own customers; a customer
// user their own company.
func CanSee(u *users.User, c *Company) bool {
	switch u.Role {
	case users.RoleAdmin, users.RoleSales, users.RoleFinance:
		return true
	case users.RoleAccountManager:
		return c.AccountManagerID != nil && *c.AccountManagerID == u.ID
	case users.RoleCustomer:
		return u.CompanyID != nil && *u.CompanyID == c.ID
	}
	return false
}

// CompanyFor returns the company when u may see it; NotFound otherwise, so
// that nobody learns of other companies.
func CompanyFor(ctx context.Context, db bun.IDB, u *users.User, id int64) (*Company, error) {
	c, err := ByID(ctx, db, id)
	if err != nil {
		return nil, err
	}
	if !CanSee(u, c) {
		return nil, apperr.NotFoundf("Customer not found.")
	}
	return c, nil
}

// RequestChange records a change of account details for the company. It
// changes nothing yet. Returns NotFound, Invalid, Conflict (no change).
func (s *Service) RequestChange(ctx context.Context, by *users.User, companyID int64, in ChangeInput) (*ChangeRequest, error) {
	if !by.Is(users.RoleCustomer, users.RoleAccountManager, users.RoleSales, users.RoleAdmin) {
		return nil, apperr.Forbiddenf("Your role cannot record account changes.")
	}
	if err := in.Validate().Err(); err != nil {
		return nil, err
	}
	var r *ChangeRequest
	err := postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		c, err := CompanyFor(ctx, tx, by, companyID)
		if err != nil {
			return err
		}
		old := companyValues(c, in.Kind)
		same := true
		for f, v := range in.Values {
			same = same && old[f] == v
		}
		if same {
			return apperr.Conflictf("These are the current details: nothing changes.")
		}
		now := s.Clock.Now()
		r = &ChangeRequest{CompanyID: c.ID, Kind: in.Kind, OldValues: old, NewValues: in.Values, Status: ChangeAwaitingConfirmation,
			Note: in.Note, RequestedBy: by.ID, RequestedAt: now}
		if _, err := tx.NewInsert().Model(r).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Change{Entity: "change_request", EntityID: r.ID, Action: "create", After: r})
	})
	return r, err
}

func (s *Service) lockChange(ctx context.Context, tx bun.IDB, by *users.User, id int64) (*ChangeRequest, *Company, error) {
	r := new(ChangeRequest)
	if err := tx.NewSelect().Model(r).Where("cr.id = ?", id).For("UPDATE").Scan(ctx); err != nil {
		return nil, nil, postgres.Translate(err, i18n.M("Change request"))
	}
	c, err := CompanyFor(ctx, tx, by, r.CompanyID)
	if apperr.KindOf(err) == apperr.NotFound {
		return nil, nil, apperr.NotFoundf("Change request not found.")
	}
	return r, c, err
}

// AttachConfirmation stores the written confirmation (a signed letter or a
// mail, as PDF or image) of a change request. Returns NotFound, Invalid, Conflict.
func (s *Service) AttachConfirmation(ctx context.Context, by *users.User, id int64, u Upload) error {
	u.Kind = DocConfirmation
	if msg := CheckUpload(u); !msg.IsZero() {
		return apperr.FieldErrors{"confirmation": msg}.Err()
	}
	return postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		r, _, err := s.lockChange(ctx, tx, by, id)
		if err != nil {
			return err
		}
		if !r.Open() {
			return apperr.Conflictf("This change request is %s already.", ChangeStatusLabel(r.Status))
		}
		now := s.Clock.Now()
		d := &Document{ChangeRequestID: &r.ID, UploadedBy: &by.ID}
		if err := storeDocument(ctx, tx, now, u, d); err != nil {
			return err
		}
		return s.confirm(ctx, tx, by, r, "document", map[string]any{"document_id": d.ID, "filename": d.Filename, "sha256": d.SHA256})
	})
}

// ConfirmInPortal records the customer's own confirmation in the portal. A
// change of bank account always needs a written confirmation instead.
// Returns NotFound, Forbidden, Conflict.
func (s *Service) ConfirmInPortal(ctx context.Context, by *users.User, id int64) error {
	if by.Role != users.RoleCustomer {
		return apperr.Forbiddenf("Only the customer confirms in the portal.")
	}
	return postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		r, _, err := s.lockChange(ctx, tx, by, id)
		if err != nil {
			return err
		}
		if r.Status != ChangeAwaitingConfirmation {
			return apperr.Conflictf("This change request is %s already.", ChangeStatusLabel(r.Status))
		}
		if r.Kind == ChangeBank {
			return apperr.Conflictf("A change of bank account needs a written confirmation: a letter or mail signed by the company, uploaded as PDF or image.")
		}
		return s.confirm(ctx, tx, by, r, "portal", nil)
	})
}

func (s *Service) confirm(ctx context.Context, tx bun.IDB, by *users.User, r *ChangeRequest, how string, detail map[string]any) error {
	now := s.Clock.Now()
	before := r.Status
	r.Confirmation, r.ConfirmedBy, r.ConfirmedAt, r.Status = &how, &by.ID, &now, ChangeAwaitingApproval
	if _, err := tx.NewUpdate().Model(r).Column("confirmation", "confirmed_by", "confirmed_at", "status").WherePK().Exec(ctx); err != nil {
		return err
	}
	after := map[string]any{"status": r.Status, "confirmation": how}
	for k, v := range detail {
		after[k] = v
	}
	return audit.Record(ctx, tx, now, audit.Change{Entity: "change_request", EntityID: r.ID, Action: "confirm",
		Before: map[string]string{"status": before}, After: after})
}

// ApproveChange puts a confirmed change into effect. It needs the written
// confirmation (for a bank account, an uploaded one), and the details must
// not have changed since the request. Sales and admin only. Returns
// NotFound, Forbidden, Conflict.
func (s *Service) ApproveChange(ctx context.Context, by *users.User, id int64) error {
	if !by.Is(users.RoleSales, users.RoleAdmin) {
		return apperr.Forbiddenf("Sales approve account changes.")
	}
	return postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		r, _, err := s.lockChange(ctx, tx, by, id)
		if err != nil {
			return err
		}
		switch {
		case r.Status == ChangeAwaitingConfirmation:
			return apperr.Conflictf("This change has no written confirmation yet: it cannot take effect.")
		case r.Status != ChangeAwaitingApproval:
			return apperr.Conflictf("This change request is %s already.", ChangeStatusLabel(r.Status))
		case r.Kind == ChangeBank && (r.Confirmation == nil || *r.Confirmation != "document"):
			return apperr.Conflictf("A change of bank account needs an uploaded written confirmation.")
		}
		c, err := LockByID(ctx, tx, r.CompanyID)
		if err != nil {
			return err
		}
		current := companyValues(c, r.Kind)
		for f, v := range r.OldValues {
			if current[f] != v {
				return apperr.Conflictf("%s changed since this request was made; reject it and record a new one.", FieldLabel(f))
			}
		}
		before := *c
		applyValues(c, r.NewValues)
		now := s.Clock.Now()
		c.UpdatedAt = now
		if _, err := tx.NewUpdate().Model(c).WherePK().ExcludeColumn("id", "created_at").Exec(ctx); err != nil {
			return err
		}
		r.Status, r.DecidedBy, r.DecidedAt = ChangeApproved, &by.ID, &now
		if _, err := tx.NewUpdate().Model(r).Column("status", "decided_by", "decided_at").WherePK().Exec(ctx); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Change{Entity: "change_request", EntityID: r.ID, Action: "approve"}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Change{Entity: "company", EntityID: c.ID, Action: "change " + r.Kind,
			Before: companyValues(&before, r.Kind), After: companyValues(c, r.Kind)})
	})
}

// RejectChange closes a change request without effect. Sales and admin only.
// Returns NotFound, Forbidden, Invalid, Conflict.
func (s *Service) RejectChange(ctx context.Context, by *users.User, id int64, note string) error {
	if !by.Is(users.RoleSales, users.RoleAdmin) {
		return apperr.Forbiddenf("Sales decide on account changes.")
	}
	if err := requiredNote("decision_note", &note, i18n.M("Give the reason.")); err != nil {
		return err
	}
	return postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		r, _, err := s.lockChange(ctx, tx, by, id)
		if err != nil {
			return err
		}
		if !r.Open() {
			return apperr.Conflictf("This change request is %s already.", ChangeStatusLabel(r.Status))
		}
		now := s.Clock.Now()
		r.Status, r.DecidedBy, r.DecidedAt, r.DecisionNote = ChangeRejected, &by.ID, &now, note
		if _, err := tx.NewUpdate().Model(r).Column("status", "decided_by", "decided_at", "decision_note").WherePK().Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Change{Entity: "change_request", EntityID: r.ID, Action: "reject", After: map[string]string{"note": note}})
	})
}

func applyValues(c *Company, v map[string]string) {
	set := map[string]*string{
		"visiting_street": &c.Visiting.Street, "visiting_postcode": &c.Visiting.Postcode, "visiting_city": &c.Visiting.City, "visiting_country": &c.Visiting.Country,
		"invoice_street": &c.Invoice.Street, "invoice_postcode": &c.Invoice.Postcode, "invoice_city": &c.Invoice.City, "invoice_country": &c.Invoice.Country,
		"contact_name": &c.ContactName, "contact_email": &c.ContactEmail, "contact_phone": &c.ContactPhone,
		"iban": &c.IBAN, "account_holder": &c.AccountHolder, "invoice_email": &c.InvoiceEmail,
	}
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if p, ok := set[k]; ok {
			*p = v[k]
		}
	}
}

// ChangeByID returns a change request that u may see, with its company's
// name. Returns NotFound.
func (s *Service) ChangeByID(ctx context.Context, u *users.User, id int64) (*ChangeRequest, []Document, error) {
	r := new(ChangeRequest)
	err := s.changeQuery(r).Where("cr.id = ?", id).Scan(ctx)
	if err != nil {
		return nil, nil, postgres.Translate(err, i18n.M("Change request"))
	}
	if _, err := CompanyFor(ctx, s.DB, u, r.CompanyID); apperr.KindOf(err) == apperr.NotFound {
		return nil, nil, apperr.NotFoundf("Change request not found.")
	} else if err != nil {
		return nil, nil, err
	}
	var docs []Document
	err = s.DB.NewSelect().Model(&docs).Where("d.change_request_id = ?", id).OrderExpr("d.id").Scan(ctx)
	return r, docs, err
}

// changeQuery selects change requests (into dest: one or a slice) with the
// company's and requester's names.
func (s *Service) changeQuery(dest any) *bun.SelectQuery {
	return s.DB.NewSelect().Model(dest).ColumnExpr("cr.*, co.name AS company_name, u.name AS requester_name").
		Join("JOIN companies AS co ON co.id = cr.company_id").Join("JOIN users AS u ON u.id = cr.requested_by")
}

// CompanyChanges returns the history of a company's change requests, newest first.
func (s *Service) CompanyChanges(ctx context.Context, companyID int64) ([]ChangeRequest, error) {
	var out []ChangeRequest
	err := s.changeQuery(&out).Where("cr.company_id = ?", companyID).OrderExpr("cr.id DESC").Scan(ctx)
	return out, err
}

// OpenChanges returns the change requests waiting for confirmation or
// approval (only those with status, when it is one of these two), bank
// account changes first, then oldest first.
func (s *Service) OpenChanges(ctx context.Context, status string) ([]ChangeRequest, error) {
	var out []ChangeRequest
	q := s.changeQuery(&out).Where("cr.status IN ('awaiting_confirmation', 'awaiting_approval')").
		OrderExpr("cr.kind = 'bank' DESC, cr.requested_at")
	if status == ChangeAwaitingConfirmation || status == ChangeAwaitingApproval {
		q = q.Where("cr.status = ?", status)
	}
	return out, q.Scan(ctx)
}

// Describe says what a change changes, for a list: IBAN: “NL…” → “NL…”.
func (r *ChangeRequest) Describe() i18n.Message {
	var parts []i18n.Message
	for _, f := range r.Fields() {
		if r.OldValues[f] != r.NewValues[f] {
			parts = append(parts, i18n.M("%s: “%s” → “%s”", FieldLabel(f), r.OldValues[f], r.NewValues[f]))
		}
	}
	return joinMessages(parts)
}
