package returns

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"io"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/calendar"
	"wholesale/internal/catalog"
	"wholesale/internal/clock"
	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/idempotency"
	"wholesale/internal/invoicing"
	"wholesale/internal/orders"
	"wholesale/internal/postgres"
	"wholesale/internal/settings"
	"wholesale/internal/users"
)

// Service holds the use cases of returns.
type Service struct {
	DB    *bun.DB
	Clock clock.Clock
	// Invoicing issues the credit notes of settled returns.
	Invoicing *invoicing.Service
	// Orders places the replacement orders of settled returns.
	Orders *orders.Service
	// WriteLabel renders the printable return label (internal/pdf).
	WriteLabel func(w io.Writer, l *Label) error
	// BaseURL is where customers reach the portal, for the links in mails.
	BaseURL string

	key *idempotency.Key
}

// Keyed returns the service for one request that carries an idempotency
// key: Request runs once per key and a retry gets the first answer.
func (s *Service) Keyed(k *idempotency.Key) *Service {
	if k == nil {
		return s
	}
	c := *s
	c.key = k
	return &c
}

// cal is the working-day calendar of deadlines: weekends and Dutch public
// holidays (the company's closing days never move a customer's deadline).
var cal = calendar.New(settings.DefaultCutoffMinutes, nil)

func (s *Service) now() time.Time { return s.Clock.Now().Truncate(time.Microsecond) }

// Today is the date in Amsterdam now, as a calendar day.
func (s *Service) Today() time.Time { return calendar.Day(s.now().In(clock.Amsterdam)) }

// MaySee tells whether u may see return r: sales, finance and admins every
// return, an account manager its customers', the warehouse those with an
// RA, a customer's user its company's.
func MaySee(u *users.User, r *Return) bool {
	switch u.Role {
	case users.RoleAdmin, users.RoleSales, users.RoleFinance:
		return true
	case users.RoleAccountManager:
		return r.CompanyManagerID != nil && *r.CompanyManagerID == u.ID
	case users.RoleWarehouse:
		return r.RANumber != nil
	case users.RoleCustomer:
		return u.CompanyID != nil && *u.CompanyID == r.CompanyID
	}
	return false
}

// mayDecide tells whether u approves, rejects and settles return r: the
// customer's account manager, or an admin.
func mayDecide(u *users.User, r *Return) error {
	if u.Is(users.RoleAdmin) || u.Is(users.RoleAccountManager) && r.CompanyManagerID != nil && *r.CompanyManagerID == u.ID {
		return nil
	}
	return apperr.Forbiddenf("The customer's account manager decides on returns.")
}

// mayHandle tells whether u receives and tests parcels: the warehouse and admins.
func mayHandle(u *users.User) error {
	if !u.Is(users.RoleWarehouse, users.RoleAdmin) {
		return apperr.Forbiddenf("The warehouse receives and tests returns.")
	}
	return nil
}

