package orders

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"wholesale/internal/apperr"
	"wholesale/internal/catalog"
	"wholesale/internal/credit"
	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/postgres"
	"wholesale/internal/users"
)

func jsonOrNil(v any) any {
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return string(b)
}

// linesOf and orderByID are prepared: every order page and most use cases
// read an order with its lines (postgres.ScanStmtIn).
var (
	linesOf = postgres.NewStmt("orders_lines_of", `SELECT `+postgres.Columns((*Line)(nil), "ol")+`,
		p.sku, p.name, d.reserved, d.expected_date, d.expected_confirmed
		FROM order_lines AS ol JOIN products AS p ON p.id = ol.product_id LEFT JOIN demands AS d ON d.id = ol.demand_id
		WHERE ol.order_id = ?0 ORDER BY ol.line_no`)
	orderByID = postgres.NewStmt("orders_by_id", `SELECT `+postgres.Columns((*Order)(nil), "o")+`,
		c.name AS company_name, c.account_manager_id AS company_manager_id
		FROM orders AS o JOIN companies AS c ON c.id = o.company_id WHERE o.id = ?0`)
)

// lines returns an order's lines with product, reservation and expected date.
func lines(ctx context.Context, db bun.IDB, orderID int64) ([]Line, error) {
	var out []Line
	err := postgres.ScanStmtIn(ctx, db, linesOf, []any{orderID}, &out)
	return out, err
}

// Get returns an order with its lines, whoever asks. Returns NotFound.
// Service.Get checks who may see it.
func Get(ctx context.Context, db bun.IDB, id int64) (*Order, error) {
	o := new(Order)
	if err := postgres.ScanStmtIn(ctx, db, orderByID, []any{id}, o); err != nil {
		return nil, postgres.Translate(err, i18n.M("Order"))
	}
	var err error
	o.Lines, err = lines(ctx, db, id)
	return o, err
}

// companyOf returns the company of an order. Returns NotFound.
func companyOf(ctx context.Context, db bun.IDB, id int64) (int64, error) {
	var companyID int64
	err := db.NewSelect().Table("orders").Column("company_id").Where("id = ?", id).Scan(ctx, &companyID)
	return companyID, postgres.Translate(err, i18n.M("Order"))
}

// lockedOrder returns an order locked FOR UPDATE, with its lines; lock its
// customer first. Returns NotFound.
func lockedOrder(ctx context.Context, db bun.IDB, id int64) (*Order, error) {
	o := new(Order)
	if err := db.NewSelect().Model(o).Where("o.id = ?", id).For("UPDATE").Scan(ctx); err != nil {
		return nil, postgres.Translate(err, i18n.M("Order"))
	}
	var err error
	o.Lines, err = lines(ctx, db, id)
	return o, err
}

// Revision is one entry of an order's history.
type Revision struct {
	Revision  int       `bun:"revision" json:"revision"`
	ChangedBy string    `bun:"changed_by" json:"changed_by"`
	ChangedAt time.Time `bun:"changed_at" json:"changed_at"`
	// Changes are what the revision changed, each in the reader's
	// language; Summary is them in English (Revisions fills it in).
	Changes Changes         `bun:"summary" json:"-"`
	Summary string          `bun:"-" json:"summary"`
	Before  json.RawMessage `bun:"before" json:"before,omitempty"`
	After   json.RawMessage `bun:"after" json:"after,omitempty"`
}

// newestRevisions is prepared: every order page shows the newest.
var newestRevisions = postgres.NewStmt("orders_newest_revisions", `SELECT r.revision, (SELECT u.name FROM users AS u WHERE u.id = r.changed_by) AS changed_by,
	r.changed_at, r.summary, r.before, r.after
	FROM order_revisions AS r WHERE r.order_id = ?0 ORDER BY r.revision DESC LIMIT ?1::bigint`)

// Revisions returns an order's revisions, newest first.
func Revisions(ctx context.Context, db bun.IDB, orderID int64) ([]Revision, error) {
	return NewestRevisions(ctx, db, orderID, 0)
}

// NewestRevisions returns an order's newest limit revisions (all when
// limit is 0), newest first.
func NewestRevisions(ctx context.Context, db bun.IDB, orderID int64, limit int) ([]Revision, error) {
	var out []Revision
	var most any // LIMIT NULL: all
	if limit > 0 {
		most = limit
	}
	err := postgres.ScanStmtIn(ctx, db, newestRevisions, []any{orderID, most}, &out)
	for i := range out {
		out[i].Summary = out[i].Changes.In(i18n.For(i18n.EN))
	}
	return out, err
}

// Filter narrows an order list. Scope fields limit what a user may see.
type Filter struct {
	Status    Status
	CompanyID int64
	PO        string
	From, To  *time.Time
	// ManagerID limits the list to an account manager's customers.
	ManagerID int64
	// OnlyCompanyID limits the list to one company (a customer user's
	// own), from placed on: a customer never sees drafts.
	OnlyCompanyID int64
	// Placed leaves drafts out (the warehouse's view).
	Placed bool
	// BeforeID pages: orders older (lower id) than this.
	BeforeID int64
	Limit    int
	// Brief reads only what a list of orders shows (briefColumns): the
	// pages' lists; the API's has every column.
	Brief bool
}

