package audit_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"wholesale/internal/audit"
	"wholesale/internal/i18n"
)

// show prints changes in English as the history partial does: "label:
// old → new".
func show(cs []audit.FieldChange) string { return showIn(i18n.EN, cs) }

// showIn prints changes in lang; the partial's own words ("(empty)",
// "removed") are left in English.
func showIn(lang i18n.Lang, cs []audit.FieldChange) string {
	l := i18n.For(lang)
	var parts []string
	for _, c := range cs {
		s := l.Text(c.Label()) + ": "
		if c.HadOld {
			s += or(l.Text(c.Old), "(empty)") + " → "
		}
		if c.HasNew {
			s += l.Text(c.New)
		} else {
			s += "(removed)"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " | ")
}

func or(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

func TestDiff(t *testing.T) {
	t.Parallel()
	long := func(n int) string {
		items := make([]string, n)
		for i := range items {
			items[i] = fmt.Sprintf(`{"sku":"S-%d"}`, i)
		}
		return "[" + strings.Join(items, ",") + "]"
	}
	for _, tc := range []struct {
		name, before, after, want string
	}{
		{"nothing on either side", ``, `null`, ``},
		{"equal documents", `{"status":"placed","n":1}`, `{"n":1,"status":"placed"}`, ``},
		{"one field changed, others kept", `{"status":"draft","po_reference":"BJ-1"}`, `{"status":"placed","po_reference":"BJ-1"}`,
			`status: draft → placed`},
		{"created: every field set, in name order", ``, `{"reason":"too much","credit_hold":"held"}`,
			`credit hold: held | reason: too much`},
		{"removed field", `{"note":"call first","status":"placed"}`, `{"status":"placed"}`, `note: call first → (removed)`},
		{"null is no value", `{"confirmed_at":null}`, `{"confirmed_at":null,"kind":"portal"}`, `kind: portal`},
		{"an empty value set or dropped is no change", `{"note":"","a":""}`, `{"reason":"","a":"x"}`, `a: (empty) → x`},
		{"nested objects flatten with dots", `{"delivery":{"city":"Utrecht","street":"Bakkersweg 12"}}`,
			`{"delivery":{"city":"Haarlem","street":"Bakkersweg 12"}}`, `delivery.city: Utrecht → Haarlem`},
		{"an object appearing flattens too", `{}`, `{"delivery":{"city":"Haarlem"}}`, `delivery.city: Haarlem`},
		{"cents in euros, booleans in words", `{"shipping_cents":1495,"ship_complete":false}`, `{"shipping_cents":250000,"ship_complete":true}`,
			`ship complete: no → yes | shipping: €14.95 → €2,500.00`},
		{"amounts in a text in the reader's format", `{}`,
			`{"credit_reason":"Exposure € 1.952,46 + this order € 12.081,85 passes the credit limit € 10.000,00."}`,
			`credit reason: Exposure €1,952.46 + this order €12,081.85 passes the credit limit €10,000.00.`},
		{"large integers stay exact", `{"id":9007199254740993}`, `{"id":9007199254740995}`, `id: 9007199254740993 → 9007199254740995`},
		{"list items compared by position, from 1", `{"lines":[{"sku":"A","quantity":2},{"sku":"B","quantity":4}]}`,
			`{"lines":[{"sku":"A","quantity":2},{"sku":"B","quantity":6}]}`, `lines.2.quantity: 4 → 6`},
		{"an added item on one line", `{"lines":[{"sku":"A","quantity":2}]}`,
			`{"lines":[{"sku":"A","quantity":2},{"sku":"C","quantity":1,"unit_price_cents":1250}]}`,
			`lines.2: quantity 1, sku C, unit price €12.50`},
		{"a removed item", `{"lines":[{"sku":"A"},{"sku":"B"}]}`, `{"lines":[{"sku":"A"}]}`, `lines.2: sku B → (removed)`},
		{"a list of plain values is one value", `{"skus":["A","B"]}`, `{"skus":["A","B","C"]}`, `skus: A, B → A, B, C`},
		{"a long list by its length", `{"rows":` + long(60) + `}`, `{"rows":` + long(61) + `}`, `rows: 60 items → 61 items`},
		{"dates alone, times in Amsterdam", `{"expected_date":"2026-12-01T00:00:00Z","at":"2026-11-24T09:00:00Z"}`,
			`{"expected_date":"2026-12-08T00:00:00Z","at":"2026-07-01T09:30:00.5Z"}`,
			`at: 24 Nov 2026 10:00 → 1 Jul 2026 11:30 | expected date: 1 Dec 2026 → 8 Dec 2026`},
		{"a date as a date field stores it", `{"delivered_on":"2026-11-27"}`, `{"delivered_on":"2026-11-30"}`,
			`delivered on: 27 Nov 2026 → 30 Nov 2026`},
		{"Go field names as the snake_case ones", `{"CompanyName":"De Boon","KvKExtractDate":null,"VIESStatus":"pending"}`,
			`{"CompanyName":"De Boon B.V.","KvKExtractDate":"2026-11-01T00:00:00Z","VIESStatus":"valid"}`,
			`company name: De Boon → De Boon B.V. | kvk extract date: 1 Nov 2026 | vies status: pending → valid`},
		{"unknown field names in words", `{"ExtraFieldName":"a","KvKThing":"b","odd_one_cents":1}`, `{"ExtraFieldName":"b","KvKThing":"c","odd_one_cents":2}`,
			`Extra field name: a → b | KvK thing: b → c | odd one: €0.01 → €0.02`},
		{"secrets never shown", `{"password_hash":"x","UploadTokenHash":"y","email":"a@b.test"}`,
			`{"password_hash":"z","UploadTokenHash":"w","email":"c@b.test","client_secret":"s"}`, `email: a@b.test → c@b.test`},
		{"a value turning into an object", `{"status":"draft"}`, `{"status":{"state":"placed","hold":"none"}}`,
			`status: draft → hold none, state placed`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := audit.Diff(json.RawMessage(tc.before), json.RawMessage(tc.after))
			if err != nil {
				t.Fatal(err)
			}
			if s := show(got); s != tc.want {
				t.Errorf("\n got %s\nwant %s", s, tc.want)
			}
		})
	}
}

func TestDiffRefusesWhatIsNotJSON(t *testing.T) {
	t.Parallel()
	if _, err := audit.Diff(json.RawMessage(`{"a":`), nil); err == nil {
		t.Error("a broken document gave no error")
	}
}

func TestFieldPathsKeepTheirNames(t *testing.T) {
	t.Parallel()
	got, err := audit.Diff(nil, json.RawMessage(`{"order":{"lines":[{"unit_price_cents":100}]}}`))
	if err != nil || len(got) != 1 {
		t.Fatalf("%v %+v", err, got)
	}
	if got[0].Field != "order.lines.1" || i18n.For(i18n.EN).Text(got[0].Label()) != "order.lines.1" || i18n.For(i18n.EN).Text(got[0].New) != "unit price €1.00" || got[0].HadOld {
		t.Errorf("%+v", got[0])
	}
}

// TestDiffReadsInDutch: a Dutch reader gets the field labels, yes/no, the
// amounts, dates and times of the same changes in Dutch; a field the trail
// has no label for keeps its name in words.
func TestDiffReadsInDutch(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ before, after, want string }{
		{`{"po_reference":"BJ-1","ship_complete":false,"shipping_cents":1495}`, `{"po_reference":"BJ-2","ship_complete":true,"shipping_cents":250000}`,
			`PO-referentie: BJ-1 → BJ-2 | volledig verzenden: nee → ja | verzendkosten: € 14,95 → € 2.500,00`},
		{`{"delivery":{"city":"Utrecht"}}`, `{"delivery":{"city":"Haarlem"}}`, `afleveradres.plaats: Utrecht → Haarlem`},
		{`{"lines":[{"sku":"A","quantity":2}]}`, `{"lines":[{"sku":"A","quantity":2},{"sku":"C","quantity":1,"unit_price_cents":1250}]}`,
			`regels.2: aantal 1, artikelnummer C, stukprijs € 12,50`},
		{`{"expected_date":"2026-12-01T00:00:00Z","confirmed_at":"2026-11-24T09:00:00Z"}`, `{"expected_date":"2026-12-08T00:00:00Z","confirmed_at":"2026-11-24T13:05:00Z"}`,
			`bevestigd op: 24-11-2026 10:00 → 24-11-2026 14:05 | verwachte datum: 01-12-2026 → 08-12-2026`},
		{`{}`, `{"delivered_on":"2026-11-30","note":"2026-13-45"}`, `afgeleverd op: 30-11-2026 | notitie: 2026-13-45`},
		{`{"rows":` + longList(60) + `,"ExtraField":"a"}`, `{"rows":` + longList(61) + `,"ExtraField":"b"}`, `Extra field: a → b | rows: 60 elementen → 61 elementen`},
	} {
		got, err := audit.Diff(json.RawMessage(tc.before), json.RawMessage(tc.after))
		if err != nil {
			t.Fatal(err)
		}
		if s := showIn(i18n.NL, got); s != tc.want {
			t.Errorf("\n got %s\nwant %s", s, tc.want)
		}
	}
}

