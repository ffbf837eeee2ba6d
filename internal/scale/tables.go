package scale

import (
	"context"
	"fmt"
	"sort"

	"wholesale/internal/audit"
	"wholesale/internal/clock"
	"wholesale/internal/demo"
	"wholesale/internal/settings"
	"wholesale/internal/users"
)

func (s *seeder) userRows(us []*user) func(r *rows) error {
	return func(r *rows) error {
		for _, u := range us {
			var company int64
			if u.company != nil {
				company = u.company.id
			}
			r.Int(u.id).Str(u.email).Str(u.name).Str(u.role).Ref(company).Str(s.w.hash).Bool(true).
				Time(u.created).Time(u.created).Str(u.language)
			if err := r.End(); err != nil {
				return err
			}
		}
		return nil
	}
}

const userCols = "id, email, name, role, company_id, password_hash, active, created_at, updated_at, language"

func (s *seeder) staffTable() table {
	return table{"users", userCols, s.userRows(s.w.staff)}
}

func (s *seeder) customerUserTable() table {
	return table{"users", userCols, s.userRows(s.w.users[len(s.w.staff):])}
}

func (s *seeder) companyTable() table {
	return table{"companies", `id, name, kvk, vat_id, visiting_street, visiting_postcode, visiting_city, visiting_country,
		invoice_street, invoice_postcode, invoice_city, invoice_country, contact_name, contact_email, contact_phone, invoice_email,
		iban, account_holder, payment_terms, credit_limit_cents, payment_term_days, account_manager_id, discount_bp, language,
		einvoice_profile, peppol_id, created_at, updated_at`, func(r *rows) error {
		for _, c := range s.w.byID {
			terms := "credit"
			if c.prepay {
				terms = "prepayment"
			}
			v, i := c.visiting, c.invoice
			r.Int(c.id).Str(c.name).Str(c.kvk).Str(c.vatID).Str(v.street).Str(v.postcode).Str(v.city).Str(v.country).
				Str(i.street).Str(i.postcode).Str(i.city).Str(i.country).Str(c.contact).Str(c.email).Str(c.phone).Str("").
				Str(c.iban).Str(c.name).Str(terms).Int(c.limit).Int(int64(c.termDays)).Int(c.manager.id).Int(int64(c.discount)).
				Str(c.lang).Str(profile(c)).Str(peppolID(c)).Time(c.created).Time(c.created)
			if err := r.End(); err != nil {
				return err
			}
		}
		return nil
	}}
}

func (s *seeder) productTable() table {
	return table{"products", "id, sku, name, brand, description, unit_price_cents, vat_rate, ean, max_per_order, doa_returnable, supply, created_at, updated_at",
		func(r *rows) error {
			ps := append([]*product(nil), s.w.products...)
			sort.Slice(ps, func(i, j int) bool { return ps[i].id < ps[j].id })
			for _, p := range ps {
				r.Int(p.id).Str(p.sku).Str(p.name).Str(p.brand).Str("").Int(p.price).Int(int64(p.vat)).Str(p.ean)
				if p.maxPer > 0 {
					r.Int(int64(p.maxPer))
				} else {
					r.Null()
				}
				r.Bool(p.returnable).Str(p.supply).Time(p.created).Time(p.created)
				if err := r.End(); err != nil {
					return err
				}
			}
			return nil
		}}
}

func (s *seeder) centreTable() table {
	return table{"service_centres", "id, brand, name, address, phone, email, web", func(r *rows) error {
		for i, b := range s.w.brands {
			sc := centre(i, b)
			r.Int(sc.ID).Str(sc.Brand).Str(sc.Name).Str(sc.Address).Str(sc.Phone).Str(sc.Email).Str(sc.Web)
			if err := r.End(); err != nil {
				return err
			}
		}
		return nil
	}}
}

