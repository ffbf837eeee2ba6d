package web

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"wholesale/internal/complaints"
	"wholesale/internal/orders"
	"wholesale/internal/payments"
	"wholesale/internal/returns"
)

// probe validates a request body as its use case does, from a valid
// example in which one field (a dotted JSON path) is set.
type probe struct {
	base     any
	prefix   string // where the rule's type sits in base, e.g. "lines.0."
	validate func(body []byte) error
}

func validating[T any](check func(*T) error) func([]byte) error {
	return func(b []byte) error {
		var v T
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		return check(&v)
	}
}

// probes give each input type's Validate(); the rules of the web's own
// bodies (cancel, confirm) are checked over HTTP in openapi_test.go.
var probes = map[reflect.Type]probe{
	typeOf[orders.Input](): {base: exampleOrderCreate.Input, validate: validating(func(in *orders.Input) error { _, err := in.Validate(); return err })},
	typeOf[orders.LineInput](): {base: orders.AmendInput{Lines: []orders.LineInput{{SKU: "KR-F3090", Quantity: 1}}}, prefix: "lines.0.",
		validate: validating(func(in *orders.AmendInput) error { _, err := in.Validate(); return err })},
	typeOf[orders.AmendInput](): {base: exampleAmend, validate: validating(func(in *orders.AmendInput) error { _, err := in.Validate(); return err })},
	typeOf[payments.RegisterInput](): {base: examplePayment,
		validate: validating(func(in *payments.RegisterInput) error { _, _, err := in.Validate(); return err })},
	typeOf[returns.RequestInput](): {base: exampleReturn, validate: validating(func(in *returns.RequestInput) error { return in.Validate() })},
	typeOf[complaints.FileInput](): {base: exampleComplaint,
		validate: validating(func(in *complaints.FileInput) error { _, err := in.Validate(); return err })},
}

// atBoundNeedsMore are the fields whose longest text passes only with
// other fields changed too: serials of SerialsMax characters are many
// serial numbers, which need as many units.
var atBoundNeedsMore = map[string]bool{"serials": true}

// emailOf is an e-mail address of n characters.
func emailOf(n int) string {
	domain := ""
	for len(domain) < n-2-3 {
		domain += strings.Repeat("d", min(60, n-2-3-len(domain)-1)) + "."
	}
	return "j@" + domain + strings.Repeat("n", n-2-len(domain))
}

// with is base as JSON with the value at path set (deleted when del).
func with(t *testing.T, base any, path string, value any, del bool) []byte {
	t.Helper()
	b, _ := json.Marshal(base)
	var root any
	json.Unmarshal(b, &root)
	segs := strings.Split(path, ".")
	cur := root
	for _, seg := range segs[:len(segs)-1] {
		if i, err := strconv.Atoi(seg); err == nil {
			cur = cur.([]any)[i]
		} else {
			cur = cur.(map[string]any)[seg]
		}
	}
	last := segs[len(segs)-1]
	if del {
		delete(cur.(map[string]any), last)
	} else {
		cur.(map[string]any)[last] = value
	}
	out, _ := json.Marshal(root)
	return out
}

// Every bound the document gives a request body's field is the bound
// Validate() enforces: at the bound the example passes, one past it is
// refused; each enum value passes and another is refused; a required
// field left out is refused. A bound changed on one side only fails here.
func TestInputRulesMatchValidate(t *testing.T) {
	for _, r := range inputRules {
		p, ok := probes[r.Type]
		if !ok {
			if r.Type == typeOf[apiOrderCancel]() || r.Type == typeOf[apiOrderConfirm]() {
				continue // checked over HTTP
			}
			t.Fatalf("no probe for %s", r.Type)
		}
		t.Run(fmt.Sprintf("%s.%s", r.Type.Name(), r.Field), func(t *testing.T) {
			path := p.prefix + r.Field
			if err := p.validate(with(t, p.base, path, nil, true)); r.Required && err == nil {
				t.Errorf("required, but Validate takes the body without it")
			}
			pass := func(v any) {
				t.Helper()
				if err := p.validate(with(t, p.base, path, v, false)); err != nil {
					t.Errorf("%.40v: the document takes it, Validate refuses it: %v", v, err)
				}
			}
			fail := func(v any) {
				t.Helper()
				if err := p.validate(with(t, p.base, path, v, false)); err == nil {
					t.Errorf("%.40v: the document refuses it, Validate takes it", v)
				}
			}
			if r.MaxLength > 0 {
				text := func(n int) string { return strings.Repeat("a", n) }
				if r.Format == "email" {
					text = emailOf
				}
				if !atBoundNeedsMore[r.Field] {
					pass(text(int(r.MaxLength)))
				}
				fail(text(int(r.MaxLength) + 1))
			}
			if r.MinLength > 0 {
				fail(strings.Repeat("a", int(r.MinLength)-1))
			}
			if r.Min != nil && *r.Min > 0 {
				pass(*r.Min)
			}
			if r.Min != nil && (r.Required || *r.Min != 1) {
				fail(*r.Min - 1) // (an optional id's 0 is "not given")
			}
			if r.Max != nil {
				pass(*r.Max)
				fail(*r.Max + 1)
			}
			for _, e := range r.Enum {
				pass(e)
			}
			if len(r.Enum) > 0 {
				fail("none-of-these")
			}
			if r.MaxItems > 0 {
				b, _ := json.Marshal(p.base)
				var m map[string]any
				json.Unmarshal(b, &m)
				item := m[r.Field].([]any)[0]
				list := func(n int) []any {
					out := make([]any, n)
					for i := range out {
						out[i] = item
					}
					return out
				}
				fail(list(int(r.MaxItems) + 1))
				if r.Type != typeOf[orders.AmendInput]() { // an amendment may change a line once
					pass(list(int(r.MaxItems)))
				}
			}
			if r.ItemMaxLength > 0 {
				pass([]any{strings.Repeat("a", int(r.ItemMaxLength))})
				fail([]any{strings.Repeat("a", int(r.ItemMaxLength)+1)})
			}
			switch r.Format {
			case "date":
				pass("2026-11-24")
				fail("the 24th")
			case "email":
				pass("j.jansen@example.nl")
				fail("j.jansen")
			}
		})
	}
}

// The examples of the request bodies pass their Validate().
func TestRequestExamplesAreValid(t *testing.T) {
	for typ, p := range probes {
		b, _ := json.Marshal(p.base)
		if err := p.validate(b); err != nil {
			t.Errorf("%s: %s: %v", typ, b, err)
		}
	}
}
