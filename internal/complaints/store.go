package complaints

import (
	"context"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/i18n"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
)

// Channels a complaint comes in by.
const (
	ChannelPortal = "portal"
	ChannelPhone  = "phone"
	ChannelMail   = "mail"
)

// Complaint is one entry of the complaints log.
type Complaint struct {
	bun.BaseModel `bun:"table:complaints,alias:cp"`

	ID               int64      `bun:"id,pk,autoincrement" json:"id"`
	CompanyID        int64      `bun:"company_id" json:"company_id"`
	OrderID          *int64     `bun:"order_id" json:"order_id,omitempty"`
	Channel          string     `bun:"channel" json:"channel"`
	ContactName      string     `bun:"contact_name" json:"contact_name"`
	ContactEmail     string     `bun:"contact_email" json:"contact_email,omitempty"`
	ContactPhone     string     `bun:"contact_phone" json:"contact_phone,omitempty"`
	Description      string     `bun:"description" json:"description"`
	State            State      `bun:"state" json:"state"`
	ReceivedAt       time.Time  `bun:"received_at" json:"received_at"`
	ReceivedOn       time.Time  `bun:"received_on,type:date" json:"received_on"`
	AckDue           time.Time  `bun:"ack_due,type:date" json:"acknowledge_by"`
	FlagOn           time.Time  `bun:"flag_on,type:date" json:"-"`
	ResolveDue       time.Time  `bun:"resolve_due,type:date" json:"resolve_by"`
	HandlerID        *int64     `bun:"handler_id" json:"-"`
	InvestigatorID   *int64     `bun:"investigator_id" json:"-"`
	AcknowledgedAt   *time.Time `bun:"acknowledged_at" json:"acknowledged_at,omitempty"`
	AnswerExpectedOn *time.Time `bun:"answer_expected_on,type:date" json:"answer_expected_on,omitempty"`
	ProgressSentAt   *time.Time `bun:"progress_sent_at" json:"progress_sent_at,omitempty"`
	AnswerBy         *time.Time `bun:"answer_by,type:date" json:"answer_by,omitempty"`
	Outcome          *string    `bun:"outcome" json:"outcome,omitempty"`
	Explanation      string     `bun:"explanation" json:"explanation,omitempty"`
	CreditNoteID     *int64     `bun:"credit_note_id" json:"-"`
	ReplacementID    *int64     `bun:"replacement_order_id" json:"replacement_order_id,omitempty"`
	ResolvedAt       *time.Time `bun:"resolved_at" json:"resolved_at,omitempty"`
	EscalatedAt      *time.Time `bun:"escalated_at" json:"escalated_at,omitempty"`
	EscalationReason string     `bun:"escalation_reason" json:"escalation_reason,omitempty"`
	BoardDue         *time.Time `bun:"board_due,type:date" json:"board_by,omitempty"`
	BoardAnswer      string     `bun:"board_answer" json:"board_answer,omitempty"`
	BoardAnsweredAt  *time.Time `bun:"board_answered_at" json:"board_answered_at,omitempty"`
	CreatedBy        int64      `bun:"created_by" json:"-"`
	CreatedAt        time.Time  `bun:"created_at" json:"created_at"`
	UpdatedAt        time.Time  `bun:"updated_at" json:"updated_at"`

	// Read with the complaint (scanonly).
	CompanyName      string `bun:"company_name,scanonly" json:"company_name"`
	CompanyManagerID *int64 `bun:"company_manager_id,scanonly" json:"-"`
	// CompanyLanguage is the language of the company's mail ("" for the default).
	CompanyLanguage  string `bun:"company_language,scanonly" json:"-"`
	HandlerName      string `bun:"handler_name,scanonly" json:"handler,omitempty"`
	InvestigatorName string `bun:"investigator_name,scanonly" json:"investigator,omitempty"`
	CreditNoteNumber string `bun:"credit_note_number,scanonly" json:"credit_note,omitempty"`
}

// Facts are what the deadlines' rules read of c.
func (c *Complaint) Facts() Facts {
	return Facts{State: c.State, Deadlines: Deadlines{Acknowledge: c.AckDue, Flag: c.FlagOn, Resolve: c.ResolveDue},
		AnswerBy: c.AnswerBy, BoardBy: c.BoardDue}
}

// Due is what the complaint waits for and by when.
func (c *Complaint) Due() Due { return DueOf(c.Facts()) }

// Ref is the complaint's reference for people: its order number when it
// concerns one (seed 001), else its own number.
func (c *Complaint) Ref() i18n.Message {
	if c.OrderID != nil {
		return i18n.M("order %d", *c.OrderID)
	}
	return i18n.M("complaint %d", c.ID)
}

