package invoicing_test

import (
	"context"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/i18n"
	"wholesale/internal/invoicing"
	"wholesale/internal/orders"
)

// addition is an amendment that adds n of sku.
func addition(sku string, n int) orders.AmendInput {
	return orders.AmendInput{Lines: []orders.LineInput{{SKU: sku, Quantity: n}}}
}

func TestSameDayAdditionsLandOnTheSameInvoiceUntilTheCutoff(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.ord.Calendar = func(context.Context, bun.IDB) (invoicing.Calendar, error) { return weekdays{}, nil }
	e.clk.Set(amsterdam(24, 10, 0))
	o := e.order(e.customer, "PO-1", line("A", 1))
	first := e.ship(o)

	// 16:30: the customer calls for one more; it ships and lands on the
	// same draft, with the shipping cost still once.
	e.clk.Set(amsterdam(24, 16, 30))
	amended, err := e.ord.Amend(ctx, e.am, o.ID, addition("B", 2))
	if err != nil {
		t.Fatalf("an addition before the cutoff was refused: %v", err)
	}
	e.exec(`UPDATE orders SET confirmed_total_cents = total_incl_cents WHERE id = ?`, o.ID)
	added := amended.Lines[len(amended.Lines)-1]
	amended.Lines = []orders.Line{added}
	if second := e.ship(amended); second != first {
		t.Fatalf("the addition went on draft %d, not on the order's draft %d", second, first)
	}
	e.clk.Set(amsterdam(24, 17, 0))
	got, err := e.svc.Run(ctx, nil, 0)
	if err != nil || len(got) != 1 {
		t.Fatalf("issued %v (%v)", got, err)
	}
	inv, _ := e.svc.Get(ctx, e.fin, got[0])
	var skus []string
	for _, l := range inv.Lines {
		skus = append(skus, l.SKU)
	}
	shipping := 0
	for _, l := range inv.Lines {
		if l.Shipping() {
			shipping++
		}
	}
	if shipping != 1 || strings.Join(skus, ",") != "A,,B" {
		t.Errorf("invoice lines %v: the addition is missing or shipping is charged %d times", skus, shipping)
	}

	// After the cutoff the order takes nothing more.
	e.clk.Set(amsterdam(24, 17, 30))
	_, err = e.ord.Amend(ctx, e.am, o.ID, addition("B", 1))
	if apperr.KindOf(err) != apperr.Conflict || !strings.Contains(i18n.For(i18n.EN).Text(apperrMsg(err)), "additions go on a new order") {
		t.Errorf("an addition after the cutoff: %v", err)
	}
}

func TestAnAdditionAfterTheCutoffIsRefusedBeforeTheRunToo(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.ord.Calendar = func(context.Context, bun.IDB) (invoicing.Calendar, error) { return weekdays{}, nil }
	e.clk.Set(amsterdam(24, 10, 0))
	o := e.order(e.customer, "PO-1", line("A", 1))
	e.ship(o)
	e.clk.Set(amsterdam(24, 17, 0)) // the cutoff passed; the run has not come yet
	if _, err := e.ord.Amend(ctx, e.am, o.ID, addition("B", 1)); apperr.KindOf(err) != apperr.Conflict {
		t.Errorf("an addition after the cutoff, before the run: %v", err)
	}
}

func apperrMsg(err error) i18n.Message {
	if ae, ok := apperr.As(err); ok {
		return ae.Msg
	}
	return i18n.Raw(err.Error())
}
