package catalog_test

import (
	"context"
	"math"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/catalog"
	"wholesale/internal/clock"
	"wholesale/internal/customers"
	"wholesale/internal/pgtest"
)

// exactDiscount is ApplyDiscount computed with big integers.
func exactDiscount(list int64, bp int) int64 {
	n := new(big.Int).Mul(big.NewInt(list), big.NewInt(int64(10000-bp)))
	n.Add(n, big.NewInt(5000))
	return n.Div(n, big.NewInt(10000)).Int64()
}

// A list price large enough to overflow list × (10000 − discount) still
// gets the exact discounted price, never a negative one.
func TestApplyDiscountNeverOverflows(t *testing.T) {
	for _, list := range []int64{0, 1, 9999, 10000, 10001, 1_000_000_000, 922_337_203_685_477, 922_337_203_685_478, math.MaxInt64 / 3, math.MaxInt64} {
		for _, bp := range []int{0, 1, 250, 3333, 5000, 9999, 10000} {
			got := catalog.ApplyDiscount(list, bp)
			if got != exactDiscount(list, bp) || got < 0 || got > list {
				t.Errorf("ApplyDiscount(%d, %d) = %d, want %d", list, bp, got, exactDiscount(list, bp))
			}
		}
	}
	if catalog.ApplyDiscount(1000, -5) != 1000 || catalog.ApplyDiscount(1000, 20000) != 0 {
		t.Error("a discount outside 0..100 % is not held to its bounds")
	}
}

func FuzzApplyDiscount(f *testing.F) {
	f.Add(int64(math.MaxInt64), 250)
	f.Add(int64(1999), 5000)
	f.Fuzz(func(t *testing.T, list int64, bp int) {
		if list < 0 {
			list = -(list + 1)
		}
		bp = ((bp % 10001) + 10001) % 10001
		if got := catalog.ApplyDiscount(list, bp); got != exactDiscount(list, bp) {
			t.Fatalf("ApplyDiscount(%d, %d) = %d, want %d", list, bp, got, exactDiscount(list, bp))
		}
	})
}

type pricesEnv struct {
	db      *bun.DB
	svc     *catalog.Service
	company *customers.Company
}

func newPricesEnv(t testing.TB) *pricesEnv {
	t.Helper()
	db := pgtest.New(t)
	ctx := context.Background()
	clk := clock.NewFixed(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	e := &pricesEnv{db: db, svc: &catalog.Service{DB: db, Clock: clk}}
	if _, err := e.svc.Save(ctx, catalog.ProductInput{SKU: "KR-1", Name: "Kettle", UnitPrice: "20,00"}); err != nil {
		t.Fatal(err)
	}
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		e.company, err = customers.Create(ctx, tx, clk.Now(), "Jansen")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *pricesEnv) state(t *testing.T) [3]int {
	t.Helper()
	var s [3]int
	ctx := context.Background()
	if err := e.db.NewSelect().Table("companies").Column("discount_bp").Where("id = ?", e.company.ID).Scan(ctx, &s[0]); err != nil {
		t.Fatal(err)
	}
	for i, table := range []string{"customer_prices", "audit_log"} {
		n, err := e.db.NewSelect().Table(table).Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		s[i+1] = int(n)
	}
	return s
}

func TestSetPricesBoundedAndAllOrNothing(t *testing.T) {
	t.Parallel()
	e := newPricesEnv(t)
	ctx := context.Background()
	before := e.state(t)
	for _, c := range []struct {
		in          catalog.PricesInput
		field, want string
	}{
		{catalog.PricesInput{Discount: "5", SKU: "KR-1", Price: "12.50,0"}, "price", "at most 2 decimals"},
		{catalog.PricesInput{Discount: "5", SKU: "KR-1", Price: "10.000.000,01"}, "price", "above €10,000,000.00"},
		{catalog.PricesInput{Discount: "5", SKU: "KR-1", Price: "-1"}, "price", "without a minus sign"},
		{catalog.PricesInput{Discount: "5", SKU: "KR-1", Price: "2147483648"}, "price", "above"},
		{catalog.PricesInput{Discount: "5", SKU: "NOPE-1", Price: "10"}, "sku", "No product has this SKU"},
		{catalog.PricesInput{Discount: "5", SKU: "KR-1\x00", Price: "10"}, "sku", "NUL"},
		{catalog.PricesInput{Discount: "5", SKU: strings.Repeat("K", 41), Price: "10"}, "sku", "at most 40"},
		{catalog.PricesInput{Discount: "101"}, "discount", "0 to 100 percent"},
		{catalog.PricesInput{Discount: "2,555"}, "discount", "0 to 100 percent"},
		{catalog.PricesInput{Discount: "-1"}, "discount", "0 to 100 percent"},
		{catalog.PricesInput{Discount: "5\x00"}, "discount", "0 to 100 percent"},
		{catalog.PricesInput{}, "discount", "Enter a discount"},
		{catalog.PricesInput{Price: "10"}, "sku", "Enter the SKU"},
	} {
		err := e.svc.SetPrices(ctx, e.company.ID, c.in)
		ae, _ := apperr.As(err)
		if ae == nil || ae.Kind != apperr.Invalid || !strings.Contains(ae.Fields[c.field].String(), c.want) {
			t.Errorf("%+v: %v; want %q at %s", c.in, err, c.want, c.field)
		}
	}
	if after := e.state(t); after != before {
		t.Fatalf("refused prices wrote: %v, was %v (the discount must not be saved when the price is refused)", after, before)
	}
	if err := e.svc.SetPrices(ctx, e.company.ID, catalog.PricesInput{Discount: "2,5 %", SKU: " kr-1 ", Price: "€ 17,50"}); err != nil {
		t.Fatal(err)
	}
	if after := e.state(t); after[0] != 250 || after[1] != before[1]+1 || after[2] != before[2]+2 {
		t.Fatalf("saved: %v, was %v", after, before)
	}
}

func TestServiceCentreValidate(t *testing.T) {
	good := catalog.ServiceCentre{Brand: "Krups", Name: "Krups Service NL", Address: "Kanaalweg 12, Utrecht", Phone: "+31 30 123 4567",
		Email: "Service@Krups.NL", Web: "https://krups.nl/service"}
	if fe := good.Validate(); len(fe) != 0 || good.Email != "service@krups.nl" {
		t.Fatalf("good centre: %v %+v", fe, good)
	}
	for field, set := range map[string]func(*catalog.ServiceCentre){
		"brand":   func(sc *catalog.ServiceCentre) { sc.Brand = "Krups\x00" },
		"name":    func(sc *catalog.ServiceCentre) { sc.Name = strings.Repeat("n", 201) },
		"address": func(sc *catalog.ServiceCentre) { sc.Address = "Kanaalweg 12\nUtrecht" },
		"phone":   func(sc *catalog.ServiceCentre) { sc.Phone = strings.Repeat("1", 51) },
		"email":   func(sc *catalog.ServiceCentre) { sc.Email = "service@krups" },
		"web":     func(sc *catalog.ServiceCentre) { sc.Web = "javascript:alert(1)" },
	} {
		sc := good
		set(&sc)
		if fe := sc.Validate(); fe[field].IsZero() || len(fe) != 1 {
			t.Errorf("%s: %v", field, fe)
		}
	}
}
