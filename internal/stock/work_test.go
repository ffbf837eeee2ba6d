package stock_test

import (
	"context"
	"reflect"
	"strconv"
	"testing"
	"time"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/stock"
)

// moved lists the account manager's moved lines as "reference promised→expected".
func (e *env) moved(managerID int64) (int, []string) {
	e.t.Helper()
	ctx := context.Background()
	n, _, err := stock.CountMoved(ctx, e.db, managerID)
	if err != nil {
		e.t.Fatal(err)
	}
	list, err := stock.BackOrders(ctx, e.db, stock.BackOrderFilter{ManagerID: managerID, Moved: true})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, b := range list {
		if !b.Moved() {
			e.t.Errorf("the moved list has %s, which did not move", b.Reference)
		}
		out = append(out, b.Reference.String()+" "+date(b.PromisedDate)+"→"+date(b.ExpectedDate))
	}
	if n != len(out) {
		e.t.Errorf("CountMoved says %d, the list has %v", n, out)
	}
	return n, out
}

// TestBackOrderDateMoved follows a back-order line whose supplier confirms a
// later date than the one the line was first given: the line counts as
// moved, for its account manager only, from when it moved, until the
// customer is told; a line first dated after the move is not moved.
func TestBackOrderDateMoved(t *testing.T) {
	t.Parallel()
	e := newEnv(t) // the clock stands at 2026-11-24 09:00 UTC
	ctx := context.Background()
	p := e.product("KR-700")
	c := e.company("Bakkerij Jansen")
	a := e.demand(p, c, "PO-A", 5)
	if n, _ := e.moved(e.am.ID); n != 0 || e.expected(a) != "none" {
		t.Fatalf("undated line: %d moved, expected %s", n, e.expected(a))
	}
	// The first date is the promise, not a move.
	o, line := e.supply(p, 10, "2026-12-01", false)
	if n, _ := e.moved(e.am.ID); n != 0 || e.expected(a) != "2026-12-01" {
		t.Fatalf("first dated: %d moved, expected %s", n, e.expected(a))
	}
	// The supplier confirms a week later.
	e.clk.Advance(26 * time.Hour)
	movedAt := e.clk.Now()
	if err := e.stock.ConfirmDate(ctx, o.ID, time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	n, list := e.moved(e.am.ID)
	if n != 1 || list[0] != "PO-A 2026-12-01→2026-12-08" {
		t.Fatalf("after the later date: %d %v", n, list)
	}
	if _, oldest, _ := stock.CountMoved(ctx, e.db, e.am.ID); oldest == nil || !oldest.Equal(movedAt) {
		t.Errorf("moved at %v, want %v", oldest, movedAt)
	}
	if n, _ := e.moved(e.am.ID + 1000); n != 0 {
		t.Errorf("another account manager has %d moved lines", n)
	}
	if n, _ := e.moved(0); n != 1 {
		t.Errorf("everyone's moved lines: %d", n)
	}
	// A line entered now gets the new date as its promise.
	b := e.demand(p, c, "PO-B", 3)
	if _, list := e.moved(e.am.ID); len(list) != 1 || e.expected(b) != "2026-12-08" {
		t.Fatalf("with a line dated after the move: %v, its date %s", list, e.expected(b))
	}
	// The account manager tells the customer: the new date is the promise.
	if err := e.stock.Promise(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if n, list := e.moved(e.am.ID); n != 0 {
		t.Fatalf("after telling the customer: %v", list)
	}
	entries, err := audit.List(ctx, e.db, audit.Filter{Entity: "demand", EntityID: strconv.FormatInt(a.ID, 10), Limit: 1})
	if err != nil || len(entries) != 1 || entries[0].Action != "promise" {
		t.Fatalf("audit of the promise: %v %+v", err, entries)
	}
	// Served lines are no back orders: telling about one is not found.
	e.receive(o, line, 10)
	if err := e.stock.Promise(ctx, a.ID); apperr.KindOf(err) != apperr.NotFound {
		t.Errorf("promising a served line: %v", err)
	}
}

// TestDeliveriesDue counts the open supplier orders expected within a week
// of the business day, late ones included.
func TestDeliveriesDue(t *testing.T) {
	t.Parallel()
	e := newEnv(t) // 2026-11-24: due up to 2026-12-01
	ctx := context.Background()
	p := e.product("KR-701")
	e.supply(p, 1, "2026-11-20", false) // late
	e.supply(p, 1, "2026-12-01", true)
	e.supply(p, 1, "2026-12-02", true)
	until := stock.DueBy(e.clk.Now())
	if date(&until) != "2026-12-01" {
		t.Fatalf("due by %s", date(&until))
	}
	n, earliest, err := stock.CountDeliveriesDue(ctx, e.db, until)
	if err != nil || n != 2 || date(earliest) != "2026-11-20" {
		t.Fatalf("due: %d, earliest %s, %v", n, date(earliest), err)
	}
	list, _, err := stock.SupplierOrdersDue(ctx, e.db, &until)
	if err != nil || len(list) != 2 || date(&list[1].ExpectedDate) != "2026-12-01" {
		t.Fatalf("due list: %v %+v", err, list)
	}
	all, _, _ := stock.OpenSupplierOrders(ctx, e.db)
	if len(all) != 3 {
		t.Fatalf("open supplier orders: %d", len(all))
	}
}

// TestBackOrderStatementsReadWhatTheBuiltQueryReads compares the prepared
// statements of the back-order page (everyone's lines or a manager's, all
// or the moved ones, a page of them) with the query built for a filter
// they do not serve (one customer's lines): the same lines, in the same
// order, with the same fields.
func TestBackOrderStatementsReadWhatTheBuiltQueryReads(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p, q := e.product("KR-710"), e.product("KR-711")
	mine, other := e.company("Mine"), e.company("Other")
	if _, err := e.db.ExecContext(ctx, "UPDATE companies SET account_manager_id = NULL WHERE id = ?", other); err != nil {
		t.Fatal(err)
	}
	e.demand(q, mine, "M-1", 2)
	e.demand(p, other, "O-1", 3)
	e.demand(p, mine, "M-2", 1)
	o, _ := e.supply(p, 10, "2026-12-01", false)
	e.clk.Advance(26 * time.Hour)
	if err := e.stock.ConfirmDate(ctx, o.ID, time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	e.demand(q, other, "O-2", 4)
	for _, f := range []stock.BackOrderFilter{{}, {Moved: true}, {ManagerID: e.am.ID}, {ManagerID: e.am.ID, Moved: true}} {
		prepared, err := stock.BackOrders(ctx, e.db, f)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, c := range []int64{mine, other} {
			cf := f
			cf.CompanyID = c
			built, err := stock.BackOrders(ctx, e.db, cf)
			if err != nil {
				t.Fatal(err)
			}
			var theirs []stock.BackOrder
			for _, b := range prepared {
				if b.CompanyID == c {
					theirs = append(theirs, b)
				}
			}
			if !reflect.DeepEqual(theirs, built) {
				t.Errorf("%+v, customer %d: prepared %+v\nbuilt %+v", f, c, theirs, built)
			}
			n += len(built)
		}
		if n != len(prepared) || n == 0 && !f.Moved {
			t.Errorf("%+v: %d lines prepared, %d built", f, len(prepared), n)
		}
		// A page of the list is that part of it.
		f.Offset, f.Limit = 1, 2
		page, err := stock.BackOrders(ctx, e.db, f)
		if err != nil {
			t.Fatal(err)
		}
		if want := prepared[min(1, len(prepared)):min(3, len(prepared))]; !reflect.DeepEqual(page, want) && len(page)+len(want) > 0 {
			t.Errorf("%+v: page %+v, want %+v", f, page, want)
		}
	}
	if all, _ := stock.BackOrders(ctx, e.db, stock.BackOrderFilter{}); len(all) != 4 || all[0].SKU != "KR-710" || all[2].Reference.String() != "M-1" {
		t.Fatalf("everyone's lines: %+v", all)
	}
	if moved, _ := stock.BackOrders(ctx, e.db, stock.BackOrderFilter{ManagerID: e.am.ID, Moved: true}); len(moved) != 1 || moved[0].Reference.String() != "M-2" {
		t.Fatalf("the manager's moved lines: %+v", moved)
	}
}
