package stock

import (
	"context"
	"encoding/json"
	"sort"
	"time"
	"wholesale/internal/i18n"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/postgres"
)

// DemandInput is what an order line asks of stock.
type DemandInput struct {
	ProductID int64
	CompanyID int64
	// Reference says what the demand is for, as a text; Message, when
	// set, says it as a message, printed in the reader's language.
	Reference string
	Message   i18n.Message
	Quantity  int
	PlacedAt  time.Time
}

// Reserve records one demand within the caller's transaction; see ReserveMany.
func Reserve(ctx context.Context, tx *postgres.Tx, now time.Time, in DemandInput) (*Demand, error) {
	ds, err := ReserveMany(ctx, tx, now, []DemandInput{in})
	if err != nil {
		return nil, err
	}
	return &ds[0], nil
}

// ReserveMany records the demands of an order's lines within the caller's
// transaction: each reserves what is available now (main warehouse first)
// and leaves the rest waiting as a back order, with the expected date of
// the earliest supply not promised to earlier back orders. New demands wait
// in line behind earlier ones, so stock set aside for those stays theirs.
// The demands come back in input order. Returns Invalid, NotFound.
func ReserveMany(ctx context.Context, tx *postgres.Tx, now time.Time, ins []DemandInput) ([]Demand, error) {
	b := postgres.NewBatch(tx)
	ds, err := ReserveManyIn(ctx, tx, b, now, ins)
	if err != nil {
		return nil, err
	}
	return ds, b.Exec(ctx, tx)
}