// Note is an internal investigation note.
type Note struct {
	bun.BaseModel `bun:"table:complaint_notes,alias:cn"`

	ID          int64     `bun:"id,pk,autoincrement"`
	ComplaintID int64     `bun:"complaint_id"`
	Body        string    `bun:"body"`
	CreatedBy   int64     `bun:"created_by"`
	CreatedAt   time.Time `bun:"created_at"`
	Author      string    `bun:"author,scanonly"`
}

// selectComplaints reads complaints with their customer and people; the
// people and the credit note, looked up by id, are subqueries, so that
// planning does not weigh the orders of five tables.
func selectComplaints(db bun.IDB, into any) *bun.SelectQuery {
	return db.NewSelect().Model(into).ColumnExpr("cp.*").ColumnExpr(lookups).Join("JOIN companies AS co ON co.id = cp.company_id")
}

// lookups are the scan-only columns of a complaint (complaints AS cp joined
// to companies AS co).
const lookups = `co.name AS company_name, co.account_manager_id AS company_manager_id, COALESCE(co.language, '') AS company_language,
	COALESCE((SELECT h.name FROM users h WHERE h.id = cp.handler_id), '') AS handler_name,
	COALESCE((SELECT i.name FROM users i WHERE i.id = cp.investigator_id), '') AS investigator_name,
	COALESCE((SELECT cn.number FROM invoices cn WHERE cn.id = cp.credit_note_id), '') AS credit_note_number`

// ByID reads a complaint. Returns NotFound.
func ByID(ctx context.Context, db bun.IDB, id int64) (*Complaint, error) {
	c := new(Complaint)
	if err := selectComplaints(db, c).Where("cp.id = ?", id).Scan(ctx); err != nil {
		return nil, postgres.Translate(err, i18n.M("Complaint"))
	}
	return c, nil
}

// lockByID locks a complaint for a change. Returns NotFound.
func lockByID(ctx context.Context, db bun.IDB, id int64) (*Complaint, error) {
	c := new(Complaint)
	if err := selectComplaints(db, c).Where("cp.id = ?", id).For("UPDATE OF cp").Scan(ctx); err != nil {
		return nil, postgres.Translate(err, i18n.M("Complaint"))
	}
	return c, nil
}

// NotesOf are a complaint's internal notes, oldest first.
func NotesOf(ctx context.Context, db bun.IDB, id int64) ([]Note, error) {
	var out []Note
	err := db.NewSelect().Model(&out).ColumnExpr("cn.*, u.name AS author").Join("JOIN users AS u ON u.id = cn.created_by").
		Where("cn.complaint_id = ?", id).OrderExpr("cn.id").Scan(ctx)
	return out, err
}

// Filter selects complaints for a list.
type Filter struct {
	CompanyID int64
	// State is one state, "" for all.
	State State
	// Open keeps the complaints that wait for something of ours
	// (received, acknowledged, escalated).
	Open bool
	// Overdue keeps the open ones whose due date passed before Today.
	Overdue bool
	// Flagged keeps the unresolved ones past their week on Today (see
	// Flagged), which the customer service manager gives an investigator.
	Flagged bool
	// Unassigned keeps the ones without an investigator.
	Unassigned bool
	Today      time.Time
	// ManagerID limits the list to one account manager's customers and
	// the complaints it handles or investigates.
	ManagerID int64
	// BeforeID pages by id: complaints older than this one.
	BeforeID int64
	Limit    int
}

// MaxList is the most complaints one page lists.
const MaxList = 500

// dueExpr is the date a complaint waits for (DueOf in SQL), NULL when it
// waits for nothing of ours.
const dueExpr = `CASE cp.state WHEN 'received' THEN cp.ack_due
	WHEN 'acknowledged' THEN COALESCE(cp.answer_by, cp.resolve_due)
	WHEN 'escalated' THEN cp.board_due END`

// OpenStates are the states in which a complaint waits for us.
var OpenStates = []State{StateReceived, StateAcknowledged, StateEscalated}