// Get returns a return with its units when by may see it. Returns NotFound.
func (s *Service) Get(ctx context.Context, by *users.User, id int64) (*Return, error) {
	r, err := ByID(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if !MaySee(by, r) {
		return nil, apperr.NotFoundf("Return not found.")
	}
	return r, nil
}

// List lists the returns by may see, narrowed by f. Returns Forbidden for a
// customer user without a company.
func (s *Service) List(ctx context.Context, by *users.User, f Filter) ([]Return, error) {
	if err := scope(by, &f); err != nil {
		return nil, err
	}
	return List(ctx, s.DB, f)
}

// Export lists for a download the returns by may see, narrowed by f: from
// the first (f's paging is ignored), at most MaxList, read from db, which
// is s.DB or a replica of it that takes the load of reports off the
// primary. Returns Forbidden as List does.
func (s *Service) Export(ctx context.Context, db bun.IDB, by *users.User, f Filter) ([]Return, error) {
	if err := scope(by, &f); err != nil {
		return nil, err
	}
	f.BeforeID, f.Limit, f.Brief = 0, MaxList, false // a download has every column
	return List(ctx, db, f)
}

// scope narrows f to the returns by may see.
func scope(by *users.User, f *Filter) error {
	switch by.Role {
	// The customer service manager and the board read an order's returns
	// on its page, as complaints lead them there.
	case users.RoleAdmin, users.RoleSales, users.RoleFinance, users.RoleCustomerService, users.RoleBoard:
	case users.RoleAccountManager:
		f.ManagerID = by.ID
	case users.RoleWarehouse:
		f.Warehouse = true
	case users.RoleCustomer:
		if by.CompanyID == nil {
			return apperr.Forbiddenf("Your login belongs to no customer.")
		}
		f.CompanyID = *by.CompanyID
	default:
		return apperr.Forbiddenf("Your role sees no returns.")
	}
	return nil
}

// ShippedLines are the shipped lines of customer companyID that by may
// start a return for, the latest first, of one order when orderID is above
// 0, with their receipt dates and DOA windows. A customer's user sees its
// own company's. Returns NotFound (also for an order not the customer's).
func (s *Service) ShippedLines(ctx context.Context, by *users.User, companyID, orderID int64) ([]ShippedLine, error) {
	if by.Is(users.RoleCustomer) && by.CompanyID != nil {
		companyID = *by.CompanyID
	}
	c, err := customers.ByID(ctx, s.DB, companyID)
	if err != nil {
		return nil, err
	}
	if !mayAsk(by, c) {
		return nil, apperr.NotFoundf("Customer not found.")
	}
	if orderID > 0 {
		var owner int64
		err := s.DB.NewRaw(`SELECT company_id FROM orders WHERE id = ? AND state <> 'draft'`, orderID).Scan(ctx, &owner)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		if owner != c.ID {
			return nil, apperr.NotFoundf("Order not found.")
		}
	}
	lines, err := ShippedLines(ctx, s.DB, c.ID, orderID, MaxShippedLines)
	for i := range lines {
		lines[i].Window(cal)
	}
	return lines, err
}

// mayAsk tells whether u may ask for a return for company c: its users,
// its account manager, admins.
func mayAsk(u *users.User, c *customers.Company) bool {
	switch u.Role {
	case users.RoleAdmin, users.RoleAccountManager, users.RoleCustomer:
		return customers.CanSee(u, c)
	}
	return false
}

// run runs a use case in one transaction, once per key when the service is
// Keyed, and again when it meets another transaction.
func (s *Service) run(ctx context.Context, fn func(ctx context.Context, tx *postgres.Tx) (*Return, error)) (*Return, error) {
	if s.key != nil {
		return idempotency.Run(ctx, s.DB, s.now(), s.key, fn)
	}
	var r *Return
	err := postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		var err error
		r, err = fn(ctx, tx)
		return err
	})
	return r, err
}

// Request files a return form. The customer is locked, so that two returns
// of one line never take more than shipped. Inside the DOA window, for a
// DOA of a product that is returned to us, the return waits for the
// account manager's approval (who is mailed); otherwise it is referred to
// the brand's authorised service centre at once and closed, and the
// customer is mailed the centre's details. Returns Forbidden, NotFound,
// Invalid.
func (s *Service) Request(ctx context.Context, by *users.User, in RequestInput) (*Return, error) {
	if by.Is(users.RoleCustomer) {
		if by.CompanyID == nil {
			return nil, apperr.Forbiddenf("Your login belongs to no customer.")
		}
		in.CompanyID = *by.CompanyID
	} else if !by.Is(users.RoleAccountManager, users.RoleAdmin) {
		return nil, apperr.Forbiddenf("Customers and their account managers ask for returns.")
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if in.CompanyID <= 0 {
		return nil, apperr.FieldErrors{"customer": i18n.M("Choose the customer.")}.Err()
	}
	return s.run(ctx, func(ctx context.Context, tx *postgres.Tx) (*Return, error) {
		c, err := customers.LockByID(ctx, tx, in.CompanyID)
		if apperr.KindOf(err) == apperr.NotFound || err == nil && !mayAsk(by, c) {
			return nil, apperr.NotFoundf("Customer not found.")
		}
		if err != nil {
			return nil, err
		}
		line, err := shippedLine(ctx, tx, in.ShipmentID, in.OrderLineID)
		if err != nil {
			return nil, err
		}
		if line.CompanyID != c.ID {
			return nil, apperr.FieldErrors{"line": i18n.M("Choose the shipped line the return concerns.")}.Err()
		}
		if in.Quantity > line.Left() {
			return nil, apperr.FieldErrors{"quantity": i18n.N(line.Left(), "At most %d of this line can still be returned: %d shipped, %d in returns already.",
				line.Left(), line.Shipped, line.Returning)}.Err()
		}
		line.Window(cal)
		now, today := s.now(), s.Today()
		r := &Return{CompanyID: c.ID, OrderID: line.OrderID, OrderLineID: line.OrderLineID, ShipmentID: line.ShipmentID,
			ProductID: line.ProductID, Quantity: in.Quantity, Serials: in.Serials, Fault: in.Fault, DOA: in.DOA, Remedy: in.Remedy,
			ReceivedOn: line.ReceivedOn, ReceivedRule: line.ReceivedRule, WindowEnds: line.WindowEnds, State: StateRequested,
			CreatedBy: by.ID, CreatedAt: now, UpdatedAt: now}
		if why := Eligibility(in.DOA, line.DOAReturnable, today, line.WindowEnds); why != "" {
			r.State, r.ClosedReason = StateReferred, why
			if r.ServiceCentre, err = catalog.ServiceCentreFor(ctx, tx, line.Brand); err != nil {
				return nil, err
			}
		}
		if _, err := tx.NewInsert().Model(r).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
			return nil, err
		}
		r.CompanyName, r.CompanyManagerID, r.POReference = c.Name, c.AccountManagerID, line.POReference
		r.SKU, r.ProductName, r.Brand = line.SKU, line.Name, line.Brand
		change := audit.Change{Entity: "return", EntityID: r.ID, Action: "request", After: map[string]any{
			"order_id": r.OrderID, "shipment_id": r.ShipmentID, "sku": r.SKU, "quantity": r.Quantity, "serials": r.Serials,
			"fault": r.Fault, "dead_on_arrival": r.DOA, "remedy": r.Remedy, "received_on": day(r.ReceivedOn),
			"received_rule": r.ReceivedRule, "window_ends": day(r.WindowEnds), "state": r.State, "closed_reason": r.ClosedReason}}
		if err := audit.Record(ctx, tx, now, change); err != nil {
			return nil, err
		}
		if r.State == StateReferred {
			st, err := settings.Get(ctx, tx)
			if err != nil {
				return nil, err
			}
			return r, s.mailReferred(ctx, tx, r, c, st.Name)
		}
		if by.Is(users.RoleCustomer) {
			return r, s.mailManager(ctx, tx, r, c)
		}
		return r, nil
	})
}

