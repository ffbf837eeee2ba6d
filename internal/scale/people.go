package scale

import (
	"fmt"
	"strings"

	"wholesale/internal/customers"
	"wholesale/internal/ident"
	"wholesale/internal/orders"
)

var (
	firstNames = []string{"Anna", "Bram", "Carla", "Daan", "Eva", "Femke", "Gijs", "Hanna", "Iris", "Joris", "Kees", "Lotte",
		"Mila", "Noah", "Olga", "Pieter", "Quinten", "Ruben", "Sanne", "Tim", "Ulla", "Vera", "Wim", "Yara", "Zoë", "Sjoerd", "Maaike", "Thijs"}
	surnames = []string{"Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot",
		"Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer",
		"Kok", "Jacobs", "van Dijk", "Willems", "Verhoeven", "Koster", "Prins", "Huisman", "Postma", "Kuipers", "Schouten", "Timmermans"}
	trades = []string{"Bakkerij", "Horeca", "Restaurant", "Hotel", "Café", "Kookstudio", "Catering", "Eethuis", "Brasserie",
		"Lunchroom", "Keukenspeciaalzaak", "Bedrijfskantine", "Zorgcentrum", "Camping", "Strandpaviljoen", "Pannenkoekenhuis", "IJssalon"}
	legal   = []string{" B.V.", " B.V.", "", " V.O.F.", " & Zn."}
	streets = []string{"Dorpsstraat", "Kerkstraat", "Stationsweg", "Industrieweg", "Molenweg", "Nieuwstraat", "Havenstraat",
		"Marktplein", "Schoolstraat", "Julianastraat", "Beatrixlaan", "Parallelweg", "Hoofdstraat", "Ambachtsweg", "Kanaalweg"}
	cities = []string{"Amsterdam", "Rotterdam", "Utrecht", "Den Haag", "Eindhoven", "Groningen", "Tilburg", "Almere", "Breda",
		"Nijmegen", "Haarlem", "Arnhem", "Zwolle", "Leiden", "Maastricht", "Dordrecht", "Amersfoort", "Apeldoorn", "Enschede", "Delft"}
	abroad = []struct{ country, city, street, trade, legal string }{
		{"DE", "Köln", "Hauptstraße", "Küchenwelt", " GmbH"}, {"DE", "Düsseldorf", "Königsallee", "Gastronomiebedarf", " GmbH"},
		{"BE", "Antwerpen", "Meir", "Horeca", " BV"}, {"BE", "Gent", "Veldstraat", "Bakkerij", " BV"},
		{"FR", "Lille", "Rue Nationale", "Cuisine", " SARL"}, {"NO", "Oslo", "Karl Johans gate", "Storkjøkken", " AS"},
		{"CH", "Basel", "Freie Strasse", "Gastro", " AG"}, {"GB", "London", "High Street", "Catering", " Ltd"},
	}
	notes = []string{"Levering via achteringang.", "Graag voor 10:00 leveren.", "Bellen bij aankomst.", "Deurcode 4711.",
		"Pallet niet stapelen.", "Afleveren bij de receptie.", "Let op: smalle straat, geen vrachtwagen."}
)

// people makes the staff, the customers (ranked: the busiest first) and
// their users, and the customers' own prices (after the catalogue).
func (g *gen) people(w *world, sizes Sizes) {
	staff := func(email, name, role string) *user {
		u := &user{email: email, name: name, role: role, language: "nl", created: w.start.AddDate(0, -1, 0)}
		w.staff = append(w.staff, u)
		if w.roles[role] == nil {
			w.roles[role] = u
		}
		return u
	}
	staff("admin@scale.test", "Anna Admin", "admin")
	staff("sales@scale.test", "Sam Sales", "sales")
	staff("sales2@scale.test", "Sophie Sales", "sales")
	for i := range sizes.Managers {
		email := "am@scale.test"
		if i > 0 {
			email = fmt.Sprintf("am%d@scale.test", i+1)
		}
		w.managers = append(w.managers, staff(email, g.pick(firstNames)+" "+g.pick(surnames), "account_manager"))
	}
	for i := range 3 {
		w.warehouse = append(w.warehouse, staff(numbered("warehouse", i), g.pick(firstNames)+" "+g.pick(surnames), "warehouse"))
	}
	for i := range 2 {
		w.finance = append(w.finance, staff(numbered("finance", i), g.pick(firstNames)+" "+g.pick(surnames), "finance"))
	}
	for i := range 3 {
		w.service = append(w.service, staff(numbered("service", i), g.pick(firstNames)+" "+g.pick(surnames), "customer_service"))
	}
	staff("board@scale.test", "Bram Board", "board")
	for i, u := range w.staff {
		u.id = int64(i + 1)
	}
	w.users = append(w.users, w.staff...)
	for r := 1; r <= sizes.Customers; r++ {
		w.companies = append(w.companies, g.company(w, r))
	}
}

func numbered(role string, i int) string {
	if i == 0 {
		return role + "@scale.test"
	}
	return fmt.Sprintf("%s%d@scale.test", role, i+1)
}

