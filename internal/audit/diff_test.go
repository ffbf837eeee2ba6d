package audit_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"wholesale/internal/audit"
)

// show prints changes as the history partial does: "label: old → new".
func show(cs []audit.FieldChange) string {
	var parts []string
	for _, c := range cs {
		s := c.Label() + ": "
		if c.HadOld {
			s += or(c.Old, "(empty)") + " → "
		}
		if c.HasNew {
			s += c.New
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
			`ship complete: no → yes | shipping: € 14,95 → € 2.500,00`},
		{"large integers stay exact", `{"id":9007199254740993}`, `{"id":9007199254740995}`, `id: 9007199254740993 → 9007199254740995`},
		{"list items compared by position, from 1", `{"lines":[{"sku":"A","quantity":2},{"sku":"B","quantity":4}]}`,
			`{"lines":[{"sku":"A","quantity":2},{"sku":"B","quantity":6}]}`, `lines.2.quantity: 4 → 6`},
		{"an added item on one line", `{"lines":[{"sku":"A","quantity":2}]}`,
			`{"lines":[{"sku":"A","quantity":2},{"sku":"C","quantity":1,"unit_price_cents":1250}]}`,
			`lines.2: quantity 1, sku C, unit price € 12,50`},
		{"a removed item", `{"lines":[{"sku":"A"},{"sku":"B"}]}`, `{"lines":[{"sku":"A"}]}`, `lines.2: sku B → (removed)`},
		{"a list of plain values is one value", `{"skus":["A","B"]}`, `{"skus":["A","B","C"]}`, `skus: A, B → A, B, C`},
		{"a long list by its length", `{"rows":` + long(60) + `}`, `{"rows":` + long(61) + `}`, `rows: 60 items → 61 items`},
		{"dates alone, times in Amsterdam", `{"expected_date":"2026-12-01T00:00:00Z","at":"2026-11-24T09:00:00Z"}`,
			`{"expected_date":"2026-12-08T00:00:00Z","at":"2026-07-01T09:30:00.5Z"}`,
			`at: 2026-11-24 10:00 → 2026-07-01 11:30 | expected date: 2026-12-01 → 2026-12-08`},
		{"Go field names in words", `{"CompanyName":"De Boon","KvKExtractDate":null,"VIESStatus":"pending"}`,
			`{"CompanyName":"De Boon B.V.","KvKExtractDate":"2026-11-01T00:00:00Z","VIESStatus":"valid"}`,
			`Company name: De Boon → De Boon B.V. | KvK extract date: 2026-11-01 | VIES status: pending → valid`},
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
	if got[0].Field != "order.lines.1" || got[0].Label() != "order.lines.1" || got[0].New != "unit price € 1,00" || got[0].HadOld {
		t.Errorf("%+v", got[0])
	}
}
