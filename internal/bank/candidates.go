package bank

import (
	"context"
	"fmt"

	"github.com/uptrace/bun/dialect/pgdialect"

	"wholesale/internal/payments"
	"wholesale/internal/postgres"
)

// company is a customer a match books a payment for.
type company struct {
	ID   int64
	Name string
}

// openInvoice is an issued invoice a credit may pay, and what is open of it.
type openInvoice struct {
	ID          int64  `bun:"id"`
	CompanyID   int64  `bun:"company_id"`
	CompanyName string `bun:"company_name"`
	Number      string `bun:"number"`
	PaymentRef  string `bun:"payment_reference"`
	Open        int64  `bun:"open"`
}

// openOrder is a placed prepayment order not paid in full.
type openOrder struct {
	ID          int64  `bun:"id"`
	CompanyID   int64  `bun:"company_id"`
	CompanyName string `bun:"company_name"`
	PaymentRef  string `bun:"payment_reference"`
	Open        int64  `bun:"open"`
}

// matcher holds what the entries of a file may match, read in bulk (one
// query per kind for the whole file), and keeps the open amounts as the
// matches book payments.
type matcher struct {
	byRef    map[string]*openInvoice // by number and by payment reference
	invoices map[int64]*openInvoice
	orders   map[string]*openOrder
	// byIBAN are the customers with an IBAN, and ofCompany their open invoices.
	byIBAN    map[string][]company
	ofCompany map[int64][]*openInvoice
	// stale are customers whose payments went beyond the target, to their
	// other invoices: their open amounts are read again before use.
	stale map[int64]bool
}

const invoiceColumns = `i.id, i.company_id, co.name AS company_name, i.number, coalesce(i.payment_reference, '') AS payment_reference,
	i.total_incl_cents - i.paid_cents AS open`

