package web

import (
	"fmt"
	"reflect"

	"github.com/getkin/kin-openapi/openapi3"

	"wholesale/internal/complaints"
	"wholesale/internal/money"
	"wholesale/internal/orders"
	"wholesale/internal/payments"
	"wholesale/internal/returns"
	"wholesale/internal/validate"
)

// fieldRule is what a request body's field takes, in the words of JSON
// Schema, from the same constants the input type's Validate() uses;
// TestInputRulesMatchValidate sends each bound and one past it through
// Validate(), so the document cannot promise what Validate refuses.
type fieldRule struct {
	Type     reflect.Type // the input type (or one that embeds it)
	Field    string       // its JSON name
	Required bool
	// MinLength and MaxLength bound a text in characters; Min and Max a
	// number; 0 and nil: no bound.
	MinLength, MaxLength int64
	Min, Max             *float64
	Enum                 []string
	Format               string
	// MaxItems bounds a list, ItemMaxLength its texts.
	MaxItems, ItemMaxLength int64
	Doc                     string
}

func num(n int64) *float64 { f := float64(n); return &f }

func typeOf[T any]() reflect.Type { return reflect.TypeFor[T]() }

// inputRules are the bounds of every request body's fields.
var inputRules = []fieldRule{
	{Type: typeOf[orders.Input](), Field: "company_id", Required: true, Min: num(1), Doc: "The customer's id."},
	{Type: typeOf[orders.Input](), Field: "po_reference", Required: true, MinLength: 1, MaxLength: validate.POReferenceMax, Doc: "The customer's purchase-order reference."},
	{Type: typeOf[orders.Input](), Field: "lines", Required: true, MaxItems: orders.MaxLines, Doc: "The lines: sku and quantity (at least 1) each."},
	{Type: typeOf[orders.Input](), Field: "address", Enum: []string{"visiting", "invoice"}, Doc: "Which of the customer's addresses to deliver to (default visiting)."},
	{Type: typeOf[orders.Input](), Field: "shipping_method", Enum: orders.ShippingMethods, Doc: "How it ships (default UPS)."},
	{Type: typeOf[orders.Input](), Field: "shipping", Doc: "The shipping cost in euros as typed, e.g. 12,50 or 12.50; empty for none."},
	{Type: typeOf[orders.Input](), Field: "note", MaxLength: validate.NoteMax, Doc: "An internal note (a customer's user never sees it)."},
	{Type: typeOf[orders.LineInput](), Field: "id", Min: num(0), Doc: "An amendment's existing line (0 or absent: a new line)."},
	{Type: typeOf[orders.LineInput](), Field: "sku", MaxLength: orders.SKUMax, Doc: "A new line's product."},
	{Type: typeOf[orders.LineInput](), Field: "quantity", Min: num(0), Max: num(validate.QuantityMax),
		Doc: "Pieces: at least 1, or 0 to remove an existing line in an amendment."},
	{Type: typeOf[orders.AmendInput](), Field: "lines", MaxItems: orders.MaxLines, Doc: "The lines that change or are added."},
	{Type: typeOf[orders.AmendInput](), Field: "address", Enum: []string{"visiting", "invoice"}},
	{Type: typeOf[orders.AmendInput](), Field: "shipping_method", Enum: orders.ShippingMethods},
	{Type: typeOf[orders.AmendInput](), Field: "shipping", Doc: "The shipping cost in euros as typed; empty for none."},
	{Type: typeOf[orders.AmendInput](), Field: "note", MaxLength: validate.NoteMax},
	{Type: typeOf[apiOrderCancel](), Field: "reason", Required: true, MinLength: 1, MaxLength: validate.NoteMax, Doc: "Why the order is cancelled."},
	{Type: typeOf[apiOrderConfirm](), Field: "revision", Min: num(0), Doc: "A customer's user: the revision confirmed (0 or absent: as it stands)."},
	{Type: typeOf[apiOrderConfirm](), Field: "note", MaxLength: validate.NoteMax, Doc: "An account manager: who confirmed and how, e.g. mail of J. Jansen."},
	{Type: typeOf[apiOrderConfirm](), Field: "received_on", Format: "date", Doc: "An account manager: the date of the mail or letter."},
	{Type: typeOf[payments.RegisterInput](), Field: "customer", Required: true, Min: num(1), Doc: "The id of the customer who paid."},
	{Type: typeOf[payments.RegisterInput](), Field: "amount", Required: true, MinLength: 1,
		Doc: fmt.Sprintf("The amount in euros as typed, e.g. 1250,50 or 1250.50: above 0 and at most %d.", money.MaxCents/100)},
	{Type: typeOf[payments.RegisterInput](), Field: "received_on", Required: true, Format: "date", Doc: "The day it was received."},
	{Type: typeOf[payments.RegisterInput](), Field: "reference", MaxLength: payments.ReferenceMax, Doc: "The payment's reference: an order or invoice number it names is paid first."},
	{Type: typeOf[payments.RegisterInput](), Field: "invoices", MaxItems: payments.MaxInvoices, ItemMaxLength: payments.InvoiceNumberMax, Doc: "Invoice numbers to pay first, in this order."},
	{Type: typeOf[returns.RequestInput](), Field: "company_id", Min: num(1), Doc: "Staff: the customer's id."},
	{Type: typeOf[returns.RequestInput](), Field: "shipment_id", Required: true, Min: num(1), Doc: "From GET /returns/shipped-lines."},
	{Type: typeOf[returns.RequestInput](), Field: "order_line_id", Required: true, Min: num(1), Doc: "From GET /returns/shipped-lines."},
	{Type: typeOf[returns.RequestInput](), Field: "quantity", Required: true, Min: num(1), Max: num(returns.MaxQuantity), Doc: "Units returned."},
	{Type: typeOf[returns.RequestInput](), Field: "serials", MaxLength: returns.SerialsMax, Doc: "Serial numbers, one per unit, separated by commas, spaces or lines."},
	{Type: typeOf[returns.RequestInput](), Field: "fault", Required: true, MinLength: 1, MaxLength: validate.NoteMax, Doc: "What the unit does, or does not do."},
	{Type: typeOf[returns.RequestInput](), Field: "remedy", Enum: []string{returns.RemedyReplacement, returns.RemedyCreditNote}, Doc: "What the customer would like (default replacement)."},
	{Type: typeOf[complaints.FileInput](), Field: "company_id", Min: num(1), Doc: "Staff: the customer's id."},
	{Type: typeOf[complaints.FileInput](), Field: "order", Doc: "The order number the complaint concerns, if it does."},
	{Type: typeOf[complaints.FileInput](), Field: "channel", Enum: []string{complaints.ChannelPortal, complaints.ChannelPhone, complaints.ChannelMail},
		Doc: "Staff: how it came in, phone or mail (a customer's user files by the portal)."},
	{Type: typeOf[complaints.FileInput](), Field: "contact_name", Required: true, MinLength: 1, MaxLength: validate.NameMax, Doc: "Whom we answer."},
	{Type: typeOf[complaints.FileInput](), Field: "contact_email", MaxLength: validate.EmailMax, Format: "email", Doc: "An e-mail address to answer to (or a phone number)."},
	{Type: typeOf[complaints.FileInput](), Field: "contact_phone", MaxLength: validate.ShortMax, Doc: "A phone number to answer to (or an e-mail address)."},
	{Type: typeOf[complaints.FileInput](), Field: "description", Required: true, MinLength: 1, MaxLength: complaints.DescriptionMax, Doc: "The complaint."},
}

