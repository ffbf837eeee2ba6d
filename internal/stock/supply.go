package stock

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"wholesale/internal/i18n"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/mail"
	"wholesale/internal/postgres"
)

// SupplierOrder is a purchase order placed with a supplier.
type SupplierOrder struct {
	bun.BaseModel `bun:"table:supplier_orders,alias:so"`

	ID            int64     `bun:"id,pk,autoincrement" json:"id"`
	SupplierID    int64     `bun:"supplier_id" json:"supplier_id"`
	Reference     string    `bun:"reference" json:"reference"`
	ExpectedDate  time.Time `bun:"expected_date,type:date" json:"expected_date"`
	DateConfirmed bool      `bun:"date_confirmed" json:"date_confirmed"`
	Status        string    `bun:"status" json:"status"`
	CreatedAt     time.Time `bun:"created_at" json:"created_at"`

	SupplierName string `bun:"supplier_name,scanonly" json:"supplier_name"`
}

// SupplierOrderLine is one product of a supplier order.
type SupplierOrderLine struct {
	bun.BaseModel `bun:"table:supplier_order_lines,alias:sol"`

	ID              int64 `bun:"id,pk,autoincrement" json:"id"`
	SupplierOrderID int64 `bun:"supplier_order_id" json:"supplier_order_id"`
	ProductID       int64 `bun:"product_id" json:"product_id"`
	Quantity        int   `bun:"quantity" json:"quantity"`
	Received        int   `bun:"received" json:"received"`

	SKU  string `bun:"sku,scanonly" json:"sku"`
	Name string `bun:"name,scanonly" json:"name"`
}