// company makes the customer of rank r.
func (g *gen) company(w *world, r int) *company {
	c := &company{rank: r, index: int32(r - 1), termDays: []int{14, 30, 30, 30, 45, 60}[g.r.IntN(6)]}
	c.manager = w.managers[r%len(w.managers)]
	if r == 1 {
		c.manager = w.managers[0]
	}
	surname := g.pick(surnames)
	switch {
	case r > 1 && g.chance(0.1):
		a := abroad[g.r.IntN(len(abroad))]
		c.name = a.trade + " " + strings.TrimPrefix(surname, "de ") + a.legal
		c.visiting = address{fmt.Sprintf("%s %d", a.street, g.between(1, 180)), fmt.Sprintf("%05d", g.between(1000, 99999)), a.city, a.country}
		c.vatID = g.foreignVAT(a.country)
	default:
		city := g.pick(cities)
		c.name = fmt.Sprintf("%s %s %s%s", g.pick(trades), surname, city, g.pick(legal))
		c.visiting = address{fmt.Sprintf("%s %d", g.pick(streets), g.between(1, 250)),
			fmt.Sprintf("%04d %c%c", g.between(1000, 9999), 'A'+rune(g.r.IntN(26)), 'A'+rune(g.r.IntN(26))), city, "NL"}
		c.vatID = g.dutchVAT()
		c.kvk = fmt.Sprintf("%08d", (int64(r)*104729)%90000000+10000000)
	}
	c.invoice = c.visiting
	if g.chance(0.15) {
		c.invoice.street = fmt.Sprintf("Postbus %d", g.between(10, 9999))
	}
	c.lang = string(customers.LanguageFor(c.visiting.country))
	cust := &customers.Company{VATID: c.vatID}
	c.vatMode = orders.VATModeFor(cust, c.visiting.country)
	c.contact = g.pick(firstNames) + " " + surname
	domain := fmt.Sprintf("klant%d.scale.test", r)
	c.email = "inkoop@" + domain
	c.phone = fmt.Sprintf("+31 %d %07d", g.between(10, 79), g.r.IntN(10_000_000))
	c.iban = g.iban()
	// One of the bigger customers pays in advance too, so that even a
	// small data set has prepayment orders of every age.
	c.prepay = r == 5 || r > 1 && g.chance(0.15)
	c.discount = []int{0, 0, 0, 100, 200, 250, 500, 750, 1000, 1500}[g.r.IntN(10)]
	c.peppol = c.visiting.country != "NL" && g.chance(0.3)
	c.payer = 0
	if r > 1 {
		switch u := g.r.Float64(); {
		case u < 0.05:
			c.payer = 2
		case u < 0.2:
			c.payer = 1
		}
	}
	users := 1
	if r <= 100 {
		users = 4
	} else if g.chance(0.4) {
		users = 2
	}
	for i := range users {
		email := fmt.Sprintf("koper%d@%s", i+1, domain)
		if r == 1 && i == 0 {
			email = "buyer@scale.test"
		}
		u := &user{email: email, name: g.pick(firstNames) + " " + g.pick(surnames), role: "customer", company: c, language: c.lang}
		c.users = append(c.users, u)
		w.users = append(w.users, u)
	}
	return c
}

// dutchVAT is a Dutch VAT id whose digits pass the elfproef (never all
// zeros).
func (g *gen) dutchVAT() string {
	for {
		d := make([]byte, 9)
		sum := 0
		for i := range 8 {
			d[i] = byte('0' + g.r.IntN(10))
			sum += (9 - i) * int(d[i]-'0')
		}
		if last := sum % 11; last <= 9 && sum > 0 {
			d[8] = byte('0' + last)
			return "NL" + string(d) + "B01"
		}
	}
}

// foreignVAT is a valid VAT id of country, check digits and all ("" outside
// the EU): random digits completed with the last digit that makes them
// valid.
func (g *gen) foreignVAT(country string) string {
	for {
		var base string
		switch country {
		case "DE":
			base = fmt.Sprintf("DE%08d", g.r.IntN(90_000_000)+10_000_000)
		case "BE":
			base = fmt.Sprintf("BE0%07d", g.r.IntN(10_000_000))
		case "FR":
			base = fmt.Sprintf("%08d", g.r.IntN(100_000_000))
		default:
			return ""
		}
		for d := byte('0'); d <= '9'; d++ {
			id := base + string(d)
			switch country {
			case "BE":
				id = fmt.Sprintf("%s%02d", base, 97-mod97(base[2:]))
			case "FR":
				id = fmt.Sprintf("FR%02d%s", mod97(id+"12"), id)
			}
			if _, msg := ident.ParseVAT(id); msg.IsZero() {
				return id
			}
		}
	}
}

// iban is a Dutch IBAN whose check digits add up.
func (g *gen) iban() string {
	bank := []string{"ABNA", "INGB", "RABO", "SNSB", "TRIO", "ASNB"}[g.r.IntN(6)]
	acct := fmt.Sprintf("%010d", g.r.Int64N(9_999_999_999)+1)
	return fmt.Sprintf("NL%02d%s%s", 98-mod97(bank+acct+"NL00"), bank, acct)
}

// mod97 reads s as digits, letters counting A=10 … Z=35, and returns it
// mod 97.
func mod97(s string) int {
	rem := 0
	for _, c := range s {
		if c >= 'A' && c <= 'Z' {
			rem = (rem*100 + int(c-'A'+10)) % 97
		} else {
			rem = (rem*10 + int(c-'0')) % 97
		}
	}
	return rem
}

// prices gives each customer its own prices for some of the products it
// buys most: the bigger the customer, the more.
func (g *gen) prices(w *world) {
	w.prices = map[[2]int32]int64{}
	top := newZipf(len(w.products), 1, 2)
	for _, c := range w.companies {
		n := 3
		if c.rank <= 100 {
			n = 40
		} else if c.rank <= 1000 {
			n = 12
		}
		for range n {
			p := w.products[top.draw(g)]
			w.prices[[2]int32{c.index, p.index}] = p.price * int64(g.between(70, 95)) / 100
		}
	}
}
