package i18n

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"
)

// A Message is stored (an idempotent request's refusal, say) as JSON:
// {"id": …, "args": [{"t": kind, "v": value}], "count": …}, so that it is
// printed in the reader's language when it is read back.
type jsonMessage struct {
	ID    string    `json:"id"`
	Args  []jsonArg `json:"args,omitempty"`
	Count *int64    `json:"count,omitempty"`
}

type jsonArg struct {
	T string          `json:"t"`
	V json.RawMessage `json:"v"`
}

// MarshalJSON stores m with its arguments' kinds.
func (m Message) MarshalJSON() ([]byte, error) {
	out := jsonMessage{ID: m.ID}
	if m.Count != nil {
		n, err := toInt(m.Count)
		if err != nil {
			return nil, err
		}
		out.Count = &n
	}
	for _, a := range m.Args {
		var kind string
		var v any = a
		switch x := a.(type) {
		case Amount:
			kind, v = "amount", int64(x)
		case Num:
			kind, v = "num", int64(x)
		case Date:
			kind, v = "date", x.T
		case LongDate:
			kind, v = "longdate", x.T
		case Time:
			kind, v = "time", x.T
		case Message:
			kind = "msg"
		case string:
			kind = "s"
		case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
			kind = "i"
		default:
			kind, v = "s", fmt.Sprint(a)
		}
		raw, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		out.Args = append(out.Args, jsonArg{T: kind, V: raw})
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads what MarshalJSON stored.
func (m *Message) UnmarshalJSON(b []byte) error {
	// A text was stored before messages were translated; an object (most
	// stored messages) is no text, and trying it as one cost a third of
	// reading it.
	if t := bytes.TrimLeft(b, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		var text string
		if json.Unmarshal(b, &text) == nil {
			*m = Raw(text)
			return nil
		}
	}
	var in jsonMessage
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	*m = Message{ID: in.ID}
	if in.Count != nil {
		m.Count = *in.Count
	}
	for _, a := range in.Args {
		v, err := argOf(a.T, func(into any) error { return unmarshalArg(a.V, into) })
		if err != nil {
			return err
		}
		m.Args = append(m.Args, v)
	}
	return nil
}

// unmarshalArg is json.Unmarshal of an argument's value into a pointer of
// argOf, with a shortcut for what most stored arguments are: a whole
// number, or a string without escapes. A list's rows read several each,
// and json.Unmarshal's reflection cost more than the rest of the message.
func unmarshalArg(raw []byte, into any) error {
	switch p := into.(type) {
	case *int64:
		if n, err := strconv.ParseInt(string(raw), 10, 64); err == nil {
			*p = n
			return nil
		}
	case *string:
		if s, ok := plainJSONString(raw); ok {
			*p = s
			return nil
		}
	}
	return json.Unmarshal(raw, into)
}

// plainJSONString is the text of a JSON string that needs no decoding: in
// quotes, valid UTF-8, without escapes or control characters.
func plainJSONString(raw []byte) (string, bool) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return "", false
	}
	in := raw[1 : len(raw)-1]
	for _, c := range in {
		if c == '\\' || c == '"' || c < 0x20 {
			return "", false
		}
	}
	if !utf8.Valid(in) {
		return "", false
	}
	return string(in), true
}

// FromDecoded reads what MarshalJSON stored once a JSON decoder has made
// it a map (of "id", "args" and "count", numbers as json.Number or
// float64), as UnmarshalJSON reads the JSON: for messages inside a
// document decoded whole (the audit trail's), where encoding each one
// again to unmarshal it cost more than decoding the document.
func FromDecoded(x map[string]any) (Message, error) {
	id, _ := x["id"].(string)
	m := Message{ID: id}
	if c, set := x["count"]; set && c != nil {
		var n int64
		if err := assignDecoded(c, &n); err != nil {
			return Message{}, fmt.Errorf("i18n: count: %w", err)
		}
		m.Count = n
	}
	args, _ := x["args"].([]any)
	for _, a := range args {
		am, ok := a.(map[string]any)
		if !ok {
			return Message{}, fmt.Errorf("i18n: argument %v is not an object", a)
		}
		kind, _ := am["t"].(string)
		v, err := argOf(kind, func(into any) error { return assignDecoded(am["v"], into) })
		if err != nil {
			return Message{}, err
		}
		m.Args = append(m.Args, v)
	}
	return m, nil
}

// argOf is an argument of the kind stored (see MarshalJSON), its value
// read by decode into a pointer of the type the kind takes.
func argOf(kind string, decode func(into any) error) (any, error) {
	var v any
	var err error
	switch kind {
	case "amount", "num", "i":
		var n int64
		err = decode(&n)
		switch kind {
		case "amount":
			v = Amount(n)
		case "num":
			v = Num(n)
		default:
			v = n
		}
	case "date", "longdate", "time":
		var t time.Time
		err = decode(&t)
		switch kind {
		case "date":
			v = Date{t}
		case "longdate":
			v = LongDate{t}
		default:
			v = Time{t}
		}
	case "msg":
		var n Message
		err = decode(&n)
		v = n
	default:
		var s string
		err = decode(&s)
		v = s
	}
	if err != nil {
		return nil, fmt.Errorf("i18n: argument %s: %w", kind, err)
	}
	return v, nil
}

// assignDecoded stores a value a JSON decoder made (json.Number or
// float64, string, map) in into, as json.Unmarshal would store its JSON.
func assignDecoded(v any, into any) error {
	if v == nil {
		return nil // null leaves the zero value, as json.Unmarshal does
	}
	switch p := into.(type) {
	case *int64:
		switch n := v.(type) {
		case json.Number:
			i, err := n.Int64()
			*p = i
			return err
		case float64:
			if n != float64(int64(n)) {
				return fmt.Errorf("%v is not an integer", n)
			}
			*p = int64(n)
			return nil
		}
	case *time.Time:
		if s, ok := v.(string); ok {
			t, err := time.Parse(time.RFC3339, s)
			*p = t
			return err
		}
	case *string:
		if s, ok := v.(string); ok {
			*p = s
			return nil
		}
	case *Message:
		switch x := v.(type) {
		case string: // stored before messages were translated
			*p = Raw(x)
			return nil
		case map[string]any:
			m, err := FromDecoded(x)
			*p = m
			return err
		}
	}
	return fmt.Errorf("cannot read %T as %T", v, into)
}

func toInt(v any) (int64, error) {
	switch n := v.(type) {
	case int:
		return int64(n), nil
	case int64:
		return n, nil
	case int32:
		return int64(n), nil
	}
	return 0, fmt.Errorf("i18n: plural count %T is not an integer", v)
}
