package returns

import (
	"context"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"wholesale/internal/apperr"
	"wholesale/internal/i18n"
	"wholesale/internal/postgres"
)

// ShippedLine is a line of a shipment to a customer, as the return form
// offers it: how many shipped, how many are being returned already, the
// receipt date and the DOA window.
type ShippedLine struct {
	ShipmentID    int64      `bun:"shipment_id" json:"shipment_id"`
	OrderLineID   int64      `bun:"order_line_id" json:"order_line_id"`
	OrderID       int64      `bun:"order_id" json:"order_id"`
	CompanyID     int64      `bun:"company_id" json:"-"`
	POReference   string     `bun:"po_reference" json:"po_reference"`
	ShippedOn     time.Time  `bun:"shipped_on,type:date" json:"shipped_on"`
	DeliveredOn   *time.Time `bun:"delivered_on,type:date" json:"delivered_on,omitempty"`
	ProductID     int64      `bun:"product_id" json:"-"`
	SKU           string     `bun:"sku" json:"sku"`
	Name          string     `bun:"name" json:"name"`
	Brand         string     `bun:"brand" json:"brand"`
	DOAReturnable bool       `bun:"doa_returnable" json:"doa_returnable"`
	Shipped       int        `bun:"shipped" json:"shipped"`
	Returning     int        `bun:"returning" json:"returning"`

	// Filled by Window.
	ReceivedOn   time.Time `bun:"-" json:"received_on"`
	ReceivedRule string    `bun:"-" json:"received_rule"`
	WindowEnds   time.Time `bun:"-" json:"window_ends"`
}

// Left is how many units of the line may still be returned.
func (l *ShippedLine) Left() int { return max(l.Shipped-l.Returning, 0) }

// Value is how the return form names the line.
func (l *ShippedLine) Value() string { return LineValue(l.ShipmentID, l.OrderLineID) }

// Window fills in the receipt date and the end of the DOA window.
func (l *ShippedLine) Window(cal Calendar) {
	l.ReceivedOn, l.ReceivedRule = ReceiptOf(l.ShippedOn, l.DeliveredOn, cal)
	l.WindowEnds = WindowEnd(l.ReceivedOn, cal)
}

// InWindow tells whether a DOA of the line reported on day is in time.
func (l *ShippedLine) InWindow(day time.Time) bool { return !day.After(l.WindowEnds) }

// countingStates are the returns that hold units of a shipped line: all but
// those closed without taking anything back.
const countingStates = `('requested', 'approved', 'received', 'tested', 'settled')`

const shippedLinesSQL = `SELECT sh.id AS shipment_id, sl.order_line_id, sh.order_id, sh.company_id, o.po_reference,
	sh.shipped_on, sh.delivered_on, p.id AS product_id, p.sku, p.name, p.brand, p.doa_returnable, sl.quantity AS shipped,
	COALESCE((SELECT sum(r.quantity) FROM returns r WHERE r.shipment_id = sh.id AND r.order_line_id = sl.order_line_id
		AND r.state IN ` + countingStates + `), 0) AS returning
	FROM shipments sh
	JOIN shipment_lines sl ON sl.shipment_id = sh.id
	JOIN order_lines ol ON ol.id = sl.order_line_id
	JOIN products p ON p.id = ol.product_id
	JOIN orders o ON o.id = sh.order_id`

// MaxShippedLines is how many shipped lines the return form offers at most,
// the latest first.
const MaxShippedLines = 200

// ShippedLines are company's shipped lines, the latest shipments first,
// limited to order orderID when it is above 0.
func ShippedLines(ctx context.Context, db bun.IDB, companyID, orderID int64, limit int) ([]ShippedLine, error) {
	var out []ShippedLine
	err := db.NewRaw(shippedLinesSQL+` WHERE sh.company_id = ?0 AND (?1 = 0 OR sh.order_id = ?1)
		ORDER BY sh.shipped_on DESC, sh.id DESC, ol.line_no LIMIT ?2`, companyID, orderID, limit).Scan(ctx, &out)
	return out, err
}

// shippedLine is one shipped line, NotFound when the shipment has no such line.
func shippedLine(ctx context.Context, db bun.IDB, shipmentID, orderLineID int64) (*ShippedLine, error) {
	var out []ShippedLine
	if err := db.NewRaw(shippedLinesSQL+` WHERE sh.id = ? AND sl.order_line_id = ?`, shipmentID, orderLineID).Scan(ctx, &out); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, apperr.FieldErrors{"line": i18n.M("Choose the shipped line the return concerns.")}.Err()
	}
	return &out[0], nil
}

