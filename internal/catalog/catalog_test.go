package catalog_test

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/catalog"
	"wholesale/internal/clock"
	"wholesale/internal/customers"
	"wholesale/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestEAN(t *testing.T) {
	for s, ok := range map[string]bool{
		"4006508218202": true, "4006508218206": false, "96385074": true, "96385075": false,
		"036000291452": true, "10036000291459": true, "400650821820": false, "40065082182O2": false, "": false,
	} {
		if catalog.ValidEAN(s) != ok {
			t.Errorf("ValidEAN(%q) != %v", s, ok)
		}
	}
}

func TestApplyDiscount(t *testing.T) {
	for _, c := range []struct {
		list int64
		bp   int
		want int64
	}{{1000, 0, 1000}, {1000, 250, 975}, {999, 250, 974}, {1, 5000, 1}, {3, 5000, 2}, {1000, 10000, 0}} {
		if got := catalog.ApplyDiscount(c.list, c.bp); got != c.want {
			t.Errorf("ApplyDiscount(%d, %d) = %d, want %d (half up)", c.list, c.bp, got, c.want)
		}
	}
}

func TestProductInput(t *testing.T) {
	_, err := catalog.ProductInput{SKU: "a b", Name: "", UnitPrice: "x", VATRate: "6", EAN: "123", MaxPerOrder: "-1", DOAReturnable: "maybe", Supply: "gone"}.Parse()
	ae, _ := apperr.As(err)
	for _, f := range []string{"sku", "name", "unit_price", "vat_rate", "ean", "max_per_order", "doa_returnable", "supply"} {
		if ae == nil || ae.Fields[f].IsZero() {
			t.Errorf("no message at %s", f)
		}
	}
	p, err := catalog.ProductInput{SKU: " kr-1 ", Name: "Kettle", UnitPrice: "19,95", MaxPerOrder: "5"}.Parse()
	if err != nil || p.SKU != "KR-1" || p.VATRate != 21 || !p.DOAReturnable || *p.MaxPerOrder != 5 || p.UnitPriceCents != 1995 {
		t.Fatalf("%+v %v", p, err)
	}
}

func TestPriceFor(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	clk := clock.NewFixed(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	s := &catalog.Service{DB: db, Clock: clk}
	p, err := s.Save(ctx, catalog.ProductInput{SKU: "KR-1", Name: "Kettle", UnitPrice: "20,00"})
	if err != nil {
		t.Fatal(err)
	}
	var c *customers.Company
	db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		c, err = customers.Create(ctx, tx, clk.Now(), "Jansen")
		return err
	})
	price := func() int64 {
		v, err := catalog.PriceFor(ctx, db, c.ID, p)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if price() != 2000 {
		t.Fatal("list price")
	}
	if err := s.SetDiscount(ctx, c.ID, "2,5"); err != nil {
		t.Fatal(err)
	}
	if price() != 1950 {
		t.Fatalf("discounted: %d", price())
	}
	if err := s.SetCustomerPrice(ctx, c.ID, p.ID, "17,50"); err != nil {
		t.Fatal(err)
	}
	if price() != 1750 {
		t.Fatal("own price")
	}
	if err := s.SetCustomerPrice(ctx, c.ID, p.ID, ""); err != nil || price() != 1950 {
		t.Fatal("own price removed")
	}
	if err := s.SetDiscount(ctx, c.ID, "101"); apperr.KindOf(err) != apperr.Invalid {
		t.Fatal("101 % accepted")
	}
}
