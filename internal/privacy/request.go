package privacy

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/i18n"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
)

// Request is a request to erase a person, and what became of it.
type Request struct {
	bun.BaseModel `bun:"table:erasure_requests,alias:er"`

	ID           int64      `bun:"id,pk,autoincrement" json:"id"`
	UserID       int64      `bun:"user_id" json:"user_id"`
	RequestedBy  int64      `bun:"requested_by" json:"requested_by"`
	RequestedAt  time.Time  `bun:"requested_at" json:"requested_at"`
	Status       string     `bun:"status" json:"status"`
	StaffConfirm bool       `bun:"staff_confirm" json:"staff_confirm"`
	DecidedBy    *int64     `bun:"decided_by" json:"decided_by,omitempty"`
	DecidedAt    *time.Time `bun:"decided_at" json:"decided_at,omitempty"`
}

// Pending is an open request as sales and admins see it: the person, their
// company, and whether erasing them leaves the company without a user who
// can confirm orders.
type Pending struct {
	Request
	Name        string     `bun:"name"`
	Email       string     `bun:"email"`
	Role        users.Role `bun:"role"`
	CompanyName string     `bun:"company_name"`
	// LastConfirmer: the person is the company's last active customer
	// user, so erasure needs staff to confirm the company's orders.
	LastConfirmer bool `bun:"last_confirmer"`
}

// RequestOwn puts in the erasure of the customer user by, asked by
// themselves (on /profile), with an audit entry. Returns Forbidden for a
// staff member (an admin puts theirs in), Conflict when a request is open.
func (s *Service) RequestOwn(ctx context.Context, by *users.User) (*Request, error) {
	if by.Role != users.RoleCustomer {
		return nil, apperr.Forbiddenf("Staff accounts are erased by an admin when you leave: ask an admin.")
	}
	return s.request(ctx, by.ID, by.ID)
}

// RequestFor puts in the erasure of the staff member userID, who has left,
// by the admin by, with an audit entry. Returns Forbidden unless by is an
// admin, NotFound, Invalid for a customer user (they ask themselves) or
// for by themself, Conflict when a request is open.
func (s *Service) RequestFor(ctx context.Context, by *users.User, userID int64) (*Request, error) {
	if by.Role != users.RoleAdmin {
		return nil, apperr.Forbiddenf("Only an admin can put in the erasure of a staff member.")
	}
	if userID == by.ID {
		return nil, apperr.Invalidf("You cannot erase your own account: another admin can.")
	}
	u, err := users.ByID(ctx, s.DB, userID)
	if err != nil {
		return nil, err
	}
	if !u.Role.Staff() {
		return nil, apperr.Invalidf("A customer user asks for erasure on their profile page.")
	}
	return s.request(ctx, userID, by.ID)
}

func (s *Service) request(ctx context.Context, userID, by int64) (*Request, error) {
	r := &Request{UserID: userID, RequestedBy: by, RequestedAt: s.Clock.Now(), Status: StatusRequested}
	err := postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		var erased bool
		if err := tx.NewRaw("SELECT erased_at IS NOT NULL FROM users WHERE id = ? FOR UPDATE", userID).Scan(ctx, &erased); err != nil {
			return translateUser(err)
		}
		if erased {
			return apperr.Conflictf("This user is erased already.")
		}
		open, err := tx.NewSelect().Model((*Request)(nil)).Where("user_id = ? AND status = ?", userID, StatusRequested).Exists(ctx)
		if err != nil {
			return err
		}
		if open {
			return apperr.Conflictf("The erasure of this user has been asked for already; sales or an admin confirms it.")
		}
		if _, err := tx.NewInsert().Model(r).Returning("id").Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, r.RequestedAt, audit.Change{Entity: "user", EntityID: userID, Action: "erasure_requested",
			After: map[string]int64{"request_id": r.ID}})
	})
	return r, err
}

// OpenRequest returns the user's open request, or nil.
func (s *Service) OpenRequest(ctx context.Context, userID int64) (*Request, error) {
	var rs []Request
	err := s.DB.NewSelect().Model(&rs).Where("user_id = ? AND status = ?", userID, StatusRequested).Scan(ctx)
	if err != nil || len(rs) == 0 {
		return nil, err
	}
	return &rs[0], nil
}

// Open returns the requests awaiting confirmation, oldest first.
func (s *Service) Open(ctx context.Context) ([]Pending, error) {
	var out []Pending
	err := s.DB.NewRaw(`SELECT er.*, u.name, u.email, u.role, COALESCE(c.name, '') AS company_name,
		    (u.role = 'customer' AND NOT EXISTS (SELECT 1 FROM users o WHERE o.company_id = u.company_id AND o.id <> u.id
		        AND o.role = 'customer' AND o.active AND o.password_hash <> '' AND o.erased_at IS NULL)) AS last_confirmer
		FROM erasure_requests er JOIN users u ON u.id = er.user_id LEFT JOIN companies c ON c.id = u.company_id
		WHERE er.status = ? ORDER BY er.requested_at, er.id`, StatusRequested).Scan(ctx, &out)
	return out, err
}

// ConfirmInput is the confirmation form as typed.
type ConfirmInput struct {
	// StaffConfirm is "1" when staff will confirm the orders of the
	// person's company, "" when not.
	StaffConfirm string `form:"staff_confirm"`
}

// Validate returns Invalid at "staff_confirm" for another value than ""
// or "1", and whether staff confirm.
func (in ConfirmInput) Validate() (bool, error) {
	switch in.StaffConfirm {
	case "":
		return false, nil
	case "1":
		return true, nil
	}
	return false, apperr.FieldErrors{"staff_confirm": i18n.M("Tick the box, or leave it empty.")}.Err()
}