// selectReturns reads returns with their customer, order, product and
// credit note. What is only looked up by id (the PO reference, the credit
// note's number, the creator's name) is a subquery, not a join: planning
// a join of six tables took 6 ms of the returns list's 10.
func selectReturns(db bun.IDB, into any) *bun.SelectQuery {
	return db.NewSelect().Model(into).ColumnExpr("r.*").
		ColumnExpr(`co.name AS company_name, co.account_manager_id AS company_manager_id,
			(SELECT o.po_reference FROM orders o WHERE o.id = r.order_id) AS po_reference,
			p.sku, p.name AS product_name, p.brand,
			(SELECT cn.number FROM invoices cn WHERE cn.id = r.credit_note_id) AS credit_note_number,
			(SELECT cu.name FROM users cu WHERE cu.id = r.created_by) AS created_by_name`).
		Join("JOIN companies AS co ON co.id = r.company_id").
		Join("JOIN products AS p ON p.id = r.product_id")
}

// selectBrief is selectReturns without the product's name and brand, the
// credit note's number and the name of who asked (Filter.Brief).
func selectBrief(db bun.IDB, into any) *bun.SelectQuery {
	return db.NewSelect().Model(into).ColumnExpr("r.*").
		ColumnExpr(`co.name AS company_name, co.account_manager_id AS company_manager_id,
			(SELECT o.po_reference FROM orders o WHERE o.id = r.order_id) AS po_reference,
			(SELECT p.sku FROM products p WHERE p.id = r.product_id) AS sku`).
		Join("JOIN companies AS co ON co.id = r.company_id")
}

// ByID reads a return with its units. Returns NotFound.
func ByID(ctx context.Context, db bun.IDB, id int64) (*Return, error) {
	r := new(Return)
	if err := selectReturns(db, r).Where("r.id = ?", id).Scan(ctx); err != nil {
		return nil, postgres.Translate(err, i18n.M("Return"))
	}
	return r, unitsOf(ctx, db, r)
}

// lockByID locks a return for a change and reads it with its units.
// Returns NotFound.
func lockByID(ctx context.Context, db bun.IDB, id int64) (*Return, error) {
	r := new(Return)
	if err := selectReturns(db, r).Where("r.id = ?", id).For("UPDATE OF r").Scan(ctx); err != nil {
		return nil, postgres.Translate(err, i18n.M("Return"))
	}
	return r, unitsOf(ctx, db, r)
}

func unitsOf(ctx context.Context, db bun.IDB, r *Return) error {
	return db.NewSelect().Model(&r.Units).Where("u.return_id = ?", r.ID).OrderExpr("u.unit_no").Scan(ctx)
}

// Filter narrows a list of returns.
type Filter struct {
	// State is one state, "open" for every open one, "" for all.
	State     string
	CompanyID int64
	// ManagerID limits the list to one account manager's customers.
	ManagerID int64
	// Warehouse limits it to returns with an RA (what the warehouse handles).
	Warehouse bool
	OrderID   int64
	// BeforeID pages by keyset: returns older than this one.
	BeforeID int64
	Limit    int
	// Brief leaves out what the staff's lists do not show: the units, the
	// product's name and brand, who asked for the return and the number of
	// its credit note. It saves a query and two lookups a row.
	Brief bool
}

// MaxList is the most returns one page lists.
const MaxList = 500

// List lists returns, the oldest open first when State is "open", else
// the newest first.
func List(ctx context.Context, db bun.IDB, f Filter) ([]Return, error) {
	var out []Return
	q := selectReturns(db, &out)
	if f.Brief {
		q = selectBrief(db, &out)
	}
	switch f.State {
	case "":
	case "open":
		q.Where("r.state IN (?)", bun.List(OpenStates))
	default:
		q.Where("r.state = ?", f.State)
	}
	if f.CompanyID > 0 {
		q.Where("r.company_id = ?", f.CompanyID)
	}
	if f.ManagerID > 0 {
		q.Where("co.account_manager_id = ?", f.ManagerID)
	}
	if f.Warehouse {
		q.Where("r.ra_number IS NOT NULL")
	}
	if f.OrderID > 0 {
		q.Where("r.order_id = ?", f.OrderID)
	}
	if f.BeforeID > 0 {
		q.Where("r.id < ?", f.BeforeID)
	}
	if f.Limit <= 0 || f.Limit > MaxList {
		f.Limit = MaxList
	}
	if f.State == "open" {
		q.OrderExpr("r.created_at, r.id")
	} else {
		q.OrderExpr("r.id DESC")
	}
	if err := q.Limit(int64(f.Limit)).Scan(ctx); err != nil {
		return nil, err
	}
	if f.Brief {
		return out, nil
	}
	return out, withUnits(ctx, db, out)
}

