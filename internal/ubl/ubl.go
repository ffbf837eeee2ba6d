// Package ubl writes invoices and credit notes as UBL 2.1 e-invoices that
// follow EN 16931, in one of two profiles: SI-UBL 2.0 (NLCIUS), the Dutch
// one, or Peppol BIS Billing 3.0. It renders an invoicing.Document and
// computes no figure of its own: every amount is the document's, only
// written the way UBL wants it (a credit note's amounts positive).
package ubl

import (
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/invoicing"
)

// Specification identifiers (BT-24) and the business process (BT-23).
const (
	CustomizationNLCIUS = "urn:cen.eu:en16931:2017#compliant#urn:fdc:nen.nl:nlcius:v1.0"
	CustomizationPeppol = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
	ProfileBilling      = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
)

// Codes this package writes.
const (
	currency         = "EUR"
	typeInvoice      = "380" // commercial invoice
	typeCreditNote   = "381" // credit note
	meansSEPA        = "58"  // SEPA credit transfer
	unitPiece        = "H87" // UN/ECE rec. 20: piece
	schemeKvK        = "0106"
	schemeEmail      = "EM"
	vatScheme        = "VAT"
	reasonCodeIC     = "VATEX-EU-IC"
	reasonCodeExport = "VATEX-EU-G"
)

// VAT categories (UNCL 5305) of EN 16931 that the wholesaler's invoices use.
const (
	CategoryStandard = "S"
	CategoryZero     = "Z"
	// CategoryIntraCommunity is the supply of goods to a business with a
	// VAT id in another member state (art. 138 Directive 2006/112/EC): 0 %,
	// the buyer accounts for the VAT of its acquisition. EN 16931 keeps AE
	// (reverse charge) for the buyer's reverse charge on services and
	// domestic cases; the wholesaler ships goods, and the receivers' books
	// put K in their intra-Community acquisitions (and ours in the ICP
	// declaration), where AE would land in the wrong box.
	CategoryIntraCommunity = "K"
	CategoryExport         = "G"
)

// Category is the VAT category of a line at rate percent under the
// document's VAT treatment: S or Z in the Netherlands, K for goods to a
// business elsewhere in the EU (the treatment the invoices call "VAT
// reverse charged"), G for export.
func Category(vatMode string, rate int) string {
	switch vatMode {
	case invoicing.VATReverseCharge:
		return CategoryIntraCommunity
	case invoicing.VATExport:
		return CategoryExport
	}
	if rate == 0 {
		return CategoryZero
	}
	return CategoryStandard
}

// vatSchemes are the EAS codes of VAT numbers as electronic addresses.
var vatSchemes = map[string]string{
	"AD": "9922", "AL": "9923", "AT": "9914", "BA": "9924", "BE": "9925", "BG": "9926", "CH": "9927", "CY": "9928",
	"CZ": "9929", "DE": "9930", "EE": "9931", "ES": "9920", "FR": "9957", "GB": "9932", "GR": "9933", "EL": "9933",
	"HR": "9934", "HU": "9910", "IE": "9935", "LI": "9936", "LT": "9937", "LU": "9938", "LV": "9939", "MC": "9940",
	"ME": "9941", "MK": "9942", "MT": "9943", "NL": "9944", "PL": "9945", "PT": "9946", "RO": "9947", "RS": "9948",
	"SI": "9949", "SK": "9950", "SM": "9951", "TR": "9952", "VA": "9953",
}

// Endpoint is a party's electronic address (BT-34, BT-49) as scheme and
// id: its Peppol id when known; else a Dutch party's KvK number (0106), a
// VAT number where the EAS list has a scheme for the country, or its
// e-mail address (EM).
func Endpoint(p invoicing.Party) (scheme, id string) {
	if s, i, ok := customers.SplitPeppolID(p.PeppolID); ok {
		return s, i
	}
	if p.Country == "NL" && p.KvK != "" {
		return schemeKvK, p.KvK
	}
	if p.VATID != "" && len(p.VATID) > 2 {
		if s, ok := vatSchemes[p.VATID[:2]]; ok {
			return s, p.VATID
		}
	}
	if p.Email != "" {
		return schemeEmail, p.Email
	}
	return "", ""
}

