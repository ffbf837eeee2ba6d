package orders

import (
	"strings"

	"wholesale/internal/apperr"
	"wholesale/internal/money"
)

// LineInput is one line as typed: an existing line by ID, or a new one by SKU.
// Quantity 0 removes an existing line.
type LineInput struct {
	ID       int64  `json:"id,omitempty"`
	SKU      string `json:"sku,omitempty"`
	Quantity int    `json:"quantity"`
}

// Input is an order form, for a new order or an amendment.
type Input struct {
	CompanyID      int64       `json:"company_id"`
	POReference    string      `json:"po_reference"`
	Lines          []LineInput `json:"lines"`
	Address        string      `json:"address"` // "visiting" or "invoice": one of the customer's addresses
	ShipComplete   bool        `json:"ship_complete"`
	ShippingMethod string      `json:"shipping_method"`
	Shipping       string      `json:"shipping"` // euros, e.g. "12,50"
	Note           string      `json:"note"`
}

// Shipping methods offered.
var ShippingMethods = []string{"UPS", "UPS Express", "Pallet (freight)", "Collect"}

// validate normalises the input and returns field errors and the shipping cost.
func (in *Input) validate() (apperr.FieldErrors, int64) {
	fe := apperr.FieldErrors{}
	in.POReference = strings.TrimSpace(in.POReference)
	if in.POReference == "" {
		fe.Add("po_reference", "Enter the customer's PO reference.")
	} else if len(in.POReference) > 60 {
		fe.Add("po_reference", "Use at most 60 characters.")
	}
	if in.CompanyID == 0 {
		fe.Add("company_id", "Choose the customer.")
	}
	if in.Address == "" {
		in.Address = "visiting"
	}
	if in.Address != "visiting" && in.Address != "invoice" {
		fe.Add("address", "Choose one of the customer's addresses.")
	}
	in.ShippingMethod = strings.TrimSpace(in.ShippingMethod)
	if in.ShippingMethod == "" {
		in.ShippingMethod = "UPS"
	}
	okMethod := false
	for _, m := range ShippingMethods {
		okMethod = okMethod || m == in.ShippingMethod
	}
	if !okMethod {
		fe.Add("shipping_method", "Choose a shipping method.")
	}
	var shipping int64
	if s := strings.TrimSpace(in.Shipping); s != "" {
		var err error
		if shipping, err = money.Parse(s); err != nil {
			fe.Add("shipping", "Enter the agreed shipping cost in euros, e.g. 12,50, or 0.")
		}
	}
	live := 0
	for i := range in.Lines {
		l := &in.Lines[i]
		l.SKU = strings.ToUpper(strings.TrimSpace(l.SKU))
		switch {
		case l.ID == 0 && l.SKU == "" && l.Quantity == 0:
			continue // an empty row of the form
		case l.Quantity < 0:
			fe.Add(lineField(i), "The quantity must be more than 0.")
		case l.ID == 0 && l.Quantity == 0:
			fe.Add(lineField(i), "The quantity must be more than 0.")
		case l.ID == 0 && l.SKU == "":
			fe.Add(lineField(i), "Enter the SKU.")
		}
		if l.Quantity > 0 {
			live++
		}
	}
	if live == 0 {
		fe.Add("lines", "Add at least one line.")
	}
	in.Note = strings.TrimSpace(in.Note)
	return fe, shipping
}

func lineField(i int) string { return "line_" + itoa(i) }

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	s := ""
	for ; i > 0; i /= 10 {
		s = string(rune('0'+i%10)) + s
	}
	return s
}
