package web

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"wholesale/internal/audit"
	"wholesale/internal/catalog"
	"wholesale/internal/complaints"
	"wholesale/internal/customers"
	"wholesale/internal/i18n"
	"wholesale/internal/orders"
	"wholesale/internal/returns"
	"wholesale/internal/shipping"
	"wholesale/internal/users"
)

// historyEvent is one entry of a history as templates/partials/history
// shows it: who, when, what, and the fields that changed (old → new).
type historyEvent struct {
	At  time.Time
	Who i18n.Message
	// What is the action: "place", "Revision 2: …".
	What i18n.Message
	// Subject names what the entry is about ("order 12"), with a link to it
	// when it has a page; zero on a page about one thing.
	Subject i18n.Message
	Href    string
	Changes []audit.FieldChange
}

// auditEvents turns audit entries into history events, with their subjects
// when subjects is set, leaving out the fields named in hide.
func auditEvents(entries []audit.Entry, subjects bool, hide ...string) ([]historyEvent, error) {
	out := make([]historyEvent, 0, len(entries))
	var docs audit.Docs // an amendment's before is often the after of the one before it
	for _, e := range entries {
		cs, err := docs.DiffWith(e.Before, e.After, valueLabels[e.Entity])
		if err != nil {
			return nil, fmt.Errorf("audit entry %d: %w", e.ID, err)
		}
		ev := historyEvent{At: e.At, Who: actorLabel(e), What: actionLabel(e.Action), Changes: without(cs, hide)}
		if subjects {
			ev.Subject, ev.Href = i18n.M("%s %s", entityLabel(e.Entity), e.EntityID), subjectHref(e.Entity, e.EntityID)
		}
		out = append(out, ev)
	}
	return out, nil
}

// valueLabels name the codes the trail stores (a status, a kind, a role)
// for people, by the kind of audited thing and the field: an order's
// "status" "awaiting_credit" is "awaiting credit approval", in Dutch "wacht
// op kredietgoedkeuring". A value without a label prints as it is.
var valueLabels = map[string]audit.Values{
	"order": {
		"status":            func(s string) i18n.Message { return orders.Status(s).Label() },
		"credit_hold":       creditHoldLabel,
		"kind":              confirmationLabel, // of a confirmation
		"confirmation_kind": confirmationLabel,
		"shipping_method":   orders.ShippingMethodLabel,
		"carrier":           shipping.CarrierLabel,
		"ship_state":        shipStateLabel,
	},
	"application": {
		"status":        customers.AppStatusLabel,
		"vies_status":   customers.VIESLabel,
		"source":        sourceLabel,
		"item":          checkItemLabel,
		"kind":          customers.DocLabel, // of a document added
		"language":      customers.LanguageLabel,
		"payment_terms": paymentTermsLabel,
	},
	"change_request": {
		"status":       customers.ChangeStatusLabel,
		"kind":         customers.ChangeKindLabel,
		"confirmation": confirmationLabel,
	},
	"company": {
		"payment_terms": paymentTermsLabel,
		"language":      customers.LanguageLabel,
	},
	"user": {
		"role":     func(s string) i18n.Message { return users.Role(s).Label() },
		"language": customers.LanguageLabel,
	},
	"product": {"supply": supplyLabel},
	"return": {
		"state":         func(s string) i18n.Message { return returns.State(s).Label() },
		"remedy":        returns.RemedyLabel,
		"result":        returns.ResultLabel,
		"settlement":    returns.SettlementLabel,
		"received_rule": returns.ReceiptRuleLabel,
		"good_units":    goodUnitsLabel,
	},
	"supplier_order": {"status": openLabel},
	"demand":         {"status": openLabel},
	"complaint": {
		"state":   func(s string) i18n.Message { return complaints.State(s).Label() },
		"channel": channelLabel,
		"outcome": complaints.OutcomeLabel,
	},
}

