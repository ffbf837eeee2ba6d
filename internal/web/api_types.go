package web

import (
	"wholesale/internal/audit"
	"wholesale/internal/catalog"
	"wholesale/internal/orders"
	"wholesale/internal/payments"
	"wholesale/internal/returns"
	"wholesale/internal/shipping"
	"wholesale/internal/stock"
	"wholesale/internal/users"
)

// The API's answers that wrap a list: the handlers encode these types,
// and openapi.json describes them from the same types. A list is never
// null: an empty one is [].

type apiUserList struct {
	Users []users.User `json:"users"`
}

type apiAuditList struct {
	Entries []audit.Entry `json:"entries"`
}

// apiProduct is a product with its stock status in English and Dutch.
type apiProduct struct {
	catalog.Product
	Status   stock.StatusKind `json:"stock_status"`
	StatusEN string           `json:"stock_status_en"`
	StatusNL string           `json:"stock_status_nl"`
	Date     string           `json:"stock_date,omitempty"`
	Avail    int              `json:"available"`
}

type apiProductList struct {
	Products []apiProduct `json:"products"`
}

type apiOrderList struct {
	Orders []orders.Order `json:"orders"`
	// NextBefore is the before of the next page; absent on the last.
	NextBefore int64 `json:"next_before,omitempty"`
}

type apiBackOrderList struct {
	BackOrders []stock.BackOrder `json:"back_orders"`
}

type apiShipmentList struct {
	Shipments []shipping.Shipment `json:"shipments"`
}

type apiPaymentList struct {
	Payments   []payments.Payment `json:"payments"`
	More       bool               `json:"more"`
	NextBefore int64              `json:"next_before,omitempty"`
}

type apiInvoiceList struct {
	Invoices   []apiSummary `json:"invoices"`
	NextBefore int64        `json:"next_before,omitempty"`
}

type apiCreditNoteList struct {
	CreditNotes []apiSummary `json:"credit_notes"`
	NextBefore  int64        `json:"next_before,omitempty"`
}

type apiReturnList struct {
	Returns    []returns.Return `json:"returns"`
	More       bool             `json:"more"`
	NextBefore int64            `json:"next_before,omitempty"`
}

// apiShippedLine is a shipped line with how many of it may still be returned.
type apiShippedLine struct {
	returns.ShippedLine
	Left int `json:"left"`
}

type apiShippedLineList struct {
	ShippedLines []apiShippedLine `json:"shipped_lines"`
	More         bool             `json:"more"`
}

type apiComplaintList struct {
	Complaints []apiComplaint `json:"complaints"`
	More       bool           `json:"more"`
	NextBefore int64          `json:"next_before,omitempty"`
}

// apiOrderCancel is the body of an order's cancellation.
type apiOrderCancel struct {
	Reason string `json:"reason"`
}

// apiOrderConfirm is the body of an order's confirmation: a customer's
// user sends the revision it confirms (or nothing), an account manager the
// written confirmation's note and date.
type apiOrderConfirm struct {
	Revision   int    `json:"revision,omitempty"`
	Note       string `json:"note,omitempty"`
	ReceivedOn string `json:"received_on,omitempty"`
}