func longList(n int) string {
	items := make([]string, n)
	for i := range items {
		items[i] = fmt.Sprintf(`{"sku":"S-%d"}`, i)
	}
	return "[" + strings.Join(items, ",") + "]"
}

// TestTextKeepsItsAmountsWhole: the amounts of a text written in Go print
// in the reader's format, each in its nowrap span in HTML; the rest of the
// text is left as it is.
func TestTextKeepsItsAmountsWhole(t *testing.T) {
	t.Parallel()
	m := audit.Text("Credit € -12,00 back; € 1.250,50 <b>due</b> by 1,5 days, € 5,5 or € 12.34 not")
	if got, want := i18n.For(i18n.EN).Text(m), "Credit -€12.00 back; €1,250.50 <b>due</b> by 1,5 days, € 5,5 or € 12.34 not"; got != want {
		t.Errorf("English %q, want %q", got, want)
	}
	if got, want := string(i18n.For(i18n.NL).HTML(m)),
		`Credit <span class="amount">€ -12,00</span> back; <span class="amount">€ 1.250,50</span> &lt;b&gt;due&lt;/b&gt; by 1,5 days, € 5,5 or € 12.34 not`; got != want {
		t.Errorf("Dutch HTML %q, want %q", got, want)
	}
	if m := audit.Text("no amount"); i18n.For(i18n.NL).Text(m) != "no amount" {
		t.Errorf("%+v", m)
	}
}

