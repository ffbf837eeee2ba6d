package scale

import (
	"fmt"
	"math"
	"time"
)

// category is a kind of product: its names, price range (cents) and VAT.
type category struct {
	names    []string
	lo, hi   int64
	vat      int
	qtyMean  float64
	returned bool // DOA returnable
}

var categories = []category{
	{[]string{"Airfryer", "Keukenmachine", "Staafmixer", "Waterkoker", "Koffiezetapparaat", "Espressomachine", "Broodrooster",
		"Contactgrill", "Blender", "Sapcentrifuge", "Frituurpan", "Stoomoven", "Inductiekookplaat", "Vacuümmachine"}, 2495, 89900, 21, 2, true},
	{[]string{"Koekenpan 24 cm", "Koekenpan 28 cm", "Wokpan", "Snelkookpan", "Braadpan", "Messenset", "Koksmes 20 cm",
		"Snijplank", "Keukenweegschaal", "Pannenset", "Steelpan 16 cm"}, 995, 34900, 21, 4, true},
	{[]string{"Grillplaat", "Bakpapier 50 vel", "Filterset", "Ontkalker", "Reservekan", "Deksel 28 cm", "Siliconen spatel",
		"Maatbeker", "Vervangmes"}, 199, 2995, 21, 12, false},
	{[]string{"Kookboek Airfryer", "Kookboek Bakken", "Kookboek Italiaans", "Kookboek Vegetarisch", "Receptenkaarten"}, 995, 4995, 9, 6, false},
	{[]string{"Koffiebonen 1 kg", "Thee assortiment", "Olijfolie 5 L", "Bakmix", "Kruidenmix", "Balsamico 500 ml"}, 499, 3995, 9, 10, false},
}

var brandNames = []struct {
	name, code string
	category   int
}{
	{"Tefal", "TF", 0}, {"Krups", "KR", 0}, {"Moulinex", "MX", 0}, {"Philips", "PH", 0}, {"Bosch", "BO", 0}, {"Siemens", "SI", 0},
	{"Smeg", "SM", 0}, {"KitchenAid", "KA", 0}, {"Kenwood", "KW", 0}, {"De'Longhi", "DL", 0}, {"Sage", "SG", 0}, {"Inventum", "IV", 0},
	{"Fissler", "FI", 1}, {"WMF", "WMF", 1}, {"Zwilling", "ZW", 1}, {"Le Creuset", "LC", 1}, {"BK", "BK", 1}, {"Demeyere", "DM", 1},
	{"Tefal Onderdelen", "TFO", 2}, {"Universal Parts", "UP", 2}, {"Kosmos Uitgevers", "KOS", 3}, {"Lannoo", "LAN", 3},
	{"Douwe Egberts", "DE", 4}, {"Pickwick", "PW", 4}, {"Bertolli", "BER", 4},
}

var supplierNames = []string{"Groupe SEB Benelux", "BSH Huishoudapparaten", "De'Longhi Benelux", "Zwilling Benelux",
	"Fissler Nederland", "Kosmos Distributie", "JDE Foodservice", "Unilever Food Solutions", "Sage Appliances EU",
	"Kenwood Benelux", "Philips Domestic Appliances", "Smeg Nederland", "Universal Parts Europe", "Lannoo Distributie"}

// catalog makes the brands, products (ranked: the most ordered first),
// suppliers and the customers' own prices.
func (g *gen) catalog(w *world, sizes Sizes) {
	for _, b := range brandNames {
		w.brands = append(w.brands, brand{name: b.name, code: b.code, category: b.category})
	}
	for i := range sizes.Suppliers {
		name := supplierNames[i%len(supplierNames)]
		if i >= len(supplierNames) {
			name = fmt.Sprintf("%s %d", name, i/len(supplierNames)+1)
		}
		w.suppliers = append(w.suppliers, name)
	}
	for i := range sizes.Products {
		w.products = append(w.products, g.product(w, i))
	}
	// A few products have run out since a recent day: whatever was
	// ordered of them since waits for the supplier. Not the best sellers.
	short := max(len(w.products)/100, 3)
	for range short {
		p := w.products[g.between(min(20, len(w.products)-1), len(w.products)-1)]
		if p.shortSince.IsZero() && p.supply == "normal" {
			p.shortSince = w.now.Add(-g.hours(24, 30*24))
			p.expected = w.today.AddDate(0, 0, g.between(-4, 30))
			p.confirmed = g.chance(0.6)
		}
	}
	g.prices(w)
}

