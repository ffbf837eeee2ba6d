// Package catalog holds the products, their prices (list and per customer),
// the brands' service centres, and the import and export of products.
package catalog

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"wholesale/internal/apperr"
	"wholesale/internal/i18n"
	"wholesale/internal/money"
	"wholesale/internal/validate"
)

// Supply states a product can be in besides its stock.
const (
	SupplyNormal         = "normal"
	SupplyDiscontinued   = "discontinued"
	SupplySupplierSilent = "supplier_silent"
)

// Product is an article of the catalogue.
type Product struct {
	bun.BaseModel `bun:"table:products,alias:p"`

	ID             int64     `bun:"id,pk,autoincrement" json:"id"`
	SKU            string    `bun:"sku" json:"sku"`
	Name           string    `bun:"name" json:"name"`
	Brand          string    `bun:"brand" json:"brand"`
	Description    string    `bun:"description" json:"description"`
	UnitPriceCents int64     `bun:"unit_price_cents" json:"unit_price_cents"`
	VATRate        int       `bun:"vat_rate" json:"vat_rate"`
	EAN            string    `bun:"ean" json:"ean,omitempty"`
	MaxPerOrder    *int      `bun:"max_per_order" json:"max_per_order,omitempty"`
	DOAReturnable  bool      `bun:"doa_returnable" json:"doa_returnable"`
	Supply         string    `bun:"supply" json:"supply"`
	CreatedAt      time.Time `bun:"created_at" json:"created_at"`
	UpdatedAt      time.Time `bun:"updated_at" json:"updated_at"`
}

// ProductInput is a product as typed in a form or read from an import row.
type ProductInput struct {
	SKU, Name, Brand, Description, UnitPrice, VATRate, EAN, MaxPerOrder, DOAReturnable, Supply string
}

// The bounds of a product's fields.
const (
	// NameMax bounds the name and the brand, in characters.
	NameMax = validate.NameMax
	// DescriptionMax bounds the description, in characters.
	DescriptionMax = validate.NoteMax
	// MaxUnitPriceCents is the highest list price: € 1.000.000,00. A
	// discount (ApplyDiscount multiplies by at most 10,000) and a line of
	// at most 1,000,000 pieces stay far inside int64.
	MaxUnitPriceCents = 100_000_000
	// MaxPerOrderLimit is the highest maximum per order, the most pieces
	// any order line may hold.
	MaxPerOrderLimit = 1_000_000
)

// CheckLine and CheckText are the shared text rules of internal/validate,
// which return the message to show or "": CheckLine for one line of text,
// CheckText for text with line breaks.
var CheckLine, CheckText = validate.CheckLine, validate.CheckText

var skuRE = regexp.MustCompile(`^[A-Z0-9][A-Z0-9._/-]{0,39}$`)

// ValidSKU tells whether s is a SKU as stored: 1 to 40 capitals, digits and
// . _ / -, starting with a capital or digit.
func ValidSKU(s string) bool { return skuRE.MatchString(s) }