// withUnits reads the units of a list of returns in one query.
func withUnits(ctx context.Context, db bun.IDB, list []Return) error {
	if len(list) == 0 {
		return nil
	}
	ids := make([]int64, len(list))
	at := map[int64]int{}
	for i := range list {
		ids[i], at[list[i].ID] = list[i].ID, i
	}
	var units []Unit
	if err := db.NewSelect().Model(&units).Where("u.return_id = ANY(?)", pgdialect.Array(ids)).OrderExpr("u.return_id, u.unit_no").Scan(ctx); err != nil {
		return err
	}
	for _, u := range units {
		r := &list[at[u.ReturnID]]
		r.Units = append(r.Units, u)
	}
	return nil
}

// Count is how many returns wait in one state, and since when the oldest.
type Count struct {
	State  State     `bun:"state"`
	N      int       `bun:"n"`
	Oldest time.Time `bun:"oldest"`
}

// CountOpen counts the open returns by state, of one account manager's
// customers when managerID is above 0. It runs a prepared statement: the
// account managers' home pages count on every load, and planning the
// count cost PostgreSQL more than running it.
func CountOpen(ctx context.Context, db bun.IDB, managerID int64) (map[State]Count, error) {
	var rows []Count
	err := postgres.ScanStmtIn(ctx, db, countOpen, []any{managerID}, &rows)
	out := map[State]Count{}
	for _, c := range rows {
		out[c.State] = c
	}
	return out, err
}

// countOpen is CountOpen's statement; the open states are written into it,
// as the partial index on them needs (returns_open_idx).
var countOpen = postgres.NewStmt("returns_count_open", `SELECT r.state, count(*) AS n, min(r.updated_at) AS oldest FROM returns r
	JOIN companies co ON co.id = r.company_id
	WHERE r.state IN (`+postgres.Literals(OpenStates...)+`) AND (?0::bigint = 0 OR co.account_manager_id = ?0) GROUP BY r.state`)

// Quarantined is a unit in quarantine: defective, kept with its RA.
type Quarantined struct {
	RANumber string    `bun:"ra_number" json:"ra_number"`
	ReturnID int64     `bun:"return_id" json:"return_id"`
	UnitNo   int       `bun:"unit_no" json:"unit_no"`
	Serial   string    `bun:"serial" json:"serial,omitempty"`
	SKU      string    `bun:"sku" json:"sku"`
	Name     string    `bun:"name" json:"name"`
	Brand    string    `bun:"brand" json:"brand"`
	Note     string    `bun:"note" json:"note"`
	Since    time.Time `bun:"since" json:"since"`
}

// Quarantine lists the units in quarantine, by product, oldest first.
func Quarantine(ctx context.Context, db bun.IDB, limit int) ([]Quarantined, error) {
	var out []Quarantined
	err := db.NewRaw(`SELECT r.ra_number, u.return_id, u.unit_no, u.serial, p.sku, p.name, p.brand, u.note, r.settled_at AS since
		FROM return_units u JOIN returns r ON r.id = u.return_id JOIN products p ON p.id = r.product_id
		WHERE u.disposition = 'quarantine' ORDER BY p.sku, r.settled_at, u.return_id, u.unit_no LIMIT ?`, limit).Scan(ctx, &out)
	return out, err
}

// CountToSend counts a customer's approved returns, whose parcels we wait
// for, and the earliest date one that is still in time must arrive by.
func CountToSend(ctx context.Context, db bun.IDB, companyID int64, today time.Time) (int, *time.Time, error) {
	var row struct {
		N     int        `bun:"n"`
		First *time.Time `bun:"first"`
	}
	err := db.NewRaw(`SELECT count(*) AS n, min(arrive_by) FILTER (WHERE arrive_by >= ?) AS first FROM returns
		WHERE company_id = ? AND state = 'approved'`, today, companyID).Scan(ctx, &row)
	return row.N, row.First, err
}