// shipStateLabel names what of an order has shipped.
func shipStateLabel(s string) i18n.Message {
	switch s {
	case orders.ShipNone:
		return i18n.M("nothing shipped")
	case orders.ShipPartly:
		return i18n.M("partly shipped")
	case orders.ShipAll:
		return i18n.M("shipped")
	}
	return i18n.Raw(s)
}

// goodUnitsLabel names where a settled return's units without fault went.
func goodUnitsLabel(s string) i18n.Message {
	switch s {
	case returns.GoodSentBack:
		return returns.DispositionLabel(returns.ToCustomer)
	case returns.GoodRestocked:
		return returns.DispositionLabel(returns.ToStock)
	}
	return i18n.Raw(s)
}

// creditHoldLabel names a credit hold state of an order.
func creditHoldLabel(s string) i18n.Message {
	switch s {
	case orders.HoldNone:
		return i18n.M("not held")
	case orders.HoldHeld:
		return i18n.M("held for credit approval")
	case orders.HoldApproved:
		return i18n.M("credit approved")
	case orders.HoldRejected:
		return i18n.M("credit rejected")
	}
	return i18n.Raw(s)
}

// confirmationLabel names how an order or a change was confirmed.
func confirmationLabel(s string) i18n.Message {
	switch s {
	case "written":
		return i18n.M("by a written document")
	case "portal":
		return i18n.M("by the customer in the portal")
	case orders.ConfirmedByReturn:
		return i18n.M("as the replacement for a return")
	}
	return i18n.Raw(s)
}

// sourceLabel names where an application came from.
func sourceLabel(s string) i18n.Message {
	switch s {
	case customers.SourceWeb:
		return i18n.M("the form on the website")
	case customers.SourceEmail:
		return i18n.M("by e-mail, entered by staff")
	}
	return i18n.Raw(s)
}

// paymentTermsLabel names a customer's payment terms.
func paymentTermsLabel(s string) i18n.Message {
	switch s {
	case customers.TermsCredit:
		return i18n.M("on credit")
	case customers.TermsPrepayment:
		return i18n.M("prepayment")
	}
	return i18n.Raw(s)
}

// supplyLabel names a product's supply state as the product form does.
func supplyLabel(s string) i18n.Message {
	switch s {
	case catalog.SupplyNormal:
		return i18n.M("normal")
	case catalog.SupplyDiscontinued:
		return i18n.M("discontinued")
	case catalog.SupplySupplierSilent:
		return i18n.M("the supplier is silent")
	}
	return i18n.Raw(s)
}

// openLabel names the status of a supplier order or a demand.
func openLabel(s string) i18n.Message {
	switch s {
	case "open":
		return i18n.M("open")
	case "closed":
		return i18n.M("closed")
	case "cancelled":
		return i18n.M("cancelled")
	}
	return i18n.Raw(s)
}

// checkItemLabels are the checklist items of an application by their
// codes, with the VIES item.
var checkItemLabels = func() map[string]i18n.Message {
	out := map[string]i18n.Message{}
	for _, it := range customers.Checklist(&customers.Application{VIESStatus: customers.VIESValid}) {
		out[it.Key] = it.Label
	}
	return out
}()

// checkItemLabel names an item of an application's checklist.
func checkItemLabel(s string) i18n.Message {
	if m, ok := checkItemLabels[s]; ok {
		return m
	}
	return i18n.Raw(s)
}

// revisionEvents turns an order's revisions into history events.
func revisionEvents(revs []orders.Revision) ([]historyEvent, error) {
	out := make([]historyEvent, 0, len(revs))
	var docs audit.Docs // each revision's before is the after of the one before it
	for _, r := range revs {
		cs, err := docs.DiffWith(r.Before, r.After, valueLabels["order"])
		if err != nil {
			return nil, fmt.Errorf("revision %d: %w", r.Revision, err)
		}
		out = append(out, historyEvent{At: r.ChangedAt, Who: i18n.Raw(r.ChangedBy),
			What: i18n.M("Revision %d: %s", r.Revision, revisionSummary(r.Summary)), Changes: cs})
	}
	return out, nil
}