// day prints a date for the audit trail.
func day(t time.Time) string { return t.Format(time.DateOnly) }

// onReturn runs a change of return id in one transaction, with the return
// locked and its customer read.
func (s *Service) onReturn(ctx context.Context, id int64, fn func(ctx context.Context, tx *postgres.Tx, r *Return, c *customers.Company) error) (*Return, error) {
	var out *Return
	err := postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		r, err := lockByID(ctx, tx, id)
		if err != nil {
			return err
		}
		c, err := customers.ByID(ctx, tx, r.CompanyID)
		if err != nil {
			return err
		}
		if err := fn(ctx, tx, r, c); err != nil {
			return err
		}
		out = r
		return nil
	})
	return out, err
}

// notFoundUnless hides a return from who may not see it.
func notFoundUnless(by *users.User, r *Return) error {
	if !MaySee(by, r) {
		return apperr.NotFoundf("Return not found.")
	}
	return nil
}

// Approve issues the RA number of a requested return (the next of the
// year, gapless) and the date by which the parcel must arrive, and mails
// the customer the instructions with the printable label. The customer's
// account manager or an admin only. Returns Forbidden, NotFound, Conflict.
func (s *Service) Approve(ctx context.Context, by *users.User, id int64) (*Return, error) {
	return s.onReturn(ctx, id, func(ctx context.Context, tx *postgres.Tx, r *Return, c *customers.Company) error {
		if err := notFoundUnless(by, r); err != nil {
			return err
		}
		if err := mayDecide(by, r); err != nil {
			return err
		}
		if r.State != StateRequested {
			return apperr.Conflictf("This return is %s: there is nothing to approve.", r.State.Label())
		}
		st, err := settings.Get(ctx, tx)
		if err != nil {
			return err
		}
		now, today := s.now(), s.Today()
		year := today.Year()
		var seq int
		if err := tx.NewRaw(`INSERT INTO return_series (year, last_number) VALUES (?, 1)
			ON CONFLICT (year) DO UPDATE SET last_number = return_series.last_number + 1 RETURNING last_number`, year).Scan(ctx, &seq); err != nil {
			return err
		}
		ra := FormatRA(year, seq)
		arrive := cal.DeadlineAfter(today, max(st.RAArriveDays, 1))
		r.State, r.RANumber, r.RAYear, r.RASeq, r.ArriveBy = StateApproved, &ra, &year, &seq, &arrive
		r.ApprovedBy, r.ApprovedAt, r.UpdatedAt = &by.ID, &now, now
		if _, err := tx.NewUpdate().Model(r).Column("state", "ra_number", "ra_year", "ra_seq", "arrive_by", "approved_by", "approved_at", "updated_at").
			WherePK().Exec(ctx); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Change{Entity: "return", EntityID: r.ID, Action: "approve",
			Before: map[string]any{"state": StateRequested},
			After:  map[string]any{"state": r.State, "ra_number": ra, "arrive_by": day(arrive)}}); err != nil {
			return err
		}
		lb := LabelOf(r, c, st)
		var pdf bytes.Buffer
		if err := s.WriteLabel(&pdf, lb); err != nil {
			return err
		}
		return s.mailApproved(ctx, tx, r, c, lb, pdf.Bytes(), st.Name)
	})
}

