package returns_test

import (
	"context"
	"testing"

	"wholesale/internal/returns"
)

// A brief list (the staff's list pages) has what the list shows, the same
// as the full one, without the units and the lookups it does not show.
func TestBriefListHasWhatTheListShows(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	_, sh := e.shipped(e.a, "A", 2)
	tested := e.tested(sh, returns.ResultFaultConfirmed)
	_, sh2 := e.shipped(e.a, "A", 1)
	approved := e.approved(sh2, 1)
	full, err := e.svc.List(ctx, e.wh, returns.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	brief, err := e.svc.List(ctx, e.wh, returns.Filter{Brief: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(full) != 2 || len(brief) != 2 || full[0].ID != approved.ID || full[1].ID != tested.ID {
		t.Fatalf("full %d, brief %d returns", len(full), len(brief))
	}
	for i, b := range brief {
		f := full[i]
		if b.ID != f.ID || b.RA() != f.RA() || b.State != f.State || b.SKU != f.SKU || b.SKU == "" || b.POReference != f.POReference ||
			b.POReference == "" || b.CompanyName != f.CompanyName || b.Quantity != f.Quantity || !b.CreatedAt.Equal(f.CreatedAt) {
			t.Errorf("brief %+v\nfull %+v", b, f)
		}
		if len(b.Units) != 0 || b.ProductName != "" {
			t.Errorf("the brief list read the units or the product's name: %+v", b)
		}
	}
	if len(full[1].Units) != 1 || full[1].ProductName == "" {
		t.Fatalf("the full list lacks the units or the product's name: %+v", full[1])
	}
	// A download has every column, whatever the filter says.
	export, err := e.svc.Export(ctx, e.db, e.wh, returns.Filter{Brief: true})
	if err != nil || len(export) != 2 || len(export[1].Units) != 1 || export[1].ProductName == "" {
		t.Fatalf("export %+v, %v", export, err)
	}
}
