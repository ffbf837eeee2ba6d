package scale

import (
	"time"

	"wholesale/internal/calendar"
)

// world is the data set in memory, made before any of it is written: ids
// are handed out once everything is known, in the order things happened.
type world struct {
	now   time.Time // the moment the data set ends
	today time.Time // now's date in Amsterdam (calendar.Day)
	start time.Time // ten years before now
	cal   *calendar.Calendar

	staff     []*user
	users     []*user // every user: staff, then customer users
	roles     map[string]*user
	managers  []*user
	warehouse []*user
	finance   []*user
	service   []*user

	companies []*company // by rank: the busiest (by design) first
	busiest   *company   // the customer with the most orders
	byID      []*company // by id-1
	products  []*product // by popularity: the most ordered first
	brands    []brand
	suppliers []string
	prices    map[[2]int32]int64 // customer's own price by (company index, product index)

	orders    []*order // by id-1, once numbered
	shipments []*shipment
	invoices  []*invoice // invoices and credit notes by id-1
	payments  []*payment
	allocs    []*allocation
	returns   []*ret
	complaint []*complaint
	supply    []*supplierOrder
	reminders []reminder

	hash string // the password hash every user has
}

type user struct {
	id       int64
	email    string
	name     string
	role     string
	company  *company
	language string
	created  time.Time
}

type address struct {
	street, postcode, city, country string
}

type company struct {
	rank     int // 1 for the busiest
	id       int64
	index    int32
	name     string
	kvk      string
	vatID    string
	visiting address
	invoice  address
	contact  string
	email    string
	phone    string
	iban     string
	prepay   bool
	limit    int64
	termDays int
	discount int
	manager  *user
	users    []*user
	lang     string
	vatMode  string
	peppol   bool
	payer    int // 0 on time, 1 late, 2 very late
	created  time.Time
	first    time.Time // its first order (zero: none)
	buyer    string    // the JSON of the company as its invoices name it
}

type product struct {
	rank       int
	id         int64
	index      int32
	sku        string
	name       string
	brand      string
	category   int
	price      int64
	vat        int
	ean        string
	maxPer     int
	returnable bool
	supply     string
	created    time.Time
	// shortSince is when the product ran out: every demand placed since
	// waits for the open supplier order. Zero for products in supply.
	shortSince time.Time
	expected   time.Time // the open supplier order's date, for a short product
	confirmed  bool
	onHand     [2]int32 // main, remote: what is free besides the reservations
	reserved   [2]int32
}

type brand struct {
	name, code string
	category   int
}

// order is an order and what happened to it.
type order struct {
	id       int64
	company  *company
	created  time.Time
	placed   time.Time // zero: a draft
	po       string
	by       *user
	lines    []line
	method   string
	shipping int64
	complete bool // ship complete
	note     string
	delivery address

	heldAt      time.Time // zero: never held
	decided     time.Time // when sales approved or rejected the hold
	rejected    bool
	confirmedAt time.Time
	confirmedBy *user
	written     bool // confirmed in writing (else in the portal)
	paidAt      time.Time
	cancelled   time.Time
	reason      string
	amended     time.Time // a quantity changed (line amendedLine)
	amendedLine int
	oldQty      int32
	// replaces is the return or complaint a replacement order settles.
	replacesReturn    *ret
	replacesComplaint *complaint

	shipments []*shipment
	totals    [3]int64 // excl, VAT, incl
	confirmed int64    // the total incl. VAT the customer confirmed
	paid      int64
	invoiced  int64
	firstInv  time.Time
	invState  string
	shipState string
	status    string
	revisions int
	updated   time.Time
}

func (o *order) replacement() bool { return o.replacesReturn != nil || o.replacesComplaint != nil }

// line is an order line with its demand.
type line struct {
	id        int64
	no        int32
	product   *product
	qty       int32
	price     int64
	vat       int32
	cancelled time.Time // zero: live
	reserved  int32     // reserved when placed (the rest waited)
	fill      time.Time // when the rest was reserved; zero: still waits
	shipped   int32
	demand    int64
	oldDemand int64 // the demand released when its quantity was amended
}

func (l *line) waiting() bool { return l.reserved < l.qty && l.fill.IsZero() }

type shipment struct {
	id        int64
	order     *order
	at        time.Time
	on        time.Time // the day (Amsterdam)
	delivered time.Time // zero: not reported
	carrier   string
	tracking  string
	by        *user
	lines     []shipLine
	invoice   *invoice
}

type shipLine struct {
	line *line
	qty  int32
	// invLine is the line number on the shipment's invoice.
	invLine int
}

type invLine struct {
	order    *order
	line     *line // nil for shipping costs
	ship     *shipment
	credits  int // the credited invoice line, for a credit note
	sku      string
	desc     string
	qty      int32
	price    int64
	vat      int32
	credited int32 // of an invoice line: how much credit notes credit
}

type invoice struct {
	id      int64
	credit  bool // a credit note
	company *company
	day     time.Time
	created time.Time
	issued  time.Time // zero: a draft
	by      *user
	year    int
	seq     int
	supply  time.Time
	due     time.Time
	lines   []invLine
	of      *invoice // the invoice a credit note credits
	reason  string
	// forReturn and forComplaint are what a credit note settles; its
	// reason names them, once they are numbered.
	forReturn    *ret
	remedy       bool
	forComplaint *complaint
	excl         int64
	vatCents     int64
	incl         int64
	perRate      string
	prepaid      int64
	paid         int64
	updated      time.Time
}

type payment struct {
	id          int64
	company     *company
	amount      int64
	unallocated int64
	on          time.Time
	at          time.Time
	bank        bool
	by          *user
	// invoice or order is what the payment's reference names.
	invoice *invoice
	order   *order
}

type allocation struct {
	id      int64
	company *company
	payment *payment
	cn      *invoice
	invoice *invoice
	order   *order
	amount  int64
	reason  string
	at      time.Time
	by      *user
	undone  time.Time
}

type reminder struct {
	invoice *invoice
	level   int
	due     int64
	at      time.Time
}

type supplierOrder struct {
	id        int64
	supplier  int
	reference string
	expected  time.Time
	confirmed bool
	open      bool
	created   time.Time
	lines     []supplyLine
}

type supplyLine struct {
	product  *product
	qty      int32
	received int32
}