// Label is the printable label of an approved return, for who may see it.
// Returns NotFound, Conflict (no RA yet).
func (s *Service) Label(ctx context.Context, by *users.User, id int64) (*Label, error) {
	r, err := s.Get(ctx, by, id)
	if err != nil {
		return nil, err
	}
	if r.RANumber == nil {
		return nil, apperr.Conflictf("This return has no RA number: it has no label.")
	}
	c, err := customers.ByID(ctx, s.DB, r.CompanyID)
	if err != nil {
		return nil, err
	}
	st, err := settings.Get(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	return LabelOf(r, c, st), nil
}

// Reject turns a requested return down with the reason the customer is
// mailed. The customer's account manager or an admin only. Returns
// Forbidden, NotFound, Invalid, Conflict.
func (s *Service) Reject(ctx context.Context, by *users.User, id int64, in ReasonInput) (*Return, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	return s.onReturn(ctx, id, func(ctx context.Context, tx *postgres.Tx, r *Return, c *customers.Company) error {
		if err := notFoundUnless(by, r); err != nil {
			return err
		}
		if err := mayDecide(by, r); err != nil {
			return err
		}
		if r.State != StateRequested {
			return apperr.Conflictf("This return is %s: it can no longer be rejected.", r.State.Label())
		}
		if err := s.close(ctx, tx, r, StateRejected, ClosedRejected, in.Reason, "reject"); err != nil {
			return err
		}
		st, err := settings.Get(ctx, tx)
		if err != nil {
			return err
		}
		return s.mailRejected(ctx, tx, r, c, in.Reason, st.Name)
	})
}

// Cancel withdraws a return before its parcel arrived: the customer's
// users (who no longer want to return the units), its account manager or
// an admin. An RA number that was issued stays used. Returns Forbidden,
// NotFound, Invalid, Conflict.
func (s *Service) Cancel(ctx context.Context, by *users.User, id int64, in ReasonInput) (*Return, error) {
	validate := in.Validate
	if by.Is(users.RoleCustomer) {
		validate = in.ValidateOwn
	}
	if err := validate(); err != nil {
		return nil, err
	}
	return s.onReturn(ctx, id, func(ctx context.Context, tx *postgres.Tx, r *Return, c *customers.Company) error {
		if err := notFoundUnless(by, r); err != nil {
			return err
		}
		if !by.Is(users.RoleCustomer) {
			if err := mayDecide(by, r); err != nil {
				return err
			}
		}
		if r.State != StateRequested && r.State != StateApproved {
			return apperr.Conflictf("This return is %s: it can no longer be cancelled.", r.State.Label())
		}
		if err := s.close(ctx, tx, r, StateCancelled, ClosedCancelled, in.Reason, "cancel"); err != nil {
			return err
		}
		if by.Is(users.RoleCustomer) {
			return s.mailManagerCancelled(ctx, tx, r, c, in.Reason)
		}
		return nil
	})
}

// close closes r without taking anything back.
func (s *Service) close(ctx context.Context, tx *postgres.Tx, r *Return, state State, reason, note, action string) error {
	now := s.now()
	before := r.State
	r.State, r.ClosedReason, r.ClosedNote, r.UpdatedAt = state, reason, note, now
	if _, err := tx.NewUpdate().Model(r).Column("state", "closed_reason", "closed_note", "updated_at").WherePK().Exec(ctx); err != nil {
		return err
	}
	return audit.Record(ctx, tx, now, audit.Change{Entity: "return", EntityID: r.ID, Action: action,
		Before: map[string]any{"state": before}, After: map[string]any{"state": state, "reason": note}})
}