// List returns orders newest first, one page; next is the BeforeID of the
// next page, 0 at the end. Keyset pagination on id keeps every page as fast
// as the first, however many orders there are.
func List(ctx context.Context, db bun.IDB, f Filter) (list []Order, next int64, err error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	q := withCompanyName(db.NewSelect().Model(&list), f).OrderExpr("o.id DESC").Limit(int64(f.Limit + 1))
	if f.Status != "" {
		q = q.Where("o.status = ?", f.Status)
	}
	if f.CompanyID != 0 {
		q = q.Where("o.company_id = ?", f.CompanyID)
	}
	q = scoped(q, f)
	if f.PO != "" {
		q = q.Where("o.po_reference ILIKE ? ESCAPE '\\'", "%"+likeEscape(f.PO)+"%")
	}
	if f.From != nil {
		q = q.Where("o.created_at >= ?", *f.From)
	}
	if f.To != nil {
		q = q.Where("o.created_at < ?", *f.To)
	}
	if f.BeforeID != 0 {
		q = q.Where("o.id < ?", f.BeforeID)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, 0, err
	}
	if len(list) > f.Limit {
		list = list[:f.Limit]
		next = list[len(list)-1].ID
	}
	return list, next, nil
}

// likeEscape makes s match itself in a LIKE pattern with escape character \.
func likeEscape(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '%' || c == '_' || c == '\\' {
			out = append(out, '\\')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// Held returns the orders awaiting credit approval, oldest first.
func Held(ctx context.Context, db bun.IDB) ([]Order, error) {
	var out []Order
	err := db.NewSelect().Model(&out).ColumnExpr("o.*, c.name AS company_name").Join("JOIN companies AS c ON c.id = o.company_id").
		Where("o.credit_hold = 'held' AND o.state = 'placed'").OrderExpr("o.placed_at, o.id").Scan(ctx)
	return out, err
}

// entryContext is prepared: every order entered runs it, after the
// customer's lock (migration 0006) in the same round trip.
var entryContext = postgres.NewStmt("orders_entry_context", `SELECT `+postgres.Columns((*customers.Company)(nil), "co")+`, nextval('orders_id_seq') AS order_id,
	EXISTS (SELECT 1 FROM orders AS taken WHERE taken.company_id = co.id AND taken.po_reference = ?2) AS po_taken,
	ARRAY(SELECT nextval('order_lines_id_seq') FROM generate_series(1, cardinality(?1::text[]))) AS line_ids,
	`+credit.PositionSQL("co", "0", "?3::date")+`,
	`+catalog.PricedJSON("co.id", "?1::text[]")+` AS priced
	FROM companies AS co WHERE co.id = ?0`)

// entry is what order entry decides on, read under the customer's lock.
type entry struct {
	Company  *customers.Company
	OrderID  int64
	POTaken  bool    // the customer has an order with the PO reference
	LineIDs  []int64 // one per SKU
	Credit   credit.Position
	Products map[string]*catalog.Product
	Prices   map[int64]int64
}

// enter checks that by may enter orders for the customer (its account
// manager, or an admin), locks the customer row as customers.LockByID
// does, then reads its credit position, whether po is taken, and the
// products with the SKUs at its prices, and draws a new order's number and
// line ids, in one round trip. Returns Forbidden, NotFound.
func enter(ctx context.Context, tx bun.IDB, now time.Time, by *users.User, companyID int64, po string, skus []string) (*entry, error) {
	if err := mayEnter(by); err != nil {
		return nil, err
	}
	return enterFor(ctx, tx, now, func(c *customers.Company) bool { return customers.CanSee(by, c) }, companyID, po, skus)
}

// enterFor is enter for a caller that checked the role, and whose may
// tells whether it enters orders for the customer. Returns NotFound.
func enterFor(ctx context.Context, tx bun.IDB, now time.Time, may func(*customers.Company) bool, companyID int64, po string, skus []string) (*entry, error) {
	var row struct {
		customers.Company `bun:",extend"`
		OrderID           int64           `bun:"order_id,scanonly"`
		POTaken           bool            `bun:"po_taken,scanonly"`
		LineIDs           []int64         `bun:"line_ids,array,scanonly"`
		Priced            json.RawMessage `bun:"priced,scanonly"`
		Terms             string          `bun:"credit_terms,scanonly"`
		LimitCents        int64           `bun:"credit_limit_cents,scanonly"`
		OpenOrders        int64           `bun:"credit_open_orders_cents,scanonly"`
		Receivables       int64           `bun:"credit_receivables_cents,scanonly"`
		Overdue           bool            `bun:"credit_overdue,scanonly"`
	}
	err := postgres.NewBatch(tx).Raw("CALL lock_company(?)", companyID).
		Stmt(entryContext, companyID, pgdialect.Array(catalog.NormalizeSKUs(skus)), po, credit.Today(now)).Scan(ctx, tx, &row)
	if errors.Is(err, sql.ErrNoRows) || err == nil && !may(&row.Company) {
		return nil, apperr.NotFoundf("Customer not found.")
	}
	if err != nil {
		return nil, err
	}
	var priced []catalog.Priced
	if err := json.Unmarshal(row.Priced, &priced); err != nil {
		return nil, fmt.Errorf("orders: products of the order: %w", err)
	}
	e := &entry{Company: &row.Company, OrderID: row.OrderID, POTaken: row.POTaken, LineIDs: row.LineIDs, Credit: credit.PositionRow{Terms: row.Terms, LimitCents: row.LimitCents, OpenOrders: row.OpenOrders,
		Receivables: row.Receivables, Overdue: row.Overdue}.Position()}
	e.Products, e.Prices = catalog.PricesOf(priced, row.Company.DiscountBP)
	return e, nil
}
