package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/catalog"
	"wholesale/internal/postgres"
	"wholesale/internal/stock"
)

// demoProducts is the demo catalogue: "sku,name,brand,unit_price,vat_rate,ean,max_per_order".
const demoProducts = `sku,name,brand,description,unit_price,vat_rate,ean,max_per_order,doa_returnable
KR-EA8108,Espresso machine Arabica,Krups,Bean-to-cup espresso machine,"329,00",21,,5,yes
KR-XP3440,Espresso machine Virtuoso,Krups,Portafilter espresso machine,"149,00",21,,,yes
KR-F3090,Kettle Pro Aroma 1.7 l,Krups,Stainless steel kettle,"44,95",21,,,yes
KR-GVX2,Coffee grinder,Krups,Burr grinder,"59,00",21,,,yes
KR-XS5300,Descaling kit,Krups,Descaler and filters,"12,50",21,,,no
TF-FR4016,Hot air fryer Easy Fry,Tefal,4.2 l air fryer,"89,00",21,,,yes
TF-GC7148,Grill OptiGrill+,Tefal,Contact grill,"139,00",21,,,yes
TF-BL8118,Blender Perfectmix,Tefal,High-speed blender,"119,00",21,,,yes
MX-HZ4,Hand mixer,Moulinex,5-speed hand mixer,"34,50",21,,,yes
MX-QA1,Food processor,Moulinex,Kitchen machine,"219,00",21,3045386372362,2,yes
`

// loadCatalog adds products, service centres, stock, a supplier order and
// back orders of the demo customer, so every stock status shows.
func loadCatalog(ctx context.Context, db *bun.DB, now time.Time, d *Data) error {
	cat := &catalog.Service{DB: db, Clock: fixed(now)}
	st := &stock.Service{DB: db, Clock: fixed(now)}
	rep, err := cat.ImportProducts(ctx, []byte(demoProducts))
	if err != nil || len(rep.Errors) > 0 {
		return fmt.Errorf("demo products: %v %v", err, rep.Errors)
	}
	for _, sc := range []catalog.ServiceCentre{
		{Brand: "Krups", Name: "Groupe SEB Service Nederland", Address: "Postbus 1, 3800 AA Amersfoort", Phone: "+31 33 000 0000", Email: "service@groupeseb.test", Web: "https://service.groupeseb.test"},
		{Brand: "Tefal", Name: "Groupe SEB Service Nederland", Address: "Postbus 1, 3800 AA Amersfoort", Phone: "+31 33 000 0000", Email: "service@groupeseb.test"},
	} {
		if err := cat.SaveServiceCentre(ctx, sc); err != nil {
			return err
		}
	}
	if rep, err := st.ImportStock(ctx, []byte("sku,warehouse,on_hand\nKR-EA8108,MAIN,12\nKR-F3090,MAIN,40\nKR-GVX2,REMOTE,6\nKR-XS5300,MAIN,200\nMX-HZ4,MAIN,3\n")); err != nil || len(rep.Errors) > 0 {
		return fmt.Errorf("demo stock: %v %v", err, rep.Errors)
	}
	if _, err := db.ExecContext(ctx, "UPDATE products SET supply = 'discontinued' WHERE sku = 'TF-GC7148'"); err != nil {
		return err
	}
	if rep, err := st.ImportSupplierStock(ctx, []byte("sku,supplier_stock,lead_days\nTF-BL8118,8,3\n")); err != nil || rep.Failed() {
		return fmt.Errorf("demo supplier stock: %v %v", err, rep.Errors)
	}
	id := func(sku string) int64 {
		p, _ := catalog.BySKU(ctx, db, sku)
		return p.ID
	}
	day := now.Truncate(24 * time.Hour)
	if _, err := st.CreateSupplierOrder(ctx, stock.SupplierOrderInput{Supplier: "Groupe SEB Benelux", Reference: "SEB-2026-114",
		ExpectedDate: day.AddDate(0, 0, 7), DateConfirmed: true,
		Lines: []stock.SupplyLineInput{{ProductID: id("KR-XP3440"), Quantity: 10}, {ProductID: id("MX-HZ4"), Quantity: 12}}}); err != nil {
		return err
	}
	if _, err := st.CreateSupplierOrder(ctx, stock.SupplierOrderInput{Supplier: "Groupe SEB Benelux", Reference: "SEB-2026-120",
		ExpectedDate: day.AddDate(0, 0, 21), Lines: []stock.SupplyLineInput{{ProductID: id("TF-FR4016"), Quantity: 20}}}); err != nil {
		return err
	}
	return postgres.Run(ctx, db, postgres.Once, func(ctx context.Context, tx *postgres.Tx) error {
		for _, b := range []struct {
			sku string
			qty int
		}{{"KR-XP3440", 4}, {"MX-HZ4", 5}} {
			if _, err := stock.Reserve(ctx, tx, now, stock.DemandInput{ProductID: id(b.sku), CompanyID: d.Company.ID,
				Reference: "demo PO BJ-0042", Quantity: b.qty}); err != nil {
				return err
			}
		}
		return nil
	})
}

type fixedClock time.Time

func (f fixedClock) Now() time.Time { return time.Time(f) }

func fixed(t time.Time) fixedClock { return fixedClock(t) }
