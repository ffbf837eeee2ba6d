package e2e_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"wholesale/internal/catalog"
	"wholesale/internal/users"
)

// poLine is one line of a customer's purchase order as it came by mail.
type poLine struct {
	sku string
	qty int
}

// purchaseOrder is Bakkerij Jansen's PO BJ-2026-131 as its buyer mailed it:
// twelve lines copied from their spreadsheet. KR-EA8108 is over its
// maximum of 5 per order, TF-KO6913 is a typing error for TF-KO6931, and
// MX-QA1 is out of stock (it must be ordered from the supplier).
var purchaseOrder = []poLine{
	{"KR-F3090", 6}, {"KR-XS5300", 24}, {"KR-EA8108", 8}, {"MX-HZ4", 2}, {"TF-FR4016", 2}, {"TF-KO6913", 4},
	{"KR-GVX2", 2}, {"TF-BL8118", 1}, {"MX-QA1", 1}, {"KR-XP3440", 1}, {"MX-LM8001", 3}, {"KR-YY4451", 2},
}

// poText is the PO's lines as they arrive when copied from a spreadsheet:
// SKU, a tab, the quantity, one line per row.
func poText(lines []poLine) string {
	var b strings.Builder
	for _, l := range lines {
		fmt.Fprintf(&b, "%s\t%d\n", l.sku, l.qty)
	}
	return b.String()
}

// journeyOrderEntry: the account manager enters the PO a customer mailed,
// checks stock and credit, is shown the unknown SKU, the quantity over its
// maximum and the product out of stock at their lines, corrects them,
// checks again, places the order, finds it in the order list by its PO
// reference and amends a quantity the customer changed by phone.
func journeyOrderEntry(t *testing.T, b *browser) {
	a := startApp(t)
	a.moreProducts(t)
	p := b.newTab(t, a)
	p.login(users.RoleAccountManager)

	p.follow("Orders")
	p.follow("New order")
	p.wantHeading("New order")
	p.choose("Customer", "Bakkerij Jansen B.V.")
	p.fill("Customer's PO reference", "BJ-2026-131")
	p.unfold("Paste a PO from a mail or a spreadsheet")
	p.paste("Lines of the PO", poText(purchaseOrder))
	p.press("Fill in the lines", 200)
	entered := purchaseOrder
	if n := len(p.orderLines()); n != len(entered) {
		p.fatalf("the pasted PO filled in %d lines, want %d", n, len(entered))
	}
	p.press("Check stock and credit", 200)
	p.screenshot("order-entry-pasted-po")

	lines := p.orderLines()
	if len(lines) < len(entered) {
		p.fatalf("the form shows %d lines after the check, want %d", len(lines), len(entered))
	}
	for i, l := range entered {
		got := lines[i]
		if got.SKU != l.sku {
			p.errorf("line %d holds %q, want %s", i+1, got.SKU, l.sku)
		}
		switch l.sku {
		case "KR-EA8108":
			wantIn(p, got.Error, "At most 5 of KR-EA8108 per order", l.sku)
		case "TF-KO6913":
			wantIn(p, got.Error, "No product has SKU TF-KO6913", l.sku)
		case "MX-QA1":
			wantIn(p, got.Text, "Must be ordered from the supplier", l.sku)
		case "KR-F3090", "KR-XS5300", "MX-LM8001", "KR-YY4451":
			wantIn(p, got.Text, "In stock", l.sku)
		}
	}

	for i, l := range entered {
		switch l.sku {
		case "KR-EA8108":
			p.fillCSS(fmt.Sprintf("input[name=qty_%s]", lines[i].Row), "5")
		case "TF-KO6913":
			p.fillCSS(fmt.Sprintf("input[name=sku_%s]", lines[i].Row), "TF-KO6931")
		case "MX-QA1": // the buyer wants only what ships soon
			p.fillCSS(fmt.Sprintf("input[name=sku_%s]", lines[i].Row), "")
			p.fillCSS(fmt.Sprintf("input[name=qty_%s]", lines[i].Row), "")
		}
	}
	p.press("Check stock and credit", 200)
	if errs := p.texts("main form .field-error"); len(errs) > 0 {
		p.errorf("after the corrections the form still says %q", errs)
	}
	p.see("Credit position: limit €10,000.00")
	if containsText(p.text("main"), "would be held") {
		p.errorf("the corrected order would be held for credit")
	}

	p.press("Place the order", 200)
	o := a.demoOrder(t, "BJ-2026-131")
	p.wantHeading(fmt.Sprintf("Order %d · PO BJ-2026-131", o.ID))
	p.wantFlash(fmt.Sprintf("Order %d: awaiting confirmation.", o.ID))
	if n, want := len(p.rows("SKU")), len(entered)-1; n != want {
		p.errorf("the order has %d lines, want %d (the PO's less MX-QA1)", n, want)
	}
	total := p.text("dl.facts dd strong")

	p.follow("Orders")
	p.fill("PO reference", "BJ-2026-131")
	p.press("Filter", 200)
	rows := p.rows("PO reference")
	if len(rows) != 1 || rows[0][1] != "BJ-2026-131" || rows[0][3] != "awaiting confirmation" || rows[0][4] != total {
		p.errorf("filtered on its PO the list shows %q, want the order awaiting confirmation at %s", rows, total)
	}
	p.follow(fmt.Sprint(o.ID))

	p.follow("Amend")
	p.wantHeading(fmt.Sprintf("Amend order %d", o.ID))
	for _, l := range p.orderLines() {
		if l.SKU == "KR-XS5300" {
			p.fillCSS(fmt.Sprintf("input[name=qty_%s]", l.Row), "36") // Joris phoned: 36 descaling kits
		}
	}
	p.press("Save the amendment", 200)
	p.wantFlash(fmt.Sprintf("Order %d amended (revision 2): awaiting confirmation.", o.ID))
	if r := p.row("SKU", "KR-XS5300"); r[3] != "36" {
		p.errorf("after the amendment KR-XS5300's line is %q, want 36 of them", r)
	}
	if n := len(p.rows("What changed")); n != 2 {
		p.errorf("the order shows %d revisions, want 2", n)
	}
}