// ReserveManyIn is ReserveMany for a use case that sends its statements in
// batches: the statements already in b travel with the read of the stock.
// When the transaction may be optimistic (tx.Optimistic: the first attempt
// of a Retrying use case) and in the common case (nothing of the products
// waits and every demand is served in full), the stock is read without a
// lock and the booking and the demands' writes are left in b, with their
// ids set, for the caller to send in its transaction; if the stock was
// taken meanwhile, sending them fails as a serialization failure
// (postgres.Retryable) and postgres.Run runs the use case again, with the
// stock locked from the start. Otherwise the stock is locked when read and
// everything is written before it returns.
func ReserveManyIn(ctx context.Context, tx *postgres.Tx, b *postgres.Batch, now time.Time, ins []DemandInput) ([]Demand, error) {
	fe := apperr.FieldErrors{}
	seen := map[int64]bool{}
	var products []int64
	ds := make([]Demand, len(ins))
	for i, in := range ins {
		if in.Quantity <= 0 {
			fe.Add("quantity", i18n.M("The quantity must be more than 0."))
		}
		if in.PlacedAt.IsZero() {
			in.PlacedAt = now
		}
		ref := RefText(in.Reference)
		if !in.Message.IsZero() {
			ref = Reference{in.Message}
		}
		ds[i] = Demand{ProductID: in.ProductID, CompanyID: in.CompanyID, Reference: ref,
			Quantity: in.Quantity, PlacedAt: in.PlacedAt, Status: "open"}
		if !seen[in.ProductID] {
			seen[in.ProductID] = true
			products = append(products, in.ProductID)
		}
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	if len(ds) == 0 {
		return nil, b.Exec(ctx, tx)
	}
	sort.Slice(products, func(i, j int) bool { return products[i] < products[j] })
	// Optimistically the stock is read without a lock and the takes are
	// checked and booked at the end (stock_take, migration 0007); when that
	// fails the use case runs again pessimistically, locking from the start.
	optimistic := tx.Optimistic()
	rows, err := stockRows(ctx, tx, b, products, len(ds), !optimistic)
	if err != nil {
		return nil, err
	}
	// Every product has its stock rows (made with it, migration 0005): a
	// product without any does not exist.
	locked := map[int64]bool{}
	for _, r := range rows {
		locked[r.ProductID] = true
	}
	for _, p := range products {
		if !locked[p] {
			return nil, apperr.NotFoundf("Product not found.")
		}
	}
	for i := range ds {
		ds[i].ID = rows[0].NewIDs[i]
	}
	if optimistic {
		if taken, err := takeFree(ctx, tx, b, now, ds, rows); taken || err != nil {
			return ds, err
		}
		// Something of the products waits, or will: back orders are worked
		// out under the lock.
		if rows, err = stockRows(ctx, tx, b, products, 0, true); err != nil {
			return nil, err
		}
	}
	anyWaiting := false
	for _, r := range rows {
		anyWaiting = anyWaiting || r.Waiting
	}
	if !anyWaiting {
		return reserveFree(ctx, tx, b, now, ds, products, rows)
	}
	if _, err := tx.NewInsert().Model(&ds).Exec(ctx); err != nil {
		return nil, err
	}
	changes := make([]audit.Change, len(ds))
	ids := make([]int64, len(ds))
	for i := range ds {
		created, err := newDemandCreated(&ds[i])
		if err != nil {
			return nil, err
		}
		changes[i] = audit.Change{Entity: "demand", EntityID: ds[i].ID, Action: "create", After: created}
		ids[i] = ds[i].ID
	}
	if err := audit.RecordMany(ctx, tx, now, changes); err != nil {
		return nil, err
	}
	if _, err := allocate(ctx, tx, now, products); err != nil {
		return nil, err
	}
	if err := recomputeExpected(ctx, tx, now, products); err != nil {
		return nil, err
	}
	return reload(ctx, tx, ds, ids)
}

// reload returns the demands with ids as they are now, in the order of ds.
func reload(ctx context.Context, tx bun.IDB, ds []Demand, ids []int64) ([]Demand, error) {
	var fresh []Demand
	if err := tx.NewSelect().Model(&fresh).Where("dm.id = ANY(?)", pgdialect.Array(ids)).Scan(ctx); err != nil {
		return nil, err
	}
	byID := make(map[int64]Demand, len(fresh))
	for _, d := range fresh {
		byID[d.ID] = d
	}
	for i := range ds {
		ds[i] = byID[ds[i].ID]
	}
	return ds, nil
}

// lockedStock is a stock row read under its lock, with its warehouse's
// order and whether any demand of the product waits.
type lockedStock struct {
	ProductID   int64 `bun:"product_id"`
	WarehouseID int64 `bun:"warehouse_id"`
	OnHand      int   `bun:"on_hand"`
	Reserved    int   `bun:"reserved"`
	IsMain      bool  `bun:"is_main"`
	LeadDays    int   `bun:"lead_days"`
	Waiting     bool  `bun:"waiting"`
	// NewIDs are ids drawn for the new demands (the same on every row).
	NewIDs []int64 `bun:"new_ids,array"`
}

// The statements of order entry, prepared: every order placed runs them.
const stockRowsSQL = `SELECT s.product_id, s.warehouse_id, s.on_hand, s.reserved, w.is_main, w.lead_days,
		       EXISTS (SELECT 1 FROM demands d WHERE d.product_id = s.product_id AND d.status = 'open' AND d.reserved < d.quantity) AS waiting,
		       ARRAY(SELECT nextval('demands_id_seq') FROM generate_series(1, ?1::int)) AS new_ids
		FROM stock s JOIN warehouses w ON w.id = s.warehouse_id
		WHERE s.product_id = ANY(?0::bigint[]) ORDER BY s.product_id, s.warehouse_id`

var (
	readForReserve   = postgres.NewStmt("stock_read_for_reserve", stockRowsSQL)
	lockForReserve   = postgres.NewStmt("stock_lock_for_reserve", stockRowsSQL+" FOR UPDATE OF s")
	bookReservations = postgres.NewStmt("stock_book_reservations", `WITH r AS (
			INSERT INTO demand_reservations (demand_id, warehouse_id, quantity) SELECT * FROM unnest(?0::bigint[], ?1::bigint[], ?2::bigint[]))
		UPDATE stock s SET reserved = x.r FROM unnest(?3::bigint[], ?4::bigint[], ?5::bigint[]) AS x(p, w, r)
		WHERE s.product_id = x.p AND s.warehouse_id = x.w AND s.reserved <> x.r`)
	insertReservations = postgres.NewStmt("stock_insert_reservations", `INSERT INTO demand_reservations (demand_id, warehouse_id, quantity)
		SELECT * FROM unnest(?0::bigint[], ?1::bigint[], ?2::bigint[])`)
)

// insertDemands writes new demands without expected dates, prepared.
var insertDemands = postgres.NewStmt("stock_insert_demands", `INSERT INTO demands (id, product_id, company_id, reference, quantity, reserved, placed_at, priority, status)
	SELECT * FROM unnest(?0::bigint[], ?1::bigint[], ?2::bigint[], ?3::text[], ?4::int[], ?5::int[], ?6::timestamptz[], ?7::bool[], ?8::text[])`)

// addDemands adds the insert of new demands (ids drawn, no expected date
// yet) to b.
func addDemands(b *postgres.Batch, ds []Demand) {
	n := len(ds)
	id, product, company, qty, reserved := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
	ref, status, placed := make([]string, n), make([]string, n), make([]time.Time, n)
	priority := make([]bool, n)
	for i, d := range ds {
		id[i], product[i], company[i], qty[i], reserved[i] = d.ID, d.ProductID, d.CompanyID, int64(d.Quantity), int64(d.Reserved)
		ref[i], _ = d.Reference.stored() // a message always marshals: its args are the reference's own
		status[i], placed[i], priority[i] = d.Status, d.PlacedAt.UTC(), d.Priority
	}
	A := pgdialect.Array
	b.Stmt(insertDemands, A(id), A(product), A(company), A(ref), A(qty), A(reserved), A(placed), A(priority), A(status))
}

// stockRows reads the stock rows of the products, with their warehouses'
// order and whether anything of each product waits, locked when lock is
// set, and draws ids for n new demands, sent after the statements in b in
// one round trip.
func stockRows(ctx context.Context, tx bun.IDB, b *postgres.Batch, productIDs []int64, n int, lock bool) ([]lockedStock, error) {
	var rows []lockedStock
	s := readForReserve
	if lock {
		s = lockForReserve
	}
	err := b.Stmt(s, pgdialect.Array(productIDs), n).Scan(ctx, tx, &rows)
	return rows, err
}

// reserveFree books new demands when nothing of their products waits, with
// the stock rows locked: each takes what is free, main warehouse first, in
// the order given, and the rest waits. It is the common case of order
// entry, done in a few plain statements.
func reserveFree(ctx context.Context, tx bun.IDB, b *postgres.Batch, now time.Time, ds []Demand, products []int64, rows []lockedStock) ([]Demand, error) {
	takes, waiting := planFree(ds, rows)
	if err := addFree(ctx, tx, b, now, ds, rows, takes, false); err != nil {
		return nil, err
	}
	if !waiting {
		return ds, nil
	}
	if err := b.Exec(ctx, tx); err != nil {
		return nil, err
	}
	if err := recomputeExpected(ctx, tx, now, products); err != nil {
		return nil, err
	}
	ids := make([]int64, len(ds))
	for i := range ds {
		ids[i] = ds[i].ID
	}
	return reload(ctx, tx, ds, ids)
}

// takeFree is reserveFree on stock rows read without a lock, for the case
// where nothing of the products waits and every new demand is served in
// full: the takes are left in b with a check that the stock is still free
// (stock_take), which fails the transaction as a serialization failure if
// it is not. It returns false, having written nothing, for every other case.
func takeFree(ctx context.Context, tx bun.IDB, b *postgres.Batch, now time.Time, ds []Demand, rows []lockedStock) (bool, error) {
	for _, r := range rows {
		if r.Waiting {
			return false, nil
		}
	}
	takes, waiting := planFree(ds, rows)
	if waiting {
		for i := range ds {
			ds[i].Reserved = 0
		}
		return false, nil
	}
	return true, addFree(ctx, tx, b, now, ds, rows, takes, true)
}

// take is what a new demand takes from a stock row.
type take struct {
	demand, row int
	qty         int
}

// planFree works out what the new demands take of the free stock of rows,
// main warehouse first, in the order given, updating their Reserved, and
// says whether any of them is left waiting.
func planFree(ds []Demand, rows []lockedStock) (takes []take, waiting bool) {
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.ProductID != b.ProductID {
			return a.ProductID < b.ProductID
		}
		if a.IsMain != b.IsMain {
			return a.IsMain
		}
		if a.LeadDays != b.LeadDays {
			return a.LeadDays < b.LeadDays
		}
		return a.WarehouseID < b.WarehouseID
	})
	for i := range ds {
		want := ds[i].Quantity
		for k := range rows {
			r := &rows[k]
			if r.ProductID != ds[i].ProductID || want == 0 {
				continue
			}
			if free := r.OnHand - r.Reserved; free > 0 {
				q := min(free, want)
				r.Reserved += q
				want -= q
				ds[i].Reserved += q
				takes = append(takes, take{i, k, q})
			}
		}
		waiting = waiting || want > 0
	}
	return takes, waiting
}

