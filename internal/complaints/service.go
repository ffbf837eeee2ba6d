package complaints

import (
	"context"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/calendar"
	"wholesale/internal/clock"
	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/idempotency"
	"wholesale/internal/invoicing"
	"wholesale/internal/orders"
	"wholesale/internal/postgres"
	"wholesale/internal/settings"
	"wholesale/internal/users"
	"wholesale/internal/validate"
)

// Service holds the use cases of complaints.
type Service struct {
	DB      *bun.DB
	Clock   clock.Clock
	BaseURL string
	// Invoicing issues the credit note of a refund; Orders places the
	// replacement order of an exchange.
	Invoicing *invoicing.Service
	Orders    *orders.Service

	key *idempotency.Key
}

// Keyed returns the service for one request that carries an idempotency
// key: File runs once per key and a retry gets the first answer.
func (s *Service) Keyed(k *idempotency.Key) *Service {
	if k == nil {
		return s
	}
	c := *s
	c.key = k
	return &c
}

// fileOnce runs fn, which sets *out, in one transaction: once per key when
// the service is Keyed (a replay sets *out to the first answer, whose
// fields without JSON are left for the caller to read again).
func (s *Service) fileOnce(ctx context.Context, out **Complaint, fn func(ctx context.Context, tx *postgres.Tx) error) error {
	if s.key == nil {
		return postgres.Run(ctx, s.DB, postgres.Retrying, fn)
	}
	v, err := idempotency.Run(ctx, s.DB, s.now(), s.key, func(ctx context.Context, tx *postgres.Tx) (*Complaint, error) {
		if err := fn(ctx, tx); err != nil {
			return nil, err
		}
		return *out, nil
	})
	*out = v
	return err
}

// cal is the working-day calendar of deadlines (weekends and Dutch public
// holidays; the company's closing days never move a customer's deadline).
var cal = calendar.New(settings.DefaultCutoffMinutes, nil)

func (s *Service) now() time.Time { return s.Clock.Now().Truncate(time.Microsecond) }

// Today is the date in Amsterdam now, as a calendar day.
func (s *Service) Today() time.Time { return calendar.Day(s.now().In(clock.Amsterdam)) }

// MaySee tells whether u may see complaint c: the customer service
// manager, the board, sales and admins every complaint, an account manager
// its customers', a customer's user its company's.
func MaySee(u *users.User, c *Complaint) bool {
	switch u.Role {
	case users.RoleAdmin, users.RoleSales, users.RoleCustomerService, users.RoleBoard:
		return true
	case users.RoleAccountManager:
		return c.CompanyManagerID != nil && *c.CompanyManagerID == u.ID || c.InvestigatorID != nil && *c.InvestigatorID == u.ID
	case users.RoleCustomer:
		return u.CompanyID != nil && *u.CompanyID == c.CompanyID
	}
	return false
}

// mayHandle tells whether u handles complaint c: its handler or
// investigator, the customer's account manager, the customer service
// manager, an admin.
func mayHandle(u *users.User, c *Complaint) error {
	switch {
	case u.Is(users.RoleAdmin, users.RoleCustomerService):
	case u.Is(users.RoleAccountManager) && MaySee(u, c):
	case c.HandlerID != nil && *c.HandlerID == u.ID:
	default:
		return apperr.Forbiddenf("The complaint's handler, the customer's account manager and the customer service manager handle complaints.")
	}
	return nil
}

