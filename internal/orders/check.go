package orders

import (
	"context"

	"wholesale/internal/apperr"
	"wholesale/internal/catalog"
	"wholesale/internal/credit"
	"wholesale/internal/customers"
	"wholesale/internal/stock"
	"wholesale/internal/users"
)

// Checked is what the order form's check shows: the products of the typed
// SKUs with their stock status and the customer's price, and the
// customer's credit position.
type Checked struct {
	Products map[string]*catalog.Product // by SKU; unknown SKUs are missing
	Prices   map[int64]int64             // the customer's price by product id
	Statuses map[int64]stock.Status      // by product id
	// Position is the customer's credit position without the order being
	// amended; nil when no customer of by's is chosen.
	Position *credit.Position
}

// Check looks up the SKUs of an order being typed for the customer
// companyID (0: none chosen yet), in two queries however many lines there
// are, and the customer's credit position without the order excludeOrderID
// (0: a new order). Returns Forbidden.
func (s *Service) Check(ctx context.Context, by *users.User, companyID int64, skus []string, excludeOrderID int64) (*Checked, error) {
	if err := mayEnter(by); err != nil {
		return nil, err
	}
	var co *customers.Company
	if companyID > 0 {
		c, err := customers.CompanyFor(ctx, s.DB, by, companyID)
		switch {
		case err == nil:
			co = c
		case apperr.KindOf(err) != apperr.NotFound:
			return nil, err
		}
	}
	out := &Checked{}
	var err error
	if co != nil {
		out.Products, out.Prices, err = catalog.PricedBySKUs(ctx, s.DB, co.ID, co.DiscountBP, skus)
	} else {
		out.Products, out.Prices, err = catalog.PricedBySKUs(ctx, s.DB, 0, 0, skus)
	}
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(out.Products))
	for _, p := range out.Products {
		ids = append(ids, p.ID)
	}
	if out.Statuses, err = stock.Statuses(ctx, s.DB, s.Clock.Now(), ids); err != nil {
		return nil, err
	}
	if co != nil {
		pos, err := credit.Of(ctx, s.DB, co.ID, excludeOrderID, s.Clock.Now())
		if err != nil {
			return nil, err
		}
		out.Position = &pos
	}
	return out, nil
}