// Parse validates the input and returns the product it describes, or
// Invalid with a message per field. Every field is bounded: SKU as
// ValidSKU, name (required) and brand one line of at most NameMax
// characters, description at most DescriptionMax characters (line breaks
// and tabs allowed), unit price 0 to MaxUnitPriceCents, VAT 21, 9 or 0,
// EAN 8, 12, 13 or 14 digits with check digit, maximum per order 1 to
// MaxPerOrderLimit (empty or 0 for none), DOA-returnable yes or no, supply
// one of the three states.
func (in ProductInput) Parse() (*Product, error) {
	fe := apperr.FieldErrors{}
	p := &Product{
		SKU: strings.ToUpper(strings.TrimSpace(in.SKU)), Name: strings.TrimSpace(in.Name),
		Brand: strings.TrimSpace(in.Brand), Description: strings.TrimSpace(in.Description),
		DOAReturnable: true, Supply: SupplyNormal,
	}
	if !ValidSKU(p.SKU) {
		fe.Add("sku", i18n.M("A SKU is 1 to 40 letters, digits and . _ / -, starting with a letter or digit."))
	}
	if msg := CheckLine(p.Name, NameMax); !msg.IsZero() {
		fe.Add("name", msg)
	} else if p.Name == "" {
		fe.Add("name", i18n.M("Enter the product name."))
	}
	if msg := CheckLine(p.Brand, NameMax); !msg.IsZero() {
		fe.Add("brand", msg)
	}
	if msg := CheckText(p.Description, DescriptionMax); !msg.IsZero() {
		fe.Add("description", msg)
	}
	price, err := money.Parse(in.UnitPrice)
	switch {
	case err != nil:
		fe.Add("unit_price", i18n.M("Enter the unit price excluding VAT in euros, e.g. 12.50."))
	case price > MaxUnitPriceCents:
		fe.Add("unit_price", i18n.M("The unit price can be at most %s.", i18n.Amount(MaxUnitPriceCents)))
	}
	p.UnitPriceCents = price
	switch strings.TrimSuffix(strings.TrimSpace(in.VATRate), "%") {
	case "21", "":
		p.VATRate = 21
	case "9":
		p.VATRate = 9
	case "0":
		p.VATRate = 0
	default:
		fe.Add("vat_rate", i18n.M("The VAT rate is 21, 9 or 0 %."))
	}
	p.EAN = strings.ReplaceAll(strings.TrimSpace(in.EAN), " ", "")
	if p.EAN != "" && !ValidEAN(p.EAN) {
		fe.Add("ean", i18n.M("This EAN is not 8, 12, 13 or 14 digits with a correct check digit."))
	}
	if m := strings.TrimSpace(in.MaxPerOrder); m != "" && m != "0" {
		n, ok := ParseCount(m, MaxPerOrderLimit)
		if !ok || n < 1 {
			fe.Add("max_per_order", i18n.M("The maximum per order is a whole number from 1 to %s, or empty for none.", i18n.Num(MaxPerOrderLimit)))
		}
		p.MaxPerOrder = &n
	}
	switch strings.ToLower(strings.TrimSpace(in.DOAReturnable)) {
	case "", "yes", "ja", "true", "1", "y", "on":
	case "no", "nee", "false", "0", "n":
		p.DOAReturnable = false
	default:
		fe.Add("doa_returnable", i18n.M("DOA-returnable is yes or no."))
	}
	switch s := strings.TrimSpace(in.Supply); s {
	case "", SupplyNormal:
	case SupplyDiscontinued, SupplySupplierSilent:
		p.Supply = s
	default:
		fe.Add("supply", i18n.M("Supply is normal, discontinued or supplier_silent."))
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	return p, nil
}

// ParseCount reads a whole number of 0 to max as typed: digits only (no
// sign, no separators), spaces around it ignored, never converting more
// digits than max has.
func ParseCount(s string, max int) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" || strings.Trim(s, "0123456789") != "" {
		return 0, false
	}
	t := strings.TrimLeft(s, "0")
	if len(t) > len(strconv.Itoa(max)) {
		return 0, false
	}
	n, err := strconv.Atoi("0" + t)
	return n, err == nil && n <= max
}

// thousands prints n with a comma every three digits.
// ValidEAN tells whether s is a GTIN-8, -12, -13 or -14 with a correct check digit.
func ValidEAN(s string) bool {
	switch len(s) {
	case 8, 12, 13, 14:
	default:
		return false
	}
	sum := 0
	for i := 0; i < len(s)-1; i++ {
		d := int(s[i] - '0')
		if d < 0 || d > 9 {
			return false
		}
		// Weights 3 and 1 alternate from the digit next to the check digit.
		if (len(s)-1-i)%2 == 1 {
			sum += 3 * d
		} else {
			sum += d
		}
	}
	last := int(s[len(s)-1] - '0')
	return last >= 0 && last <= 9 && (10-sum%10)%10 == last
}

// ServiceCentre is a brand's authorised service centre.
type ServiceCentre struct {
	bun.BaseModel `bun:"table:service_centres,alias:sc"`

	ID      int64  `bun:"id,pk,autoincrement" json:"id"`
	Brand   string `bun:"brand" json:"brand"`
	Name    string `bun:"name" json:"name"`
	Address string `bun:"address" json:"address"`
	Phone   string `bun:"phone" json:"phone"`
	Email   string `bun:"email" json:"email"`
	Web     string `bun:"web" json:"web"`
}

// ApplyDiscount returns the list price less a discount in basis points,
// rounded half up to the cent. It never overflows: the list price is split
// into whole blocks of 10,000 cents and the rest before multiplying, and a
// discount outside 0..MaxDiscountBP counts as the nearest bound.
func ApplyDiscount(listCents int64, discountBP int) int64 {
	if listCents < 0 {
		return -ApplyDiscount(-listCents, discountBP)
	}
	keep := int64(MaxDiscountBP - min(max(discountBP, 0), MaxDiscountBP))
	q, r := listCents/MaxDiscountBP, listCents%MaxDiscountBP
	return q*keep + (r*keep+5000)/MaxDiscountBP
}
