package loadtest

import (
	"context"
	"io"
	"strings"
	"testing"

	"wholesale/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// The verification passes on the bench's own master data, and finds a
// cycle whose order is not placed, confirmed, shipped and invoiced, whose
// invoice is not there, and stock that does not show what the cycles say
// they shipped.
func TestVerifyFindsWhatACycleDidNotDo(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	o := O2COptions{Tag: "VT", CustomersPerUser: 1, ProductsPerUser: 5, History: 2}
	if err := sellerReady(ctx, db, o, io.Discard); err != nil {
		t.Fatal(err)
	}
	us, err := setup(ctx, db, o, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	if problems, err := verify(ctx, db, us, nil); err != nil || len(problems) > 0 {
		t.Fatalf("verify on the set-up data = %v, %v; want no problems", problems, err)
	}
	u := us[0]
	var draft int64 // a history order: a draft, never shipped
	if err := db.NewRaw(`SELECT max(id) FROM orders WHERE company_id = ?`, u.Customers[0].ID).Scan(ctx, &draft); err != nil {
		t.Fatal(err)
	}
	rec := &cycleRecord{User: 0, CompanyID: u.Customers[0].ID, OrderID: draft, Tracking: "1ZBN0000000000000001", Invoice: "2099-000001",
		Lines: []cycleLine{{SKU: u.SKUs[0], ProductID: u.ProductIDs[u.SKUs[0]], Quantity: 3}}}
	problems, err := verify(ctx, db, us, []*cycleRecord{rec})
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(problems, "\n")
	for _, want := range []string{"state draft", "stock of " + u.SKUs[0] + ": 1000000 on hand and 0 reserved, want 999997 on hand (3 shipped)"} {
		if !strings.Contains(all, want) {
			t.Errorf("verify found\n%s\nwithout %q", all, want)
		}
	}
}