// addFree adds to b the writes of planned takes: the stock (set to what was
// worked out under the lock, or, when checked, booked by stock_take), the
// demands, their reservations and one audit entry per demand saying what it
// asked and where its reservations came from.
func addFree(ctx context.Context, tx bun.IDB, b *postgres.Batch, now time.Time, ds []Demand, rows []lockedStock, takes []take, checked bool) error {
	A := pgdialect.Array
	created := make([]demandCreated, len(ds))
	for i := range ds {
		c, err := newDemandCreated(&ds[i])
		if err != nil {
			return err
		}
		created[i] = c
	}
	dIDs, wIDs, qty := make([]int64, len(takes)), make([]int64, len(takes)), make([]int64, len(takes))
	perRow := map[int]int64{}
	for n, t := range takes {
		d, r := ds[t.demand], rows[t.row]
		dIDs[n], wIDs[n], qty[n] = d.ID, r.WarehouseID, int64(t.qty)
		perRow[t.row] += int64(t.qty)
		created[t.demand].Reservations = append(created[t.demand].Reservations, reservation{WarehouseID: r.WarehouseID, Quantity: t.qty})
	}
	if checked && len(takes) > 0 {
		var pIDs, whIDs, q []int64
		for k := range rows { // in key order, each row once
			if perRow[k] > 0 {
				pIDs, whIDs, q = append(pIDs, rows[k].ProductID), append(whIDs, rows[k].WarehouseID), append(q, perRow[k])
			}
		}
		b.Raw("CALL stock_take(?::bigint[], ?::bigint[], ?::int[])", A(pIDs), A(whIDs), A(q))
	}
	addDemands(b, ds)
	switch {
	case len(takes) == 0:
	case checked:
		b.Stmt(insertReservations, A(dIDs), A(wIDs), A(qty))
	default:
		pIDs, whIDs, reserved := []int64{}, []int64{}, []int64{}
		for _, r := range rows {
			pIDs, whIDs, reserved = append(pIDs, r.ProductID), append(whIDs, r.WarehouseID), append(reserved, int64(r.Reserved))
		}
		b.Stmt(bookReservations, A(dIDs), A(wIDs), A(qty), A(pIDs), A(whIDs), A(reserved))
	}
	changes := make([]audit.Change, len(ds))
	for i := range created {
		changes[i] = audit.Change{Entity: "demand", EntityID: ds[i].ID, Action: "create", After: created[i]}
	}
	return audit.RecordMany(ctx, tx, now, changes)
}

