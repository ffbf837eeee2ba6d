package ubl

import "encoding/xml"

// The UBL 2.1 elements this package writes, in the order the schema wants
// them. Names carry their namespace prefix; the root declares the prefixes.

const (
	nsInvoice    = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
	nsCreditNote = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
	nsCAC        = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
	nsCBC        = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
)

// document is an Invoice or a CreditNote: the elements they share, and
// those of one kind left empty for the other.
type document struct {
	XMLName         xml.Name
	NS              string `xml:"xmlns,attr"`
	CAC             string `xml:"xmlns:cac,attr"`
	CBC             string `xml:"xmlns:cbc,attr"`
	CustomizationID string `xml:"cbc:CustomizationID"`
	ProfileID       string `xml:"cbc:ProfileID"`
	ID              string `xml:"cbc:ID"`
	IssueDate       string `xml:"cbc:IssueDate"`
	DueDate         string `xml:"cbc:DueDate,omitempty"`         // Invoice
	InvoiceTypeCode string `xml:"cbc:InvoiceTypeCode,omitempty"` // Invoice
	// CreditNoteTypeCode comes where a credit note has it.
	CreditNoteTypeCode   string                `xml:"cbc:CreditNoteTypeCode,omitempty"`
	Note                 string                `xml:"cbc:Note,omitempty"`
	DocumentCurrencyCode string                `xml:"cbc:DocumentCurrencyCode"`
	BuyerReference       string                `xml:"cbc:BuyerReference,omitempty"`
	OrderReference       *idOnly               `xml:"cac:OrderReference"`
	BillingReference     *billingReference     `xml:"cac:BillingReference"`
	AdditionalDocument   []additionalReference `xml:"cac:AdditionalDocumentReference"`
	Supplier             partyWrap             `xml:"cac:AccountingSupplierParty"`
	Customer             partyWrap             `xml:"cac:AccountingCustomerParty"`
	Delivery             *delivery             `xml:"cac:Delivery"`
	PaymentMeans         *paymentMeans         `xml:"cac:PaymentMeans"`
	PaymentTerms         *note                 `xml:"cac:PaymentTerms"`
	TaxTotal             taxTotal              `xml:"cac:TaxTotal"`
	Totals               monetaryTotal         `xml:"cac:LegalMonetaryTotal"`
	InvoiceLines         []line                `xml:"cac:InvoiceLine"`
	CreditNoteLines      []line                `xml:"cac:CreditNoteLine"`
}

type idOnly struct {
	ID string `xml:"cbc:ID"`
}

type schemeID struct {
	Scheme string `xml:"schemeID,attr,omitempty"`
	Value  string `xml:",chardata"`
}

type amount struct {
	Currency string `xml:"currencyID,attr"`
	Value    string `xml:",chardata"`
}

type quantity struct {
	Unit  string `xml:"unitCode,attr"`
	Value string `xml:",chardata"`
}

type note struct {
	Note string `xml:"cbc:Note"`
}

type billingReference struct {
	Invoice documentReference `xml:"cac:InvoiceDocumentReference"`
}

type documentReference struct {
	ID        string `xml:"cbc:ID"`
	IssueDate string `xml:"cbc:IssueDate,omitempty"`
}

type additionalReference struct {
	ID          string     `xml:"cbc:ID"`
	Description string     `xml:"cbc:DocumentDescription,omitempty"`
	Attachment  attachment `xml:"cac:Attachment"`
}

type attachment struct {
	Embedded binaryObject `xml:"cbc:EmbeddedDocumentBinaryObject"`
}

type binaryObject struct {
	MimeCode string `xml:"mimeCode,attr"`
	Filename string `xml:"filename,attr"`
	Value    string `xml:",chardata"`
}

type partyWrap struct {
	Party party `xml:"cac:Party"`
}