// Get returns a complaint when by may see it. Returns NotFound.
func (s *Service) Get(ctx context.Context, by *users.User, id int64) (*Complaint, error) {
	c, err := ByID(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if !MaySee(by, c) {
		return nil, apperr.NotFoundf("Complaint not found.")
	}
	return c, nil
}

// FileInput is a complaint as filed: by a customer's user in the portal,
// or recorded by an account manager from a call or a mail (Channel).
type FileInput struct {
	CompanyID int64 `json:"company_id,omitempty" form:"customer"`
	// Order is the order number the complaint concerns, if it does: its
	// reference.
	Order        string `json:"order,omitempty" form:"order"`
	Channel      string `json:"channel,omitempty" form:"channel"`
	ContactName  string `json:"contact_name" form:"contact_name"`
	ContactEmail string `json:"contact_email" form:"contact_email"`
	ContactPhone string `json:"contact_phone" form:"contact_phone"`
	Description  string `json:"description" form:"description"`
	// Documents are the files chosen on a form (the JSON API takes none);
	// Stash is the token of the good files an earlier try of the form
	// kept (FileResult.Stash).
	Documents []customers.Upload `json:"-" form:"-"`
	Stash     string             `json:"-" form:"-"`
}

// DescriptionMax bounds a complaint's description.
const DescriptionMax = 5000

// Validate normalises the complaint and bounds every field; it returns the
// order number (0 for none). Returns Invalid with a message per field.
func (in *FileInput) Validate() (int64, error) {
	fe := apperr.FieldErrors{}
	var order int64
	in.Order = strings.TrimSpace(in.Order)
	if in.Order != "" {
		n, msg := validate.ParseWhole(in.Order)
		if !msg.IsZero() || n < 1 {
			fe.Add("order", i18n.M("Enter the order number the complaint is about, or leave it empty."))
		}
		order = int64(n)
	}
	switch in.Channel {
	case ChannelPortal, ChannelPhone, ChannelMail:
	default:
		fe.Add("channel", i18n.M("Choose how the complaint came in: by phone or by mail."))
	}
	in.ContactName = strings.TrimSpace(in.ContactName)
	if in.ContactName == "" {
		fe.Add("contact_name", i18n.M("Enter who we answer."))
	}
	validate.Line(fe, "contact_name", in.ContactName, validate.NameMax)
	in.ContactEmail = validate.Lower(strings.TrimSpace(in.ContactEmail))
	if in.ContactEmail != "" {
		validate.Email(fe, "contact_email", in.ContactEmail)
	}
	in.ContactPhone = strings.TrimSpace(in.ContactPhone)
	validate.Line(fe, "contact_phone", in.ContactPhone, validate.ShortMax)
	if in.ContactEmail == "" && in.ContactPhone == "" {
		fe.Add("contact_email", i18n.M("Enter an e-mail address or a phone number to answer to."))
	}
	in.Description = strings.TrimSpace(in.Description)
	if in.Description == "" {
		fe.Add("description", i18n.M("Describe the complaint."))
	}
	validate.Text(fe, "description", in.Description, DescriptionMax)
	return order, fe.Err()
}

// File records a complaint, received now: its deadlines from today's date
// in Amsterdam, its handler the customer's account manager. A customer's
// user files for its own company, by the portal; staff record one by
// phone or mail. The order, when given, must be the customer's. The
// documents of in are attached in the same transaction (FileForm keeps
// them when the form is refused). Returns Forbidden, NotFound, Invalid.
func (s *Service) File(ctx context.Context, by *users.User, in FileInput) (*Complaint, error) {
	res, err := s.FileForm(ctx, by, in)
	return res.Complaint, err
}

// file records the complaint of in with the files of att, whose problems
// are reported with the fields' messages.
func (s *Service) file(ctx context.Context, by *users.User, in FileInput, att attachments) (*Complaint, error) {
	switch {
	case by.Is(users.RoleCustomer):
		if by.CompanyID == nil {
			return nil, apperr.Forbiddenf("Your login belongs to no customer.")
		}
		in.CompanyID, in.Channel = *by.CompanyID, ChannelPortal
	case by.Is(users.RoleAccountManager, users.RoleCustomerService, users.RoleAdmin):
		if in.Channel == ChannelPortal {
			in.Channel = ""
		}
	default:
		return nil, apperr.Forbiddenf("Customers, account managers and the customer service manager file complaints.")
	}
	fe := apperr.FieldErrors{}
	order, err := in.Validate()
	if ae, ok := apperr.As(err); ok && ae.Kind == apperr.Invalid {
		for field, msg := range ae.Fields {
			fe.Add(field, msg)
		}
	} else if err != nil {
		return nil, err
	}
	if in.CompanyID <= 0 {
		fe.Add("customer", i18n.M("Choose the customer."))
	}
	for field, msg := range att.problems {
		fe.Add(field, msg)
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	var out *Complaint
	err = s.fileOnce(ctx, &out, func(ctx context.Context, tx *postgres.Tx) error {
		co, err := customers.ByID(ctx, tx, in.CompanyID)
		if apperr.KindOf(err) == apperr.NotFound || err == nil && !mayFileFor(by, co) {
			return apperr.NotFoundf("Customer not found.")
		}
		if err != nil {
			return err
		}
		c := &Complaint{CompanyID: co.ID, Channel: in.Channel, ContactName: in.ContactName, ContactEmail: in.ContactEmail,
			ContactPhone: in.ContactPhone, Description: in.Description, State: StateReceived, HandlerID: co.AccountManagerID,
			CreatedBy: by.ID}
		if order > 0 {
			var owner int64
			if err := tx.NewRaw(`SELECT company_id FROM orders WHERE id = ? AND state <> 'draft'`, order).Scan(ctx, &owner); err != nil || owner != co.ID {
				return apperr.FieldErrors{"order": i18n.M("%s has no order %d.", co.Name, order)}.Err()
			}
			c.OrderID = &order
		}
		now, today := s.now(), s.Today()
		d := DeadlinesOf(today, cal)
		c.ReceivedAt, c.ReceivedOn, c.AckDue, c.FlagOn, c.ResolveDue = now, today, d.Acknowledge, d.Flag, d.Resolve
		c.CreatedAt, c.UpdatedAt = now, now
		if _, err := tx.NewInsert().Model(c).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
			return err
		}
		c.CompanyName, c.CompanyManagerID = co.Name, co.AccountManagerID
		out = c
		if err := audit.Record(ctx, tx, now, audit.Change{Entity: "complaint", EntityID: c.ID, Action: "file", After: map[string]any{
			"order_id": c.OrderID, "channel": c.Channel, "state": c.State, "received_on": c.ReceivedOn.Format(time.DateOnly),
			"acknowledge_by": c.AckDue.Format(time.DateOnly), "resolve_by": c.ResolveDue.Format(time.DateOnly)}}); err != nil {
			return err
		}
		if err := s.attach(ctx, tx, by, c, att.files); err != nil {
			return err
		}
		return customers.Unstash(ctx, tx, in.Stash)
	})
	return out, err
}

// mayFileFor tells whether u files complaints of company co.
func mayFileFor(u *users.User, co *customers.Company) bool {
	if u.Is(users.RoleCustomerService) {
		return true
	}
	return customers.CanSee(u, co)
}

// onComplaint runs a change of complaint id in one transaction with the
// complaint locked, after checking that by may see it and that action is
// allowed in its state. Returns NotFound, Conflict.
func (s *Service) onComplaint(ctx context.Context, by *users.User, id int64, action string,
	fn func(ctx context.Context, tx *postgres.Tx, c *Complaint) error) (*Complaint, error) {
	var out *Complaint
	err := postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		c, err := lockByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if !MaySee(by, c) {
			return apperr.NotFoundf("Complaint not found.")
		}
		if !c.State.Allowed(action) {
			return apperr.Conflictf("This complaint is %s: that is not possible now.", c.State.Label())
		}
		if err := fn(ctx, tx, c); err != nil {
			return err
		}
		out = c
		return nil
	})
	return out, err
}