// TestDiffWithLabelsAndMessages: the codes of the fields given labels
// print as their labels (any spelling of the field, in lists and objects
// too; an unknown code as it is), and a value that is a stored message
// prints in the reader's language; an object that only looks like one
// stays an object.
func TestDiffWithLabelsAndMessages(t *testing.T) {
	t.Parallel()
	status := func(s string) i18n.Message {
		if s == "awaiting_credit" {
			return i18n.M("awaiting credit approval")
		}
		return i18n.Raw(s)
	}
	values := audit.Values{"status": status, "vies_status": status}
	reason, _ := json.Marshal(i18n.M("Exposure %s + this order %s passes the credit limit %s.", i18n.Amount(310196), i18n.Amount(50000), i18n.Amount(1000000)))
	for _, tc := range []struct{ before, after, want string }{
		{`{"status":"draft"}`, `{"status":"awaiting_credit","credit_reason":` + string(reason) + `}`,
			`reden kredietblokkade: Openstaand saldo € 3.101,96 + deze order € 500,00 overschrijdt de kredietlimiet van € 10.000,00. | status: draft → wacht op kredietgoedkeuring`},
		{`{}`, `{"VIESStatus":"awaiting_credit","order":{"status":"awaiting_credit"}}`,
			`VIES-status: wacht op kredietgoedkeuring | order.status: wacht op kredietgoedkeuring`},
		{`{"credit_reason":"Exposure € 1,00 over."}`, `{"credit_reason":"Exposure € 2,00 over."}`, `reden kredietblokkade: Exposure € 1,00 over. → Exposure € 2,00 over.`},
		{`{}`, `{"summary":[{"id":"created"},{"id":"line %d (%s) cancelled: %s","args":[{"t":"i","v":1},{"t":"s","v":"A-1"},{"t":"s","v":"gone"}]}]}`,
			`samenvatting: aangemaakt; regel 1 (A-1) geannuleerd: gone`},
		{`{}`, `{"order":{"id":"ab1"}}`, `order.id: ab1`},
	} {
		got, err := audit.DiffWith(json.RawMessage(tc.before), json.RawMessage(tc.after), values)
		if err != nil {
			t.Fatal(err)
		}
		if s := showIn(i18n.NL, got); s != tc.want {
			t.Errorf("\n got %s\nwant %s", s, tc.want)
		}
	}
	if got, _ := audit.Diff(json.RawMessage(`{"status":"draft"}`), json.RawMessage(`{"status":"awaiting_credit"}`)); show(got) != "status: draft → awaiting_credit" {
		t.Errorf("without labels: %s", show(got))
	}
}

// A value stored as a message's JSON (a back order's reference) is one
// field, printed in the reader's language; an object that merely has an
// id is still flattened.
func TestDiffPrintsStoredMessages(t *testing.T) {
	ref, err := json.Marshal(i18n.M("order %d (PO %s) line %d", 1, "BJ-2026-118", 2))
	if err != nil {
		t.Fatal(err)
	}
	after := json.RawMessage(`{"reference": ` + string(ref) + `, "customer": {"id": 7}}`)
	cs, err := audit.Diff(nil, after)
	if err != nil {
		t.Fatal(err)
	}
	if got := show(cs); !strings.Contains(got, "order 1 (PO BJ-2026-118) line 2") || strings.Contains(got, "args") || !strings.Contains(got, "customer.id") {
		t.Errorf("English: %s", got)
	}
	if got := showIn(i18n.NL, cs); !strings.Contains(got, "order 1 (PO BJ-2026-118) regel 2") {
		t.Errorf("Dutch: %s", got)
	}
}