// applyInputRules sets each rule on the property of every component whose
// Go type is the rule's type or embeds it. It fails on a rule that names
// no property, so a renamed field cannot leave a rule behind.
func applyInputRules(schemas openapi3.Schemas, types map[string]reflect.Type) error {
	for _, r := range inputRules {
		applied := false
		for name, ref := range schemas {
			t := types[name]
			if t == nil || !(t == r.Type || embeds(t, r.Type)) {
				continue
			}
			p := ref.Value.Properties[r.Field]
			if p == nil {
				return fmt.Errorf("openapi: %s has no field %s", name, r.Field)
			}
			r.apply(p.Value)
			if r.Required {
				ref.Value.Required = append(ref.Value.Required, r.Field)
			}
			applied = true
		}
		if !applied {
			return fmt.Errorf("openapi: no request body is a %s (rule for %s)", r.Type, r.Field)
		}
	}
	return nil
}

func embeds(t, inner reflect.Type) bool {
	for i := range t.NumField() {
		if f := t.Field(i); f.Anonymous && f.Type == inner {
			return true
		}
	}
	return false
}

func (r fieldRule) apply(s *openapi3.Schema) {
	if r.MinLength > 0 {
		s.MinLength = uint64(r.MinLength)
	}
	if r.MaxLength > 0 {
		s.WithMaxLength(r.MaxLength)
	}
	s.Min, s.Max = r.Min, r.Max
	for _, e := range r.Enum {
		s.Enum = append(s.Enum, e)
	}
	if r.Format != "" {
		s.Format = r.Format
	}
	if r.MaxItems > 0 {
		s.WithMaxItems(r.MaxItems)
	}
	if r.ItemMaxLength > 0 {
		s.Items.Value.WithMaxLength(r.ItemMaxLength)
	}
	if r.Doc != "" {
		s.Description = r.Doc
	}
}

func ptr[T any](v T) *T { return &v }

// The examples of the request bodies.
var (
	exampleOrderCreate = apiOrderCreate{Input: orders.Input{CompanyID: 1, POReference: "PO-4711",
		Lines: []orders.LineInput{{SKU: "KR-F3090", Quantity: 2}}, Address: "visiting", ShippingMethod: "UPS", Shipping: "12,50",
		Note: "Deliver at the back door."}, Place: true}
	exampleAmend = orders.AmendInput{Lines: []orders.LineInput{{ID: 101, Quantity: 5}, {SKU: "KR-F3090", Quantity: 1}},
		ShipComplete: ptr(true), Note: ptr("Ring twice.")}
	examplePayment = payments.RegisterInput{CompanyID: 1, Amount: "1250,50", ReceivedOn: "2026-11-24", Reference: "Invoice 2026-000123",
		Invoices: []string{"2026-000123"}}
	exampleReturn = returns.RequestInput{ShipmentID: 12, OrderLineID: 101, Quantity: 1, Serials: "SN-0001",
		Fault: "Does not switch on.", DOA: true, Remedy: returns.RemedyReplacement}
	exampleComplaint = complaints.FileInput{CompanyID: 1, Order: "1042", Channel: complaints.ChannelPhone, ContactName: "J. Jansen",
		ContactEmail: "j.jansen@example.nl", Description: "Two of the ten fridges arrived dented."}
)
