package stock

import (
	"fmt"
	"slices"
	"testing"
)

// TestPlanFree is the rule of booking new demands on free stock: each
// demand, in the order given, takes what is free of its own product, the
// main warehouse first, then remote warehouses by lead days, then by id;
// what no row has free leaves the demand waiting.
func TestPlanFree(t *testing.T) {
	t.Parallel()
	const p1, p2 = 101, 202
	main := func(p int64, onHand, reserved int) lockedStock {
		return lockedStock{ProductID: p, WarehouseID: 1, OnHand: onHand, Reserved: reserved, IsMain: true}
	}
	remote := func(p, w int64, lead, onHand, reserved int) lockedStock {
		return lockedStock{ProductID: p, WarehouseID: w, OnHand: onHand, Reserved: reserved, LeadDays: lead}
	}
	demand := func(p int64, qty int) Demand { return Demand{ProductID: p, Quantity: qty} }
	for _, tc := range []struct {
		name     string
		ds       []Demand
		rows     []lockedStock
		takes    []string // "demand index/product/warehouse: quantity"
		reserved []int    // each demand's Reserved after
		waiting  bool
		rowsLeft []string // "product/warehouse: reserved" of every row after
	}{
		{name: "main warehouse first, even listed last",
			ds:       []Demand{demand(p1, 4)},
			rows:     []lockedStock{remote(p1, 2, 1, 5, 0), main(p1, 3, 0)},
			takes:    []string{"0/101/1: 3", "0/101/2: 1"},
			reserved: []int{4}, rowsLeft: []string{"101/1: 3", "101/2: 1"}},
		{name: "main first even when its lead days are more",
			ds:       []Demand{demand(p1, 2)},
			rows:     []lockedStock{remote(p1, 2, 0, 5, 0), {ProductID: p1, WarehouseID: 9, OnHand: 5, IsMain: true, LeadDays: 3}},
			takes:    []string{"0/101/9: 2"},
			reserved: []int{2}, rowsLeft: []string{"101/9: 2", "101/2: 0"}},
		{name: "remote warehouses by lead days",
			ds:       []Demand{demand(p1, 6)},
			rows:     []lockedStock{main(p1, 0, 0), remote(p1, 2, 5, 4, 0), remote(p1, 3, 1, 4, 0)},
			takes:    []string{"0/101/3: 4", "0/101/2: 2"},
			reserved: []int{6}, rowsLeft: []string{"101/1: 0", "101/3: 4", "101/2: 2"}},
		{name: "equal lead days by warehouse id",
			ds:       []Demand{demand(p1, 3)},
			rows:     []lockedStock{remote(p1, 7, 2, 2, 0), remote(p1, 4, 2, 2, 0)},
			takes:    []string{"0/101/4: 2", "0/101/7: 1"},
			reserved: []int{3}, rowsLeft: []string{"101/4: 2", "101/7: 1"}},
		{name: "partial take leaves the rest waiting",
			ds:       []Demand{demand(p1, 4)},
			rows:     []lockedStock{main(p1, 5, 3)},
			takes:    []string{"0/101/1: 2"},
			reserved: []int{2}, waiting: true, rowsLeft: []string{"101/1: 5"}},
		{name: "several demands of one product in the order given",
			ds:       []Demand{demand(p1, 3), demand(p1, 3), demand(p1, 1)},
			rows:     []lockedStock{main(p1, 4, 0), remote(p1, 2, 1, 1, 0)},
			takes:    []string{"0/101/1: 3", "1/101/1: 1", "1/101/2: 1"},
			reserved: []int{3, 2, 0}, waiting: true, rowsLeft: []string{"101/1: 4", "101/2: 1"}},
		{name: "several products each take their own",
			ds:       []Demand{demand(p2, 2), demand(p1, 1), demand(p2, 1)},
			rows:     []lockedStock{main(p2, 2, 0), remote(p1, 2, 1, 3, 0), main(p1, 0, 0), remote(p2, 2, 1, 5, 4)},
			takes:    []string{"0/202/1: 2", "1/101/2: 1", "2/202/2: 1"},
			reserved: []int{2, 1, 1}, rowsLeft: []string{"101/1: 0", "101/2: 1", "202/1: 2", "202/2: 5"}},
		{name: "nothing free",
			ds:       []Demand{demand(p1, 2)},
			rows:     []lockedStock{main(p1, 3, 3), remote(p1, 2, 1, 0, 0)},
			reserved: []int{0}, waiting: true, rowsLeft: []string{"101/1: 3", "101/2: 0"}},
		{name: "more reserved than on hand after a count gives nothing",
			ds:       []Demand{demand(p1, 1)},
			rows:     []lockedStock{main(p1, 2, 5), remote(p1, 2, 1, 1, 0)},
			takes:    []string{"0/101/2: 1"},
			reserved: []int{1}, rowsLeft: []string{"101/1: 5", "101/2: 1"}},
		{name: "exactly what is free: nothing waits",
			ds:       []Demand{demand(p1, 2), demand(p2, 5)},
			rows:     []lockedStock{main(p1, 2, 0), main(p2, 7, 2)},
			takes:    []string{"0/101/1: 2", "1/202/1: 5"},
			reserved: []int{2, 5}, rowsLeft: []string{"101/1: 2", "202/1: 7"}},
		{name: "an earlier demand waits while the last is served",
			ds:       []Demand{demand(p2, 1), demand(p1, 1)},
			rows:     []lockedStock{main(p1, 1, 0), main(p2, 0, 0)},
			takes:    []string{"1/101/1: 1"},
			reserved: []int{0, 1}, waiting: true, rowsLeft: []string{"101/1: 1", "202/1: 0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			takes, waiting := planFree(tc.ds, tc.rows)
			var got []string
			for _, tk := range takes {
				r := tc.rows[tk.row]
				if r.ProductID != tc.ds[tk.demand].ProductID {
					t.Errorf("demand %d of product %d takes from product %d", tk.demand, tc.ds[tk.demand].ProductID, r.ProductID)
				}
				got = append(got, fmt.Sprintf("%d/%d/%d: %d", tk.demand, r.ProductID, r.WarehouseID, tk.qty))
			}
			if !slices.Equal(got, tc.takes) {
				t.Errorf("takes %q, want %q", got, tc.takes)
			}
			var reserved []int
			for _, d := range tc.ds {
				reserved = append(reserved, d.Reserved)
			}
			if !slices.Equal(reserved, tc.reserved) {
				t.Errorf("demands reserve %v, want %v", reserved, tc.reserved)
			}
			if waiting != tc.waiting {
				t.Errorf("waiting = %v, want %v", waiting, tc.waiting)
			}
			var left []string
			for _, r := range tc.rows {
				left = append(left, fmt.Sprintf("%d/%d: %d", r.ProductID, r.WarehouseID, r.Reserved))
			}
			slices.Sort(left)
			want := slices.Sorted(slices.Values(tc.rowsLeft))
			if !slices.Equal(left, want) {
				t.Errorf("rows reserved %q, want %q", left, want)
			}
		})
	}
}