// List lists complaints: the open ones first, the earliest due date (so
// the overdue ones) on top, then the rest newest first. It reads the two
// apart, each in its own order with the limit, so that neither sorts ten
// years of closed complaints by a due date they no longer have.
func List(ctx context.Context, db bun.IDB, f Filter) ([]Complaint, error) {
	if f.Limit <= 0 || f.Limit > MaxList {
		f.Limit = MaxList
	}
	var out []Complaint
	if s := openStmt(f); s != nil { // the open ones, most urgent first, as below
		args := []any{f.Limit}
		if f.ManagerID > 0 {
			args = append(args, f.ManagerID)
		}
		if err := postgres.ScanStmtIn(ctx, db, s, args, &out); err != nil {
			return nil, err
		}
	} else if f.State == "" || slices.Contains(OpenStates, f.State) { // the open ones, most urgent first
		q := filtered(selectComplaints(db, &out), f).Where("cp.state IN (?)", bun.List(OpenStates))
		if err := q.OrderExpr("(" + dueExpr + ") ASC NULLS LAST, cp.id DESC").Limit(int64(f.Limit)).Scan(ctx); err != nil {
			return nil, err
		}
	}
	if f.Open || f.Overdue || f.Flagged || slices.Contains(OpenStates, f.State) || len(out) >= f.Limit {
		return out, nil
	}
	var rest []Complaint // the others, newest first
	q := filtered(selectComplaints(db, &rest), f).Where("cp.state NOT IN (?)", bun.List(OpenStates))
	if err := q.OrderExpr("cp.id DESC").Limit(int64(f.Limit - len(out))).Scan(ctx); err != nil {
		return nil, err
	}
	return append(out, rest...), nil
}

// openStmt is the prepared statement of List's open complaints for a
// filter of no more than a state and an account manager's scope, the
// filters of the home pages' queues and of the complaints log, which run
// on every load (planning the query cost PostgreSQL more than running
// it); nil for other filters. Its arguments: the limit, then the manager.
func openStmt(f Filter) *postgres.Stmt {
	if f.Overdue || f.Flagged || f.Unassigned || f.CompanyID > 0 || f.BeforeID > 0 {
		return nil
	}
	return openStmts[openKey{f.State, f.ManagerID > 0}]
}

type openKey struct {
	state   State // "" for every open state
	manager bool
}

// openStmts are openStmt's statements: one per open state (the state
// written in, for the partial index on them) and one for all of them,
// each for everyone's complaints and for an account manager's.
var openStmts = func() map[openKey]*postgres.Stmt {
	sel := `SELECT ` + postgres.Columns((*Complaint)(nil), "cp") + `, ` + lookups + `
		FROM complaints AS cp JOIN companies AS co ON co.id = cp.company_id
		WHERE cp.state IN (` + postgres.Literals(OpenStates...) + `)`
	order := ` ORDER BY (` + dueExpr + `) ASC NULLS LAST, cp.id DESC LIMIT ?0`
	out := map[openKey]*postgres.Stmt{}
	for _, st := range append([]State{""}, OpenStates...) {
		name, where := "complaints_open", ""
		if st != "" {
			name, where = name+"_"+string(st), ` AND cp.state = `+postgres.Literals(st)
		}
		out[openKey{st, false}] = postgres.NewStmt(name, sel+where+order)
		out[openKey{st, true}] = postgres.NewStmt(name+"_of_manager", sel+where+` AND (`+managerScope+`)`+order)
	}
	return out
}()

// managerScope holds for the complaints an account manager (?1) sees: of
// their customers, or handled or investigated by them (as filtered's).
const managerScope = "co.account_manager_id = ?1 OR cp.handler_id = ?1 OR cp.investigator_id = ?1"

// filtered narrows q to the complaints of f, but for the limit and order.
func filtered(q *bun.SelectQuery, f Filter) *bun.SelectQuery {
	if f.State != "" {
		q.Where("cp.state = ?", f.State)
	}
	if f.Overdue {
		q.Where(dueExpr+" < ?", f.Today.Format(time.DateOnly))
	}
	if f.Flagged {
		q.Where("cp.state IN (?) AND cp.flag_on <= ?", bun.List([]State{StateReceived, StateAcknowledged}), f.Today.Format(time.DateOnly))
	}
	if f.Unassigned {
		q.Where("cp.investigator_id IS NULL")
	}
	if f.CompanyID > 0 {
		q.Where("cp.company_id = ?", f.CompanyID)
	}
	if f.ManagerID > 0 {
		q.Where("(co.account_manager_id = ? OR cp.handler_id = ? OR cp.investigator_id = ?)", f.ManagerID, f.ManagerID, f.ManagerID)
	}
	if f.BeforeID > 0 {
		q.Where("cp.id < ?", f.BeforeID)
	}
	return q
}

// InvestigatorRoles are the roles an investigator has: those who open a
// complaint's page.
var InvestigatorRoles = []users.Role{users.RoleAdmin, users.RoleSales, users.RoleAccountManager, users.RoleCustomerService}

// Investigators are the active members of staff an investigator is chosen
// from, by name.
func Investigators(ctx context.Context, db bun.IDB) ([]users.User, error) {
	var out []users.User
	err := db.NewSelect().Model(&out).Where("role IN (?) AND active", bun.List(InvestigatorRoles)).OrderExpr("name").Scan(ctx)
	return out, err
}