// orderLine is a row of the order form's lines as shown.
type orderLine struct {
	Row   string `json:"row"`   // the row's number in the field names (sku_<row>)
	SKU   string `json:"sku"`   // as typed, or of an existing line
	Text  string `json:"text"`  // what the row shows
	Error string `json:"error"` // the message at the row
}

// orderLines are the rows of the order form that have a SKU.
func (p *tab) orderLines() []orderLine {
	p.t.Helper()
	return eval[[]orderLine](p, `() => {
		const norm = s => s.replace(/\s+/g, ' ').trim();
		return [...document.querySelectorAll('main form tr')].map(tr => tr.querySelector('input[name^="sku_"]')).filter(Boolean)
			.filter(sku => sku.value !== '').map(sku => {
				const tr = sku.closest('tr');
				return {row: sku.name.slice(4), sku: sku.value, text: norm(tr.innerText), error: norm(tr.querySelector('.field-error')?.innerText ?? '')};
			});
	}`)
}

func wantIn(p *tab, got, want, sku string) {
	p.t.Helper()
	if !strings.Contains(got, want) {
		p.errorf("the line of %s says %q, want %q", sku, got, want)
	}
}

// moreProducts adds to the demo catalogue the three products the PO needs
// besides the demo's, in stock.
func (a *app) moreProducts(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	cat := &catalog.Service{DB: a.db, Clock: a.clk}
	rep, err := cat.ImportProducts(ctx, []byte("sku,name,brand,description,unit_price,vat_rate,ean,max_per_order,doa_returnable\n"+
		"TF-KO6931,Kettle Includeo,Tefal,1 l kettle,\"39,95\",21,,,yes\n"+
		"MX-LM8001,Soup maker,Moulinex,Soup and smoothie maker,\"99,00\",21,,,yes\n"+
		"KR-YY4451,Milk frother,Krups,Hot and cold milk frother,\"59,95\",21,,,yes\n"))
	if err != nil || len(rep.Errors) > 0 {
		t.Fatalf("products: %v %v", err, rep.Errors)
	}
	if rep, err := a.stock.ImportStock(ctx, []byte("sku,warehouse,on_hand\nTF-KO6931,MAIN,30\nMX-LM8001,MAIN,10\nKR-YY4451,MAIN,12\n")); err != nil || len(rep.Errors) > 0 {
		t.Fatalf("stock: %v %v", err, rep.Errors)
	}
}
