package orders

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"strings"

	"wholesale/internal/i18n"
)

// Text is a text the application wrote for people (why an order is held
// for credit approval), kept in a text column as the JSON of its
// i18n.Message, so that every reader sees it in their own language with
// the amounts in it printed their way. A text stored before texts were
// messages (plain English) reads as i18n.Raw of itself; "" is no message.
type Text struct{ i18n.Message }

// Scan reads a stored text.
func (t *Text) Scan(src any) error {
	s, err := columnText(src)
	t.Message = readText(s)
	return err
}

// Value stores the message as JSON ("" for none).
func (t Text) Value() (driver.Value, error) {
	if t.IsZero() {
		return "", nil
	}
	b, err := json.Marshal(t.Message)
	return string(b), err
}

// Changes are what a revision of an order changed, each a message, kept
// in order_revisions.summary as a JSON list. A summary stored before
// (plain English) reads as one i18n.Raw.
type Changes []i18n.Message

// Scan reads a stored summary.
func (c *Changes) Scan(src any) error {
	s, err := columnText(src)
	if err != nil {
		return err
	}
	*c = nil
	if strings.HasPrefix(s, "[") && json.Unmarshal([]byte(s), c) == nil {
		return nil
	}
	if m := readText(s); !m.IsZero() {
		*c = Changes{m}
	}
	return nil
}

// Value stores the changes as a JSON list.
func (c Changes) Value() (driver.Value, error) {
	if c == nil {
		c = Changes{}
	}
	b, err := json.Marshal([]i18n.Message(c))
	return string(b), err
}

// In is the changes in l's language, separated by semicolons.
func (c Changes) In(l *i18n.Localizer) string { return l.Join(c, "; ") }

// columnText is the text a text column gave.
func columnText(src any) (string, error) {
	switch v := src.(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	case []byte:
		return string(v), nil
	}
	return "", fmt.Errorf("orders: a text column gave %T", src)
}

// readText is a stored text as a message: the JSON of one, or (written
// before texts were messages) a plain text.
func readText(s string) i18n.Message {
	if s == "" {
		return i18n.Message{}
	}
	if strings.HasPrefix(s, `{"id":`) {
		var m i18n.Message
		if json.Unmarshal([]byte(s), &m) == nil {
			return m
		}
	}
	return i18n.Raw(s)
}