// CreateSupplierOrder records a supplier order; waiting back orders of its
// products get their expected dates from it. Lines given by SKU are looked
// up in its transaction. Returns Invalid (at "lines" for an unknown SKU).
func (s *Service) CreateSupplierOrder(ctx context.Context, in SupplierOrderInput) (*SupplierOrder, error) {
	if err := in.Validate().Err(); err != nil {
		return nil, err
	}
	o := &SupplierOrder{Reference: strings.TrimSpace(in.Reference), ExpectedDate: in.ExpectedDate, DateConfirmed: in.DateConfirmed, Status: "open"}
	err := postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		now := s.Clock.Now()
		if err := tx.NewRaw(`INSERT INTO suppliers (name) VALUES (?) ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
			in.Supplier).Scan(ctx, &o.SupplierID); err != nil {
			return err
		}
		o.CreatedAt = now
		if _, err := tx.NewInsert().Model(o).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
			return err
		}
		var products []int64
		for i, l := range in.Lines {
			if l.ProductID == 0 {
				err := tx.NewSelect().Table("products").Column("id").Where("sku = ?", l.SKU).Scan(ctx, &l.ProductID)
				if errors.Is(err, sql.ErrNoRows) {
					return apperr.FieldErrors{"lines": i18n.M("Line %d: no product has SKU %s.", i+1, l.SKU)}.Err()
				}
				if err != nil {
					return err
				}
				in.Lines[i].ProductID = l.ProductID
			}
			line := &SupplierOrderLine{SupplierOrderID: o.ID, ProductID: l.ProductID, Quantity: l.Quantity}
			if _, err := tx.NewInsert().Model(line).ExcludeColumn("id").Exec(ctx); err != nil {
				if postgres.Code(err) == postgres.CodeForeignKeyViolation {
					return apperr.FieldErrors{"lines": i18n.M("A product of this order does not exist.")}.Err()
				}
				return err
			}
			products = append(products, l.ProductID)
		}
		if err := audit.Record(ctx, tx, now, audit.Change{Entity: "supplier_order", EntityID: o.ID, Action: "create",
			After: map[string]any{"supplier": in.Supplier, "order": o, "lines": in.Lines}}); err != nil {
			return err
		}
		return recomputeExpected(ctx, tx, now, products)
	})
	return o, err
}

// ConfirmDate records the delivery date the supplier confirmed. Returns
// NotFound, Invalid (a date outside validate.MinYear..MaxYear), Conflict.
func (s *Service) ConfirmDate(ctx context.Context, orderID int64, date time.Time) error {
	if msg := CheckConfirmedDate(date); !msg.IsZero() {
		return apperr.FieldErrors{"date": msg}.Err()
	}
	return postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		o := new(SupplierOrder)
		if err := tx.NewSelect().Model(o).Where("so.id = ?", orderID).For("UPDATE").Scan(ctx); err != nil {
			return postgres.Translate(err, i18n.M("Supplier order"))
		}
		if o.Status != "open" {
			return apperr.Conflictf("This supplier order is closed.")
		}
		before := *o
		if _, err := tx.ExecContext(ctx, "UPDATE supplier_orders SET expected_date = ?, date_confirmed = true WHERE id = ?", date, o.ID); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, s.Clock.Now(), audit.Change{Entity: "supplier_order", EntityID: o.ID, Action: "confirm_date",
			Before: map[string]any{"expected_date": before.ExpectedDate, "date_confirmed": before.DateConfirmed},
			After:  map[string]any{"expected_date": date, "date_confirmed": true}}); err != nil {
			return err
		}
		var products []int64
		if err := tx.NewSelect().Table("supplier_order_lines").Column("product_id").Where("supplier_order_id = ?", o.ID).Scan(ctx, &products); err != nil {
			return err
		}
		return recomputeExpected(ctx, tx, s.Clock.Now(), products)
	})
}

// ReceiptLine is what arrived of one supplier order line.
type ReceiptLine struct {
	LineID   int64
	Quantity int
}

// Receipt is a delivery as booked by the warehouse.
type Receipt struct {
	SupplierOrderID int64
	WarehouseID     int64 // 0: the main warehouse
	Lines           []ReceiptLine
}

// ReceiveResult says what a delivery did.
type ReceiveResult struct {
	Allocations []Allocation
	Booked      int
}

// Receive books a delivery and, in the same transaction, gives the goods to
// waiting back orders (priority, then first come, first served),
// recomputes the expected dates of the lines still waiting and mails the
// account managers of the customers served. Returns NotFound, Invalid, Conflict.
func (s *Service) Receive(ctx context.Context, in Receipt) (*ReceiveResult, error) {
	if err := in.Validate().Err(); err != nil {
		return nil, err
	}
	res := &ReceiveResult{}
	err := postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		now := s.Clock.Now()
		o := new(SupplierOrder)
		if err := tx.NewSelect().Model(o).Where("so.id = ?", in.SupplierOrderID).For("UPDATE").Scan(ctx); err != nil {
			return postgres.Translate(err, i18n.M("Supplier order"))
		}
		if o.Status != "open" {
			return apperr.Conflictf("This supplier order is received in full already.")
		}
		wh := in.WarehouseID
		if wh == 0 {
			if err := tx.NewSelect().Table("warehouses").Column("id").Where("is_main").Scan(ctx, &wh); err != nil {
				return err
			}
		}
		var lines []SupplierOrderLine
		if err := tx.NewSelect().Model(&lines).Where("sol.supplier_order_id = ?", o.ID).For("UPDATE").Scan(ctx); err != nil {
			return err
		}
		byID := map[int64]*SupplierOrderLine{}
		for i := range lines {
			byID[lines[i].ID] = &lines[i]
		}
		qty := map[int64]int{}
		fe := apperr.FieldErrors{}
		for _, rl := range in.Lines {
			l, ok := byID[rl.LineID]
			switch {
			case rl.Quantity == 0:
				continue
			case !ok:
				fe.Add(fmt.Sprintf("line_%d", rl.LineID), i18n.M("This line is not on the supplier order."))
			case rl.Quantity < 0:
				fe.Add(fmt.Sprintf("line_%d", rl.LineID), i18n.M("A quantity cannot be negative."))
			case rl.Quantity > l.Quantity-l.Received:
				fe.Add(fmt.Sprintf("line_%d", rl.LineID), i18n.M("Only %s more were ordered; book the rest on a new supplier order.", i18n.Num(l.Quantity-l.Received)))
			default:
				qty[l.ID] += rl.Quantity
			}
		}
		if err := fe.Err(); err != nil {
			return err
		}
		if len(qty) == 0 {
			return apperr.FieldErrors{"lines": i18n.M("Enter what arrived.")}.Err()
		}
		var products []int64
		perProduct := map[int64]int{}
		for id, q := range qty {
			perProduct[byID[id].ProductID] += q
		}
		for p := range perProduct {
			products = append(products, p)
		}
		sort.Slice(products, func(i, j int) bool { return products[i] < products[j] })
		if err := lockStock(ctx, tx, products); err != nil {
			return err
		}
		lineIDs, lineQty := make([]int64, 0, len(qty)), make([]int64, 0, len(qty))
		for id, q := range qty {
			lineIDs, lineQty = append(lineIDs, id), append(lineQty, int64(q))
			res.Booked += q
		}
		A := pgdialect.Array
		if _, err := tx.ExecContext(ctx, `UPDATE supplier_order_lines l SET received = l.received + x.q
			FROM unnest(?::bigint[], ?::bigint[]) AS x(id, q) WHERE l.id = x.id`, A(lineIDs), A(lineQty)); err != nil {
			return err
		}
		pq := make([]int64, len(products))
		for i, p := range products {
			pq[i] = int64(perProduct[p])
		}
		if _, err := tx.ExecContext(ctx, `UPDATE stock s SET on_hand = s.on_hand + x.q
			FROM unnest(?::bigint[], ?::bigint[]) AS x(p, q) WHERE s.product_id = x.p AND s.warehouse_id = ?`, A(products), A(pq), wh); err != nil {
			if postgres.Constraint(err) == "stock_on_hand_max" {
				return apperr.FieldErrors{"lines": i18n.M("A warehouse holds at most %s pieces of a product.", i18n.Num(MaxOnHand))}.Err()
			}
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE supplier_orders SET status = 'closed' WHERE id = ?
			AND NOT EXISTS (SELECT 1 FROM supplier_order_lines WHERE supplier_order_id = ? AND received < quantity)`, o.ID, o.ID); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Change{Entity: "supplier_order", EntityID: o.ID, Action: "receive",
			After: map[string]any{"warehouse_id": wh, "lines": qty}}); err != nil {
			return err
		}
		allocs, err := allocate(ctx, tx, now, products)
		if err != nil {
			return err
		}
		res.Allocations = allocs
		if err := recomputeExpected(ctx, tx, now, products); err != nil {
			return err
		}
		return notifyManagers(ctx, tx, now, allocs)
	})
	return res, err
}

