package catalog

import (
	"context"
	"fmt"
	"strings"
	"wholesale/internal/i18n"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/audit"
	"wholesale/internal/money"
	"wholesale/internal/postgres"
	"wholesale/internal/validate"
)

// MaxDiscountBP is the largest discount, in basis points: 100 %.
const MaxDiscountBP = 10000

// PricesInput is the prices form of a customer: a discount on list prices,
// and one product's own price; either may be left empty.
type PricesInput struct {
	Discount string // percent, e.g. "2,5"; "" leaves the discount as it is
	SKU      string // "" sets no own price
	Price    string // euros excl. VAT; "" with a SKU removes the product's own price

	// Set by Validate.
	discountBP  int
	priceCents  money.Cents
	removePrice bool
}

// Validate reads the discount (0 to 100 percent, at most 2 decimals) and the
// own price (0 to money.MaxCents) and returns a message per wrong field.
func (in *PricesInput) Validate() apperr.FieldErrors {
	fe := apperr.FieldErrors{}
	in.Discount, in.SKU, in.Price = strings.TrimSpace(in.Discount), validate.Upper(strings.TrimSpace(in.SKU)), strings.TrimSpace(in.Price)
	if in.Discount == "" && in.SKU == "" {
		fe.Add("discount", i18n.M("Enter a discount, or a SKU and its own price."))
	}
	if in.Discount != "" {
		bp, msg := ParseDiscount(in.Discount)
		if !msg.IsZero() {
			fe.Add("discount", msg)
		}
		in.discountBP = bp
	}
	if in.SKU != "" && validate.Line(fe, "sku", in.SKU, 40) && !skuRE.MatchString(in.SKU) {
		fe.Add("sku", i18n.M("No product has this SKU."))
	}
	if in.SKU == "" && in.Price != "" {
		fe.Add("sku", i18n.M("Enter the SKU of the product this price is for."))
	}
	in.removePrice = in.Price == ""
	if !in.removePrice {
		in.priceCents, _ = validate.Money(fe, "price", in.Price)
	}
	return fe
}

// ParseDiscount reads a discount in percent as typed ("2,5", "10 %") and
// returns it in basis points, or a message.
func ParseDiscount(s string) (int, i18n.Message) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	bp, err := money.Parse(s) // the same reading: at most two decimals
	if err != nil || bp > MaxDiscountBP {
		return 0, i18n.M("Enter a discount from 0 to 100 percent with at most 2 decimals, e.g. 2.5.")
	}
	return int(bp), i18n.Message{}
}

// SetPrices sets the company's discount and/or one product's own price, in
// one transaction, each audited. Returns NotFound, Invalid (at "sku" for an
// unknown SKU).
func (s *Service) SetPrices(ctx context.Context, companyID int64, in PricesInput) error {
	if err := in.Validate().Err(); err != nil {
		return err
	}
	return postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		if in.Discount != "" {
			if err := s.setDiscount(ctx, tx, companyID, in.discountBP); err != nil {
				return err
			}
		}
		if in.SKU == "" {
			return nil
		}
		p, err := BySKU(ctx, tx, in.SKU)
		if apperr.KindOf(err) == apperr.NotFound {
			return apperr.FieldErrors{"sku": i18n.M("No product has this SKU.")}.Err()
		}
		if err != nil {
			return err
		}
		return s.setCustomerPrice(ctx, tx, companyID, p.ID, in.priceCents, in.removePrice)
	})
}

// SetCustomerPrice sets (or, with an empty price, removes) the company's own
// price for a product. Returns NotFound, Invalid.
func (s *Service) SetCustomerPrice(ctx context.Context, companyID, productID int64, price string) error {
	fe := apperr.FieldErrors{}
	remove := strings.TrimSpace(price) == ""
	var cents money.Cents
	if !remove {
		cents, _ = validate.Money(fe, "price", price)
	}
	if err := fe.Err(); err != nil {
		return err
	}
	return postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		return s.setCustomerPrice(ctx, tx, companyID, productID, cents, remove)
	})
}

// SetDiscount sets a company's discount on list prices, in percent ("2,5").
// Returns NotFound, Invalid.
func (s *Service) SetDiscount(ctx context.Context, companyID int64, percent string) error {
	bp, msg := ParseDiscount(percent)
	if !msg.IsZero() {
		return apperr.FieldErrors{"discount": msg}.Err()
	}
	return postgres.Run(ctx, s.DB, postgres.Retrying, func(ctx context.Context, tx *postgres.Tx) error {
		return s.setDiscount(ctx, tx, companyID, bp)
	})
}

func (s *Service) setCustomerPrice(ctx context.Context, tx bun.IDB, companyID, productID int64, cents money.Cents, remove bool) error {
	if remove {
		if _, err := tx.ExecContext(ctx, "DELETE FROM customer_prices WHERE company_id = ? AND product_id = ?", companyID, productID); err != nil {
			return err
		}
	} else {
		_, err := tx.ExecContext(ctx, `INSERT INTO customer_prices (company_id, product_id, price_cents) VALUES (?, ?, ?)
			ON CONFLICT (company_id, product_id) DO UPDATE SET price_cents = EXCLUDED.price_cents`, companyID, productID, cents)
		if postgres.Code(err) == postgres.CodeForeignKeyViolation {
			return apperr.NotFoundf("Customer or product not found.")
		}
		if err != nil {
			return err
		}
	}
	return audit.Record(ctx, tx, s.Clock.Now(), audit.Change{Entity: "customer_price", EntityID: fmt.Sprintf("%d/%d", companyID, productID),
		Action: map[bool]string{true: "remove", false: "set"}[remove], After: map[string]int64{"price_cents": cents}})
}

func (s *Service) setDiscount(ctx context.Context, tx bun.IDB, companyID int64, bp int) error {
	var before int
	if err := tx.NewSelect().Table("companies").Column("discount_bp").Where("id = ?", companyID).For("UPDATE").Scan(ctx, &before); err != nil {
		return postgres.Translate(err, i18n.M("Customer"))
	}
	if _, err := tx.ExecContext(ctx, "UPDATE companies SET discount_bp = ? WHERE id = ?", bp, companyID); err != nil {
		return err
	}
	return audit.Record(ctx, tx, s.Clock.Now(), audit.Change{Entity: "company", EntityID: companyID, Action: "discount",
		Before: map[string]int{"discount_bp": before}, After: map[string]int{"discount_bp": bp}})
}
