package orders

import (
	"context"
	"strconv"
	"strings"
	"unicode"

	"wholesale/internal/apperr"
	"wholesale/internal/catalog"
	"wholesale/internal/i18n"
	"wholesale/internal/users"
	"wholesale/internal/validate"
)

// PasteMax bounds a pasted PO, in characters.
const PasteMax = 100_000

// PastedLine is one line of a pasted PO as the order form takes it: the
// product's SKU (or the code as it stood, when no product has it) and the
// quantity as it stood.
type PastedLine struct {
	SKU          string
	QuantityText string
	// Row is the line of the pasted text it came from, from 1.
	Row int
}

// pasteRow is one line of pasted text cut into cells: tab-separated
// columns (copied from a spreadsheet), semicolon-separated ones (CSV as
// Excel writes it in a Dutch locale), else words.
type pasteRow struct {
	row   int
	cells []string
}

// splitPaste cuts pasted text into rows of cells, leaving out empty lines.
func splitPaste(text string) []pasteRow {
	var out []pasteRow
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		var cells []string
		if sep := columnSep(line); sep != "" {
			for _, c := range strings.Split(line, sep) {
				// A CSV cell may be quoted: "KR-100";"24".
				cells = append(cells, strings.Trim(strings.TrimSpace(c), `"`))
			}
		} else {
			cells = strings.Fields(line)
		}
		var kept []string
		for _, c := range cells {
			// "12 x SKU", "12x SKU", "12 × SKU": the x is no cell of its own.
			c = strings.TrimSpace(c)
			if c == "x" || c == "X" || c == "×" || c == "*" || c == "" {
				continue
			}
			kept = append(kept, c)
		}
		if len(kept) > 0 {
			out = append(out, pasteRow{row: i + 1, cells: kept})
		}
	}
	return out
}

// columnSep is the separator of a line's columns: a tab, else a
// semicolon; "" for a line of words.
func columnSep(line string) string {
	for _, sep := range []string{"\t", ";"} {
		if strings.Contains(line, sep) {
			return sep
		}
	}
	return ""
}

// quantityOf reads a cell as a quantity: a whole number of at most seven
// digits ("12", "12x", "12 st", "12 pcs."), or "" when it is none. Longer
// numbers are EANs.
func quantityOf(cell string) string {
	c := strings.ToLower(strings.TrimSpace(cell))
	for _, unit := range []string{"x", "×", "pcs.", "pcs", "st.", "st", "stuks", "stuk"} {
		c = strings.TrimSpace(strings.TrimSuffix(c, unit))
	}
	if c == "" || len(c) > 7 || strings.TrimFunc(c, unicode.IsDigit) != "" {
		return ""
	}
	return c
}

// parseRow finds the product and the quantity of a pasted row: the first
// cell that is a known SKU or EAN, and the quantity nearest after it (else
// before it). A row without a known code keeps its first cell that looks
// like a code, so that the form says which is unknown.
func parseRow(r pasteRow, known map[string]string) PastedLine {
	code := -1
	for i, c := range r.cells {
		if _, ok := known[strings.ToUpper(c)]; ok {
			code = i
			break
		}
	}
	for i, c := range r.cells { // no known code: the first that looks like one
		if code < 0 && quantityOf(c) == "" && (catalog.ValidSKU(strings.ToUpper(c)) || catalog.ValidEAN(c)) {
			code = i
		}
	}
	out := PastedLine{Row: r.row}
	if code >= 0 {
		out.SKU = strings.ToUpper(r.cells[code])
		if sku, ok := known[out.SKU]; ok {
			out.SKU = sku
		}
	}
	for i := code + 1; i < len(r.cells) && out.QuantityText == ""; i++ {
		out.QuantityText = quantityOf(r.cells[i])
	}
	for i := code - 1; i >= 0 && out.QuantityText == ""; i-- {
		out.QuantityText = quantityOf(r.cells[i])
	}
	return out
}

// Paste reads a PO pasted from a customer's mail into order lines, one per
// line of text: "SKU quantity", "quantity x SKU", or columns copied from a
// spreadsheet or CSV (the SKU or EAN and the quantity among them). EANs
// become their products' SKUs, in one query. An unknown code is left for
// the order form's check to say. Returns Invalid for text that is too long
// or holds control characters, or has more than MaxLines lines, or a line
// without a code and a whole quantity ("KR-100 1,5", "KR-100;-1"): then
// the message at the paste box names the lines and nothing is filled in;
// Forbidden for roles that do not enter orders.
func (s *Service) Paste(ctx context.Context, by *users.User, text string) ([]PastedLine, error) {
	if err := mayEnter(by); err != nil {
		return nil, err
	}
	fe := apperr.FieldErrors{}
	if !validate.Text(fe, "paste", text, PasteMax) {
		return nil, fe.Err()
	}
	rows := splitPaste(text)
	if len(rows) > MaxLines {
		return nil, apperr.FieldErrors{"paste": i18n.M("An order takes at most %d lines at a time; this text has %d.", MaxLines, len(rows))}.Err()
	}
	var codes []string
	for _, r := range rows {
		for _, c := range r.cells {
			if quantityOf(c) == "" && (catalog.ValidSKU(strings.ToUpper(c)) || catalog.ValidEAN(c)) {
				codes = append(codes, c)
			}
		}
	}
	known, err := catalog.SKUsByCode(ctx, s.DB, codes)
	if err != nil {
		return nil, err
	}
	out := make([]PastedLine, len(rows))
	var unread []int
	for i, r := range rows {
		out[i] = parseRow(r, known)
		if out[i].SKU == "" || out[i].QuantityText == "" {
			unread = append(unread, r.row)
		}
	}
	if msg := unreadMsg(unread); !msg.IsZero() {
		return nil, apperr.FieldErrors{"paste": msg}.Err()
	}
	return out, nil
}

// maxUnreadListed is how many unreadable lines the message names.
const maxUnreadListed = 10

// unreadMsg says which lines of a pasted PO (numbered from 1) could not be
// read; zero for none.
func unreadMsg(rows []int) i18n.Message {
	switch len(rows) {
	case 0:
		return i18n.Message{}
	case 1:
		return i18n.M("Line %d: write the SKU and a whole quantity, e.g. KR-100 24.", rows[0])
	}
	nums := make([]string, 0, min(len(rows), maxUnreadListed)+1)
	for _, r := range rows[:min(len(rows), maxUnreadListed)] {
		nums = append(nums, strconv.Itoa(r))
	}
	if len(rows) > maxUnreadListed {
		nums = append(nums, "…")
	}
	return i18n.M("Lines %s: write the SKU and a whole quantity on each line, e.g. KR-100 24.", strings.Join(nums, ", "))
}