// revisionSummary is a revision's summary for people: a message stored as
// JSON (i18n.Message), or the text as it was written (its amounts in the
// reader's format, see audit.Text).
func revisionSummary(s string) i18n.Message {
	if strings.HasPrefix(s, "{") {
		var m i18n.Message
		if err := json.Unmarshal([]byte(s), &m); err == nil && !m.IsZero() {
			return m
		}
	}
	return audit.Text(s)
}

// actorLabel is who made an entry: the user's e-mail address as recorded,
// or the system.
func actorLabel(e audit.Entry) i18n.Message {
	if e.ActorID == nil && e.Actor == audit.System.Label {
		return i18n.M("system")
	}
	return i18n.Raw(e.Actor)
}

// without drops the changes of the fields named in hide (the last part of
// their path).
func without(cs []audit.FieldChange, hide []string) []audit.FieldChange {
	if len(hide) == 0 {
		return cs
	}
	out := cs[:0:0]
	for _, c := range cs {
		keep := true
		for _, h := range hide {
			if c.Field == h || len(c.Field) > len(h) && c.Field[len(c.Field)-len(h)-1:] == "."+h {
				keep = false
			}
		}
		if keep {
			out = append(out, c)
		}
	}
	return out
}

// actionLabels name the audit actions for people, by the action with
// spaces for underscores: "credit_approve" is "credit approve".
var actionLabels = map[string]i18n.Message{
	"activate":                i18n.M("activate"),
	"amend":                   i18n.M("amend"),
	"approve":                 i18n.M("approve"),
	"acknowledge":             i18n.M("acknowledged"),
	"assign":                  i18n.M("investigator assigned"),
	"board answer":            i18n.M("the board answered"),
	"escalate":                i18n.M("escalated to the board"),
	"file":                    i18n.M("filed"),
	"note":                    i18n.M("note added"),
	"progress":                i18n.M("progress report sent"),
	"resolve":                 i18n.M("resolved"),
	"cancel":                  i18n.M("cancel"),
	"cancel line":             i18n.M("line cancelled"),
	"change addresses":        i18n.M("change addresses"),
	"change bank":             i18n.M("change bank"),
	"change contact":          i18n.M("change contact"),
	"change invoice email":    i18n.M("change invoice email"),
	"check doc kvk extract":   i18n.M("check doc kvk extract"),
	"check doc letterhead":    i18n.M("check doc letterhead"),
	"check doc signed terms":  i18n.M("check doc signed terms"),
	"check doc vat statement": i18n.M("check doc vat statement"),
	"check iban valid":        i18n.M("check iban valid"),
	"check kvk recent":        i18n.M("check kvk recent"),
	"check names consistent":  i18n.M("check names consistent"),
	"check vat valid":         i18n.M("check vat valid"),
	"check vies":              i18n.M("check vies"),
	"confirm":                 i18n.M("confirm"),
	"confirm date":            i18n.M("confirm date"),
	"count":                   i18n.M("count"),
	"create":                  i18n.M("create"),
	"correct tracking":        i18n.M("tracking corrected"),
	"credit approve":          i18n.M("credit approve"),
	"credit reject":           i18n.M("credit reject"),
	"deactivate":              i18n.M("deactivate"),
	"deliver":                 i18n.M("delivered"),
	"discount":                i18n.M("discount"),
	"document added":          i18n.M("document added"),
	"documents requested":     i18n.M("documents requested"),
	"failed":                  i18n.M("failed"),
	"invite":                  i18n.M("invite"),
	"issue":                   i18n.M("issued"),
	"invite accepted":         i18n.M("invite accepted"),
	"locked":                  i18n.M("locked"),
	"login":                   i18n.M("login"),
	"logout":                  i18n.M("logout"),
	"password reset":          i18n.M("password reset"),
	"place":                   i18n.M("place"),
	"prepayment received":     i18n.M("prepayment received"),
	"priority":                i18n.M("priority changed"),
	"promise":                 i18n.M("promise"),
	"receive":                 i18n.M("receive"),
	"refused locked":          i18n.M("refused locked"),
	"reject":                  i18n.M("reject"),
	"remove":                  i18n.M("remove"),
	"request":                 i18n.M("request"),
	"reset code wrong":        i18n.M("reset code wrong"),
	"reset requested":         i18n.M("reset requested"),
	"restock":                 i18n.M("booked back into stock"),
	"returns":                 i18n.M("return days changed"),
	"revoke":                  i18n.M("revoke"),
	"save":                    i18n.M("save"),
	"ship":                    i18n.M("shipped"),
	"set":                     i18n.M("set"),
	"settle":                  i18n.M("settled"),
	"status":                  i18n.M("status changed"),
	"test":                    i18n.M("tested"),
	"unlock":                  i18n.M("unlock"),
	"update":                  i18n.M("update"),
	"vies check":              i18n.M("vies check"),
}