// notifyManagers mails each account manager which of their customers' back
// orders got goods: one mail per manager, in the manager's language.
func notifyManagers(ctx context.Context, tx bun.IDB, now time.Time, allocs []Allocation) error {
	if len(allocs) == 0 {
		return nil
	}
	companies := map[int64]bool{}
	for _, a := range allocs {
		companies[a.CompanyID] = true
	}
	ids := make([]int64, 0, len(companies))
	for id := range companies {
		ids = append(ids, id)
	}
	var rows []struct {
		CompanyID int64  `bun:"company_id"`
		Company   string `bun:"company"`
		Email     string `bun:"email"`
		Name      string `bun:"manager"`
		Language  string `bun:"language"`
	}
	if err := tx.NewRaw(`SELECT c.id AS company_id, c.name AS company, u.email, u.name AS manager, u.language
		FROM companies c JOIN users u ON u.id = c.account_manager_id WHERE c.id = ANY(?) AND u.active`, pgdialect.Array(ids)).Scan(ctx, &rows); err != nil {
		return err
	}
	type manager struct{ name, email, lang string }
	lines := map[manager][]string{}
	companyOf := map[int64]struct {
		m       manager
		company string
	}{}
	for _, r := range rows {
		companyOf[r.CompanyID] = struct {
			m       manager
			company string
		}{manager{r.Name, r.Email, r.Language}, r.Company}
	}
	var skus = map[int64]string{}
	var prows []struct {
		ID  int64  `bun:"id"`
		SKU string `bun:"sku"`
	}
	pids := make([]int64, 0, len(allocs))
	for _, a := range allocs {
		pids = append(pids, a.ProductID)
	}
	if err := tx.NewRaw("SELECT id, sku FROM products WHERE id = ANY(?)", pgdialect.Array(pids)).Scan(ctx, &prows); err != nil {
		return err
	}
	for _, p := range prows {
		skus[p.ID] = p.SKU
	}
	for _, a := range allocs {
		c, ok := companyOf[a.CompanyID]
		if !ok {
			continue
		}
		l := i18n.For(i18n.Lang(c.m.lang))
		lines[c.m] = append(lines[c.m], fmt.Sprintf("- %s, %s: %d × %s", c.company, l.Text(a.Reference.Message), a.Quantity, skus[a.ProductID]))
	}
	for m, ls := range lines {
		sort.Strings(ls)
		l := i18n.For(i18n.Lang(m.lang))
		body := l.Text(i18n.M("Hello %s,\n\nGoods arrived for back orders of your customers:\n\n%s\n\nThey are reserved and ready to ship.\n",
			m.name, strings.Join(ls, "\n")))
		if err := mail.Enqueue(ctx, tx, now, l.Lang(), m.email, l.Text(i18n.M("Back orders served")), body); err != nil {
			return err
		}
	}
	return nil
}

// OpenSupplierOrders lists the open supplier orders with their lines, earliest first.
func OpenSupplierOrders(ctx context.Context, db bun.IDB) ([]SupplierOrder, map[int64][]SupplierOrderLine, error) {
	return SupplierOrdersDue(ctx, db, nil)
}

// SupplierOrdersDue lists the open supplier orders expected on or before
// until (every open one when nil) with their lines, earliest first.
func SupplierOrdersDue(ctx context.Context, db bun.IDB, until *time.Time) ([]SupplierOrder, map[int64][]SupplierOrderLine, error) {
	var orders []SupplierOrder
	q := db.NewSelect().Model(&orders).ColumnExpr("so.*, s.name AS supplier_name").
		Join("JOIN suppliers AS s ON s.id = so.supplier_id").Where("so.status = 'open'").OrderExpr("so.expected_date, so.id")
	if until != nil {
		q = q.Where("so.expected_date <= ?::date", *until)
	}
	err := q.Scan(ctx)
	if err != nil || len(orders) == 0 {
		return orders, nil, err
	}
	ids := make([]int64, len(orders))
	for i, o := range orders {
		ids[i] = o.ID
	}
	var lines []SupplierOrderLine
	err = db.NewSelect().Model(&lines).ColumnExpr("sol.*, p.sku, p.name").Join("JOIN products AS p ON p.id = sol.product_id").
		Where("sol.supplier_order_id = ANY(?)", pgdialect.Array(ids)).OrderExpr("sol.id").Scan(ctx)
	byOrder := map[int64][]SupplierOrderLine{}
	for _, l := range lines {
		byOrder[l.SupplierOrderID] = append(byOrder[l.SupplierOrderID], l)
	}
	return orders, byOrder, err
}
