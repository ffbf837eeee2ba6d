package audit

import (
	"strings"

	"wholesale/internal/i18n"
)

// fieldLabels name the fields the trail records, by their name as key
// (see key): the orders' and companies' snake_case names and the Go names
// of the documents stored without JSON tags (CompanyName) alike.
var fieldLabels = map[string]i18n.Message{
	"accountholder":             i18n.M("account holder"),
	"accountmanagerid":          i18n.M("account manager id"),
	"active":                    i18n.M("active"),
	"address":                   i18n.M("address"),
	"applicationid":             i18n.M("application id"),
	"brand":                     i18n.M("brand"),
	"cancelled":                 i18n.M("cancelled"),
	"checkedat":                 i18n.M("checked at"),
	"checkedby":                 i18n.M("checked by"),
	"city":                      i18n.M("city"),
	"companyid":                 i18n.M("company id"),
	"companyname":               i18n.M("company name"),
	"confirmation":              i18n.M("confirmation"),
	"confirmedat":               i18n.M("confirmed at"),
	"confirmedby":               i18n.M("confirmed by"),
	"contactemail":              i18n.M("contact email"),
	"contactname":               i18n.M("contact name"),
	"contactphone":              i18n.M("contact phone"),
	"country":                   i18n.M("country"),
	"createdat":                 i18n.M("created at"),
	"credithold":                i18n.M("credit hold"),
	"creditlimit":               i18n.M("credit limit"),
	"creditreason":              i18n.M("credit reason"),
	"dateconfirmed":             i18n.M("date confirmed"),
	"decidedat":                 i18n.M("decided at"),
	"decidedby":                 i18n.M("decided by"),
	"decisionnote":              i18n.M("decision note"),
	"delivery":                  i18n.M("delivery"),
	"description":               i18n.M("description"),
	"discountbp":                i18n.M("discount bp"),
	"doareturnable":             i18n.M("doa returnable"),
	"documentid":                i18n.M("document id"),
	"ean":                       i18n.M("ean"),
	"email":                     i18n.M("email"),
	"enteredby":                 i18n.M("entered by"),
	"expectedconfirmed":         i18n.M("expected confirmed"),
	"expecteddate":              i18n.M("expected date"),
	"expectedfromsupplierstock": i18n.M("expected from supplier stock"),
	"filename":                  i18n.M("filename"),
	"iban":                      i18n.M("iban"),
	"id":                        i18n.M("id"),
	"invoice":                   i18n.M("invoice address"),
	"invoiceaddress":            i18n.M("invoice address"),
	"invoicecity":               i18n.M("invoice city"),
	"invoicecountry":            i18n.M("invoice country"),
	"invoiceemail":              i18n.M("invoice email"),
	"invoicepostcode":           i18n.M("invoice postcode"),
	"invoicestreet":             i18n.M("invoice street"),
	"item":                      i18n.M("item"),
	"kind":                      i18n.M("kind"),
	"kvk":                       i18n.M("kvk"),
	"kvkextractdate":            i18n.M("kvk extract date"),
	"language":                  i18n.M("language"),
	"leaddays":                  i18n.M("lead days"),
	"line":                      i18n.M("line"),
	"lineno":                    i18n.M("line no"),
	"lines":                     i18n.M("lines"),
	"maxperorder":               i18n.M("max per order"),
	"name":                      i18n.M("name"),
	"newvalues":                 i18n.M("new values"),
	"note":                      i18n.M("note"),
	"oldvalues":                 i18n.M("old values"),
	"onhand":                    i18n.M("on hand"),
	"order":                     i18n.M("order"),
	"passed":                    i18n.M("passed"),
	"paymentterms":              i18n.M("payment terms"),
	"paymenttermdays":           i18n.M("payment term days"),
	"phone":                     i18n.M("phone"),
	"placedat":                  i18n.M("placed at"),
	"poreference":               i18n.M("po reference"),
	"postcode":                  i18n.M("postcode"),
	"prefix":                    i18n.M("prefix"),
	"price":                     i18n.M("price"),
	"priority":                  i18n.M("priority"),
	"productid":                 i18n.M("product id"),
	"promiseddate":              i18n.M("promised date"),
	"quantity":                  i18n.M("quantity"),
	"reason":                    i18n.M("reason"),
	"receivedon":                i18n.M("received on"),
	"reference":                 i18n.M("reference"),
	"rejectreason":              i18n.M("reject reason"),
	"requestedat":               i18n.M("requested at"),
	"requestedby":               i18n.M("requested by"),
	"reservations":              i18n.M("reservations"),
	"reserved":                  i18n.M("reserved"),
	"revision":                  i18n.M("revision"),
	"role":                      i18n.M("role"),
	"shipcomplete":              i18n.M("ship complete"),
	"shipping":                  i18n.M("shipping"),
	"shippingmethod":            i18n.M("shipping method"),
	"size":                      i18n.M("size"),
	"sku":                       i18n.M("sku"),
	"source":                    i18n.M("source"),
	"status":                    i18n.M("status"),
	"street":                    i18n.M("street"),
	"summary":                   i18n.M("summary"),
	"supplier":                  i18n.M("supplier"),
	"supplierid":                i18n.M("supplier id"),
	"suppliername":              i18n.M("supplier name"),
	"supply":                    i18n.M("supply"),
	"termsacceptedat":           i18n.M("terms accepted at"),
	"termsversion":              i18n.M("terms version"),
	"totalincl":                 i18n.M("total incl. VAT"),
	"tries":                     i18n.M("tries"),
	"unitprice":                 i18n.M("unit price"),
	"updatedat":                 i18n.M("updated at"),
	"uploadrequestnote":         i18n.M("upload request note"),
	"uploadtokenexpires":        i18n.M("upload token expires"),
	"userid":                    i18n.M("user id"),
	"vatid":                     i18n.M("vat id"),
	"vatrate":                   i18n.M("vat rate"),
	"viesaddress":               i18n.M("vies address"),
	"viescheckedat":             i18n.M("vies checked at"),
	"vieserror":                 i18n.M("vies error"),
	"viesname":                  i18n.M("vies name"),
	"viesstatus":                i18n.M("vies status"),
	"visiting":                  i18n.M("visiting address"),
	"visitingaddress":           i18n.M("visiting address"),
	"visitingcity":              i18n.M("visiting city"),
	"visitingcountry":           i18n.M("visiting country"),
	"visitingpostcode":          i18n.M("visiting postcode"),
	"visitingstreet":            i18n.M("visiting street"),
	"warehouseid":               i18n.M("warehouse id"),
	"web":                       i18n.M("web"),
}

// key is how fieldLabels knows a field name: its words (so without
// "_cents"), lower case, without spaces: "unit_price_cents" and
// "UnitPrice" are both "unitprice".
func key(name string) string {
	return strings.ToLower(strings.ReplaceAll(words(name), " ", ""))
}

// FieldLabel names one part of a field's path for people: a field the
// trail knows by its label ("po_reference": "po reference", in Dutch
// "PO-referentie"), a list item by its number, and any other field by its
// name in words, untranslated ("ExtraField": "Extra field").
func FieldLabel(name string) i18n.Message {
	if m, ok := fieldLabels[key(name)]; ok {
		return m
	}
	return i18n.Raw(words(name))
}