// loadCandidates reads the invoices, prepayment orders and customers the
// entries' references, texts and IBANs name.
func loadCandidates(ctx context.Context, tx *postgres.Tx, entries []*Entry) (*matcher, error) {
	m := &matcher{byRef: map[string]*openInvoice{}, invoices: map[int64]*openInvoice{}, orders: map[string]*openOrder{},
		byIBAN: map[string][]company{}, ofCompany: map[int64][]*openInvoice{}, stale: map[int64]bool{}}
	refs, orderRefs, ibans := set{}, set{}, set{}
	for _, e := range entries {
		for _, t := range e.Tx {
			if r := upper(t.StructuredRef); r != "" {
				refs.add(r)
			}
			for _, n := range InvoiceNumbers(t.FreeText) {
				refs.add(n)
			}
			for _, r := range append(OrderReferences(t.StructuredRef), OrderReferences(t.FreeText)...) {
				orderRefs.add(r)
			}
			if t.DebtorIBAN != "" {
				ibans.add(t.DebtorIBAN)
			}
		}
	}
	A := pgdialect.Array
	if len(refs) > 0 {
		var invs []*openInvoice
		err := tx.NewRaw(`SELECT `+invoiceColumns+` FROM invoices i JOIN companies co ON co.id = i.company_id
			WHERE i.state = 'issued' AND i.kind = 'invoice' AND (i.number = ANY(?0) OR i.payment_reference = ANY(?0))`, A(refs.list())).Scan(ctx, &invs)
		if err != nil {
			return nil, fmt.Errorf("bank: invoices named: %w", err)
		}
		for _, inv := range invs {
			m.add(inv)
		}
	}
	if len(orderRefs) > 0 {
		var os []*openOrder
		err := tx.NewRaw(`SELECT o.id, o.company_id, co.name AS company_name, o.payment_reference, o.total_incl_cents - o.paid_cents AS open
			FROM orders o JOIN companies co ON co.id = o.company_id
			WHERE o.payment_reference = ANY(?) AND o.prepayment AND o.state = 'placed' AND o.paid_cents < o.total_incl_cents`, A(orderRefs.list())).Scan(ctx, &os)
		if err != nil {
			return nil, fmt.Errorf("bank: prepayment orders named: %w", err)
		}
		for _, o := range os {
			m.orders[o.PaymentRef] = o
		}
	}
	if len(ibans) > 0 {
		var cs []struct {
			ID   int64  `bun:"id"`
			Name string `bun:"name"`
			IBAN string `bun:"iban"`
		}
		err := tx.NewRaw(`SELECT id, name, upper(replace(iban, ' ', '')) AS iban FROM companies WHERE upper(replace(iban, ' ', '')) = ANY(?)`,
			A(ibans.list())).Scan(ctx, &cs)
		if err != nil {
			return nil, fmt.Errorf("bank: customers by IBAN: %w", err)
		}
		var ids []int64
		for _, c := range cs {
			m.byIBAN[c.IBAN] = append(m.byIBAN[c.IBAN], company{c.ID, c.Name})
			ids = append(ids, c.ID)
		}
		if err := m.loadOpen(ctx, tx, ids); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// loadOpen reads the open invoices of the customers ids.
func (m *matcher) loadOpen(ctx context.Context, tx *postgres.Tx, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	var invs []*openInvoice
	err := tx.NewRaw(`SELECT `+invoiceColumns+` FROM invoices i JOIN companies co ON co.id = i.company_id
		WHERE i.company_id = ANY(?) AND i.state = 'issued' AND i.kind = 'invoice' AND i.total_incl_cents - i.paid_cents > 0
		ORDER BY i.due_date, i.year, i.seq`, pgdialect.Array(ids)).Scan(ctx, &invs)
	if err != nil {
		return fmt.Errorf("bank: open invoices: %w", err)
	}
	for _, id := range ids {
		m.ofCompany[id] = nil
		for _, inv := range m.invoices { // paid meanwhile unless read again below
			if inv.CompanyID == id {
				inv.Open = 0
			}
		}
	}
	for _, inv := range invs {
		inv = m.add(inv)
		m.ofCompany[inv.CompanyID] = append(m.ofCompany[inv.CompanyID], inv)
	}
	return nil
}

// add keeps inv (or updates the one known by its id) and returns it.
func (m *matcher) add(inv *openInvoice) *openInvoice {
	if old, ok := m.invoices[inv.ID]; ok {
		old.Open = inv.Open
		return old
	}
	m.invoices[inv.ID] = inv
	m.byRef[inv.Number] = inv
	if inv.PaymentRef != "" {
		m.byRef[upper(inv.PaymentRef)] = inv
	}
	return inv
}

// fresh reads company's open invoices again when a payment went beyond
// its target.
func (m *matcher) fresh(ctx context.Context, tx *postgres.Tx, companyID int64) error {
	if !m.stale[companyID] {
		return nil
	}
	delete(m.stale, companyID)
	return m.loadOpen(ctx, tx, []int64{companyID})
}

// match finds where an entry's payment goes: the first rule that finds an
// open target wins. nil when none does.
func (m *matcher) match(ctx context.Context, tx *postgres.Tx, e *Entry) (*payments.Target, company, error) {
	openInv := func(inv *openInvoice) (bool, error) {
		if inv == nil {
			return false, nil
		}
		if err := m.fresh(ctx, tx, inv.CompanyID); err != nil {
			return false, err
		}
		return inv.Open > 0, nil
	}
	// a. The structured reference is an invoice's number or payment reference.
	for _, t := range e.Tx {
		if r := upper(t.StructuredRef); r != "" {
			inv := m.byRef[r]
			if ok, err := openInv(inv); ok || err != nil {
				return &payments.Target{InvoiceID: inv.ID, Reason: payments.ReasonPaymentReference, Detail: r},
					company{inv.CompanyID, inv.CompanyName}, err
			}
		}
	}
	// b. The structured reference or the free text holds a prepayment order's reference.
	for _, t := range e.Tx {
		for _, r := range append(OrderReferences(t.StructuredRef), OrderReferences(t.FreeText)...) {
			if o := m.orders[r]; o != nil && o.Open > 0 {
				return &payments.Target{OrderID: o.ID, Reason: payments.ReasonOrderReference, Detail: r}, company{o.CompanyID, o.CompanyName}, nil
			}
		}
	}
	// c. The free text names an invoice's number.
	for _, t := range e.Tx {
		for _, n := range InvoiceNumbers(t.FreeText) {
			inv := m.byRef[n]
			if ok, err := openInv(inv); ok || err != nil {
				return &payments.Target{InvoiceID: inv.ID, Reason: payments.ReasonInvoiceNumber, Detail: n},
					company{inv.CompanyID, inv.CompanyName}, err
			}
		}
	}
	// d. The amount is what is open of exactly one invoice of the customer
	// whose IBAN paid.
	_, iban := e.Debtor()
	var found *openInvoice
	hits := 0
	for _, c := range m.byIBAN[iban] {
		if err := m.fresh(ctx, tx, c.ID); err != nil {
			return nil, company{}, err
		}
		for _, inv := range m.ofCompany[c.ID] {
			if inv.Open == e.AmountCents {
				found = inv
				hits++
			}
		}
	}
	if hits == 1 {
		return &payments.Target{InvoiceID: found.ID, Reason: payments.ReasonAmountAndIBAN, Detail: iban}, company{found.CompanyID, found.CompanyName}, nil
	}
	return nil, company{}, nil
}

// booked takes a payment of cents to t off the open amounts; what went
// beyond the target went to the customer's other invoices, which are read
// again before their next use.
func (m *matcher) booked(t *payments.Target, companyID, cents int64) {
	var open *int64
	if t.OrderID > 0 {
		for _, o := range m.orders {
			if o.ID == t.OrderID {
				open = &o.Open
			}
		}
	} else if inv := m.invoices[t.InvoiceID]; inv != nil {
		open = &inv.Open
	}
	if open == nil {
		m.stale[companyID] = true
		return
	}
	if cents > *open {
		m.stale[companyID] = true
	}
	*open -= min(cents, *open)
}

// set is a set of strings.
type set map[string]struct{}

func (s set) add(v string) { s[v] = struct{}{} }

func (s set) list() []string {
	out := make([]string, 0, len(s))
	for v := range s {
		out = append(out, v)
	}
	return out
}