type party struct {
	Endpoint  *schemeID   `xml:"cbc:EndpointID"`
	Name      *partyName  `xml:"cac:PartyName"`
	Address   address     `xml:"cac:PostalAddress"`
	TaxScheme *partyTax   `xml:"cac:PartyTaxScheme"`
	Legal     legalEntity `xml:"cac:PartyLegalEntity"`
	Contact   *contact    `xml:"cac:Contact"`
}

type partyName struct {
	Name string `xml:"cbc:Name"`
}

type address struct {
	Street   string `xml:"cbc:StreetName,omitempty"`
	City     string `xml:"cbc:CityName,omitempty"`
	Postcode string `xml:"cbc:PostalZone,omitempty"`
	Country  idCode `xml:"cac:Country"`
}

type idCode struct {
	Code string `xml:"cbc:IdentificationCode"`
}

type partyTax struct {
	CompanyID string `xml:"cbc:CompanyID"`
	TaxScheme idOnly `xml:"cac:TaxScheme"`
}

type legalEntity struct {
	Name      string    `xml:"cbc:RegistrationName"`
	CompanyID *schemeID `xml:"cbc:CompanyID"`
}

type contact struct {
	Telephone string `xml:"cbc:Telephone,omitempty"`
	Email     string `xml:"cbc:ElectronicMail,omitempty"`
}

type delivery struct {
	Date     string            `xml:"cbc:ActualDeliveryDate"`
	Location *deliveryLocation `xml:"cac:DeliveryLocation"`
}

type deliveryLocation struct {
	Address address `xml:"cac:Address"`
}

type paymentMeans struct {
	Code    string  `xml:"cbc:PaymentMeansCode"`
	ID      string  `xml:"cbc:PaymentID,omitempty"`
	Account account `xml:"cac:PayeeFinancialAccount"`
}

type account struct {
	ID     string  `xml:"cbc:ID"`
	Branch *idOnly `xml:"cac:FinancialInstitutionBranch"`
}

type taxTotal struct {
	Amount    amount        `xml:"cbc:TaxAmount"`
	Subtotals []taxSubtotal `xml:"cac:TaxSubtotal"`
}

type taxSubtotal struct {
	Taxable  amount      `xml:"cbc:TaxableAmount"`
	Amount   amount      `xml:"cbc:TaxAmount"`
	Category taxCategory `xml:"cac:TaxCategory"`
}

type taxCategory struct {
	ID            string `xml:"cbc:ID"`
	Percent       string `xml:"cbc:Percent"`
	ExemptionCode string `xml:"cbc:TaxExemptionReasonCode,omitempty"`
	ExemptionText string `xml:"cbc:TaxExemptionReason,omitempty"`
	TaxScheme     idOnly `xml:"cac:TaxScheme"`
}

type monetaryTotal struct {
	LineExtension amount  `xml:"cbc:LineExtensionAmount"`
	TaxExclusive  amount  `xml:"cbc:TaxExclusiveAmount"`
	TaxInclusive  amount  `xml:"cbc:TaxInclusiveAmount"`
	Prepaid       *amount `xml:"cbc:PrepaidAmount"`
	Payable       amount  `xml:"cbc:PayableAmount"`
}

type line struct {
	ID               string    `xml:"cbc:ID"`
	Note             string    `xml:"cbc:Note,omitempty"`
	InvoicedQuantity *quantity `xml:"cbc:InvoicedQuantity"`
	CreditedQuantity *quantity `xml:"cbc:CreditedQuantity"`
	Amount           amount    `xml:"cbc:LineExtensionAmount"`
	Item             item      `xml:"cac:Item"`
	Price            price     `xml:"cac:Price"`
}

type item struct {
	Name        string       `xml:"cbc:Name"`
	SellersID   *idOnly      `xml:"cac:SellersItemIdentification"`
	TaxCategory itemCategory `xml:"cac:ClassifiedTaxCategory"`
}

type itemCategory struct {
	ID        string `xml:"cbc:ID"`
	Percent   string `xml:"cbc:Percent"`
	TaxScheme idOnly `xml:"cac:TaxScheme"`
}

type price struct {
	Amount amount `xml:"cbc:PriceAmount"`
}
