package complaints

import (
	"context"
	"sort"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/users"
)

// StaffListMax bounds one list of complaints.
const StaffListMax = 500

// StaffFilter narrows the staff's list of complaints.
type StaffFilter struct {
	// State is one state, or "open" (received, acknowledged or escalated);
	// "" lists every complaint.
	State string
	// Overdue keeps the complaints past the date they wait for.
	Overdue bool
	// Flagged keeps the unresolved complaints past their week.
	Flagged bool
	Limit   int
}

// StaffList reads the complaints u may see by f on day today: the overdue ones
// first, then by the date they wait for (the soonest first), then the
// others newest first.
func StaffList(ctx context.Context, db bun.IDB, u *users.User, f StaffFilter, today time.Time) ([]Complaint, error) {
	var out []Complaint
	q := selectComplaints(db, &out)
	switch {
	case f.State == "open":
		q = q.Where("cp.state IN (?)", bun.In([]State{StateReceived, StateAcknowledged, StateEscalated}))
	case f.State != "":
		q = q.Where("cp.state = ?", f.State)
	}
	switch u.Role {
	case users.RoleAccountManager:
		q = q.Where("(co.account_manager_id = ? OR cp.investigator_id = ? OR cp.handler_id = ?)", u.ID, u.ID, u.ID)
	case users.RoleCustomer:
		if u.CompanyID == nil {
			return nil, nil
		}
		q = q.Where("cp.company_id = ?", *u.CompanyID)
	}
	limit := f.Limit
	if limit <= 0 || limit > StaffListMax {
		limit = StaffListMax
	}
	if err := q.OrderExpr("cp.id DESC").Limit(int64(limit)).Scan(ctx); err != nil {
		return nil, err
	}
	kept := out[:0]
	for _, c := range out {
		if f.Overdue && !c.Due().Overdue(today) || f.Flagged && !Flagged(c.Facts(), today) {
			continue
		}
		kept = append(kept, c)
	}
	SortByDue(kept, today)
	return kept, nil
}

// SortByDue puts the overdue complaints first, then those waiting for
// something by the soonest date, then the others newest first.
func SortByDue(list []Complaint, today time.Time) {
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i].Due(), list[j].Due()
		if oa, ob := a.Overdue(today), b.Overdue(today); oa != ob {
			return oa
		}
		if za, zb := a.By.IsZero(), b.By.IsZero(); za != zb {
			return !za
		}
		if !a.By.Equal(b.By) {
			return a.By.Before(b.By)
		}
		return list[i].ID > list[j].ID
	})
}

// Investigators are the active members of staff an investigator is chosen
// from, by name.
func Investigators(ctx context.Context, db bun.IDB) ([]users.User, error) {
	var out []users.User
	err := db.NewSelect().Model(&out).Where("role <> ? AND active", users.RoleCustomer).OrderExpr("name").Scan(ctx)
	return out, err
}
