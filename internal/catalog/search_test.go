package catalog_test

import (
	"context"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"wholesale/internal/catalog"
)

func TestSearchFindsTheTextInTheSKUNameOrBrandAndTheWholeEAN(t *testing.T) {
	t.Parallel()
	s, db := newService(t)
	ctx := context.Background()
	for _, in := range []catalog.ProductInput{
		{SKU: "KR-100", Name: "Waterkoker 1,7 l", Brand: "Kroon", UnitPrice: "19,95", EAN: "4006508218202"},
		{SKU: "ST-200", Name: "Stofzuiger 100% stil", Brand: "Stilte", UnitPrice: "99,00"},
		{SKU: "LA-300", Name: "Lamp", Brand: "Kroonluchter", UnitPrice: "5,00"},
	} {
		if _, err := s.Save(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	skus := func(q string) string {
		list, err := catalog.Search(ctx, db, q, 10)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, p := range list {
			out = append(out, p.SKU)
		}
		return strings.Join(out, " ")
	}
	for q, want := range map[string]string{
		"kr-1":          "KR-100",        // part of a SKU, in any case
		"WATERKOKER":    "KR-100",        // part of a name
		"kroon":         "KR-100 LA-300", // part of two brands, by SKU
		"100":           "KR-100 ST-200", // a SKU and a name
		"100%":          "ST-200",        // % is a character, not a wildcard
		"4006508218202": "KR-100",        // the whole EAN
		"400650821820":  "",              // not part of an EAN
		"l kroon":       "",              // the end of a name and a brand is no text of either
		"kr-100 water":  "",              // nor is a SKU and a name
		"lamp":          "LA-300",
		"":              "KR-100 LA-300 ST-200", // everything
	} {
		if got := skus(q); got != want {
			t.Errorf("Search(%q) = %q, want %q", q, got, want)
		}
	}

	// The search reads migration 0025's trigram index of the three texts:
	// the expression in Search is the index's.
	rec := &lastQuery{}
	if _, err := catalog.Search(ctx, db.WithQueryHook(rec), "waterkoker", 10); err != nil {
		t.Fatal(err)
	}
	query := rec.query
	var plan []string
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, "SET LOCAL enable_seqscan = off"); err != nil {
			return err
		}
		return tx.NewRaw("EXPLAIN "+query).Scan(ctx, &plan)
	})
	if err != nil {
		t.Fatal(err)
	}
	if s := strings.Join(plan, "\n"); !strings.Contains(s, "products_search_trgm_idx") {
		t.Fatalf("the search does not read products_search_trgm_idx:\n%s\n%s", query, s)
	}
}

// lastQuery keeps the last query a bun.DB ran.
type lastQuery struct{ query string }

func (r *lastQuery) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }
func (r *lastQuery) AfterQuery(_ context.Context, e *bun.QueryEvent)                    { r.query = e.Query }