// List lists the complaints by may see: the customer service manager, the
// board, sales and admins all, an account manager its customers' and the
// ones it handles or investigates, a customer's user its company's.
// Returns Forbidden.
func (s *Service) List(ctx context.Context, by *users.User, f Filter) ([]Complaint, error) {
	return s.list(ctx, s.DB, by, f)
}

// Export lists for a download the complaints by may see, narrowed by f:
// from the first (f's paging is ignored), at most MaxList, read from db,
// which is s.DB or a replica of it that takes the load of reports off the
// primary. Returns Forbidden as List does.
func (s *Service) Export(ctx context.Context, db bun.IDB, by *users.User, f Filter) ([]Complaint, error) {
	f.BeforeID, f.Limit = 0, MaxList
	return s.list(ctx, db, by, f)
}

// list is List on db.
func (s *Service) list(ctx context.Context, db bun.IDB, by *users.User, f Filter) ([]Complaint, error) {
	switch by.Role {
	case users.RoleAdmin, users.RoleSales, users.RoleCustomerService, users.RoleBoard:
	case users.RoleAccountManager:
		f.ManagerID = by.ID
	case users.RoleCustomer:
		if by.CompanyID == nil {
			return nil, apperr.Forbiddenf("Your login belongs to no customer.")
		}
		f.CompanyID = *by.CompanyID
	default:
		return nil, apperr.Forbiddenf("Your role sees no complaints.")
	}
	if f.Today.IsZero() {
		f.Today = s.Today()
	}
	return List(ctx, db, f)
}