// demandCreated is what the audit trail records of a new demand: the
// demand and the reservations it got at once, by warehouse.
type demandCreated struct {
	*Demand
	// Reference is the demand's, a message as its JSON object: the trail
	// prints it in the reader's language.
	Reference    json.RawMessage `json:"reference"`
	Reservations []reservation   `json:"reservations,omitempty"`
}

func newDemandCreated(d *Demand) (demandCreated, error) {
	ref, err := d.Reference.auditJSON()
	return demandCreated{Demand: d, Reference: ref}, err
}

type reservation struct {
	WarehouseID int64 `json:"warehouse_id"`
	Quantity    int   `json:"quantity"`
}

// Release cancels a demand within the caller's transaction: its
// reservations go back to stock and serve waiting back orders, and the
// audit trail says why. Of a demand partly shipped, what shipped stays
// counted as reserved and shipped. Returns NotFound, Conflict (shipped).
func Release(ctx context.Context, tx bun.IDB, now time.Time, demandID int64, reason string) error {
	var productID int64
	if err := tx.NewSelect().Table("demands").Column("product_id").Where("id = ?", demandID).Scan(ctx, &productID); err != nil {
		return postgres.Translate(err, i18n.M("Demand"))
	}
	if err := lockStock(ctx, tx, []int64{productID}); err != nil {
		return err
	}
	d := new(Demand)
	if err := tx.NewSelect().Model(d).Where("dm.id = ?", demandID).Scan(ctx); err != nil {
		return err
	}
	switch d.Status {
	case "cancelled":
		return nil
	case "shipped":
		return apperr.Conflictf("This line has shipped; it cannot be cancelled.")
	}
	if _, err := tx.ExecContext(ctx, `WITH r AS (DELETE FROM demand_reservations WHERE demand_id = ?0 RETURNING warehouse_id, quantity)
		UPDATE stock s SET reserved = s.reserved - r.quantity FROM r WHERE s.product_id = ?1 AND s.warehouse_id = r.warehouse_id`, d.ID, productID); err != nil {
		return err
	}
	// What has shipped of the demand stays shipped: only the rest is
	// cancelled, and the demand ends as shipped.
	status := "cancelled"
	if d.Shipped > 0 {
		status = "shipped"
	}
	if _, err := tx.ExecContext(ctx, "UPDATE demands SET status = ?, quantity = CASE WHEN shipped > 0 THEN shipped ELSE quantity END, reserved = shipped, expected_date = NULL WHERE id = ?",
		status, d.ID); err != nil {
		return err
	}
	if err := audit.Record(ctx, tx, now, audit.Change{Entity: "demand", EntityID: d.ID, Action: "cancel",
		Before: map[string]any{"status": d.Status, "quantity": d.Quantity, "reserved": d.Reserved},
		After:  map[string]any{"status": status, "shipped": d.Shipped, "reserved": d.Shipped, "reason": reason}}); err != nil {
		return err
	}
	if _, err := allocate(ctx, tx, now, []int64{productID}); err != nil {
		return err
	}
	return recomputeExpected(ctx, tx, now, []int64{productID})
}

// SetPriority gives a waiting demand priority over the first-come order, or
// takes it away. Returns NotFound.
func (s *Service) SetPriority(ctx context.Context, demandID int64, priority bool) error {
	return postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		d := new(Demand)
		if err := tx.NewSelect().Model(d).Where("dm.id = ? AND dm.status = 'open'", demandID).Scan(ctx); err != nil {
			return postgres.Translate(err, i18n.M("Back order"))
		}
		if err := lockStock(ctx, tx, []int64{d.ProductID}); err != nil {
			return err
		}
		if d.Priority == priority {
			return nil
		}
		if _, err := tx.ExecContext(ctx, "UPDATE demands SET priority = ? WHERE id = ?", priority, d.ID); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, s.Clock.Now(), audit.Change{Entity: "demand", EntityID: d.ID, Action: "priority",
			Before: map[string]bool{"priority": d.Priority}, After: map[string]bool{"priority": priority}}); err != nil {
			return err
		}
		return recomputeExpected(ctx, tx, s.Clock.Now(), []int64{d.ProductID})
	})
}
