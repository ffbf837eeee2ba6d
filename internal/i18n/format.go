package i18n

import (
	"fmt"
	"html/template"
	"reflect"
	"strconv"
	"strings"
	"time"

	"wholesale/internal/clock"
	"wholesale/internal/money"
)

// Arguments of a Message that are printed in the reader's language; their
// verb in the message is %s.
type (
	// Amount is an amount in euro cents: "€ 1.250,50" in Dutch,
	// "€1,250.50" in English.
	Amount money.Cents
	// Date is the date of T in Europe/Amsterdam: "29-11-2026",
	// "29 Nov 2026".
	Date struct{ T time.Time }
	// LongDate is Date written out, for running text: "29 november 2026",
	// "29 November 2026".
	LongDate struct{ T time.Time }
	// Time is the date and time of T in Europe/Amsterdam:
	// "29-11-2026 14:05", "29 Nov 2026 14:05".
	Time struct{ T time.Time }
	// Num is a count or quantity, grouped by thousands: "1.000.000",
	// "1,000,000". (Numbers that name something, like an order number,
	// are printed with %d and never grouped.)
	Num int64
)

// D is Date{t}.
func D(t time.Time) Date { return Date{t} }

var (
	monthsNL = [...]string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"}
	monthsEN = [...]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
)

// local is t in Europe/Amsterdam; a date (midnight UTC, as DATE columns
// come back) keeps its day.
func local(t time.Time) time.Time {
	if t.Location() == time.UTC && t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		return t
	}
	return t.In(clock.Amsterdam)
}

// Date prints the day of t: "29-11-2026" or "29 Nov 2026"; "" for the
// zero time.
func (l *Localizer) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = local(t)
	if l.lang == EN {
		return t.Format("2 Jan 2006")
	}
	return t.Format("02-01-2006")
}

// LongDate prints the day of t for running text: "29 november 2026" or
// "29 November 2026".
func (l *Localizer) LongDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = local(t)
	month := monthsNL[t.Month()-1]
	if l.lang == EN {
		month = monthsEN[t.Month()-1]
	}
	return strconv.Itoa(t.Day()) + " " + month + " " + strconv.Itoa(t.Year())
}

// DateTime prints t to the minute in Europe/Amsterdam.
func (l *Localizer) DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return l.Date(t.In(clock.Amsterdam)) + " " + t.In(clock.Amsterdam).Format("15:04")
}

// Num prints n grouped by thousands: "1.000.000" or "1,000,000".
func (l *Localizer) Num(n int64) string {
	sep := byte('.')
	if l.lang == EN {
		sep = ','
	}
	return group(n, sep)
}

func group(n int64, sep byte) string {
	s := strconv.FormatInt(n, 10)
	sign := ""
	if n < 0 {
		sign, s = "-", s[1:]
	}
	var b strings.Builder
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(sep)
		}
		b.WriteByte(s[i])
	}
	return sign + b.String()
}

// Amount prints cents: "€ 1.250,50" (negative "€ -1.250,50") in Dutch,
// "€1,250.50" ("-€1,250.50") in English.
func (l *Localizer) Amount(c money.Cents) string {
	if l.lang != EN {
		return money.Format(c)
	}
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	cents := strconv.FormatInt(c%100, 10)
	if len(cents) < 2 {
		cents = "0" + cents
	}
	return sign + "€" + group(c/100, ',') + "." + cents
}

// AmountHTML is Amount in a span the style sheet keeps on one line, so an
// amount never wraps away from its euro sign.
func (l *Localizer) AmountHTML(c money.Cents) template.HTML {
	return template.HTML(`<span class="amount">` + template.HTMLEscapeString(l.Amount(c)) + `</span>`)
}

// Input prints cents as a form field shows them: "1250,50" or "1250.50".
func (l *Localizer) Input(c money.Cents) string {
	s := money.Input(c)
	if l.lang == EN {
		return strings.Replace(s, ",", ".", 1)
	}
	return s
}

// ParseAmount reads an amount as a reader of l's language types it:
// money.Parse's unambiguous forms, and in English also "1,250" (a
// thousands comma without decimals).
func (l *Localizer) ParseAmount(s string) (money.Cents, error) {
	c, err := money.Parse(s)
	if err == nil || l.lang != EN || err != money.ErrFormat {
		return c, err
	}
	t := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "€"))
	if !strings.Contains(t, ",") || strings.Contains(t, ".") {
		return c, err
	}
	return money.Parse(t + ".00")
}

// HTML is m as HTML: its text escaped, every amount in it kept on one
// line as AmountHTML does.
func (l *Localizer) HTML(m Message) template.HTML {
	if m.ID == "" {
		return ""
	}
	const mark = "\x01"
	// Print the message with each argument replaced by a marker, escape
	// that, then put the arguments back as HTML.
	var parts []string
	args := make([]any, len(m.Args))
	for i, a := range m.Args {
		if plainValue(a) {
			args[i] = a // printed by its verb (%d, %.1f): no HTML in it
			continue
		}
		var h string
		switch v := a.(type) {
		case Amount:
			h = string(l.AmountHTML(money.Cents(v)))
		case Message:
			h = string(l.HTML(v))
		case template.HTML:
			h = string(v)
		default:
			s, ok := l.format(a)
			if !ok {
				s = fmt.Sprint(a)
			}
			h = template.HTMLEscapeString(s)
		}
		parts = append(parts, h)
		args[i] = mark + strconv.Itoa(len(parts)-1) + mark
	}
	marked := Message{ID: m.ID, Args: args}
	text := template.HTMLEscapeString(l.Text(Message{ID: marked.ID, Args: marked.Args, Count: m.Count}))
	if len(parts) == 0 {
		return template.HTML(text)
	}
	var b strings.Builder
	for {
		i := strings.Index(text, mark)
		if i < 0 {
			b.WriteString(text)
			break
		}
		j := strings.Index(text[i+1:], mark)
		if j < 0 {
			b.WriteString(text)
			break
		}
		b.WriteString(text[:i])
		n, err := strconv.Atoi(text[i+1 : i+1+j])
		if err == nil && n < len(parts) {
			b.WriteString(parts[n])
		}
		text = text[i+1+j+1:]
	}
	return template.HTML(b.String())
}

// plainValue reports whether a is a number or a boolean (of a named type
// too), which a verb prints without any HTML in it; Num and Amount are
// printed in the language's way instead.
func plainValue(a any) bool {
	switch a.(type) {
	case Num, Amount:
		return false
	}
	switch reflect.ValueOf(a).Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64, reflect.Bool:
		return true
	}
	return false
}