// product makes the product of popularity rank i (0: the best seller).
func (g *gen) product(w *world, i int) *product {
	b := w.brands[g.r.IntN(len(w.brands))]
	cat := categories[b.category]
	name := cat.names[g.r.IntN(len(cat.names))]
	p := &product{rank: i, index: int32(i), brand: b.name, category: b.category, vat: cat.vat, returnable: cat.returned, supply: "normal"}
	p.sku = fmt.Sprintf("%s-%c%c%d", b.code, 'A'+rune(i%26), 'A'+rune(i/26%26), 1000+i)
	p.name = fmt.Sprintf("%s %s %s", b.name, name, []string{"Classic", "Pro", "XL", "Compact", "Deluxe", "Eco", "Plus", "Mini"}[g.r.IntN(8)])
	// Prices spread evenly on a log scale within the category.
	p.price = min(int64(float64(cat.lo)*math.Pow(float64(cat.hi)/float64(cat.lo), g.r.Float64()))/5*5+4, cat.hi)
	p.ean = ean13(fmt.Sprintf("87%010d", 1_000_000_000+i))
	if g.chance(0.05) {
		p.maxPer = []int{10, 24, 50, 100}[g.r.IntN(4)]
	}
	if p.returnable && g.chance(0.1) {
		p.returnable = false
	}
	switch u := g.r.Float64(); {
	case i > 100 && u < 0.02:
		p.supply = "discontinued"
	case i > 100 && u < 0.03:
		p.supply = "supplier_silent"
	}
	switch {
	case i < len(w.products)/50+20:
		p.onHand[0] = int32(g.between(50, 800))
	case g.chance(0.85):
		p.onHand[0] = int32(g.between(0, 120))
	}
	if g.chance(0.3) {
		p.onHand[1] = int32(g.between(0, 200))
	}
	return p
}

// ean13 adds the check digit to 12 digits.
func ean13(d string) string {
	sum := 0
	for i := range 12 {
		n := int(d[i] - '0')
		if i%2 == 1 {
			n *= 3
		}
		sum += n
	}
	return d + string(rune('0'+(10-sum%10)%10))
}

// supply makes the supplier orders: every month a delivery of each
// supplier, received in full; open orders due in the coming weeks; and for
// each product that ran out one open order that covers what waits of it.
func (g *gen) supply(w *world, waiting map[*product]int32) {
	bySupplier := make([][]*product, len(w.suppliers))
	for _, p := range w.products {
		s := int(p.index) % len(w.suppliers)
		bySupplier[s] = append(bySupplier[s], p)
	}
	ref := 0
	for s, ps := range bySupplier {
		if len(ps) == 0 {
			continue
		}
		pop := newZipf(len(ps), 1, 3)
		for m := w.start; m.Before(w.now.AddDate(0, 0, -20)); m = m.AddDate(0, 1, 0) {
			created := g.officeHours(w, m.Add(g.hours(0, 24*20)))
			ref++
			so := &supplierOrder{supplier: s, reference: fmt.Sprintf("PO-%d-%05d", created.Year(), ref), created: created,
				expected: w.cal.LocalDay(created).AddDate(0, 0, g.between(5, 20)), confirmed: true}
			so.lines = g.supplyLines(ps, pop, g.between(3, 12), true)
			w.supply = append(w.supply, so)
		}
		for range 2 {
			created := w.now.Add(-g.hours(24, 20*24))
			ref++
			so := &supplierOrder{supplier: s, reference: fmt.Sprintf("PO-%d-%05d", created.Year(), ref), created: created, open: true,
				expected: w.today.AddDate(0, 0, g.between(-3, 28)), confirmed: g.chance(0.7)}
			so.lines = g.supplyLines(ps, pop, g.between(2, 8), false)
			w.supply = append(w.supply, so)
		}
	}
	for _, p := range w.products {
		if p.shortSince.IsZero() {
			continue
		}
		ref++
		created := p.shortSince.Add(g.hours(1, 48))
		if created.After(w.now) {
			created = w.now
		}
		so := &supplierOrder{supplier: int(p.index) % len(w.suppliers), reference: fmt.Sprintf("BO-%d-%05d", created.Year(), ref),
			created: created, open: true, expected: p.expected, confirmed: p.confirmed}
		so.lines = []supplyLine{{product: p, qty: waiting[p] + int32(g.between(10, 60))}}
		w.supply = append(w.supply, so)
	}
	sortBy(w.supply, func(so *supplierOrder) time.Time { return so.created })
	for i, so := range w.supply {
		so.id = int64(i + 1)
	}
}

func (g *gen) supplyLines(ps []*product, pop *zipf, n int, received bool) []supplyLine {
	seen := map[*product]bool{}
	var out []supplyLine
	for range n {
		p := ps[pop.draw(g)]
		if seen[p] || !p.shortSince.IsZero() {
			continue
		}
		seen[p] = true
		l := supplyLine{product: p, qty: int32(g.between(2, 40) * 6)}
		if received {
			l.received = l.qty
		}
		out = append(out, l)
	}
	return out
}
