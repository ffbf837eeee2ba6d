package web

import (
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"

	"wholesale/internal/complaints"
	"wholesale/internal/orders"
	"wholesale/internal/payments"
	"wholesale/internal/returns"
	"wholesale/internal/users"
)

// apiOp documents one API route for openapi.json: its words, its query,
// and the Go types it decodes (Body) and answers (Answer), whose schemas
// are generated from those types. A test keeps the table in step with the
// registered routes, and the contract tests check every answer of the test
// suite against what it says.
type apiOp struct {
	ID      string // the operationId, the method's name in a generated client
	Tag     string
	Summary string
	Doc     string
	Query   []apiParam
	// Body is a value of the type the handler decodes; nil: none.
	Body         any
	BodyOptional bool
	BodyDoc      string
	// Example is an example body; inputRules' test proves it valid.
	Example any
	// Answer is a value of the type the handler encodes; Media names the
	// media type of an answer that is a file instead.
	Answer    any
	Media     string
	AnswerDoc string
	// Created answers 201 with a Location.
	Created bool
}

// apiTag groups operations in the document and the reference.
type apiTag struct{ Name, Description string }

var apiTags = []apiTag{
	{"API", "The document itself and the token's user."},
	{"Admin", "Users and the audit trail (admins)."},
	{"Catalog", "Products and back orders."},
	{"Orders", "Create, place, amend, confirm and cancel orders; their shipments."},
	{"Invoices", "Invoices and credit notes, with PDF, Excel and UBL copies."},
	{"Payments", "Payments received and what they pay."},
	{"Returns", "Return forms (RMA) for shipped goods."},
	{"Complaints", "Complaints and their deadlines."},
}