// actionLabel names an audit action for people: "credit_approve" →
// "credit approve", in Dutch "krediet goedgekeurd"; an action without a
// label in words, untranslated.
func actionLabel(a string) i18n.Message {
	words := strings.ReplaceAll(a, "_", " ")
	if m, ok := actionLabels[words]; ok {
		return m
	}
	return i18n.Raw(words)
}

// entityLabels name the kinds of things the trail records.
var entityLabels = map[string]i18n.Message{
	"api_token":      i18n.M("API token"),
	"application":    i18n.M("application"),
	"change_request": i18n.M("change request"),
	"closing_day":    i18n.M("closing day"),
	"company":        i18n.M("company"),
	"complaint":      i18n.M("complaint"),
	"customer_price": i18n.M("customer price"),
	"demand":         i18n.M("demand"),
	"invoice":        i18n.M("invoice"),
	"login":          i18n.M("login attempt"),
	"order":          i18n.M("order"),
	"product":        i18n.M("product"),
	"return":         i18n.M("return"),
	"service_centre": i18n.M("service centre"),
	"settings":       i18n.M("company settings"),
	"stock":          i18n.M("stock"),
	"supplier_order": i18n.M("supplier order"),
	"supplier_stock": i18n.M("supplier stock"),
	"user":           i18n.M("user"),
}

// entityLabel names a kind of audited thing for people: "supplier_order"
// → "supplier order", in Dutch "inkooporder".
func entityLabel(entity string) i18n.Message {
	if m, ok := entityLabels[entity]; ok {
		return m
	}
	return i18n.Raw(strings.ReplaceAll(entity, "_", " "))
}

// subjectHref is the page of an audited thing, "" when it has none.
func subjectHref(entity, id string) string {
	if _, err := strconv.ParseInt(id, 10, 64); err != nil {
		return ""
	}
	switch entity {
	case "order":
		return "/orders/" + id
	case "application":
		return "/applications/" + id
	case "company":
		return "/customers/" + id
	case "change_request":
		return "/changes/" + id
	case "product":
		return "/products/" + id
	case "user":
		return "/admin/users/" + id
	case "return":
		return "/returns/" + id
	case "complaint":
		return "/complaints/" + id
	}
	return ""
}

// RevisionHistory is the order's revisions for the history partial.
func (p *orderPage) RevisionHistory() ([]historyRow, error) {
	return p.history(revisionEvents(p.Revisions))
}

// AuditHistory is the order's audit entries for the history partial.
func (p *orderPage) AuditHistory() ([]historyRow, error) {
	return p.history(auditEvents(p.Audit, false))
}

// History is the page's entries for the history partial, each with its subject.
func (p *auditPage) History() ([]historyRow, error) { return p.history(auditEvents(p.Entries, true)) }

// History is the application's audit entries for the history partial; the
// documents' hashes only for admins.
func (p *applicationPage) History() ([]historyRow, error) {
	if p.User != nil && p.User.Role == users.RoleAdmin {
		return p.history(auditEvents(p.Audit, false))
	}
	return p.history(auditEvents(p.Audit, false, "sha256"))
}
