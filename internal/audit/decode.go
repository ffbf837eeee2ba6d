package audit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"

	"wholesale/internal/i18n"
)

// Reading the documents of the trail for Diff: decoded into maps, each
// message stored in them read as one value, and, for a run of diffs that
// share documents, each document decoded once.

// Docs keeps the documents a run of diffs has decoded, for diffs that
// share them: an order's revisions are a chain, each one's before the
// after of the one before it, so a page of ten revisions decodes eleven
// documents instead of twenty. Decoded documents are only read. The zero
// value is ready; a nil *Docs keeps nothing.
type Docs struct{ decoded map[string]any }

// DiffWith is DiffWith of the package, decoding each document once.
func (ds *Docs) DiffWith(before, after json.RawMessage, values Values) ([]FieldChange, error) {
	d := differ{values: normalise(values)}
	b, err := ds.decode(before)
	if err != nil {
		return nil, fmt.Errorf("audit: before: %w", err)
	}
	a, err := ds.decode(after)
	if err != nil {
		return nil, fmt.Errorf("audit: after: %w", err)
	}
	d.walk("", b, a)
	return d.out, nil
}

// decode is decode, once per document for a Docs.
func (ds *Docs) decode(raw json.RawMessage) (any, error) {
	if ds == nil {
		return decode(raw)
	}
	if v, ok := ds.decoded[string(raw)]; ok {
		return v, nil
	}
	v, err := decode(raw)
	if err != nil {
		return nil, err
	}
	if ds.decoded == nil {
		ds.decoded = map[string]any{}
	}
	ds.decoded[string(raw)] = v
	return v, nil
}

// decode reads a document, with each i18n.Message stored in it (see
// message) read once, as a storedMessage.
func decode(raw json.RawMessage) (any, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil, nil
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return readMessages(v), nil
}

// storedMessage is an i18n.Message a document holds: one value, printed
// as the message.
type storedMessage struct{ m i18n.Message }

// readMessages replaces the messages in v (see message) by storedMessage.
func readMessages(v any) any {
	switch x := v.(type) {
	case map[string]any:
		if m, ok := message(x); ok {
			return storedMessage{m}
		}
		for k, item := range x {
			x[k] = readMessages(item)
		}
	case []any:
		for i, item := range x {
			x[i] = readMessages(item)
		}
	}
	return v
}

// message reads an i18n.Message stored as JSON in a document (see
// i18n.Message.MarshalJSON): an object of an "id" that is text, with
// "args" (each of a kind "t" and a value "v") and "count" or without,
// and nothing else. A text without arguments is a message only when it
// reads as words (a space, or letters only): an object {"id": "a1"} is a
// record's id.
func message(x map[string]any) (i18n.Message, bool) {
	id, ok := x["id"].(string)
	if !ok || id == "" {
		return i18n.Message{}, false
	}
	for k := range x {
		if k != "id" && k != "args" && k != "count" {
			return i18n.Message{}, false
		}
	}
	args, hasArgs := x["args"].([]any)
	if _, set := x["args"]; set && !hasArgs {
		return i18n.Message{}, false
	}
	for _, a := range args {
		am, ok := a.(map[string]any)
		if _, isKind := am["t"].(string); !ok || !isKind {
			return i18n.Message{}, false
		}
	}
	if !hasArgs && !strings.Contains(id, " ") && strings.IndexFunc(id, func(r rune) bool { return !unicode.IsLetter(r) }) >= 0 {
		return i18n.Message{}, false
	}
	m, err := i18n.FromDecoded(x)
	if err != nil || m.IsZero() {
		return i18n.Message{}, false
	}
	return m, true
}