// apiOps describes each API route, by "METHOD path".
var apiOps = map[string]apiOp{
	"GET /api/v1/openapi.json": {ID: "getOpenAPI", Tag: "API", Summary: "This description of the API.",
		Doc: "Public: no token is needed. Generate a client from it, e.g. with oapi-codegen.", Answer: map[string]any{}, AnswerDoc: "The OpenAPI 3.0 document."},
	"GET /api/v1/me":    {ID: "getMe", Tag: "API", Summary: "The user the token belongs to.", Answer: users.User{}, AnswerDoc: "The user."},
	"GET /api/v1/users": {ID: "listUsers", Tag: "Admin", Summary: "Every user.", Answer: apiUserList{}, AnswerDoc: "The users."},
	"GET /api/v1/audit": {ID: "listAudit", Tag: "Admin", Summary: "Audit entries, newest first.",
		Query: []apiParam{qText("entity", "The kind of record, e.g. order.", 100), qText("entity_id", "The record's id.", 100),
			qID("user", "Only what this user did."), qID("before", "Only entries older than this id: the next page."), qLimit(200)},
		Answer: apiAuditList{}, AnswerDoc: "The entries."},
	"GET /api/v1/products": {ID: "listProducts", Tag: "Catalog", Summary: "Products with their stock status in English and Dutch.",
		Query: []apiParam{qText("q", "Words of the SKU, name or brand.", 200)}, Answer: apiProductList{}, AnswerDoc: "The products."},
	"GET /api/v1/backorders": {ID: "listBackOrders", Tag: "Catalog", Summary: "Waiting back-order lines in serving order.",
		Doc: "An account manager sees its own customers' only.", Answer: apiBackOrderList{}, AnswerDoc: "The back-order lines."},

	"GET /api/v1/orders": {ID: "listOrders", Tag: "Orders", Summary: "Orders, newest first, one page.",
		Doc: "A customer's user sees its own company's orders. next_before gives the next page.",
		Query: []apiParam{qEnum("status", "Only orders in this status.", orders.Statuses...), qID("customer", "Only this customer's orders."),
			qText("po", "Only orders whose PO reference contains this.", 35), qDate("from", "Only orders entered on or after this day."),
			qDate("to", "Only orders entered on or before this day."), qID("before", "Only orders older than this id: the next page.")},
		Answer: apiOrderList{}, AnswerDoc: "One page of orders."},
	"POST /api/v1/orders": {ID: "createOrder", Tag: "Orders", Summary: "Create a draft order, or place it at once.",
		Doc: "\"place\": true places it too: stock is reserved, back orders made and credit checked. " +
			"Bodies are JSON (Content-Type: application/json) of these fields only.",
		Body: apiOrderCreate{}, Example: exampleOrderCreate, BodyDoc: "The order.",
		Answer: orders.Order{}, AnswerDoc: "The order made.", Created: true},
	"GET /api/v1/orders/:id": {ID: "getOrder", Tag: "Orders", Summary: "One order with its lines, reservations and expected dates.",
		Answer: orders.Order{}, AnswerDoc: "The order."},
	"POST /api/v1/orders/:id/place": {ID: "placeOrder", Tag: "Orders", Summary: "Place a draft: reserve stock, create back orders, check credit.",
		Answer: orders.Order{}, AnswerDoc: "The order placed."},
	"POST /api/v1/orders/:id/amend": {ID: "amendOrder", Tag: "Orders", Summary: "Amend an order: only what is sent changes.",
		Doc: "Fields not sent stay as they are. lines: [{id, quantity}] changes a line (quantity 0 removes it; an amendment that would leave " +
			"no line is refused: cancel the order instead) and [{sku, quantity}] adds one.",
		Body: orders.AmendInput{}, Example: exampleAmend, BodyDoc: "What changes.", Answer: orders.Order{}, AnswerDoc: "The order amended."},
	"POST /api/v1/orders/:id/cancel": {ID: "cancelOrder", Tag: "Orders", Summary: "Cancel an order while nothing of it is invoiced.",
		Body: apiOrderCancel{}, Example: apiOrderCancel{Reason: "The customer ordered twice."}, BodyDoc: "Why.",
		Answer: orders.Order{}, AnswerDoc: "The order cancelled."},
	"POST /api/v1/orders/:id/confirm": {ID: "confirmOrder", Tag: "Orders", Summary: "Confirm an order.",
		Doc: "A customer's user confirms it in the portal: revision, when sent, is the revision confirmed, refused when the order has " +
			"changed since; the body may be left out. An account manager records a written confirmation: note and received_on.",
		Body: apiOrderConfirm{}, BodyOptional: true, Example: apiOrderConfirm{Revision: 1}, BodyDoc: "The confirmation.",
		Answer: orders.Order{}, AnswerDoc: "The order confirmed."},
	"GET /api/v1/orders/:id/shipments": {ID: "listShipments", Tag: "Orders", Summary: "The order's shipments, oldest first.",
		Doc: "Carrier, tracking number and link, shipped_on, delivered_on and the lines shipped.", Answer: apiShipmentList{}, AnswerDoc: "The shipments."},

	"GET /api/v1/invoices": {ID: "listInvoices", Tag: "Invoices", Summary: "Invoices and credit notes, newest first, one page.",
		Doc:    "Each has its ref (its number; a draft's \"draft-<id>\") and its standing. Staff see drafts too; a customer its own issued ones.",
		Query:  append(apiInvoiceQuery(), qEnum("kind", "Invoices or credit notes only.", "invoice", "credit_note")),
		Answer: apiInvoiceList{}, AnswerDoc: "One page of documents."},
	"GET /api/v1/invoices/:number": {ID: "getInvoice", Tag: "Invoices", Summary: "One invoice or credit note with its parties, lines, totals per VAT rate and what is paid.",
		Answer: apiInvoice{}, AnswerDoc: "The document."},
	"GET /api/v1/invoices/:number/pdf":  download("getInvoicePDF", "PDF", "application/pdf"),
	"GET /api/v1/invoices/:number/xlsx": download("getInvoiceXLSX", "Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
	"GET /api/v1/invoices/:number/ubl":  download("getInvoiceUBL", "UBL 2.1 e-invoice (SI-UBL 2.0 or Peppol BIS Billing 3.0, the PDF inside)", "application/xml"),
	"GET /api/v1/credit-notes": {ID: "listCreditNotes", Tag: "Invoices", Summary: "Credit notes only, newest first, one page.",
		Query: apiInvoiceQuery(), Answer: apiCreditNoteList{}, AnswerDoc: "One page of credit notes."},
	"GET /api/v1/credit-notes/:number": {ID: "getCreditNote", Tag: "Invoices", Summary: "One credit note, with the invoice it corrects, its reason and lines.",
		Answer: apiInvoice{}, AnswerDoc: "The credit note."},
	"GET /api/v1/credit-notes/:number/pdf":  download("getCreditNotePDF", "PDF", "application/pdf"),
	"GET /api/v1/credit-notes/:number/xlsx": download("getCreditNoteXLSX", "Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
	"GET /api/v1/credit-notes/:number/ubl":  download("getCreditNoteUBL", "UBL 2.1 CreditNote", "application/xml"),

	"GET /api/v1/payments": {ID: "listPayments", Tag: "Payments", Summary: "Payments, newest first, one page.",
		Doc: "A customer's user sees its own company's.",
		Query: []apiParam{qID("customer", "Only this customer's payments."), qBool("unallocated", "Only payments with money not yet allocated."),
			qID("before", "Only payments older than this id: the next page."), qLimit(200)},
		Answer: apiPaymentList{}, AnswerDoc: "One page of payments."},
	"GET /api/v1/payments/:id": {ID: "getPayment", Tag: "Payments", Summary: "One payment with its allocations.",
		Doc: "To which invoice or prepayment order, how much, why, and whether undone.", Answer: payments.Payment{}, AnswerDoc: "The payment."},
	"POST /api/v1/payments": {ID: "registerPayment", Tag: "Payments", Summary: "Register a payment received.",
		Doc:  "It is allocated to the order or invoice its reference names, then the chosen invoices, then the oldest.",
		Body: payments.RegisterInput{}, Example: examplePayment, BodyDoc: "The payment.", Answer: payments.Payment{}, AnswerDoc: "The payment and its allocations.", Created: true},

	"GET /api/v1/returns": {ID: "listReturns", Tag: "Returns", Summary: "Returns, newest first, one page.",
		Doc: "A customer's user sees its own company's, an account manager its customers', the warehouse those with an RA number.",
		Query: []apiParam{qEnum("state", "Only returns in this state; open: requested, approved, received or tested.", append(returnStates(), "open")...),
			qID("customer", "Only this customer's returns."), qID("order", "Only this order's returns."),
			qID("before", "Only returns older than this id: the next page."), qLimit(200)},
		Answer: apiReturnList{}, AnswerDoc: "One page of returns."},
	"GET /api/v1/returns/shipped-lines": {ID: "listShippedLines", Tag: "Returns", Summary: "The shipped lines a return may be filed for, the latest first.",
		Doc:    "At most 200: shipment_id and order_line_id for POST /returns, how many are left to return, and the end of the 45-day window of a dead-on-arrival unit.",
		Query:  []apiParam{qID("customer", "The customer (staff must send it; a customer's user gets its own)."), qID("order", "One order's lines.")},
		Answer: apiShippedLineList{}, AnswerDoc: "The shipped lines."},
	"GET /api/v1/returns/:id": {ID: "getReturn", Tag: "Returns", Summary: "One return with its state, RA number, units' tests and settlement.",
		Answer: returns.Return{}, AnswerDoc: "The return."},
	"POST /api/v1/returns": {ID: "createReturn", Tag: "Returns", Summary: "File a return form.",
		Doc: "Staff add company_id. A dead-on-arrival unit inside its window waits for the account manager's approval (state requested); " +
			"anything else is referred at once to the brand's authorised service centre (state referred).",
		Body: returns.RequestInput{}, Example: exampleReturn, BodyDoc: "The return form.", Answer: returns.Return{}, AnswerDoc: "The return filed.", Created: true},

	"GET /api/v1/complaints": {ID: "listComplaints", Tag: "Complaints", Summary: "Complaints, open ones first by what we owe next, then the newest.",
		Doc: "A customer's user sees its own company's, an account manager its customers'.",
		Query: []apiParam{qEnum("state", "Only complaints in this state.", complaintStates()...), qBool("open", "Only open complaints."),
			qBool("overdue", "Only complaints past a deadline of ours."), qID("customer", "Only this customer's complaints."),
			qID("before", "Only complaints older than this id: the next page."), qLimit(apiComplaintsMax)},
		Answer: apiComplaintList{}, AnswerDoc: "One page of complaints."},
	"GET /api/v1/complaints/:id": {ID: "getComplaint", Tag: "Complaints", Summary: "One complaint with its deadlines, letters, outcome and documents.",
		Doc: "Staff also get the internal notes, a customer never.", Answer: apiComplaint{}, AnswerDoc: "The complaint."},
	"POST /api/v1/complaints": {ID: "fileComplaint", Tag: "Complaints", Summary: "File a complaint.",
		Doc:  "Staff add company_id and channel (phone or mail). It is acknowledged within 3 working days and resolved within 2 weeks.",
		Body: complaints.FileInput{}, Example: exampleComplaint, BodyDoc: "The complaint.", Answer: apiComplaint{}, AnswerDoc: "The complaint filed.", Created: true},
}

// download documents a copy of a document as a file.
func download(id, what, media string) apiOp {
	return apiOp{ID: id, Tag: "Invoices", Summary: "A copy as " + what + ".",
		Doc: "Of an issued document, marked COPY (KOPIE) where it is printed: every download is the same copy.", Media: media, AnswerDoc: "The file."}
}

func apiInvoiceQuery() []apiParam {
	return []apiParam{qID("customer", "Only this customer's documents."), qDate("from", "Only documents dated on or after this day (a draft's: its business day)."),
		qDate("to", "Only documents dated on or before this day."),
		qEnum("state", "Only documents in this state or standing.", "draft", "issued", "unpaid", "partly_paid", "paid", "overdue", "open"),
		qID("before", "Only documents older than this id: the next page."), qLimit(200)}
}

func returnStates() []string {
	out := make([]string, len(returns.States))
	for i, s := range returns.States {
		out[i] = string(s)
	}
	return out
}

func complaintStates() []complaints.State {
	return []complaints.State{complaints.StateReceived, complaints.StateAcknowledged, complaints.StateResolved, complaints.StateEscalated, complaints.StateClosed}
}

// apiParam is a query parameter.
type apiParam struct {
	Name, Doc string
	Schema    *openapi3.Schema
}

func qID(name, doc string) apiParam {
	return apiParam{name, doc, openapi3.NewInt64Schema().WithMin(1)}
}

func qLimit(max int) apiParam {
	return apiParam{"limit", fmt.Sprintf("How many to answer (default 50; more than %d are answered as %d).", max, max), openapi3.NewIntegerSchema().WithMin(1).WithDefault(50)}
}

func qText(name, doc string, max int64) apiParam {
	return apiParam{name, doc, openapi3.NewStringSchema().WithMaxLength(max)}
}

func qDate(name, doc string) apiParam {
	return apiParam{name, doc + " YYYY-MM-DD.", openapi3.NewStringSchema().WithFormat("date")}
}

func qBool(name, doc string) apiParam {
	return apiParam{name, doc, openapi3.NewBoolSchema()}
}

func qEnum[T ~string](name, doc string, values ...T) apiParam {
	s := openapi3.NewStringSchema()
	for _, v := range values {
		s.Enum = append(s.Enum, string(v))
	}
	return apiParam{name, doc, s}
}
