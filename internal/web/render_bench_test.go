package web

import (
	"fmt"
	"io"
	"testing"
	"time"

	"wholesale/internal/i18n"
	"wholesale/internal/returns"
	"wholesale/templates"
)

// BenchmarkRenderReturnList renders the returns list of 50 returns, as the
// warehouse sees it, in Dutch: the part of the page's time that is the
// template's (issue 19).
func BenchmarkRenderReturnList(b *testing.B) {
	v := newViews(templates.FS, templateFuncs)
	if err := v.Load(); err != nil {
		b.Fatal(err)
	}
	today := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	p := &returnIndexPage{Page: Page{Title: i18n.M("Returns"), Lang: i18n.NL}, Today: today, States: returns.States, CanReceive: true}
	for i := range 50 {
		ra, by := fmt.Sprintf("RA-2026-%05d", 18000-i), today.AddDate(0, 0, 10-i)
		p.Returns = append(p.Returns, returns.Return{ID: int64(18000 - i), OrderID: int64(990000 + i), Quantity: 1 + i%3,
			State: returns.StateApproved, RANumber: &ra, ArriveBy: &by, CreatedAt: today.AddDate(0, 0, -i),
			CompanyName: fmt.Sprintf("Hotel Smits Amersfoort %d B.V.", i), POReference: fmt.Sprintf("PO%06d", i), SKU: fmt.Sprintf("KR-BA%04d", i)})
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := v.Render(io.Discard, "returns/index", p); err != nil {
			b.Fatal(err)
		}
	}
}
