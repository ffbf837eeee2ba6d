package i18n

import (
	"encoding/json"
	"fmt"
	"time"
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
	var text string
	if json.Unmarshal(b, &text) == nil { // stored before messages were translated
		*m = Raw(text)
		return nil
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
		var v any
		var err error
		switch a.T {
		case "amount", "num", "i":
			var n int64
			err = json.Unmarshal(a.V, &n)
			switch a.T {
			case "amount":
				v = Amount(n)
			case "num":
				v = Num(n)
			default:
				v = n
			}
		case "date", "longdate", "time":
			var t time.Time
			err = json.Unmarshal(a.V, &t)
			switch a.T {
			case "date":
				v = Date{t}
			case "longdate":
				v = LongDate{t}
			default:
				v = Time{t}
			}
		case "msg":
			var n Message
			err = json.Unmarshal(a.V, &n)
			v = n
		default:
			var s string
			err = json.Unmarshal(a.V, &s)
			v = s
		}
		if err != nil {
			return fmt.Errorf("i18n: argument %s: %w", a.T, err)
		}
		m.Args = append(m.Args, v)
	}
	return nil
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