// Write writes d as UBL 2.1 in its profile (d.Profile), with pdf, the
// document's PDF, embedded. It refuses a document without a number.
func Write(w io.Writer, d *invoicing.Document, pdf []byte) error {
	if d.Number == "" {
		return fmt.Errorf("ubl: the document has no number")
	}
	doc := build(d, pdf)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", " ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("ubl: %s: %w", d.Number, err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func build(d *invoicing.Document, pdf []byte) *document {
	nl := d.Profile() == customers.ProfileNLCIUS
	credit := d.Kind == invoicing.KindCreditNote
	sign := int64(1)
	if credit {
		sign = -1 // a credit note's figures are negative in the books, positive in UBL
	}
	l := i18n.For(d.Language)
	doc := &document{CAC: nsCAC, CBC: nsCBC, ProfileID: ProfileBilling, ID: d.Number, IssueDate: date(d.IssueDate),
		DocumentCurrencyCode: currency}
	doc.CustomizationID = CustomizationPeppol
	if nl {
		doc.CustomizationID = CustomizationNLCIUS
	}
	if credit {
		doc.XMLName.Local, doc.NS, doc.CreditNoteTypeCode = "CreditNote", nsCreditNote, typeCreditNote
		doc.Note = d.Reason
		ref := documentReference{ID: d.Credits}
		if !nl && !d.CreditsDate.IsZero() { // SI-UBL advises against the date (BR-NL-24)
			ref.IssueDate = date(d.CreditsDate)
		}
		doc.BillingReference = &billingReference{Invoice: ref}
	} else {
		doc.XMLName.Local, doc.NS, doc.InvoiceTypeCode = "Invoice", nsInvoice, typeInvoice
		doc.DueDate = date(d.DueDate)
	}
	doc.BuyerReference = d.Buyer.BuyerReference
	if len(d.Orders) == 1 && d.Orders[0].POReference != "" {
		doc.OrderReference = &idOnly{ID: d.Orders[0].POReference}
	} else if doc.BuyerReference == "" {
		refs := make([]string, 0, len(d.Orders))
		for _, o := range d.Orders {
			refs = append(refs, o.POReference)
		}
		doc.BuyerReference = strings.Join(refs, ", ")
		if strings.TrimSpace(strings.ReplaceAll(doc.BuyerReference, ",", "")) == "" {
			doc.BuyerReference = fmt.Sprint(d.Buyer.CustomerNumber)
		}
	}
	if len(pdf) > 0 {
		doc.AdditionalDocument = []additionalReference{{ID: d.Number, Description: l.Text(d.Title()) + " " + d.Number,
			Attachment: attachment{Embedded: binaryObject{MimeCode: "application/pdf", Filename: d.Filename("pdf"),
				Value: base64.StdEncoding.EncodeToString(pdf)}}}}
	}
	doc.Supplier.Party = partyOf(d.Seller, true)
	doc.Customer.Party = partyOf(d.Buyer, false)
	if !d.SupplyDate.IsZero() {
		doc.Delivery = &delivery{Date: date(d.SupplyDate)}
		if d.VATMode == invoicing.VATReverseCharge { // where the goods went (BR-IC-12)
			doc.Delivery.Location = &deliveryLocation{Address: address{Country: idCode{Code: d.Buyer.Country}}}
		}
	}
	payable := d.TotalInclCents - d.PrepaidCents
	if !credit {
		acct := account{ID: strings.ReplaceAll(d.Seller.IBAN, " ", "")}
		if !nl && d.Seller.BIC != "" { // SI-UBL advises against a BIC with SEPA (BR-NL-31)
			acct.Branch = &idOnly{ID: d.Seller.BIC}
		}
		doc.PaymentMeans = &paymentMeans{Code: meansSEPA, ID: d.PaymentReference, Account: acct}
		if payable > 0 {
			doc.PaymentTerms = &note{Note: l.Text(i18n.M("Please pay %s by %s to %s, stating %s.", i18n.Amount(payable),
				i18n.D(d.DueDate), d.Seller.IBAN, d.PaymentReference))}
		}
	}
	doc.TaxTotal = taxTotal{Amount: money(sign * d.VATCents)}
	for _, r := range d.Rates {
		cat := taxCategory{ID: Category(d.VATMode, r.Rate), Percent: fmt.Sprint(r.Rate), TaxScheme: idOnly{ID: vatScheme}}
		switch cat.ID {
		case CategoryIntraCommunity, CategoryExport:
			cat.ExemptionText = l.Text(d.VATNote())
			if !nl { // SI-UBL advises against the code (BR-NL-35)
				cat.ExemptionCode = map[string]string{CategoryIntraCommunity: reasonCodeIC, CategoryExport: reasonCodeExport}[cat.ID]
			}
		}
		doc.TaxTotal.Subtotals = append(doc.TaxTotal.Subtotals, taxSubtotal{Taxable: money(sign * r.BaseCents),
			Amount: money(sign * r.VATCents), Category: cat})
	}
	doc.Totals = monetaryTotal{LineExtension: money(sign * d.TotalExclCents), TaxExclusive: money(sign * d.TotalExclCents),
		TaxInclusive: money(sign * d.TotalInclCents), Payable: money(sign * payable)}
	if d.PrepaidCents != 0 {
		p := money(sign * d.PrepaidCents)
		doc.Totals.Prepaid = &p
	}
	several := len(d.Orders) > 1
	for _, dl := range d.Lines {
		ln := line{ID: fmt.Sprint(dl.No), Amount: money(sign * dl.AmountCents), Price: price{Amount: money(dl.UnitPriceCents)},
			Item: item{Name: dl.Description, TaxCategory: itemCategory{ID: Category(d.VATMode, dl.VATRate), Percent: fmt.Sprint(dl.VATRate),
				TaxScheme: idOnly{ID: vatScheme}}}}
		if dl.SKU != "" {
			ln.Item.SellersID = &idOnly{ID: dl.SKU}
		}
		if several {
			ln.Note = l.Text(i18n.M("Your order %s", dl.POReference))
		}
		q := &quantity{Unit: unitPiece, Value: fmt.Sprint(sign * int64(dl.Quantity))}
		if credit {
			ln.CreditedQuantity = q
			doc.CreditNoteLines = append(doc.CreditNoteLines, ln)
		} else {
			ln.InvoicedQuantity = q
			doc.InvoiceLines = append(doc.InvoiceLines, ln)
		}
	}
	return doc
}

// partyOf is the seller or the buyer as UBL names it: KvK numbers with
// their scheme (0106) for Dutch parties, the VAT id in the tax scheme.
func partyOf(p invoicing.Party, seller bool) party {
	out := party{Name: &partyName{Name: p.Name},
		Address: address{Street: p.Street, City: p.City, Postcode: p.Postcode, Country: idCode{Code: p.Country}},
		Legal:   legalEntity{Name: p.Name}}
	if s, id := Endpoint(p); id != "" {
		out.Endpoint = &schemeID{Scheme: s, Value: id}
	}
	if p.VATID != "" {
		out.TaxScheme = &partyTax{CompanyID: p.VATID, TaxScheme: idOnly{ID: vatScheme}}
	}
	if p.KvK != "" {
		out.Legal.CompanyID = &schemeID{Value: p.KvK}
		if p.Country == "NL" {
			out.Legal.CompanyID.Scheme = schemeKvK
		}
	}
	if seller && (p.Phone != "" || p.Email != "") {
		out.Contact = &contact{Telephone: p.Phone, Email: p.Email}
	} else if !seller && p.Email != "" {
		out.Contact = &contact{Email: p.Email}
	}
	return out
}

func date(t time.Time) string { return t.Format(time.DateOnly) }

// money is cents as UBL writes an amount: 1234.50, -0.05.
func money(cents int64) amount {
	s := ""
	if cents < 0 {
		s, cents = "-", -cents
	}
	return amount{Currency: currency, Value: fmt.Sprintf("%s%d.%02d", s, cents/100, cents%100)}
}
