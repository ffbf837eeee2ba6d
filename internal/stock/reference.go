package stock

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"strings"

	"wholesale/internal/i18n"
)

// Reference is what a demand was asked for, for people: a message printed
// in the reader's language (an order line's "order 1 (PO BJ-2026-118)
// line 2", in Dutch "… regel 2"), or a text that is not translated. The
// column demands.reference holds a message as its JSON, a text as it is;
// rows written before references were messages are text.
type Reference struct{ i18n.Message }

// RefText is a reference that is not translated.
func RefText(s string) Reference {
	s = strings.TrimSpace(s)
	if s == "" {
		return Reference{}
	}
	return Reference{i18n.Raw(s)}
}

// english prints references where no reader's language applies (the
// export, the JSON of the API).
var english = i18n.For(i18n.EN)

// String is the reference in English.
func (r Reference) String() string { return english.Text(r.Message) }

// raw tells whether r is a text that is not translated.
func (r Reference) raw() bool {
	return len(r.Args) == 0 && r.Count == nil && i18n.Raw(r.String()).ID == r.ID
}

// stored is the column's text: a message's JSON, a text as it is (unless
// it would read as JSON).
func (r Reference) stored() (string, error) {
	if s := r.String(); r.IsZero() || r.raw() && !strings.HasPrefix(s, jsonMark) {
		return s, nil
	}
	b, err := json.Marshal(r.Message)
	return string(b), err
}

// jsonMark starts a stored message: the JSON that i18n.Message marshals.
const jsonMark = `{"id":`

// auditJSON is the reference as the audit trail keeps it: a message as
// its JSON object (the trail prints it in the reader's language), a text
// as a string.
func (r Reference) auditJSON() (json.RawMessage, error) {
	if r.raw() || r.IsZero() {
		return json.Marshal(r.String())
	}
	return json.Marshal(r.Message)
}

// Value stores r in demands.reference.
func (r Reference) Value() (driver.Value, error) { return r.stored() }

// Scan reads demands.reference: a message's JSON, else a text.
func (r *Reference) Scan(src any) error {
	var s string
	switch x := src.(type) {
	case nil:
	case string:
		s = x
	case []byte:
		s = string(x)
	default:
		return fmt.Errorf("stock: reference from %T", src)
	}
	*r = parseReference(s)
	return nil
}

// parseReference reads a stored reference: JSON written by stored (it
// starts with {"id":), else a text.
func parseReference(s string) Reference {
	if strings.HasPrefix(s, jsonMark) {
		var m i18n.Message // read by its own method: json.Unmarshal would first check the JSON a second time
		if err := m.UnmarshalJSON([]byte(s)); err == nil && !m.IsZero() {
			return Reference{m}
		}
	}
	return RefText(s)
}

// MarshalJSON writes the reference in English, as a string: the API and
// exports give readable text.
func (r Reference) MarshalJSON() ([]byte, error) { return json.Marshal(r.String()) }

// UnmarshalJSON reads a string (as MarshalJSON writes it) or a message.
func (r *Reference) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		*r = RefText(s)
		return nil
	}
	return json.Unmarshal(b, &r.Message)
}
