package scale

import (
	"context"
	"encoding/json"
	"fmt"

	"wholesale/internal/catalog"
	"wholesale/internal/demo"
	"wholesale/internal/invoicing"
)

// write streams the world into the database, table by table: what refers
// to rows of another table after that table, independent tables at once.
func (s *seeder) write(ctx context.Context) error {
	w := s.w
	s.buyers()
	catalog := []table{s.productTable(), s.centreTable(), s.supplierTable()}
	if s.trusted { // the products' trigger makes no stock rows: the load does
		catalog = append(catalog, s.stockTable())
	}
	err := parallel(
		func() error { return s.load(ctx, s.staffTable(), s.companyTable(), s.customerUserTable()) },
		func() error { return s.load(ctx, catalog...) },
	)
	if err != nil {
		return err
	}
	err = parallel(
		func() error { return s.load(ctx, s.priceTable()) },
		func() error { return s.load(ctx, s.supplyTables()...) },
		func() error { return s.settings(ctx) },
		func() error {
			if s.trusted {
				return nil
			}
			return s.stockRows(ctx)
		},
	)
	if err != nil {
		return err
	}
	// The audit trail loads in parts beside the orders and the invoices.
	audit, err := s.auditParts(ctx, 2*s.parts())
	if err != nil {
		return err
	}
	err = s.chunks(ctx, "orders and shipments", len(w.orders), func(k, lo, hi int) []table {
		return append(s.orderTables(lo, hi), audit(k))
	})
	if err != nil {
		return err
	}
	if err := s.writeInvoices(ctx, func(k int) table { return audit(s.parts() + k) }); err != nil {
		return err
	}
	err = parallel(
		func() error { return s.load(ctx, s.paymentTable(), s.allocationTable(), s.reminderTable()) },
		func() error { return s.writeAftercare(ctx) },
	)
	if err != nil {
		return err
	}
	if err := s.sequences(ctx); err != nil {
		return err
	}
	if s.trusted {
		return s.foreignKeys(ctx)
	}
	return nil
}

// parts is how many chunks chunks loads: four for each worker.
func (s *seeder) parts() int { return 4 * s.o.Workers }

// chunks loads n things in parts() chunks of ids, the workers at once,
// each chunk (k, its things lo to hi) in one transaction, and then prints
// each table with its rows and the time spent on it in all chunks, and the
// time the whole took.
func (s *seeder) chunks(ctx context.Context, name string, n int, tables func(k, lo, hi int) []table) error {
	start := s.p.now()
	work := make(chan int)
	go func() {
		defer close(work)
		for k := range s.parts() {
			select {
			case work <- k:
			case <-ctx.Done():
				return
			}
		}
	}()
	fns := make([]func() error, s.o.Workers)
	for i := range fns {
		fns[i] = func() error {
			for k := range work {
				lo, hi := k*n/s.parts(), (k+1)*n/s.parts()
				if err := s.loadAs(ctx, false, tables(k, lo, hi)...); err != nil {
					for range work { // drain, so the feeder ends
					}
					return err
				}
			}
			return nil
		}
	}
	if err := parallel(fns...); err != nil {
		return err
	}
	ts := tables(0, 0, 0)
	for _, t := range ts {
		s.p.print(s.p.step(t.name))
	}
	s.p.print(s.p.step("commit " + ts[0].name + "…"))
	s.p.done(fmt.Sprintf("%s: %d at once", name, s.o.Workers), 0, start)
	return nil
}

// buyers makes each customer's buyer party, as its invoices name it.
func (s *seeder) buyers() {
	for _, c := range s.w.companies {
		a := c.invoice
		b, _ := json.Marshal(invoicing.Party{Name: c.name, Street: a.street, Postcode: a.postcode, City: a.city, Country: a.country,
			VATID: c.vatID, KvK: c.kvk, Email: c.email, CustomerNumber: c.id, EInvoiceProfile: profile(c), PeppolID: peppolID(c)})
		c.buyer = string(b)
	}
}

func profile(c *company) string {
	if c.peppol {
		return "peppol"
	}
	return ""
}

func peppolID(c *company) string {
	if c.peppol && c.vatID != "" {
		return "9930:" + c.vatID
	}
	return ""
}

// seller is the wholesaler as its invoices name it: the demo
// wholesaler's details, which settings hold too.
func seller() string {
	d := demo.Wholesaler
	b, _ := json.Marshal(invoicing.Party{Name: d.Name, Street: d.Street, Postcode: d.Postcode, City: d.City, Country: d.Country,
		VATID: d.VATID, KvK: d.KvK, IBAN: d.IBAN, BIC: d.BIC, Email: d.Email, Phone: d.Phone, Website: d.Website})
	return string(b)
}

// centre is the service centre of brand b (its id is its place in the list).
func centre(i int, b brand) catalog.ServiceCentre {
	slug := fmt.Sprintf("service-%d", i+1)
	return catalog.ServiceCentre{ID: int64(i + 1), Brand: b.name, Name: b.name + " Service Nederland",
		Address: fmt.Sprintf("Servicestraat %d, 3542 AB Utrecht", i+1), Phone: fmt.Sprintf("+31 30 %07d", 2_000_000+i),
		Email: slug + "@scale.test", Web: "https://" + slug + ".scale.test"}
}