func (s *seeder) supplierTable() table {
	return table{"suppliers", "id, name", func(r *rows) error {
		for i, name := range s.w.suppliers {
			if err := r.Int(int64(i + 1)).Str(name).End(); err != nil {
				return err
			}
		}
		return nil
	}}
}

func (s *seeder) priceTable() table {
	return table{"customer_prices", "company_id, product_id, price_cents", func(r *rows) error {
		keys := make([][2]int32, 0, len(s.w.prices))
		for k := range s.w.prices {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			return keys[i][0] < keys[j][0] || keys[i][0] == keys[j][0] && keys[i][1] < keys[j][1]
		})
		for _, k := range keys {
			c, p := s.w.companies[k[0]], s.w.products[k[1]]
			if err := r.Int(c.id).Int(p.id).Int(s.w.prices[k]).End(); err != nil {
				return err
			}
		}
		return nil
	}}
}

func (s *seeder) supplyTables() []table {
	orders := table{"supplier_orders", "id, supplier_id, reference, expected_date, date_confirmed, status, created_at", func(r *rows) error {
		for _, so := range s.w.supply {
			status := "closed"
			if so.open {
				status = "open"
			}
			r.Int(so.id).Int(int64(so.supplier + 1)).Str(so.reference).Date(so.expected).Bool(so.confirmed).Str(status).Time(so.created)
			if err := r.End(); err != nil {
				return err
			}
		}
		return nil
	}}
	lines := table{"supplier_order_lines", "id, supplier_order_id, product_id, quantity, received", func(r *rows) error {
		var id int64
		for _, so := range s.w.supply {
			for _, l := range so.lines {
				id++
				if err := r.Int(id).Int(so.id).Int(l.product.id).Int(int64(l.qty)).Int(int64(l.received)).End(); err != nil {
					return err
				}
			}
		}
		return nil
	}}
	return []table{orders, lines}
}

// stockTable is every product's stock rows: its reservations, and what
// is free besides.
func (s *seeder) stockTable() table {
	return table{"stock", "product_id, warehouse_id, on_hand, reserved", func(r *rows) error {
		for _, p := range s.w.products {
			for wh := range 2 {
				if err := r.Int(p.id).Int(int64(wh + 1)).Int(int64(p.reserved[wh] + p.onHand[wh])).Int(int64(p.reserved[wh])).End(); err != nil {
					return err
				}
			}
		}
		return nil
	}}
}

// stockRows sets the stock rows (made by the products' trigger) to those
// of stockTable.
func (s *seeder) stockRows(ctx context.Context) error {
	conn, err := s.bulk.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	start := s.p.now()
	if _, err := conn.ExecContext(ctx, `CREATE TEMP TABLE scale_stock (product_id bigint, warehouse_id bigint, on_hand int, reserved int)`); err != nil {
		return err
	}
	t := s.stockTable()
	t.name = "scale_stock"
	n, err := copyIn(ctx, conn, t)
	if err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, `UPDATE stock s SET on_hand = x.on_hand, reserved = x.reserved FROM scale_stock x
		WHERE s.product_id = x.product_id AND s.warehouse_id = x.warehouse_id AND (x.on_hand, x.reserved) <> (0, 0)`); err != nil {
		return fmt.Errorf("scale: stock: %w", err)
	}
	s.p.done("stock", n, start)
	return nil
}

// settings fills in the wholesaler's details as its admin would.
func (s *seeder) settings(ctx context.Context) error {
	start := s.p.now()
	admin, err := users.ByID(ctx, s.db, s.w.roles["admin"].id)
	if err != nil {
		return err
	}
	ctx = audit.WithActor(ctx, audit.Actor{UserID: admin.ID, Label: admin.Email})
	in := demo.Wholesaler
	if _, err := (&settings.Service{DB: s.db, Clock: clock.NewFixed(s.w.start)}).Save(ctx, admin, in); err != nil {
		return fmt.Errorf("scale: settings: %w", err)
	}
	s.p.done("settings", 1, start)
	return nil
}
